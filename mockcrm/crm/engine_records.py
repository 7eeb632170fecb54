"""How workflow actions read and write records (issue 5, "actions take effect"): the run of one
action on one record (`Run`, its `Outcome`, `ActionFailed`), configured values turned into the
records API's input (`coerce`; `field_mappings` of static, merge_field and execution_time values),
and writes through the records API's typing (record_values.typed_record) and storage
(records.create_values / edit_values). Separate from engine_actions.py, which holds what each
action type does; the choices where Zoho is silent are listed there."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from mockcrm.core.clock import iso, parse_iso
from mockcrm.core.errors import ZohoError
from mockcrm.crm import calendar, merge_fields, records
from mockcrm.crm.org import Org
from mockcrm.crm.record_values import STRING_TYPES, is_read_only, typed_record
from mockcrm.crm.records import RecordEvent

INTEGERS = frozenset({"integer", "bigint"})
DECIMALS = frozenset({"currency", "double", "percent", "decimal"})
REFERENCES = frozenset({"lookup", "ownerlookup", "userlookup"})
NUMBER = re.compile(r"-?\d+(\.\d+)?")
TIME_OF_DAY = re.compile(r"(\d{2}):(\d{2})")
PLAIN = frozenset({str, int, float, bool})


@dataclass
class Outcome:
    status: str  # "success" | "failure"
    detail: dict[str, Any]  # what happened; goes to the execution log
    events: list[RecordEvent] = field(default_factory=list)


class ActionFailed(Exception):
    """An action that cannot take effect; raised before anything is changed."""

    def __init__(self, reason: str, **extra: Any) -> None:
        super().__init__(reason)
        self.detail = {"reason": reason, **extra}


@dataclass
class Run:
    """One action of a rule on one record (for a deleted record: its last state)."""

    org: Org
    rule: dict[str, Any]
    action: dict[str, Any]
    module: str
    record: dict[str, Any]
    scheduled: bool

    @property
    def details(self) -> dict[str, Any]:
        return self.action.get("details") or {}

    def entity(self) -> dict[str, Any]:
        entity = self.org.entity(self.action["type"], str(self.action.get("id")))
        if entity is None:
            raise ActionFailed("action not found")
        return entity


# --------------------------------------------------------------------------- typing values
def _typed(org: Org, module: str, raw: dict[str, Any], existing: dict | None):
    """The records API's typing of `raw`; its error becomes the failure reason."""
    try:
        return typed_record(org, module, raw, 0, existing)
    except ZohoError as err:
        extra = {k: v for k, v in err.details.items() if k != "json_path"}
        raise ActionFailed(err.message, code=err.code, **extra) from None


def coerce(fld: dict[str, Any], val: Any) -> Any:
    """A configured value (Zoho keeps most as strings) in the type the records API expects."""
    kind = fld["data_type"]
    if val is None or fld["api_name"] == "Tag":
        return val
    if kind in REFERENCES:
        return {"id": val.get("id")} if isinstance(val, dict) else val
    if kind in STRING_TYPES and not isinstance(val, str):
        return merge_fields.text(val)
    if not isinstance(val, str):
        return val
    text = val.strip()
    if kind in INTEGERS and NUMBER.fullmatch(text) and "." not in text:
        return int(text)
    if kind in DECIMALS and NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    if kind == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if kind == "multiselectpicklist":
        return [part.strip() for part in text.split(";") if part.strip()]
    return val


def field_of(org: Org, module: str, api_name: Any) -> dict[str, Any]:
    fld = org.field(module, str(api_name)) if api_name else None
    if fld is None:
        raise ActionFailed("field not found", api_name=api_name)
    return fld


def mapped(run: Run, target: str, mappings: list[dict]) -> dict[str, Any]:
    """`field_mappings` -> a raw record of `target` (static, merge_field, execution_time)."""
    raw: dict[str, Any] = {}
    for mapping in mappings:
        fld = field_of(run.org, target, (mapping.get("field") or {}).get("api_name"))
        kind, val = mapping.get("type", "static"), mapping.get("value")
        if kind == "execution_time":
            raw[fld["api_name"]] = _execution_time(run, fld, val or {})
        elif kind == "merge_field":
            raw[fld["api_name"]] = _merged(run, fld, val)
        else:
            raw[fld["api_name"]] = coerce(fld, val)
    return raw


def _merged(run: Run, fld: dict[str, Any], template: Any) -> Any:
    """One placeholder gives the typed value (an Owner stays a user); anything else is text."""
    if not isinstance(template, str):
        return coerce(fld, template)
    val = merge_fields.MISSING
    if merge_fields.single(template):
        val = merge_fields.value(run.org, run.module, run.record, template)
    if val is merge_fields.MISSING:
        val = merge_fields.render(run.org, run.module, run.record, template)
    if isinstance(val, dict) and fld["data_type"] not in REFERENCES:
        val = merge_fields.text(val)
    return coerce(fld, val)


