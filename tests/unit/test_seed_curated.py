"""The Zylker seed org's curated material: the hand-authored rules the Kaizen requests and
audits rely on (VP alert, high-value lead, locked and audit rules), the usage counters, and every
seed object against Zoho's GET schemas. Determinism and consistency: test_seed.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from seed_helpers import (  # noqa: F401 (seed_files is the fixture `seed`)
    STAMP,
    actions,
    by_id,
    seed_files,
)

from mockcrm.seed.build import INPUT_FILES
from mockcrm.seed.generator import generate_rules

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
VP_ALERT, HIGH_VALUE_LEAD = "4876876000016390024", "4876876000013248001"
PREMIUM_LEAD_WEBHOOK = "4876876000016390771"
LOCKED = {"4876876000011410001", "4876876000011140001", "4876876000011150001"}


# ---------------------------------------------------------------------------- curated rules
def test_vp_alert_rule(seed: dict) -> None:
    rule = by_id(seed["workflow_rules"])[VP_ALERT]
    assert rule["name"] == "VP Alert - High Value Deal"
    assert rule["module"] == {"api_name": "Deals", "id": "4876876000000002181"}
    assert rule["execute_when"]["type"] == "create_or_edit"
    assert rule["status"]["active"] and rule["last_executed_time"] is None
    assert rule["created_time"] < "2025-04-01" and rule["lock"]["status"] is False
    (cond,) = rule["conditions"]
    assert cond["id"] == "4876876000016390025" and cond["sequence_number"] == 1
    crit = cond["criteria_details"]["criteria"]
    assert crit["group_operator"] == "AND"
    assert [(c["field"], c["comparator"], c["value"]) for c in crit["group"]] == [
        ({"api_name": "Amount", "id": "4876876000000002557"}, "greater_than", "50000"),
        ({"api_name": "Stage", "id": "4876876000000002565"}, "equal", "Negotiation/Review"),
    ]
    kinds = sorted(a["type"] for a in cond["instant_actions"]["actions"])
    assert kinds == ["email_notifications", "tasks"]
    assert VP_ALERT not in seed["usage"]


def test_high_value_lead_rule_and_usage(seed: dict) -> None:
    rule = by_id(seed["workflow_rules"])[HIGH_VALUE_LEAD]
    assert rule["name"] == "High Value Lead Rule" and rule["module"]["api_name"] == "Leads"
    assert rule["execute_when"]["type"] == "create" and rule["status"]["active"]
    assert rule["last_executed_time"] is not None
    first, second = rule["conditions"]
    assert (first["id"], second["id"]) == ("4876876000013248002", "4876876000013248004")
    instant = {a["id"]: a for a in first["instant_actions"]["actions"]}
    assert instant["4876876000016390103"]["name"] == "High revenue Lead added"
    assert instant["4876876000013248016"]["name"] == "To users : Patricia Boyle"
    (group,) = first["scheduled_actions"]
    assert group["id"] == "4876876000016390118"
    assert [a["id"] for a in group["actions"]] == ["4876876000016390103"]
    (tag_action,) = second["instant_actions"]["actions"]
    assert tag_action["id"] == "4876876000013248015" and tag_action["name"] == "P1"
    assert tag_action["details"]["tags"][0]["id"] == "4876876000011037076"
    usage = seed["usage"][HIGH_VALUE_LEAD]
    metrics = {"bulk_mail": False, "unopened": 0, "sent_percentage": 100, "opened": 1,
               "delivered": 1, "unsent": 0, "bounced": 0, "clicked": 0, "sent": 1}  # fmt: skip
    at = "2025-10-16T16:19:58+05:30"
    email = {"success_count": 1, "failure_count": 0, "queue_count": 0, "associated_time": at,
             "related_details": metrics}  # fmt: skip
    assert usage == {
        "trigger_count": 3,
        "reset_time": "2025-10-16T16:23:04+05:30",
        "conditions": {"4876876000013248002": 2, "4876876000013248004": 0},
        "actions": {
            "4876876000013248002/instant/4876876000016390103": email,
            "4876876000013248002/instant/4876876000013248016": {
                "success_count": 2, "failure_count": 0,
                "associated_time": "2025-08-08T22:40:00+05:30"},
            "4876876000013248002/4876876000016390118/4876876000016390103": email,
            "4876876000013248004/instant/4876876000013248015": {
                "success_count": 0, "failure_count": 0,
                "associated_time": "2025-08-08T22:40:00+05:30"},
        },
    }  # fmt: skip


def test_curated_audit_material(seed: dict) -> None:
    rules = seed["workflow_rules"]
    rules_by_id = by_id(rules)
    webhook_users = [r for r in rules for _c, _s, _g, a in actions(r)
                     if a["id"] == PREMIUM_LEAD_WEBHOOK]  # fmt: skip
    assert webhook_users and webhook_users[0]["module"]["api_name"] == "Leads"
    assert by_id(seed["webhooks"])[PREMIUM_LEAD_WEBHOOK]["name"] == "Premium Lead Alert"
    locked = {r["id"] for r in rules if r["lock"]["status"]}
    assert locked == LOCKED
    for rid in LOCKED:
        lock = rules_by_id[rid]["lock"]
        assert lock == {"locked_by": {"name": "Patricia Boyle", "id": "4876876000000327001"},
                        "message": "Locked by admin", "status": True}  # fmt: skip
    words = {r["id"]: re.sub(r"[^a-z ]", " ", r["name"].lower()).split() for r in rules}
    won = [r for r in rules if words[r["id"]][:4] == ["deal", "won", "notify", "finance"]]
    assert len(won) >= 3
    assert len({json.dumps(r["execute_when"], sort_keys=True) for r in won}) == 1
    assert any(not r["status"]["active"] for r in won)
    assert sum(not r["status"]["active"] for r in rules) >= 5
    assert sum(r["last_executed_time"] is None for r in rules) >= 5
    assert all(r["name"] != "Lost Deal due to Pricing - Follow Up" for r in rules)
    notes = [r for r in rules if r["execute_when"]["details"]["trigger_module"]["api_name"]
             == "Notes"]  # fmt: skip
    assert {r["module"]["api_name"] for r in notes} == {"Leads", "Deals"}


def test_usage_counters(seed: dict) -> None:
    rules = by_id(seed["workflow_rules"])
    assert {rid for rid, r in rules.items() if r["last_executed_time"]} == set(seed["usage"])
    for rid, usage in seed["usage"].items():
        rule = rules[rid]
        slots = {f"{c['id']}/{s}/{a['id']}" for c, s, _g, a in actions(rule)}
        assert set(usage["actions"]) == slots, rid
        assert set(usage["conditions"]) == {c["id"] for c in rule["conditions"]}
        assert sum(usage["conditions"].values()) <= usage["trigger_count"]
        for entry in usage["actions"].values():
            counts = [entry["success_count"], entry["failure_count"], entry.get("queue_count", 0)]
            assert min(counts) >= 0
            assert STAMP.fullmatch(entry["associated_time"])


def test_kaizen_215_requests_find_what_they_need(seed: dict) -> None:
    kaizen = json.loads((FIXTURES / "kaizen_215_requests.json").read_text(encoding="utf-8"))
    put = kaizen["step5_put"]["workflow_rules"][0]
    vp_alert = by_id(seed["workflow_rules"])[VP_ALERT]
    assert put["conditions"][0]["id"] in {c["id"] for c in vp_alert["conditions"]}
    deal_tags = {t["name"]: t for t in seed["tags"]["Deals"]}
    assert "Priority" in deal_tags
    post = kaizen["step6_post"]["workflow_rules"][0]
    assert post["name"] not in {r["name"] for r in seed["workflow_rules"]}
    deals = {f["api_name"]: f["id"] for f in seed["fields"]["Deals"]}
    for leaf in [post["execute_when"]["details"]["criteria"],
                 *post["conditions"][0]["criteria_details"]["criteria"]["group"]]:  # fmt: skip
        assert deals[leaf["field"]["api_name"]] == leaf["field"]["id"]
    cond = post["conditions"][0]
    for action in cond["instant_actions"]["actions"] + cond["scheduled_actions"][0]["actions"]:
        if action["type"] == "add_tags":
            for tag in action["details"]["tags"]:
                assert {k: deal_tags[tag["name"]][k] for k in tag} == tag
        else:
            entity = by_id(seed[action["type"]])[action["id"]]
            assert entity["name"] == action["name"] and entity["module"]["api_name"] == "Deals"


# ---------------------------------------------------------------------------- Zoho's schemas
def test_seed_objects_match_zohos_get_schemas(seed: dict) -> None:
    oas = pytest.importorskip("oas")
    for rule in seed["workflow_rules"]:
        oas.validate_response("workflow_rules", "getWorkflowRuleById", 200,
                              {"workflow_rules": [rule]})  # fmt: skip
    for spec, op, key in (("field_updates", "getFieldUpdateById", "field_updates"),
                          ("workflow_tasks", "getTaskById", "tasks"),
                          ("webhooks", "getWebhookById", "webhooks")):  # fmt: skip
        for entity in seed[key]:
            oas.validate_response(spec, op, 200, {key: [entity]})
    for tags in seed["tags"].values():
        body = {"tags": tags, "info": {"count": len(tags), "allowed_count": 500}}
        oas.validate_response("tags", "getTags", 200, body)
    org = {name: seed[name] for name in INPUT_FILES}
    for rule in generate_rules(org, 60, 11, 4876876000090000001):
        oas.validate_response("workflow_rules", "getWorkflowRuleById", 200,
                              {"workflow_rules": [rule]})  # fmt: skip
