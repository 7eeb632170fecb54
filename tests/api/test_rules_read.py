"""GET /workflow_rules (list, filters, paging) and GET /workflow_rules/{id}."""

from __future__ import annotations

import json

import pytest
from oas import validate_response, zoho_example
from rules_helpers import RULES, VP_ALERT


def test_list_is_in_execution_order_and_valid(api, org):
    resp = api.get(RULES)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/json;charset=UTF-8"
    validate_response("workflow_rules", "getWorkflowRules", 200, resp.json)
    ids = [r["id"] for r in resp.json["workflow_rules"]]
    assert ids == [r["id"] for r in org.ordered_rules()][:200]
    assert "conditions" not in resp.json["workflow_rules"][0]
    assert resp.json["info"] == {
        "per_page": 200,
        "count": len(ids),
        "page": 1,
        "more_records": len(org.rules) > 200,
    }


def test_paging_follows_more_records(api, org):
    seen, page = [], 1
    while True:
        resp = api.get(RULES, query_string={"per_page": 7, "page": page})
        if resp.status_code == 204:
            break
        info = resp.json["info"]
        assert info["per_page"] == 7 and info["page"] == page
        seen += [r["id"] for r in resp.json["workflow_rules"]]
        if not info["more_records"]:
            break
        page += 1
    assert seen == [r["id"] for r in org.ordered_rules()]
    past = api.get(RULES, query_string={"per_page": 7, "page": page + 1})
    assert past.status_code == 204 and past.data == b""


def test_module_filter_and_inner_details(api, org):
    resp = api.get(RULES, query_string={"module": "Deals", "include_inner_details": "true"})
    validate_response("workflow_rules", "getWorkflowRules", 200, resp.json)
    rules = resp.json["workflow_rules"]
    assert [r["id"] for r in rules] == org.rule_order["Deals"]
    assert all(r["module"]["api_name"] == "Deals" and r["conditions"] for r in rules)


def test_status_execute_on_and_name_filters(api, org):
    inactive = api.get(RULES, query_string={"status_active": "false"}).json["workflow_rules"]
    assert inactive and all(r["status"]["active"] is False for r in inactive)
    assert len(inactive) == sum(not r["status"]["active"] for r in org.rules.values())
    edits = api.get(RULES, query_string={"module": "Deals", "execute_on": "create_or_edit"})
    assert VP_ALERT in [r["id"] for r in edits.json["workflow_rules"]]
    assert all(r["execute_when"]["type"] == "create_or_edit" for r in edits.json["workflow_rules"])
    needle = {"field": {"api_name": "name"}, "comparator": "contains", "value": "vp alert"}
    named = api.get(RULES, query_string={"filter": json.dumps(needle)}).json["workflow_rules"]
    assert [r["id"] for r in named] == [VP_ALERT]
    nothing = {**needle, "value": "no rule is called this"}
    assert api.get(RULES, query_string={"filter": json.dumps(nothing)}).status_code == 204


def test_sort_by_modified_time(api):
    rules = api.get(RULES, query_string={"sort_by": "modified_time", "sort_order": "asc"}).json
    times = [r["modified_time"] for r in rules["workflow_rules"]]
    assert times == sorted(times)


def _param_error(code, param, message="The value provided to the param is Invalid"):
    return {"code": code, "details": {"param_name": param}, "message": message, "status": "error"}


PARAM_ERRORS = [
    (
        {"module": "Dealz"},
        zoho_example("workflow_rules", "getWorkflowRules", 400, "InvalidModuleResponse"),
    ),
    (
        {"sort_order": "up"},
        zoho_example("workflow_rules", "getWorkflowRules", 400, "InvalidParamResponse"),
    ),
    ({"sort_by": "name"}, _param_error("INVALID_DATA", "sort_by")),
    ({"per_page": "201"}, _param_error("INVALID_DATA", "per_page")),
    ({"per_page": "0"}, _param_error("INVALID_DATA", "per_page")),
    ({"page": "x"}, _param_error("INVALID_DATA", "page")),
    ({"status_active": "yes"}, _param_error("INVALID_DATA", "status_active")),
    ({"filter": "{not json"}, _param_error("INVALID_DATA", "filter")),
    (
        {"execute_on": "create"},
        _param_error(
            "REQUIRED_PARAM_MISSING", "module", "One of the expected parameter is missing"
        ),
    ),
    (
        {"trigger_module": "Notes"},
        _param_error(
            "REQUIRED_PARAM_MISSING", "module", "One of the expected parameter is missing"
        ),
    ),
]


@pytest.mark.parametrize(("params", "expected"), PARAM_ERRORS)
def test_list_parameter_errors(api, params, expected):
    resp = api.get(RULES, query_string=params)
    assert resp.status_code == 400
    assert resp.json == expected


def test_get_by_id_is_a_one_element_array_with_full_details(api, org):
    resp = api.get(f"{RULES}/{VP_ALERT}")
    assert resp.status_code == 200
    validate_response("workflow_rules", "getWorkflowRuleById", 200, resp.json)
    (rule,) = resp.json["workflow_rules"]
    assert rule == org.rules[VP_ALERT]
    assert rule["last_executed_time"] is None and rule["conditions"]


def test_get_unknown_id(api):
    resp = api.get(f"{RULES}/4876876999999999999")
    assert resp.status_code == 400
    assert resp.json == {
        "code": "INVALID_DATA",
        "details": {"resource_path_index": 3},
        "message": "the id given seems to be invalid",
        "status": "error",
    }
