"""The admin API (/__admin): health, orgs and isolation, reset, snapshots, state, journal,
faults, clock, tokens, --no-admin and the admin token. Exact bodies throughout."""

from __future__ import annotations

import pytest
from oas import validate_response
from rules_helpers import RULES, VP_ALERT

import mockcrm
from mockcrm.api import admin as admin_api
from mockcrm.api import hooks
from mockcrm.app import create_app
from mockcrm.core.faults import TOO_MANY_REQUESTS
from mockcrm.core.journal import REDACTED
from mockcrm.settings import Settings

ADMIN = "/__admin"
TAGS = "/crm/v8/settings/tags"


def err(code, message, details=None):
    return {"code": code, "details": details or {}, "message": message, "status": "error"}


def bad(api_name, message, **extra):
    return err(
        "INVALID_DATA", message, {"api_name": api_name, **extra, "json_path": f"$.{api_name}"}
    )


def not_found(key, value, what="org"):
    return err("NOT_FOUND", f"{what} not found", {key: value})


INVALID_TOKEN = err("INVALID_TOKEN", "invalid oauth token")


@pytest.fixture
def client(app):
    return app.test_client()


def new_org(client, **body):
    resp = client.post(f"{ADMIN}/orgs", json=body)
    assert resp.status_code == 201 and set(resp.json) == {"org_id", "access_token"}
    return resp.json["org_id"], {"Authorization": f"Zoho-oauthtoken {resp.json['access_token']}"}


def state_of(org) -> dict:
    return org.to_state()


# --- health, ready, errors --------------------------------------------------------------------


def test_health_and_ready(client):
    resp = client.get(f"{ADMIN}/health")
    assert (
        resp.status_code == 200 and resp.headers["Content-Type"] == "application/json;charset=UTF-8"
    )
    assert resp.json == {"status": "ok", "version": mockcrm.__version__}
    assert client.get(f"{ADMIN}/ready").json == {"status": "ready", "orgs": 1}


def test_admin_errors_are_json(client):
    assert client.get(f"{ADMIN}/nope").json == err(
        "INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one"
    )
    resp = client.patch(f"{ADMIN}/orgs")
    assert resp.status_code == 400
    assert resp.json == err(
        "INVALID_REQUEST_METHOD", "The http request method type is not a valid one"
    )
    resp = client.post(f"{ADMIN}/orgs", data="{no", content_type="application/json")
    assert resp.status_code == 400
    assert resp.json == err(
        "INVALID_DATA", "either the request body or parameters is in wrong format"
    )
    resp = client.post(f"{ADMIN}/orgs", json=[1])
    assert resp.status_code == 400
    body_type = {"api_name": "body", "expected_data_type": "jsonobject", "json_path": "$"}
    assert resp.json == err("INVALID_DATA", "Invalid data type", body_type)


# --- orgs and isolation -----------------------------------------------------------------------


def test_create_org_token_reaches_only_that_org(client, store, org):
    before = state_of(org)
    org_id, auth = new_org(client)
    assert org_id == "7000000000000000001" and org_id in store.orgs
    rules = client.get(RULES, headers=auth)
    assert rules.status_code == 200
    validate_response("workflow_rules", "getWorkflowRules", 200, rules.json)
    # A write in the new org...
    deleted = client.delete(f"{RULES}/{VP_ALERT}", headers=auth)
    assert deleted.status_code == 200 and VP_ALERT not in store.orgs[org_id].rules
    # ...leaves the default org as it was.
    assert VP_ALERT in org.rules and state_of(org) == before
    # The token belongs to its org: asking for another is Zoho's INVALID_TOKEN.
    other = client.get(RULES, headers={**auth, "X-CRM-ORG": org.id})
    assert other.status_code == 401 and other.json == INVALID_TOKEN


def test_create_org_options_and_errors(client, store, org):
    org_id, _ = new_org(client, seed="empty")
    assert store.orgs[org_id].rules == {}
    fake_id, _ = new_org(client, seed="zylker", fake_rules=5, fake_seed=2)
    assert len(store.orgs[fake_id].rules) == len(org.rules) + 5
    count = len(store.orgs)
    cases = [
        ({"seed": "acme"}, bad("seed", "the value must be one of zylker, empty")),
        ({"fake_rules": "5"}, bad("fake_rules", "Invalid data type", expected_data_type="integer")),
        ({"fake_rules": -1}, bad("fake_rules", "the value must be within 0..10000")),
    ]
    for body, expected in cases:
        resp = client.post(f"{ADMIN}/orgs", json=body)
        assert resp.status_code == 400 and resp.json == expected
    assert len(store.orgs) == count


