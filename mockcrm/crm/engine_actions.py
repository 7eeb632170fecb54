"""Perform one workflow action against one record (issue 5, "actions take effect").

Each action is validated fully, then applied: a failed action changes nothing. Record writes use
the records API's typing (record_values.typed_record) and storage (records.create_values /
edit_values), through crm/engine_records.py, and come back as RecordEvents for the engine.
Choices where Zoho is silent:
* A write that changes nothing (same value, tag already there) is a success with
  `{"updated": {}}`, stores nothing and causes no event. Writes are stamped with the org's user.
* field_updates: the value is converted to the field's type ("90" -> 90, "true" -> true, "a;b"
  -> ["a", "b"]); multi-select `update_type: append` adds, anything else overwrites;
  `dependent_fields` are set too; `related_details.lookup_field` updates the looked-up record.
* tasks: Owner defaults to the record's owner, `Send_Notification_Email` is the entity's
  `notify`; Contacts link through `Who_Id`, the modules of `What_Id` through `What_Id` +
  `$se_module`. Due dates in `business_days` come from crm/calendar.py, counted from
  `trigger_field` (`${CURRENTTIME}` or a date field). `followup_details` is ignored.
* assign_owner: round robin (per action) over the active users its `user`, `merge_field`,
  `role` and `profile` entries name (a role or profile: its users, in the org's order); groups,
  assignment rules, criteria, `lookup_field` and `related_records` fail "not supported".
* create_record: the record's owner owns the new record unless the mappings set Owner.
* add_tags / remove_tags: tags deleted since the rule was saved are skipped (failure when none is
  left); `over_write: true` replaces the record's tags.
* email_notifications / webhooks: an outbox entry (crm/engine_outbox.py); nothing is sent.
* Every other type (functions, flow, circuits, chat, social, convert, add_meeting, ...) is
  recorded as `{"invoked": true}` without effect.
"""

from __future__ import annotations

import copy
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mockcrm.crm import engine_outbox, merge_fields
from mockcrm.crm.engine_plans import PLAN_SLACK
from mockcrm.crm.engine_records import (
    ActionFailed,
    Outcome,
    Run,
    apply_changes,
    coerce,
    comparable,
    edit_record,
    field_of,
    holds,
    insert_record,
    mapped,
)
from mockcrm.crm.org import Org
from mockcrm.crm.tag_rules import TAGS_PER_RECORD

# Actions that only read the record (or only are recorded): they also run for a record that is
# gone, given its last state (delete triggers allow e-mails, webhooks and functions).
READ_ONLY = frozenset({"email_notifications", "webhooks", "functions"})
# assign_owner entries the engine resolves to users (groups, assignment rules and criteria are
# not modelled).
ASSIGNABLE = frozenset({"user", "merge_field", "role", "profile"})
# The keys of a field update entity its plan is made from.
PLANNED = ("field", "value", "dependent_fields", "update_type")


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
    plan = _field_update_plan(run.org, entity, target)
    if plan.plain and holds(record, plan.raw):
        return apply_changes(run, module, record, {})
    # The plan's values are shared between runs: the write gets its own.
    return edit_record(run, module, record, copy.deepcopy(plan.raw), plan.append)


@dataclass(eq=False)
class FieldUpdatePlan:
    """What a field update entity writes, worked out once: the values typed for their fields,
    the multi-select field it appends to, and whether the values can be compared with the
    record as stored (`plain`). Valid while the entity's values (`PLANNED`) and its module's
    fields are the objects it was made from: the actions API replaces an entity on every update,
    and an edit in place replaces a value."""

    inputs: tuple[Any, ...]
    fields: list | None
    field_count: int
    raw: dict[str, Any]
    append: tuple[str, ...]
    plain: bool


