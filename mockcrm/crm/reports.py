"""rules_count, module_specific_count, actions_count and per-rule usage, from the org's counters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date
from typing import Any

from mockcrm.core.clock import parse_day
from mockcrm.core.errors import ZohoError, invalid_url_id, param_invalid, param_missing
from mockcrm.core.pagination import id_list
from mockcrm.crm import usage as usage_counts

LIMITS = {
    "scheduled_actions_per_rule_limit": 5,
    "total_rules_limit": 2500,
    "rules_per_process_limit": 10,
    "total_rules_limit_per_module": 125,
    "active_rules_limit": 2000,
    "active_rules_limit_per_module": 75,
    "total_actions_per_rule_limit": 50,
}
MAX_ACTIONS_COUNT_IDS = 10
MAX_USAGE_DAYS = 90


def rules_count(org) -> dict[str, Any]:
    rules = list(org.rules.values())
    active = sum(r["status"]["active"] for r in rules)
    return {**LIMITS, "active_rules_configured": active, "total_rules_configured": len(rules)}


def module_specific_count(org, module: str | None) -> list[dict[str, Any]]:
    if module is not None and module not in org.modules:
        raise param_invalid("module", "INVALID_MODULE")
    out = []
    for name in sorted(m for m in org.rule_order if org.rule_order[m]):
        if module not in (None, name):
            continue
        rules = org.ordered_rules(name)
        out.append(
            {
                "active_rules_configured": sum(r["status"]["active"] for r in rules),
                "module": org.module_ref(name),
                "total_rules_configured": len(rules),
            }
        )
    return out


def actions_count(org, ids_param: str | None) -> list[dict[str, Any]]:
    ids = id_list(ids_param, MAX_ACTIONS_COUNT_IDS)
    if any(i not in org.rules for i in ids):
        raise param_invalid("ids")
    return [
        {"id": rid, "conditions": [_condition_counts(c) for c in org.rules[rid]["conditions"]]}
        for rid in ids
    ]


def _counts(actions: list[dict]) -> dict[str, Any]:
    tally = Counter(a["type"] for a in actions)
    return {"actions_count": [{"type": t, "value": n} for t, n in tally.items()]}


def _condition_counts(cond: dict) -> dict[str, Any]:
    instant = cond["instant_actions"]["actions"]
    groups = cond.get("scheduled_actions")
    return {
        "sequence_number": cond["sequence_number"],
        "instant_actions": _counts(instant) if instant else None,
        "scheduled_actions": [_counts(g["actions"]) for g in groups] if groups else None,
        "id": cond["id"],
    }


def usage(org, rule_id: str, args: Mapping[str, str]) -> dict[str, Any]:
    rule = org.rules.get(rule_id)
    if rule is None:
        raise invalid_url_id()
    start, end = _day(args, "executed_from"), _day(args, "executed_till")
    if end < start or (end - start).days > MAX_USAGE_DAYS:
        raise ZohoError("INVALID_REQUEST", "DATE_RANGE_EXCEEDS")
    counters = usage_counts.in_range(org, rule, start, end)
    return {
        "trigger_count": counters.get("trigger_count", 0),
        "name": rule["name"],
        "id": rule_id,
        "conditions": [
            _condition_usage(c, counters, rule["modified_time"] or rule["created_time"])
            for c in rule["conditions"]
        ],
        "reset_time": counters.get("reset_time"),
    }


def _day(args: Mapping[str, str], name: str) -> date:
    raw = args.get(name)
    if not raw:
        raise param_missing(name, "required param not found")
    day = parse_day(raw)
    if day is None:
        raise ZohoError(
            "INVALID_DATA",
            "Please provide  ISO Time format to the param",
            {"expected_data_type": "datetime", "param_name": name},
        )
    return day


def _condition_usage(cond: dict, counters: dict, since: str) -> dict[str, Any]:
    cid = cond["id"]
    stats = counters.get("actions", {})
    groups = cond.get("scheduled_actions") or []
    return {
        "instant_actions": {
            "actions": [
                _action_usage(a, stats.get(f"{cid}/instant/{a['id']}", {}), since)
                for a in cond["instant_actions"]["actions"]
            ]
        },
        "scheduled_actions": [
            {
                "id": g["id"],
                "actions": [
                    _action_usage(a, stats.get(f"{cid}/{g['id']}/{a['id']}", {}), since)
                    for a in g["actions"]
                ],
            }
            for g in groups
        ],
        "usage_count": counters.get("conditions", {}).get(cid, 0),
        "id": cid,
    }


def _action_usage(action: dict, stat: dict, since: str) -> dict[str, Any]:
    """Counters of one action; an action never counted reports its rule's last change as
    `associated_time` (Zoho's schema requires a timestamp)."""
    out: dict[str, Any] = {
        "name": action.get("name") or action["type"],
        "success_count": stat.get("success_count", 0),
        "failure_count": stat.get("failure_count", 0),
        "id": action["id"],
        "type": action["type"],
        "associated_time": stat.get("associated_time", since),
    }
    if action["type"] == "email_notifications":
        metrics = stat.get("related_details") or dict.fromkeys(usage_counts.EMAIL_METRICS, 0)
        tried = metrics["sent"] + metrics["unsent"]
        out["queue_count"] = stat.get("queue_count", 0)
        out["related_details"] = {
            **metrics,
            "bulk_mail": False,
            "sent_percentage": round(100 * metrics["sent"] / tried) if tried else 0,
        }
    elif action["type"] in ("add_tags", "remove_tags"):
        out["tag_id"] = action["details"]["tags"][0]["id"]
    return out
