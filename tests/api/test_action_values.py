"""Static values of field updates and task field mappings are checked against their field when
the entity is saved (crm/action_values.py): refused as Zoho's examples show, and nothing stored."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from actions_helpers import BASE, DEALS, PATRICIA, create, entity_body, wrap
from oas import zoho_example

from mockcrm.crm.action_values import check_value
from mockcrm.crm.actions import KINDS

NOBODY = "4876876000000999999"  # no such user


def _post(api, org, kind: str, item: dict[str, Any]):
    """POST one entity; a refused one must leave the org's entities of that kind unchanged."""
    before = copy.deepcopy(org.entities[kind])
    resp = api.post(f"{BASE}/{kind}", json=wrap(kind, item))
    if resp.status_code != 201:
        assert org.entities[kind] == before
    return resp


def _post_fu(api, org, field: str, value: Any):
    """POST the minimal Leads field update of `field` with `value`."""
    item = entity_body("field_updates", field={"api_name": field}, value=value)
    return _post(api, org, "field_updates", item)


def _fu_error(code: str, message: str, path: str = "$.field_updates[*].value", **extra: Any):
    details = {"api_name": "value", **extra, "json_path": path}
    return {
        "field_updates": [{"code": code, "details": details, "message": message, "status": "error"}]
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("Company", ["Zylker"]),
        ("Company", {"name": "Zylker"}),
        ("Company", True),
        ("Email", 5),
        ("Lead_Status", 7),
        ("Lead_Status", ["Contacted"]),
    ],
)
def test_field_update_value_of_another_json_type_than_text_is_zohos_example(api, org, field, value):
    resp = _post_fu(api, org, field, value)
    assert resp.status_code == 400
    assert resp.json == zoho_example(
        "field_updates", "createFieldUpdates", 400, "ValueInvalidDataType1"
    )


def test_dependent_field_value_of_another_json_type_is_zohos_example(api, org):
    item = entity_body(
        "field_updates",
        module=DEALS,
        field={"api_name": "Pipeline"},
        value="Standard (Standard)",
        dependent_fields=[{"field": {"api_name": "Stage"}, "value": 5}],
    )
    resp = _post(api, org, "field_updates", item)
    assert resp.status_code == 400
    example = zoho_example(
        "field_updates", "createFieldUpdates", 400, "DependentFieldValueInvalidDataType1"
    )
    assert resp.json == example


def test_field_update_value_too_long_is_zohos_example_with_the_fields_limit(api, org):
    resp = _post_fu(api, org, "Company", "x" * 256)
    assert resp.status_code == 400
    # Zoho's example shows a placeholder limit (4); the limit is the field's (text: 255).
    example = zoho_example("field_updates", "createFieldUpdates", 400, "ValueExceedsMaxLength1")
    example["field_updates"][0]["details"]["maximum_length"] = 255
    assert resp.json == example
    assert _post_fu(api, org, "Company", "x" * 255).status_code == 201


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("Annual_Revenue", "lots", "currency"),
        ("No_of_Employees", "many", "integer"),
        ("No_of_Employees", 1.5, "integer"),
        ("Email_Opt_Out", "perhaps", "boolean"),
        ("Owner", True, "jsonobject"),
    ],
)
def test_field_update_value_the_field_cannot_hold_names_the_type(api, org, field, value, expected):
    resp = _post_fu(api, org, field, value)
    assert resp.status_code == 400
    assert resp.json == _fu_error("INVALID_DATA", "Invalid data type", expected_data_type=expected)


@pytest.mark.parametrize(
    ("field", "value"),
    [("Email", "not-an-address"), ("Owner", {"id": NOBODY}), ("No_of_Employees", 2**31)],
)
def test_field_update_value_the_records_api_refuses_is_invalid_data(api, org, field, value):
    resp = _post_fu(api, org, field, value)
    assert resp.status_code == 400
    assert resp.json == _fu_error("INVALID_DATA", "Invalid data")


def test_clearing_a_mandatory_field_is_refused(api, org):
    resp = _post_fu(api, org, "Last_Name", None)
    assert resp.status_code == 400
    assert resp.json == _fu_error("MANDATORY_NOT_FOUND", "Required field is missing")


