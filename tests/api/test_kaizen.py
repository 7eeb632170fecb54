"""Acceptance: Kaizen 215's two requests, verbatim, against the Zylker seed."""

from __future__ import annotations

import json
from pathlib import Path

from oas import validate_response
from rules_helpers import (
    DEAL_LOST_ALERT,
    LOST_DEAL_TASK,
    RULES,
    VP_ALERT,
    VP_ALERT_CONDITION,
    actions_of,
)

KAIZEN = json.loads((Path(__file__).parents[1] / "fixtures/kaizen_215_requests.json").read_text())


def test_step5_put_merges_into_the_vp_alert_rule(api, org):
    before = org.rules[VP_ALERT]
    old_actions = [(a["type"], a["id"]) for a in actions_of(before)]
    resp = api.put(f"{RULES}/{VP_ALERT}", json=KAIZEN["step5_put"])
    assert resp.status_code == 200, resp.json
    assert resp.json == {
        "workflow_rules": [
            {
                "code": "SUCCESS",
                "details": {"id": VP_ALERT},
                "message": "workflow updated",
                "status": "success",
            }
        ]
    }
    validate_response("workflow_rules", "updateWorkflowRuleById", 200, resp.json)

    got = api.get(f"{RULES}/{VP_ALERT}")
    assert got.status_code == 200
    validate_response("workflow_rules", "getWorkflowRuleById", 200, got.json)
    rule = got.json["workflow_rules"][0]
    assert rule["name"] == "VP Alert - High Value Deal."
    assert rule["description"] == "Notify sales leadership and track strategic opportunities"
    cond = rule["conditions"][0]
    assert cond["id"] == VP_ALERT_CONDITION
    group = cond["criteria_details"]["criteria"]["group"]
    assert group[0]["comparator"] == "greater_than" and group[0]["value"] == "300000"
    assert group[0]["field"] == {"api_name": "Amount", "id": "4876876000000002557"}
    assert group[1]["value"] == "Negotiation/Review"
    actions = actions_of(rule)
    # the old email notification and task are kept, the Priority tag is added
    assert [(a["type"], a["id"]) for a in actions[: len(old_actions)]] == old_actions
    assert {t for t, _ in old_actions} == {"email_notifications", "tasks"}
    added = actions[-1]
    assert added["type"] == "add_tags" and len(actions) == len(old_actions) + 1
    assert added["details"]["over_write"] is True
    assert [t["name"] for t in added["details"]["tags"]] == ["Priority"]
    assert added["id"].isdigit() and len(added["id"]) == 19


def test_step6_post_creates_the_lost_deal_rule(api):
    resp = api.post(RULES, json=KAIZEN["step6_post"])
    assert resp.status_code == 201, resp.json
    validate_response("workflow_rules", "postWorkflowRule", 201, resp.json)
    item = resp.json["workflow_rules"][0]
    assert item["code"] == "SUCCESS" and item["message"] == "workflow created"
    new_id = item["details"]["id"]

    got = api.get(f"{RULES}/{new_id}")
    validate_response("workflow_rules", "getWorkflowRuleById", 200, got.json)
    rule = got.json["workflow_rules"][0]
    assert rule["name"] == "Lost Deal due to Pricing - Follow Up"
    assert rule["status"] == {"active": True}
    assert rule["execute_when"]["type"] == "field_update"
    assert rule["execute_when"]["details"]["criteria"]["value"] == "Closed Lost"
    cond = rule["conditions"][0]
    assert [(a["type"], a.get("id")) for a in actions_of(rule)][::2] == [
        ("tasks", LOST_DEAL_TASK),
        ("email_notifications", DEAL_LOST_ALERT),
    ]
    tags = actions_of(rule)[1]["details"]["tags"]
    assert [t["name"] for t in tags] == ["Lost due to Pricing", "Re-engagement pending"]
    (group,) = cond["scheduled_actions"]
    assert group["execute_after"] == {"period": "business_days", "unit": 30}
    assert [(a["type"], a["id"]) for a in group["actions"]] == [("tasks", LOST_DEAL_TASK)]
    assert group["id"].isdigit() and len(group["id"]) == 19
