"""Locked automation-action entities (`lock_status.locked`): "cannot be edited or deleted"
(Zoho's LockStatus schema). Only a custom seed or a state import makes one: the tests lock an
entity of the in-process org, and one goes through the admin state import.

PUT: Zoho's own answers for field updates (403 NO_PERMISSION) and tasks (401
AUTHORIZATION_ERROR, per item); webhooks document none, so they answer as for read-only
(NotAllowedResponse1); e-mail notifications have no spec and answer as field updates do.
DELETE: no kind documents a locked answer; each answers its read-only NOT_ALLOWED."""

from __future__ import annotations

import copy

import pytest
from actions_helpers import BASE, KINDS, create, success, wrap
from oas import validate_response, zoho_example

ADMIN = "/__admin"
LOCKED_ACTION = zoho_example(
    "field_updates", "updateFieldUpdateById", 403, "LockedActionNoPermissionPostman"
)
LOCKED_TASK = zoho_example(
    "workflow_tasks", "updateWorkflowTaskById", 401, "LockedTaskAuthorizationErrorResponse"
)
# The kind's answer to a PUT by id of a locked entity: (status, body).
LOCKED_PUT = {
    "field_updates": (403, LOCKED_ACTION),
    "email_notifications": (403, LOCKED_ACTION),
    "tasks": (401, LOCKED_TASK),
    "webhooks": (400, zoho_example("webhooks", "updateWebhookById", 400, "NotAllowedResponse1")),
}
READ_ONLY_DELETE = {  # the message of each kind's read-only NOT_ALLOWED delete answer
    "field_updates": "field update can not be deleted",
    "email_notifications": "email notification can not be deleted",
    "tasks": "Insufficient privileges to delete action",
    "webhooks": "Insufficient privileges to delete Read only webhook",
}
DELETED = {
    "field_updates": "field update deleted successfully",
    "email_notifications": "email notification deleted successfully",
    "tasks": "task deleted successfully",
    "webhooks": "Webhook is deleted",
}


def _locked(api, org, kind: str, **flags) -> str:
    """A new entity of `kind`, locked (plus `flags`, e.g. editable=False) in the org."""
    new = create(api, kind)
    entity = org.entities[kind][new]
    entity["lock_status"] = {"locked": True}
    entity.update(flags)
    return new


@pytest.mark.parametrize("kind", KINDS)
def test_put_by_id_of_a_locked_entity_is_refused(api, org, kind):
    new = _locked(api, org, kind)
    before = copy.deepcopy(org.entities)
    resp = api.put(f"{BASE}/{kind}/{new}", json=wrap(kind, {"name": "Nope"}))
    assert (resp.status_code, resp.json) == LOCKED_PUT[kind]
    assert org.entities == before


def test_field_update_locked_answer_is_zohos_example(api, org):
    new = _locked(api, org, "field_updates")
    resp = api.put(f"{BASE}/field_updates/{new}", json=wrap("field_updates", {"name": "Nope"}))
    assert resp.status_code == 403
    assert resp.json == {
        "code": "NO_PERMISSION",
        "details": {},
        "message": "Insufficient privileges to edit locked action",
        "status": "error",
    }


@pytest.mark.parametrize("read_only", [False, True])
def test_put_of_a_locked_task_by_id_and_in_body_is_401(api, org, read_only):
    """Zoho's example of a locked task is also `editable: false`: the locked answer wins."""
    new = _locked(api, org, "tasks", editable=not read_only)
    before = copy.deepcopy(org.entities["tasks"])
    expected = {
        "tasks": [
            {
                "code": "AUTHORIZATION_ERROR",
                "details": {},
                "message": "Insufficient privileges to perform this operation",
                "status": "error",
            }
        ]
    }
    by_id = api.put(f"{BASE}/tasks/{new}", json=wrap("tasks", {"name": "Nope"}))
    assert (by_id.status_code, by_id.json) == (401, expected)
    in_body = api.put(f"{BASE}/tasks", json=wrap("tasks", {"id": new, "name": "Nope"}))
    assert (in_body.status_code, in_body.json) == (401, expected)
    assert in_body.json == zoho_example(
        "workflow_tasks", "updateWorkflowTask", 401, "LockedTaskAuthorizationErrorResponse"
    )
    assert org.entities["tasks"] == before


