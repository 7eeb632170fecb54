"""Zoho's related notes (crm-oas v8.0 related_notes.yaml): a record's notes at
`/{module}/{record_id}/Notes[/{note_id}]`.

The notes are the records API's `Notes` records: they are read with record_reads and written
with records' insert / update / delete, so a note made here is the note POST /Notes makes (ids,
system fields, typing, the engine's events for the parent's note rules). What this module adds
is the parent: it must exist and take notes, every note read or written must be one of its own,
and a body's `Parent_Id` may only name it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockcrm.core.errors import ZohoError
from mockcrm.core.ids import id_text, is_id
from mockcrm.crm import record_reads, records
from mockcrm.crm.org import Org
from mockcrm.crm.record_values import at, bad_value, note_parent
from mockcrm.crm.record_values import error as item_error
from mockcrm.crm.records import WriteResult, module_of

NOTES = "Notes"
PARENT = "Parent_Id"
# Zoho: "By default, the notes are sorted and displayed chronologically ... the oldest note is
# displayed first" (Get Notes page); ties (one instant) by id, i.e. in creation order.
DEFAULT_SORT = ("Created_Time", "asc")
# Path segments: {module}/{record_id}/Notes/{note_id} -> resource_path_index 0 / 1 / 2 / 3.
NOTE_INDEX = 3


@dataclass(frozen=True)
class Parent:
    """The record the path names: its module and id."""

    module: str
    id: str

    def owns(self, note: dict[str, Any]) -> bool:
        return note_parent(note) == (self.module, self.id)


def note_parents(org: Org) -> list[str]:
    """The modules whose records take notes: those the Notes `Parent_Id` lookup names."""
    field = org.field(NOTES, PARENT) if NOTES in org.modules else None
    lookup = (field or {}).get("multi_module_lookup") or {}
    return [m["api_name"] for m in lookup.get("modules", [])]


def parent_of(org: Org, module: str, record_id: str) -> Parent:
    """The path's parent record, or the error Zoho gives for each path segment: the module (0),
    the related list (2: a module whose records take no notes), the record (1)."""
    module = module_of(org, module)
    if module not in note_parents(org):
        message = "the related name given seems to be invalid"
        raise ZohoError("INVALID_DATA", message, {"resource_path_index": 2})
    if not is_id(record_id) or record_id not in org.records.get(module, {}):
        message = "the related id given seems to be invalid"
        raise ZohoError("INVALID_DATA", message, {"resource_path_index": 1})
    return Parent(module, record_id)


def _own_note(org: Org, parent: Parent, note_id: str) -> dict[str, Any] | None:
    """The parent's note `note_id`; None for an unknown id or another record's note (to the
    parent they are the same: no note of its own)."""
    note = org.records.get(NOTES, {}).get(note_id)
    return note if note is not None and parent.owns(note) else None


# --------------------------------------------------------------------------- reads
def list_notes(
    org: Org, module: str, record_id: str, args: Mapping[str, str]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    parent = parent_of(org, module, record_id)
    notes = [n for n in org.records.get(NOTES, {}).values() if parent.owns(n)]
    key = ["related", NOTES, parent.module, parent.id]
    return record_reads.list_related(org, NOTES, notes, args, key, DEFAULT_SORT)


def get_note(
    org: Org, module: str, record_id: str, note_id: str, fields: str | None
) -> dict[str, Any] | None:
    """One of the parent's notes (a one-element `data`); None (204) for any other id."""
    parent = parent_of(org, module, record_id)
    if not is_id(note_id):
        message = "the id given seems to be invalid"
        raise ZohoError("INVALID_DATA", message, {"resource_path_index": NOTE_INDEX})
    if _own_note(org, parent, note_id) is None:
        return None
    return record_reads.get_record(org, NOTES, note_id, fields)


