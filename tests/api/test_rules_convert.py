"""A Leads rule that converts the lead: Zoho's spec asks for criteria in its condition and
refuses tag actions beside it (OAS ConvertActionSchema, AddTagsActionSchema)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from oas import validate_response
from rules_helpers import PATRICIA, RULES, body, condition, deal_rule

LEADS = {"api_name": "Leads", "id": "4876876000000002175"}
CONVERT = {
    "type": "convert",
    "details": {
        "add_to_existing_contact": True,
        "add_to_existing_account": True,
        "change_owner": {"id": PATRICIA},
        "apply_restriction": False,
    },
}
CONTACTED = {"field": {"api_name": "Lead_Status"}, "comparator": "equal", "value": "Contacted"}
ACTIONS = "$.workflow_rules[0].conditions[0].instant_actions.actions"
TAGS = {"tags": [{"name": "Hot"}]}


def _lead_rule(criteria: Any, *actions: dict[str, Any]) -> dict[str, Any]:
    cond = condition(
        criteria_details={"criteria": criteria}, instant_actions={"actions": list(actions)}
    )
    return body(deal_rule(module=LEADS, conditions=[cond]))


def _refused(api, org, rule: dict[str, Any]) -> dict[str, Any]:
    before = copy.deepcopy(org.rules)
    resp = api.post(RULES, json=rule)
    assert resp.status_code == 400
    assert org.rules == before
    return resp.json["workflow_rules"][0]


def test_convert_on_criteria_is_accepted(api):
    resp = api.post(RULES, json=_lead_rule(CONTACTED, CONVERT))
    assert resp.status_code == 201, resp.json
    validate_response("workflow_rules", "postWorkflowRule", 201, resp.json)


def test_convert_needs_criteria(api, org):
    assert _refused(api, org, _lead_rule(None, CONVERT)) == {
        "code": "DEPENDENT_FIELD_MISSING",
        "details": {
            "api_name": "criteria",
            "dependee": {"api_name": "type", "json_path": f"{ACTIONS}[0].type"},
            "json_path": "$.workflow_rules[0].conditions[0].criteria_details.criteria",
        },
        "message": "Dependent Field missing",
        "status": "error",
    }


@pytest.mark.parametrize("tag_action", ["add_tags", "remove_tags"])
def test_convert_and_tag_actions_are_ambiguous(api, org, tag_action):
    rule = _lead_rule(CONTACTED, {"type": tag_action, "details": TAGS}, CONVERT)
    due = [
        {"api_name": "type", "json_path": f"{ACTIONS}[1].type"},
        {"api_name": "type", "json_path": f"{ACTIONS}[0].type"},
    ]
    assert _refused(api, org, rule) == {
        "code": "AMBIGUITY_DURING_PROCESSING",
        "details": {"ambiguity_due_to": due},
        "message": "Ambiguity while processing the request",
        "status": "error",
    }
