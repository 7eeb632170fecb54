"""DELETE by id and bulk DELETE ?ids= of the automation-action entities."""

from __future__ import annotations

import copy

import pytest
from actions_helpers import BASE, KINDS, SPECS, create, success
from oas import validate_response, zoho_example

DELETED = {
    "field_updates": "field update deleted successfully",
    "email_notifications": "email notification deleted successfully",
    "tasks": "task deleted successfully",
    "webhooks": "Webhook is deleted",
}
IN_USE = {  # bulk delete item message for an entity a rule uses
    "field_updates": "This field update is associated with at least one of "
    "Approval Process/Workflow Rules/Blueprint",
    "email_notifications": "This email notification is associated with at least one of "
    "Approval Process/Workflow Rules/Blueprint",
    "tasks": "the specified task is associated with at least one of "
    "Approval Process/Workflow Rules/Blueprint",
    "webhooks": "This webhook is associated with at least one of "
    "Approval Process/Workflow Rules/Blueprint",
}
UNKNOWN = "4876876000011125"


def _used(org, kind: str) -> str:
    from mockcrm.crm.actions import associated_ids

    return sorted(associated_ids(org, kind))[0]


@pytest.mark.parametrize("kind", KINDS)
def test_delete_by_id(api, org, kind):
    new = create(api, kind)
    resp = api.delete(f"{BASE}/{kind}/{new}")
    assert resp.status_code == 200
    assert resp.json == success(kind, new, DELETED[kind])
    if kind in SPECS:
        validate_response(SPECS[kind][0], SPECS[kind][5], 200, resp.json)
    assert new not in org.entities[kind]
    again = api.delete(f"{BASE}/{kind}/{new}")
    assert again.status_code == 400
    assert again.json == zoho_example(
        "field_updates", "deleteFieldUpdateById", 400, "FieldUpdatesInvalidData"
    )


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("tasks", zoho_example("workflow_tasks", "deleteTaskById", 400, "NotAllowedResponse1")),
        ("webhooks", zoho_example("webhooks", "deleteWebhooksById", 400, "NotAllowedResponse2")),
    ],
)
def test_delete_by_id_of_an_associated_entity_is_refused(api, org, kind, expected):
    used = _used(org, kind)
    before = copy.deepcopy(org.entities[kind])
    resp = api.delete(f"{BASE}/{kind}/{used}")
    assert resp.status_code == 400
    assert resp.json == expected
    assert org.entities[kind] == before


@pytest.mark.parametrize("kind", ["field_updates", "email_notifications"])
def test_delete_by_id_refusal_wording_of_the_other_kinds(api, org, kind):
    resp = api.delete(f"{BASE}/{kind}/{_used(org, kind)}")
    assert resp.json == {
        "code": "NOT_ALLOWED",
        "details": {"resource_path_index": 3},
        "message": IN_USE[kind],
        "status": "error",
    }


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (
            "field_updates",
            zoho_example(
                "field_updates", "deleteFieldUpdateById", 400, "ReadOnlyActionNotAllowed1"
            ),
        ),
        (
            "tasks",
            zoho_example("workflow_tasks", "deleteTasks", 400, "ReadOnlyActionNotAllowedResponse"),
        ),
    ],
)
def test_read_only_entities_cannot_be_deleted(api, org, kind, expected):
    new = create(api, kind)
    org.entities[kind][new]["deletable"] = False
    resp = api.delete(f"{BASE}/{kind}/{new}")
    assert resp.status_code == 400
    assert resp.json == expected
    assert new in org.entities[kind]


def test_read_only_webhook_wording(api, org):
    new = create(api, "webhooks")
    org.entities["webhooks"][new]["deletable"] = False
    expected = zoho_example("webhooks", "deleteWebhooks", 400, "NotAllowedReadOnlyResponse1")
    expected["webhooks"][0]["details"] = {"id": new}
    bulk = api.delete(f"{BASE}/webhooks", query_string={"ids": new})
    assert bulk.status_code == 400
    assert bulk.json == expected
    single = api.delete(f"{BASE}/webhooks/{new}")
    assert single.json == expected["webhooks"][0]
    assert new in org.entities["webhooks"]


