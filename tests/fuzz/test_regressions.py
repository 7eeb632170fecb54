"""Findings of the schemathesis run (tests/fuzz/test_fuzz_specs.py), each pinned as a test."""

from __future__ import annotations

import pytest
from actions_helpers import entity_body
from fuzz_helpers import check, envelope_problem
from oas import validate_response
from rules_helpers import RULES, deal_rule
from rules_helpers import body as rules_body

DEALS = "/crm/v8/Deals"
TASKS = "/crm/v8/settings/automation/tasks"
VP_DEAL = "4876876000005040001"
ACTION = "$.workflow_rules[0].conditions[0].instant_actions.actions[1]"


def _state(api, store, org) -> dict:
    # Any request lets the engine note how far it has scanned the clock; do one first.
    api.get("/crm/v8/org")
    return store.export_state(org.id)


def _error(code: str, message: str, details: dict) -> dict:
    return {"code": code, "details": details, "message": message, "status": "error"}


@pytest.mark.parametrize("entry", [["Deal_Name"], {"api_name": "Deal_Name"}, 7, None])
def test_upsert_duplicate_check_field_that_is_not_a_string(api, store, org, entry):
    # Was a 500 (TypeError: unhashable type 'list') for a list entry.
    before = _state(api, store, org)
    body = {"data": [{"Deal_Name": "Fuzzed"}], "duplicate_check_fields": [entry]}
    resp = api.post(f"{DEALS}/upsert", json=body)
    assert resp.status_code == 400
    details = {"api_name": "duplicate_check_fields", "json_path": "$.duplicate_check_fields[0]"}
    message = "the field api name given seems to be invalid"
    assert resp.json == {"data": [_error("INVALID_DATA", message, details)]}
    assert store.export_state(org.id) == before


def test_update_single_record_takes_one_record(api, store, org):
    # Was a 207 with two results for one record: Zoho documents 200/400 only for this form.
    before = _state(api, store, org)
    resp = api.put(f"{DEALS}/{VP_DEAL}", json={"data": [{"Amount": 1}, {"Amount": 2}]})
    assert resp.status_code == 400
    message = "count of records in your request exceeds the limit"
    details = {"maximum_length": 1, "api_name": "data"}
    assert resp.json == {"data": [_error("LIMIT_EXCEEDED", message, details)]}  # as Zoho wraps it
    assert store.export_state(org.id) == before


def test_update_single_record_with_one_record_still_works(api, org):
    resp = api.put(f"{DEALS}/{VP_DEAL}", json={"data": [{"Amount": 1}]})
    assert resp.status_code == 200
    validate_response("record", "updateRecord", 200, resp.json)
    assert org.records["Deals"][VP_DEAL]["Amount"] == 1


def _with_action(action: dict) -> dict:
    rule = deal_rule()
    rule["conditions"][0]["instant_actions"]["actions"].append(action)
    return rules_body(rule)


def _meeting(**details) -> dict:
    module = {"api_name": "Events"}
    return {"type": "add_meeting", "details": {"module": module, **details}}


def _invalid(api_name: str, path: str, message: str = "invalid data", **extra) -> dict:
    details = {"api_name": api_name, **extra, "json_path": path}
    return {"workflow_rules": [_error("INVALID_DATA", message, details)]}


def _wrong_type(api_name: str, path: str, expected: str) -> dict:
    return _invalid(api_name, path, "Invalid data type", expected_data_type=expected)


# Each was a 500: a list or number where Zoho expects a string or object reached a dict/set
# lookup or `.get()` (TypeError: unhashable type / AttributeError).
RULE_CASES = [
    (
        deal_rule(
            execute_when={"type": "create", "details": {"trigger_module": {"api_name": ["Deals"]}}}
        ),
        _invalid(
            "trigger_module",
            "$.workflow_rules[0].execute_when.details.trigger_module",
            "the module name given seems to be invalid",
        ),
    ),
    (
        deal_rule(
            execute_when={
                "type": "date_or_datetime",
                "details": {"field": {"api_name": "Closing_Date"}, "period": ["days"], "unit": 1},
            }
        ),
        _invalid("period", "$.workflow_rules[0].execute_when.details.period"),
    ),
    (
        _with_action(_meeting(field_mappings=[{"field": 7, "type": "static", "value": "x"}])),
        _wrong_type("field", f"{ACTION}.details.field_mappings[0].field", "jsonobject"),
    ),
    (
        _with_action(_meeting(field_mappings=7)),
        _wrong_type("field_mappings", f"{ACTION}.details.field_mappings", "jsonarray"),
    ),
    (
        _with_action({"type": "create_record_email", "details": {"module": ["Leads"]}}),
        _wrong_type("module", f"{ACTION}.details.module", "jsonobject"),
    ),
]


