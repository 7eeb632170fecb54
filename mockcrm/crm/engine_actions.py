"""Perform one workflow action against one record (issue 5, "actions take effect").

Each action is validated fully, then applied: a failed action changes nothing. Record writes use
the records API's typing (record_values.typed_record) and storage (records.create_values /
edit_values) and come back as RecordEvents for the engine. Choices where Zoho is silent:
* A write that changes nothing (same value, tag already there) is a success with
  `{"updated": {}}`, stores nothing and causes no event. Writes are stamped with the org's user.
* field_updates: the value is converted to the field's type ("90" -> 90, "true" -> true, "a;b"
  -> ["a", "b"]); multi-select `update_type: append` adds, anything else overwrites;
  `dependent_fields` are set too; `related_details.lookup_field` updates the looked-up record.
* tasks: Owner defaults to the record's owner, `Send_Notification_Email` is the entity's
  `notify`; Contacts link through `Who_Id`, the modules of `What_Id` through `What_Id` +
  `$se_module`. Due dates in `business_days` come from crm/calendar.py, counted from
  `trigger_field` (`${CURRENTTIME}` or a date field). `followup_details` is ignored.
* assign_owner: `user` entries (round robin over the listed users, per action) and
  `merge_field` entries; other kinds, `lookup_field` and `related_records` fail "not supported".
* create_record: the record's owner owns the new record unless the mappings set Owner.
* add_tags / remove_tags: tags deleted since the rule was saved are skipped (failure when none is
  left); `over_write: true` replaces the record's tags.
* email_notifications / webhooks: an outbox entry (crm/engine_outbox.py); nothing is sent.
* Every other type (functions, flow, circuits, chat, social, convert, add_meeting, ...) is
  recorded as `{"invoked": true}` without effect.
"""

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
from mockcrm.crm import calendar, engine_outbox, merge_fields, records
from mockcrm.crm.org import Org
from mockcrm.crm.record_values import STRING_TYPES, typed_record
from mockcrm.crm.records import RecordEvent

# Actions that only read the record (or only are recorded): they also run for a record that is
# gone, given its last state (delete triggers allow e-mails, webhooks and functions).
READ_ONLY = frozenset({"email_notifications", "webhooks", "functions"})
INTEGERS = frozenset({"integer", "bigint"})
DECIMALS = frozenset({"currency", "double", "percent", "decimal"})
REFERENCES = frozenset({"lookup", "ownerlookup", "userlookup"})
NUMBER = re.compile(r"-?\d+(\.\d+)?")
TIME_OF_DAY = re.compile(r"(\d{2}):(\d{2})")


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


def perform(
    org: Org,
    rule: dict,
    action: dict,
    module: str,
    record_id: str,
    *,
    scheduled: bool,
    record: dict | None = None,
) -> Outcome:
    """Run `action` of `rule` on the record. `record` is the record's last state for a record
    that is no longer stored (delete triggers): e-mails and webhooks still go out for it."""
    stored = org.records.get(module, {}).get(record_id)
    rtype = action["type"]
    if stored is None and (record is None or rtype not in READ_ONLY):
        return Outcome("failure", {"reason": "record not found"})
    run = Run(org, rule, action, module, stored if stored is not None else record or {}, scheduled)
    handler = HANDLERS.get(rtype)
    try:
        if handler is None:
            return Outcome("success", {"invoked": True})
        return handler(run)
    except ActionFailed as failed:
        return Outcome("failure", failed.detail)


# --------------------------------------------------------------------------- typing values
def _typed(org: Org, module: str, raw: dict[str, Any], existing: dict | None):
    """The records API's typing of `raw`; its error becomes the failure reason."""
    try:
        return typed_record(org, module, raw, 0, existing)
    except ZohoError as err:
        extra = {k: v for k, v in err.details.items() if k != "json_path"}
        raise ActionFailed(err.message, code=err.code, **extra) from None


def _coerce(fld: dict[str, Any], val: Any) -> Any:
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


def _field(org: Org, module: str, api_name: Any) -> dict[str, Any]:
    fld = org.field(module, str(api_name)) if api_name else None
    if fld is None:
        raise ActionFailed("field not found", api_name=api_name)
    return fld


def _mapped(run: Run, target: str, mappings: list[dict]) -> dict[str, Any]:
    """`field_mappings` -> a raw record of `target` (static, merge_field, execution_time)."""
    raw: dict[str, Any] = {}
    for mapping in mappings:
        fld = _field(run.org, target, (mapping.get("field") or {}).get("api_name"))
        kind, val = mapping.get("type", "static"), mapping.get("value")
        if kind == "execution_time":
            raw[fld["api_name"]] = _execution_time(run, fld, val or {})
        elif kind == "merge_field":
            raw[fld["api_name"]] = _merged(run, fld, val)
        else:
            raw[fld["api_name"]] = _coerce(fld, val)
    return raw


