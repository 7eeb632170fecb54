"""Zoho's official Python SDK (zohocrmsdk8-0) writes and reads notes against a live mockcrm: its
NotesOperations send v8's `Parent_Id` with the parent's module inside (no `$se_module`), and a
note on a deal fires the deal's rules triggered by Notes (the seed's "Deal Note Added - Notify
Owner"). Every note it makes is deleted before the test ends (the live server is shared)."""

from __future__ import annotations

import pytest
import requests
from sdk_helpers import param_map, success

# The module-scoped SDK initialisation of test_sdk.py (tests/e2e is on sys.path).
from test_sdk import sdk  # noqa: F401
from zohocrmsdk.src.com.zoho.crm.api import notes as sdk_notes
from zohocrmsdk.src.com.zoho.crm.api.modules import MinifiedModule

pytestmark = pytest.mark.usefixtures("sdk")

VP_DEAL = 4876876000005040001  # Orbit Logistics - Fleet Tracking Suite
DEALS_MODULE = 4876876000000002181
FIELDS = "Note_Title,Note_Content,Parent_Id,Owner,Created_Time"
NOTE_RULE = "4876876000011480001"  # the seed's "Deal Note Added - Notify Owner" (Deals, Notes)


def _note(title: str, content: str) -> sdk_notes.Note:
    module = MinifiedModule()
    module.set_api_name("Deals")
    module.set_id(DEALS_MODULE)
    parent = sdk_notes.ParentId()
    parent.set_module(module)
    parent.set_id(VP_DEAL)
    note = sdk_notes.Note()
    note.set_note_title(title)
    note.set_note_content(content)
    note.set_parent_id(parent)
    return note


def _body(*notes: sdk_notes.Note) -> sdk_notes.BodyWrapper:
    body = sdk_notes.BodyWrapper()
    body.set_data(list(notes))
    return body


def test_the_sdk_creates_reads_updates_and_deletes_a_note(live_url: str) -> None:
    ops = sdk_notes.NotesOperations()
    created = success(
        ops.create_notes(_body(_note("Call", "Asked for a quote"))), 201,
        sdk_notes.ActionWrapper, "data",
    )  # fmt: skip
    assert isinstance(created, sdk_notes.SuccessResponse)
    assert created.get_code().get_value() == "SUCCESS"
    note_id = int(created.get_details()["id"])
    runs = requests.get(
        f"{live_url}/__admin/orgs/default/executions",
        params={"rule_id": NOTE_RULE, "record_id": str(VP_DEAL)},
        timeout=10,
    ).json()["executions"]
    assert {"module": "Notes", "id": str(note_id)} in [r.get("related_record") for r in runs]
    try:
        resp = ops.get_note(note_id, param_map(sdk_notes.GetNoteParam, fields=FIELDS))
        assert resp.get_status_code() == 200
        (note,) = resp.get_object().get_data()
        assert isinstance(note, sdk_notes.Note)
        assert (note.get_note_title(), note.get_note_content()) == ("Call", "Asked for a quote")
        parent = note.get_parent_id()
        assert isinstance(parent, sdk_notes.ParentId)
        assert (parent.get_id(), parent.get_name()) == (
            VP_DEAL, "Orbit Logistics - Fleet Tracking Suite"
        )  # fmt: skip
        assert parent.get_module().get_api_name() == "Deals"
        listed = ops.get_notes(param_map(sdk_notes.GetNotesParam, fields=FIELDS))
        assert listed.get_status_code() == 200
        assert note_id in [n.get_id() for n in listed.get_object().get_data()]
        change = sdk_notes.Note()
        change.set_note_content("Quote sent")
        updated = success(
            ops.update_note(note_id, _body(change)), 200, sdk_notes.ActionWrapper, "data"
        )
        assert updated.get_code().get_value() == "SUCCESS"
        again = ops.get_note(note_id, param_map(sdk_notes.GetNoteParam, fields=FIELDS))
        assert again.get_object().get_data()[0].get_note_content() == "Quote sent"
    finally:
        deleted = success(ops.delete_note(note_id), 200, sdk_notes.ActionWrapper, "data")
    assert deleted.get_code().get_value() == "SUCCESS"
    assert ops.get_note(note_id).get_status_code() == 204
