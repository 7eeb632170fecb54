"""Webhooks beyond the generic entity service: the request builder (Zoho's webhook-specific
checks) and the extra read APIs: webhook_failures, associated_modules and usage_reports."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mockcrm.core.clock import parse_iso
from mockcrm.core.errors import ZohoError, param_invalid, param_missing
from mockcrm.crm import merge_fields
from mockcrm.crm.action_builders import (
    check_supported,
    module_ref,
    related_module_ref,
    resolve_module,
)
from mockcrm.crm.engine_outbox import WITH_BODY
from mockcrm.crm.org import Org
from mockcrm.crm.workflow_rules import SPECIAL_CHARACTERS

if TYPE_CHECKING:
    from mockcrm.crm.actions import Kind

WEBHOOK_FEATURES = frozenset(
    {
        "workflow",
        "approval_process",
        "blueprint_transition",
        "blueprint_state",
        "assignment_rules",
        "kiosk",
        "commandcenter_service",
    }
)
HTTP_METHODS = frozenset({"GET", "POST", "PUT", "DELETE"})
BODY_FORMATS = ("JSON", "XML", "Text", "HTML")
URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)
MAX_WEBHOOK_TEXT = 250
RAW_CONTENT_LENGTH = 500  # the OAS and Zoho's example (Error400Response11)
DATE_LETTERS = frozenset("yMdE")  # Java date pattern letters (Zoho's formats are Java patterns)
TIME_LETTERS = frozenset("HhkKmsSa")
ZONE_LETTERS = frozenset("zZX")
PATTERN_SEPARATORS = frozenset(" -/.,:")
# usage_reports: the groupings and automation types Zoho's spec lists.
USAGE_GROUPS = frozenset({"date", "date,resource", "date,resource,type"})
USAGE_TYPES = frozenset(
    {"workflow_rules", "approval_process", "blueprint", "orchestrations", "wizards", "modules",
     "webhooks", "kiosks"}
)  # fmt: skip
DEFAULT_WINDOW_DAYS = 30  # webhook_failures: the last 30 days unless from/to say otherwise
MAX_WINDOW_DAYS = 90


def build_webhook(org: Org, kind: Kind, data: dict[str, Any]) -> dict[str, Any]:
    root, name = kind.root, data["name"]
    if SPECIAL_CHARACTERS.search(name):
        raise kind.error("INVALID_DATA", "Special characters not allowed", "name", None)
    if len(name) > MAX_WEBHOOK_TEXT:
        raise kind.error(
            "INVALID_DATA",
            "The lenght of name has exceeded the limit",
            "name",
            f"{root}.name",
            maximum_length=MAX_WEBHOOK_TEXT,
        )
    url = data["url"].strip()
    if not url:
        raise kind.error("INVALID_DATA", "Empty value is not allowed", "url", f"{root}.url")
    if not URL.fullmatch(url):
        raise kind.error("INVALID_DATA", "please enter a valid URL", "url", f"{root}.url")
    if not data["http_method"]:
        # Absent is the schema's "Required field is missing" (createWebhooks' example); null or
        # empty is this, Zoho's message verbatim with its trailing space (the example of every
        # write, PUT included, where an absent key keeps the stored method).
        raise kind.error(
            "MANDATORY_NOT_FOUND", "The method type is not given ", "http_method",
            f"{root}.http_method",
        )  # fmt: skip
    if data["http_method"] not in HTTP_METHODS:
        raise kind.error(
            "INVALID_DATA", "The method type given is invalid", "http_method", f"{root}.http_method"
        )
    module = resolve_module(org, kind, data["module"], f"{root}.module")
    if data["feature_type"] not in WEBHOOK_FEATURES:
        raise kind.error(
            "INVALID_DATA",
            "the given feature name is invalid",
            "feature_type",
            f"{root}.feature_type",
        )
    related = related_module_ref(org, kind, data)
    if data["feature_type"] == "kiosk" and related is None:
        raise kind.dependent(
            "DEPENDENT_FIELD_MISSING",
            "Webhook action related module missing for kiosk feature",
            "related_module",
            f"{root}.related_module",
            ("feature_type", f"{root}.feature_type"),
        )
    description = data.get("description")
    if description and len(description) > MAX_WEBHOOK_TEXT:
        raise kind.error(
            "INVALID_DATA",
            "Invalid data",
            "description",
            f"{kind.top}.description",
            maximum_length=MAX_WEBHOOK_TEXT,
        )
    check_supported(
        kind, data["authentication"], "type", ("general",), f"{kind.top}.authentication.type"
    )
    if data["authentication"].get("connection_name"):
        # A connection name needs a connection type. Zoho's two examples spell the dependee's
        # path "connetion_name"; clients comparing bodies see it as Zoho sends it.
        raise kind.dependent(
            "DEPENDENT_MISMATCH",
            "provide appropriate authentication type",
            "type",
            f"{root}.authentication.type",
            ("connection_name", f"{root}.authentication.connetion_name"),
        )
    _check_method(kind, data)
    params = partial(_parameters, kind, org, module["api_name"])
    built = {
        "name": name,
        "description": description,
        "module": module_ref(module),
        "related_module": related,
        "url": url,
        "http_method": data["http_method"],
        "headers": params(data.get("headers"), f"{root}.headers"),
        "date_time_format": _date_time_format(org, kind, data.get("date_time_format")),
        "authentication": {"type": "general"},
        "feature_type": data["feature_type"],
    }
    if data.get("body") is not None:
        built["body"] = _webhook_body(kind, params, data["body"], f"{root}.body")
    if data.get("url_parameters") is not None:
        built["url_parameters"] = params(data["url_parameters"], f"{root}.url_parameters")
    return built


def _check_method(kind: Kind, data: dict[str, Any]) -> None:
    """Zoho's table of what each method sends: a body with POST and PUT (the ones the engine
    sends a body with), URL parameters with the others."""
    method = data["http_method"]
    for key, allowed in (("body", WITH_BODY), ("url_parameters", HTTP_METHODS - WITH_BODY)):
        if data.get(key) is not None and method not in allowed:
            raise kind.dependent(
                "DEPENDENT_MISMATCH",
                "Invalid value provided for the given http method",
                "http_method",
                f"{kind.root}.http_method",
                (key, f"{kind.root}.{key}"),
            )


def _parameters(
    kind: Kind, org: Org, module: str, params: dict | None, path: str
) -> dict[str, list]:
    """Named parameters; a module parameter's value is a merge field of the module (Zoho's
    "Append Entity Parameters"), a custom parameter's any text."""
    out: dict[str, list] = {}
    for group in ("module_parameters", "custom_parameters"):
        seen: set[str] = set()
        out[group] = []
        for i, param in enumerate((params or {}).get(group) or []):
            ppath = f"{path}.{group}[{i}]"
            for key in ("name", "value"):
                if not param.get(key):
                    raise kind.error(
                        "MANDATORY_NOT_FOUND",
                        "the given parameter is invalid, specify both name and value",
                        key,
                        f"{ppath}.{key}",
                    )
            value = param["value"]
            if group == "module_parameters" and not merge_fields.is_template(org, module, value):
                raise kind.error(
                    "INVALID_DATA", "Unsupported fields are present", "value", f"{ppath}.value"
                )
            if param["name"] in seen:
                raise kind.error(
                    "DUPLICATE_DATA", "duplicate parameter name found", "name", f"{ppath}.name"
                )
            seen.add(param["name"])
            out[group].append({"name": param["name"], "value": param["value"]})
    return out


