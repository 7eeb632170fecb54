"""The counters behind a rule's usage report (`GET .../workflow_rules/{id}/actions/usage`), kept
per day so that `executed_from` and `executed_till` select what ran in their range.

`org.usage[rule_id]` holds:
* `days["yyyy-MM-dd"]` (the org's time zone): what the engine counted that day, its
  `trigger_count`, `conditions[condition id]` and `actions[key]` (`success_count`,
  `failure_count`), where a key is "<condition id>/<'instant' or group id>/<action id>";
* `trigger_count`, `conditions`, and `actions[key]`'s `success_count`, `failure_count` and
  `related_details` at the top: counts without a date (the seed's history, or state saved before
  counts were dated). They count in every range that overlaps the period they were gathered in,
  `history` (from `reset_time`, or the rule's creation, to its last execution), since they
  cannot be split by day;
* `actions[key]`'s `queue_count` (scheduled actions waiting now) and the seed's
  `associated_time`: the present, the same in every range (without one, the report gives the
  rule's last change).

Day counts older than KEEP_DAYS before the newest are dropped (Zoho's report spans at most 90
days), so a clock that runs for years keeps the state bounded."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from mockcrm.core.clock import parse_day
from mockcrm.crm.org import Org

KEEP_DAYS = 400
COUNT_KEYS = ("success_count", "failure_count")
WEBHOOK_CALLS = "webhook_calls"  # in org.engine
EMAIL_METRICS = ("unopened", "opened", "delivered", "unsent", "bounced", "clicked", "sent")


def counters(org: Org, rule: dict) -> dict[str, Any]:
    """The rule's counters, made or brought to the dated form (before they change: a rule's
    `last_executed_time` is the end of its undated history)."""
    entry = org.usage.get(rule["id"])
    if entry is None:
        # No undated counts: only days (and the actions' present state).
        entry = org.usage[rule["id"]] = {"reset_time": None, "actions": {}, "days": {}}
    elif "days" not in entry:
        entry["days"] = {}
        entry["history"] = _history(entry, rule)
    return entry


def day_counts(org: Org, rule: dict, day: str) -> dict[str, Any]:
    """The rule's counts of `day` (yyyy-MM-dd in the org's time zone)."""
    entry = org.usage.get(rule["id"])
    if entry is None or "days" not in entry:
        entry = counters(org, rule)
    bucket = entry["days"].get(day)
    if bucket is None:
        _forget_before(entry["days"], day)
        bucket = entry["days"][day] = {"trigger_count": 0, "conditions": {}, "actions": {}}
    return bucket


def _forget_before(days: dict[str, Any], day: str) -> None:
    """Drop the days more than KEEP_DAYS before `day` (a new day: once a day at most)."""
    newest = parse_day(day)
    if newest is not None:
        cutoff = (newest - timedelta(days=KEEP_DAYS)).isoformat()
        for old in [d for d in days if d < cutoff]:
            del days[old]


def fired(org: Org, rule: dict, day: str, condition_id: str | None) -> dict[str, Any]:
    """The rule's trigger fired on `day`; `condition_id` matched, if one did. Returns the day's
    counts, for its actions."""
    bucket = day_counts(org, rule, day)
    bucket["trigger_count"] += 1
    if condition_id is not None:
        conditions = bucket["conditions"]
        conditions[condition_id] = conditions.get(condition_id, 0) + 1
    return bucket


def action_ran(bucket: dict[str, Any], key: str, status: str) -> None:
    """An action ran (`status` success or failure; anything else is not counted)."""
    stats = bucket["actions"].get(key)
    if stats is None:
        stats = bucket["actions"][key] = {"success_count": 0, "failure_count": 0}
    if status == "success":
        stats["success_count"] += 1
    elif status == "failure":
        stats["failure_count"] += 1


def queued(org: Org, rule: dict, key: str, change: int) -> None:
    """A scheduled action was queued (+1), or left the queue (-1: it ran, or was dropped)."""
    actions = counters(org, rule)["actions"]
    stats = actions.get(key)
    if stats is None:
        stats = actions[key] = {}
    stats["queue_count"] = max(0, stats.get("queue_count", 0) + change)


def webhook_called(org: Org, webhook_id: str, name: str | None) -> None:
    """A rule ran a webhook action: the count behind the webhooks' usage report, per day and
    webhook, with the name it was last called by. Kept apart from the rule's counters (in
    `org.engine`), as it outlives the rule."""
    days = org.engine.get(WEBHOOK_CALLS)
    if days is None:  # first call since the state was saved without counts: from the log
        days = org.engine[WEBHOOK_CALLS] = _calls_in_log(org)
    today = org.now()[:10]
    if today not in days:
        _forget_before(days, today)
    calls = days.setdefault(today, {}).setdefault(webhook_id, [0, ""])
    calls[0] += 1
    calls[1] = name or calls[1]


def webhook_calls(org: Org, start: date, end: date) -> list[tuple[str, str, str, int]]:
    """(day, webhook id, its name when last called, calls) from `start` to `end`."""
    first, last = start.isoformat(), end.isoformat()
    days = org.engine.get(WEBHOOK_CALLS)
    return [
        (day, webhook_id, name, count)
        for day, webhooks in (_calls_in_log(org) if days is None else days).items()
        if first <= day <= last
        for webhook_id, (count, name) in webhooks.items()
    ]


def _calls_in_log(org: Org) -> dict[str, dict[str, list]]:
    """The webhook calls of the execution log (how states saved before mockcrm counted them
    apart kept them; the log holds the newest 10,000 executions)."""
    days: dict[str, dict[str, list]] = {}
    for run in org.executions:
        for action in run.get("actions") or ():
            if action.get("type") == "webhooks":
                calls = days.setdefault(run["time"][:10], {}).setdefault(action["id"], [0, ""])
                calls[0] += 1
                calls[1] = action.get("name") or calls[1]
    return days


def in_range(org: Org, rule: dict, start: date, end: date) -> dict[str, Any]:
    """The rule's counts from `start` to `end`, both included, in the stored shape without
    dates: `trigger_count`, `reset_time`, `conditions`, `actions[key]` (with each action's
    present state and, for e-mails, `related_details` summed)."""
    entry = org.usage.get(rule["id"]) or {}
    first, last = start.isoformat(), end.isoformat()
    dated = [b for day, b in entry.get("days", {}).items() if first <= day <= last]
    history = entry.get("history") if "days" in entry else _history(entry, rule)
    if history is not None and history[0] <= last and first <= history[1]:
        dated.append(entry)  # the undated counts: their period overlaps the range
    conditions: dict[str, int] = {}
    actions: dict[str, dict[str, Any]] = {}
    for bucket in dated:
        for cid, count in bucket.get("conditions", {}).items():
            conditions[cid] = conditions.get(cid, 0) + count
        for key, stats in bucket.get("actions", {}).items():
            _add(actions.setdefault(key, _zero()), stats, bucket is entry)
    for key, stats in entry.get("actions", {}).items():
        summed = actions.setdefault(key, _zero())
        for name in ("associated_time", "queue_count"):
            if name in stats:
                summed[name] = stats[name]
    return {
        "trigger_count": sum(b.get("trigger_count", 0) for b in dated),
        "reset_time": entry.get("reset_time"),
        "conditions": conditions,
        "actions": actions,
    }


def _zero() -> dict[str, Any]:
    return {
        "success_count": 0,
        "failure_count": 0,
        "related_details": dict.fromkeys(EMAIL_METRICS, 0),
    }


def _add(summed: dict[str, Any], stats: dict[str, Any], undated: bool) -> None:
    success, failure = stats.get("success_count", 0), stats.get("failure_count", 0)
    summed["success_count"] += success
    summed["failure_count"] += failure
    metrics = summed["related_details"]
    if undated:  # the seed's own e-mail metrics
        for name, value in (stats.get("related_details") or {}).items():
            if name in metrics:
                metrics[name] += value
    else:  # an e-mail the engine sent is in the outbox: sent and delivered, not yet opened
        for name in ("sent", "delivered", "unopened"):
            metrics[name] += success
        metrics["unsent"] += failure


def _history(entry: dict[str, Any], rule: dict) -> list[str] | None:
    """The first and last day of the undated counts' period (None: a rule never run has none)."""
    last = rule.get("last_executed_time")
    if not last:
        return None
    since = entry.get("reset_time") or rule.get("created_time") or last
    return [min(since[:10], last[:10]), last[:10]]