def test_put_in_body_of_a_locked_webhook_is_the_read_only_answer(api, org):
    new = _locked(api, org, "webhooks")
    before = copy.deepcopy(org.entities["webhooks"])
    resp = api.put(f"{BASE}/webhooks", json=wrap("webhooks", {"id": new, "name": "Nope"}))
    assert resp.status_code == 400
    assert resp.json == zoho_example("webhooks", "updateWebhooks", 400, "NotAllowedResponse1")
    assert org.entities["webhooks"] == before


@pytest.mark.parametrize("kind", ["tasks", "webhooks"])
def test_unlocking_makes_it_editable_again(api, org, kind):
    new = _locked(api, org, kind)
    org.entities[kind][new]["lock_status"] = {"locked": False}
    resp = api.put(f"{BASE}/{kind}/{new}", json=wrap(kind, {"name": "Now editable"}))
    assert resp.status_code == 200
    assert org.entities[kind][new]["name"] == "Now editable"


def _read_only_delete(kind: str, entity_id: str) -> dict:
    """The kind's answer to a DELETE by id of a read-only entity (tests/api/test_actions_delete)."""
    details = {"id": entity_id} if kind == "webhooks" else {"resource_path_index": 3}
    return {
        "code": "NOT_ALLOWED",
        "details": details,
        "message": READ_ONLY_DELETE[kind],
        "status": "error",
    }


@pytest.mark.parametrize("kind", KINDS)
def test_delete_by_id_of_a_locked_entity_is_refused(api, org, kind):
    new = _locked(api, org, kind)
    before = copy.deepcopy(org.entities)
    resp = api.delete(f"{BASE}/{kind}/{new}")
    assert resp.status_code == 400
    assert resp.json == _read_only_delete(kind, new)
    assert org.entities == before


def test_delete_answers_are_zohos_read_only_examples(api, org):
    field_update, task = _locked(api, org, "field_updates"), _locked(api, org, "tasks")
    resp = api.delete(f"{BASE}/field_updates/{field_update}")
    assert resp.json == zoho_example(
        "field_updates", "deleteFieldUpdateById", 400, "ReadOnlyActionNotAllowed1"
    )
    # A one-id bulk delete of a task is flat (Zoho's deleteTasks single-ID errors).
    resp = api.delete(f"{BASE}/tasks", query_string={"ids": task})
    assert resp.status_code == 400
    assert resp.json == zoho_example(
        "workflow_tasks", "deleteTasks", 400, "ReadOnlyActionNotAllowedResponse"
    )
    assert field_update in org.entities["field_updates"] and task in org.entities["tasks"]


@pytest.mark.parametrize("kind", KINDS)
def test_bulk_delete_skips_the_locked_entity(api, org, kind):
    locked, other = _locked(api, org, kind), create(api, kind, name="Deletable")
    kept = copy.deepcopy(org.entities[kind][locked])
    resp = api.delete(f"{BASE}/{kind}", query_string={"ids": f"{locked},{other}"})
    assert resp.status_code == 207
    assert resp.json == {
        kind: [
            {
                "code": "NOT_ALLOWED",
                "details": {"id": locked},
                "message": READ_ONLY_DELETE[kind],
                "status": "error",
            },
            success(kind, other, DELETED[kind])[kind][0],
        ]
    }
    assert org.entities[kind][locked] == kept and other not in org.entities[kind]


def test_locked_by_a_state_import(api, client, store):
    """The way a sandbox user locks one: export the state, lock, import."""
    state = client.get(f"{ADMIN}/orgs/default/state").json
    field_update = next(iter(state["entities"]["field_updates"]))
    state["entities"]["field_updates"][field_update]["lock_status"] = {"locked": True}
    assert client.put(f"{ADMIN}/orgs/default/state", json=state).status_code == 200
    got = api.get(f"{BASE}/field_updates/{field_update}")
    assert got.json["field_updates"][0]["lock_status"] == {"locked": True}
    validate_response("field_updates", "getFieldUpdateById", 200, got.json)
    put = api.put(
        f"{BASE}/field_updates/{field_update}", json=wrap("field_updates", {"name": "Nope"})
    )
    assert (put.status_code, put.json) == (403, LOCKED_ACTION)
    delete = api.delete(f"{BASE}/field_updates/{field_update}")
    assert delete.status_code == 400
    assert delete.json == _read_only_delete("field_updates", field_update)
    assert field_update in store.default_org().entities["field_updates"]
