"""PUT /workflow_rules[/{id}]: Zoho's merge semantics and every documented restriction."""

from __future__ import annotations

import copy

import pytest
from oas import validate_response, zoho_example
from rules_helpers import (
    DEAL_LOST_ALERT,
    LOST_DEAL_TASK,
    RULES,
    VP_ALERT,
    VP_ALERT_CONDITION,
    actions_of,
    body,
    condition,
    deal_rule,
)


@pytest.fixture
def rule_id(api) -> str:
    """A fresh Deals rule: create trigger, one condition with one email notification."""
    resp = api.post(RULES, json=body(deal_rule(name="Update target")))
    assert resp.status_code == 201
    return resp.json["workflow_rules"][0]["details"]["id"]


def _put(api, rule_id, rule):
    return api.put(f"{RULES}/{rule_id}", json=body(rule))


def _cond_id(org, rule_id, index=0):
    return org.rules[rule_id]["conditions"][index]["id"]


def test_omitted_fields_keep_their_values(api, org, rule_id):
    before = copy.deepcopy(org.rules[rule_id])
    resp = _put(api, rule_id, {"description": "only this changes"})
    assert resp.status_code == 200
    validate_response("workflow_rules", "updateWorkflowRuleById", 200, resp.json)
    after = org.rules[rule_id]
    assert after["description"] == "only this changes"
    for key in ("name", "module", "execute_when", "conditions", "status", "created_time"):
        assert after[key] == before[key]


def test_bulk_put_takes_the_id_from_the_body(api, org, rule_id):
    resp = api.put(RULES, json=body({"id": rule_id, "name": "Renamed by bulk PUT"}))
    assert resp.status_code == 200
    validate_response("workflow_rules", "updateWorkflowRule", 200, resp.json)
    assert resp.json["workflow_rules"][0]["details"] == {"id": rule_id}
    assert org.rules[rule_id]["name"] == "Renamed by bulk PUT"


def test_condition_and_action_merge(api, org, rule_id):
    cid = _cond_id(org, rule_id)
    new_cond = condition(
        sequence_number=2,
        criteria_details={
            "criteria": {
                "field": {"api_name": "Stage"},
                "comparator": "equal",
                "value": "Closed Won",
            }
        },
    )
    resp = _put(
        api,
        rule_id,
        {
            "conditions": [
                {
                    "id": cid,
                    "instant_actions": {"actions": [{"type": "tasks", "id": LOST_DEAL_TASK}]},
                },
                new_cond,
            ]
        },
    )
    assert resp.status_code == 200, resp.json
    rule = org.rules[rule_id]
    assert [c["sequence_number"] for c in rule["conditions"]] == [1, 2]
    assert [(a["type"], a["id"]) for a in actions_of(rule)] == [
        ("email_notifications", DEAL_LOST_ALERT),
        ("tasks", LOST_DEAL_TASK),
    ]
    # `_delete: null` removes an action, and then a condition
    resp = _put(
        api,
        rule_id,
        {
            "conditions": [
                {
                    "id": cid,
                    "instant_actions": {
                        "actions": [{"type": "tasks", "id": LOST_DEAL_TASK, "_delete": None}]
                    },
                }
            ]
        },
    )
    assert resp.status_code == 200
    assert [a["type"] for a in actions_of(org.rules[rule_id])] == ["email_notifications"]
    second = _cond_id(org, rule_id, 1)
    assert _put(api, rule_id, {"conditions": [{"id": second, "_delete": None}]}).status_code == 200
    assert [c["id"] for c in org.rules[rule_id]["conditions"]] == [cid]


def test_inline_action_with_id_is_edited(api, org, rule_id):
    cid = _cond_id(org, rule_id)
    add = {"type": "add_tags", "details": {"tags": [{"name": "Priority"}]}}
    assert (
        _put(
            api, rule_id, {"conditions": [{"id": cid, "instant_actions": {"actions": [add]}}]}
        ).status_code
        == 200
    )
    tag_action = actions_of(org.rules[rule_id])[1]
    edit = {
        "type": "add_tags",
        "id": tag_action["id"],
        "details": {"tags": [{"id": "4876876000016794071"}], "over_write": True},
    }
    resp = _put(api, rule_id, {"conditions": [{"id": cid, "instant_actions": {"actions": [edit]}}]})
    assert resp.status_code == 200
    edited = actions_of(org.rules[rule_id])[1]
    assert edited["id"] == tag_action["id"]
    assert [t["name"] for t in edited["details"]["tags"]] == ["Lost due to Pricing"]
    assert edited["details"]["over_write"] is True


