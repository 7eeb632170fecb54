"""Activity triggers: the catalogue's task set (`overdue`, `marked_as_complete`, `anyaction`),
meeting set (`reschedule`, `cancel`, `reassign`) and the calls' `anyaction`. Zoho documents
their names, not their moments; the moments chosen here are listed in README ("Fidelity
notes", Engine). crm/engine.py fires the record-event ones, crm/engine_clock.py `overdue`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from mockcrm.crm import calendar
from mockcrm.crm.org import Org
from mockcrm.crm.records import RecordEvent

# The modules whose catalogue entries carry activity trigger sets.
ACTIVITY_MODULES = frozenset({"Tasks", "Events", "Calls"})
COMPLETED = "Completed"  # the Tasks Status that marks a task complete
# A meeting is rescheduled when its start or end moves.
MEETING_TIMES = ("Start_DateTime", "End_DateTime")
OVERDUE = "overdue"


def activity_types(event: RecordEvent) -> tuple[str, ...]:
    """The activity trigger types a record event sets off, besides its record-action ones:
    `anyaction` on every create, edit or delete of an activity; `marked_as_complete` when a
    task's Status becomes Completed (also a task created complete); `reschedule` when an
    edit moves a meeting's start or end, `reassign` when it changes the owner."""
    if event.module not in ACTIVITY_MODULES:
        return ()
    before, after = event.before or {}, event.after
    types = ["anyaction"]
    if after is None:
        return tuple(types)
    if after.get("Status") == COMPLETED and before.get("Status") != COMPLETED:
        types.append("marked_as_complete")
    if event.kind == "edit":
        if any(before.get(name) != after.get(name) for name in MEETING_TIMES):
            types.append("reschedule")
        if _owner_id(before) != _owner_id(after):
            types.append("reassign")
    return tuple(types)


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
    details = rule["execute_when"].get("details") or {}
    # An imported rule without them: ValueError (unknown period) or TypeError (no unit).
    return calendar.add_period(org, start, details.get("period"), details.get("unit"))
