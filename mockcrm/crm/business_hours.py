"""The Business Hours API (/crm/v8/settings/business_hours): the org's one business hours object.

It is kept in `org.info["business_hours"]`, in the GET shape calendar.py reads, so the engine's
business-day arithmetic follows a change at the next event (calendar.py compares its cached
inputs by value). Zoho answers field errors in an object envelope, `{"business_hours": {...}}`:
they are raised here with `collection=BH`, and the API view renders that item as an object.
A write is validated fully, then stored in one assignment.
"""

from __future__ import annotations

import copy
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mockcrm.core.errors import ZohoError, field_error
from mockcrm.crm.calendar import WEEKDAYS, WORK_WEEK
from mockcrm.crm.checked import checked
from mockcrm.crm.org import Org

BH = "business_hours"
ROOT = f"$.{BH}"
TYPES = ("24_by_7", "24_by_5", "custom")
# Zoho's time pattern (OAS business_hours.yaml): 24-hour HH:MM, 00:00 to 23:59.
TIME = re.compile(r"([0-1][0-9]|2[0-3]):[0-5][0-9]")
MIDNIGHT = "00:00"
SAVED = "Business Hours saved successfully"
MAX_ZONE = 100


def error(code: str, message: str, api_name: str, path: str, **extra: Any) -> ZohoError:
    return field_error(code, message, api_name, path, BH, **extra)


def _invalid(api_name: str, path: str, **extra: Any) -> ZohoError:
    return error("INVALID_DATA", "invalid data", api_name, path, **extra)


def _missing(api_name: str) -> ZohoError:
    return error("MANDATORY_NOT_FOUND", "required field not found", api_name, f"{ROOT}.{api_name}")


def configured(org: Org) -> dict[str, Any] | None:
    current = org.info.get(BH)
    return current if isinstance(current, dict) and current else None


# --- read ----------------------------------------------------------------------------------


def get_business_hours(org: Org) -> dict[str, Any] | None:
    """The GET shape (every key Zoho's schema requires), or None: nothing configured is 204.
    Read leniently: an imported state may hold an older shape (Zoho's v7 sample has no
    `timezone`; calendar.py then uses the org's, so that is what is shown)."""
    current = configured(org)
    if current is None:
        return None
    view = {
        "week_starts_on": current.get("week_starts_on", "Monday"),
        "type": current.get("type"),
        "id": current.get("id"),
        "timezone": current.get("timezone") or org.time_zone,
        "business_days": current.get("business_days", list(WORK_WEEK)),
        "same_as_everyday": current.get("same_as_everyday"),
        "daily_timing": current.get("daily_timing"),
        "custom_timing": current.get("custom_timing", []),
    }
    return copy.deepcopy(view)


# --- write ---------------------------------------------------------------------------------


def create_business_hours(org: Org, body: Any) -> dict[str, Any]:
    if configured(org) is not None:
        # Top-level, as in Zoho's only example of it (createBusinessHours MultipleBusinessHours).
        raise ZohoError("NOT_ALLOWED", "Organization can have only one Business Hour")
    data = checked("business_settings", "BusinessHoursSchema", _object(body), ROOT, BH)
    config = _build({}, data, org)
    config["id"] = org.ids.next()
    org.info[BH] = _ordered(config)
    return _saved(config["id"])


def update_business_hours(org: Org, body: Any) -> dict[str, Any]:
    current = configured(org)
    if current is None:
        raise ZohoError("NOT_ALLOWED", "Cannot update business hours", collection=BH)
    data = checked(
        "business_settings", "BusinessHoursSchema", _object(body), ROOT, BH, partial=True
    )
    config = _build(copy.deepcopy(current), data, org)
    org.info[BH] = _ordered(config)
    return _saved(str(config.get("id")))


def _object(body: Any) -> Any:
    if not isinstance(body, dict) or BH not in body:
        raise ZohoError(
            "MANDATORY_NOT_FOUND", "required field not found", {"api_name": BH, "json_path": ROOT}
        )
    return body[BH]


def _saved(bh_id: str) -> dict[str, Any]:
    return {"status": "success", "code": "SUCCESS", "message": SAVED, "details": {"id": bh_id}}


def _ordered(config: dict[str, Any]) -> dict[str, Any]:
    """Zoho's GET key order; keys an imported state added are kept after them."""
    keys = ("week_starts_on", "type", "id", "timezone", "business_days", "same_as_everyday",
            "daily_timing", "custom_timing")  # fmt: skip
    return {**{k: config[k] for k in keys if k in config}, **config}


