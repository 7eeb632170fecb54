"""/oauth/v2/auth, /oauth/v2/token and /oauth/v2/token/revoke: Zoho's accounts server on this host.

Not under /crm and no Zoho-oauthtoken header: these endpoints hand tokens out. Parameters come
from the query string or a form body (Zoho takes both); client credentials may also come as HTTP
Basic auth. `api_domain` is this server's base URL, so SDKs keep talking to mockcrm."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Blueprint, Response, current_app, request

from mockcrm.api.common import render, store

if TYPE_CHECKING:
    from mockcrm.core.oauth import Accounts
    from mockcrm.core.store import Store

PREFIX = "/oauth/v2"
bp = Blueprint("oauth", __name__, url_prefix=PREFIX)
EXTENSION = "mockcrm.accounts"


def accounts() -> Accounts:
    """The app's accounts server, made on first use (not needed to start serving)."""
    from mockcrm.core.oauth import Accounts  # lazy: only the OAuth endpoints need it

    found = current_app.extensions.get(EXTENSION)
    if found is None:  # setdefault: concurrent first calls all get the one that was stored
        found = current_app.extensions.setdefault(EXTENSION, Accounts())
    return found


def _params() -> dict[str, str]:
    """Query string, then form body (the SDK posts a form), then Basic auth for the client."""
    # Cache the raw body before the form parser consumes it, so the journal can show it.
    request.get_data(cache=True)
    params = {**request.args.to_dict(), **request.form.to_dict()}
    auth = request.authorization
    if auth is not None and auth.type == "basic":
        params.setdefault("client_id", auth.username or "")
        params.setdefault("client_secret", auth.password or "")
    return params


def org_id_for_call(st: Store) -> str | None:
    """The org this accounts call acts for (None: its parameters name none)."""
    return accounts().org_id_for(st, _params())


# Zoho's accounts host per data centre -> its API domain (in-process mode keeps Zoho's names).
ACCOUNTS_TO_API = {"accounts.zohocloud.ca": "www.zohoapis.ca"}


def _base_url() -> str:
    """This server's URL, or Zoho's API domain when called under Zoho's accounts host name."""
    host = request.host.split(":")[0]
    if host in ACCOUNTS_TO_API or host.startswith("accounts.zoho."):
        api_host = ACCOUNTS_TO_API.get(host) or "www.zohoapis." + host.removeprefix(
            "accounts.zoho."
        )
        return f"{request.scheme}://{api_host}"
    return request.host_url.rstrip("/")


@bp.get("/auth")
def authorize() -> Response:
    """Consent is automatic: redirect straight back with a code, as Zoho does after "Accept"."""
    from mockcrm.core.oauth import OAuthError  # lazy: only the OAuth endpoints need it

    params = _params()
    try:
        code = accounts().authorize(store(), params)
    except OAuthError as err:
        # Zoho shows these on its consent page; there is nowhere safe to redirect to.
        return render(err.body(), err.status)
    back = {"code": code.value, "location": "us", "accounts-server": _base_url()}
    if "state" in params:
        back = {"state": params["state"], **back}
    target = urlsplit(code.redirect_uri)
    query = urlencode([*parse_qsl(target.query, keep_blank_values=True), *back.items()])
    response = Response(status=302, headers={"Location": urlunsplit(target._replace(query=query))})
    response.headers.pop("Content-Type", None)
    return response


@bp.post("/token")
def token() -> Response:
    from mockcrm.core.oauth import OAuthError  # lazy: only the OAuth endpoints need it

    strict = current_app.config["MOCKCRM_SETTINGS"].auth == "strict"
    try:
        body = accounts().token(store(), _params(), strict=strict, api_domain=_base_url())
    except OAuthError as err:
        return render(err.body(), err.status)
    return render(body)


@bp.post("/token/revoke")
def revoke() -> Response:
    return render(accounts().revoke(store(), _params().get("token", "").strip()))