# (Zoho example, request rule) for restrictions with documented bodies; `{cid}` = first condition
def _examples(org, rule_id):
    cid = _cond_id(org, rule_id)
    crit = org.rules[rule_id]["conditions"][0]["criteria_details"]
    return {
        "InvalidConditionId": {"conditions": [{"id": "4876876999999999999", "sequence_number": 1}]},
        "DependentFieldMissingResponse1": {
            "conditions": [
                {
                    "id": cid,
                    "instant_actions": {
                        "actions": [{"type": "tasks", "id": LOST_DEAL_TASK}, {"type": "webhooks"}]
                    },
                }
            ]
        },
        "DuplicateActionNotAllowedResponse": {
            "conditions": [
                {
                    "id": cid,
                    "instant_actions": {
                        "actions": [
                            {"type": "tasks", "id": LOST_DEAL_TASK},
                            {"type": "tasks", "id": LOST_DEAL_TASK},
                        ]
                    },
                }
            ]
        },
        "AlreadyUsedResponse": {
            "conditions": [
                {"id": cid, "sequence_number": 1},
                condition(sequence_number=2, criteria_details=copy.deepcopy(crit)),
            ]
        },
    }


@pytest.mark.parametrize(
    "example",
    [
        "InvalidConditionId",
        "DependentFieldMissingResponse1",
        "DuplicateActionNotAllowedResponse",
        "AlreadyUsedResponse",
    ],
)
@pytest.mark.parametrize("operation", ["updateWorkflowRuleById", "updateWorkflowRule"])
def test_update_errors_match_zoho(api, org, rule_id, example, operation):
    before = copy.deepcopy(org.rules)
    rule = _examples(org, rule_id)[example]
    if operation == "updateWorkflowRule":
        resp = api.put(RULES, json=body({"id": rule_id, **rule}))
    else:
        resp = _put(api, rule_id, rule)
    assert resp.status_code == 400
    assert resp.json == zoho_example("workflow_rules", operation, 400, example)
    assert org.rules == before


def test_removing_the_last_action_cannot_remove(api, org, rule_id):
    before = copy.deepcopy(org.rules[rule_id])
    cid = _cond_id(org, rule_id)
    resp = _put(
        api,
        rule_id,
        {
            "conditions": [
                {
                    "id": cid,
                    "instant_actions": {
                        "actions": [
                            {"type": "email_notifications", "id": DEAL_LOST_ALERT, "_delete": None}
                        ]
                    },
                }
            ]
        },
    )
    assert resp.status_code == 400
    assert resp.json == zoho_example(
        "workflow_rules", "updateWorkflowRule", 400, "CannotRemoveLastActionResponse"
    )
    assert org.rules[rule_id] == before


def test_bulk_put_id_missing_or_unknown(api):
    resp = api.put(RULES, json=body({"name": "x"}))
    assert resp.status_code == 400
    assert resp.json == zoho_example("workflow_rules", "updateWorkflowRule", 400, "NoUrlIdResponse")
    resp = api.put(RULES, json=body({"id": "4876876999999999999", "name": "x"}))
    assert resp.json == zoho_example(
        "workflow_rules", "updateWorkflowRule", 400, "InvalidRuleIdResponse"
    )


def test_unknown_id_in_url(api):
    resp = api.put(f"{RULES}/4876876999999999999", json=body({"name": "x"}))
    assert resp.status_code == 400
    assert resp.json == zoho_example(
        "workflow_rules", "updateWorkflowRuleById", 400, "UrlPathIdMissing"
    )


def _not_allowed(api_name: str, path: str, message: str) -> dict:
    return {
        "workflow_rules": [
            {
                "code": "NOT_ALLOWED",
                "details": {"api_name": api_name, "json_path": path},
                "message": message,
                "status": "error",
            }
        ]
    }


RESTRICTIONS = [
    (
        {"module": {"api_name": "Leads"}},
        _not_allowed("module", "$.workflow_rules[*].module", "module cannot be updated"),
    ),
    (
        {"execute_when": {"type": "score_increase"}},
        _not_allowed(
            "type",
            "$.workflow_rules[*].execute_when.type",
            "trigger type cannot be changed to another category",
        ),
    ),
    (
        {
            "execute_when": {
                "type": "date_or_datetime",
                "details": {"field": {"api_name": "Closing_Date"}, "period": "days", "unit": 1},
            }
        },
        _not_allowed(
            "type",
            "$.workflow_rules[*].execute_when.type",
            "trigger type cannot be changed to another category",
        ),
    ),
    (
        {"execute_when": {"type": "create", "details": {"trigger_module": {"api_name": "Notes"}}}},
        _not_allowed(
            "trigger_module",
            "$.workflow_rules[0].execute_when.details.trigger_module",
            "trigger_module cannot be updated",
        ),
    ),
]