def _merged(run: Run, fld: dict[str, Any], template: Any) -> Any:
    """One placeholder gives the typed value (an Owner stays a user); anything else is text."""
    if not isinstance(template, str):
        return _coerce(fld, template)
    val = merge_fields.MISSING
    if merge_fields.single(template):
        val = merge_fields.value(run.org, run.module, run.record, template)
    if val is merge_fields.MISSING:
        val = merge_fields.render(run.org, run.module, run.record, template)
    if isinstance(val, dict) and fld["data_type"] not in REFERENCES:
        val = merge_fields.text(val)
    return _coerce(fld, val)


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
    except ValueError:
        raise ActionFailed("invalid execution time", api_name=fld["api_name"]) from None
    if fld["data_type"] == "date":
        return moment.astimezone(zone).date().isoformat()
    clock = TIME_OF_DAY.fullmatch(str(value.get("time") or ""))
    if clock:
        local = moment.astimezone(zone)
        moment = local.replace(hour=int(clock[1]), minute=int(clock[2]), second=0)
    return iso(moment, org.time_zone)


def _trigger_time(run: Run, trigger_field: Any) -> datetime:
    """`${CURRENTTIME}` (or nothing) is now; a merge field names a date/datetime of the record."""
    if not trigger_field or "CURRENTTIME" in str(trigger_field):
        return run.org.clock.now()
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
def _edit(run: Run, module: str, record: dict, raw: dict, append: tuple[str, ...] = ()) -> Outcome:
    """Type `raw` as the records API does, then apply it."""
    values, typer = _typed(run.org, module, raw, record)
    skipped = [name for name in raw if not name.startswith("$") and name not in values]
    if skipped:
        raise ActionFailed("field is read only", api_name=skipped[0])
    for name in append:
        old = record.get(name) or []
        values[name] = old + [v for v in values.get(name) or [] if v not in old]
    return _apply(run, module, record, values, typer.create_tags)


