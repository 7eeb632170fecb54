"""Values at the calendar's edges never break an org, and the engine keeps its promises there.

Each case once made every later call of the org a 500 (the engine's date scan runs before every
request), left a refused write behind, or fired a rule the README says it never fires."""

from __future__ import annotations

import copy

import pytest
from actions_helpers import BASE, entity_body, lead_rule, wrap
from rules_helpers import DEAL_LOST_ALERT, RULES, body, condition, deal_rule

DEALS = "/crm/v8/Deals"
CLOCK = "/__admin/clock"
NOW = "2026-03-02T09:00:00+05:30"


@pytest.fixture
def frozen(api):
    assert api.put(CLOCK, json={"now": NOW, "freeze": True}).status_code == 200


def _advance(api, **units) -> list[dict]:
    resp = api.post(f"{CLOCK}/advance", json=units)
    assert resp.status_code == 200, resp.json
    return resp.json["ran"]


def _deal(api, **values) -> str:
    deal = {"Deal_Name": "Edge", "Stage": "Qualification", **values}
    resp = api.post(DEALS, json={"data": [deal]})
    assert resp.status_code == 201, resp.json
    return resp.json["data"][0]["details"]["id"]


def _rule(api, rule: dict) -> str:
    resp = api.post(RULES, json=body(rule))
    assert resp.status_code == 201, resp.json
    return resp.json["workflow_rules"][0]["details"]["id"]


@pytest.mark.parametrize(
    ("path", "record"),
    [
        (DEALS, {"Deal_Name": "Never", "Stage": "Qualification", "Closing_Date": "9999-12-31"}),
        (DEALS, {"Deal_Name": "Ancient", "Stage": "Qualification", "Closing_Date": "0001-01-02"}),
        ("/crm/v8/Contacts", {"Last_Name": "Old", "Date_of_Birth": "0001-01-01"}),
    ],
)
def test_a_date_at_the_calendars_edge_leaves_the_org_working(api, frozen, path, record):
    """The seed's date rules (-7 days, +3 days, +1 week, yearly birthdays) reach past the
    calendar from these dates: those moments never come, and nothing else is affected."""
    resp = api.post(path, json={"data": [record]})
    assert resp.status_code == 201, resp.json
    record_id = resp.json["data"][0]["details"]["id"]
    _advance(api, days=2)
    assert api.get("/crm/v8/org").status_code == 200
    assert api.delete(f"{path}/{record_id}").status_code == 200


def test_a_criterion_at_the_calendars_edge_matches_as_an_open_end(api, org, frozen):
    crit = {"field": {"api_name": "Closing_Date"}, "comparator": "less_than", "value": "9999-12-31"}
    rule_id = _rule(
        api,
        deal_rule(
            name="Closes some day", conditions=[condition(criteria_details={"criteria": crit})]
        ),
    )
    deal = _deal(api, Closing_Date="2026-03-05")
    (run,) = [e for e in org.executions if e["rule"]["id"] == rule_id]
    assert run["record"]["id"] == deal and run["condition"] is not None


@pytest.mark.parametrize(
    "value",
    ["${LAST_N_DAYS:99999999}", "${NEXT_N_MONTHS:999999}", "${AGEINDAYS}+99999999", "0001-01-01"],
)
def test_far_predefined_values_never_break_a_write(api, org, value):
    crit = {"field": {"api_name": "Closing_Date"}, "comparator": "greater_than", "value": value}
    _rule(api, deal_rule(name="Far", conditions=[condition(criteria_details={"criteria": crit})]))
    before = len(org.records["Deals"])
    _deal(api, Closing_Date="2026-03-05")
    assert len(org.records["Deals"]) == before + 1


@pytest.mark.parametrize(
    ("period", "unit"), [("years", 11), ("years", -11), ("days", 10**9), ("b_days", 1_000_000)]
)
def test_a_date_trigger_offset_beyond_scheduling_range_is_refused(api, org, period, unit):
    details = {"field": {"api_name": "Closing_Date"}, "period": period, "unit": unit}
    rule = deal_rule(execute_when={"type": "date_or_datetime", "details": details})
    before = copy.deepcopy(org.rules)
    resp = api.post(RULES, json=body(rule))
    assert resp.status_code == 400
    assert resp.json["workflow_rules"][0]["details"] == {
        "api_name": "unit",
        "json_path": "$.workflow_rules[0].execute_when.details.unit",
    }
    assert org.rules == before


def test_a_task_due_beyond_the_calendar_fails_alone(api, org, frozen):
    """A task whose due date cannot be computed (stored before the save check, or by an import)
    is a failed action: the lead is written, the answer is 201 and the failure is logged."""
    resp = api.post(f"{BASE}/tasks", json=wrap("tasks", entity_body("tasks")))
    task_id = resp.json["tasks"][0]["details"]["id"]
    org.entities["tasks"][task_id]["field_mappings"][1]["value"]["unit"] = "99999999"
    rule_id = _rule(api, lead_rule("tasks", task_id, name="Far task")["workflow_rules"][0])
    lead = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Ghost", "Company": "X"}]})
    assert lead.status_code == 201, lead.json
    (run,) = [e for e in org.executions if e["rule"]["id"] == rule_id]
    assert run["actions"][0]["status"] == "failure"
    assert run["actions"][0]["detail"]["reason"] == "invalid execution time"


