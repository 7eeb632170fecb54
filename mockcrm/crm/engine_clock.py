"""What the org's virtual clock makes happen: scheduled actions falling due and date triggers
(crm/engine.py runs the rules and actions). Everything the clock has passed runs in time order,
each at its own time, as Zoho would have run it then: a clock moved by days runs a scheduled
action at its due time and a date rule at the record's moment, so the records it writes and
the actions it queues carry that time, and a chain (a scheduled field update whose edit fires a
rule that schedules an e-mail two hours later) completes within one move."""

from __future__ import annotations

import bisect
import itertools
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from mockcrm.core.clock import parse_iso
from mockcrm.crm import calendar, usage
from mockcrm.crm.criteria import Context
from mockcrm.crm.engine import execute, fire, log, run_actions, trim
from mockcrm.crm.engine_plans import (
    earliest_due,
    eligible,
    fired_before,
    rule_plan,
    schedule_shrank,
)
from mockcrm.crm.engine_triggers import OVERDUE, overdue_moment
from mockcrm.crm.org import Org
from mockcrm.crm.records import RecordEvent

DATE_SCAN_STEP = timedelta(seconds=1)
# Rules the clock fires: date rules, and `overdue` rules (a task past its due date).
CLOCK_TRIGGERS = frozenset({"date_or_datetime", OVERDUE})
# (when, order of arrival, what: a schedule entry or a date firing (rule, module, record id, key))
Due = tuple[datetime, int, Any]


def run_due(org: Org) -> list[dict]:
    """Everything the clock has reached, oldest first: what ran (executions)."""
    now = org.clock.now()
    # Kept beside the schedule (crm/engine_plans.py): with nothing due, no scan of the queue.
    earliest = earliest_due(org)
    due = earliest is not None and earliest <= now
    last = org.engine.get("scanned_until")
    since = parse_iso(last) if last is not None else None
    # A running clock moves on every request: records are scanned for date triggers once per
    # step, not per request (date triggers are minute-grained; the window since the last scan
    # is kept).
    scan = since is None or not since < now < since + DATE_SCAN_STEP
    if not due and not scan:
        return []  # every API call comes here: most find nothing to do
    order = itertools.count()
    waiting: list[Due] = []
    if due:
        _take_due(org, 0, now, waiting, order)
    if scan:
        for item in _date_firings(org, since, now):
            waiting.append((item[0], next(order), item[1:]))
    # Sorted once (a heap popped 10,000 due entries 1.7x slower); the few items that what runs
    # makes due are put in their place.
    waiting.sort(key=_when)
    ran: list[dict] = []
    written: list[RecordEvent] = []  # the record events its actions make (engine.run_actions)
    org.runtime["written"] = written
    dated: dict[str, list[dict]] | None = None
    try:
        at_item = 0
        while at_item < len(waiting):
            at = waiting[at_item][0]
            with org.at_one_instant(at):  # one instant for everything due at once
                while at_item < len(waiting) and waiting[at_item][0] == at:
                    what = waiting[at_item][2]
                    at_item += 1
                    queued = len(org.schedule)
                    if isinstance(what, tuple):
                        ran.extend(_run_date(org, at, *what))
                    else:
                        ran.extend(_run_entry(org, what))
                    later: list[Due] = []
                    if len(org.schedule) > queued:  # what it queued may be due already
                        _take_due(org, queued, now, later, order)
                    if written:  # a date it wrote (or a record it made) may come before now
                        dated = _date_rules(org) if dated is None else dated  # fixed in a move
                        later.extend(_new_moments(org, dated, written, at, now, order))
                        written.clear()
                    for item in later:
                        bisect.insort(waiting, item, lo=at_item, key=_when)
    finally:
        del org.runtime["written"]
    trim(org)
    return ran


def _when(item: Due) -> tuple[datetime, int]:
    return item[0], item[1]


def _take_due(
    org: Org, start: int, now: datetime, into: list[Due], order: itertools.count
) -> list[Due]:
    """Move the due entries of the schedule from `start` on (all, or the ones just queued:
    new entries are appended) out of the schedule, into `into`."""
    found = [(parse_iso(e["due"]), e) for e in org.schedule[start:]]
    if any(at <= now for at, _ in found):
        del org.schedule[start:]
        org.schedule.extend(e for at, e in found if at > now)
        schedule_shrank(org)
        into.extend((at, next(order), e) for at, e in found if at <= now)
    return into


def _run_entry(org: Org, entry: dict) -> list[dict]:
    rule = org.rules.get(entry["rule_id"])
    group = _group(rule, entry["condition_id"], entry["group_id"]) if rule else None
    if rule is None or group is None:
        return []
    execution = {
        "id": org.ids.next(),
        "time": org.now(),
        "event": "scheduled",
        "scheduled": True,
        "rule": {"id": rule["id"], "name": rule["name"]},
        "record": {"module": entry["module"], "id": entry["record_id"]},
        "condition": {"id": entry["condition_id"]},
        "group_id": group["id"],
        "due": entry["due"],
        "queued": [],
    }
    execution["actions"], caused = run_actions(
        org,
        rule,
        entry["module"],
        entry["record_id"],
        group["actions"],
        group["id"],
        entry["condition_id"],
        scheduled=True,
        counts=usage.day_counts(org, rule, org.now()[:10]),
    )
    rule["last_executed_time"] = org.now()
    return [log(org, execution), *(fire(org, caused, None, rule["id"]) if caused else ())]