def _apply(
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


def _create(run: Run, module: str, raw: dict[str, Any]) -> RecordEvent:
    owner = run.record.get("Owner")
    if "Owner" not in raw and isinstance(owner, dict) and run.org.field(module, "Owner"):
        raw["Owner"] = {"id": owner.get("id")}
    values, typer = _typed(run.org, module, raw, None)
    typer.create_tags(values)
    return records.create_values(run.org, module, values)


# --------------------------------------------------------------------------- the actions
def _field_update(run: Run) -> Outcome:
    entity = run.entity()
    module, record = run.module, run.record
    target = (entity.get("module") or {}).get("api_name") or module
    lookup = ((run.action.get("related_details") or {}).get("lookup_field") or {}).get("api_name")
    if lookup:
        ref = record.get(lookup)
        related = (
            run.org.records.get(target, {}).get(ref.get("id")) if isinstance(ref, dict) else None
        )
        if related is None:
            raise ActionFailed("related record not found", lookup_field=lookup)
        module, record = target, related
    elif target != module:
        raise ActionFailed("field update of another module", module=target)
    fld = _field(run.org, module, (entity.get("field") or {}).get("api_name"))
    raw = {fld["api_name"]: _coerce(fld, entity.get("value"))}
    for dependent in entity.get("dependent_fields") or []:
        dep = _field(run.org, module, (dependent.get("field") or {}).get("api_name"))
        raw[dep["api_name"]] = _coerce(dep, dependent.get("value"))
    multi = fld["data_type"] == "multiselectpicklist" and entity.get("update_type") == "append"
    return _edit(run, module, record, raw, (fld["api_name"],) if multi else ())


def _tags(run: Run) -> Outcome:
    details, org = run.details, run.org
    wanted = []
    for ref in details.get("tags") or []:
        tag = org.tag(run.module, tag_id=ref.get("id")) if ref.get("id") else None
        tag = tag or (org.tag(run.module, name=ref["name"]) if ref.get("name") else None)
        if tag is not None:
            wanted.append({"name": tag["name"], "id": tag["id"], "color_code": tag["color_code"]})
    if not wanted:
        raise ActionFailed("tag not found")
    current = list(run.record.get("Tag") or [])
    ids = {t["id"] for t in wanted}
    if run.action["type"] == "remove_tags":
        new = [t for t in current if t.get("id") not in ids]
    elif details.get("over_write", details.get("overwrite", False)):
        new = wanted
    else:
        have = {t.get("id") for t in current}
        new = current + [t for t in wanted if t["id"] not in have]
    if org.field(run.module, "Tag") is None:
        raise ActionFailed("field not found", api_name="Tag")
    return _apply(run, run.module, run.record, {"Tag": new})


def _assign_owner(run: Run) -> Outcome:
    details = run.details
    if details.get("lookup_field") or details.get("related_records"):
        raise ActionFailed("not supported", feature="lookup_field/related_records")
    entries = [e for e in details.get("assign_to") or [] if isinstance(e, dict)]
    kinds = {e.get("type") for e in entries}
    if kinds == {"user"}:
        # Zoho shares records among the listed users in turn.
        turns = run.org.engine.setdefault("round_robin", {})
        key = str(run.action.get("id"))
        entry = entries[turns.get(key, 0) % len(entries)]
        user_id = (entry.get("resource") or {}).get("id")
        outcome = _owner(run, user_id)
        turns[key] = turns.get(key, 0) + 1
        return outcome
    if kinds == {"merge_field"}:
        token = str((entries[0].get("details") or {}).get("api_name") or "")
        val = merge_fields.value(run.org, run.module, run.record, token)
        return _owner(run, val.get("id") if isinstance(val, dict) else None)
    raise ActionFailed("not supported", assign_type=sorted(map(str, kinds)))


def _owner(run: Run, user_id: Any) -> Outcome:
    if not user_id or run.org.user(str(user_id)) is None:
        raise ActionFailed("user not found", user_id=user_id)
    return _edit(run, run.module, run.record, {"Owner": {"id": str(user_id)}})


def _task(run: Run) -> Outcome:
    entity = run.entity()
    raw = _mapped(run, "Tasks", entity.get("field_mappings") or [])
    raw.update(_task_link(run))
    if run.org.field("Tasks", "Send_Notification_Email") and "Send_Notification_Email" not in raw:
        raw["Send_Notification_Email"] = bool(entity.get("notify"))
    event = _create(run, "Tasks", raw)
    return Outcome("success", {"task_id": event.record_id}, [event])


def _lookup_modules(fld: dict[str, Any] | None) -> list[str]:
    if fld is None:
        return []
    if "multi_module_lookup" in fld:
        return [m["api_name"] for m in fld["multi_module_lookup"]["modules"]]
    return [(fld.get("lookup") or {}).get("module", {}).get("api_name")]


def _task_link(run: Run) -> dict[str, Any]:
    """Contacts are the task's `Who_Id`; Leads, Deals, Accounts, ... its `What_Id`."""
    ref = {"id": run.record["id"]}
    if run.module in _lookup_modules(run.org.field("Tasks", "Who_Id")):
        return {"Who_Id": ref}
    what = run.org.field("Tasks", "What_Id")
    if run.module not in _lookup_modules(what):
        return {}
    # A multi-module lookup names its module in `$se_module`, as Zoho's Tasks records do.
    return {"What_Id": ref, **({"$se_module": run.module} if "multi_module_lookup" in what else {})}


def _create_record(run: Run) -> Outcome:
    target = run.details.get("module")
    target = target.get("api_name") if isinstance(target, dict) else target
    if target not in run.org.modules:
        raise ActionFailed("module not found", module=target)
    raw = _mapped(run, target, run.details.get("field_mappings") or [])
    event = _create(run, target, raw)
    return Outcome("success", {"module": target, "record_id": event.record_id}, [event])


def _email(run: Run) -> Outcome:
    message = engine_outbox.email(run.org, run.module, run.record, run.entity())
    if not message["to"]:
        raise ActionFailed("no recipient")
    return _post(run, "email", message)


def _webhook(run: Run) -> Outcome:
    request = engine_outbox.webhook(run.org, run.module, run.record, run.entity())
    if not request["url"]:
        raise ActionFailed("no url")
    return _post(run, "webhook", request)


def _post(run: Run, kind: str, content: dict[str, Any]) -> Outcome:
    org = run.org
    entry = engine_outbox.envelope(org, kind, run.rule, run.action, run.module, run.record["id"])
    entry.update(content)
    org.outbox.append(entry)
    return Outcome("success", {"outbox_id": entry["id"]})


HANDLERS: dict[str, Callable[[Run], Outcome]] = {
    "field_updates": _field_update,
    "add_tags": _tags,
    "remove_tags": _tags,
    "assign_owner": _assign_owner,
    "tasks": _task,
    "create_record": _create_record,
    "email_notifications": _email,
    "webhooks": _webhook,
}
