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
  rule's last change)."""

from __future__ import annotations

from datetime import date
from typing import Any

from mockcrm.crm.org import Org

COUNTS = ("success_count", "failure_count")
EMAIL_METRICS = ("unopened", "opened", "delivered", "unsent", "bounced", "clicked", "sent")


def counters(org: Org, rule: dict) -> dict[str, Any]:
    """The rule's counters, made or brought to the dated form (before they change: a rule's
    `last_executed_time` is the end of its undated history)."""
    entry = org.usage.get(rule["id"])
    if entry is None:
        entry = org.usage[rule["id"]] = {
            "trigger_count": 0, "reset_time": None, "conditions": {}, "actions": {}, "days": {},
            "history": None,
        }  # fmt: skip
    elif "days" not in entry:
        entry["days"] = {}
        entry["history"] = _history(entry, rule)
    return entry


def on(org: Org, rule: dict, day: str) -> dict[str, Any]:
    """The rule's counts of `day` (yyyy-MM-dd in the org's time zone)."""
    entry = org.usage.get(rule["id"])
    if entry is None or "days" not in entry:
        entry = counters(org, rule)
    bucket = entry["days"].get(day)
    if bucket is None:
        bucket = entry["days"][day] = {"trigger_count": 0, "conditions": {}, "actions": {}}
    return bucket


def fired(org: Org, rule: dict, day: str, condition_id: str | None) -> dict[str, Any]:
    """The rule's trigger fired on `day`; `condition_id` matched, if one did. Returns the day's
    counts, for its actions."""
    bucket = on(org, rule, day)
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
    webhook. Kept apart from the rule's counters (`org.engine`), as it outlives the rule."""
    day = org.engine.setdefault("webhook_calls", {}).setdefault(org.now()[:10], {})
    calls = day.get(webhook_id)
    if calls is None:
        calls = day[webhook_id] = [0, name or ""]
    calls[0] += 1


def webhook_calls(org: Org, start: date, end: date) -> list[tuple[str, str, str, int]]:
    """(day, webhook id, its name when last called, calls) from `start` to `end`."""
    first, last = start.isoformat(), end.isoformat()
    return [
        (day, webhook_id, name, count)
        for day, webhooks in org.engine.get("webhook_calls", {}).items()
        if first <= day <= last
        for webhook_id, (count, name) in webhooks.items()
    ]


def in_range(org: Org, rule: dict, start: date, end: date) -> dict[str, Any]:
    """The rule's counts from `start` to `end`, both included, in the stored shape without
    dates: `trigger_count`, `reset_time`, `conditions`, `actions[key]` (with each action's
    present state and, for e-mails, `related_details` summed)."""
    entry = org.usage.get(rule["id"]) or {}
    first, last = start.isoformat(), end.isoformat()
    dated = [b for day, b in entry.get("days", {}).items() if first <= day <= last]
    history = entry["history"] if "days" in entry else _history(entry, rule)
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
