"""The Records API's writes (fact sheet core §3.5-§3.8): insert, update, upsert and delete
records of a module (the reads are in record_reads.py).

Writes are validated record by record: each record is validated fully, then applied; a failed
record changes nothing. Every applied write yields a `RecordEvent` for the workflow engine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mockcrm.core.clock import parse_header_time, parse_iso
from mockcrm.core.errors import ZohoError, batch_status, param_invalid, success_item
from mockcrm.core.ids import id_text, is_id
from mockcrm.core.pagination import id_list
from mockcrm.crm.org import Org
from mockcrm.crm.record_bodies import MAX_RECORDS, parse_body
from mockcrm.crm.record_values import (
    COLLECTION,
    NOT_VALUES,
    is_empty,
    is_read_only,
    missing,
    name_field,
    typed_record,
    unknown_field,
)
from mockcrm.crm.record_values import error as item_error

APPROVED = "approved"
# Zoho's answers to note writes carry no `$approval_state` (crm-oas v8.0 notes.yaml and
# related_notes.yaml, the Create Notes page): notes take no approval.
WITHOUT_APPROVAL = frozenset({"Notes"})
# A note must say something: Zoho refuses one with neither content nor title, on insert and on
# update alike (notes.yaml / related_notes.yaml 207 examples), listing both fields.
NOTE_TEXT = {"Notes": ("Note_Content", "Note_Title")}
SCALARS = frozenset({str, int, float, bool, type(None)})  # immutable: shared by copies
COMPLETED = "Completed"  # the Status of a finished task


@dataclass(frozen=True)
class RecordEvent:
    """What the engine needs to fire rules: a create, edit or delete of one record."""

    kind: str  # "create" | "edit" | "delete"
    module: str
    record_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass
class WriteResult:
    status: int
    items: list[dict[str, Any]]
    events: list[RecordEvent] = field(default_factory=list)
    # None: the key was absent (every automation runs); []: nothing runs (fact sheet §3.5).
    trigger: list[str] | None = None


# --------------------------------------------------------------------------- module and ids
def invalid_module(collection: str | None = None) -> ZohoError:
    message = "the module name given seems to be invalid"
    return ZohoError("INVALID_MODULE", message, {"resource_path_index": 0}, collection=collection)


def module_of(org: Org, name: str, collection: str | None = None) -> str:
    module = org.modules.get(name)
    if module is None or module.get("api_supported") is False:
        raise invalid_module(collection)
    return name


def _result(module: str, record: dict[str, Any], message: str) -> dict[str, Any]:
    details = {
        "Modified_Time": record["Modified_Time"],
        "Modified_By": dict(record["Modified_By"]),
        "Created_Time": record["Created_Time"],
        "id": record["id"],
        "Created_By": dict(record["Created_By"]),
    }
    if module not in WITHOUT_APPROVAL:
        details["$approval_state"] = APPROVED
    return {"code": "SUCCESS", "details": details, "message": message, "status": "success"}


def _owner(org: Org) -> dict[str, Any]:
    user = org.user(org.current_user_id) or {}
    return {**org.actor(), "email": user.get("email")}


# --------------------------------------------------------------------------- writing
# locate(raw, index) -> (the record to edit, or None to insert; extra keys for the result item)
Locate = Callable[[Any, int], tuple[dict[str, Any] | None, dict[str, Any]]]
# prepare(raw, index, the record to edit or None) -> the body record to type: a caller's own
# per-record rule (the related notes' parent) that may refuse it with a per-item ZohoError.
Prepare = Callable[[Any, int, dict[str, Any] | None], Any]


def _write(
    org: Org,
    module: str,
    body: Any,
    locate: Locate,
    all_ok: int,
    limit: int = MAX_RECORDS,
    prepare: Prepare | None = None,
) -> WriteResult:
    """Validate each record fully, then apply it; a failed record changes nothing."""
    data, trigger = parse_body(body, limit)
    result = WriteResult(0, [], trigger=trigger)
    for index, raw in enumerate(data):
        try:
            existing, extra = locate(raw, index)
            if prepare is not None:
                raw = prepare(raw, index, existing)
            values, typer = typed_record(org, module, raw, index, existing)
            _expect_text(module, raw, index)
        except ZohoError as err:
            result.items.append(err.item())
            continue
        typer.create_tags(values)
        if existing is None:
            event = create_values(org, module, values)
            record = org.records[module][event.record_id]
        else:
            event = edit_values(org, module, existing, values)
            record = existing
        message = "record added" if existing is None else "record updated"
        result.items.append({**_result(module, record, message), **extra})
        result.events.append(event)
    result.status = batch_status(result.items, all_ok)
    return result


def _expect_text(module: str, raw: dict[str, Any], index: int) -> None:
    """A note's body names a non-empty Note_Content or Note_Title (Zoho's EXPECTED_FIELD_MISSING,
    both fields listed, as in its examples); the record was typed first, so `raw` is a dict."""
    names = NOTE_TEXT.get(module)
    if names is None or any(not is_empty(raw.get(name)) for name in names):
        return
    expected = [{"api_name": name, "json_path": f"$.data[{index}].{name}"} for name in names]
    message = "should contain either content or title"
    raise item_error("EXPECTED_FIELD_MISSING", message, {"expected_fields": expected})


def _create(org: Org, module: str, values: dict[str, Any]) -> dict[str, Any]:
    now, actor = org.now(), org.actor()
    record = {f["api_name"]: [] if f["api_name"] == "Tag" else None
              for f in org.fields.get(module, [])}  # fmt: skip
    record.update(values)
    pipeline = org.fields_by_name(module).get("Pipeline")
    if pipeline and record.get("Pipeline") is None and pipeline.get("pick_list_values"):
        # Zoho puts a deal in the layout's default pipeline.
        record["Pipeline"] = pipeline["pick_list_values"][0]["actual_value"]
    record.update(
        id=org.ids.next(), Created_Time=now, Modified_Time=now,
        Created_By=actor, Modified_By=dict(actor),
    )  # fmt: skip
    if record.get("Owner") is None:
        record["Owner"] = _owner(org)
    _closed(org, module, record, values, now)
    org.records.setdefault(module, {})[record["id"]] = record
    return record


def _closed(org: Org, module: str, record: dict, values: dict[str, Any], now: str) -> None:
    """A task's Closed_Time: set when its Status becomes Completed, cleared when it is
    reopened (a read-only field: only this writes it)."""
    if "Status" not in values or "Closed_Time" not in org.fields_by_name(module):
        return
    if values["Status"] != COMPLETED:
        record["Closed_Time"] = None
    elif record.get("Closed_Time") is None:
        record["Closed_Time"] = now


def create_values(org: Org, module: str, values: dict[str, Any]) -> RecordEvent:
    """Store a new record from typed values (the API's inserts, the engine's created records)."""
    record = _create(org, module, values)
    return RecordEvent("create", module, record["id"], None, _copy(record))


def edit_values(
    org: Org, module: str, record: dict[str, Any], values: dict[str, Any]
) -> RecordEvent:
    """Apply typed values to a stored record (the API's updates, the engine's field updates)."""
    before = _copy(record)
    record.update(values)
    now = org.now()
    record.update(Modified_Time=now, Modified_By=org.actor())
    _closed(org, module, record, values, now)
    return RecordEvent("edit", module, record["id"], before, _copy(record))


def insert(org: Org, module: str, body: Any, prepare: Prepare | None = None) -> WriteResult:
    module = module_of(org, module, COLLECTION)
    return _write(org, module, body, lambda raw, index: (None, {}), 201, prepare=prepare)


def update(
    org: Org,
    module: str,
    body: Any,
    record_id: str | None = None,
    if_unmodified_since: str | None = None,
    prepare: Prepare | None = None,
) -> WriteResult:
    """Bulk (`id` in each record) or single (`record_id` from the URL) update."""
    module = module_of(org, module, COLLECTION)
    records = org.records.get(module, {})
    if record_id is not None and record_id not in records:
        raise item_error(
            "INVALID_DATA", "the id given seems to be invalid", {"resource_path_index": 1}
        )
    since = parse_header_time(if_unmodified_since)
    if since is not None:
        limit = MAX_RECORDS if record_id is None else 1
        data, _ = parse_body(body, limit)
        ids = [record_id] if record_id is not None else [_raw_id(raw) for raw in data]
        if any(rid in records and parse_iso(records[rid]["Modified_Time"]) > since for rid in ids):
            # Zoho's optimistic lock: nothing is written when a record changed since.
            raise ZohoError(
                "ALREADY_MODIFIED",
                "record updated time has already passed if-unmodified-since time",
                status=412,
            )

    def locate(raw: Any, index: int) -> tuple[dict[str, Any], dict[str, Any]]:
        if record_id is not None:
            return records[record_id], {}
        path = f"$.data[{index}].id"
        rid = _raw_id(raw)
        if rid is None:
            raise missing("id", path)
        if rid not in records:
            details = {"api_name": "id", "json_path": path}
            raise item_error("INVALID_DATA", "the id given seems to be invalid", details)
        return records[rid], {}

    limit = MAX_RECORDS if record_id is None else 1
    return _write(org, module, body, locate, 200, limit, prepare)


def clone(org: Org, module: str, record_id: str, body: Any) -> WriteResult:
    """`POST /{module}/{id}/actions/clone`: a new record with the record's values and the body's
    `data[0]` over them (the body may be left out), written as an insert (rules fire for it).
    Zoho copies neither read-only nor system fields, nor `$` properties."""
    module = module_of(org, module, COLLECTION)
    source = org.records.get(module, {}).get(record_id)
    if source is None:
        raise item_error(
            "INVALID_DATA", "the id given seems to be invalid", {"resource_path_index": 1}
        )
    if body is None:
        body = {"data": [{}]}
    data, _ = parse_body(body, 1)
    given = data[0]
    raw = {**_as_input(org, module, source), **given} if isinstance(given, dict) else given
    return insert(org, module, {**body, "data": [raw]})


def _as_input(org: Org, module: str, record: dict[str, Any]) -> dict[str, Any]:
    """A stored record's values as a request would send them: lookups and owners by id, tags
    by id; read-only and system fields left out."""
    fields = org.fields_by_name(module)
    raw: dict[str, Any] = {}
    for key, value in record.items():
        fld = fields.get(key)
        if key == "$se_module":
            raw[key] = value
        elif key in NOT_VALUES or key.startswith("$") or fld is None or is_read_only(fld):
            continue
        elif key == "Tag" and isinstance(value, list):
            raw[key] = [{"id": t["id"]} for t in value if isinstance(t, dict) and "id" in t]
        elif isinstance(value, dict) and "id" in value:
            raw[key] = {k: value[k] for k in ("module", "id") if k in value}
        else:
            raw[key] = value
    return raw


def _raw_id(raw: Any) -> str | None:
    return id_text(raw.get("id")) if isinstance(raw, dict) else None


def upsert(org: Org, module: str, body: Any) -> WriteResult:
    """Update the record matching a duplicate-check field, else insert (fact sheet §3.7)."""
    module = module_of(org, module, COLLECTION)
    checks = duplicate_check_fields(org, module, body)
    records = org.records.get(module, {})

    def locate(raw: Any, index: int) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        for name in checks if isinstance(raw, dict) else []:
            value = raw.get(name)
            match = next((r for r in records.values() if value and r.get(name) == value), None)
            if match is not None:
                return match, {"action": "update", "duplicate_field": name}
        return None, {"action": "insert", "duplicate_field": None}

    return _write(org, module, body, locate, 200)


def duplicate_check_fields(org: Org, module: str, body: Any) -> list[str]:
    """`duplicate_check_fields` (≤10 of the module's fields), else Zoho's default: Email where
    the module has it (Leads, Contacts), else its name field (Deal_Name, Account_Name, ...)."""
    fields = org.fields_by_name(module)  # read-only: the org's own index
    given = body.get("duplicate_check_fields") if isinstance(body, dict) else None
    if given is None:
        main = "Email" if "Email" in fields else name_field(org, module)
        return [main] if main else []
    path = "$.duplicate_check_fields"
    if not isinstance(given, list) or len(given) > 10:
        details = {"expected_data_type": "jsonarray", "api_name": "duplicate_check_fields"}
        raise item_error("INVALID_DATA", "invalid data", {**details, "json_path": path})
    for i, name in enumerate(given):
        # Not a string (a list, an object) is no field name either; it must not reach `in`.
        if not isinstance(name, str) or name not in fields:
            raise unknown_field("duplicate_check_fields", f"{path}[{i}]")
    return list(given)


def _wf_trigger(raw: str | None) -> list[str] | None:
    """`wf_trigger=false` runs no delete rules (like `"trigger": []`); the default is true.
    Either case: Zoho's Python SDK sends a boolean param as Python spells it (`False`), and its
    own delete samples add `DeleteRecordParam.wf_trigger` as a bool."""
    value = None if raw is None else raw.lower()
    if value not in (None, "true", "false"):
        raise param_invalid("wf_trigger")
    return [] if value == "false" else None


def delete(
    org: Org,
    module: str,
    raw_ids: str | None,
    wf_trigger: str | None = None,
    owned: Callable[[dict[str, Any]], bool] | None = None,
) -> WriteResult:
    """DELETE ?ids=a,b: per id `record deleted` or `record not deleted`. `owned`: the records
    this call may reach (a parent's notes); any other is `record not deleted`, as an unknown id."""
    module = module_of(org, module)
    trigger = _wf_trigger(wf_trigger)
    ids = id_list(raw_ids, MAX_RECORDS)
    if not all(is_id(i) for i in ids):
        raise ZohoError(
            "UNABLE_TO_PARSE_DATA_TYPE", "either the request body or parameters is in wrong format"
        )
    result = WriteResult(0, [], trigger=trigger)
    records = org.records.get(module, {})
    for rid in ids:
        record = records.get(rid)
        if record is None or (owned is not None and not owned(record)):
            result.items.append(
                {
                    "code": "INVALID_DATA",
                    "details": {"id": rid},
                    "message": "record not deleted",
                    "status": "error",
                }
            )
            continue
        del records[rid]
        result.items.append(_deleted(rid))
        result.events.append(RecordEvent("delete", module, rid, record, None))
    result.status = batch_status(result.items, 200)
    return result


def delete_one(org: Org, module: str, record_id: str, wf_trigger: str | None = None) -> WriteResult:
    module = module_of(org, module)
    trigger = _wf_trigger(wf_trigger)
    if not is_id(record_id):
        raise ZohoError("INVALID_DATA", "invalid record id", {"resource_path_index": 0})
    record = org.records.get(module, {}).pop(record_id, None)
    if record is None:
        raise ZohoError("INVALID_DATA", "record not deleted", {"resource_path_index": 1})
    event = RecordEvent("delete", module, record_id, record, None)
    return WriteResult(200, [_deleted(record_id)], [event], trigger)


def _deleted(rid: str) -> dict[str, Any]:
    return success_item(rid, "record deleted")


def _copy(record: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of a JSON-like record for an event's before/after (the record itself keeps
    changing). Only dicts and lists are copied: scalars are immutable."""
    return {key: v if type(v) in SCALARS else _copy_value(v) for key, v in record.items()}


def _copy_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: v if type(v) in SCALARS else _copy_value(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [_copy_value(item) for item in value]
    return value