def _execution_time(run: Run, fld: dict[str, Any], value: dict[str, Any]) -> str:
    """ "Trigger Date plus N day(s)/business day(s)" -> a date (or datetime) value."""
    org = run.org
    period = str(value.get("period") or "days")
    try:
        unit = int(str(value.get("unit") or "0"))
    except ValueError:
        raise ActionFailed("invalid execution time", api_name=fld["api_name"]) from None
    if value.get("sign") == "minus":
        unit = -unit
    start = _trigger_time(run, value.get("trigger_field"))
    zone = ZoneInfo(org.time_zone)
    try:
        if fld["data_type"] == "date" and period in ("business_days", "b_days"):
            local = start.astimezone(zone).date()
            return calendar.business_date_after(org, local, unit).isoformat()
        moment = calendar.add_period(org, start, period, unit)
        if fld["data_type"] == "date":
            return moment.astimezone(zone).date().isoformat()
        clock = TIME_OF_DAY.fullmatch(str(value.get("time") or ""))
        if clock:
            local = moment.astimezone(zone)
            moment = local.replace(hour=int(clock[1]), minute=int(clock[2]), second=0)
        return iso(moment, org.time_zone)
    except (OverflowError, ValueError):  # OverflowError: a date beyond the calendar
        raise ActionFailed("invalid execution time", api_name=fld["api_name"]) from None


def _trigger_time(run: Run, trigger_field: Any) -> datetime:
    """`${CURRENTTIME}` (or nothing) is now; a merge field names a date/datetime of the record."""
    if not trigger_field or "CURRENTTIME" in str(trigger_field):
        return run.org.instant()
    val = merge_fields.value(run.org, run.module, run.record, str(trigger_field))
    try:
        if isinstance(val, str) and "T" in val:
            return parse_iso(val)
        if isinstance(val, str):
            day = date.fromisoformat(val)
            return datetime.combine(day, time(), tzinfo=ZoneInfo(run.org.time_zone))
    except ValueError:
        pass
    raise ActionFailed("trigger field is empty", trigger_field=trigger_field)


# --------------------------------------------------------------------------- applying
def edit_record(
    run: Run, module: str, record: dict, raw: dict, append: tuple[str, ...] = ()
) -> Outcome:
    """Type `raw` as the records API does, then apply it."""
    values, typer = _typed(run.org, module, raw, record)
    skipped = [name for name in raw if not name.startswith("$") and name not in values]
    if skipped:
        raise ActionFailed("field is read only", api_name=skipped[0])
    for name in append:
        old = record.get(name) or []
        values[name] = old + [v for v in values.get(name) or [] if v not in old]
    return apply_changes(run, module, record, values, typer.create_tags)


def holds(record: dict, raw: dict) -> bool:
    """The record holds each value of `raw`, of the same type (True == 1, yet 1 is no boolean).
    For `comparable` values, a write that changes nothing: stored values were typed when
    written, so they would type to themselves. Most field updates are such writes; typing them
    cost 3% of the engine's time."""
    for name, val in raw.items():
        current = record.get(name)
        if type(current) is not type(val) or current != val:
            return False
    return True


def comparable(org: Org, module: str, raw: dict) -> bool:
    """`raw`'s values can be compared with the record as stored: plain, non-empty values of
    writable, non-reference fields."""
    fields = org.fields_by_name(module)
    for name, val in raw.items():
        if type(val) not in PLAIN or val == "":
            return False
        fld = fields.get(name)
        if fld is None or is_read_only(fld) or fld["data_type"] in REFERENCES:
            return False
    return True


def apply_changes(
    run: Run, module: str, record: dict, values: dict, prepare: Callable[[dict], None] | None = None
) -> Outcome:
    """Write the values that differ; `prepare` (creating new tags) runs only when something does."""
    changed = {name: v for name, v in values.items() if record.get(name) != v}
    detail: dict[str, Any] = {"updated": {}}
    if record is not run.record:
        detail["record"] = {"module": module, "id": record["id"]}
    if not changed:
        return Outcome("success", detail)
    if prepare is not None:
        prepare(changed)
    event = records.edit_values(run.org, module, record, changed)
    detail["updated"] = copy.deepcopy(changed)
    return Outcome("success", detail, [event])


def insert_record(run: Run, module: str, raw: dict[str, Any]) -> RecordEvent:
    """A new `module` record from `raw`, owned by the run's record's owner unless `raw` says."""
    owner = run.record.get("Owner")
    if "Owner" not in raw and isinstance(owner, dict) and run.org.field(module, "Owner"):
        raw["Owner"] = {"id": owner.get("id")}
    values, typer = _typed(run.org, module, raw, None)
    typer.create_tags(values)
    return records.create_values(run.org, module, values)
