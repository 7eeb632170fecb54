"""A provisioning script's write flow, end to end, as real clients run it against Zoho."""

from __future__ import annotations

import json

from oas import validate_response

RULES = "/crm/v8/settings/automation/workflow_rules"
FIELD_UPDATES = "/crm/v8/settings/automation/field_updates"
RULE_NAME = "Negotiation Deals - Flag Stage"


def test_field_update_then_rule_then_cleanup(api):
    modules = api.get("/crm/v8/settings/modules").json["modules"]
    deals = next(m for m in modules if m["api_name"] == "Deals")
    fields = api.get("/crm/v8/settings/fields", query_string={"module": "Deals"}).json["fields"]
    stage = next(f for f in fields if f["api_name"] == "Stage")
    amount = next(f for f in fields if f["api_name"] == "Amount")
    assert "Negotiation/Review" in [v["actual_value"] for v in stage["pick_list_values"]]

    created = api.post(FIELD_UPDATES, json={"field_updates": [{
        "name": "Set Stage to Negotiation", "module": {"api_name": "Deals", "id": deals["id"]},
        "field": {"api_name": "Stage", "id": stage["id"]}, "value": "Negotiation/Review",
        "type": "static", "feature_type": "workflow"}]})  # fmt: skip
    assert created.status_code == 201, created.json
    validate_response("field_updates", "createFieldUpdates", 201, created.json)
    field_update_id = created.json["field_updates"][0]["details"]["id"]

    by_name = {"field": {"api_name": "name"}, "comparator": "contains", "value": RULE_NAME}
    assert api.get(RULES, query_string={"filter": json.dumps(by_name)}).status_code == 204

    rule = {
        "name": RULE_NAME,
        "module": {"api_name": "Deals", "id": deals["id"]},
        "execute_when": {"type": "create_or_edit", "details": {"repeat": False}},
        "conditions": [{
            "sequence_number": 1,
            "criteria_details": {"criteria": {
                "field": {"api_name": "Amount", "id": amount["id"]},
                "comparator": "greater_equal", "value": "100000"}},
            "instant_actions": {"actions": [{"type": "field_updates", "id": field_update_id}]},
        }],
    }  # fmt: skip
    posted = api.post(RULES, json={"workflow_rules": [rule]})
    assert posted.status_code == 201
    (result,) = posted.json["workflow_rules"]
    assert result["code"] == "SUCCESS" and result["message"] == "workflow created"
    rule_id = result["details"]["id"]
    found = api.get(RULES, query_string={"filter": json.dumps(by_name)}).json["workflow_rules"]
    assert [r["id"] for r in found] == [rule_id]

    fetched = api.get(f"{FIELD_UPDATES}/{field_update_id}").json["field_updates"][0]
    assert fetched["associated"] is True
    refused = api.delete(f"{FIELD_UPDATES}/{field_update_id}")
    assert refused.status_code == 400
    assert refused.json == {
        "code": "NOT_ALLOWED",
        "details": {"resource_path_index": 3},
        "message": "This field update is associated with at least one of Approval Process/"
        "Workflow Rules/Blueprint",
        "status": "error",
    }
    assert api.get(f"{FIELD_UPDATES}/{field_update_id}").status_code == 200

    assert api.delete(f"{RULES}/{rule_id}").status_code == 200
    fetched = api.get(f"{FIELD_UPDATES}/{field_update_id}").json["field_updates"][0]
    assert fetched["associated"] is False
    deleted = api.delete(f"{FIELD_UPDATES}/{field_update_id}")
    assert deleted.status_code == 200
    assert deleted.json["field_updates"][0]["code"] == "SUCCESS"
    assert api.get(f"{FIELD_UPDATES}/{field_update_id}").status_code == 204  # gone (Zoho's 204)
