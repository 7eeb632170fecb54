"""`execute_when.details` per trigger template (fact sheet §3.1): time-offset triggers need
`period` and a positive `unit`, score triggers their `type`, flags are booleans, and a date
trigger's `execute_at` is an HH:mm time of day."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from oas import validate_response
from rules_helpers import RULES, body, condition, deal_rule

DETAILS = "$.workflow_rules[0].execute_when.details"
TASKS = {"api_name": "Tasks", "id": "4876876000000002185"}
TASK_EMAIL = "4876876000009610197"  # an e-mail notification of the Tasks module


def _error(code: str, message: str, api_name: str, **extra: Any) -> dict[str, Any]:
    details = {"api_name": api_name, **extra, "json_path": f"{DETAILS}.{api_name}"}
    item = {"code": code, "details": details, "message": message, "status": "error"}
    return {"workflow_rules": [item]}


def _task_rule(trigger_type: str, details: dict[str, Any] | None) -> dict[str, Any]:
    action = {"type": "email_notifications", "id": TASK_EMAIL}
    return body(
        deal_rule(
            module=TASKS,
            execute_when={"type": trigger_type, "details": details},
            conditions=[condition(instant_actions={"actions": [action]})],
        )
    )


def _refused(api, org, rule: dict[str, Any]) -> Any:
    before = copy.deepcopy(org.rules)
    resp = api.post(RULES, json=rule)
    assert resp.status_code == 400
    assert org.rules == before
    return resp.json


MISSING = ("MANDATORY_NOT_FOUND", "Required field is missing")


@pytest.mark.parametrize(
    ("details", "expected"),
    [
        (None, (*MISSING, "period")),
        ({"unit": 2}, (*MISSING, "period")),
        ({"period": "days"}, (*MISSING, "unit")),
        (
            {"period": "weeks", "unit": 2},
            ("INVALID_DATA", "invalid data", "period", {"supported_values": ["days", "hours"]}),
        ),
        (
            {"period": "days", "unit": "2"},
            ("INVALID_DATA", "Invalid data type", "unit", {"expected_data_type": "integer"}),
        ),
        ({"period": "hours", "unit": 0}, ("INVALID_DATA", "invalid data", "unit")),
        ({"period": "hours", "unit": -3}, ("INVALID_DATA", "invalid data", "unit")),
    ],
)
def test_overdue_needs_a_period_and_a_positive_unit(api, org, details, expected):
    code, message, api_name, *extra = expected
    assert _refused(api, org, _task_rule("overdue", details)) == _error(
        code, message, api_name, **(extra[0] if extra else {})
    )


def test_overdue_with_its_offset_is_stored(api, org):
    resp = api.post(RULES, json=_task_rule("overdue", {"period": "days", "unit": 2}))
    assert resp.status_code == 201, resp.json
    validate_response("workflow_rules", "postWorkflowRule", 201, resp.json)
    rule = org.rules[resp.json["workflow_rules"][0]["details"]["id"]]
    assert rule["execute_when"]["details"]["period"] == "days"
    assert rule["execute_when"]["details"]["unit"] == 2


@pytest.mark.parametrize("details", [None, {}, {"repeat": False}])
def test_a_score_trigger_needs_its_type(api, org, details):
    rule = body(deal_rule(execute_when={"type": "score_increase", "details": details}))
    assert _refused(api, org, rule) == _error(*MISSING, "type")


@pytest.mark.parametrize("flag", ["match_all", "repeat"])
@pytest.mark.parametrize("value", ["nope", "false", 1, None])
def test_flags_are_booleans(api, org, flag, value):
    criteria = {"field": {"api_name": "Stage"}, "comparator": "equal", "value": "Closed Won"}
    details = {"criteria": criteria, flag: value}
    rule = body(deal_rule(execute_when={"type": "field_update", "details": details}))
    expected = _error("INVALID_DATA", "Invalid data type", flag, expected_data_type="boolean")
    assert _refused(api, org, rule) == expected


def _date_rule(field: str, execute_at: Any) -> dict[str, Any]:
    details = {"field": {"api_name": field}, "period": "days", "unit": 1, "execute_at": execute_at}
    return body(deal_rule(execute_when={"type": "date_or_datetime", "details": details}))


@pytest.mark.parametrize(
    ("field", "execute_at"),
    [
        ("Last_Activity_Time", "banana"),
        ("Last_Activity_Time", "24:00"),
        ("Last_Activity_Time", "9:00"),
        ("Last_Activity_Time", 900),
    ],
)
def test_execute_at_is_a_time_of_day(api, org, field, execute_at):
    expected = _error("INVALID_DATA", "invalid data", "execute_at")
    assert _refused(api, org, _date_rule(field, execute_at)) == expected


@pytest.mark.parametrize("field", ["Last_Activity_Time", "Closing_Date"])
def test_execute_at_on_a_date_or_datetime_field_is_stored(api, org, field):
    resp = api.post(RULES, json=_date_rule(field, "23:30"))
    assert resp.status_code == 201, resp.json
    rule = org.rules[resp.json["workflow_rules"][0]["details"]["id"]]
    assert rule["execute_when"]["details"]["execute_at"] == "23:30"


@pytest.mark.parametrize("ids", [["abc"], [{"x": 1}], ["123", None], [True], ["①"]])
def test_section_ids_are_ids(api, org, ids):
    rule = body(deal_rule(execute_when={"type": "section_update", "details": {"section_ids": ids}}))
    assert _refused(api, org, rule) == _error("INVALID_DATA", "invalid data", "section_ids")


def test_section_ids_may_be_numbers_and_are_stored_as_text(api, org):
    details = {"section_ids": [4876876000000091023, "4876876000000091025"]}
    resp = api.post(
        RULES, json=body(deal_rule(execute_when={"type": "section_update", "details": details}))
    )
    assert resp.status_code == 201, resp.json
    rule = org.rules[resp.json["workflow_rules"][0]["details"]["id"]]
    assert rule["execute_when"]["details"]["section_ids"] == [
        "4876876000000091023",
        "4876876000000091025",
    ]


@pytest.mark.parametrize(
    ("trigger_type", "details", "kept"),
    [
        ("create", {"repeat": True}, False),
        ("delete", {"repeat": False}, False),
        ("edit", {"repeat": True}, True),
        ("create_or_edit", {"repeat": False}, True),
    ],
)
def test_repeat_is_kept_only_on_triggers_zoho_shows_it_on(api, org, trigger_type, details, kept):
    """Zoho's GET schema has `repeat` on edit-like, date, section and field update triggers
    only: sent with a create or delete trigger it is checked (a boolean), then dropped."""
    rule = body(deal_rule(execute_when={"type": trigger_type, "details": details}))
    if trigger_type == "delete":  # a delete rule takes no field update
        action = {"type": "email_notifications", "id": "4876876000009610127"}
        rule["workflow_rules"][0]["conditions"] = [condition(instant_actions={"actions": [action]})]
    resp = api.post(RULES, json=rule)
    assert resp.status_code == 201, resp.json
    rule_id = resp.json["workflow_rules"][0]["details"]["id"]
    stored = api.get(f"{RULES}/{rule_id}").json
    validate_response("workflow_rules", "getWorkflowRuleById", 200, stored)
    shown = stored["workflow_rules"][0]["execute_when"]["details"]
    assert ("repeat" in shown) is kept
    assert shown.get("repeat", details["repeat"]) == details["repeat"]