@pytest.mark.parametrize("unit", ["2001", "²", "①"])  # digits to str.isdigit, not to int()
def test_a_task_unit_beyond_scheduling_range_is_refused(api, org, unit):
    item = entity_body("tasks")
    item["field_mappings"][1]["value"]["unit"] = unit
    resp = api.post(f"{BASE}/tasks", json=wrap("tasks", item))
    assert resp.status_code == 400
    assert resp.json["tasks"][0]["details"] == {
        "api_name": "unit",
        "json_path": "$.tasks[0].field_mappings[1].value.unit",
    }


@pytest.mark.parametrize(
    "now", ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+05:30", "1969-12-31T23:59:59Z"]
)
def test_the_clock_stays_inside_the_calendar(api, frozen, now):
    resp = api.put(CLOCK, json={"now": now})
    assert resp.status_code == 400
    assert resp.json == {
        "code": "INVALID_DATA",
        "details": {"api_name": "now", "json_path": "$.now"},
        "message": "the clock must stay within 1970-01-01..9000-12-31",
        "status": "error",
    }
    assert api.get(CLOCK).json["now"] == NOW
    assert api.get("/crm/v8/org").status_code == 200


@pytest.mark.parametrize(
    "units", [{"days": 3_000_000}, {"minutes": 10**20}, {"hours": 10**30}, {"days": 2_700_000}]
)
def test_advancing_beyond_the_calendar_is_refused(api, frozen, units):
    resp = api.post(f"{CLOCK}/advance", json=units)
    assert resp.status_code == 400
    assert resp.json["message"] == "the clock must stay within 1970-01-01..9000-12-31"
    assert api.get(CLOCK).json["now"] == NOW


@pytest.mark.parametrize("token", [b"NaN", b"Infinity", b"-Infinity", b"1e400"])
def test_numbers_json_has_not_are_malformed(api, org, token):
    raw = b'{"data":[{"Deal_Name":"x","Stage":"Qualification","Amount":' + token + b"}]}"
    before = len(org.records["Deals"])
    resp = api.client.post(
        DEALS,
        data=raw,
        headers={"Authorization": "Zoho-oauthtoken t", "Content-Type": "application/json"},
    )
    assert resp.status_code == 400
    assert resp.json == {
        "code": "INVALID_DATA",
        "details": {},
        "message": "either the request body or parameters is in wrong format",
        "status": "error",
    }
    assert len(org.records["Deals"]) == before


@pytest.mark.parametrize(
    ("field", "value"), [("Created_Time", None), ("Closing_Date", "2026-03-02")]
)
def test_execute_at_is_the_time_of_day_a_date_rule_fires(api, org, frozen, field, value):
    details = {"field": {"api_name": field}, "period": "days", "unit": 1, "execute_at": "10:00"}
    rule_id = _rule(
        api, deal_rule(name="At ten", execute_when={"type": "date_or_datetime", "details": details})
    )
    _deal(api, **({field: value} if value else {}))
    assert [e for e in _advance(api, days=1, minutes=30) if e["rule"]["id"] == rule_id] == []
    ran = _advance(api, minutes=60)  # 10:30 the next day: 10:00 has passed
    assert [e["rule"]["id"] for e in ran if e["rule"]["id"] == rule_id] == [rule_id]


def test_a_scheduled_field_update_never_refires_its_own_rule(api, org, frozen):
    fu = entity_body(
        "field_updates",
        module={"api_name": "Deals"},
        field={"api_name": "Next_Step"},
        value="Call back",
    )
    fu_id = api.post(f"{BASE}/field_updates", json=wrap("field_updates", fu)).json["field_updates"][
        0
    ]["details"]["id"]
    trigger = {"criteria": {"field": {"api_name": "Next_Step"}, "comparator": "${ANYVALUE}"}}
    later = {
        "execute_after": {"period": "minutes", "unit": 5},
        "actions": [{"type": "field_updates", "id": fu_id}],
    }
    cond = condition(
        instant_actions={"actions": [{"type": "email_notifications", "id": DEAL_LOST_ALERT}]},
        scheduled_actions=[later],
    )
    rule_id = _rule(
        api,
        deal_rule(
            name="On next step",
            execute_when={"type": "field_update", "details": trigger},
            conditions=[cond],
        ),
    )
    deal = _deal(api)
    assert api.put(f"{DEALS}/{deal}", json={"data": [{"Next_Step": "edited"}]}).status_code == 200
    ran = _advance(api, minutes=10)
    mine = [(e["event"], e["rule"]["id"]) for e in ran if e["rule"]["id"] == rule_id]
    assert mine == [("scheduled", rule_id)]
    assert org.records["Deals"][deal]["Next_Step"] == "Call back"