def test_list_get_and_delete_orgs(client, store, org):
    org_id, auth = new_org(client, seed="empty")
    client.post(f"{ADMIN}/orgs/{org_id}/snapshots", json={"name": "s1"})
    default_item = {"org_id": org.id, "name": "Zylker Cloud Services", "default": True,
                    "seed": "zylker", "fake_rules": 0, "fake_seed": 0, "snapshots": []}  # fmt: skip
    new_item = {**default_item, "org_id": org_id, "default": False, "seed": "empty",
                "snapshots": ["s1"]}  # fmt: skip
    assert client.get(f"{ADMIN}/orgs").json == {"orgs": [default_item, new_item]}
    assert client.get(f"{ADMIN}/orgs/default").json == default_item
    assert client.get(f"{ADMIN}/orgs/{org_id}").json == new_item
    resp = client.get(f"{ADMIN}/orgs/123")
    assert resp.status_code == 404 and resp.json == not_found("org_id", "123")

    resp = client.delete(f"{ADMIN}/orgs/{org_id}")
    assert resp.status_code == 200 and resp.json == {"org_id": org_id, "deleted": True}
    assert org_id not in store.orgs
    gone = client.get(RULES, headers=auth)  # its token reaches nothing any more
    assert gone.status_code == 401 and gone.json == INVALID_TOKEN
    assert client.delete(f"{ADMIN}/orgs/{org_id}").json == not_found("org_id", org_id)
    resp = client.delete(f"{ADMIN}/orgs/default")
    assert resp.status_code == 400
    assert resp.json == err("NOT_ALLOWED", "the default org cannot be deleted", {"org_id": org.id})
    assert org.id in store.orgs


# --- reset, snapshots, state ------------------------------------------------------------------


def test_reset_all_and_one(client, store, org):
    org_id, _ = new_org(client)
    store.orgs[org_id].rules.clear()
    org.rules.clear()
    resp = client.post(f"{ADMIN}/orgs/{org_id}/reset")
    assert resp.status_code == 200 and resp.json == {"org_id": org_id}
    assert VP_ALERT in store.orgs[org_id].rules and not store.default_org().rules
    resp = client.post(f"{ADMIN}/reset")
    assert resp.status_code == 200 and resp.json == {"org_ids": [org.id, org_id]}
    assert VP_ALERT in store.default_org().rules
    assert client.post(f"{ADMIN}/orgs/999/reset").json == not_found("org_id", "999")


def test_snapshot_and_restore(client, store):
    org_id, auth = new_org(client)
    resp = client.post(f"{ADMIN}/orgs/{org_id}/snapshots", json={"name": "clean"})
    assert resp.status_code == 201 and resp.json == {"org_id": org_id, "name": "clean"}
    client.delete(f"{RULES}/{VP_ALERT}", headers=auth)
    assert VP_ALERT not in store.orgs[org_id].rules
    resp = client.post(f"{ADMIN}/orgs/{org_id}/snapshots/clean/restore")
    assert resp.status_code == 200 and resp.json == {"org_id": org_id, "name": "clean"}
    assert VP_ALERT in store.orgs[org_id].rules
    resp = client.post(f"{ADMIN}/orgs/{org_id}/snapshots/nope/restore")
    assert resp.status_code == 404 and resp.json == not_found("name", "nope", "snapshot")
    resp = client.post(f"{ADMIN}/orgs/{org_id}/snapshots", json={})
    assert resp.status_code == 400
    assert resp.json == err("MANDATORY_NOT_FOUND", "Required field is missing",
                            {"api_name": "name", "json_path": "$.name"})  # fmt: skip
    resp = client.post(f"{ADMIN}/orgs/{org_id}/snapshots", json={"name": ""})
    assert resp.json == bad("name", "the name must have 1 to 100 characters")
    assert list(store.snapshots[org_id]) == ["clean"]