def _group(rule: dict, cid: str, gid: str) -> dict | None:
    for cond in rule["conditions"]:
        if cond["id"] == cid:
            return next((g for g in cond.get("scheduled_actions") or [] if g["id"] == gid), None)
    return None


# --------------------------------------------------------------------------- date triggers
def _date_firings(
    org: Org, since: datetime | None, now: datetime
) -> list[tuple[datetime, str, str, str, str]]:
    """(moment, rule id, module, record id, run-once key) of every date (or overdue) rule
    whose (record date + offset) fell between the last scan, `since`, and now."""
    org.engine["scanned_until"] = now.isoformat()
    # The first scan (or a clock set backwards) only sets the horizon: past dates never fire.
    if since is None or since >= now:
        return []
    found: list[tuple[datetime, str, str, str, str]] = []
    for module, rules in _date_rules(org).items():
        for rule in rules:
            for record in org.records.get(module, {}).values():
                found.extend(_firings(org, rule, module, record, since, now))
    return found


def _date_rules(org: Org) -> dict[str, list[dict]]:
    """The eligible date (and overdue) rules per module, in execution order."""
    # Runs on every request: find the (few) date rules first, not a list per module of all rules.
    dated = {rid for rid, r in org.rules.items() if r["execute_when"]["type"] in CLOCK_TRIGGERS}
    found: dict[str, list[dict]] = {}
    for module in list(org.rule_order) if dated else ():
        rules = [org.rules[rid] for rid in org.rule_order[module] if rid in dated]
        # Their type is known (`dated`): eligible checks status and trigger module.
        rules = [r for r in rules if eligible(r, module)]
        if rules:
            found[module] = rules
    return found


def _firings(
    org: Org, rule: dict, module: str, record: dict, since: datetime, now: datetime
) -> list[tuple[datetime, str, str, str, str]]:
    return [
        (moment, rule["id"], module, record["id"], f"{record['id']}@{moment.isoformat()}")
        for moment in _date_moments(org, rule, record, since, now)
    ]


def _new_moments(
    org: Org,
    rules: dict[str, list[dict]],
    written: list[RecordEvent],
    at: datetime,
    now: datetime,
    order: itertools.count,
) -> list[Due]:
    """The date firings after `at` (up to now) of the records that actions wrote or made
    (`rules`: the date rules per module)."""
    later: list[Due] = []
    for event in written:
        record = org.records.get(event.module, {}).get(event.record_id)
        for rule in rules.get(event.module, []) if record is not None else ():
            for item in _firings(org, rule, event.module, record, at, now):
                later.append((item[0], next(order), item[1:]))
    return later


def _run_date(
    org: Org, at: datetime, rule_id: str, module: str, record_id: str, key: str
) -> list[dict]:
    """A date rule fires for a record at its moment `at`, unless what ran before moved the
    record's date away (the record is read as it is now; a task completed since is no longer
    overdue)."""
    rule = org.rules.get(rule_id)
    record = org.records.get(module, {}).get(record_id)
    if rule is None or record is None:
        return []
    if at not in _date_moments(org, rule, record, at - timedelta(microseconds=1), at):
        return []
    if fired_before(org, rule, key):
        return []
    # Criteria are compiled once per rule version (crm/criteria_compiled.py).
    cond = rule_plan(org, rule, module).first_condition(Context(org, module, record))
    event = "date" if rule["execute_when"]["type"] == "date_or_datetime" else OVERDUE
    execution, caused = execute(org, rule, event, module, record, cond)
    return [execution, *fire(org, caused, None, rule["id"])]


def _date_moments(
    org: Org, rule: dict, record: dict, since: datetime, now: datetime
) -> list[datetime]:
    if rule["execute_when"]["type"] == OVERDUE:
        try:
            moment = overdue_moment(org, rule, record)
        except (OverflowError, ValueError):  # a due date beyond the calendar
            return []
        return [moment] if moment is not None and since < moment <= now else []
    details = rule["execute_when"]["details"]
    raw = record.get(details["field"]["api_name"])
    if not raw:
        return []
    try:
        base = _date_base(org, str(raw), details.get("execute_at"))
        bases = [base]
        if details.get("recur_cycle") in ("monthly", "yearly"):
            step = "months" if details["recur_cycle"] == "monthly" else "years"
            bases, current = [], base
            while current <= now + timedelta(days=400):
                bases.append(current)
                current = calendar.add_period(org, current, step, 1)
        moments = [calendar.add_period(org, b, details["period"], details["unit"]) for b in bases]
        return [m for m in moments if since < m <= now]
    except (OverflowError, ValueError):
        # A moment beyond the calendar (a "never" date such as 9999-12-31 plus an offset) never
        # comes: the record's rule does not fire, and nothing else is affected.
        return []


def _date_base(org: Org, raw: str, execute_at: str | None) -> datetime:
    """The instant a date trigger counts from: a datetime as it is; a date, or a datetime when
    the rule names a time of day (`execute_at`), that day at the time (else midnight)."""
    if len(raw) != 10 and not execute_at:
        return parse_iso(raw)
    zone = ZoneInfo(org.time_zone)
    day = date.fromisoformat(raw) if len(raw) == 10 else parse_iso(raw).astimezone(zone).date()
    return datetime.combine(day, time.fromisoformat(execute_at or "00:00"), tzinfo=zone)
