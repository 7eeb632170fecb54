"""Integrity between workflow rules and the action entities they use."""

from __future__ import annotations

import pytest
from actions_helpers import BASE, KINDS, RULES, create, lead_rule, wrap
from oas import validate_response, zoho_example


def _associated(api, kind: str, entity_id: str) -> bool:
    return api.get(f"{BASE}/{kind}/{entity_id}").json[kind][0]["associated"]


def _listed_associated(api, kind: str, entity_id: str) -> bool:
    items = api.get(f"{BASE}/{kind}").json[kind]
    return next(i for i in items if i["id"] == entity_id)["associated"]


def _new_rule(api, kind: str, entity_id: str, name: str = "Uses an action") -> str:
    resp = api.post(RULES, json=lead_rule(kind, entity_id, name))
    assert resp.status_code == 201, resp.json
    return resp.json["workflow_rules"][0]["details"]["id"]


@pytest.mark.parametrize("kind", KINDS)
def test_associated_follows_the_rules_and_guards_delete(api, org, kind):
    new = create(api, kind)
    assert _associated(api, kind, new) is False
    rule = _new_rule(api, kind, new)
    assert _associated(api, kind, new) is True
    assert _listed_associated(api, kind, new) is True
    refused = api.delete(f"{BASE}/{kind}/{new}")
    assert refused.status_code == 400 and refused.json["code"] == "NOT_ALLOWED"
    assert new in org.entities[kind]
    assert api.delete(f"{RULES}/{rule}").status_code == 200
    assert _associated(api, kind, new) is False
    assert api.delete(f"{BASE}/{kind}/{new}").status_code == 200


def test_delete_refused_while_associated_has_zoho_body(api, org):
    hook = create(api, "webhooks")
    _new_rule(api, "webhooks", hook)
    resp = api.delete(f"{BASE}/webhooks/{hook}")
    assert resp.json == zoho_example("webhooks", "deleteWebhooksById", 400, "NotAllowedResponse2")
    bulk = api.delete(f"{BASE}/webhooks", query_string={"ids": hook})
    expected = zoho_example("webhooks", "deleteWebhooks", 400, "NotAllowedAssociatedResponse1")
    expected["webhooks"][0]["details"] = {"id": hook}
    assert bulk.json == expected


def test_association_through_a_scheduled_action_counts(api, org):
    task = create(api, "tasks")
    body = lead_rule("email_notifications", "4876876000016390103", "Scheduled task")
    body["workflow_rules"][0]["conditions"][0]["scheduled_actions"] = [
        {
            "execute_after": {"period": "days", "unit": 1},
            "actions": [{"type": "tasks", "id": task}],
        }
    ]
    resp = api.post(RULES, json=body)
    assert resp.status_code == 201, resp.json
    assert _associated(api, "tasks", task) is True


@pytest.mark.parametrize("kind", KINDS)
def test_renaming_an_entity_renames_it_in_rules(api, org, kind):
    new = create(api, kind)
    rule = _new_rule(api, kind, new)
    resp = api.put(f"{BASE}/{kind}/{new}", json=wrap(kind, {"name": "Brand new name"}))
    assert resp.status_code == 200
    got = api.get(f"{RULES}/{rule}").json
    validate_response("workflow_rules", "getWorkflowRuleById", 200, got)
    action = got["workflow_rules"][0]["conditions"][0]["instant_actions"]["actions"][0]
    assert (action["id"], action["name"]) == (new, "Brand new name")


def test_renaming_a_seeded_entity_renames_every_rule_action(api, org):
    from mockcrm.crm.actions import rule_actions

    hook = "4876876000009610274"  # "Sync Won Deal to ERP", used by several rules
    before = [a for a in rule_actions(org) if a["id"] == hook]
    assert len(before) > 1
    api.put(f"{BASE}/webhooks/{hook}", json={"webhooks": [{"name": "ERP Sync"}]})
    assert [a["name"] for a in rule_actions(org) if a["id"] == hook] == ["ERP Sync"] * len(before)


def test_a_rule_cannot_use_a_missing_or_foreign_entity(api, org):
    deal_hook = create(api, "webhooks", module={"api_name": "Deals"})
    gone = create(api, "tasks")
    api.delete(f"{BASE}/tasks/{gone}")
    rules_before = set(org.rules)
    for kind, entity_id in (("webhooks", deal_hook), ("tasks", gone)):
        resp = api.post(RULES, json=lead_rule(kind, entity_id))
        assert resp.status_code == 400
        assert resp.json == {
            "workflow_rules": [
                {
                    "code": "INVALID_DATA",
                    "details": {
                        "api_name": "id",
                        "json_path": "$.workflow_rules[0].conditions[0].instant_actions"
                        ".actions[0].id",
                    },
                    "message": "the id given seems to be invalid",
                    "status": "error",
                }
            ]
        }
    assert set(org.rules) == rules_before