def _webhook_body(
    kind: Kind, params: Callable[[dict | None, str], dict[str, list]], body: dict, path: str
) -> dict[str, Any]:
    btype, fmt = body["type"], body.get("format")
    if btype not in ("raw", "form_data"):
        raise kind.error("INVALID_DATA", "invalid body type passed", "type", f"{path}.type")
    if btype == "form_data":
        if not body.get("form_data_content"):
            raise kind.dependent(
                "DEPENDENT_FIELD_MISSING",
                "form data content key is mandatory for form body type",
                "form_data_content",
                f"{path}.form_data_content",
                ("type", f"{path}.type"),
            )
        content = params(body["form_data_content"], f"{path}.form_data_content")
        return {"type": btype, "format": None, "form_data_content": content}
    if fmt not in BODY_FORMATS:
        raise kind.error(
            "INVALID_DATA", "invalid format passed in body", "format", f"{path}.format"
        )
    content = body.get("raw_data_content")
    if content is not None and len(content) > RAW_CONTENT_LENGTH:
        raise kind.error(
            "INVALID_DATA",
            "Invalid data",
            "raw_data_content",
            f"{kind.top}.body.raw_data_content",
            maximum_length=RAW_CONTENT_LENGTH,
        )
    if content is None:
        raise kind.dependent(
            "DEPENDENT_FIELD_MISSING",
            "raw data content key is mandatory for raw body type",
            "raw_data_content",
            f"{path}.raw_data_content",
            ("format", f"{path}.format"),
        )
    return {"type": btype, "format": fmt, "raw_data_content": body["raw_data_content"]}


