"""Webhooks' request builder: Zoho's webhook-specific checks of a POST/PUT body, beyond the
generic entity service (crm/actions.py), and the stored shape they produce."""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
# Zoho: a URL "must begin with http://, https://, www., or ${...}" (a merge field).
URL = re.compile(r"(?:https?://|www\.)[^\s/?#]+[^\s]*|\$\{[^\s]*", re.IGNORECASE)
BODY_TYPES = ("raw", "form_data", "none")
MAX_WEBHOOK_TEXT = 250
RAW_CONTENT_LENGTH = 500  # the OAS and Zoho's example (Error400Response11)
# Date pattern letters, folded to lower case (Java's, which Zoho's defaults are).
DATE_LETTERS = frozenset("ymde")
TIME_LETTERS = frozenset("hkmsa")
ZONE_LETTERS = frozenset("zx")
PATTERN_SEPARATORS = frozenset(" -/.,:")


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
    host = _host(url)
    if host is None:
        raise kind.error("INVALID_DATA", "please enter a valid URL", "url", f"{root}.url")
    if _internal_address(host):
        raise kind.error(
            "INVALID_DATA", "Url you've configured is not secure", "url", f"{root}.url"
        )
    if not data["http_method"]:
        # Zoho's examples give two answers for an absent method: the schema's "Required field is
        # missing" serves that case, and this one (verbatim, trailing space) a null or empty
        # method, mockcrm's own split. On PUT an absent key keeps the stored method.
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
        "headers": params(data.get("headers"), f"{root}.headers", headers=True),
        "date_time_format": _date_time_format(org, kind, data.get("date_time_format")),
        "authentication": {"type": "general"},
        "feature_type": data["feature_type"],
    }
    if data.get("body") is not None:
        built["body"] = _webhook_body(kind, params, data["body"], f"{root}.body")
    if data.get("url_parameters") is not None:
        built["url_parameters"] = params(data["url_parameters"], f"{root}.url_parameters")
    return built


def _host(url: str) -> str | None:
    """The URL's host name, "" when a merge field gives it at run time; None when it is no URL
    a client could call (e.g. `http://[::1/`, which the pattern lets through but no URL parser
    reads)."""
    if not URL.fullmatch(url):
        return None
    if url.startswith("${"):
        return ""
    try:
        return urlsplit(url if "://" in url else f"http://{url}").hostname or None
    except ValueError:
        return None


def _internal_address(host: str) -> bool:
    """Zoho refuses webhook URLs of SSRF-protected hosts (its SsrfUrl example). mockcrm refuses
    IP literals of any network that is not global (private, shared, link-local, reserved...) and
    multicast, also in the legacy IPv4 spellings clients still resolve (`10.1`, `0x0a000001`,
    a bare number) and IPv4-mapped IPv6. Loopback is allowed, unlike Zoho, so that
    `--deliver-webhooks` can reach a local receiver; names are not resolved (no DNS here)."""
    ip = _ip_literal(host)
    if ip is None or ip.is_loopback:
        return False
    return not ip.is_global or ip.is_multicast


def _ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        try:  # what inet_aton reads: `10.1`, `0x0a.0.0.1`, `167772161`, octal parts
            ip = ipaddress.IPv4Address(socket.inet_aton(host))
        except (OSError, ValueError):  # a name (UnicodeEncodeError is a ValueError)
            return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _check_method(kind: Kind, data: dict[str, Any]) -> None:
    """Zoho's table of what each method sends: a body with POST and PUT (the ones the engine
    sends a body with), URL parameters with GET and DELETE, headers with all but GET."""
    method = data["http_method"]
    for key, allowed in (
        ("body", WITH_BODY),
        ("url_parameters", HTTP_METHODS - WITH_BODY),
        ("headers", HTTP_METHODS - {"GET"}),
    ):
        if data.get(key) is not None and method not in allowed:
            raise kind.dependent(
                "DEPENDENT_MISMATCH",
                "Invalid value provided for the given http method",
                "http_method",
                f"{kind.root}.http_method",
                (key, f"{kind.root}.{key}"),
            )


