"""`details` of inline actions that carry their own configuration (chat, social, convert,
meetings, record creation): Zoho's per-type checks, in the order its examples show them."""

from __future__ import annotations

import copy
from typing import Any

from mockcrm.core.errors import ZohoError
from mockcrm.crm.org import Org
from mockcrm.crm.rule_errors import (
    ambiguity,
    dependent_missing,
    invalid,
    limit_exceeded,
    missing,
    rule_error,
)

CHAT_TYPES = frozenset(
    {
        "slack_notifications",
        "cliq_notifications",
        "cisco_notifications",
        "google_chat_notifications",
        "microsoft_teams_notifications",
    }
)
# Social replies need content; likes and retweets need nothing.
SOCIAL_WITH_CONTENT = frozenset(
    {"comment_to_post", "reply_to_comment", "reply_to_message", "reply_to_tweet"}
)
NO_DETAILS = frozenset({"like_to_comment", "retweet"})
REQUIRED_DEPENDENT = "Required dependent field is missing"
CONVERT_REQUIRED = (
    "add_to_existing_contact",
    "add_to_existing_account",
    "change_owner",
    "apply_restriction",
)
WITH_FIELD_MAPPINGS = frozenset(
    {"create_record", "create_connected_record", "add_meeting", "schedule_call", "convert"}
)


def details_missing(rtype: str, path: str) -> ZohoError:
    """The error for an inline action sent without `details`; its shape depends on the type."""
    if rtype in SOCIAL_WITH_CONTENT:
        return rule_error(
            "DEPENDENT_FIELD_MISSING", REQUIRED_DEPENDENT, "details", f"{path}.details"
        )
    if rtype == "circuits":
        return missing("details", f"{path}.details")
    return dependent_missing("type", f"{path}.type", "details", f"{path}.details")


def needs_details(rtype: str) -> bool:
    return rtype not in NO_DETAILS


def check_details(org: Org, module: str, rtype: str, details: Any, path: str) -> dict:
    """A validated copy of `details` for the types this module knows; others pass as sent."""
    dpath = f"{path}.details"
    if not isinstance(details, dict):
        raise invalid("details", dpath, "Invalid data type", expected_data_type="jsonobject")
    if rtype in CHAT_TYPES:
        _chat(org, module, details, dpath)
    elif rtype == "convert" and module == "Leads":
        for key in CONVERT_REQUIRED:
            if key not in details:
                raise rule_error(
                    "DEPENDENT_FIELD_MISSING", REQUIRED_DEPENDENT, key, f"{dpath}.{key}"
                )
    elif rtype == "create_record_email":
        target = (_typed(details, "module", dict, dpath) or {}).get("api_name")
        if target not in ("Leads", "Contacts"):
            raise invalid("module", f"{dpath}.module")
        if len(_typed(details, "field_mappings", list, dpath) or []) > 1:
            raise limit_exceeded("field_mappings", 1, f"{dpath}.field_mappings", "too many records")
    elif rtype == "create_connected_record":
        target = (_typed(details, "module", dict, dpath) or {}).get("api_name")
        if target not in org.modules or target == module:
            raise invalid("module", f"{dpath}.module")
    elif rtype == "add_meeting":
        _meeting(details, dpath)
    if rtype in WITH_FIELD_MAPPINGS:
        _owner_mappings(org, details, dpath)
    return copy.deepcopy(details)


def _typed(parent: dict, key: str, kind: type, path: str) -> Any:
    """`parent[key]` if absent or of the JSON type Zoho expects, else its "Invalid data type"
    error: a `"field_mappings": 7` or `"field": 7` must not reach `len()` or `.get()`."""
    value = parent.get(key)
    if value is None or isinstance(value, kind):
        return value
    expected = "jsonobject" if kind is dict else "jsonarray"
    raise invalid(key, f"{path}.{key}", "Invalid data type", expected_data_type=expected)


def _chat(org: Org, module: str, details: dict, dpath: str) -> None:
    if not details.get("message"):
        raise missing("message", f"{dpath}.message")
    notify_to = details.get("notify_to")
    if not isinstance(notify_to, dict):
        raise missing("notify_to", f"{dpath}.notify_to")
    npath = f"{dpath}.notify_to"
    if notify_to.get("type") not in ("user", "channel", "fields"):
        raise invalid("type", f"{npath}.type")
    if notify_to["type"] in ("user", "channel") and not notify_to.get("id"):
        raise rule_error("DEPENDENT_FIELD_MISSING", REQUIRED_DEPENDENT, "id", f"{npath}.id")
    notify_fields = _typed(notify_to, "notify_fields", dict, npath) or {}
    fields = _typed(notify_fields, "fields", list, f"{npath}.notify_fields") or []
    for k, ref in enumerate(fields):
        fpath = f"{npath}.notify_fields.fields[{k}]"
        known = org.field(module, ref.get("api_name", "")) if isinstance(ref, dict) else None
        if known and ref.get("id") and ref["id"] != known["id"]:
            raise ambiguity(
                "Ambiguity during processing",
                ("id", f"{fpath}.id"),
                ("api_name", f"{fpath}.api_name"),
            )


def _meeting(details: dict, dpath: str) -> None:
    host = details.get("host_unavailable")
    if host is not None and not (
        isinstance(host, dict) and ("assign_record_owner_as_host" in host or "assign_task" in host)
    ):
        hpath = f"{dpath}.host_unavailable"
        expected = [
            {"api_name": key, "json_path": f"{hpath}.{key}"}
            for key in ("assign_record_owner_as_host", "assign_task")
        ]
        raise rule_error(
            "EXPECTED_FIELD_MISSING", "Specify atleast one field", None, None,
            expected_fields=expected,
        )  # fmt: skip
    all_day = any(
        (_typed(m, "field", dict, f"{dpath}.field_mappings[{k}]") or {}).get("api_name")
        == "All_day"
        and str(m.get("value")).lower() == "true"
        for k, m in enumerate(_typed(details, "field_mappings", list, dpath) or [])
        if isinstance(m, dict)
    )
    if all_day and details.get("meeting_duration") is not None:
        raise ambiguity(
            "As All Day is passed true, meeting_duration cannot be configured",
            ("meeting_duration", f"{dpath}.meeting_duration"),
            ("field_mappings", f"{dpath}.field_mappings"),
        )


def _owner_mappings(org: Org, details: dict, dpath: str) -> None:
    for k, mapping in enumerate(_typed(details, "field_mappings", list, dpath) or []):
        if not isinstance(mapping, dict):
            raise invalid("field_mappings", f"{dpath}.field_mappings[{k}]")
        value = mapping.get("value")
        field = _typed(mapping, "field", dict, f"{dpath}.field_mappings[{k}]") or {}
        is_owner = field.get("api_name") == "Owner"
        if is_owner and isinstance(value, dict) and org.user(str(value.get("id"))) is None:
            raise invalid("id", f"{dpath}.field_mappings[{k}].id", "Invalid User ID")