@pytest.mark.parametrize("kind", KINDS)
def test_bulk_delete_all_ok_mixed_and_none(api, org, kind):
    a, b = create(api, kind, name="Bulk A"), create(api, kind, name="Bulk B")
    resp = api.delete(f"{BASE}/{kind}", query_string={"ids": f"{a},{b}"})
    assert resp.status_code == 200
    assert resp.json == {
        kind: success(kind, a, DELETED[kind])[kind] + success(kind, b, DELETED[kind])[kind]
    }
    if kind in SPECS:
        validate_response(SPECS[kind][0], SPECS[kind][6], 200, resp.json)
    c, used = create(api, kind, name="Bulk C"), _used(org, kind)
    mixed = api.delete(f"{BASE}/{kind}", query_string={"ids": f"{UNKNOWN},{c},{used}"})
    assert mixed.status_code == 207
    if kind in SPECS:
        validate_response(SPECS[kind][0], SPECS[kind][6], 207, mixed.json)
    assert mixed.json == {
        kind: [
            {
                "code": "INVALID_DATA",
                "details": {"id": UNKNOWN},
                "message": "the id given seems to be invalid",
                "status": "error",
            },
            success(kind, c, DELETED[kind])[kind][0],
            {
                "code": "NOT_ALLOWED",
                "details": {"id": used},
                "message": IN_USE[kind],
                "status": "error",
            },
        ]
    }
    assert c not in org.entities[kind] and used in org.entities[kind]
    none = api.delete(f"{BASE}/{kind}", query_string={"ids": f"{UNKNOWN},{used}"})
    assert none.status_code == 400
    assert [i["code"] for i in none.json[kind]] == ["INVALID_DATA", "NOT_ALLOWED"]


def test_bulk_delete_wording_matches_zoho_examples(api, org):
    used = _used(org, "field_updates")
    resp = api.delete(f"{BASE}/field_updates", query_string={"ids": f"{UNKNOWN},{used}"})
    example = zoho_example("field_updates", "deleteFieldUpdates", 207, "BulkDeleteMixedResult")
    invalid, _, in_use = example["field_updates"]
    invalid["details"], in_use["details"] = {"id": UNKNOWN}, {"id": used}
    assert resp.json == {"field_updates": [invalid, in_use]}
    task = _used(org, "tasks")
    resp = api.delete(f"{BASE}/tasks", query_string={"ids": f"{task},{UNKNOWN}"})
    example = zoho_example("workflow_tasks", "deleteTasks", 400, "AllFailedArrayResponse")
    in_use, invalid = example["tasks"][:2]
    in_use["details"], invalid["details"] = {"id": task}, {"id": UNKNOWN}
    assert resp.json == {"tasks": [in_use, invalid]}


@pytest.mark.parametrize(
    ("which", "example"),
    [
        ("used", "TaskAssociatedNotAllowedResponse"),
        ("read_only", "ReadOnlyActionNotAllowedResponse"),
        ("unknown", "InvalidIdResponse"),
    ],
)
def test_bulk_delete_of_one_task_that_fails_is_flat(api, org, which, example):
    """Zoho's deleteTasks: single-id errors are flat (resource_path_index 3), not the array."""
    if which == "read_only":
        task = next(iter(org.entities["tasks"]))
        org.entities["tasks"][task]["deletable"] = False
    else:
        task = _used(org, "tasks") if which == "used" else UNKNOWN
    before = copy.deepcopy(org.entities["tasks"])
    resp = api.delete(f"{BASE}/tasks", query_string={"ids": task})
    assert resp.status_code == 400
    assert resp.json == zoho_example("workflow_tasks", "deleteTasks", 400, example)
    assert org.entities["tasks"] == before


@pytest.mark.parametrize(
    ("kind", "spec", "missing", "too_many"),
    [
        ("field_updates", "field_updates", "IdsMissingResponse", "IdsLimitExceededResponse"),
        ("tasks", "workflow_tasks", "RequiredParamMissingResponse", "IdsLimitExceededResponse"),
        ("webhooks", "webhooks", "RequiredParamMissingResponse1", "InvalidDataResponse1"),
    ],
)
def test_bulk_delete_ids_parameter(api, org, kind, spec, missing, too_many):
    op = SPECS[kind][6]
    resp = api.delete(f"{BASE}/{kind}")
    assert resp.status_code == 400
    assert resp.json == zoho_example(spec, op, 400, missing)
    before = set(org.entities[kind])
    eleven = ",".join(list(before)[:1] + [f"48768760000{n:08d}" for n in range(10)])
    resp = api.delete(f"{BASE}/{kind}", query_string={"ids": eleven})
    assert resp.status_code == 400
    assert resp.json == zoho_example(spec, op, 400, too_many)
    assert set(org.entities[kind]) == before
