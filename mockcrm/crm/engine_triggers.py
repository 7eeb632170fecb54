"""The trigger types a record event sets off beyond create, edit and delete, and their checks:
section updates (a field of the layout section changed), the catalogue's task set (`overdue`,
`marked_as_complete`, `anyaction`), meeting set (`reschedule`, `cancel`, `reassign`) and call
set (scheduled, outgoing, incoming and missed calls, `anyaction`). Zoho documents the activity
and call triggers' names, not their moments; the moments chosen here are listed in README
("Fidelity notes", Engine). crm/engine.py fires the record-event ones, crm/engine_clock.py
`overdue`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from mockcrm.crm import calendar
from mockcrm.crm.org import Org
from mockcrm.crm.record_values import is_read_only
from mockcrm.crm.records import COMPLETED, RecordEvent
from mockcrm.crm.triggers import CALL_KINDS

# The modules whose catalogue entries carry activity trigger sets.
ACTIVITY_MODULES = frozenset({"Tasks", "Events", "Calls"})
# The Outgoing_Call_Status values of an outbound call not made (yet).
NOT_MADE = frozenset({"Scheduled", "Overdue", "Cancelled"})
# Tags are no layout field: a tag written is no section update.
NOT_IN_SECTIONS = frozenset({"Tag"})
# A meeting is rescheduled when its start or end moves.
MEETING_TIMES = ("Start_DateTime", "End_DateTime")
OVERDUE = "overdue"


def activity_types(event: RecordEvent) -> tuple[str, ...]:
    """The activity trigger types a record event sets off, besides its record-action ones:
    `anyaction` on every create, edit or delete of an activity; `marked_as_complete` when a
    task's Status becomes Completed (also a task created complete); `reschedule` when an
    edit moves a meeting's start or end, `reassign` when it changes the owner; a call's
    create and edit triggers (`call_types`)."""
    if event.module not in ACTIVITY_MODULES:
        return ()
    before, after = event.before or {}, event.after
    types = ["anyaction"]
    if after is None:
        return tuple(types)
    types.extend(call_types(event.kind, after) if event.module == "Calls" else ())
    if after.get("Status") == COMPLETED and before.get("Status") != COMPLETED:
        types.append("marked_as_complete")
    if event.kind == "edit":
        if any(before.get(name) != after.get(name) for name in MEETING_TIMES):
            types.append("reschedule")
        if _owner_id(before) != _owner_id(after):
            types.append("reassign")
    return tuple(types)


def call_types(kind: str, call: dict[str, Any]) -> tuple[str, ...]:
    """A call's kind is read from the record as written: Inbound is an incoming call, Missed a
    missed one, Outbound a scheduled call while its Outgoing_Call_Status is Scheduled and an
    outgoing one otherwise. A create sets off `<kind>_createedit` (`missed_call` for a missed
    call); an edit `<kind>_createedit`, `<kind>_edit` and the kind's field and section updates
    (checked like field_update and section_update). An outbound call not yet made (Scheduled,
    Overdue or Cancelled) is a scheduled call. Ring and start come from telephony: never."""
    call_type = call.get("Call_Type")
    if call_type == "Missed":
        return ("missed_call",) if kind == "create" else ()
    scheduled, outgoing, incoming = CALL_KINDS
    if call_type == "Inbound":
        prefix = incoming
    elif call_type == "Outbound":
        prefix = outgoing if call.get("Outgoing_Call_Status") not in NOT_MADE else scheduled
    else:
        return ()
    if kind == "create":
        return (f"{prefix}_createedit",)
    suffixes = ("createedit", "edit", "field_update", "section_update")
    return tuple(f"{prefix}_{suffix}" for suffix in suffixes)


def section_changed(org: Org, module: str, details: dict[str, Any], event: RecordEvent) -> bool:
    """A section update: an edit changed a writable field of one of the rule's sections (of
    the module's layout, crm/layouts.py; system fields such as Modified_Time, and tags, do not
    count). The rules API and a state import both check `section_ids`."""
    # Lazy: layouts (and the metadata views it builds on) stay off `mockcrm serve`'s start.
    from mockcrm.crm.layouts import section_fields

    sections = section_fields(org, module)
    before, after = event.before or {}, event.after or {}
    for section_id in details["section_ids"]:
        for fld in sections.get(section_id, ()):
            name = fld["api_name"]
            if name in NOT_IN_SECTIONS or is_read_only(fld):
                continue
            if before.get(name) != after.get(name):
                return True
    return False


def _owner_id(record: dict[str, Any]) -> Any:
    owner = record.get("Owner")
    return owner.get("id") if isinstance(owner, dict) else owner


def overdue_moment(org: Org, rule: dict, record: dict[str, Any]) -> datetime | None:
    """When an `overdue` rule fires for a task: a task is overdue from the start of the day
    after its Due_Date (the org's time zone); the rule fires `unit` days or hours later. A
    complete task, or one without a due date, has no such moment."""
    due = record.get("Due_Date")
    if not due or record.get("Status") == COMPLETED:
        return None
    day = date.fromisoformat(str(due)[:10]) + timedelta(days=1)
    start = datetime.combine(day, time(), tzinfo=ZoneInfo(org.time_zone))
    details = rule["execute_when"]["details"]
    return calendar.add_period(org, start, details["period"], details["unit"])
