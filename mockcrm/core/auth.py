"""Authorization header -> (org, scopes), and the scope check. Zoho's 401 bodies."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mockcrm.core.errors import ZohoError

if TYPE_CHECKING:
    from mockcrm.core.store import Store
    from mockcrm.crm.org import Org

SCHEME = "Zoho-oauthtoken "
ALL_SCOPES = frozenset({"ZohoCRM.ALL"})
ACCESS_TOKEN_LIFETIME = 3600  # seconds: Zoho's access tokens live an hour


@dataclass(frozen=True)
class Principal:
    org: Org
    scopes: frozenset[str]


def authentication_failure() -> ZohoError:
    return ZohoError("AUTHENTICATION_FAILURE", "Authentication failed", status=401)


def invalid_token() -> ZohoError:
    return ZohoError("INVALID_TOKEN", "invalid oauth token", status=401)


def scope_mismatch() -> ZohoError:
    return ZohoError("OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL", status=401)


def authenticate(store: Store, environ: Mapping[str, Any], *, strict: bool, now) -> Principal:
    """Tokens mockcrm issued are always checked; others reach the default org unless strict.
    `environ`: the request's WSGI environ (its headers read there, not through werkzeug's view)."""
    header = environ.get("HTTP_AUTHORIZATION", "")
    if not header.startswith(SCHEME) or not header[len(SCHEME) :].strip():
        raise authentication_failure()
    value = header[len(SCHEME) :].strip()
    token = store.tokens.get(value)
    if token is None:
        if strict:
            raise invalid_token()
        org_id, scopes = None, ALL_SCOPES
    else:
        org = store.org(token.org_id)
        if org is None or token.expired(now(org)) or token.refresh:
            raise invalid_token()
        org_id, scopes = token.org_id, token.scopes
    wanted = environ.get("HTTP_X_CRM_ORG")
    if wanted and org_id and wanted != org_id:
        # A token belongs to one org; asking for another is an auth failure, as in Zoho.
        raise invalid_token()
    org = store.org(wanted or org_id)
    if org is None:
        raise ZohoError("INVALID_DATA", "invalid org id", {"header_name": "X-CRM-ORG"})
    return Principal(org, scopes)


@functools.lru_cache(maxsize=1024)  # few (scopes, route scope) pairs: the answer never changes
def has_scope(granted: frozenset[str], required: str) -> bool:
    """`ZohoCRM.settings.workflow_rules.READ` is met by itself, any `.ALL` above it, ZohoCRM.ALL.
    A record scope `ZohoCRM.modules.<module>.<op>` is also met by `ZohoCRM.modules.<op>` (every
    module; Zoho's OAS lists it on each record operation) and, for CREATE and UPDATE, by
    `ZohoCRM.modules.<module>.WRITE` (Zoho's docs list WRITE beside them)."""
    parts = required.split(".")
    candidates = {required, "ZohoCRM.ALL"}
    for cut in range(2, len(parts)):
        candidates.add(".".join(parts[:cut]) + ".ALL")
    if len(parts) == 4 and parts[1] == "modules":
        candidates.add(f"ZohoCRM.modules.{parts[3]}")
        if parts[3] in ("CREATE", "UPDATE"):
            candidates.add(f"ZohoCRM.modules.{parts[2]}.WRITE")
    lowered = {g.lower() for g in granted}  # scopes compare case-insensitively
    return any(c.lower() in lowered for c in candidates)


def record_scope(module: str, operation: str) -> str:
    """The records scope of `module`: Zoho names a module there by its api name in lower case
    without underscores (`ZohoCRM.modules.salesorders.READ` for Sales_Orders, `pricebooks`,
    `purchaseorders`: its scope list and the OAS `security` entries)."""
    return f"ZohoCRM.modules.{module.replace('_', '').lower()}.{operation}"


def require_scope(principal: Principal, required: str) -> None:
    if not has_scope(principal.scopes, required):
        raise scope_mismatch()
