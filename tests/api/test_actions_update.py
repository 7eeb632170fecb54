"""PUT of the automation-action entities: Zoho's merge, messages, read-only and errors."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from actions_helpers import BASE, KINDS, LEADS, SPECS, create, success, wrap
from oas import validate_response, zoho_example

UPDATED = {
    "field_updates": "fieldupdate updated successfully",
    "email_notifications": "email notification updated successfully",
    "tasks": "task updated successfully",
    "webhooks": "webhook updated successfully",
}


@pytest.mark.parametrize("kind", KINDS)
def test_update_by_id_merges_and_keeps_bookkeeping(api, org, kind):
    new = create(api, kind)
    created = copy.deepcopy(org.entities[kind][new])
    org.clock.advance(timedelta(minutes=5))
    resp = api.put(f"{BASE}/{kind}/{new}", json=wrap(kind, {"name": "Renamed entity"}))
    assert resp.status_code == 200
    assert resp.json == success(kind, new, UPDATED[kind])
    if kind in SPECS:
        validate_response(SPECS[kind][0], SPECS[kind][4], 200, resp.json)
    stored = org.entities[kind][new]
    assert stored["name"] == "Renamed entity" and stored["modified_time"] == org.now()
    unchanged = {k: v for k, v in stored.items() if k not in ("name", "modified_time")}
    assert unchanged == {k: v for k, v in created.items() if k not in ("name", "modified_time")}


def test_update_replaces_field_mappings_wholesale(api, org):
    new = create(api, "tasks")
    mappings = [{"field": {"api_name": "Subject"}, "type": "static", "value": "Only subject"}]
    resp = api.put(f"{BASE}/tasks/{new}", json={"tasks": [{"field_mappings": mappings}]})
    assert resp.status_code == 200
    assert [m["value"] for m in org.entities["tasks"][new]["field_mappings"]] == ["Only subject"]


@pytest.mark.parametrize("kind", ["tasks", "webhooks"])
def test_update_with_id_in_body(api, org, kind):
    new = create(api, kind)
    resp = api.put(f"{BASE}/{kind}", json=wrap(kind, {"id": new, "name": "Body id"}))
    assert resp.status_code == 200
    assert resp.json == success(kind, new, UPDATED[kind])
    assert org.entities[kind][new]["name"] == "Body id"
    missing = api.put(f"{BASE}/{kind}", json=wrap(kind, {"name": "No id"}))
    assert missing.json == {
        kind: [
            {
                "code": "MANDATORY_NOT_FOUND",
                "details": {"api_name": "id", "json_path": f"$.{kind}[0].id"},
                "message": "Required field is missing",
                "status": "error",
            }
        ]
    }
    unknown = api.put(f"{BASE}/{kind}", json=wrap(kind, {"id": "4876876999999999999"}))
    assert unknown.status_code == 400
    expected = zoho_example("webhooks", "updateWebhooks", 400, "InvalidDataResponse9")
    assert unknown.json == {
        kind: [
            {
                **expected["webhooks"][0],
                "details": {"api_name": "id", "json_path": f"$.{kind}[0].id"},
            }
        ]
    }


def test_field_updates_have_no_put_without_id(api):
    resp = api.put(f"{BASE}/field_updates", json=wrap("field_updates", {"name": "x"}))
    assert resp.status_code == 400 and resp.json["code"] == "INVALID_REQUEST_METHOD"


@pytest.mark.parametrize("kind", KINDS)
def test_update_unknown_id_is_invalid_url_id(api, kind):
    resp = api.put(f"{BASE}/{kind}/4876876999999999999", json=wrap(kind, {"name": "x"}))
    assert resp.status_code == 400
    assert resp.json == zoho_example(
        "field_updates", "updateFieldUpdateById", 400, "NameInvalidDataType1"
    )


def test_update_is_validated_whole_and_changes_nothing_on_error(api, org):
    new = create(api, "field_updates")
    before = copy.deepcopy(org.entities["field_updates"][new])
    resp = api.put(f"{BASE}/field_updates/{new}", json={"field_updates": [{"value": "Hot"}]})
    assert resp.json == zoho_example(
        "field_updates", "updateFieldUpdateById", 400, "DependentMismatchPostman"
    )
    assert org.entities["field_updates"][new] == before


def test_update_cannot_move_an_entity_to_another_module(api, org):
    new = create(api, "webhooks")
    resp = api.put(f"{BASE}/webhooks/{new}", json={"webhooks": [{"module": {"api_name": "Deals"}}]})
    assert resp.status_code == 400
    assert resp.json == {
        "webhooks": [
            {
                "code": "NOT_ALLOWED",
                "details": {"api_name": "module", "json_path": "$.webhooks[*].module"},
                "message": "module cannot be updated",
                "status": "error",
            }
        ]
    }
    assert org.entities["webhooks"][new]["module"] == LEADS


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (
            "field_updates",
            zoho_example(
                "field_updates", "updateFieldUpdateById", 400, "ReadOnlyActionNotAllowedPostman"
            ),
        ),
        (
            "tasks",
            zoho_example(
                "workflow_tasks", "updateWorkflowTaskById", 400, "ReadOnlyTaskNotAllowedResponse"
            ),
        ),
        (
            "webhooks",
            zoho_example("webhooks", "updateWebhookById", 400, "NotAllowedResponse1"),
        ),
    ],
)
def test_read_only_entities_cannot_be_edited(api, org, kind, expected):
    new = create(api, kind)
    org.entities[kind][new]["editable"] = False
    before = copy.deepcopy(org.entities[kind][new])
    resp = api.put(f"{BASE}/{kind}/{new}", json=wrap(kind, {"name": "Nope"}))
    assert resp.status_code == 400
    assert resp.json == expected
    assert org.entities[kind][new] == before
