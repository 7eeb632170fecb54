"""DELETE (by id and bulk) and PUT .../actions/reorder."""

from __future__ import annotations

import copy

import pytest
from oas import validate_response, zoho_example
from rules_helpers import RULES, body, deal_rule

REORDER = f"{RULES}/actions/reorder"


def _new(api, name: str) -> str:
    resp = api.post(RULES, json=body(deal_rule(name=name)))
    assert resp.status_code == 201
    return resp.json["workflow_rules"][0]["details"]["id"]


def _locked(org) -> str:
    return next(r["id"] for r in org.rules.values() if r["lock"]["status"])


def test_delete_by_id(api, org):
    rid = _new(api, "Doomed")
    resp = api.delete(f"{RULES}/{rid}")
    assert resp.status_code == 200
    validate_response("workflow_rules", "deleteWorkflowRuleById", 200, resp.json)
    assert resp.json == {
        "workflow_rules": [
            {
                "code": "SUCCESS",
                "details": {"id": rid},
                "message": "workflow deleted",
                "status": "success",
            }
        ]
    }
    assert rid not in org.rules and rid not in org.rule_order["Deals"]
    again = api.delete(f"{RULES}/{rid}")
    assert again.status_code == 400
    assert again.json == zoho_example(
        "workflow_rules", "deleteWorkflowRuleById", 400, "UrlPathIdMissing"
    )


def test_locked_rule_cannot_be_deleted(api, org):
    locked = _locked(org)
    resp = api.delete(f"{RULES}/{locked}")
    assert resp.status_code == 400
    assert resp.json == zoho_example(
        "workflow_rules", "deleteWorkflowRuleById", 400, "NotAllowedErrorResponse"
    )
    assert locked in org.rules


def test_bulk_delete_all_ok_mixed_and_all_bad(api, org):
    a, b = _new(api, "Bulk A"), _new(api, "Bulk B")
    resp = api.delete(RULES, query_string={"ids": f"{a},{b}"})
    assert resp.status_code == 200
    validate_response("workflow_rules", "deleteWorkflowRules", 200, resp.json)
    assert [i["message"] for i in resp.json["workflow_rules"]] == [
        "WorkFlow Rule deleted successfully"
    ] * 2
    c, locked = _new(api, "Bulk C"), _locked(org)
    mixed = api.delete(RULES, query_string={"ids": f"{c},4876876000011125,{locked}"})
    assert mixed.status_code == 207
    validate_response("workflow_rules", "deleteWorkflowRules", 207, mixed.json)
    assert mixed.json["workflow_rules"] == [
        {
            "code": "SUCCESS",
            "details": {"id": c},
            "message": "WorkFlow Rule deleted successfully",
            "status": "success",
        },
        {
            "code": "INVALID_DATA",
            "details": {"id": "4876876000011125"},
            "message": "the id given seems to be invalid",
            "status": "error",
        },
        {
            "code": "NOT_ALLOWED",
            "details": {"id": locked},
            "message": "Sorry, you cannot perform this operation as the record is locked.",
            "status": "error",
        },
    ]
    bad = api.delete(RULES, query_string={"ids": "3361265000006492443,3361265000006492444"})
    assert bad.status_code == 400
    assert (
        bad.json["workflow_rules"]
        == zoho_example("workflow_rules", "deleteWorkflowRules", 400, "MultipleErrorResponse")[
            "workflow_rules"
        ][:2]
    )


@pytest.mark.parametrize(
    ("ids", "example"),
    [
        (None, "RequiredParamMissingErrorResponse"),
        (",".join(str(4876876000016390024 + i) for i in range(11)), "ActionLimitExceededResponse"),
    ],
)
def test_bulk_delete_parameter_errors(api, org, ids, example):
    before = copy.deepcopy(org.rules)
    resp = api.delete(RULES, query_string={"ids": ids} if ids else {})
    assert resp.status_code == 400
    assert resp.json == zoho_example("workflow_rules", "deleteWorkflowRules", 400, example)
    assert org.rules == before


def test_reorder_moves_rules_and_list_follows(api, org):
    order = list(org.rule_order["Deals"])
    last, first = order[-1], order[0]
    resp = api.put(
        REORDER,
        query_string={"module": "Deals"},
        json={
            "reorder": {
                "workflow_rules": [
                    {"id": last, "module_specific_sequence": 1},
                    {"id": first, "module_specific_sequence": 2},
                ]
            }
        },
    )
    assert resp.status_code == 200
    validate_response("workflow_rules", "reorderWorkflowRules", 200, resp.json)
    assert resp.json["reorder"][0] == {
        "code": "SUCCESS",
        "details": {"id": last},
        "message": "rules reordered successfully",
        "status": "success",
    }
    assert org.rule_order["Deals"] == [last, first, *[r for r in order if r not in (first, last)]]
    listed = api.get(RULES, query_string={"module": "Deals"}).json["workflow_rules"]
    assert [r["id"] for r in listed] == org.rule_order["Deals"]


def _reorder_cases(org):
    a, b = org.rule_order["Deals"][:2]
    return {
        "InvalidDataResponse1": [
            {"id": a, "module_specific_sequence": 1},
            {"id": b, "module_specific_sequence": 1},
        ],
        "InvalidDataResponse2": [
            {"id": a, "module_specific_sequence": 1},
            {"id": a, "module_specific_sequence": 2},
        ],
        "InvalidDataResponse3": [{"id": "4876876999999999999", "module_specific_sequence": 1}],
        "InvalidDataResponse4": [
            {"id": a, "module_specific_sequence": 1},
            {"id": b, "module_specific_sequence": 999},
        ],
        "MandatoryNotFoundResponse1": [{"id": a, "module_specific_sequence": 1}, {"id": b}],
        "Error400Response2": {"id": a},
    }


@pytest.mark.parametrize(
    "example",
    [
        "InvalidDataResponse1",
        "InvalidDataResponse2",
        "InvalidDataResponse3",
        "InvalidDataResponse4",
        "MandatoryNotFoundResponse1",
        "Error400Response2",
    ],
)
def test_reorder_errors_match_zoho_and_change_nothing(api, org, example):
    before = copy.deepcopy(org.rule_order)
    items = _reorder_cases(org)[example]
    resp = api.put(
        REORDER, query_string={"module": "Deals"}, json={"reorder": {"workflow_rules": items}}
    )
    assert resp.status_code == 400
    assert resp.json == zoho_example("workflow_rules", "reorderWorkflowRules", 400, example)
    assert org.rule_order == before


@pytest.mark.parametrize(
    ("params", "example"),
    [({}, "RequiredParamMissingResponse1"), ({"module": "Dealz"}, "InvalidModuleResponse")],
)
def test_reorder_module_param(api, params, example):
    resp = api.put(REORDER, query_string=params, json={"reorder": {"workflow_rules": []}})
    assert resp.status_code == 400
    assert resp.json == zoho_example("workflow_rules", "reorderWorkflowRules", 400, example)
