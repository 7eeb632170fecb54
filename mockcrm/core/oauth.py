"""Zoho's accounts server (fact sheet core §7): grant codes, refresh tokens and access tokens.

Pure: grants over the Store, with every expiry on the virtual clock of the org a token is for.
Every token lives in `store.tokens`, so the CRM API checks what this module issues (core/auth.py).
Errors are Zoho's accounts bodies, `{"error": "<code>"}` with HTTP 200, never a ZohoError."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mockcrm.core.auth import ACCESS_TOKEN_LIFETIME, ALL_SCOPES
from mockcrm.core.store import Store, Token, new_token_value

if TYPE_CHECKING:
    from mockcrm.crm.org import Org

CODE_LIFETIME = 120  # seconds of virtual time a grant code stays usable
MAX_CODES = 10_000
MAX_ACCESS_PER_REFRESH = 30  # Zoho: the 31st access token of a refresh token deletes the oldest
SOID = re.compile(r"^ZohoCRM\.(\d+)$")
SCOPE_SEPARATORS = re.compile(r"[\s,]+")
Params = Mapping[str, str]


class OAuthError(Exception):
    """A failed grant: Zoho's accounts server answers `{"error": code}` with HTTP 200."""

    def __init__(self, error: str, status: int = 200) -> None:
        super().__init__(error)
        self.error = error
        self.status = status

    def body(self) -> dict[str, str]:
        return {"error": self.error}


@dataclass
class Code:
    """A grant code from /oauth/v2/auth: single use, short-lived, bound to client and redirect."""

    value: str
    org_id: str
    scopes: frozenset[str]
    client_id: str
    redirect_uri: str
    offline: bool
    expires_at: datetime
    used: bool = False


def parse_scopes(raw: str | None) -> frozenset[str]:
    """`ZohoCRM.settings.ALL,ZohoCRM.modules.ALL` (Zoho's comma form) or space-separated."""
    return frozenset(s for s in SCOPE_SEPARATORS.split(raw or "") if s)


def scope_text(scopes: frozenset[str]) -> str:
    """Token responses echo the scopes space-separated."""
    return " ".join(sorted(scopes))


