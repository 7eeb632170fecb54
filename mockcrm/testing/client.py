"""AdminClient: the admin API (`/__admin`) over HTTP, for tests, CI scripts and notebooks.

It works against any mockcrm: a `mockcrm serve` process, a container, the pytest plugin's live
server, or the in-process app (`mock_zoho().admin`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import requests

from mockcrm.core.auth import ACCESS_TOKEN_LIFETIME

ADMIN = "/__admin"
ADMIN_TOKEN_HEADER = "X-Admin-Token"
DEFAULT = "default"  # the admin API's name for the default org


class AdminError(RuntimeError):
    """An admin call that did not succeed: its status and the JSON (or text) it answered."""

    def __init__(self, method: str, path: str, status: int, body: Any) -> None:
        super().__init__(f"{method} {path} -> {status}: {body}")
        self.status = status
        self.body = body


@dataclass(frozen=True)
class OrgHandle:
    """An isolated org: its id, an access token that reaches only it, and the server's URL."""

    org_id: str
    token: str
    url: str

    @property
    def headers(self) -> dict[str, str]:
        """Zoho's auth header for this org's token."""
        return {"Authorization": f"Zoho-oauthtoken {self.token}"}


class AdminClient:
    def __init__(
        self,
        base_url: str,
        admin_token: str | None = None,
        session: requests.Session | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.timeout = timeout
        if admin_token:
            self.session.headers[ADMIN_TOKEN_HEADER] = admin_token

    def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        """One admin call; the parsed JSON body (None for an empty one) or AdminError."""
        params = {k: v for k, v in (params or {}).items() if v is not None}
        resp = self.session.request(
            method,
            self.url + ADMIN + path,
            json=json,
            params=params,
            timeout=self.timeout,
        )
        try:
            body = resp.json() if resp.content else None
        except ValueError:
            body = resp.text
        if resp.status_code >= 400:
            raise AdminError(method, ADMIN + path, resp.status_code, body)
        return body

    # -- health ---------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        return self.call("GET", "/health")

    # -- orgs -----------------------------------------------------------------------------------

    def create_org(
        self, seed: str = "zylker", fake_rules: int = 0, fake_seed: int = 0
    ) -> OrgHandle:
        body = {"seed": seed, "fake_rules": fake_rules, "fake_seed": fake_seed}
        created = self.call("POST", "/orgs", json=body)
        return OrgHandle(str(created["org_id"]), created["access_token"], self.url)

    def orgs(self) -> list[dict[str, Any]]:
        return self.call("GET", "/orgs")["orgs"]

    def org(self, org_id: str = DEFAULT) -> dict[str, Any]:
        return self.call("GET", f"/orgs/{org_id}")

    def delete_org(self, org_id: str) -> None:
        self.call("DELETE", f"/orgs/{org_id}")

    def reset(self, org_id: str | None = None) -> Any:
        """One org back to its seed, or every org when `org_id` is None."""
        return self.call("POST", f"/orgs/{org_id}/reset" if org_id else "/reset")

    def snapshot(self, org_id: str, name: str) -> Any:
        return self.call("POST", f"/orgs/{org_id}/snapshots", json={"name": name})

    def restore(self, org_id: str, name: str) -> Any:
        return self.call("POST", f"/orgs/{org_id}/snapshots/{quote(name, safe='')}/restore")

    def export_state(self, org_id: str = DEFAULT) -> dict[str, Any]:
        return self.call("GET", f"/orgs/{org_id}/state")

    def import_state(self, org_id: str, state: dict[str, Any]) -> Any:
        return self.call("PUT", f"/orgs/{org_id}/state", json=state)

    # -- request journal --------------------------------------------------------------------------

    def requests(
        self,
        org_id: str | None = None,
        method: str | None = None,
        path: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Journal entries, newest first; `path` matches a prefix."""
        params = {"org_id": org_id, "method": method, "path": path, "limit": limit}
        return self.call("GET", "/requests", params=params)["requests"]

    def engine_log(
        self,
        org_id: str,
        kind: str,
        rule_id: str | None = None,
        record_id: str | None = None,
        type: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """The engine's `outbox`, `executions` or `schedule` of an org, oldest first (with
        `limit`, the newest that many)."""
        params = {"rule_id": rule_id, "record_id": record_id, "type": type, "limit": limit}
        return self.call("GET", f"/orgs/{org_id}/{kind}", params=params)[kind]

    def count(
        self, org_id: str | None = None, method: str | None = None, path: str | None = None
    ) -> int:
        params = {"org_id": org_id, "method": method, "path": path}
        return int(self.call("GET", "/requests/count", params=params)["count"])

    def clear_requests(self) -> None:
        self.call("DELETE", "/requests")

    # -- faults ---------------------------------------------------------------------------------

    def fault(self, **spec: Any) -> str:
        """Inject a fault (`method`, `path`, `org_id`, `status`, `delay_ms`, `times`,
        `probability`, `seed`); returns its id."""
        return str(self.call("POST", "/faults", json=spec)["id"])

    def faults(self) -> list[dict[str, Any]]:
        return self.call("GET", "/faults")["faults"]

    def delete_fault(self, fault_id: str) -> None:
        self.call("DELETE", f"/faults/{fault_id}")

    def clear_faults(self) -> None:
        self.call("DELETE", "/faults")

    # -- API credits ----------------------------------------------------------------------------

    def credits(self, org_id: str = DEFAULT) -> dict[str, Any]:
        return self.call("GET", f"/orgs/{org_id}/credits")

    def set_credits(
        self, org_id: str, daily_limit: int | None, used: int | None = None
    ) -> dict[str, Any]:
        """A daily API-credit budget (None: unlimited); calls beyond it get Zoho's 429."""
        return self.call(
            "PUT", f"/orgs/{org_id}/credits", json={"daily_limit": daily_limit, "used": used}
        )

    # -- clock ----------------------------------------------------------------------------------

    def clock(self, org_id: str = DEFAULT) -> dict[str, Any]:
        """`{"org_id","now","time_zone","frozen"}` of an org's virtual clock."""
        return self.call("GET", "/clock", params={"org_id": org_id})

    def set_clock(
        self, org_id: str, now: datetime | str, freeze: bool | None = None
    ) -> dict[str, Any]:
        """Set an org's clock (`freeze=True` stops it there); a naive datetime is UTC."""
        when = now.isoformat() if isinstance(now, datetime) else now
        return self.call("PUT", "/clock", json={"org_id": org_id, "now": when, "freeze": freeze})

    def advance(self, org_id: str = DEFAULT, **units: int) -> dict[str, Any]:
        """Move an org's clock: `minutes=`, `hours=`, `days=` and/or `business_days=`."""
        return self.call("POST", "/clock/advance", json={"org_id": org_id, **units})

    # -- tokens ---------------------------------------------------------------------------------

    def issue_token(
        self,
        org_id: str,
        scopes: list[str] | None = None,
        expires_in: int | None = ACCESS_TOKEN_LIFETIME,
    ) -> str:
        """An access token for the org: all scopes unless given; an hour's life, or
        `expires_in` seconds (None: it never expires, as the admin API's null)."""
        body: dict[str, Any] = {"org_id": org_id, "expires_in": expires_in}
        if scopes is not None:
            body["scopes"] = list(scopes)
        return self.call("POST", "/tokens", json=body)["access_token"]