def test_a_read_only_field_cannot_be_updated(api, org):
    item = entity_body(
        "field_updates", field={"api_name": "Created_Time"}, value="2026-01-01T00:00:00+05:30"
    )
    resp = _post(api, org, "field_updates", item)
    assert resp.status_code == 400
    # Zoho's answer for a field it does not offer (its example names an unknown one).
    assert resp.json == zoho_example("field_updates", "createFieldUpdates", 400, "FieldAmbiguity1")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("No_of_Employees", "250"),
        ("No_of_Employees", 250),
        ("Annual_Revenue", "1200000.50"),
        ("Email_Opt_Out", "true"),
        ("Email_Opt_Out", False),
        ("Company", None),
        ("Company", ""),
    ],
)
def test_values_zoho_keeps_as_strings_or_typed_are_accepted(api, org, field, value):
    """Zoho keeps most values as strings ("90" for an integer); the engine converts them."""
    new = create(api, "field_updates", field={"api_name": field}, value=value)
    assert org.entities["field_updates"][new]["value"] == value


OWNER_OPTIONS = {"notify": True, "related_records": [], "apply_assignment_threshold": False}


@pytest.mark.parametrize(
    ("missing", "example"),
    [
        ("notify", "DependentFieldMissing2"),
        ("related_records", "DependentFieldMissing1"),
        ("apply_assignment_threshold", "DependentFieldMissingResponse3"),
    ],
)
def test_an_owner_update_needs_its_options(api, org, missing, example):
    """Zoho's examples of these are PUT's; a POST is checked the same way."""
    options = {k: v for k, v in OWNER_OPTIONS.items() if k != missing}
    owner = {"id": PATRICIA, "name": "Patricia Boyle"}
    item = entity_body("field_updates", field={"api_name": "Owner"}, value=owner, **options)
    resp = _post(api, org, "field_updates", item)
    assert resp.status_code == 400
    assert resp.json == zoho_example("field_updates", "updateFieldUpdateById", 400, example)


def test_an_owner_update_with_its_options_is_kept_and_can_be_renamed(api, org):
    owner = {"id": PATRICIA, "name": "Patricia Boyle"}
    new = create(api, "field_updates", field={"api_name": "Owner"}, value=owner, **OWNER_OPTIONS)
    stored = org.entities["field_updates"][new]
    assert (stored["value"], stored["notify"], stored["related_records"]) == (owner, True, [])
    resp = api.put(f"{BASE}/field_updates/{new}", json=wrap("field_updates", {"name": "Renamed"}))
    assert resp.status_code == 200, resp.json
    assert org.entities["field_updates"][new]["name"] == "Renamed"


def test_update_by_id_checks_the_value_too(api, org):
    new = create(api, "field_updates")
    before = copy.deepcopy(org.entities["field_updates"][new])
    item = entity_body("field_updates", field={"api_name": "Company"}, value=["Zylker"])
    resp = api.put(f"{BASE}/field_updates/{new}", json=wrap("field_updates", item))
    assert resp.status_code == 400
    assert resp.json == zoho_example(
        "field_updates", "createFieldUpdates", 400, "ValueInvalidDataType1"
    )
    assert org.entities["field_updates"][new] == before


def _task_with(index: int, mapping: dict[str, Any]) -> dict[str, Any]:
    """The minimal task with `mapping` at `index`: 2 replaces its Priority, 3 adds a fourth."""
    item = entity_body("tasks")
    item["field_mappings"][index : index + 1] = [mapping]
    return item


def test_task_value_too_long_is_zohos_example_with_the_fields_limit(api, org):
    long_priority = {"field": {"api_name": "Priority"}, "type": "static", "value": "x" * 121}
    resp = _post(api, org, "tasks", _task_with(2, long_priority))
    assert resp.status_code == 400
    # The example's placeholder limit (16) is the field's here (picklist: 120).
    example = zoho_example(
        "workflow_tasks", "createWorkflowTasks", 400, "InvalidDataLengthExceededResponse"
    )
    example["tasks"][0]["details"]["maximum_length"] = 120
    assert resp.json == example


def test_task_value_of_the_wrong_type_is_zohos_data_type_not_supported(api, org):
    owner = {"field": {"api_name": "Owner"}, "type": "static", "value": True}
    resp = _post(api, org, "tasks", _task_with(3, owner))
    assert resp.status_code == 400
    # Zoho's example names the tenth mapping; here the Owner is the fourth.
    example = zoho_example(
        "workflow_tasks", "createWorkflowTasks", 400, "InvalidDataTypeNotSupportedResponse"
    )
    example["tasks"][0]["details"]["json_path"] = "$.tasks[0].field_mappings[3].value"
    assert resp.json == example


