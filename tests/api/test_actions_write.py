"""POST and PUT of the automation-action entities: stored shapes, Zoho's messages and errors."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from actions_helpers import BASE, KINDS, LEADS, PATRICIA, SPECS, create, entity_body, success, wrap
from oas import validate_response, zoho_example, zoho_request_example

CREATED = {
    "field_updates": "fieldupdate created successfully",
    "email_notifications": "email notification created successfully",
    "tasks": "task created successfully",
    "webhooks": "webhook created successfully",
}


def _post(api, kind: str, item: Any):
    return api.post(f"{BASE}/{kind}", json=wrap(kind, item))


@pytest.mark.parametrize("kind", KINDS)
def test_create_stores_the_entity_in_get_shape(api, org, kind):
    before = set(org.entities[kind])
    resp = _post(api, kind, entity_body(kind))
    assert resp.status_code == 201
    new = resp.json[kind][0]["details"]["id"]
    assert resp.json == success(kind, new, CREATED[kind])
    if kind in SPECS:
        validate_response(SPECS[kind][0], SPECS[kind][3], 201, resp.json)
    assert set(org.entities[kind]) == before | {new} and len(new) == 19
    got = api.get(f"{BASE}/{kind}/{new}").json[kind][0]
    if kind in SPECS:
        validate_response(SPECS[kind][0], SPECS[kind][2], 200, {kind: [got]})
    actor = {"name": "Patricia Boyle", "id": PATRICIA}
    assert got["created_by"] == got["modified_by"] == actor
    assert got["created_time"] == got["modified_time"] == org.now()
    assert (got["associated"], got["editable"], got["deletable"], got["source"]) == (
        False,
        True,
        True,
        "crm",
    )
    assert got["lock_status"] == {"locked": False}
    assert got["feature_type"] == "workflow" and got["name"] == entity_body(kind)["name"]


def test_created_field_update_resolves_module_and_field(api, org):
    new = create(
        api,
        "field_updates",
        module={"api_name": "Leads"},
        field={"api_name": "Rating"},
        value="Active",
    )
    stored = org.entities["field_updates"][new]
    assert stored["module"] == {
        "singular_label": "Lead",
        "plural_label": "Leads",
        "api_name": "Leads",
        "moduleName": "Leads",
        "id": LEADS["id"],
    }
    assert stored["field"] == {"api_name": "Rating", "id": "4876876000000002329"}
    assert (stored["update_type"], stored["notify"], stored["related_records"]) == (
        "overwrite",
        False,
        None,
    )


def test_created_task_gets_display_values(api, org):
    new = create(api, "tasks")
    mappings = org.entities["tasks"][new]["field_mappings"]
    assert [(m["field"]["api_name"], m["display_value"]) for m in mappings] == [
        ("Subject", "Call the lead"),
        ("Due_Date", "Trigger Date plus 2 business day(s)"),
        ("Priority", "High"),
    ]
    assert mappings[0]["field"] == {"api_name": "Subject", "id": "4876876000000002603"}


def test_created_webhook_gets_defaults(api, org):
    new = create(api, "webhooks", headers=None, body=None)
    stored = org.entities["webhooks"][new]
    assert stored["headers"] == {"module_parameters": [], "custom_parameters": []}
    assert "body" not in stored
    assert stored["date_time_format"]["time_zone"] == "Asia/Kolkata"
    assert stored["module"] == LEADS and stored["authentication"] == {"type": "general"}


def test_zoho_sample_webhook_request_is_accepted(api, org):
    body = zoho_request_example("webhooks", "createWebhooks", "SamplePostRequest")
    body["webhooks"][0]["module"] = LEADS  # Zoho's sample uses another org's module id
    resp = api.post(f"{BASE}/webhooks", json=body)
    assert resp.status_code == 201
    new = resp.json["webhooks"][0]["details"]["id"]
    assert org.entities["webhooks"][new]["name"] == "Zoho's Data"


def _fu(**kw: Any) -> dict[str, Any]:
    return entity_body("field_updates", **kw)


def _without(kind: str, key: str) -> dict[str, Any]:
    item = entity_body(kind)
    item.pop(key)
    return item


FIELD_UPDATE_ERRORS = [
    ("NameMandatoryNotFound1", lambda: _without("field_updates", "name")),
    ("NameInvalidDataType1", lambda: _fu(name=5)),
    ("ModuleMandatoryNotFound1", lambda: _without("field_updates", "module")),
    ("ModuleInvalidDataType1", lambda: _fu(module="Leads")),
    ("ModuleIdInvalidDataType1", lambda: _fu(module={"id": 4876876000000002175})),
    ("ModuleApiNameInvalidDataType1", lambda: _fu(module={"api_name": ["Leads"]})),
    ("FieldMandatoryNotFound1", lambda: _without("field_updates", "field")),
    ("FieldInvalidDataType1", lambda: _fu(field=[])),
    ("FieldIdInvalidDataType1", lambda: _fu(field={"id": 1})),
    ("FieldApiNameInvalidDataType1", lambda: _fu(field={"api_name": 1})),
    ("ValueMandatoryNotFound1", lambda: _without("field_updates", "value")),
    ("DependentFieldsInvalidDataType1", lambda: _fu(dependent_fields={})),
    ("RelatedRecordsInvalidDataType1", lambda: _fu(related_records={})),
    ("NotifyInvalidDataType1", lambda: _fu(notify="yes")),
    ("FeatureTypeInvalidDataType1", lambda: _fu(feature_type=1)),
    ("FeatureTypeUnsupportedValue1", lambda: _fu(feature_type="blueprint")),
    ("TypeMandatoryNotFound1", lambda: _without("field_updates", "type")),
    ("TypeInvalidDataType1", lambda: _fu(type=True)),
    ("TypeUnsupportedValue1", lambda: _fu(type="dynamic")),
    ("ApplyAssignmentThresholdInvalidDataType1", lambda: _fu(apply_assignment_threshold="no")),
    ("UpdateTypeInvalidDataType1", lambda: _fu(update_type=1)),
    ("ModuleAmbiguity1", lambda: _fu(module={"api_name": "Leads", "id": "4876876000000002181"})),
    ("ModuleAmbiguity1", lambda: _fu(module={"api_name": "Nope"})),
    ("FieldAmbiguity1", lambda: _fu(field={"api_name": "Rating", "id": "4876876000000002321"})),
    ("FieldAmbiguity1", lambda: _fu(field={"api_name": "Stage"})),
    ("RelatedRecordsNotAllowed1", lambda: _fu(related_records=[{"api_name": "Calls"}])),
    ("ApplyAssignmentThresholdNotAllowed1", lambda: _fu(apply_assignment_threshold=True)),
    (
        "DependentFieldMissing1",
        lambda: _fu(
            module={"api_name": "Deals"},
            field={"api_name": "Pipeline"},
            value="Standard (Standard)",
        ),
    ),
]


@pytest.mark.parametrize(("example", "make"), FIELD_UPDATE_ERRORS)
def test_field_update_create_errors_match_zoho(api, org, example, make):
    before = copy.deepcopy(org.entities["field_updates"])
    resp = _post(api, "field_updates", make())
    assert resp.status_code == 400
    assert resp.json == zoho_example("field_updates", "createFieldUpdates", 400, example)
    assert org.entities["field_updates"] == before


def test_field_update_body_must_be_an_array(api, org):
    for body in ({"field_updates": {}}, {"other": []}, {"field_updates": []}, None):
        resp = api.post(f"{BASE}/field_updates", json=body)
        assert resp.status_code == 400
        expected = zoho_example(
            "field_updates", "createFieldUpdates", 400, "FieldUpdatesInvalidData"
        )
        assert resp.json == expected


def test_field_update_value_must_be_a_picklist_value(api):
    resp = _post(api, "field_updates", _fu(value="Hot"))
    assert resp.status_code == 400
    assert resp.json == zoho_example(
        "field_updates", "updateFieldUpdateById", 400, "DependentMismatchPostman"
    )


def test_pipeline_field_update_with_stage_is_accepted(api, org):
    new = create(
        api,
        "field_updates",
        module={"api_name": "Deals"},
        field={"api_name": "Pipeline"},
        value="Standard (Standard)",
        dependent_fields=[{"field": {"api_name": "Stage"}, "value": "Qualification"}],
    )
    deps = org.entities["field_updates"][new]["dependent_fields"]
    assert deps == [
        {"field": {"api_name": "Stage", "id": "4876876000000002565"}, "value": "Qualification"}
    ]


def _task(**kw: Any) -> dict[str, Any]:
    return entity_body("tasks", **kw)


def _mappings(index: int, **kw: Any) -> list[dict[str, Any]]:
    mappings = entity_body("tasks")["field_mappings"]
    mappings[index].update(kw)
    return mappings


TASK_ERRORS = [
    (
        "RequiredDataNotFoundResponse",
        lambda: _task(field_mappings=entity_body("tasks")["field_mappings"][1:]),
    ),
    (
        "MandatoryDataMissingResponse",
        lambda: _task(field_mappings=[{"field": {"api_name": "Subject"}, "type": "static"}]),
    ),
    ("InvalidDataTypeGivenInvalidResponse", lambda: _task(field_mappings=_mappings(0, type="x"))),
    (
        "DependentMismatchResponse4",
        lambda: _task(field_mappings=_mappings(0, value={"period": "days"})),
    ),
    (
        "InvalidDataFieldIdInvalidResponse",
        lambda: _task(field_mappings=_mappings(0, field={"id": "4876876000000002999"})),
    ),
    (
        "InvalidModuleResponse",
        lambda: _task(module={"api_name": "Leads", "id": "4876876000000000000"}),
    ),
    ("InvalidDataNotifyValueResponse", lambda: _task(notify="yes")),
    ("InvalidDataNotifyValueResponse", lambda: _task(notify=None)),
]


@pytest.mark.parametrize(("example", "make"), TASK_ERRORS)
def test_task_create_errors_match_zoho(api, org, example, make):
    before = copy.deepcopy(org.entities["tasks"])
    resp = _post(api, "tasks", make())
    assert resp.status_code == 400
    assert resp.json == zoho_example("workflow_tasks", "createWorkflowTasks", 400, example)
    assert org.entities["tasks"] == before


def test_task_due_date_is_checked(api):
    due = entity_body("tasks")["field_mappings"][1]
    for key, bad, message in (
        ("period", "fortnights", "Invalid date Period"),
        ("sign", "sideways", "please specify valid due date"),
        ("unit", "two", "The given value seems to be invalid"),
    ):
        mapping = copy.deepcopy(due)
        mapping["value"][key] = bad
        resp = _post(
            api, "tasks", _task(field_mappings=[entity_body("tasks")["field_mappings"][0], mapping])
        )
        assert resp.status_code == 400
        assert resp.json == {
            "tasks": [
                {
                    "code": "INVALID_DATA",
                    "details": {
                        "api_name": key,
                        "json_path": f"$.tasks[0].field_mappings[1].value.{key}",
                    },
                    "message": message,
                    "status": "error",
                }
            ]
        }


def _hook(**kw: Any) -> dict[str, Any]:
    return entity_body("webhooks", **kw)


def _params(group: str, *params: dict[str, Any]) -> dict[str, Any]:
    return {group: list(params)}


WEBHOOK_ERRORS = [
    ("MandatoryNotFoundResponse9", lambda: _without("webhooks", "name")),
    ("InvalidDataResponse33", lambda: _hook(name=7)),
    ("MandatoryNotFoundResponse6", lambda: _without("webhooks", "url")),
    ("InvalidDataResponse27", lambda: _hook(url=7)),
    ("MandatoryNotFoundResponse7", lambda: _without("webhooks", "feature_type")),
    ("InvalidDataResponse29", lambda: _hook(feature_type=["workflow"])),
    ("MandatoryNotFoundResponse8", lambda: _without("webhooks", "http_method")),
    ("InvalidDataResponse31", lambda: _hook(http_method=1)),
    ("MandatoryNotFoundResponse5", lambda: _without("webhooks", "module")),
    ("InvalidDataResponse21", lambda: _hook(module="Leads")),
    ("MandatoryNotFoundResponse10", lambda: _without("webhooks", "authentication")),
    ("InvalidDataResponse35", lambda: _hook(authentication="general")),
    ("InvalidDataResponse11", lambda: _hook(headers=[])),
    ("InvalidDataResponse23", lambda: _hook(description=[])),
    ("InvalidDataResponse25", lambda: _hook(body="raw")),
    ("InvalidDataResponse24", lambda: _hook(description="d" * 251)),
    ("InvalidDataResponse1", lambda: _hook(module={"id": "4876876000000000000"})),
    (
        "AmbiguityDuringProcessingResponse1",
        lambda: _hook(module={"api_name": "Leads", "id": "4876876000000002181"}),
    ),
    ("InvalidDataResponse2", lambda: _hook(name="50% off")),
    ("InvalidDataResponse3", lambda: _hook(name="n" * 251)),
    ("InvalidDataResponse4", lambda: _hook(http_method="PATCH")),
    ("InvalidDataResponse5", lambda: _hook(url="hooks.zylker.com/no-scheme")),
    ("InvalidDataResponse7", lambda: _hook(date_time_format={"time_zone": "Mars/Olympus"})),
    (
        "DuplicateDataResponse1",
        lambda: _hook(
            headers=_params(
                "module_parameters",
                {"name": "lead", "value": "${!Leads.Id}"},
                {"name": "lead", "value": "${!Leads.Email}"},
            )
        ),
    ),
    (
        "MandatoryNotFoundResponse2",
        lambda: _hook(headers=_params("custom_parameters", {"name": "x-key"})),
    ),
    (
        "MandatoryNotFoundResponse3",
        lambda: _hook(headers=_params("module_parameters", {"value": "${!Leads.Id}"})),
    ),
    ("ExpectedFieldMissing", lambda: _hook(module={})),
    ("DependentFieldMissingRawContent", lambda: _hook(body={"type": "raw", "format": "JSON"})),
    ("DependentFieldMissingFormData", lambda: _hook(body={"type": "form_data"})),
    (
        "DependentFieldMissingRelatedModule",
        lambda: _hook(feature_type="kiosk"),
    ),
    ("EmptyUrl", lambda: _hook(url="")),
    ("InvalidFeatureType", lambda: _hook(feature_type="cadences")),
    ("InvalidBodyType", lambda: _hook(body={"type": "binary"})),
    ("InvalidBodyFormat", lambda: _hook(body={"type": "raw", "format": "YAML"})),
    # A module parameter's value is a merge field of the module.
    (
        "InvalidDataResponse9",
        lambda: _hook(headers=_params("module_parameters", {"name": "co", "value": "Zylker"})),
    ),
    (  # Zoho: "use ${!Leads.Last_Name}, not ${!Leads.Last Name}"
        "InvalidDataResponse9",
        lambda: _hook(
            headers=_params("module_parameters", {"name": "ln", "value": "${!Leads.Last Name}"})
        ),
    ),
    (
        "DependentMismatchResponse1",
        lambda: _hook(authentication={"type": "general", "connection_name": "zylker_api"}),
    ),
    # Present but not given; an absent method is "Required field is missing" (Response8).
    ("MandatoryNotFoundResponse4", lambda: _hook(http_method="")),
    ("MandatoryNotFoundResponse4", lambda: _hook(http_method=None)),
    ("InvalidFormDataContent", lambda: _hook(body={"type": "form_data", "form_data_content": "a"})),
    # Internal addresses, in the spellings a client resolves; loopback stays allowed (below).
    ("SsrfUrl", lambda: _hook(url="http://10.0.0.8/hook")),
    ("SsrfUrl", lambda: _hook(url="http://169.254.169.254/latest/meta-data")),
    ("SsrfUrl", lambda: _hook(url="https://[fd00::1]:8443/hook")),
    ("SsrfUrl", lambda: _hook(url="http://[::ffff:192.168.0.1]/hook")),
    ("SsrfUrl", lambda: _hook(url="http://167772161/hook")),  # 10.0.0.1
    ("SsrfUrl", lambda: _hook(url="http://0.0.0.0:80/")),
    ("SsrfUrl", lambda: _hook(url="http://10.1/hook")),  # inet_aton's short form of 10.0.0.1
    ("SsrfUrl", lambda: _hook(url="http://0x0a000001/hook")),
    ("SsrfUrl", lambda: _hook(url="http://100.64.0.1/hook")),  # shared address space
    ("SsrfUrl", lambda: _hook(url="http://[fe80::1]/")),  # link-local
    ("InvalidDataResponse5", lambda: _hook(url="http://[::1/hook")),  # no URL parser reads it
    (
        "InvalidFormDataContent",
        lambda: _hook(body={"type": "form_data", "form_data_content": {"custom_parameters": {}}}),
    ),
    (
        "InvalidFormDataContent",
        lambda: _hook(
            body={
                "type": "form_data",
                "form_data_content": _params("custom_parameters", {"name": "n", "value": 7}),
            }  # fmt: skip
        ),
    ),
]


@pytest.mark.parametrize(("example", "make"), WEBHOOK_ERRORS)
def test_webhook_create_errors_match_zoho(api, org, example, make):
    before = copy.deepcopy(org.entities["webhooks"])
    resp = _post(api, "webhooks", make())
    assert resp.status_code == 400
    assert resp.json == zoho_example("webhooks", "createWebhooks", 400, example)
    assert org.entities["webhooks"] == before


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9000/hook",
        "http://localhost:9000/hook",
        "http://8.8.8.8/hook",
        "www.zylker.com/crm/hook",  # Zoho: http://, https://, www. or a merge field
        "${!Leads.Website}",
        "${!Leads.Website}/crm/hook",
    ],
)
def test_webhook_urls_of_loopback_and_public_addresses_are_accepted(api, org, url):
    """Loopback stays allowed (unlike Zoho) so that --deliver-webhooks can reach a local
    receiver; public addresses are what Zoho calls."""
    hook = create(api, "webhooks", url=url)
    assert org.entities["webhooks"][hook]["url"] == url


@pytest.mark.parametrize(
    ("example", "change"),
    [
        ("MandatoryNotFoundResponse3", {"http_method": None}),
        (
            "InvalidDataResponse10",
            {"headers": _params("module_parameters", {"name": "co", "value": "${Leads.Nope}"})},
        ),
        ("DependentMismatchResponse1", {"authentication": {"connection_name": "zylker_api"}}),
    ],
)
def test_webhook_update_errors_match_zoho(api, org, example, change):
    hook = create(api, "webhooks")
    if "authentication" in change:  # the stored type stays: only the name is sent
        change = {"authentication": {"type": "general", **change["authentication"]}}
    before = copy.deepcopy(org.entities["webhooks"])
    resp = api.put(f"{BASE}/webhooks/{hook}", json=wrap("webhooks", change))
    assert resp.status_code == 400
    assert resp.json == zoho_example("webhooks", "updateWebhookById", 400, example)
    assert org.entities["webhooks"] == before


def test_email_notification_needs_template_and_recipients(api, org):
    before = copy.deepcopy(org.entities["email_notifications"])
    resp = _post(api, "email_notifications", _without("email_notifications", "template"))
    assert resp.json == {
        "email_notifications": [
            {
                "code": "MANDATORY_NOT_FOUND",
                "details": {
                    "api_name": "template",
                    "json_path": "$.email_notifications[*].template",
                },
                "message": "Required field is missing",
                "status": "error",
            }
        ]
    }
    empty = entity_body("email_notifications", recipients={"to": []})
    resp = _post(api, "email_notifications", empty)
    assert resp.status_code == 400
    assert resp.json["email_notifications"][0]["details"] == {
        "api_name": "to",
        "json_path": "$.email_notifications[0].recipients.to",
    }
    assert org.entities["email_notifications"] == before


def test_one_entity_per_request(api, org):
    body = {"tasks": [entity_body("tasks"), entity_body("tasks")]}
    resp = api.post(f"{BASE}/tasks", json=body)
    assert resp.status_code == 400
    assert resp.json == {
        "code": "LIMIT_EXCEEDED",
        "details": {"api_name": "tasks", "limit": 1, "json_path": "$.tasks"},
        "message": "too many records",
        "status": "error",
    }