def test_state_export_import_round_trip(client, store, org):
    source_id, auth = new_org(client)
    client.delete(f"{RULES}/{VP_ALERT}", headers=auth)
    client.put(
        f"{ADMIN}/clock", json={"org_id": source_id, "now": "2026-02-03T04:05:06Z", "freeze": True}
    )
    exported = client.get(f"{ADMIN}/orgs/{source_id}/state")
    assert exported.status_code == 200 and exported.json["id"] == source_id
    target_id, _ = new_org(client, seed="empty")
    resp = client.put(f"{ADMIN}/orgs/{target_id}/state", json=exported.json)
    assert resp.status_code == 200 and resp.json == {"org_id": target_id}
    again = client.get(f"{ADMIN}/orgs/{target_id}/state").json
    assert again == {**exported.json, "id": target_id}
    assert VP_ALERT not in store.orgs[target_id].rules


@pytest.mark.parametrize(
    ("body", "api_name", "path"),
    [([], "state", "$"), ({"name": "x"}, "state", "$"), ({"rules": []}, "rules", "$.rules")],
)
def test_bad_state_changes_nothing(client, org, body, api_name, path):
    before = state_of(org)
    resp = client.put(f"{ADMIN}/orgs/default/state", json=body)
    assert resp.status_code == 400
    assert resp.json == err("INVALID_DATA", "the body is not an org state exported by mockcrm",
                            {"api_name": api_name, "json_path": path})  # fmt: skip
    assert state_of(org) == before


@pytest.mark.parametrize(
    "change",
    [
        {"time_zone": "Mars/Olympus"},
        {"clock": 5},
        {"ids": {"prefix": "4876876", "next": "x"}},
        {"api_credits": {"daily_limit": "x"}},
    ],
)
def test_inconsistent_state_is_refused(client, org, change):
    before = state_of(org)
    state = {**client.get(f"{ADMIN}/orgs/default/state").json, **change}
    resp = client.put(f"{ADMIN}/orgs/default/state", json=state)
    assert resp.status_code == 400 and resp.json["details"] == {
        "api_name": "state",
        "json_path": "$",
    }
    assert state_of(org) == before


# --- journal ----------------------------------------------------------------------------------


def test_journal_query_count_and_clear(client, org):
    org_id, auth = new_org(client)
    client.get(RULES, headers=auth)
    client.get(
        TAGS, headers={"Authorization": "Zoho-oauthtoken t"}, query_string={"module": "Leads"}
    )
    client.delete(f"{RULES}/{VP_ALERT}", headers=auth)
    everything = client.get(f"{ADMIN}/requests").json["requests"]
    assert [(e["method"], e["path"], e["org_id"]) for e in everything] == [
        ("DELETE", f"{RULES}/{VP_ALERT}", org_id),
        ("GET", TAGS, org.id),
        ("GET", RULES, org_id),
    ]
    entry = everything[1]
    assert entry["query"] == "module=Leads" and entry["status"] == 200
    assert entry["request_headers"]["Authorization"] == REDACTED
    assert entry["time"] == "2025-12-01T11:09:10+05:30"  # the org's virtual clock
    q = f"{ADMIN}/requests"
    of_org = client.get(q, query_string={"org_id": org_id}).json["requests"]
    assert [e["method"] for e in of_org] == ["DELETE", "GET"]
    assert len(client.get(q, query_string={"org_id": "default"}).json["requests"]) == 1
    assert len(client.get(q, query_string={"method": "delete"}).json["requests"]) == 1
    assert (
        len(client.get(q, query_string={"path": "/crm/v8/settings/automation"}).json["requests"])
        == 2
    )
    assert client.get(q, query_string={"limit": 1}).json["requests"] == everything[:1]
    assert client.get(f"{q}/count").json == {"count": 3}
    assert client.get(f"{q}/count", query_string={"org_id": org_id, "method": "GET"}).json == {
        "count": 1
    }
    resp = client.get(q, query_string={"limit": "0"})
    assert resp.status_code == 400
    assert resp.json == err(
        "INVALID_DATA", "The value provided to the param is Invalid", {"param_name": "limit"}
    )
    # Admin calls are never journaled; clearing empties it.
    assert client.delete(q).json == {"cleared": 3}
    assert client.get(f"{q}/count").json == {"count": 0}


def test_journal_is_capped_by_settings():
    app = create_app(Settings(journal_size=3))
    client = app.test_client()
    for n in range(5):
        client.get(f"{RULES}/{n}", headers={"Authorization": "Zoho-oauthtoken t"})
    entries = client.get(f"{ADMIN}/requests").json["requests"]
    assert [e["path"] for e in entries] == [f"{RULES}/4", f"{RULES}/3", f"{RULES}/2"]
    assert client.get(f"{ADMIN}/requests/count").json == {"count": 3}


