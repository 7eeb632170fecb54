"""assign_owner actions inline in a rule: who `assign_to` names (OAS AutomationAssignOwnerResource:
`resource.id` mandatory, `name` optional and filled in by the server)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from oas import validate_response
from rules_helpers import PATRICIA, RULES, VP_ALERT, VP_ALERT_CONDITION, condition, deal_rule

CEO_ROLE = {"id": "4876876000000026005", "name": "CEO"}  # Patricia's role in the seed
ADMIN_PROFILE = {"id": "4876876000000026011", "name": "Administrator"}
ENTRY = "$.workflow_rules[0].conditions[0].instant_actions.actions[0].details.assign_to[0]"


def _rule(*entries: dict[str, Any]) -> dict[str, Any]:
    action = {"type": "assign_owner", "details": {"assign_to": list(entries)}}
    return deal_rule(conditions=[condition(instant_actions={"actions": [action]})])


def _create(api, rule: dict[str, Any]):
    return api.post(RULES, json={"workflow_rules": [rule]})


def _stored_entries(org, resp) -> list[dict[str, Any]]:
    rule_id = resp.json["workflow_rules"][0]["details"]["id"]
    (action,) = org.rules[rule_id]["conditions"][0]["instant_actions"]["actions"]
    return action["details"]["assign_to"]


@pytest.mark.parametrize(
    ("kind", "resource", "name"),
    [
        ("role", {"id": CEO_ROLE["id"]}, "CEO"),
        ("profile", {"id": ADMIN_PROFILE["id"]}, "Administrator"),
        ("group", {"id": "4876876000000099001"}, "4876876000000099001"),
        ("assignment_rule", {"id": "4876876000000099002", "name": "Round robin"}, "Round robin"),
        ("user", {"id": PATRICIA}, "Patricia Boyle"),
        ("user", {"id": int(PATRICIA), "name": "Patricia Boyle"}, "Patricia Boyle"),
    ],
)
def test_an_assignee_by_id_alone_is_accepted_and_named(api, org, kind, resource, name):
    resp = _create(api, _rule({"type": kind, "resource": resource}))
    assert resp.status_code == 201, resp.json
    validate_response("workflow_rules", "postWorkflowRule", 201, resp.json)
    (entry,) = _stored_entries(org, resp)
    rid = str(resource["id"])
    assert entry == {
        "type": kind,
        "resource": {"name": name, "id": rid, "type": kind},
        "details": None,
    }


def test_a_group_by_id_can_be_added_by_put(api, org):
    group = {"type": "group", "resource": {"id": "4876876000000099001"}}
    action = {"type": "assign_owner", "details": {"assign_to": [group]}}
    body = {"conditions": [{"id": VP_ALERT_CONDITION, "instant_actions": {"actions": [action]}}]}
    resp = api.put(f"{RULES}/{VP_ALERT}", json={"workflow_rules": [body]})
    assert resp.status_code == 200, resp.json
    validate_response("workflow_rules", "updateWorkflowRuleById", 200, resp.json)


def _dependent_missing(api_name: str, path: str) -> dict[str, Any]:
    details = {
        "api_name": api_name,
        "dependee": {"api_name": "type", "json_path": f"{ENTRY}.type"},
        "json_path": path,
    }
    item = {
        "code": "DEPENDENT_FIELD_MISSING",
        "details": details,
        "message": "Dependent Field missing",
        "status": "error",
    }
    return {"workflow_rules": [item]}


@pytest.mark.parametrize(
    ("entry", "api_name", "path"),
    [
        ({"type": "user"}, "resource", f"{ENTRY}.resource"),
        ({"type": "role", "resource": None}, "resource", f"{ENTRY}.resource"),
        ({"type": "role", "resource": {"name": "CEO"}}, "id", f"{ENTRY}.resource.id"),
        ({"type": "profile", "resource": {"id": ""}}, "id", f"{ENTRY}.resource.id"),
        ({"type": "group", "resource": {"id": True}}, "id", f"{ENTRY}.resource.id"),
    ],
)
def test_an_assignee_without_an_id_is_dependent_field_missing(api, org, entry, api_name, path):
    before = copy.deepcopy(org.rules)
    resp = _create(api, _rule(entry))
    assert resp.status_code == 400
    assert resp.json == _dependent_missing(api_name, path)
    assert org.rules == before


@pytest.mark.parametrize(
    "entry",
    [
        {"type": "user", "resource": {"id": PATRICIA, "name": "Someone Else"}},
        {"type": "role", "resource": {**CEO_ROLE, "name": "Manager"}},
    ],
)
def test_an_id_and_a_name_that_disagree_are_ambiguous(api, org, entry):
    before = copy.deepcopy(org.rules)
    resp = _create(api, _rule(entry))
    assert resp.status_code == 400
    due = [
        {"api_name": "id", "json_path": f"{ENTRY}.resource.id"},
        {"api_name": "name", "json_path": f"{ENTRY}.resource.name"},
    ]
    assert resp.json == {
        "workflow_rules": [
            {
                "code": "AMBIGUITY_DURING_PROCESSING",
                "details": {"ambiguity_due_to": due},
                "message": "Ambiguity while processing the request",
                "status": "error",
            }
        ]
    }
    assert org.rules == before


LEADS_ID = "4876876000000002175"


@pytest.mark.parametrize(
    "action",
    [
        {"type": "add_tags", "details": {"tags": [{"name": "Priority"}]}},
        {
            "type": "assign_owner",
            "details": {"assign_to": [{"type": "user", "resource": {"id": PATRICIA}}]},
        },
    ],
    ids=lambda a: a["type"],
)
def test_a_details_module_naming_two_modules_is_ambiguous(api, org, action):
    """Zoho's AutomationModuleRef: api_name and id, when both are sent, must name one module."""
    action = copy.deepcopy(action)
    action["details"]["module"] = {"api_name": "Deals", "id": LEADS_ID}
    rule = deal_rule(conditions=[condition(instant_actions={"actions": [action]})])
    before = copy.deepcopy(org.rules)
    resp = _create(api, rule)
    assert resp.status_code == 400
    module = "$.workflow_rules[0].conditions[0].instant_actions.actions[0].details.module"
    assert resp.json["workflow_rules"][0] == {
        "code": "AMBIGUITY_DURING_PROCESSING",
        "details": {
            "ambiguity_due_to": [
                {"api_name": "api_name", "json_path": f"{module}.api_name"},
                {"api_name": "id", "json_path": f"{module}.id"},
            ]
        },
        "message": "Ambiguity while processing the request",
        "status": "error",
    }
    assert org.rules == before