@pytest.mark.parametrize(("sent", "expected"), RULE_CASES)
def test_rule_values_of_the_wrong_json_type(api, store, org, sent, expected):
    if "workflow_rules" not in sent:
        sent = rules_body(sent)
    before = _state(api, store, org)
    resp = api.post(RULES, json=sent)
    assert resp.status_code == 400
    assert resp.json == expected
    assert store.export_state(org.id) == before


def test_task_due_date_period_that_is_not_a_string(api, store, org):
    task = entity_body("tasks")
    task["field_mappings"][1]["value"]["period"] = ["days"]
    before = _state(api, store, org)
    resp = api.post(TASKS, json={"tasks": [task]})
    assert resp.status_code == 400
    details = {"api_name": "period", "json_path": "$.tasks[0].field_mappings[1].value.period"}
    assert resp.json == {"tasks": [_error("INVALID_DATA", "Invalid date Period", details)]}
    assert store.export_state(org.id) == before


def test_tags_207_with_an_error_other_than_duplicate_matches_the_schema(api, org):
    # Zoho's postTags 207 schema admits only DUPLICATE_DATA items: a DEVIATIONS entry in
    # tests/oas.py lets the other documented item errors through (fact sheet core §4.3).
    resp = api.post("/crm/v8/settings/tags?module=Deals", json={"tags": [{"name": "Fuzzed"}, {}]})
    assert resp.status_code == 207
    details = {"api_name": "name", "json_path": "$.tags[1].name"}
    assert resp.json["tags"][1] == _error(
        "MANDATORY_NOT_FOUND", "required field not found", details
    )
    validate_response("tags", "postTags", 207, resp.json)


# --------------------------------------------------------------------------- the checks
@pytest.mark.parametrize(
    "body",
    [
        _error("INVALID_DATA", "invalid data", {}),
        {"workflow_rules": [{"id": "1"}], "info": {"count": 1}},
        {"data": [{**_error("X", "y", {}), "status": "success", "action": "insert"}]},
        {"rules_count": {"active_rules_configured": 1}},
    ],
)
def test_zoho_envelopes_pass(body):
    assert envelope_problem(body) is None


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ([], "not a JSON object"),
        ({"code": "X", "message": "m", "status": "error"}, "lack ['details']"),
        ({"data": [{"code": "X", "details": [], "message": "m", "status": "error"}]}, "details"),
        ({"info": {}}, "only 'info'"),
        ({"tags": "Priority"}, "not a collection"),
        ({"data": [{**_error("X", "y", {}), "status": "failed"}]}, "status 'failed'"),
    ],
)
def test_non_envelopes_are_caught(body, problem):
    assert problem in (envelope_problem(body) or "")


class _Response:
    """The parts of schemathesis' Response the checks read."""

    def __init__(self, status: int, content: bytes, content_type: str = "application/json"):
        self.status_code = status
        self.content = content
        self.headers = {"content-type": [content_type]}


class _Case:
    def validate_response(self, response, checks):  # not_a_server_error, as schemathesis does
        assert response.status_code < 500, "server error"


@pytest.mark.parametrize(
    ("response", "problem"),
    [
        (_Response(500, b"{}"), "server error"),
        (_Response(400, b"<html>", "text/html"), "Content-Type"),
        (_Response(400, b"not json"), "not JSON"),
        (_Response(400, b'{"error": "x"}'), "not a Zoho envelope"),
        (_Response(204, b"{}"), "with a body"),
    ],
)
def test_check_rejects(response, problem):
    with pytest.raises(AssertionError, match=problem):
        check("workflow_rules", _Case(), response)