@pytest.mark.parametrize(
    ("mapping", "code", "message"),
    [
        (
            {"field": {"api_name": "Owner"}, "type": "static", "value": NOBODY},
            "INVALID_DATA",
            "The given value seems to be invalid",
        ),
        (
            {"field": {"api_name": "Due_Date"}, "type": "static", "value": "next week"},
            "INVALID_DATA",
            "The given value seems to be invalid",
        ),
        (
            {"field": {"api_name": "Subject"}, "type": "static", "value": ""},
            "MANDATORY_NOT_FOUND",
            "mandatory field is not given",
        ),
    ],
)
def test_task_values_the_records_api_refuses(api, org, mapping, code, message):
    resp = _post(api, org, "tasks", _task_with(3, mapping))
    assert resp.status_code == 400
    details = {"api_name": "value", "json_path": "$.tasks[0].field_mappings[3].value"}
    assert resp.json == {
        "tasks": [{"code": code, "details": details, "message": message, "status": "error"}]
    }


def test_merge_field_and_execution_time_values_are_not_static_values(api, org):
    merged = {
        "field": {"api_name": "Description"},
        "type": "merge_field",
        "value": "${!Leads.Company}",
    }
    resp = _post(api, org, "tasks", _task_with(3, merged))
    assert resp.status_code == 201, resp.json


def test_every_seeded_value_passes_the_check(org):
    """The seed's own field updates and tasks are values the engine can write."""
    checked = 0
    for entity in org.entities["field_updates"].values():
        module = entity["module"]["api_name"]
        pairs = [(entity["field"], entity["value"])]
        pairs += [(d["field"], d["value"]) for d in entity.get("dependent_fields") or []]
        for ref, value in pairs:
            check_value(
                org, KINDS["field_updates"], module, org.field(module, ref["api_name"]), value, "$"
            )
            checked += 1
    for entity in org.entities["tasks"].values():
        for mapping in entity["field_mappings"]:
            if mapping["type"] == "static":
                field = org.field("Tasks", mapping["field"]["api_name"])
                check_value(org, KINDS["tasks"], "Tasks", field, mapping["value"], "$")
                checked += 1
    assert checked >= 14 + 9 * 3


def test_execution_time_fills_only_a_date_field_as_zohos_example(api, org):
    due = entity_body("tasks")["field_mappings"][1]
    resp = _post(api, org, "tasks", _task_with(2, {**due, "field": {"api_name": "Priority"}}))
    assert resp.status_code == 400
    example = zoho_example(
        "workflow_tasks", "createWorkflowTasks", 400, "DependentMismatchResponse3"
    )
    assert resp.json == example


STATUS = {"field": {"api_name": "Status"}, "type": "static", "value": "Not Started"}


def _merged(value: Any) -> dict[str, Any]:
    """The minimal task plus a Status and, fifth, a Description merged from `value`."""
    item = _task_with(3, STATUS)
    mapping = {"field": {"api_name": "Description"}, "type": "merge_field", "value": value}
    item["field_mappings"].append(mapping)
    return item


@pytest.mark.parametrize("value", ["${!Leads.Nope}", "Call the lead", 5, None, "${Leads.}"])
def test_unsupported_merge_field_is_zohos_example(api, org, value):
    resp = _post(api, org, "tasks", _merged(value))
    assert resp.status_code == 400
    assert resp.json == zoho_example(
        "workflow_tasks", "createWorkflowTasks", 400, "InvalidDataResponse"
    )


@pytest.mark.parametrize(
    "value",
    [
        "${!Leads.Company}",
        "${Leads.Last Name}",  # by field label
        "Call ${!Leads.First_Name} at ${Leads.Phone}",
        "${Accounts.Account_Name}",  # another module's field, reached through a lookup
        "${CURRENTDATE}",
    ],
)
def test_merge_templates_are_accepted(api, org, value):
    resp = _post(api, org, "tasks", _merged(value))
    assert resp.status_code == 201, resp.json
    new = resp.json["tasks"][0]["details"]["id"]
    assert org.entities["tasks"][new]["field_mappings"][4]["value"] == value