def _date_time_format(org: Org, kind: Kind, given: dict | None) -> dict[str, str]:
    out = {
        "date_format": "yyyy-MM-dd",
        "datetime_format": "yyyy-MM-dd'T'HH:mm:ssXXX",
        "time_zone": org.time_zone,
    }
    out.update({k: v for k, v in (given or {}).items() if v})
    path = f"{kind.root}.date_time_format"
    if not _is_date_pattern(out["date_format"]):
        raise kind.error(
            "INVALID_DATA", "The Date given is invalid", "date_format", f"{path}.date_format"
        )
    if not _is_datetime_pattern(out["datetime_format"]):
        raise kind.error(
            "INVALID_DATA",
            "The date time format given is invalid",
            "datetime_format",
            f"{path}.datetime_format",
        )
    try:
        ZoneInfo(out["time_zone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise kind.error(
            "INVALID_DATA", "The timezone given is invalid", "time_zone", f"{path}.time_zone"
        ) from None
    return out


def _pattern_letters(pattern: str) -> set[str] | None:
    """The letters of a Java date pattern, quoted text left out; None for anything else in it."""
    if pattern.count("'") % 2:
        return None
    letters: set[str] = set()
    for part in pattern.split("'")[::2]:  # the odd parts are quoted
        for char in part:
            if char.isascii() and char.isalpha():
                letters.add(char)
            elif char not in PATTERN_SEPARATORS:
                return None
    return letters


def _is_date_pattern(pattern: str) -> bool:
    letters = _pattern_letters(pattern)
    return letters is not None and letters <= DATE_LETTERS and {"y", "M", "d"} <= letters


def _is_datetime_pattern(pattern: str) -> bool:
    letters = _pattern_letters(pattern)
    if letters is None or not letters <= DATE_LETTERS | TIME_LETTERS | ZONE_LETTERS:
        return False
    return {"y", "M", "d", "m"} <= letters and bool(letters & set("HhkK"))


# --- the extra read APIs ---------------------------------------------------------------------


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
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _bad_date(param) from None


def associated_modules(org: Org) -> list[dict[str, str]]:
    """The modules that have at least one webhook, in the org's module order."""
    used = {w["module"]["api_name"] for w in org.entities.get("webhooks", {}).values()}
    return [module_ref(m) for api, m in org.modules.items() if api in used]


def usage_reports(org: Org, args: Mapping[str, str]) -> list[dict[str, Any]]:
    """Webhook actions the engine ran, per day (org time zone) or per day and webhook, newest
    first, from `from` (default: 30 days before `to`) to `to` (default: today). mockcrm runs
    workflow rules only, so the other automation `type`s have no usage."""
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
    for run in org.executions:
        day = _local_date(org, run["time"])
        if not since <= day <= till:
            continue
        for action in run["actions"]:
            if action["type"] == "webhooks":
                key = (day.isoformat(), action["id"] if "resource" in group_by else "")
                counts[key] = counts.get(key, 0) + 1
                names[action["id"]] = action.get("name") or ""
    rows = []
    for (day, webhook_id), count in counts.items():
        row: dict[str, Any] = {"date": day}
        if webhook_id:
            row["resource"] = {"name": names[webhook_id], "id": webhook_id}
        rows.append({**row, "count": count, "type": "webhooks"})
    newest_first = args.get("sort_order", "desc") == "desc"
    rows.sort(key=lambda r: (r["date"], r.get("resource", {}).get("id", "")), reverse=newest_first)
    return rows