# --------------------------------------------------------------------------- writes
def create(org: Org, module: str, record_id: str, body: Any) -> WriteResult:
    """POST: the records API's insert of Notes, each note under the path's parent."""
    parent = parent_of(org, module, record_id)
    return records.insert(org, NOTES, body, prepare=_under(org, parent))


def update(
    org: Org,
    module: str,
    record_id: str,
    body: Any,
    note_id: str | None = None,
    if_unmodified_since: str | None = None,
) -> WriteResult:
    """PUT: the records API's update of the parent's notes (`id` in each, or `note_id`)."""
    parent = parent_of(org, module, record_id)
    if note_id is not None and _own_note(org, parent, note_id) is None:
        # As the records API's PUT /{module}/{id} answers an unknown id, at the note's segment.
        message = "the id given seems to be invalid"
        raise item_error("INVALID_DATA", message, {"resource_path_index": NOTE_INDEX})
    prepare = _under(org, parent)
    return records.update(org, NOTES, body, note_id, if_unmodified_since, prepare)


def delete(
    org: Org, module: str, record_id: str, raw_ids: str | None, wf_trigger: str | None
) -> WriteResult:
    """DELETE ?ids=: another record's note is `record not deleted`, as an unknown id."""
    parent = parent_of(org, module, record_id)
    return records.delete(org, NOTES, raw_ids, wf_trigger, owned=parent.owns)


def delete_one(
    org: Org, module: str, record_id: str, note_id: str, wf_trigger: str | None
) -> WriteResult:
    """DELETE /{note_id}: the records API's errors for a bad or unknown id, at the note's
    segment."""
    parent = parent_of(org, module, record_id)
    if not is_id(note_id):
        raise ZohoError("INVALID_DATA", "invalid record id", {"resource_path_index": NOTE_INDEX})
    if _own_note(org, parent, note_id) is None:
        raise ZohoError("INVALID_DATA", "record not deleted", {"resource_path_index": NOTE_INDEX})
    return records.delete_one(org, NOTES, note_id, wf_trigger)


def _under(org: Org, parent: Parent) -> records.Prepare:
    """Each body note as the records API takes it, under the path's parent: a new note gets
    the parent as its `Parent_Id`; a `Parent_Id` or `$se_module` in the body must name that
    parent (the path says where the note belongs; moving it elsewhere is refused)."""
    ref = {"module": org.module_ref(parent.module), "id": parent.id}

    def prepare(raw: Any, index: int, existing: dict[str, Any] | None) -> Any:
        root = f"$.data[{index}]"
        if existing is not None and not parent.owns(existing):
            # Another record's note: to this parent an id it does not have (as unknown ids are).
            message = "the id given seems to be invalid"
            raise item_error("INVALID_DATA", message, at("id", f"{root}.id"))
        if not isinstance(raw, dict):
            return raw  # the records API refuses it in its own words
        se_module = raw.get("$se_module", parent.module)
        if se_module != parent.module:
            raise item_error("INVALID_DATA", "invalid data", at("$se_module", f"{root}.$se_module"))
        if PARENT in raw and not _names(org, raw[PARENT], parent):
            raise bad_value(PARENT, f"{root}.{PARENT}")
        note = {key: value for key, value in raw.items() if key != "$se_module"}
        if existing is None or PARENT in raw:
            note[PARENT] = ref
        return note

    return prepare


def _names(org: Org, value: Any, parent: Parent) -> bool:
    """Whether a body's `Parent_Id` names the parent: its id, and its module (by api_name or
    id, as Zoho's notes take it) if the value names one."""
    rid = id_text(value.get("id") if isinstance(value, dict) else value)
    module = value.get("module") if isinstance(value, dict) else None
    if module is not None:
        if not isinstance(module, dict):
            return False
        wanted = org.module_ref(parent.module)
        api_name, module_id = module.get("api_name"), id_text(module.get("id"))
        if api_name is None and module_id is None:
            return False
        if api_name is not None and api_name != wanted["api_name"]:
            return False
        if module_id is not None and module_id != wanted["id"]:
            return False
    return rid == parent.id
