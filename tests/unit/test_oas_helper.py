"""The OAS helper must accept Zoho's own successful bodies and reject anything else."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import oas
import pytest
from oas import (
    DEVIATIONS,
    example_names,
    validate_response,
    zoho_example,
    zoho_request_example,
)

TESTS = Path(__file__).resolve().parent.parent
WORKFLOW_SPECS = (
    "workflow_rules",
    "workflow_configurations",
    "field_updates",
    "workflow_tasks",
    "webhooks",
)
# PUT /settings/automation/tasks exists in Zoho's YAML but not in the JSON spec.
NO_JSON_SCHEMA = {("workflow_tasks", "updateWorkflowTask")}


def _success_examples() -> list[Any]:
    cases = []
    for spec in WORKFLOW_SPECS:
        ops = json.loads((TESTS / "zoho_oas" / "examples" / f"{spec}.json").read_text())
        for op_id, op in ops.items():
            if (spec, op_id) in NO_JSON_SCHEMA:
                continue
            for status, examples in op["responses"].items():
                if status.startswith("2"):
                    cases += [
                        pytest.param(spec, op_id, int(status), name, id=f"{op_id}-{status}-{name}")
                        for name in examples
                    ]
    return cases


@pytest.mark.parametrize(("spec", "op_id", "status", "name"), _success_examples())
def test_zoho_success_examples_match_their_schema(
    spec: str, op_id: str, status: int, name: str
) -> None:
    validate_response(spec, op_id, status, zoho_example(spec, op_id, status, name))


def test_get_workflow_rules_examples_pass() -> None:
    validate_response(
        "workflow_rules",
        "getWorkflowRules",
        200,
        zoho_example("workflow_rules", "getWorkflowRules", 200),
    )
    body = zoho_example("workflow_rules", "getWorkflowRuleById", 200)
    validate_response("workflow_rules", "getWorkflowRuleById", 200, body)


def test_extra_key_fails() -> None:
    body: Any = zoho_example("workflow_rules", "getWorkflowRuleById", 200)
    body["workflow_rules"][0]["bogus"] = 1
    with pytest.raises(AssertionError, match="'bogus' was unexpected"):
        validate_response("workflow_rules", "getWorkflowRuleById", 200, body)


def test_wrong_type_fails_and_names_the_path() -> None:
    body: Any = zoho_example("workflow_rules", "getWorkflowRuleById", 200)
    body["workflow_rules"][0]["editable"] = "yes"
    with pytest.raises(AssertionError, match=r"/workflow_rules/0/editable \(type\)"):
        validate_response("workflow_rules", "getWorkflowRuleById", 200, body)


def test_missing_required_key_fails() -> None:
    with pytest.raises(AssertionError, match="'workflow_rules' is a required property"):
        validate_response("workflow_rules", "getWorkflowRules", 200, {})


def test_bad_date_time_fails() -> None:
    body: Any = zoho_example("workflow_rules", "getWorkflowRuleById", 200)
    body["workflow_rules"][0]["created_time"] = "2025-12-01 11:09:10"
    with pytest.raises(AssertionError, match="date-time"):
        validate_response("workflow_rules", "getWorkflowRuleById", 200, body)


def test_many_errors_are_capped() -> None:
    body = {f"k{i}": i for i in range(3)} | {"workflow_rules": [{"editable": i} for i in range(15)]}
    with pytest.raises(AssertionError, match=r"and \d+ more") as info:
        validate_response("workflow_rules", "getWorkflowRules", 200, body)
    assert str(info.value).count("\n  - at ") == oas.MAX_REPORTED_ERRORS


@pytest.mark.parametrize("status", [204, 999])
def test_status_without_schema_raises(status: int) -> None:
    with pytest.raises(AssertionError, match="no JSON schema for status"):
        validate_response("workflow_rules", "getWorkflowRuleById", status, {})


def test_operation_without_json_schema_raises() -> None:
    body = zoho_example("workflow_tasks", "updateWorkflowTask", 200)
    with pytest.raises(AssertionError, match="has no JSON schema at all"):
        validate_response("workflow_tasks", "updateWorkflowTask", 200, body)


def test_unknown_operation_raises_key_error() -> None:
    with pytest.raises(KeyError, match="getWorkflowRules"):
        validate_response("workflow_rules", "noSuchOperation", 200, {})
    with pytest.raises(KeyError):
        zoho_example("workflow_rules", "noSuchOperation", 200)


def test_yaml_and_json_operation_ids_are_interchangeable() -> None:
    # The JSON spec says postWebhooks, the YAML createWebhooks: same POST /webhooks.
    body = zoho_example("webhooks", "postWebhooks", 201)
    assert body == zoho_example("webhooks", "createWebhooks", 201)
    validate_response("webhooks", "createWebhooks", 201, body)
    validate_response("webhooks", "postWebhooks", 201, body)


def test_zoho_example_gives_documented_error_bodies() -> None:
    assert zoho_example(
        "workflow_rules", "deleteWorkflowRules", 400, "ActionLimitExceededResponse"
    ) == {
        "code": "INVALID_DATA",
        "details": {"maximum_length": 10, "param_name": "ids"},
        "message": "Ids maximum length exceeded",
        "status": "error",
    }
    body: Any = zoho_example("workflow_rules", "deleteWorkflowRules", 400, "MultipleErrorResponse")
    assert {item["code"] for item in body["workflow_rules"]} == {"INVALID_DATA"}


def test_example_names_and_name_lookup() -> None:
    names = example_names("workflow_rules", "deleteWorkflowRules", 400)
    assert "RequiredParamMissingErrorResponse" in names
    assert len(names) > 1
    assert example_names("workflow_rules", "deleteWorkflowRules", 500) == []
    with pytest.raises(KeyError, match="RequiredParamMissingErrorResponse"):
        zoho_example("workflow_rules", "deleteWorkflowRules", 400)
    with pytest.raises(KeyError, match="no example 'Nope'"):
        zoho_example("workflow_rules", "deleteWorkflowRules", 400, "Nope")
    with pytest.raises(KeyError, match="no examples for status 500"):
        zoho_example("workflow_rules", "deleteWorkflowRules", "500")


def test_zoho_example_returns_a_fresh_copy() -> None:
    body: Any = zoho_example("workflow_rules", "getWorkflowRules", "200")
    body["workflow_rules"].clear()
    assert zoho_example("workflow_rules", "getWorkflowRules", 200)["workflow_rules"]  # type: ignore[index]


def test_request_examples() -> None:
    body: Any = zoho_request_example("workflow_rules", "postWorkflowRule")
    assert body["workflow_rules"][0]["module"]["api_name"] == "Contacts"


def test_null_deviation_is_narrow() -> None:
    body: Any = zoho_example("webhooks", "getWebhookById", 200)
    assert body["webhooks"][0]["lock_status"]["message"] is None
    validate_response("webhooks", "getWebhookById", 200, body)
    body["webhooks"][0]["lock_status"]["locked"] = None
    with pytest.raises(AssertionError, match="lock_status/locked"):
        validate_response("webhooks", "getWebhookById", 200, body)


def test_sample_sized_max_items_deviation_is_narrow() -> None:
    body: Any = zoho_example("webhooks", "getWebhooks", 200, "Success200")
    body["webhooks"] = body["webhooks"][:1] * 5  # the JSON schema says maxItems 3
    validate_response("webhooks", "getWebhooks", 200, body)
    created: Any = zoho_example("webhooks", "postWebhooks", 201)
    created["webhooks"] *= 2  # one webhook per POST is real: no deviation here
    with pytest.raises(AssertionError, match="is too long"):
        validate_response("webhooks", "postWebhooks", 201, created)


def test_deviation_inside_one_of_branch(monkeypatch: pytest.MonkeyPatch) -> None:
    body: Any = zoho_example("workflow_rules", "getWorkflowRuleById", 200)
    body["workflow_rules"][0]["conditions"][0]["instant_actions"]["actions"][0]["bogus"] = 1
    with pytest.raises(AssertionError, match="oneOf"):
        validate_response("workflow_rules", "getWorkflowRuleById", 200, body)
    deviation = {
        "spec": "workflow_rules",
        "operation_id": "getWorkflowRuleById",
        "path_pattern": "workflow_rules/*/conditions/*/instant_actions/actions/*/bogus",
        "reason": "test",
    }
    monkeypatch.setattr(oas, "DEVIATIONS", [*DEVIATIONS, deviation])
    validate_response("workflow_rules", "getWorkflowRuleById", 200, body)


def test_deviations_are_well_formed() -> None:
    for dev in DEVIATIONS:
        assert {"spec", "operation_id", "path_pattern", "reason"} <= set(dev), dev
        assert dev["reason"].strip(), dev
        if dev["operation_id"] != "*":
            # Raises for a misspelt operation.
            oas._schema_operation(dev["spec"], dev["operation_id"])


def _annotation_keys(node: object, in_properties: bool = False) -> list[str]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if not in_properties and key in {"description", "summary", "example", "examples"}:
                found.append(key)
            found += _annotation_keys(value, key == "properties" and not in_properties)
    elif isinstance(node, list):
        for item in node:
            found += _annotation_keys(item)
    return found


def test_copied_specs_are_structure_only() -> None:
    specs = sorted((TESTS / "zoho_oas").glob("*.json"))
    assert len(specs) == 11
    for path in specs:
        text = path.read_text()
        assert "x-zs-llm" not in text, path.name
        assert _annotation_keys(json.loads(text)) == [], path.name
    rules = json.loads((TESTS / "zoho_oas" / "workflow_rules.json").read_text())
    # A property named "description" is data, not prose: it must survive the stripping.
    assert (
        "description" in rules["components"]["schemas"]["WorkflowRuleSingleGetSchema"]["properties"]
    )


def test_kaizen_fixture_is_json() -> None:
    assert json.loads((TESTS / "fixtures" / "kaizen_215_requests.json").read_text())