def _build(config: dict[str, Any], data: dict[str, Any], org: Org) -> dict[str, Any]:
    """`config` (the current one, or {} on create) with the request's `data` merged in and the
    result checked as a whole. Raises before anything is stored."""
    if "week_starts_on" in data:
        config["week_starts_on"] = _day(data["week_starts_on"], "week_starts_on")
    old_type = config.get("type")
    if "type" in data:
        if data["type"] not in TYPES:
            raise _invalid("type", f"{ROOT}.type", supported_values=list(TYPES))
        config["type"] = data["type"]
    if "timezone" in data:
        config["timezone"] = _zone(data["timezone"])
    config.setdefault("timezone", org.time_zone)
    kind = config.get("type") if isinstance(config.get("type"), str) else None
    if "business_days" in data:
        config["business_days"] = _days(data["business_days"], kind)
    elif kind != old_type or "business_days" not in config:
        config["business_days"] = _default_days(kind, config.get("business_days"))
    if "daily_timing" in data:
        timing = data["daily_timing"]
        config["daily_timing"] = None if timing is None else _timing(timing, "daily_timing")
    config.setdefault("daily_timing", None)
    config["custom_timing"] = _custom(config.get("custom_timing"), data)
    if data.get("same_as_everyday") is not None:
        config["same_as_everyday"] = data["same_as_everyday"]
    elif config.get("same_as_everyday") is None:
        # Not said: per-day timings sent mean "not the same every day".
        config["same_as_everyday"] = not config["custom_timing"]
    if kind == "custom":
        if config["same_as_everyday"] and not config["daily_timing"]:
            raise _missing("daily_timing")
        if not config["same_as_everyday"] and not config["custom_timing"]:
            raise _missing("custom_timing")
    return config


def _day(value: str, api_name: str) -> str:
    if value not in WEEKDAYS:
        raise _invalid(api_name, f"{ROOT}.{api_name}", supported_values=list(WEEKDAYS))
    return value


def _zone(value: str) -> str:
    # Zoho's GET schema: an IANA name of at most 100 characters. ValueError: a path-like or
    # empty key; OSError: a name the file system refuses (too long).
    try:
        if len(value) <= MAX_ZONE:
            ZoneInfo(value)
            return value
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    raise _invalid("timezone", f"{ROOT}.timezone")


def _days(days: list[str], kind: str | None) -> list[str]:
    """1 to 7 distinct weekdays (Zoho's schema); 24x7 is every day, 24x5 five of them."""
    path = f"{ROOT}.business_days"
    for i, day in enumerate(days):
        if day not in WEEKDAYS or day in days[:i]:
            raise _invalid("business_days", f"{path}[{i}]")
    wanted = {"24_by_7": 7, "24_by_5": 5}.get(kind or "")
    if not days or (wanted and len(days) != wanted):
        raise _invalid("business_days", path)
    return sorted(days, key=WEEKDAYS.index)


def _default_days(kind: str | None, current: Any) -> list[str]:
    """Business days when a create or a type change does not send them: every day for 24x7,
    else the current ones if they fit the type, else Monday to Friday."""
    if kind == "24_by_7":
        return list(WEEKDAYS)
    fits = (
        isinstance(current, list)
        and bool(current)
        and all(isinstance(d, str) and d in WEEKDAYS for d in current)
        and (kind != "24_by_5" or len(set(current)) == 5)
    )
    return list(current) if fits else list(WORK_WEEK)


def _timing(timing: list[str], api_name: str, path: str | None = None) -> list[str]:
    """[opening, closing], HH:MM each; the closing after the opening, or 00:00 for midnight
    (calendar.py reads 00:00 as the end of the day)."""
    path = path or f"{ROOT}.{api_name}"
    if len(timing) != 2:
        raise _invalid(api_name, path)
    for i, value in enumerate(timing):
        if not TIME.fullmatch(value):
            raise _invalid(api_name, f"{path}[{i}]")
    start, end = timing
    if end <= start and end != MIDNIGHT:
        raise _invalid(api_name, path)
    return list(timing)


def _custom(current: Any, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Per-day timings, merged by day: an item sets its day's timing, one with `"_delete":
    true` removes it (PUT). A null `custom_timing` clears them all."""
    kept = current if isinstance(current, list) else []
    by_day = {t["days"]: t for t in kept if isinstance(t, dict) and isinstance(t.get("days"), str)}
    if "custom_timing" not in data:
        return list(by_day.values())
    if data["custom_timing"] is None:
        return []
    seen: set[str] = set()
    for i, item in enumerate(data["custom_timing"]):
        path = f"{ROOT}.custom_timing[{i}]"
        day = item["days"]
        if day not in WEEKDAYS or day in seen:
            raise _invalid("days", f"{path}.days", supported_values=list(WEEKDAYS))
        seen.add(day)
        if item.get("delete") is True:
            by_day.pop(day, None)
            continue
        timing = item.get("business_timing")
        if timing is None:
            raise error(
                "MANDATORY_NOT_FOUND",
                "required field not found",
                "business_timing",
                f"{path}.business_timing",
            )
        by_day[day] = {
            "days": day,
            "business_timing": _timing(timing, "business_timing", f"{path}.business_timing"),
        }
    return sorted(by_day.values(), key=lambda t: _day_index(t["days"]))


def _day_index(day: str) -> int:
    """Week order; a day name an imported state holds that is no weekday goes last."""
    return WEEKDAYS.index(day) if day in WEEKDAYS else len(WEEKDAYS)
