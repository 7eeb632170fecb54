"""The admin API (/__admin): health, orgs and isolation, reset, snapshots, state, --no-admin
and the admin token. Exact bodies throughout. The journal, faults, clock and tokens:
test_admin_runtime.py."""

from __future__ import annotations

import pytest
from admin_helpers import ADMIN, INVALID_TOKEN, bad, err, new_org, not_found
from lock_helpers import lock_states
from oas import validate_response
from rules_helpers import HIGH_VALUE_LEAD, RULES, VP_ALERT

import mockcrm
from mockcrm.api import admin_guard
from mockcrm.app import create_app
from mockcrm.settings import Settings


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


def _deal_id(state: dict) -> str:
    return sorted(state["records"]["Deals"])[0]


def _trigger(state: dict, module: str, execute_when: dict) -> None:
    """The first rule of `module` gets this trigger."""
    state["rules"][state["rule_order"][module][0]]["execute_when"] = execute_when


# Each of these was accepted, and then every call of the org (or the next insert) went wrong:
# the engine's catch-up runs before every request, and reads every rule, record and schedule.
BROKEN = [
    ("schedule", lambda s: s.__setitem__("schedule", [1])),
    ("schedule-due", lambda s: s.__setitem__("schedule", [{"due": "not-a-date"}])),
    ("rule", lambda s: s.__setitem__("rules", {"1": 1})),
    ("dangling-rule-order", lambda s: s["rule_order"].__setitem__("Deals", ["123"])),
    ("records", lambda s: s.__setitem__("records", {"Deals": [1, 2]})),
    ("modules", lambda s: s.__setitem__("modules", {"Deals": 1})),
    ("users", lambda s: s.__setitem__("users", [1])),
    ("outbox", lambda s: s.__setitem__("outbox", [1])),
    ("usage-days", lambda s: s["usage"].__setitem__(HIGH_VALUE_LEAD, {"days": {"2025-01-01": 1}})),
    (
        "usage-history",
        lambda s: s["usage"].__setitem__(HIGH_VALUE_LEAD, {"days": {}, "history": 3}),
    ),
    ("usage-counts", lambda s: s["usage"][HIGH_VALUE_LEAD].__setitem__("trigger_count", "3")),
    ("webhook-calls", lambda s: s["engine"].__setitem__("webhook_calls", {"2025-01-01": {"1": 2}})),
    # Shapes only the engine's writes (or a report's sums) would have tripped over, later.
    (
        "usage-bucket-keys",
        lambda s: s["usage"].__setitem__(
            HIGH_VALUE_LEAD, {"days": {"2025-12-01": {"trigger_count": 1}}, "history": None}
        ),
    ),
    (
        "usage-day-key",
        lambda s: s["usage"].__setitem__(
            HIGH_VALUE_LEAD,
            {"days": {"20251201": {"trigger_count": 1, "conditions": {}, "actions": {}}}},
        ),
    ),
    (
        "webhook-count-text",
        lambda s: s["engine"].__setitem__(
            "webhook_calls", {"2025-12-01": {"4876876000016390771": ["2", "n"]}}
        ),
    ),
    (
        "webhook-name-list",
        lambda s: s["engine"].__setitem__(
            "webhook_calls", {"2025-12-01": {"4876876000016390771": [2, ["n"]]}}
        ),
    ),
    # Triggers the rules API would refuse: the engine read them at the next record event.
    ("trigger-no-details", lambda s: _trigger(s, "Deals", {"type": "create"})),
    (
        "trigger-no-criteria",
        lambda s: _trigger(s, "Deals", {"type": "field_update", "details": {"repeat": True}}),
    ),
    (
        "trigger-section-ids",
        lambda s: _trigger(s, "Deals", {"type": "section_update", "details": {"section_ids": 5}}),
    ),
    (
        "trigger-overdue-period",
        lambda s: _trigger(s, "Tasks", {"type": "overdue", "details": {"period": "weeks"}}),
    ),
    ("ids-reused", lambda s: s["ids"].__setitem__("next", int(_deal_id(s)))),
    ("ids-bool", lambda s: s["ids"].__setitem__("next", True)),
    ("ids-negative", lambda s: s["ids"].__setitem__("next", -5)),
    ("clock-9999", lambda s: s["clock"].__setitem__("frozen_at", "9999-12-31T23:59:59+00:00")),
    ("clock-offset", lambda s: s["clock"].__setitem__("offset_seconds", 1e20)),
]


@pytest.mark.parametrize("change", [c for _, c in BROKEN], ids=[n for n, _ in BROKEN])
def test_a_state_the_org_could_not_serve_is_refused(api, client, org, change):
    before = state_of(org)
    state = client.get(f"{ADMIN}/orgs/default/state").json
    change(state)
    resp = client.put(f"{ADMIN}/orgs/default/state", json=state)
    assert resp.status_code == 400
    assert resp.json["details"] == {"api_name": "state", "json_path": "$"}
    assert state_of(org) == before
    assert api.get("/crm/v8/settings/automation/workflow_rules").status_code == 200


# --- --no-admin, admin token, exposure --------------------------------------------------------


def test_an_import_is_tried_without_holding_the_store_lock(client, store, org, monkeypatch):
    """A big import's trial run takes seconds: other orgs' calls (on other request threads)
    must not wait for it. Only the swap takes the lock."""
    from mockcrm.crm import state_check

    free = lock_states(monkeypatch, state_check, "exercise", store.lock)
    state = client.get(f"{ADMIN}/orgs/default/state").json
    assert client.put(f"{ADMIN}/orgs/default/state", json=state).status_code == 200
    assert free == [True]


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
    message = admin_guard.admin_exposure_error(Settings(**overrides))
    if refused:
        assert message == (
            f"refusing to serve the admin API on non-loopback host {overrides['host']!r} without "
            "an admin token: pass --admin-token TOKEN (MOCKCRM_ADMIN_TOKEN) or --no-admin"
        )
    else:
        assert message is None