# --------------------------------------------------------------------------- a state import
def check(org: Org) -> None:
    """Raise ValueError unless the counters have the shapes the engine reads and writes (an
    imported state: crm/state_check.py)."""
    for entry in org.usage.values():
        _need(isinstance(entry, dict) and _counts(entry, dated=False))
        _need(entry.get("reset_time") is None or isinstance(entry["reset_time"], str))
        days = entry.get("days", {})
        _need(isinstance(days, dict))
        for day, bucket in days.items():
            _need(parse_day(day) is not None and isinstance(bucket, dict) and _counts(bucket))
        history = entry.get("history")
        _need(history is None or isinstance(history, list) and len(history) == 2)
        _need(all(parse_day(d) is not None for d in history or ()))
    calls = org.engine.get(WEBHOOK_CALLS, {})
    _need(isinstance(calls, dict))
    for day, webhooks in calls.items():
        _need(parse_day(day) is not None and isinstance(webhooks, dict))
        for value in webhooks.values():
            _need(isinstance(value, list) and len(value) == 2)
            _need(_is_count(value[0]) and isinstance(value[1], str))


def _counts(bucket: dict[str, Any], dated: bool = True) -> bool:
    """A day's counts (`dated`: every key there) or the undated ones at an entry's top."""
    keys = ("trigger_count", "conditions", "actions")
    if dated and not all(k in bucket for k in keys):
        return False
    conditions, actions = bucket.get("conditions", {}), bucket.get("actions", {})
    if not _is_count(bucket.get("trigger_count", 0)) or not isinstance(conditions, dict):
        return False
    if not all(map(_is_count, conditions.values())) or not isinstance(actions, dict):
        return False
    for stats in actions.values():
        if not isinstance(stats, dict):
            return False
        names = COUNT_KEYS if dated else ()
        if any(k not in stats for k in names):
            return False
        if not all(_is_count(stats.get(k, 0)) for k in (*COUNT_KEYS, "queue_count")):
            return False
        metrics = stats.get("related_details") or {}
        if not isinstance(metrics, dict) or not all(
            _is_count(metrics.get(k, 0)) for k in EMAIL_METRICS
        ):
            return False
        if not isinstance(stats.get("associated_time", ""), str):
            return False
    return True


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _need(ok: bool) -> None:
    if not ok:
        raise ValueError("usage counters")
