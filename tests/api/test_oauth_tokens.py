"""Zoho's accounts server on mockcrm: the refresh_token and client_credentials grants of
/oauth/v2/token, its request-level errors, token expiry and /oauth/v2/token/revoke (fact sheet
core §7). /oauth/v2/auth and the authorization_code grant: test_oauth.py."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from oauth_helpers import (  # noqa: F401 (fixtures frozen, strict)
    AUTH_URL,
    BASE,
    CLIENT,
    NOW,
    RULES_COUNT,
    TOKEN,
    TOKEN_URL,
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

from mockcrm.app import create_app
from mockcrm.core import persistence
from mockcrm.core.oauth import MAX_ACCESS_PER_REFRESH
from mockcrm.core.store import Store
from mockcrm.seed.loader import load_seed
from mockcrm.settings import Settings

REVOKE_URL = "/oauth/v2/token/revoke"
INVALID_TOKEN = crm_error("INVALID_TOKEN", "invalid oauth token")


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


def test_refresh_token_bound_to_its_client_secret(client, store):
    """A refresh token is bound to the client credentials of the grant that issued it: another
    secret is Zoho's invalid_client_secret (HTTP 200), and nothing is issued. A refused grant
    teaches mockcrm nothing: there is no client registry."""
    held = offline_tokens(client)["refresh_token"]
    before = tokens_state(store)
    wrong = refresh(client, held, client_secret="not-it")
    assert (wrong.status_code, wrong.json) == (200, {"error": "invalid_client_secret"})
    assert tokens_state(store) == before
    assert "access_token" in refresh(client, held).json
    other = offline_tokens(client)  # the same client, another grant: still its own secret
    assert "access_token" in refresh(client, other["refresh_token"]).json


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


def test_accounts_calls_belong_to_the_org_they_act_for(client, store, org):
    """Journal and faults file an accounts call under the org its code, token, org_id or soid
    names (the pytest plugin scopes both to the test's org), else under the default org."""
    other = store.create_org("zylker")
    authorize(client, org_id=other.id)
    store.faults.add(method="POST", path=TOKEN_URL, org_id=other.id, status=500, times=1)
    code = authorize(client, org_id=other.id)["code"]
    failed = exchange(client, code)  # the fault fires before the code is used
    assert failed.status_code == 500
    assert failed.json == crm_error("INTERNAL_ERROR", "Internal Server Error")
    tokens = exchange(client, code).json
    refresh(client, tokens["refresh_token"])
    client.post(REVOKE_URL, data={"token": tokens["access_token"]})
    soid = {**CLIENT, "grant_type": "client_credentials", "soid": f"ZohoCRM.{other.id}"}
    client.post(TOKEN_URL, data={**soid, "scope": "ZohoCRM.modules.ALL"})
    calls = [(e.method, e.path, e.status) for e in store.journal.query(org_id=other.id)]
    assert calls[::-1] == [
        ("GET", AUTH_URL, 302),
        ("GET", AUTH_URL, 302),
        ("POST", TOKEN_URL, 500),
        ("POST", TOKEN_URL, 200),
        ("POST", TOKEN_URL, 200),
        ("POST", REVOKE_URL, 200),
        ("POST", TOKEN_URL, 200),
    ]
    assert store.journal.query(org_id=org.id) == []
    exchange(client, "1000.never.issued")  # names no org: the default org's
    (entry,) = store.journal.query(org_id=org.id)
    assert entry.path == TOKEN_URL


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


def test_grants_survive_a_restart(client, store, zylker_seed, tmp_path):
    """A refresh token's client, and the access tokens it granted, are on the tokens, so the
    state file keeps them: after a restart another client still cannot use it, and revoking
    it still revokes what it granted. The file holds the secret's digest, not the secret."""
    tokens = offline_tokens(client)
    persistence.save(store, tmp_path / "state.json")
    assert CLIENT["client_secret"] not in (tmp_path / "state.json").read_text()
    restarted = Store(seed_loader=load_seed)
    restarted.add_seed("zylker", zylker_seed, default=True)
    persistence.load(restarted, tmp_path / "state.json")
    again = create_app(Settings(auth="strict"), store=restarted).test_client()
    stolen = {"client_id": "1000.EVIL", "client_secret": "x"}
    assert refresh(again, tokens["refresh_token"], **stolen).json == {"error": "invalid_client"}
    wrong = {"client_secret": "guess"}
    assert refresh(again, tokens["refresh_token"], **wrong).json == {
        "error": "invalid_client_secret"
    }
    assert "access_token" in refresh(again, tokens["refresh_token"]).json
    again.post(REVOKE_URL, data={"token": tokens["refresh_token"]})
    resp = again.get(RULES_COUNT, headers=bearer(tokens["access_token"]))
    assert resp.status_code == 401 and resp.json == INVALID_TOKEN


@pytest.mark.parametrize("back", ["clock", "reset", "restore"])
def test_a_revoked_token_stays_revoked_when_the_org_s_clock_goes_back(client, store, frozen, back):
    """Revocation is for good: it was an expiry at the org's "now", so a clock moved back (an
    admin clock call, a reset to the seed's clock, an earlier snapshot) revived the token."""
    client.post("/__admin/orgs/default/snapshots", json={"name": "before"})
    tokens = offline_tokens(client)
    frozen.clock.advance(timedelta(days=2))
    client.post(REVOKE_URL, data={"token": tokens["refresh_token"]})
    if back == "clock":
        client.put("/__admin/clock", json={"now": "2020-01-01T00:00:00Z"})
    elif back == "reset":
        client.post("/__admin/orgs/default/reset")
    else:
        client.post("/__admin/orgs/default/snapshots/before/restore")
    resp = client.get(RULES_COUNT, headers=bearer(tokens["access_token"]))
    assert resp.status_code == 401 and resp.json == INVALID_TOKEN
    assert refresh(client, tokens["refresh_token"]).json == {"error": "invalid_code"}


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