def _parameters(
    kind: Kind, org: Org, module: str, params: dict | None, path: str, *, headers: bool = False
) -> dict[str, list]:
    """Named parameters; a module parameter's value is merge-field text of the module (Zoho's
    "Append Entity Parameters"), a custom parameter's any text. Headers may not set HOST."""
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
            if group == "module_parameters" and not _api_name_template(org, module, value):
                raise kind.error(
                    "INVALID_DATA", "Unsupported fields are present", "value", f"{ppath}.value"
                )
            if headers and param["name"].strip().lower() == "host":
                # Zoho: "Restricted header name: HOST is not allowed", with this message (its
                # enum for parameter errors); it shows no body, so the path is the name's.
                raise kind.error(
                    "INVALID_DATA", "restricted parameter name found", "name", f"{ppath}.name"
                )
            if param["name"] in seen:
                raise kind.error(
                    "DUPLICATE_DATA", "duplicate parameter name found", "name", f"{ppath}.name"
                )
            seen.add(param["name"])
            out[group].append({"name": param["name"], "value": param["value"]})
    return out


def _api_name_template(org: Org, module: str, value: str) -> bool:
    """Merge-field text whose placeholders of `module` name its fields by api name: Zoho's
    module parameters want "${!Leads.Last_Name}, not ${!Leads.Last Name}". Placeholders of other
    modules (reached through lookups) are left unchecked, as everywhere in mockcrm."""
    if not merge_fields.is_template(org, module, value):
        return False
    names = {f["api_name"] for f in org.fields.get(module, [])} | merge_fields.ID_NAMES
    return all(
        named != module or field.strip() in names
        for named, field in merge_fields.PLACEHOLDER.findall(value)
    )


def _is_parameters(content: Any) -> bool:
    """`{"module_parameters": [...], "custom_parameters": [...]}` of text names and values."""
    if not isinstance(content, dict):
        return False
    groups = [content.get(g) for g in ("module_parameters", "custom_parameters")]
    return all(
        isinstance(group, list | None)
        and all(
            isinstance(param, dict)
            and all(isinstance(param.get(k), str | None) for k in ("name", "value"))
            for param in group or []
        )
        for group in groups
    )


def _webhook_body(
    kind: Kind, params: Callable[[dict | None, str], dict[str, list]], body: dict, path: str
) -> dict[str, Any]:
    btype, fmt = body["type"], body.get("format")
    if btype not in BODY_TYPES:
        raise kind.error("INVALID_DATA", "invalid body type passed", "type", f"{path}.type")
    if btype == "none":  # Zoho's "No body content": nothing else of the body is kept
        return {"type": btype, "format": None}
    if btype == "form_data":
        if not body.get("form_data_content"):
            raise kind.dependent(
                "DEPENDENT_FIELD_MISSING",
                "form data content key is mandatory for form body type",
                "form_data_content",
                f"{path}.form_data_content",
                ("type", f"{path}.type"),
            )
        content = body["form_data_content"]
        if not _is_parameters(content):
            # Zoho's InvalidFormDataContent, its spelling kept.
            raise kind.error(
                "INVALID_DATA", "inavlid form data content passed in body", "form_data_content",
                f"{path}.form_data_content",
            )  # fmt: skip
        content = params(content, f"{path}.form_data_content")
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


# Letters are compared without case: Zoho's own example stores "dd-mmmm-yyyy" and
# "dd-mm-yyyy H:M:S", which are no Java patterns (mm is minutes there, M the month).
def _is_date_pattern(pattern: str) -> bool:
    letters = _pattern_letters(pattern)
    if letters is None:
        return False
    folded = {c.lower() for c in letters}
    return folded <= DATE_LETTERS and {"y", "m", "d"} <= folded


def _is_datetime_pattern(pattern: str) -> bool:
    letters = _pattern_letters(pattern)
    if letters is None:
        return False
    folded = {c.lower() for c in letters}
    return folded <= DATE_LETTERS | TIME_LETTERS | ZONE_LETTERS and {"y", "m", "d", "h"} <= folded


# --- the extra read APIs ---------------------------------------------------------------------
