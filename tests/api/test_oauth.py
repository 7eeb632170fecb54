"""Zoho's accounts server on mockcrm: /oauth/v2/auth and the authorization_code grant of
/oauth/v2/token (fact sheet core §7), and how the tokens it hands out are checked on the CRM API.
The refresh_token and client_credentials grants, request errors, expiry and revocation:
test_oauth_tokens.py."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from oauth_helpers import (  # noqa: F401 (fixtures frozen, strict)
    AUTH_URL,
    BASE,
    CLIENT,
    NOW,
    REDIRECT,
    RULES_COUNT,
    SCOPES,
    TOKEN,
    authorize,
    bearer,
    crm_error,
    exchange,
    frozen_org,
    offline_tokens,
    refresh,
    strict_client,
    tokens_state,
)

from mockcrm.core import oauth

DEALS = "/crm/v8/Deals?fields=Deal_Name"


# -- /oauth/v2/auth --------------------------------------------------------------------------


def test_authorize_redirects_back_with_a_code(client, store):
    resp = client.get(
        AUTH_URL,
        query_string={
            **{"client_id": "1000.CLIENTID", "response_type": "code", "scope": SCOPES},
            **{"redirect_uri": f"{REDIRECT}?tenant=7", "access_type": "offline", "state": "xyz"},
        },
    )
    assert resp.status_code == 302 and resp.data == b""
    assert "Content-Type" not in resp.headers
    target = urlsplit(resp.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == REDIRECT
    query = parse_qsl(target.query)
    assert [k for k, _ in query] == ["tenant", "state", "code", "location", "accounts-server"]
    values = dict(query)
    assert values["tenant"] == "7" and values["state"] == "xyz" and values["location"] == "us"
    assert values["accounts-server"] == BASE and TOKEN.match(values["code"])
    assert values["code"] not in store.tokens  # a code is not a token


@pytest.mark.parametrize(
    ("drop", "override", "error"),
    [
        ("client_id", {}, "invalid_client"),
        ("redirect_uri", {}, "invalid_redirect_uri"),
        ("scope", {}, "invalid_scope"),
        (None, {"scope": " , "}, "invalid_scope"),
        (None, {"response_type": "token"}, "unsupported_response_type"),
        (None, {"org_id": "123"}, "missing_org_info"),
        # Once a 500 with the code already stored: a URI the browser cannot be sent back to.
        (None, {"redirect_uri": "http://[::1"}, "invalid_redirect_uri"),
        (None, {"redirect_uri": "http://x:99999999"}, "invalid_redirect_uri"),
        (None, {"redirect_uri": "no-scheme"}, "invalid_redirect_uri"),
    ],
)
def test_authorize_errors_are_json_and_issue_nothing(client, app, drop, override, error):
    query = {**CLIENT, "response_type": "code", "redirect_uri": REDIRECT, "scope": SCOPES}
    query.pop(drop, None)
    resp = client.get(AUTH_URL, query_string={**query, **override})
    assert resp.status_code == 400
    assert resp.headers["Content-Type"] == "application/json;charset=UTF-8"
    assert resp.json == {"error": error}
    assert app.extensions["mockcrm.accounts"].codes == {}


def test_authorize_for_an_isolated_org(client, store):
    other = store.create_org("zylker")
    code = authorize(client, org_id=other.id)["code"]
    access = exchange(client, code).json["access_token"]
    assert store.tokens[access].org_id == other.id


# -- authorization_code ------------------------------------------------------------------------


def test_authorization_code_grant(client, store, frozen):
    code = authorize(client)["code"]
    resp = exchange(client, code)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/json;charset=UTF-8"
    body = resp.json
    keys = "access_token refresh_token scope api_domain token_type expires_in"
    assert list(body) == keys.split()
    assert TOKEN.match(body["access_token"]) and TOKEN.match(body["refresh_token"])
    assert body["scope"] == "ZohoCRM.modules.deals.ALL ZohoCRM.settings.workflow_rules.READ"
    assert body["api_domain"] == BASE
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    scopes = ["ZohoCRM.modules.deals.ALL", "ZohoCRM.settings.workflow_rules.READ"]
    access = store.tokens[body["access_token"]]
    assert access.as_dict() == {
        "org_id": frozen.id,
        "scopes": scopes,
        "expires_at": (NOW + timedelta(hours=1)).isoformat(),
    }
    assert access.refresh is False
    held = store.tokens[body["refresh_token"]]
    assert held.refresh is True
    assert held.as_dict() == {"org_id": frozen.id, "scopes": scopes, "expires_at": None}


def test_code_grant_scopes_are_enforced_on_the_crm_api(client):
    access = offline_tokens(client)["access_token"]
    assert client.get(RULES_COUNT, headers=bearer(access)).status_code == 200
    assert client.get(DEALS, headers=bearer(access)).status_code == 200
    refused = client.get("/crm/v8/settings/automation/field_updates", headers=bearer(access))
    assert refused.status_code == 401
    assert refused.json == crm_error(
        "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL"
    )


def test_online_access_gets_no_refresh_token(client, store):
    body = exchange(client, authorize(client, access_type="online")["code"]).json
    assert "refresh_token" not in body and TOKEN.match(body["access_token"])
    assert [t.refresh for t in store.tokens.values()] == [False]


def test_codes_are_single_use(client, store):
    code = authorize(client)["code"]
    assert exchange(client, code).status_code == 200
    before = tokens_state(store)
    again = exchange(client, code)
    assert again.status_code == 200 and again.json == {"error": "invalid_code"}
    assert tokens_state(store) == before


def test_only_the_newest_codes_are_remembered(strict, monkeypatch):
    """A long-running server keeps MAX_CODES codes, not every code it ever issued."""
    monkeypatch.setattr(oauth, "MAX_CODES", 3)
    codes = [authorize(strict)["code"] for _ in range(5)]
    assert exchange(strict, codes[0]).json == {"error": "invalid_code"}  # forgotten: unknown
    assert "access_token" in exchange(strict, codes[-1]).json


def test_codes_expire_on_the_virtual_clock(client, store, frozen):
    code = authorize(client)["code"]
    frozen.clock.advance(timedelta(seconds=120))
    resp = exchange(client, code)
    assert resp.status_code == 200 and resp.json == {"error": "invalid_code"}
    assert store.tokens == {}


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ({"client_id": "1000.OTHER"}, "invalid_client"),
        ({"redirect_uri": "https://evil.example/cb"}, "invalid_redirect_uri"),
        ({"client_secret": ""}, "invalid_client"),
    ],
)
def test_code_bound_to_client_and_redirect(client, store, extra, error):
    code = authorize(client)["code"]
    resp = exchange(client, code, **extra)
    assert resp.status_code == 200 and resp.json == {"error": error}
    assert store.tokens == {}
    # A refused exchange does not spend the code.
    assert exchange(client, code).status_code == 200


@pytest.mark.parametrize("grant", [exchange, refresh], ids=["code", "refresh_token"])
def test_strict_mode_refuses_unknown_codes_and_refresh_tokens(strict, store, grant):
    resp = grant(strict, "1000.unknown.value")
    assert resp.status_code == 200 and resp.json == {"error": "invalid_code"}
    assert store.tokens == {}


def test_permissive_mode_accepts_an_unknown_code_once(client, store, org):
    body = exchange(client, "1000.from.real.zoho").json
    assert body["scope"] == "ZohoCRM.ALL" and body["api_domain"] == BASE
    assert store.tokens[body["access_token"]].org_id == org.id
    assert store.tokens[body["refresh_token"]].refresh is True
    assert exchange(client, "1000.from.real.zoho").json == {"error": "invalid_code"}
