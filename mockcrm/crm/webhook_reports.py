"""Webhooks' extra read APIs beyond the generic entity service: webhook_failures,
associated_modules and usage_reports (the request builder is crm/webhook_builder.py)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from mockcrm.core.clock import parse_day, parse_iso
from mockcrm.core.errors import ZohoError, param_invalid, param_missing
from mockcrm.crm import usage
from mockcrm.crm.action_builders import module_ref
from mockcrm.crm.org import Org

# usage_reports: the groupings and automation types Zoho's spec lists.
USAGE_GROUPS = frozenset({"date", "date,resource", "date,resource,type"})
USAGE_TYPES = frozenset(
    {"workflow_rules", "approval_process", "blueprint", "orchestrations", "wizards", "modules",
     "webhooks", "kiosks"}
)  # fmt: skip
DEFAULT_WINDOW_DAYS = 30  # webhook_failures: the last 30 days unless from/to say otherwise
MAX_WINDOW_DAYS = 90


def webhook_failures(org: Org, args: Mapping[str, str]) -> list[dict[str, Any]]:
    """Failed webhook calls, newest first, filtered by webhook, module and a date window."""
    webhook_id, module = args.get("webhook_id"), args.get("module")
    if webhook_id is not None and org.entity("webhooks", webhook_id) is None:
        raise ZohoError(
            "INVALID_DATA", "the id given seems to be invalid", {"param_name": "webhook_id"}
        )
    if module is not None and module not in org.modules:
        raise param_invalid("module", "INVALID_MODULE")
    today = _today(org)
    till = _date_param(args, "to", today)
    since = _date_param(args, "from", till - timedelta(days=DEFAULT_WINDOW_DAYS))
    if till > today:
        raise _bad_date("to")
    if since > till or (till - since).days > MAX_WINDOW_DAYS:
        raise _bad_date("from")
    rows = [
        f
        for f in org.webhook_failures
        if (webhook_id is None or f["webhook"]["id"] == webhook_id)
        and (module is None or f["entity_details"]["module"]["api_name"] == module)
        and since <= _local_date(org, f["failure_time"]) <= till
    ]
    rows.sort(key=lambda f: parse_iso(f["failure_time"]), reverse=True)
    return copy.deepcopy(rows)


def _today(org: Org) -> date:
    return org.clock.now().astimezone(ZoneInfo(org.time_zone)).date()


def _local_date(org: Org, stamp: str) -> date:
    return parse_iso(stamp).astimezone(ZoneInfo(org.time_zone)).date()


def _bad_date(param: str) -> ZohoError:
    return ZohoError(
        "INVALID_DATA",
        "The value provided to the param is Invalid",
        {"param_name": param, "expected_data_type": "datetime"},
    )


def _date_param(args: Mapping[str, str], param: str, default: date) -> date:
    raw = args.get(param)
    if raw is None:
        return default
    day = parse_day(raw)
    if day is None:
        raise _bad_date(param)
    return day


def associated_modules(org: Org) -> list[dict[str, str]]:
    """The modules that have at least one webhook, in the org's module order."""
    used = {w["module"]["api_name"] for w in org.entities.get("webhooks", {}).values()}
    return [module_ref(m) for api, m in org.modules.items() if api in used]


def usage_reports(org: Org, args: Mapping[str, str]) -> list[dict[str, Any]]:
    """Webhook actions the engine ran, per day (org time zone) or per day and webhook, newest
    first, from `from` (default: 30 days before `to`) to `to` (default: today), named as the
    webhook is now (as it was last called, once deleted). mockcrm runs workflow rules only, so
    the other automation `type`s have no usage."""
    group_by = args.get("group_by")
    if not group_by:
        raise param_missing("group_by", "One of the expected param is missing")
    if group_by not in USAGE_GROUPS:
        raise param_invalid("group_by")
    kind = args.get("type")
    if kind is not None and kind not in USAGE_TYPES:
        raise ZohoError("INVALID_DATA", "feature type is invalid", {"param_name": "type"})
    if args.get("sort_order", "desc") not in ("asc", "desc"):
        raise param_invalid("sort_order")
    today = _today(org)
    till = _date_param(args, "to", today)
    since = _date_param(args, "from", till - timedelta(days=DEFAULT_WINDOW_DAYS))
    if since > today or till > today:
        raise ZohoError("INVALID_DATA", "provided time is ahead", {"param_name": "date"})
    if since > till:
        raise _bad_date("from")
    if kind not in (None, "workflow_rules", "webhooks"):
        return []
    counts: dict[tuple[str, str], int] = {}
    names: dict[str, str] = {}
    for day, webhook_id, name, calls in usage.webhook_calls(org, since, till):
        key = (day, webhook_id if "resource" in group_by else "")
        counts[key] = counts.get(key, 0) + calls
        entity = org.entity("webhooks", webhook_id)
        names[webhook_id] = entity["name"] if entity is not None else name
    rows = []
    for (day, webhook_id), count in counts.items():
        row: dict[str, Any] = {"date": day}
        if webhook_id:
            row["resource"] = {"name": names[webhook_id], "id": webhook_id}
        rows.append({**row, "count": count, "type": "webhooks"})
    newest_first = args.get("sort_order", "desc") == "desc"
    rows.sort(key=lambda r: (r["date"], r.get("resource", {}).get("id", "")), reverse=newest_first)
    return rows
