"""The Holidays API (/crm/v8/settings/holidays): business and shift holidays of the org.

They are kept in `org.info["holidays"]`, in the GET shape calendar.py reads (business holidays
are skipped by business-day arithmetic from the next event on; shift holidays only concern the
users of a shift and are kept, listed and checked, not used by the engine).

Writes answer per item, as Zoho does (201/200 all good, 207 mixed, 400 none): each item is
checked against the holidays as they stand after the items before it, and the accepted ones are
stored together at the end. Choices where Zoho is silent are marked "(mockcrm)".
"""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from mockcrm.core.clock import parse_day
from mockcrm.core.errors import ZohoError, batch_status, field_error, invalid_body, success_item
from mockcrm.core.pagination import Page
from mockcrm.crm.checked import checked
from mockcrm.crm.org import Org

COLLECTION = "holidays"
TYPES = ("business_holiday", "shift_holiday")
MAX_NAME = 80
MAX_PER_YEAR = 52  # per type (and per shift), as Zoho's LIMIT_EXCEEDED names `type`
MAX_ITEMS = 100  # holidays per request (OAS maxItems)
FORBIDDEN = "#%^&*"  # OAS name pattern ^[^#%^&*]+$
SPECIAL = "Holiday Name should not contain special characters:#, %, ^, &, *"
ID = re.compile(r"[0-9]{1,30}")  # OAS pattern and maxLength of shift_id
YEARS = (2000, 2100)  # OAS `year` parameter range
YEAR = re.compile(r"[0-9]{4}")  # ASCII digits: str.isdigit() also takes "²", which int() refuses
# Messages: Zoho's create example says "Holiday created successfully" (per item); update and
# delete have no example, only the flat OAS enum's wording.
CREATED = "Holiday created successfully"
UPDATED = "Holidays updated successfully"
DELETED = "Holidays deleted successfully"

Holiday = dict[str, Any]


def _error(code: str, message: str, api_name: str, path: str, **extra: Any) -> ZohoError:
    """A holiday item's key `api_name`, the item at `path`."""
    return field_error(code, message, api_name, f"{path}.{api_name}", COLLECTION, **extra)


def _invalid_id() -> ZohoError:
    """An unknown holiday id in the URL (deleteHoliday's InvalidId example)."""
    return ZohoError("INVALID_DATA", "Invalid ID", {"resource_path_index": 2})


def _pattern(param: str) -> ZohoError:
    return ZohoError(
        "PATTERN_NOT_MATCHED",
        "Please check whether the input values are correct",
        {"param_name": param},
    )


def stored(org: Org) -> list[Holiday]:
    """The org's holidays, leaving out anything an imported state holds that is no holiday."""
    items = org.info.get(COLLECTION)
    if not isinstance(items, list):
        return []
    return [h for h in items if isinstance(h, dict) and isinstance(h.get("id"), str)]


def _shift_id(holiday: Holiday) -> str | None:
    shift = holiday.get("shift_hour")
    return shift.get("id") if isinstance(shift, dict) else None


def _year(holiday: Holiday) -> int | None:
    try:
        return date.fromisoformat(holiday["date"]).year
    except (KeyError, TypeError, ValueError):
        return None


# --- read ----------------------------------------------------------------------------------


def list_holidays(org: Org, args: Any) -> tuple[list[Holiday], dict[str, Any]]:
    """Filtered by `year`, `type`, `shift_id`, in date order, one page of them. Without
    `year` every year is listed (mockcrm: Zoho does not say)."""
    kind = args.get("type")
    if kind is not None and kind not in TYPES:
        raise _pattern("type")
    year = _year_param(args.get("year"))
    shift_id = args.get("shift_id")
    if shift_id is not None and not ID.fullmatch(shift_id):
        raise _pattern("shift_id")
    page = Page.from_args(args)
    found = [
        h
        for h in stored(org)
        if (kind is None or h.get("type", TYPES[0]) == kind)
        and (year is None or _year(h) == year)
        and (shift_id is None or _shift_id(h) == shift_id)
    ]
    found.sort(key=lambda h: (str(h.get("date")), h["id"]))
    chunk, info = page.slice(found)
    return copy.deepcopy(chunk), info


def _year_param(raw: str | None) -> int | None:
    if raw is None:
        return None
    if not YEAR.fullmatch(raw) or not YEARS[0] <= int(raw) <= YEARS[1]:
        raise _pattern("year")
    return int(raw)


