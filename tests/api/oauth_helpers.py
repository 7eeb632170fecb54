"""The client, scopes, clock and grant helpers both OAuth test files (test_oauth.py,
test_oauth_tokens.py) use. `frozen` and `strict` are fixtures: a test file imports
`frozen_org` / `strict_client` (registered under the names `frozen` / `strict`, so the test
parameters do not shadow the imports)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

import pytest

from mockcrm.app import create_app
from mockcrm.settings import Settings

TOKEN_URL = "/oauth/v2/token"
AUTH_URL = "/oauth/v2/auth"
TOKEN = re.compile(r"^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$")
BASE = "http://localhost"  # the test client's host: api_domain and accounts-server point here
CLIENT = {"client_id": "1000.CLIENTID", "client_secret": "s3cret"}
REDIRECT = "https://app.example/callback"
SCOPES = "ZohoCRM.settings.workflow_rules.READ,ZohoCRM.modules.deals.ALL"
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
RULES_COUNT = "/crm/v8/settings/automation/workflow_rules/actions/rules_count"


@pytest.fixture(name="frozen")
def frozen_org(org):
    org.clock.set(NOW, freeze=True)
    return org


@pytest.fixture(name="strict")
def strict_client(store):
    return create_app(Settings(auth="strict"), store=store).test_client()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Zoho-oauthtoken {token}"}


def tokens_state(store) -> dict:
    """Every token as data, so a changed expiry shows too."""
    return {v: {**t.as_dict(), "refresh": t.refresh} for v, t in store.tokens.items()}


def crm_error(code: str, message: str) -> dict:
    return {"code": code, "details": {}, "message": message, "status": "error"}


def authorize(client, **params: str) -> dict[str, str]:
    """The consent redirect's query parameters."""
    query = {"client_id": CLIENT["client_id"], "response_type": "code", "redirect_uri": REDIRECT}
    query.update({"scope": SCOPES, "access_type": "offline", **params})
    resp = client.get(AUTH_URL, query_string=query)
    assert resp.status_code == 302, resp.data
    return dict(parse_qsl(urlsplit(resp.headers["Location"]).query))


def exchange(client, code: str, **extra: str):
    data = {**CLIENT, "grant_type": "authorization_code", "redirect_uri": REDIRECT, "code": code}
    return client.post(TOKEN_URL, data={**data, **extra})


def refresh(client, refresh_token: str, **extra: str):
    data = {**CLIENT, "grant_type": "refresh_token", "refresh_token": refresh_token}
    return client.post(TOKEN_URL, data={**data, **extra})


def offline_tokens(client) -> dict:
    resp = exchange(client, authorize(client)["code"])
    assert resp.status_code == 200 and "refresh_token" in resp.json, resp.json
    return resp.json
