"""Who may call the admin API (`/__admin`): the one before-request hook (api/hooks.py) asks
`check_admin_call` for every admin path while the admin API is on, and `mockcrm serve` asks
`admin_exposure_error` before it binds.

The admin API can reset, fault and rewrite every org, and it has no CORS, so only a browser
page of mockcrm's own origin (the dashboard) or a non-browser client may call it:
- a page of another origin could still send it a "simple" request (a form POST or a no-cors
  fetch, which no preflight stops): `Sec-Fetch-Site` / `Origin` give it away, and it is refused;
- a page that rebinds its own DNS name to 127.0.0.1 is same-origin with itself, not with
  mockcrm: a loopback `mockcrm serve` without an admin token answers loopback host names only;
- with an admin token, every call but the health probes must carry it."""

from __future__ import annotations

import hmac
import ipaddress
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mockcrm.api.admin import OPEN_PATHS
from mockcrm.core.errors import ZohoError

if TYPE_CHECKING:
    from flask import Request

    from mockcrm.settings import Settings

TOKEN_HEADER = "X-Admin-Token"
# app.config key: set by `mockcrm serve` bound to loopback without an admin token, to the host
# name it was bound to (other loopback names and addresses are accepted too).
LOOPBACK_ONLY = "MOCKCRM_ADMIN_LOOPBACK_ONLY"
SAME_SITE_VALUES = ("same-origin", "none")  # Sec-Fetch-Site of mockcrm's own pages / typed URLs


def admin_auth_failure() -> ZohoError:
    return ZohoError(
        "AUTHENTICATION_FAILURE", "Authentication failed", {"header_name": TOKEN_HEADER}, 401
    )


def check_admin_call(req: Request, settings: Settings, config: dict[str, Any]) -> None:
    """Refuse a cross-origin browser call, a foreign host name on a loopback server without a
    token, and a missing or wrong admin token. Health and readiness stay open (Docker's
    HEALTHCHECK and CI waits; they reveal nothing)."""
    if req.path in OPEN_PATHS:
        return
    if _cross_origin(req):
        raise ZohoError("NO_PERMISSION", "cross-origin admin calls are refused", status=403)
    bound = config.get(LOOPBACK_ONLY)
    if bound is not None and not _loopback_name(req.host, bound):
        raise ZohoError(
            "NO_PERMISSION",
            "the admin API answers loopback host names only",
            {"header_name": "Host"},
            status=403,
        )
    expected = settings.admin_token
    if not expected:
        return
    given = req.headers.get(TOKEN_HEADER, "")
    bearer = req.headers.get("Authorization", "")
    if not given and bearer.startswith("Bearer "):
        given = bearer[len("Bearer ") :].strip()  # the CLI's help and README name this form
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise admin_auth_failure()


def _cross_origin(req: Request) -> bool:
    site = req.headers.get("Sec-Fetch-Site")
    if site is not None and site not in SAME_SITE_VALUES:
        return True
    origin = req.headers.get("Origin")
    if origin is None:  # not a browser, or a same-origin GET
        return False
    # Behind a proxy that does not pass Host on, the page's host is X-Forwarded-Host (a page of
    # another origin cannot set that header without a preflight, which fails).
    forwarded = req.headers.get("X-Forwarded-Host", "").split(",")[0].strip()
    hosts = {req.host.lower(), forwarded.lower()} - {""}
    return origin == "null" or urlsplit(origin).netloc.lower() not in hosts


def _loopback_name(host_header: str, bound: str) -> bool:
    try:
        name = (urlsplit(f"//{host_header}").hostname or "").lower()
    except ValueError:  # a Host no URL could hold
        return False
    return name == bound.lower() or name.endswith(".localhost") or is_loopback(name)


def admin_exposure_error(settings: Settings) -> str | None:
    """Why `mockcrm serve` must refuse to start, or None: the admin API can rewrite every org, so
    it is served beyond loopback only behind an admin token."""
    if settings.no_admin or settings.admin_token or is_loopback(settings.host):
        return None
    return (
        f"refusing to serve the admin API on non-loopback host {settings.host!r} without an "
        "admin token: pass --admin-token TOKEN (MOCKCRM_ADMIN_TOKEN) or --no-admin"
    )


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False
