"""A criterion's literal value has the shape its comparator takes (Zoho's *FilterCriterionRequest
schemas): checked in conditions and field-update triggers, on create and update."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from rules_helpers import RULES, VP_ALERT, VP_ALERT_CONDITION, body, condition, deal_rule

CRITERIA = "$.workflow_rules[0].conditions[0].criteria_details.criteria"


def _crit(field: str, comparator: str, value: Any) -> dict[str, Any]:
    return {"field": {"api_name": field}, "comparator": comparator, "value": value}


def _rule(criteria: dict[str, Any]) -> dict[str, Any]:
    return body(deal_rule(conditions=[condition(criteria_details={"criteria": criteria})]))


def _invalid(path: str, message: str = "invalid data", **extra: Any) -> dict[str, Any]:
    details = {"api_name": "value", **extra, "json_path": path}
    item = {"code": "INVALID_DATA", "details": details, "message": message, "status": "error"}
    return {"workflow_rules": [item]}


BAD = [
    _crit("Amount", "greater_than", [1, 2]),
    _crit("Amount", "less_equal", {"id": "1"}),
    _crit("Amount", "greater_equal", True),
    _crit("Deal_Name", "contains", True),
    _crit("Deal_Name", "starts_with", {"id": "1"}),
    _crit("Deal_Name", "ends_with", 5),
    _crit("Stage", "in", []),
    _crit("Stage", "equal", []),
    _crit("Stage", "in", [{"a": 1}]),
    _crit("Stage", "not_in", [["Qualification"]]),
    _crit("Deal_Name", "equal", ["a"] * 501),
    _crit("Amount", "between", [{"x": 1}, True]),
    _crit("Amount", "not_between", [1, [2]]),
    _crit("Tag", "include_any", []),
    _crit("Tag", "include_all", [{"name": f"t{i}"} for i in range(6)]),
    _crit("Tag", "exclude_any", "Hot"),
]


@pytest.mark.parametrize("criteria", BAD, ids=lambda c: f"{c['comparator']}-{c['value']!r:.20}")
def test_a_value_of_another_shape_is_refused(api, org, criteria):
    before = copy.deepcopy(org.rules)
    resp = api.post(RULES, json=_rule(criteria))
    assert resp.status_code == 400
    assert resp.json == _invalid(f"{CRITERIA}.value")
    assert org.rules == before


@pytest.mark.parametrize(
    "criteria",
    [
        _crit("Amount", "greater_than", 50000),
        _crit("Amount", "greater_than", "50000"),
        _crit("Closing_Date", "less_than", "2026-01-31"),
        _crit("Amount", "between", [1000, "5000"]),
        _crit("Stage", "in", ["Qualification", "Needs Analysis"]),
        _crit("Stage", "equal", ["Qualification"]),
        _crit("Deal_Name", "contains", ["Zylker", "Orbit"]),
        _crit("Owner", "equal", {"name": "Patricia Boyle", "id": "4876876000000327001"}),
        _crit("Tag", "include_any", [{"name": "Hot"}, {"id": "4876876000011037140"}]),
        _crit("Deal_Name", "equal", "x" * 255),
    ],
    ids=lambda c: f"{c['comparator']}-{c['value']!r:.20}",
)
def test_values_of_the_comparators_shape_are_accepted(api, criteria):
    resp = api.post(RULES, json=_rule(criteria))
    assert resp.status_code == 201, resp.json


def test_a_value_over_255_characters_is_too_long(api, org):
    resp = api.post(RULES, json=_rule(_crit("Deal_Name", "equal", "x" * 256)))
    assert resp.status_code == 400
    assert resp.json == _invalid(f"{CRITERIA}.value", "value too long", maximum_length=255)


def test_update_and_triggers_are_checked_too(api, org):
    bad = _crit("Amount", "greater_than", [1, 2])
    cond = {"id": VP_ALERT_CONDITION, "criteria_details": {"criteria": bad}}
    resp = api.put(f"{RULES}/{VP_ALERT}", json={"workflow_rules": [{"conditions": [cond]}]})
    assert resp.status_code == 400
    assert resp.json == _invalid(f"{CRITERIA}.value")
    trigger = {"type": "field_update", "details": {"criteria": _crit("Deal_Name", "contains", 1)}}
    resp = api.post(RULES, json=body(deal_rule(execute_when=trigger)))
    assert resp.status_code == 400
    assert resp.json == _invalid("$.workflow_rules[0].execute_when.details.criteria.value")
