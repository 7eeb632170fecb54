"""The workflow engine: record events fire the org's active rules in execution order; the first
matching condition's instant actions run at once, its scheduled actions wait on the org's
virtual clock (crm/engine_clock.py runs them, and date triggers, when the clock passes them).
Every firing updates the counters behind the usage and count reports (crm/usage.py) and lands
in the execution log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mockcrm.core.clock import iso
from mockcrm.crm import calendar, usage
from mockcrm.crm.criteria import Context
from mockcrm.crm.engine_actions import perform
from mockcrm.crm.engine_plans import (
    candidates,
    fired_before,
    rule_plan,
    schedule_added,
    schedule_shrank,
    trigger_fields,
    trigger_fired,
)
from mockcrm.crm.engine_triggers import activity_types, section_changed
from mockcrm.crm.org import Org
from mockcrm.crm.record_values import note_parent
from mockcrm.crm.records import RecordEvent
from mockcrm.crm.triggers import EDIT_TYPES, FIELD_UPDATE_TYPES, SECTION_TYPES

# A field update's edit of the record fires rules again, one level deep (Zoho's "no loops"):
# those rules' own field updates fire nothing, and a rule never re-fires for its own change.
MAX_DEPTH = 2
CASCADING_ACTIONS = frozenset({"field_updates"})
MAX_EXECUTIONS = 10_000
# The outbox keeps the newest e-mails / webhooks only, so a long-running server stays flat.
MAX_OUTBOX = 10_000
TRIGGERS_BY_EVENT = {
    "create": ("create", "create_or_edit"),
    "edit": ("edit", "create_or_edit", "field_update", "section_update"),
    "delete": ("delete",),
}
# What an event of a related module (a Note) fires on its parent record (Zoho's note triggers).
RELATED_TRIGGERS = {
    "create": ("create", "create_or_edit"),
    "edit": ("edit", "create_or_edit"),
    "delete": ("delete",),
}
# Without `repeat`, these run once per record (field updates: once per record and value).
ONCE_PER_RECORD = EDIT_TYPES | SECTION_TYPES
NOT_FIRED = object()  # the trigger did not fire at all (as opposed to: fired, no condition matched)


def fire(
    org: Org,
    events: Iterable[RecordEvent],
    trigger: list[str] | None,
    caused_by: str | None = None,
) -> list[dict]:
    """Run the rules for record events. `trigger` is the records API's: None fires, [] does not.
    `caused_by`: the rule whose actions made the events (a scheduled or date-triggered field
    update): they are a cascade, one level deep, that never re-fires that rule."""
    events = list(events)
    _forget_deleted(org, {e.record_id for e in events if e.kind == "delete"})
    if trigger is not None and "workflow" not in trigger:
        return []
    with org.at_one_instant():  # every rule these events fire runs at one time
        ran = _fire(org, events, 0 if caused_by is None else 1, caused_by)
    trim(org)
    return ran


def _fire(org: Org, events: list[RecordEvent], depth: int, origin: str | None) -> list[dict]:
    ran: list[dict] = []
    pending = [(event, depth, origin) for event in events]
    while pending:
        event, depth, origin = pending.pop(0)
        record = event.after if event.after is not None else event.before
        # One evaluation context per event: every rule's criteria read the same record state.
        ctx = Context(org, event.module, record)
        types = TRIGGERS_BY_EVENT.get(event.kind, ()) + activity_types(event)
        groups = [(candidates(org, event.module, types), event.module, record, ctx)]
        parent = _parent(org, event.module, record)
        if parent is not None:  # a Note fires its parent's rules triggered by Notes
            module, held = parent
            note_types = RELATED_TRIGGERS.get(event.kind, ())
            related = candidates(org, module, note_types, event.module)
            groups.append((related, module, held, Context(org, module, held)))
        for rules, module, target, rctx in groups:
            for rule in rules:
                if rule["id"] == origin:
                    continue
                condition = _match(org, rule, event, rctx, module)
                if condition is NOT_FIRED:
                    continue
                execution, caused = execute(org, rule, event.kind, module, target, condition)
                if target is not record:
                    execution["related_record"] = {"module": event.module, "id": event.record_id}
                ran.append(execution)
                if caused and depth + 1 < MAX_DEPTH:
                    pending.extend((e, depth + 1, rule["id"]) for e in caused)
    return ran


def _parent(org: Org, module: str, record: dict) -> tuple[str, dict] | None:
    """The parent module and record of a related module's record (a Note's `Parent_Id`, with
    its module inside or in `$se_module`), when the parent module takes triggers from it (the
    configuration catalogue)."""
    parent_module, parent_id = note_parent(record)
    if parent_module is None or module not in org.catalogue.related_modules(parent_module):
        return None
    held = org.records.get(parent_module, {}).get(parent_id) if parent_id is not None else None
    return None if held is None else (parent_module, held)


def _forget_deleted(org: Org, record_ids: set[str]) -> None:
    """A deleted record never fires again: drop its run-once marks (and those of rules that are
    gone), so the bookkeeping stays bounded under create/delete churn."""
    fired = org.engine.get("fired")
    if not record_ids or not fired:
        return
    for rule_id in list(fired):
        if rule_id not in org.rules:
            del fired[rule_id]
            continue
        # Keys are "<record>", "<record>:<values>" (field update) or "<record>@<moment>" (date).
        keep = [k for k in fired[rule_id] if k.split(":", 1)[0].split("@", 1)[0] not in record_ids]
        if len(keep) != len(fired[rule_id]):
            fired[rule_id] = keep


def _match(org: Org, rule: dict, event: RecordEvent, ctx: Context, module: str) -> Any:
    """The rule's first matching condition for the event (None: none matched), or NOT_FIRED.
    `module`: the rule's (the event's, or a related event's parent's); `ctx` reads its record.
    Run-once marks are the event's record's (a Note's own, for a note trigger)."""
    kind = rule["execute_when"]["type"]  # one of the event's (engine_plans.candidates)
    details = rule["execute_when"]["details"]
    repeat = bool(details.get("repeat"))
    plan = rule_plan(org, rule, module)  # criteria compiled once per rule version
    if kind in SECTION_TYPES and not section_changed(org, module, details, event):
        return NOT_FIRED
    if kind in FIELD_UPDATE_TYPES:
        if not trigger_fired(plan, ctx, event.before):
            return NOT_FIRED
        field = trigger_fields(plan)
        key = f"{event.record_id}:" + "|".join(str(event.after.get(f)) for f in field)
        if not repeat and fired_before(org, rule, key):
            return NOT_FIRED
    condition = plan.first_condition(ctx)
    once = kind in ONCE_PER_RECORD and not repeat and condition is not None
    if once and fired_before(org, rule, event.record_id):
        return NOT_FIRED
    return condition


def run_actions(
    org: Org,
    rule: dict,
    module: str,
    record_id: str,
    actions: list[dict],
    slot: str,
    cid: str,
    *,
    scheduled: bool,
    counts: dict,
    record: dict | None = None,
) -> tuple[list[dict], list[RecordEvent]]:
    """`counts`: the rule's usage counts of the day (crm/usage.py)."""
    results, caused = [], []
    written = org.runtime.get("written")  # a clock move watches what actions write
    for action in actions:
        # A deleted record is gone from the org: its actions see its last state.
        outcome = perform(org, rule, action, module, record_id, scheduled=scheduled, record=record)
        if written is not None:
            written.extend(outcome.events)
        key = f"{cid}/{slot}/{action['id']}"
        usage.action_ran(counts, key, outcome.status)
        if action["type"] == "webhooks":
            usage.webhook_called(org, action["id"], action.get("name"))
        if scheduled:
            usage.queued(org, rule, key, -1)
        results.append(
            {
                "id": action["id"],
                "type": action["type"],
                "name": action.get("name"),
                "status": outcome.status,
                "detail": outcome.detail,
            }
        )
        if action["type"] in CASCADING_ACTIONS:
            caused.extend(outcome.events)
    return results, caused


def log(org: Org, execution: dict) -> dict:
    # Capped by trim when the engine returns: dropping the oldest entry per execution moved
    # the whole full list each time (10,000 entries per firing).
    org.executions.append(execution)
    return execution


def trim(org: Org) -> None:
    """Keep the newest executions and outbox entries (called before the engine returns, with
    the store lock still held, so nobody sees a log beyond its cap)."""
    if len(org.executions) > MAX_EXECUTIONS:
        del org.executions[:-MAX_EXECUTIONS]
    if len(org.outbox) > MAX_OUTBOX:
        del org.outbox[:-MAX_OUTBOX]


def execute(
    org: Org, rule: dict, event: str, module: str, record: dict, condition: dict | None
) -> tuple[dict, list[RecordEvent]]:
    now = org.now()
    counts = usage.fired(org, rule, now[:10], None if condition is None else condition["id"])
    execution: dict[str, Any] = {
        "id": org.ids.next(),
        "time": now,
        "event": event,
        "scheduled": False,
        "rule": {"id": rule["id"], "name": rule["name"]},
        "record": {"module": module, "id": record["id"]},
        "condition": None,
        "actions": [],
        "queued": [],
    }
    if condition is None:
        return log(org, execution), []
    cid = condition["id"]
    rule["last_executed_time"] = now
    execution["condition"] = {"id": cid, "sequence_number": condition["sequence_number"]}
    instant = condition["instant_actions"]["actions"]
    gone = record if event == "delete" else None
    execution["actions"], caused = run_actions(
        org, rule, module, record["id"], instant, "instant", cid,
        scheduled=False, counts=counts, record=gone,
    )  # fmt: skip
    for group in condition.get("scheduled_actions") or []:
        execution["queued"].append(_queue(org, rule, module, record["id"], cid, group))
    return log(org, execution), caused


def _queue(org: Org, rule: dict, module: str, record_id: str, cid: str, group: dict) -> dict:
    after = group["execute_after"]
    due = calendar.add_period(org, org.instant(), after["period"], after["unit"])
    entry = {
        "id": org.ids.next(),
        "due": iso(due, org.time_zone),
        "queued_at": org.now(),
        "rule_id": rule["id"],
        "condition_id": cid,
        "group_id": group["id"],
        "module": module,
        "record_id": record_id,
        "actions": [
            {"id": a["id"], "type": a["type"], "name": a.get("name")} for a in group["actions"]
        ],
    }
    org.schedule.append(entry)
    schedule_added(org, entry)
    for action in group["actions"]:
        usage.queued(org, rule, f"{cid}/{group['id']}/{action['id']}", +1)
    return entry


def drop_schedule(org: Org, rule_id: str) -> int:
    """Forget a rule's waiting scheduled actions (rule deleted, or deactivated with
    `delete_schedule_action`)."""
    dropped = [e for e in org.schedule if e["rule_id"] == rule_id]
    org.schedule[:] = [e for e in org.schedule if e["rule_id"] != rule_id]
    schedule_shrank(org)
    rule = org.rules.get(rule_id)
    for entry in dropped:
        for action in entry["actions"]:
            key = f"{entry['condition_id']}/{entry['group_id']}/{action['id']}"
            if rule is not None:
                usage.queued(org, rule, key, -1)
    return len(dropped)