# --- faults -----------------------------------------------------------------------------------


def test_fault_times_and_zoho_429(api, client):
    resp = client.post(
        f"{ADMIN}/faults", json={"method": "get", "path": RULES, "status": 429, "times": 2}
    )
    assert resp.status_code == 201 and resp.json == {"id": "1"}
    assert client.get(f"{ADMIN}/faults/1").json == {
        "id": "1", "method": "GET", "path": RULES, "org_id": None, "status": 429, "delay_ms": 0,
        "times": 2, "probability": 1.0, "seed": None, "hits": 0}  # fmt: skip
    assert api.post(RULES, json={}).status_code == 400  # another method: not faulted
    for _ in range(2):
        faulted = api.get(RULES)
        assert faulted.status_code == 429
        assert faulted.json == err("TOO_MANY_REQUESTS", TOO_MANY_REQUESTS)
    assert api.get(RULES).status_code == 200
    assert client.get(f"{ADMIN}/faults").json == {"faults": []}
    statuses = [
        e["status"]
        for e in client.get(f"{ADMIN}/requests", query_string={"method": "GET"}).json["requests"]
    ]
    assert statuses == [200, 429, 429]


def test_fault_probability_is_seeded(api, client):
    def run(seed: int) -> list[int]:
        client.delete(f"{ADMIN}/faults")
        client.post(f"{ADMIN}/faults", json={"status": 500, "probability": 0.5, "seed": seed})
        return [api.get(RULES).status_code for _ in range(16)]

    first = run(7)
    assert first == run(7) and set(first) == {200, 500} and first != run(8)


