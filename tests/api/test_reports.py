"""rules_count, module_specific_count, actions_count and usage."""

from __future__ import annotations

from oas import validate_response, zoho_example
from rules_helpers import HIGH_VALUE_LEAD, RULES, VP_ALERT, body, deal_rule

ACTIONS = f"{RULES}/actions"


def test_rules_count_tracks_creates(api, org):
    resp = api.get(f"{ACTIONS}/rules_count")
    assert resp.status_code == 200
    validate_response("workflow_rules", "getWorkflowRulesCount", 200, resp.json)
    counts = resp.json["rules_count"]
    assert counts["total_rules_configured"] == len(org.rules)
    assert counts["active_rules_configured"] == sum(
        r["status"]["active"] for r in org.rules.values()
    )
    assert counts["total_rules_limit"] == 2500 and counts["active_rules_limit_per_module"] == 75
    api.post(RULES, json=body(deal_rule()))
    after = api.get(f"{ACTIONS}/rules_count").json["rules_count"]
    assert after["total_rules_configured"] == counts["total_rules_configured"] + 1
    assert after["active_rules_configured"] == counts["active_rules_configured"] + 1


def test_module_specific_count(api, org):
    resp = api.get(f"{ACTIONS}/module_specific_count")
    validate_response("workflow_rules", "getModuleSpecificActionsCount", 200, resp.json)
    by_module = {m["module"]["api_name"]: m for m in resp.json["module_specific_count"]}
    assert by_module["Deals"]["total_rules_configured"] == len(org.rule_order["Deals"])
    assert by_module["Deals"]["module"] == {"api_name": "Deals", "id": "4876876000000002181"}
    one = api.get(f"{ACTIONS}/module_specific_count", query_string={"module": "Leads"}).json
    assert [m["module"]["api_name"] for m in one["module_specific_count"]] == ["Leads"]
    bad = api.get(f"{ACTIONS}/module_specific_count", query_string={"module": "Nope"})
    assert bad.status_code == 400
    assert bad.json == zoho_example(
        "workflow_rules", "getModuleSpecificActionsCount", 400, "InvalidModuleResponse1"
    )


def test_actions_count(api, org):
    resp = api.get(
        f"{ACTIONS}/actions_count", query_string={"ids": f"{VP_ALERT},{HIGH_VALUE_LEAD}"}
    )
    assert resp.status_code == 200
    validate_response("workflow_rules", "getWorkflowRulesActionsCount", 200, resp.json)
    vp, lead = resp.json["workflow_rules"]
    assert vp["id"] == VP_ALERT
    counts = {
        c["type"]: c["value"] for c in vp["conditions"][0]["instant_actions"]["actions_count"]
    }
    assert counts == {"email_notifications": 1, "tasks": 1}
    assert vp["conditions"][0]["scheduled_actions"] is None
    assert lead["conditions"][0]["scheduled_actions"] == [
        {"actions_count": [{"type": "email_notifications", "value": 1}]}
    ]
    missing = api.get(f"{ACTIONS}/actions_count")
    assert missing.status_code == 400
    assert missing.json == {
        "code": "REQUIRED_PARAM_MISSING",
        "details": {"param_name": "ids"},
        "message": "One of the expected parameter is missing",
        "status": "error",
    }


def test_usage_of_high_value_lead_rule(api):
    resp = api.get(
        f"{RULES}/{HIGH_VALUE_LEAD}/actions/usage",
        query_string={"executed_from": "2025-09-01", "executed_till": "2025-11-01"},
    )
    assert resp.status_code == 200, resp.json
    validate_response("workflow_rules", "getWorkflowRuleUsage", 200, resp.json)
    (usage,) = resp.json["workflow_rules"]
    assert usage["trigger_count"] == 3 and usage["name"] == "High Value Lead Rule"
    assert usage["reset_time"] == "2025-10-16T16:23:04+05:30"
    first, second = usage["conditions"]
    assert first["usage_count"] == 2 and second["usage_count"] == 0
    owner = next(a for a in first["instant_actions"]["actions"] if a["type"] == "assign_owner")
    assert owner["success_count"] == 2 and owner["name"] == "To users : Patricia Boyle"
    tag = second["instant_actions"]["actions"][0]
    assert tag["tag_id"] == "4876876000011037076"


def test_usage_of_a_never_run_rule_is_zero(api):
    resp = api.get(
        f"{RULES}/{VP_ALERT}/actions/usage",
        query_string={"executed_from": "2025-09-01", "executed_till": "2025-11-01"},
    )
    validate_response("workflow_rules", "getWorkflowRuleUsage", 200, resp.json)
    usage = resp.json["workflow_rules"][0]
    assert usage["trigger_count"] == 0
    assert all(c["usage_count"] == 0 for c in usage["conditions"])


def test_usage_parameter_errors(api):
    url = f"{RULES}/{VP_ALERT}/actions/usage"
    missing = api.get(url, query_string={"executed_till": "2025-11-01"})
    assert missing.status_code == 400
    assert missing.json == {
        "code": "REQUIRED_PARAM_MISSING",
        "details": {"param_name": "executed_from"},
        "message": "required param not found",
        "status": "error",
    }
    # yyyy-MM-dd only: Python's date.fromisoformat also reads the basic and week forms.
    for wrong in ("1st June", "20251101", "2025-W45-1", "2025-02-30"):
        bad = api.get(url, query_string={"executed_from": wrong, "executed_till": "2025-11-01"})
        assert bad.status_code == 400
        assert bad.json == {
            "code": "INVALID_DATA",
            "details": {"expected_data_type": "datetime", "param_name": "executed_from"},
            "message": "Please provide  ISO Time format to the param",
            "status": "error",
        }
    wide = api.get(url, query_string={"executed_from": "2025-01-01", "executed_till": "2025-11-01"})
    assert wide.status_code == 400
    assert wide.json == {
        "code": "INVALID_REQUEST",
        "details": {},
        "message": "DATE_RANGE_EXCEEDS",
        "status": "error",
    }
