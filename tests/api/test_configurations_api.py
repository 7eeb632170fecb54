"""GET /crm/v8/workflow_configurations?module=X served from the shared catalogue."""

from __future__ import annotations

import pytest
from oas import validate_response

URL = "/crm/v8/workflow_configurations"


@pytest.mark.parametrize(
    "module", ["Leads", "Contacts", "Accounts", "Deals", "Tasks", "Calls", "Products"]
)
def test_configurations_validate_and_use_org_module_ids(api, org, module):
    resp = api.get(URL, query_string={"module": module})
    assert resp.status_code == 200
    validate_response("workflow_configurations", "getWorkflowConfigurations", 200, resp.json)
    conf = resp.json["workflow_configurations"]
    assert conf["triggers"]
    for trigger in conf["triggers"]:
        assert org.catalogue.trigger(module, trigger["api_name"]) == trigger
    for related in conf["related_triggers_details"]:
        assert related["module"]["id"] == org.modules[related["api_name"]]["id"]


def test_deals_create_or_edit_matches_kaizen(api):
    conf = api.get(URL, query_string={"module": "Deals"}).json["workflow_configurations"]
    trigger = next(t for t in conf["triggers"] if t["api_name"] == "create_or_edit")
    assert trigger == {
        "api_name": "create_or_edit",
        "deprecated": False,
        "name": "CreateorEdit",
        "scheduled_actions_supported": True,
        "actions": [
            "field_updates",
            "assign_owner",
            "add_tags",
            "remove_tags",
            "email_notifications",
            "tasks",
            "create_record",
            "create_connected_record",
            "add_meeting",
            "webhooks",
            "functions",
            "circuits",
            "flow",
        ],
    }


def test_configuration_errors(api):
    missing = api.get(URL)
    assert missing.status_code == 400
    assert missing.json == {
        "code": "REQUIRED_PARAM_MISSING",
        "details": {"param_name": "module"},
        "message": "required param not found",
        "status": "error",
    }
    bad = api.get(URL, query_string={"module": "Notes"})
    assert bad.status_code == 400
    assert bad.json == {
        "code": "INVALID_MODULE",
        "details": {"param_name": "module"},
        "message": "The value provided to the param is Invalid",
        "status": "error",
    }