@pytest.mark.parametrize(("change", "expected"), RESTRICTIONS)
def test_immutable_module_trigger_module_and_category(api, org, rule_id, change, expected):
    before = copy.deepcopy(org.rules[rule_id])
    resp = _put(api, rule_id, change)
    assert resp.status_code == 400
    assert resp.json == expected
    assert org.rules[rule_id] == before


def test_trigger_may_change_within_its_category(api, org, rule_id):
    resp = _put(api, rule_id, {"execute_when": {"type": "create_or_edit"}})
    assert resp.status_code == 200
    assert org.rules[rule_id]["execute_when"]["type"] == "create_or_edit"


ACTION_PATH = "$.workflow_rules[0].conditions[0].instant_actions.actions"


def test_new_trigger_must_support_the_kept_actions(api, org, rule_id):
    cid = _cond_id(org, rule_id)
    assert (
        _put(
            api,
            rule_id,
            {
                "conditions": [
                    {
                        "id": cid,
                        "instant_actions": {"actions": [{"type": "tasks", "id": LOST_DEAL_TASK}]},
                    }
                ]
            },
        ).status_code
        == 200
    )
    before = copy.deepcopy(org.rules[rule_id])
    resp = _put(api, rule_id, {"execute_when": {"type": "delete"}})
    assert resp.status_code == 400
    assert resp.json["workflow_rules"][0] == {
        "code": "AMBIGUITY_DURING_PROCESSING",
        "details": {
            "ambiguity_due_to": [
                {"api_name": "type", "json_path": "$.workflow_rules[0].execute_when.type"},
                {
                    "api_name": "type",
                    "json_path": f"{ACTION_PATH}[1].type",
                },
            ]
        },
        "message": "action not supported for this trigger",
        "status": "error",
    }
    assert org.rules[rule_id] == before


def test_per_type_action_limit_from_the_catalogue(api, org, rule_id):
    cid = _cond_id(org, rule_id)
    limit = org.catalogue.action("Deals", "assign_owner")["limit"]
    users = [u["id"] for u in org.users][: limit + 1]
    owners = [
        {
            "type": "assign_owner",
            "details": {"assign_to": [{"type": "user", "resource": {"id": uid}}]},
        }
        for uid in users
    ]
    before = copy.deepcopy(org.rules[rule_id])
    resp = _put(api, rule_id, {"conditions": [{"id": cid, "instant_actions": {"actions": owners}}]})
    assert resp.status_code == 400
    assert resp.json["workflow_rules"][0] == {
        "code": "LIMIT_EXCEEDED",
        "details": {
            "api_name": "actions",
            "limit": limit,
            "json_path": "$.workflow_rules[0].conditions[0].instant_actions.actions",
        },
        "message": "actions limit exceeded",
        "status": "error",
    }
    assert org.rules[rule_id] == before


def test_deactivate_and_activate(api, org, rule_id):
    resp = _put(api, rule_id, {"status": {"active": False, "delete_schedule_action": True}})
    assert resp.status_code == 200
    assert org.rules[rule_id]["status"] == {"active": False}
    assert _put(api, rule_id, {"status": {"active": True}}).status_code == 200
    assert org.rules[rule_id]["status"] == {"active": True}


def test_locked_rule_refuses_changes_until_unlocked(api, org, rule_id):
    assert _put(api, rule_id, {"lock": {"status": True, "message": "frozen"}}).status_code == 200
    lock = org.rules[rule_id]["lock"]
    assert lock == {
        "locked_by": {"name": "Patricia Boyle", "id": "4876876000000327001"},
        "message": "frozen",
        "status": True,
    }
    before = copy.deepcopy(org.rules[rule_id])
    resp = _put(api, rule_id, {"name": "changed"})
    assert resp.status_code == 400
    assert resp.json == {
        "workflow_rules": [
            {
                "code": "RECORD_LOCKED",
                "details": {"api_name": "id", "json_path": "$.workflow_rules[0].id"},
                "message": "Sorry, you cannot perform this operation as the record is locked.",
                "status": "error",
            }
        ]
    }
    assert org.rules[rule_id] == before
    assert _put(api, rule_id, {"lock": {"status": False}}).status_code == 200
    assert _put(api, rule_id, {"name": "changed"}).status_code == 200


def test_vp_alert_condition_id_is_kept_by_put(api, org):
    resp = _put(api, VP_ALERT, {"conditions": [{"id": VP_ALERT_CONDITION, "sequence_number": 1}]})
    assert resp.status_code == 200
    assert org.rules[VP_ALERT]["conditions"][0]["id"] == VP_ALERT_CONDITION