def test_fault_delay_is_applied_without_error(api, client, monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(hooks.time, "sleep", slept.append)
    fault_id = client.post(
        f"{ADMIN}/faults", json={"path": "/crm/v8/settings", "delay_ms": 250}
    ).json["id"]
    assert api.get(RULES).status_code == 200
    assert slept == [0.25]
    assert client.get(f"{ADMIN}/faults/{fault_id}").json["hits"] == 1
    client.get(f"{ADMIN}/health")  # admin calls are never faulted
    assert slept == [0.25]


def test_fault_for_one_org(client, org):
    org_id, auth = new_org(client)
    client.post(f"{ADMIN}/faults", json={"org_id": org_id, "status": 503})
    resp = client.get(RULES, headers=auth)
    assert resp.status_code == 503 and resp.json == err("INTERNAL_ERROR", "Internal Server Error")
    assert client.get(RULES, headers={"Authorization": "Zoho-oauthtoken t"}).status_code == 200
    resp = client.post(f"{ADMIN}/faults", json={"org_id": "default", "status": 500})
    assert client.get(f"{ADMIN}/faults/{resp.json['id']}").json["org_id"] == org.id


def test_fault_delete_and_errors(client):
    one = client.post(f"{ADMIN}/faults", json={"status": 500}).json["id"]
    client.post(f"{ADMIN}/faults", json={"status": 400})
    resp = client.delete(f"{ADMIN}/faults/{one}")
    assert resp.status_code == 200 and resp.json == {"id": one, "deleted": True}
    assert client.delete(f"{ADMIN}/faults/{one}").json == not_found("id", one, "fault")
    assert client.get(f"{ADMIN}/faults/{one}").status_code == 404
    assert client.delete(f"{ADMIN}/faults").json == {"cleared": 1}
    cases = [
        ({"status": 200}, bad("status", "the value must be within 400..599")),
        ({"status": 500, "probability": 2}, bad("probability", "the value must be within 0..1")),
        ({"status": 500, "times": 0}, bad("times", "the value must be within 1..")),
        ({"delay_ms": 60_001}, bad("delay_ms", "the value must be within 0..60000")),
        (
            {"method": "FETCH"},
            bad("method", "the value must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"),
        ),
    ]
    for body, expected in cases:
        resp = client.post(f"{ADMIN}/faults", json=body)
        assert resp.status_code == 400 and resp.json == expected
    resp = client.post(f"{ADMIN}/faults", json={"org_id": "42", "status": 500})
    assert resp.status_code == 404 and resp.json == not_found("org_id", "42")
    assert client.get(f"{ADMIN}/faults").json == {"faults": []}


# --- clock ------------------------------------------------------------------------------------


def clock(org_id, now, frozen=True):
    return {"org_id": org_id, "now": now, "time_zone": "Asia/Kolkata", "frozen": frozen}


def moved(body: dict) -> dict:
    """A clock set/advance answer without `ran` (what the engine ran; tested in tests/engine)."""
    body = dict(body)
    assert isinstance(body.pop("ran"), list)
    return body


def test_clock_get_set_advance(client, org):
    assert client.get(f"{ADMIN}/clock").json == clock(org.id, "2025-12-01T11:09:10+05:30")
    resp = client.put(f"{ADMIN}/clock", json={"now": "2026-03-06T09:00:00+05:30"})
    assert moved(resp.json) == clock(org.id, "2026-03-06T09:00:00+05:30")  # still frozen
    resp = client.post(f"{ADMIN}/clock/advance", json={"minutes": 30, "hours": 1, "days": 1})
    assert moved(resp.json) == clock(org.id, "2026-03-07T10:30:00+05:30")
    # The scheduler's business days (crm/calendar.py): a Saturday first rolls to Monday's 09:00
    # opening, so + 1 business day = Tuesday 09:00 (Zoho's rule); then 5 more keep the time.
    resp = client.post(f"{ADMIN}/clock/advance", json={"business_days": 1})
    assert moved(resp.json) == clock(org.id, "2026-03-10T09:00:00+05:30")
    resp = client.post(f"{ADMIN}/clock/advance", json={"business_days": 5})
    assert moved(resp.json) == clock(org.id, "2026-03-17T09:00:00+05:30")
    assert org.now() == "2026-03-17T09:00:00+05:30"
    resp = client.put(f"{ADMIN}/clock", json={"now": "2026-01-01T00:00:00", "freeze": False})
    assert resp.json["frozen"] is False and org.clock.frozen is False  # no offset = UTC


def test_clock_per_org_and_errors(client, org):
    org_id, _ = new_org(client)
    resp = client.put(
        f"{ADMIN}/clock", json={"org_id": org_id, "now": "2026-05-01T00:00:00Z", "freeze": True}
    )
    assert moved(resp.json) == clock(org_id, "2026-05-01T05:30:00+05:30")
    assert client.get(f"{ADMIN}/clock", query_string={"org_id": org_id}).json == moved(resp.json)
    client.post(f"{ADMIN}/clock/advance", json={"org_id": org_id, "days": 2})
    assert (
        client.get(f"{ADMIN}/clock", query_string={"org_id": org_id}).json["now"]
        == "2026-05-03T05:30:00+05:30"
    )
    assert org.now() == "2025-12-01T11:09:10+05:30"  # the default org's clock is its own
    no_unit = "one of minutes, hours, days, business_days is required"
    cases = [
        ("PUT", "/clock", {"now": "yesterday"},
         bad("now", "Invalid data type", expected_data_type="datetime")),
        ("PUT", "/clock", {"now": None},
         bad("now", "Invalid data type", expected_data_type="datetime")),
        ("PUT", "/clock", {},
         err("MANDATORY_NOT_FOUND", "Required field is missing",
             {"api_name": "now", "json_path": "$.now"})),
        ("POST", "/clock/advance", {"hours": -1}, bad("hours", "the value must be within 0..")),
        ("POST", "/clock/advance", {"org_id": org_id},
         err("MANDATORY_NOT_FOUND", no_unit, {"api_name": "body", "json_path": "$"})),
    ]  # fmt: skip
    for method, path, body, expected in cases:
        resp = client.open(f"{ADMIN}{path}", method=method, json=body)
        assert resp.status_code == 400 and resp.json == expected
    assert org.now() == "2025-12-01T11:09:10+05:30"
    resp = client.get(f"{ADMIN}/clock", query_string={"org_id": "77"})
    assert resp.status_code == 404 and resp.json == not_found("org_id", "77")
    resp = client.post(f"{ADMIN}/clock/advance", json={"org_id": "77", "days": 1})
    assert resp.status_code == 404


# --- tokens -----------------------------------------------------------------------------------


def test_issued_token_scopes_and_expiry(client, org):
    body = {
        "org_id": "default",
        "scopes": ["ZohoCRM.settings.workflow_rules.READ"],
        "expires_in": 60,
    }
    resp = client.post(f"{ADMIN}/tokens", json=body)
    assert resp.status_code == 201
    issued = resp.json
    token = issued.pop("access_token")
    assert token.startswith("1000.")
    assert issued == {
        "expires_in": 60,
        "org_id": org.id,
        "scopes": ["ZohoCRM.settings.workflow_rules.READ"],
    }
    auth = {"Authorization": f"Zoho-oauthtoken {token}"}
    assert client.get(RULES, headers=auth).status_code == 200
    denied = client.get(TAGS, headers=auth, query_string={"module": "Leads"})
    assert denied.status_code == 401
    assert denied.json == err("OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL")
    client.post(f"{ADMIN}/clock/advance", json={"minutes": 1})
    expired = client.get(RULES, headers=auth)
    assert expired.status_code == 401 and expired.json == INVALID_TOKEN


def test_token_defaults_and_errors(client, store, org):
    resp = client.post(f"{ADMIN}/tokens", json={})
    assert resp.status_code == 201
    assert {k: v for k, v in resp.json.items() if k != "access_token"} == {
        "expires_in": 3600, "org_id": org.id, "scopes": ["ZohoCRM.ALL"]}  # fmt: skip
    forever = client.post(f"{ADMIN}/tokens", json={"expires_in": None}).json
    assert (
        forever["expires_in"] is None and store.tokens[forever["access_token"]].expires_at is None
    )
    issued = len(store.tokens)
    resp = client.post(f"{ADMIN}/tokens", json={"scopes": "ZohoCRM.ALL"})
    assert resp.status_code == 400
    assert resp.json == bad("scopes", "Invalid data type", expected_data_type="jsonarray")
    resp = client.post(f"{ADMIN}/tokens", json={"org_id": "5"})
    assert resp.status_code == 404 and resp.json == not_found("org_id", "5")
    assert len(store.tokens) == issued


# --- --no-admin, admin token, exposure --------------------------------------------------------


def test_no_admin_turns_the_admin_api_off(store):
    client = create_app(Settings(no_admin=True), store=store).test_client()
    for method, path in [("GET", "/health"), ("POST", "/orgs"), ("GET", "/requests")]:
        resp = client.open(f"{ADMIN}{path}", method=method)
        assert resp.status_code == 404
        assert resp.json == err(
            "INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one"
        )
    assert client.get(RULES, headers={"Authorization": "Zoho-oauthtoken t"}).status_code == 200


def test_admin_token_is_required_on_every_admin_call(store):
    client = create_app(Settings(admin_token="s3cret"), store=store).test_client()
    refused = err(
        "AUTHENTICATION_FAILURE", "Authentication failed", {"header_name": "X-Admin-Token"}
    )
    for headers in [{}, {"X-Admin-Token": "wrong"}, {"Authorization": "Zoho-oauthtoken s3cret"}]:
        for path in ["/orgs", "/orgs/default/state", "/requests", "/no-such-path"]:
            resp = client.get(f"{ADMIN}{path}", headers=headers)
            assert resp.status_code == 401 and resp.json == refused
        # The probes reveal nothing and are what Docker's HEALTHCHECK and CI waits call.
        for probe in ["/health", "/ready"]:
            assert client.get(f"{ADMIN}{probe}", headers=headers).status_code == 200
    assert client.post(f"{ADMIN}/reset").status_code == 401
    assert client.get(f"{ADMIN}/orgs", headers={"X-Admin-Token": "s3cret"}).status_code == 200
    assert (
        client.get(f"{ADMIN}/orgs", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    )
    # The CRM API does not need it.
    assert client.get(RULES, headers={"Authorization": "Zoho-oauthtoken t"}).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "refused"),
    [
        ({}, False),
        ({"host": "localhost"}, False),
        ({"host": "::1"}, False),
        ({"host": "127.0.0.2"}, False),
        ({"host": "0.0.0.0"}, True),
        ({"host": "192.168.1.5"}, True),
        ({"host": "example.com"}, True),
        ({"host": "0.0.0.0", "admin_token": "t"}, False),
        ({"host": "0.0.0.0", "no_admin": True}, False),
    ],
)
def test_admin_exposure_error(overrides, refused):
    message = admin_api.admin_exposure_error(Settings(**overrides))
    if refused:
        assert message == (
            f"refusing to serve the admin API on non-loopback host {overrides['host']!r} without "
            "an admin token: pass --admin-token TOKEN (MOCKCRM_ADMIN_TOKEN) or --no-admin"
        )
    else:
        assert message is None