@dataclass
class Accounts:
    """What the accounts server remembers besides `store.tokens` (which also hold each refresh
    token's client and each access token's refresh token): the grant codes, which live only
    two minutes."""

    codes: dict[str, Code] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def _remember(self, code: Code) -> None:
        """Keep the newest MAX_CODES codes: a code lives two minutes and is used once, so a
        long-running server need not remember every code it ever issued."""
        self.codes[code.value] = code
        while len(self.codes) > MAX_CODES:
            del self.codes[next(iter(self.codes))]

    def org_id_for(self, store: Store, params: Params) -> str | None:
        """The org an accounts call acts for, as far as its parameters tell (None: they do not):
        the consenting `org_id`, the code's or token's org, or soid's. The journal and injected
        faults file the call under it, so a test's own token calls are its org's."""
        org_id = params.get("org_id", "").strip()
        code = self.codes.get(params.get("code", "").strip())
        token = store.tokens.get(params.get("refresh_token", "").strip()) or store.tokens.get(
            params.get("token", "").strip()
        )
        soid = SOID.match(params.get("soid", "").strip())
        for found in (
            org_id,
            code and code.org_id,
            token and token.org_id,
            soid and soid.group(1),
        ):
            if found and found in store.orgs:
                return found
        return None

    # -- /oauth/v2/auth ----------------------------------------------------------------------

    def authorize(self, store: Store, params: Params) -> Code:
        """The consent step, auto-approved: a code for the requested scopes. `org_id` (a mockcrm
        extension) picks the org that consents; the default org otherwise."""
        client_id = params.get("client_id", "").strip()
        redirect_uri = params.get("redirect_uri", "").strip()
        if not client_id:
            raise OAuthError("invalid_client", 400)
        if not redirect_uri or not _redirectable(redirect_uri):
            raise OAuthError("invalid_redirect_uri", 400)
        if params.get("response_type", "code") != "code":
            raise OAuthError("unsupported_response_type", 400)
        scopes = parse_scopes(params.get("scope"))
        if not scopes:
            raise OAuthError("invalid_scope", 400)
        with store.lock, self.lock:
            org = store.org(params.get("org_id") or None)
            if org is None:
                raise OAuthError("missing_org_info", 400)
            code = Code(
                value=new_token_value(),
                org_id=org.id,
                scopes=scopes,
                client_id=client_id,
                redirect_uri=redirect_uri,
                offline=params.get("access_type", "online") == "offline",
                expires_at=org.clock.now() + timedelta(seconds=CODE_LIFETIME),
            )
            self._remember(code)
            return code

    # -- /oauth/v2/token ---------------------------------------------------------------------

    def token(self, store: Store, params: Params, *, strict: bool, api_domain: str) -> dict:
        """One grant. Client credentials must be present; mockcrm has no client registry, so
        their values are checked only against the code (client_id) or refresh token (client_id
        and client_secret) they were bound to."""
        grant_type = params.get("grant_type", "")
        if grant_type not in GRANTS:
            raise OAuthError("unsupported_grant_type")
        client_id = params.get("client_id", "").strip()
        if not client_id or not params.get("client_secret", "").strip():
            raise OAuthError("invalid_client")
        with store.lock, self.lock:
            return GRANTS[grant_type](self, store, params, client_id, strict, api_domain)

    def _authorization_code(
        self, store: Store, params: Params, client_id: str, strict: bool, api_domain: str
    ) -> dict:
        value = params.get("code", "").strip()
        code = self.codes.get(value)
        if code is None:
            if strict or not value:
                raise OAuthError("invalid_code")
            # Permissive: a code mockcrm never issued stands for the default org, all scopes.
            org = _default_org(store)
            code = Code(value, org.id, ALL_SCOPES, client_id, "", True, org.clock.now(), True)
            self._remember(code)  # single use, like the codes mockcrm issues
        else:
            org = store.org(code.org_id)
            if org is None or code.used or org.clock.now() >= code.expires_at:
                raise OAuthError("invalid_code")
            if code.client_id != client_id:
                raise OAuthError("invalid_client")
            if code.redirect_uri != params.get("redirect_uri", "").strip():
                raise OAuthError("invalid_redirect_uri")
            code.used = True
        body: dict[str, Any] = {}
        refresh = None
        if code.offline:
            refresh = store.issue_token(org.id, code.scopes, None, org.clock.now(), refresh=True)
            refresh.client = (client_id, _digest(params.get("client_secret", "").strip()))
        access = self._issue_access(store, org, code.scopes, refresh)
        body["access_token"] = access.value
        if refresh is not None:
            body["refresh_token"] = refresh.value
        return body | _success(access, api_domain)

    def _refresh_token(
        self, store: Store, params: Params, client_id: str, strict: bool, api_domain: str
    ) -> dict:
        value = params.get("refresh_token", "").strip()
        refresh = store.tokens.get(value)
        if refresh is None:
            if strict or not value:
                raise OAuthError("invalid_code")
            # Permissive: an unknown refresh token stands for the default org, all scopes.
            org = _default_org(store)
            access = self._issue_access(store, org, ALL_SCOPES, None)
            return {"access_token": access.value} | _success(access, api_domain)
        org = store.org(refresh.org_id)
        if not refresh.refresh or org is None or refresh.expired(org.clock.now()):
            raise OAuthError("invalid_code")
        bound = refresh.client
        if bound is not None and bound[0] != client_id:
            raise OAuthError("invalid_client")
        if bound is not None and bound[1] != _digest(params.get("client_secret", "").strip()):
            raise OAuthError("invalid_client_secret")
        access = self._issue_access(store, org, refresh.scopes, refresh)
        return {"access_token": access.value} | _success(access, api_domain)

    def _client_credentials(
        self, store: Store, params: Params, client_id: str, strict: bool, api_domain: str
    ) -> dict:
        match = SOID.match(params.get("soid", "").strip())
        if match is None:
            raise OAuthError("missing_org_info")
        org = store.org(match.group(1))
        if org is None:
            if strict:
                raise OAuthError("missing_org_info")
            # Permissive: a real Zoho org id mockcrm does not know lands on the default org.
            org = _default_org(store)
        scopes = parse_scopes(params.get("scope"))
        if not scopes:
            raise OAuthError("invalid_scope")
        access = self._issue_access(store, org, scopes, None)
        return {"access_token": access.value} | _success(access, api_domain)

    def _issue_access(
        self, store: Store, org: Org, scopes: frozenset[str], refresh: Token | None
    ) -> Token:
        now = org.clock.now()
        access = store.issue_token(org.id, scopes, ACCESS_TOKEN_LIFETIME, now)
        if refresh is not None:
            access.granted_by = refresh.value
            issued = [t for t in _granted(store, refresh.value) if not t.revoked]  # oldest first
            for oldest in issued[: max(0, len(issued) - MAX_ACCESS_PER_REFRESH)]:
                _invalidate(oldest, now)
        return access

    # -- /oauth/v2/token/revoke --------------------------------------------------------------

    def revoke(self, store: Store, value: str) -> dict[str, str]:
        """A revoked refresh token takes its access tokens with it. Unknown values succeed too
        (RFC 7009), so a revoke is idempotent."""
        with store.lock, self.lock:
            token = store.tokens.get(value)
            org = store.org(token.org_id) if token is not None else None
            if org is not None:
                now = org.clock.now()
                _invalidate(token, now)
                for access in _granted(store, value):
                    _invalidate(access, now)
        return {"status": "success"}


def _success(access: Token, api_domain: str) -> dict[str, Any]:
    return {
        "scope": scope_text(access.scopes),
        "api_domain": api_domain,
        "token_type": "Bearer",
        "expires_in": ACCESS_TOKEN_LIFETIME,
    }


def _default_org(store: Store) -> Org:
    org = store.org()
    if org is None:
        raise OAuthError("missing_org_info")
    return org


def _granted(store: Store, refresh_value: str) -> list[Token]:
    """The access tokens a refresh token granted, oldest first (tokens keep their issue order)."""
    return [t for t in store.tokens.values() if t.granted_by == refresh_value]


def _digest(secret: str) -> str:
    """A client secret as the state file keeps it: its SHA-256, never the secret itself."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _invalidate(token: Token | None, now: datetime) -> None:
    """Revoke rather than forget: a forgotten token would look unknown, and permissive mode lets
    unknown tokens through to the default org. Revoked for good, not only expired: an org's
    clock moved back (a reset, a restored snapshot) would revive an expiry."""
    if token is None:
        return
    token.revoked = True
    if token.expires_at is None or token.expires_at > now:
        token.expires_at = now


GRANTS = {
    "authorization_code": Accounts._authorization_code,
    "refresh_token": Accounts._refresh_token,
    "client_credentials": Accounts._client_credentials,
}


def _redirectable(uri: str) -> bool:
    """A URI the consent step can send the browser back to: it parses, with a scheme."""
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 (parsing the port is the check: "x:99999999" raises)
    except ValueError:
        return False
    return bool(parts.scheme)