def _field_update_plan(org: Org, entity: dict[str, Any], module: str) -> FieldUpdatePlan:
    plans = org.runtime.setdefault("field_update_plans", {})
    plan = plans.get(entity["id"])
    fields = org.fields.get(module)
    inputs = tuple(map(entity.get, PLANNED))
    if (
        plan is not None
        and all(map(operator.is_, plan.inputs, inputs))
        and plan.fields is fields
        and plan.field_count == len(fields or ())
    ):
        return plan
    if len(plans) > len(org.entities.get("field_updates", {})) + PLAN_SLACK:
        for entity_id in [e for e in plans if org.entity("field_updates", e) is None]:
            del plans[entity_id]  # deleted entities' plans
    fld = field_of(org, module, (entity.get("field") or {}).get("api_name"))
    raw = {fld["api_name"]: coerce(fld, entity.get("value"))}
    for dependent in entity.get("dependent_fields") or []:
        dep = field_of(org, module, (dependent.get("field") or {}).get("api_name"))
        raw[dep["api_name"]] = coerce(dep, dependent.get("value"))
    multi = fld["data_type"] == "multiselectpicklist" and entity.get("update_type") == "append"
    plain = not multi and comparable(org, module, raw)
    append = (fld["api_name"],) if multi else ()
    plan = FieldUpdatePlan(inputs, fields, len(fields or ()), raw, append, plain)
    plans[entity["id"]] = plan
    return plan


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
    if len(new) > max(TAGS_PER_RECORD, len(current)):  # one already past it (a seed) may shrink
        raise ActionFailed("limit exceeded", api_name="Tag", maximum_length=TAGS_PER_RECORD)
    return apply_changes(run, run.module, run.record, {"Tag": new})


def _assign_owner(run: Run) -> Outcome:
    details = run.details
    if details.get("lookup_field") or details.get("related_records"):
        raise ActionFailed("not supported", feature="lookup_field/related_records")
    entries = [e for e in details.get("assign_to") or [] if isinstance(e, dict)]
    unsupported = {e.get("type") for e in entries} - ASSIGNABLE
    if unsupported or not entries:
        raise ActionFailed("not supported", assign_type=sorted(map(str, unsupported)))
    candidates: list[Any] = []
    for entry in entries:
        candidates.extend(u for u in _assignees(run, entry) if u and u not in candidates)
    if not candidates:
        raise ActionFailed("no active user", assign_to=[_named(e) for e in entries])
    # Zoho shares records among the listed users (and the users of listed roles) in turn; the
    # turn moves on whatever this one gives, so a failed write never holds the rotation.
    turns = run.org.engine.setdefault("round_robin", {})
    key = str(run.action.get("id"))
    turn = turns.get(key, 0)
    turns[key] = turn + 1
    return _owner(run, candidates[turn % len(candidates)])


def _assignees(run: Run, entry: dict[str, Any]) -> list[Any]:
    """The active users an assign_to entry names: a user; the record's user in a merge field;
    every user holding a role or profile, in the org's user order."""
    kind, resource = entry.get("type"), entry.get("resource") or {}
    if kind == "user":
        return _active(run, resource.get("id"))
    if kind == "merge_field":
        token = str((entry.get("details") or {}).get("api_name") or "")
        val = merge_fields.value(run.org, run.module, run.record, token)
        return _active(run, val.get("id") if isinstance(val, dict) else None)
    return [
        u["id"]
        for u in run.org.users
        if (u.get(kind) or {}).get("id") == resource.get("id")
        and u.get("status", "active") == "active"
    ]


def _active(run: Run, user_id: Any) -> list[Any]:
    """The user, if there is such an active user (the round robin skips the others)."""
    user = run.org.user(str(user_id)) if user_id else None
    return [user["id"]] if user and user.get("status", "active") == "active" else []


def _named(entry: dict[str, Any]) -> dict[str, Any]:
    return {"type": entry.get("type"), "id": (entry.get("resource") or {}).get("id")}


def _owner(run: Run, user_id: Any) -> Outcome:
    if not user_id or run.org.user(str(user_id)) is None:
        raise ActionFailed("user not found", user_id=user_id)
    return edit_record(run, run.module, run.record, {"Owner": {"id": str(user_id)}})


def _task(run: Run) -> Outcome:
    entity = run.entity()
    raw = mapped(run, "Tasks", entity.get("field_mappings") or [])
    raw.update(_task_link(run))
    if run.org.field("Tasks", "Send_Notification_Email") and "Send_Notification_Email" not in raw:
        raw["Send_Notification_Email"] = bool(entity.get("notify"))
    event = insert_record(run, "Tasks", raw)
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
    raw = mapped(run, target, run.details.get("field_mappings") or [])
    event = insert_record(run, target, raw)
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
