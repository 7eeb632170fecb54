"""Zoho's accounts server on mockcrm: /oauth/v2/auth, /oauth/v2/token (authorization_code,
refresh_token, client_credentials) and /oauth/v2/token/revoke (fact sheet core §7), and how the
tokens it hands out are checked on the CRM API."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest

from mockcrm.app import create_app
from mockcrm.core.oauth import MAX_ACCESS_PER_REFRESH
from mockcrm.settings import Settings

TOKEN_URL = "/oauth/v2/token"
AUTH_URL = "/oauth/v2/auth"
REVOKE_URL = "/oauth/v2/token/revoke"
TOKEN = re.compile(r"^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$")
BASE = "http://localhost"  # the test client's host: api_domain and accounts-server point here
CLIENT = {"client_id": "1000.CLIENTID", "client_secret": "s3cret"}
REDIRECT = "https://app.example/callback"
SCOPES = "ZohoCRM.settings.workflow_rules.READ,ZohoCRM.modules.deals.ALL"
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
RULES_COUNT = "/crm/v8/settings/automation/workflow_rules/actions/rules_count"
DEALS = "/crm/v8/Deals?fields=Deal_Name"


@pytest.fixture
def frozen(org):
    org.clock.set(NOW, freeze=True)
    return org


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def strict(store):
    return create_app(Settings(auth="strict"), store=store).test_client()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Zoho-oauthtoken {token}"}


def tokens_state(store) -> dict:
    """Every token as data, so a changed expiry shows too."""
    return {v: {**t.as_dict(), "refresh": t.refresh} for v, t in store.tokens.items()}


def crm_error(code: str, message: str) -> dict:
    return {"code": code, "details": {}, "message": message, "status": "error"}


INVALID_TOKEN = crm_error("INVALID_TOKEN", "invalid oauth token")


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


# -- refresh_token -------------------------------------------------------------------------------


def _basic(client_id: str, client_secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


@pytest.mark.parametrize("transport", ["form", "query", "basic"])
def test_refresh_grant(client, store, frozen, transport):
    tokens = offline_tokens(client)
    params = {**CLIENT, "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    if transport == "form":
        resp = client.post(TOKEN_URL, data=params)
    elif transport == "query":
        resp = client.post(TOKEN_URL, query_string=params)
    else:
        del params["client_id"], params["client_secret"]
        resp = client.post(TOKEN_URL, data=params, headers=_basic(**CLIENT))
    assert resp.status_code == 200
    body = resp.json
    access = body.pop("access_token")
    assert TOKEN.match(access) and access != tokens["access_token"]
    assert body == {
        "scope": "ZohoCRM.modules.deals.ALL ZohoCRM.settings.workflow_rules.READ",
        "api_domain": BASE,
        "token_type": "Bearer",
        "expires_in": 3600,
    }
    issued = store.tokens[access]
    assert issued.scopes == store.tokens[tokens["refresh_token"]].scopes
    assert issued.org_id == frozen.id and issued.expires_at == NOW + timedelta(hours=1)
    assert client.get(RULES_COUNT, headers=bearer(access)).status_code == 200
    # The first access token stays valid: a refresh adds a token, it does not rotate.
    assert client.get(RULES_COUNT, headers=bearer(tokens["access_token"])).status_code == 200


def test_refresh_token_is_not_an_access_token(client):
    held = offline_tokens(client)["refresh_token"]
    resp = client.get(RULES_COUNT, headers=bearer(held))
    assert resp.status_code == 401 and resp.json == INVALID_TOKEN


def test_access_token_is_not_a_refresh_token(client, store):
    access = offline_tokens(client)["access_token"]
    before = tokens_state(store)
    assert refresh(client, access).json == {"error": "invalid_code"}
    assert tokens_state(store) == before


def test_refresh_token_bound_to_its_client(client, store):
    held = offline_tokens(client)["refresh_token"]
    before = tokens_state(store)
    assert refresh(client, held, client_id="1000.OTHER").json == {"error": "invalid_client"}
    assert tokens_state(store) == before


def test_seeded_refresh_token_keeps_its_org_and_scopes(client, store):
    other = store.create_org("zylker")
    seeded = store.issue_token(
        other.id, frozenset({"ZohoCRM.org.READ"}), None, other.clock.now(), refresh=True
    )
    body = refresh(client, seeded.value).json
    assert body["scope"] == "ZohoCRM.org.READ"
    resp = client.get("/crm/v8/org", headers=bearer(body["access_token"]))
    assert resp.status_code == 200 and resp.json["org"][0]["id"] == other.id
    assert client.get(RULES_COUNT, headers=bearer(body["access_token"])).status_code == 401


def test_permissive_mode_accepts_unknown_refresh_tokens(client, store, org):
    body = refresh(client, "1000.real.zoho.refresh").json
    assert "refresh_token" not in body and body["scope"] == "ZohoCRM.ALL"
    issued = store.tokens[body["access_token"]]
    assert issued.org_id == org.id and issued.scopes == frozenset({"ZohoCRM.ALL"})


def test_at_most_thirty_access_tokens_per_refresh_token(client, store):
    tokens = offline_tokens(client)
    issued = [tokens["access_token"]]
    issued += [refresh(client, tokens["refresh_token"]).json["access_token"] for _ in range(30)]
    assert len(issued) == MAX_ACCESS_PER_REFRESH + 1
    oldest = client.get(RULES_COUNT, headers=bearer(issued[0]))
    assert oldest.status_code == 401 and oldest.json == INVALID_TOKEN
    for token in (issued[1], issued[-1]):
        assert client.get(RULES_COUNT, headers=bearer(token)).status_code == 200


# -- client_credentials ----------------------------------------------------------------------


def client_credentials(client, **params: str):
    data = {**CLIENT, "grant_type": "client_credentials", "scope": "ZohoCRM.org.READ", **params}
    return client.post(TOKEN_URL, data=data)


def test_client_credentials_grant_reaches_only_its_org(client, store):
    other = store.create_org("zylker")
    other.clock.set(NOW, freeze=True)
    resp = client_credentials(client, soid=f"ZohoCRM.{other.id}", scope="ZohoCRM.org.ALL")
    assert resp.status_code == 200
    body = resp.json
    access = body.pop("access_token")
    assert body == {
        "scope": "ZohoCRM.org.ALL",
        "api_domain": BASE,
        "token_type": "Bearer",
        "expires_in": 3600,
    }
    assert store.tokens[access].expires_at == NOW + timedelta(hours=1)
    resp = client.get("/crm/v8/org", headers=bearer(access))
    assert resp.status_code == 200 and resp.json["org"][0]["id"] == other.id
    elsewhere = client.get("/crm/v8/org", headers={**bearer(access), "X-CRM-ORG": store.org().id})
    assert elsewhere.status_code == 401 and elsewhere.json == INVALID_TOKEN


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({}, "missing_org_info"),
        ({"soid": "4876876"}, "missing_org_info"),
        ({"soid": "ZohoCRM.abc"}, "missing_org_info"),
        ({"soid": "ZohoCRM.{org}", "scope": ""}, "invalid_scope"),
    ],
)
def test_client_credentials_errors(client, store, org, params, error):
    params = {k: v.format(org=org.id) for k, v in params.items()}
    resp = client_credentials(client, **params)
    assert resp.status_code == 200 and resp.json == {"error": error}
    assert store.tokens == {}


def test_client_credentials_for_an_unknown_org(client, strict, store, org):
    assert client_credentials(strict, soid="ZohoCRM.55555").json == {"error": "missing_org_info"}
    assert store.tokens == {}
    # Permissive: an org id from real Zoho lands on the default org.
    access = client_credentials(client, soid="ZohoCRM.55555").json["access_token"]
    assert store.tokens[access].org_id == org.id


# -- request-level errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "unsupported_grant_type"),
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({"grant_type": "refresh_token", "client_id": ""}, "invalid_client"),
        ({"grant_type": "refresh_token", "client_secret": ""}, "invalid_client"),
        ({"grant_type": "refresh_token", "refresh_token": ""}, "invalid_code"),
        ({"grant_type": "authorization_code", "code": ""}, "invalid_code"),
    ],
)
def test_bad_grants(client, store, data, error):
    resp = client.post(TOKEN_URL, data={**CLIENT, **data})
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/json;charset=UTF-8"
    assert resp.json == {"error": error}
    assert store.tokens == {}


def test_token_endpoint_is_post_only(client):
    resp = client.get(TOKEN_URL)
    assert resp.status_code == 400
    assert resp.json == crm_error(
        "INVALID_REQUEST_METHOD", "The http request method type is not a valid one"
    )


def test_token_calls_are_journaled(client, store):
    offline_tokens(client)
    (entry,) = store.journal.query(method="POST", path=TOKEN_URL)
    assert entry.status == 200 and "grant_type=authorization_code" in entry.request_body


# -- expiry and revocation -------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["permissive", "strict"])
def test_issued_tokens_expire_on_the_virtual_clock(store, frozen, mode):
    client = create_app(Settings(auth=mode), store=store).test_client()
    access = offline_tokens(client)["access_token"]
    frozen.clock.advance(timedelta(seconds=3599))
    assert client.get(RULES_COUNT, headers=bearer(access)).status_code == 200
    frozen.clock.advance(timedelta(seconds=1))
    resp = client.get(RULES_COUNT, headers=bearer(access))
    assert resp.status_code == 401 and resp.json == INVALID_TOKEN


@pytest.mark.parametrize("mode", ["permissive", "strict"])
@pytest.mark.parametrize("transport", ["query", "form"])
def test_revoking_a_refresh_token_revokes_its_access_tokens(store, mode, transport):
    client = create_app(Settings(auth=mode), store=store).test_client()
    tokens = offline_tokens(client)
    second = refresh(client, tokens["refresh_token"]).json["access_token"]
    held = {"token": tokens["refresh_token"]}
    if transport == "query":
        resp = client.post(REVOKE_URL, query_string=held)
    else:
        resp = client.post(REVOKE_URL, data=held)
    assert resp.status_code == 200 and resp.json == {"status": "success"}
    assert refresh(client, tokens["refresh_token"]).json == {"error": "invalid_code"}
    for access in (tokens["access_token"], second):
        # Still known to mockcrm, so even permissive mode refuses it.
        resp = client.get(RULES_COUNT, headers=bearer(access))
        assert resp.status_code == 401 and resp.json == INVALID_TOKEN


def test_revoking_an_access_token_or_an_unknown_token(client, store):
    tokens = offline_tokens(client)
    assert client.post(REVOKE_URL, data={"token": tokens["access_token"]}).json == {
        "status": "success"
    }
    resp = client.get(RULES_COUNT, headers=bearer(tokens["access_token"]))
    assert resp.status_code == 401 and resp.json == INVALID_TOKEN
    # The refresh token survives and still grants.
    assert "access_token" in refresh(client, tokens["refresh_token"]).json
    before = tokens_state(store)
    resp = client.post(REVOKE_URL, query_string={"token": "1000.never.issued"})
    assert resp.status_code == 200 and resp.json == {"status": "success"}
    assert tokens_state(store) == before