def get_holiday(org: Org, holiday_id: str) -> Holiday | None:
    """One holiday, or None (Zoho's getHoliday answers 204 for an unknown id)."""
    found = next((h for h in stored(org) if h["id"] == holiday_id), None)
    return copy.deepcopy(found)


# --- checks --------------------------------------------------------------------------------


class _Calendar:
    """The holidays as they stand after the accepted items of one request."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self.by_id = {h["id"]: h for h in stored(org)}
        # Zoho: "Date Should be between current and next financial year". mockcrm has no
        # fiscal-year setting: the financial year is the calendar year of the org's clock.
        self.this_year = org.instant().astimezone(ZoneInfo(org.time_zone)).year
        shifts = org.info.get("shift_hours")
        self.shifts = {
            s["id"]: s
            for s in (shifts if isinstance(shifts, list) else [])
            if isinstance(s, dict) and isinstance(s.get("id"), str)
        }

    def same_list(self, new: Holiday) -> list[Holiday]:
        """Other holidays of the same year and list (business, or the same shift)."""
        key = (_year(new), new["type"], _shift_id(new))
        return [
            h
            for h in self.by_id.values()
            if h["id"] != new["id"] and (_year(h), h.get("type", TYPES[0]), _shift_id(h)) == key
        ]

    def check(self, new: Holiday, path: str, changed: set[str]) -> None:
        """`new` (an item merged into the holiday it updates, or a new one) as a whole; `changed`
        names what the item sent: only those are checked against the date range and the
        other holidays, so an update of the name does not fail on an old date."""
        if not isinstance(new["name"], str):  # only an imported holiday can hold one
            raise _error("INVALID_DATA", "invalid data", "name", path, expected_data_type="text")
        name = new["name"].strip()
        if not name:
            raise _error("MANDATORY_NOT_FOUND", "required field not found", "name", path)
        if len(name) > MAX_NAME:
            raise _error("INVALID_DATA", "invalid data", "name", path, maximum_length=MAX_NAME)
        if any(c in FORBIDDEN for c in name):
            raise _error("INVALID_DATA", SPECIAL, "name", path)
        new["name"] = name
        if new["type"] not in TYPES:
            raise _error("INVALID_DATA", "Invalid type", "type", path, supported_values=[*TYPES])
        day = _date(new["date"], path)
        if "date" in changed and not self.this_year <= day.year <= self.this_year + 1:
            message = "Date Should be between current and next financial year"
            raise _error("INVALID_DATA", message, "date", path)
        new["year"] = day.year
        new["shift_hour"] = self._shift(new, path) if new["type"] == TYPES[1] else None
        same = self.same_list(new)
        if changed & {"name", "date", "type", "shift_hour"}:
            # (mockcrm) a name is unique within one year's list: "New Year" every year is fine.
            if any(str(h.get("name", "")).lower() == name.lower() for h in same):
                raise _error("DUPLICATE_DATA", "duplicate data", "name", path)
            if changed & {"date", "type", "shift_hour"} and len(same) >= MAX_PER_YEAR:
                raise ZohoError(
                    "LIMIT_EXCEEDED",
                    "Holidays limit exceeds",
                    {
                        "limit": MAX_PER_YEAR,
                        "limit_due_to": [{"api_name": "type", "json_path": f"{path}.type"}],
                    },
                    collection=COLLECTION,
                )

    def _shift(self, new: Holiday, path: str) -> dict[str, str]:
        shift = new.get("shift_hour")
        if not isinstance(shift, dict) or not shift.get("id"):
            raise ZohoError(
                "DEPENDENT_FIELD_MISSING",
                "Shift id is required for shift holidays",
                {
                    "dependee": {"api_name": "type", "json_path": f"{path}.type"},
                    "api_name": "shift_hour",
                    "json_path": f"{path}.shift_hour",
                },
                collection=COLLECTION,
            )
        known = self.shifts.get(shift["id"])
        if known is None:
            # (mockcrm) shift hours have no API here: only shifts an imported state lists
            # under org.info["shift_hours"] exist.
            raise ZohoError(
                "INVALID_DATA",
                "Invalid shift id",
                {"api_name": "id", "json_path": f"{path}.shift_hour.id"},
                collection=COLLECTION,
            )
        return {"name": str(known.get("name", "")), "id": shift["id"]}


def _date(value: Any, path: str) -> date:
    day = parse_day(value)
    if day is None:
        raise _error("INVALID_DATA", "invalid data", "date", path, expected_data_type="date")
    return day


def _items(body: Any, single: bool = False) -> list[Any]:
    if not isinstance(body, dict) or COLLECTION not in body:
        raise ZohoError(
            "MANDATORY_NOT_FOUND",
            "required field not found",
            {"api_name": COLLECTION, "json_path": f"$.{COLLECTION}"},
        )
    items = body[COLLECTION]
    if not isinstance(items, list) or not items:
        raise invalid_body(COLLECTION)
    limit = 1 if single else MAX_ITEMS
    if len(items) > limit:
        # (mockcrm) Zoho documents the limit, not its error.
        raise ZohoError(
            "LIMIT_EXCEEDED",
            "limit exceeded",
            {"api_name": COLLECTION, "json_path": f"$.{COLLECTION}", "limit": limit},
        )
    return items


# --- write ---------------------------------------------------------------------------------


def create_holidays(org: Org, body: Any) -> tuple[list[dict[str, Any]], int]:
    items = _items(body)
    cal = _Calendar(org)
    results: list[dict[str, Any]] = []
    accepted: list[Holiday] = []
    for i, item in enumerate(items):
        path = f"$.holidays[{i}]"
        try:
            data = checked("business_settings", "HolidaySchema", item, path, COLLECTION)
            new = {
                "name": data["name"],
                "date": data["date"],
                "type": data["type"],
                "shift_hour": data.get("shift_hour"),
                "id": "",  # given once accepted: a refused item takes no id
                "year": None,
            }
            cal.check(new, path, {"name", "date", "type", "shift_hour"})
        except ZohoError as error:
            results.append(error.item())
            continue
        new["id"] = org.ids.next()
        cal.by_id[new["id"]] = new
        accepted.append(new)
        results.append(success_item(new["id"], CREATED))
    if accepted:
        _holidays_list(org).extend(accepted)
    return results, batch_status(results, 201)


def update_holidays(
    org: Org, body: Any, holiday_id: str | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Bulk PUT (`id` in each item) or PUT /holidays/{id} (one item, the id from the URL).
    What an item omits keeps its value."""
    if holiday_id is not None and get_holiday(org, holiday_id) is None:
        raise _invalid_id()
    items = _items(body, single=holiday_id is not None)
    cal = _Calendar(org)
    results: list[dict[str, Any]] = []
    changed_ids: list[str] = []
    for i, item in enumerate(items):
        path = f"$.holidays[{i}]"
        try:
            data = checked(
                "business_settings", "HolidaySchema", item, path, COLLECTION, partial=True
            )
            target = holiday_id or data.get("id")
            if not target:
                raise _error("MANDATORY_NOT_FOUND", "required field not found", "id", path)
            current = cal.by_id.get(target)
            if current is None:
                raise _error(
                    "INVALID_DATA", "Invalid holiday id", "id", path, expected_data_type="long"
                )
            new = {**copy.deepcopy(current), **{k: v for k, v in data.items() if k != "id"}}
            new.setdefault("type", TYPES[0])
            for key in ("name", "date"):
                if new.get(key) is None:  # an imported holiday may lack one
                    raise _error("MANDATORY_NOT_FOUND", "required field not found", key, path)
            cal.check(new, path, set(data) - {"id"})
        except ZohoError as error:
            results.append(error.item())
            continue
        cal.by_id[target] = new
        changed_ids.append(target)
        results.append(success_item(target, UPDATED))
    if changed_ids:
        holidays = _holidays_list(org)
        for index, old in enumerate(holidays):
            if isinstance(old, dict) and old.get("id") in changed_ids:
                holidays[index] = _shape(cal.by_id[old["id"]])
    return results, batch_status(results, 200)


def delete_holiday(org: Org, holiday_id: str) -> dict[str, Any]:
    if get_holiday(org, holiday_id) is None:
        raise _invalid_id()
    org.info[COLLECTION] = [
        h for h in _holidays_list(org) if not (isinstance(h, dict) and h.get("id") == holiday_id)
    ]
    return success_item(holiday_id, DELETED)


def _holidays_list(org: Org) -> list[Any]:
    holidays = org.info.get(COLLECTION)
    if not isinstance(holidays, list):
        holidays = org.info[COLLECTION] = []
    return holidays


def _shape(holiday: Holiday) -> Holiday:
    """Zoho's key order (the seed's); keys an imported state added are kept after them."""
    keys = ("name", "date", "type", "shift_hour", "id", "year")
    return {**{k: holiday[k] for k in keys if k in holiday}, **holiday}
