"""What the bad-input catalogue shares: Zoho's error bodies, the Case row, body builders, and
the check that a refused request answered Zoho-shaped JSON and changed nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from rules_helpers import RULES, body, condition, deal_rule

AUTOMATION = "/crm/v8/settings/automation"
TAGS = "/crm/v8/settings/tags"
DEALS = "/crm/v8/Deals"
REORDER = f"{RULES}/actions/reorder"
JSON_TYPE = "application/json;charset=UTF-8"
ELEVEN_IDS = ",".join(str(4876876000011155001 + i) for i in range(11))
CRITERIA = "$.workflow_rules[0].conditions[0].criteria_details.criteria"
ACTION = "$.workflow_rules[0].conditions[0].instant_actions.actions"


# --- expected bodies ---------------------------------------------------------------------------


def top(code: str, message: str, **details: Any) -> dict[str, Any]:
    return {"code": code, "details": details, "message": message, "status": "error"}


def item(collection: str, code: str, message: str, **details: Any) -> dict[str, Any]:
    return {collection: [top(code, message, **details)]}


def bad_type(collection: str, api_name: str, path: str, kind: str) -> dict[str, Any]:
    details = {"api_name": api_name, "json_path": path, "expected_data_type": kind}
    return item(collection, "INVALID_DATA", "Invalid data type", **details)


def rule_type(api_name: str, path: str, kind: str) -> dict[str, Any]:
    return bad_type("workflow_rules", api_name, path, kind)


def rule_invalid(api_name: str, path: str) -> dict[str, Any]:
    return item("workflow_rules", "INVALID_DATA", "invalid data", api_name=api_name, json_path=path)


def no_collection(collection: str) -> dict[str, Any]:
    return top("INVALID_DATA", "invalid data", api_name=collection, json_path=f"$.{collection}")


MALFORMED = top("INVALID_DATA", "either the request body or parameters is in wrong format")
BAD_URL_ID = top("INVALID_DATA", "the id given seems to be invalid", resource_path_index=3)
TOO_MANY_IDS = top(
    "INVALID_DATA", "Ids maximum length exceeded", maximum_length=10, param_name="ids"
)
TOO_LARGE = top("LIMIT_EXCEEDED", "request size exceeded")


def bad_param(name: str) -> dict[str, Any]:
    return top("INVALID_DATA", "The value provided to the param is Invalid", param_name=name)


# --- the refused cases -------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str
    status: int
    expected: dict[str, Any]
    kw: dict[str, Any] = field(default_factory=dict)


def raw(text: str | bytes, content_type: str | None = "application/json") -> dict[str, Any]:
    return {"data": text, "content_type": content_type}


def post_rule(**overrides: Any) -> dict[str, Any]:
    return {"json": body(deal_rule(**overrides))}


def post_condition(**overrides: Any) -> dict[str, Any]:
    return post_rule(conditions=[condition(**overrides)])


def post_criteria(criteria: Any) -> dict[str, Any]:
    return post_condition(criteria_details={"criteria": criteria})


def post_action(action: Any) -> dict[str, Any]:
    return post_condition(instant_actions={"actions": [action]})


def deep_arrays(levels: int) -> str:
    return "[" * levels + "]" * levels


DEAL_NAME = {"api_name": "Deal_Name"}


# --- helpers -----------------------------------------------------------------------------------


def exported(store, org) -> str:
    return json.dumps(store.export_state(org.id), sort_keys=True)


def assert_zoho_json(resp) -> None:
    assert resp.headers["Content-Type"] == JSON_TYPE
    assert not resp.get_data(as_text=True).lstrip().startswith("<")  # never an HTML page


def assert_refused(api, store, org, case: Case) -> None:
    before = exported(store, org)
    resp = api.call(case.method, case.path, **case.kw)
    assert resp.status_code == case.status, resp.get_data(as_text=True)[:500]
    assert_zoho_json(resp)
    assert resp.json == case.expected
    assert exported(store, org) == before
