"""The admin API (/__admin) a running test drives: the request journal, injected faults, the
orgs' virtual clocks and issued tokens. Exact bodies throughout. Health, orgs, reset, snapshots,
state, --no-admin and the admin token: test_admin.py."""

from __future__ import annotations

import pytest
from admin_helpers import ADMIN, INVALID_TOKEN, bad, err, new_org, not_found
from rules_helpers import RULES, VP_ALERT

from mockcrm.api import hooks
from mockcrm.app import create_app
from mockcrm.core.faults import TOO_MANY_REQUESTS
from mockcrm.core.journal import REDACTED
from mockcrm.settings import Settings

TAGS = "/crm/v8/settings/tags"


# --- journal ----------------------------------------------------------------------------------


def test_the_dashboard_s_own_calls_take_no_fault_credit_or_journal_entry(client, org):
    """X-Mockcrm-Dashboard: 1 marks the sandbox dashboard's data calls: opening it must not use
    up a fault or the credits meant for the client under test, nor fill its journal."""
    auth = {"Authorization": "Zoho-oauthtoken t"}
    dashboard = {**auth, "X-Mockcrm-Dashboard": "1"}
    client.post(f"{ADMIN}/faults", json={"path": RULES, "status": 429, "times": 1})
    client.put(f"{ADMIN}/orgs/default/credits", json={"daily_limit": 1})
    for _ in range(3):
        resp = client.get(RULES, headers=dashboard, query_string={"module": "Deals"})
        assert resp.status_code == 200
    assert client.get(f"{ADMIN}/requests").json == {"requests": []}
    assert client.get(f"{ADMIN}/orgs/default/credits").json["used"] == 0
    # The client under test still meets its fault, then its credit.
    assert client.get(RULES, headers=auth, query_string={"module": "Deals"}).status_code == 429
    assert client.get(f"{ADMIN}/faults").json == {"faults": []}
    assert client.get(RULES, headers=auth, query_string={"module": "Deals"}).status_code == 200
    assert client.get(RULES, headers=auth, query_string={"module": "Deals"}).status_code == 429
    assert len(client.get(f"{ADMIN}/requests").json["requests"]) == 3


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
    not_a_number = bad("probability", "Invalid data type", expected_data_type="double")
    cases = [
        ({"status": 200}, bad("status", "the value must be within 400..599")),
        ({"status": 500, "probability": 2}, bad("probability", "the value must be within 0..1")),
        ({"status": 500, "probability": "0.5"}, not_a_number),
        ({"status": 500, "probability": True}, not_a_number),
        ({"status": 500, "probability": None}, not_a_number),
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


@pytest.mark.parametrize("body", [{}, {"path": "/crm"}, {"times": 5}, {"delay_ms": 0}])
def test_a_fault_that_does_nothing_is_refused(client, body):
    """It would match and do nothing, and hide every fault added after it."""
    resp = client.post(f"{ADMIN}/faults", json=body)
    assert resp.status_code == 400
    assert resp.json == {
        "code": "MANDATORY_NOT_FOUND",
        "details": {"api_name": "body", "json_path": "$"},
        "message": "one of status, delay_ms is required",
        "status": "error",
    }
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
    # The org's holidays are not business days: Wednesday + 1 skips Christmas (Thursday).
    client.put(f"{ADMIN}/clock", json={"now": "2025-12-24T10:00:00+05:30"})
    resp = client.post(f"{ADMIN}/clock/advance", json={"business_days": 1})
    assert moved(resp.json) == clock(org.id, "2025-12-26T10:00:00+05:30")
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
