"""/crm/v8/settings/business_hours and /settings/holidays: reads, writes, Zoho's errors, scopes.

Expected bodies are Zoho's (OAS business_hours.yaml / holidays.yaml examples, core fact sheet §9).
The engine's use of what these APIs store: tests/engine/test_business_calendar_api.py."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest

from mockcrm.core.store import Token

BH = "/crm/v8/settings/business_hours"
HOLIDAYS = "/crm/v8/settings/holidays"
SEED_BH_ID = "4876876000000438001"
NEW_YEAR_2026 = "4876876000000441037"
SHIFT = {"id": "4876876000000555001", "name": "US shift"}
SAVED = "Business Hours saved successfully"
ZYLKER_HOURS = {
    "week_starts_on": "Monday",
    "type": "custom",
    "id": SEED_BH_ID,
    "timezone": "Asia/Kolkata",
    "business_days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
    "same_as_everyday": True,
    "daily_timing": ["09:00", "18:00"],
    "custom_timing": [],
}


def top_error(code: str, message: str, details: dict | None = None) -> dict:
    return {"code": code, "details": details or {}, "message": message, "status": "error"}


def saved(bh_id: str) -> dict:
    return {
        "business_hours": {
            "status": "success",
            "code": "SUCCESS",
            "message": SAVED,
            "details": {"id": bh_id},
        }
    }


def bh_error(code: str, message: str, api_name: str, path: str, **extra: Any) -> dict:
    details = {"api_name": api_name, "json_path": path, **extra}
    return {"business_hours": top_error(code, message, details)}


def item_error(code: str, message: str, api_name: str, i: int = 0, **extra: Any) -> dict:
    details = {**extra, "api_name": api_name, "json_path": f"$.holidays[{i}].{api_name}"}
    return top_error(code, message, details)


def holiday(name: str = "Founders Day", day: str = "2026-02-02", **extra: Any) -> dict:
    return {"name": name, "date": day, "type": "business_holiday", **extra}


def success(hid: str, message: str) -> dict:
    return {"code": "SUCCESS", "details": {"id": hid}, "message": message, "status": "success"}


def is_id(value: Any) -> bool:
    return isinstance(value, str) and value.isdigit() and len(value) == 19


@pytest.fixture
def no_hours(org):
    """An org with no business hours configured (Zoho's GET answers 204)."""
    del org.info["business_hours"]
    return org


# --- business hours: read ----------------------------------------------------------------


def test_get_business_hours_is_one_object(api):
    resp = api.get(BH)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/json;charset=UTF-8"
    assert resp.json == {"business_hours": ZYLKER_HOURS}


def test_nothing_configured_is_204(api, no_hours):
    resp = api.get(BH)
    assert resp.status_code == 204 and resp.data == b""
    assert "Content-Type" not in resp.headers


# --- business hours: create --------------------------------------------------------------


def test_create_business_hours(api, no_hours):
    body = {
        "business_hours": {
            "week_starts_on": "Sunday",
            "type": "custom",
            "business_days": ["Tuesday", "Monday", "Wednesday", "Thursday"],
            "same_as_everyday": False,
            "custom_timing": [
                {"days": "Monday", "business_timing": ["10:00", "17:00"]},
                {"days": "Thursday", "business_timing": ["09:00", "18:30"]},
            ],
        }
    }
    resp = api.post(BH, json=body)
    assert resp.status_code == 201
    bh_id = resp.json["business_hours"]["details"]["id"]
    assert is_id(bh_id) and resp.json == saved(bh_id)
    assert api.get(BH).json == {
        "business_hours": {
            "week_starts_on": "Sunday",
            "type": "custom",
            "id": bh_id,
            "timezone": "Asia/Kolkata",
            "business_days": ["Monday", "Tuesday", "Wednesday", "Thursday"],
            "same_as_everyday": False,
            "daily_timing": None,
            "custom_timing": body["business_hours"]["custom_timing"],
        }
    }


def test_create_24_by_7_means_every_day(api, no_hours):
    body = {"business_hours": {"week_starts_on": "Monday", "type": "24_by_7"}}
    assert api.post(BH, json=body).status_code == 201
    got = api.get(BH).json["business_hours"]
    assert len(got["business_days"]) == 7 and got["type"] == "24_by_7"


def test_a_second_create_is_not_allowed(api, org):
    before = copy.deepcopy(org.info)
    body = {"business_hours": {"week_starts_on": "Monday", "type": "24_by_7"}}
    resp = api.post(BH, json=body)
    assert resp.status_code == 400
    assert resp.json == top_error("NOT_ALLOWED", "Organization can have only one Business Hour")
    assert org.info == before


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (
            {"type": "24_by_7"},
            bh_error(
                "MANDATORY_NOT_FOUND",
                "required field not found",
                "week_starts_on",
                "$.business_hours.week_starts_on",
            ),
        ),
        (
            {"week_starts_on": "Monday", "type": "24_by_6"},
            bh_error(
                "INVALID_DATA",
                "invalid data",
                "type",
                "$.business_hours.type",
                supported_values=["24_by_7", "24_by_5", "custom"],
            ),
        ),
        (
            {"week_starts_on": "Monday", "type": "custom"},
            bh_error(
                "MANDATORY_NOT_FOUND",
                "required field not found",
                "daily_timing",
                "$.business_hours.daily_timing",
            ),
        ),
        (
            {"week_starts_on": "Monday", "type": "24_by_5", "business_days": ["Monday"]},
            bh_error(
                "INVALID_DATA", "invalid data", "business_days", "$.business_hours.business_days"
            ),
        ),
        (
            {"week_starts_on": "Monday", "type": "custom", "daily_timing": ["18:00", "09:00"]},
            bh_error(
                "INVALID_DATA", "invalid data", "daily_timing", "$.business_hours.daily_timing"
            ),
        ),
        (
            {"week_starts_on": "Monday", "type": "custom", "daily_timing": ["9:00", "18:00"]},
            bh_error(
                "INVALID_DATA", "invalid data", "daily_timing", "$.business_hours.daily_timing[0]"
            ),
        ),
        (
            {"week_starts_on": "Monday", "type": 7},
            bh_error(
                "INVALID_DATA",
                "Invalid data type",
                "type",
                "$.business_hours.type",
                expected_data_type="text",
            ),
        ),
        (
            {"week_starts_on": "Monday", "type": "custom", "timezone": "Mars/Olympus"},
            bh_error("INVALID_DATA", "invalid data", "timezone", "$.business_hours.timezone"),
        ),
    ],
    ids=[
        "no-week-start",
        "bad-type",
        "custom-no-timing",
        "24x5-one-day",
        "end-before-start",
        "bad-time",
        "type-not-text",
        "bad-zone",
    ],  # fmt: skip
)
def test_create_errors_change_nothing(api, no_hours, hours, expected):
    before = copy.deepcopy(no_hours.info)
    resp = api.post(BH, json={"business_hours": hours})
    assert resp.status_code == 400
    assert resp.json == expected
    assert no_hours.info == before


# --- business hours: update --------------------------------------------------------------


def test_update_merges_and_delete_removes_a_custom_day(api, org):
    body = {
        "business_hours": {
            "same_as_everyday": False,
            "custom_timing": [
                {"days": "Monday", "business_timing": ["10:00", "17:00"]},
                {"days": "Friday", "business_timing": ["11:30", "18:30"]},
            ],
        }
    }
    resp = api.put(BH, json=body)
    assert resp.status_code == 200 and resp.json == saved(SEED_BH_ID)
    remove = {"business_hours": {"custom_timing": [{"days": "Friday", "_delete": True}]}}
    assert api.put(BH, json=remove).json == saved(SEED_BH_ID)
    got = api.get(BH).json["business_hours"]
    assert got == {
        **ZYLKER_HOURS,
        "same_as_everyday": False,
        "custom_timing": [{"days": "Monday", "business_timing": ["10:00", "17:00"]}],
    }
    assert org.info["business_hours"] == got  # where calendar.py reads it, in its shape


def test_update_type_to_24_by_5_keeps_the_five_days(api):
    assert api.put(BH, json={"business_hours": {"type": "24_by_5"}}).status_code == 200
    assert api.get(BH).json["business_hours"] == {**ZYLKER_HOURS, "type": "24_by_5"}


def test_update_without_business_hours_is_not_allowed(api, no_hours):
    resp = api.put(BH, json={"business_hours": {"type": "24_by_7"}})
    assert resp.status_code == 400
    assert resp.json == {"business_hours": top_error("NOT_ALLOWED", "Cannot update business hours")}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {},
            top_error(
                "MANDATORY_NOT_FOUND",
                "required field not found",
                {"api_name": "business_hours", "json_path": "$.business_hours"},
            ),
        ),
        (
            {"business_hours": None},
            bh_error(
                "INVALID_DATA",
                "Invalid data type",
                "business_hours",
                "$.business_hours",
                expected_data_type="jsonobject",
            ),
        ),
        (
            {"business_hours": {"same_as_everyday": "yes"}},
            bh_error(
                "INVALID_DATA",
                "Invalid data type",
                "same_as_everyday",
                "$.business_hours.same_as_everyday",
                expected_data_type="boolean",
            ),
        ),
        (
            {"business_hours": {"business_days": ["Monday", "Monday"]}},
            bh_error(
                "INVALID_DATA", "invalid data", "business_days", "$.business_hours.business_days[1]"
            ),
        ),
        (
            {"business_hours": {"custom_timing": [{"days": "Funday", "business_timing": []}]}},
            bh_error(
                "INVALID_DATA",
                "invalid data",
                "days",
                "$.business_hours.custom_timing[0].days",
                supported_values=[
                    "Monday",
                    "Tuesday",
                    "Wednesday",
                    "Thursday",
                    "Friday",
                    "Saturday",
                    "Sunday",
                ],
            ),  # fmt: skip
        ),
        (
            {"business_hours": {"custom_timing": [{"days": "Monday"}]}},
            bh_error(
                "MANDATORY_NOT_FOUND",
                "required field not found",
                "business_timing",
                "$.business_hours.custom_timing[0].business_timing",
            ),
        ),
        (
            {"business_hours": {"same_as_everyday": False, "custom_timing": []}},
            bh_error(
                "MANDATORY_NOT_FOUND",
                "required field not found",
                "custom_timing",
                "$.business_hours.custom_timing",
            ),
        ),
        (
            {"business_hours": {"type": "24_by_7", "business_days": ["Monday"]}},
            bh_error(
                "INVALID_DATA", "invalid data", "business_days", "$.business_hours.business_days"
            ),
        ),
    ],
    ids=[
        "no-key",
        "null",
        "bool-as-text",
        "repeated-day",
        "bad-day",
        "no-timing",
        "custom-without-days",
        "24x7-one-day",
    ],  # fmt: skip
)
def test_update_errors_change_nothing(api, org, body, expected):
    before = copy.deepcopy(org.info)
    resp = api.put(BH, json=body)
    assert resp.status_code == 400
    assert resp.json == expected
    assert org.info == before


# --- holidays: read ----------------------------------------------------------------------


def test_list_holidays_filters_and_pages(api, org):
    resp = api.get(HOLIDAYS, query_string={"year": "2026", "type": "business_holiday"})
    assert resp.status_code == 200
    assert [h["date"] for h in resp.json["holidays"]] == ["2026-01-01", "2026-01-26", "2026-03-04"]
    assert resp.json["holidays"][0] == {
        "name": "New Year",
        "date": "2026-01-01",
        "type": "business_holiday",
        "shift_hour": None,
        "id": NEW_YEAR_2026,
        "year": 2026,
    }
    assert resp.json["info"] == {"per_page": 200, "count": 3, "page": 1, "more_records": False}
    page = api.get(HOLIDAYS, query_string={"per_page": "5", "page": "2"}).json
    assert page["info"] == {"per_page": 5, "count": 5, "page": 2, "more_records": True}
    assert len(api.get(HOLIDAYS).json["holidays"]) == len(org.info["holidays"])


@pytest.mark.parametrize(
    "query", [{"year": "2031"}, {"type": "shift_holiday"}, {"shift_id": SHIFT["id"]}]
)
def test_no_matching_holiday_is_204(api, query):
    resp = api.get(HOLIDAYS, query_string=query)
    assert resp.status_code == 204 and resp.data == b""


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("type", "public_holiday"),
        ("type", ""),
        ("year", "20x6"),
        ("year", "²⁰²⁶"),
        ("year", "99999999999999999999"),
        ("shift_id", "abc"),
    ],  # fmt: skip
)
def test_bad_list_parameters_are_pattern_not_matched(api, param, value):
    resp = api.get(HOLIDAYS, query_string={param: value})
    assert resp.status_code == 400
    assert resp.json == top_error(
        "PATTERN_NOT_MATCHED",
        "Please check whether the input values are correct",
        {"param_name": param},
    )


def test_get_one_holiday_and_an_unknown_one(api):
    resp = api.get(f"{HOLIDAYS}/{NEW_YEAR_2026}")
    assert resp.status_code == 200
    assert [h["id"] for h in resp.json["holidays"]] == [NEW_YEAR_2026]
    assert resp.json["info"] == {"per_page": 200, "count": 1, "page": 1, "more_records": False}
    assert api.get(f"{HOLIDAYS}/4876876000099999999").status_code == 204
    assert api.get(f"{HOLIDAYS}/not-an-id").status_code == 204


# --- holidays: create --------------------------------------------------------------------


def test_create_holidays(api, org):
    resp = api.post(HOLIDAYS, json={"holidays": [holiday(), holiday("Summer Break", "2025-12-26")]})
    assert resp.status_code == 201
    ids = [r["details"]["id"] for r in resp.json["holidays"]]
    assert all(is_id(i) for i in ids) and len(set(ids)) == 2
    assert resp.json == {"holidays": [success(i, "Holiday created successfully") for i in ids]}
    stored = {h["id"]: h for h in org.info["holidays"]}
    assert stored[ids[0]] == {
        "name": "Founders Day",
        "date": "2026-02-02",
        "type": "business_holiday",
        "shift_hour": None,
        "id": ids[0],
        "year": 2026,
    }
    assert stored[ids[1]]["year"] == 2025
    assert api.get(f"{HOLIDAYS}/{ids[0]}").json["holidays"] == [stored[ids[0]]]


def test_shift_holidays_need_a_known_shift(api, org):
    org.info["shift_hours"] = [SHIFT]
    sent = holiday(type="shift_holiday", shift_hour={"id": SHIFT["id"], "name": None})
    resp = api.post(HOLIDAYS, json={"holidays": [sent]})
    assert resp.status_code == 201
    listed = api.get(HOLIDAYS, query_string={"shift_id": SHIFT["id"]}).json["holidays"]
    assert [(h["name"], h["type"], h["shift_hour"]) for h in listed] == [
        ("Founders Day", "shift_holiday", SHIFT)
    ]
    unknown = holiday("Other", type="shift_holiday", shift_hour={"id": "123", "name": "x"})
    resp = api.post(HOLIDAYS, json={"holidays": [unknown]})
    assert resp.status_code == 400
    assert resp.json == {
        "holidays": [
            top_error(
                "INVALID_DATA",
                "Invalid shift id",
                {"api_name": "id", "json_path": "$.holidays[0].shift_hour.id"},
            )
        ]
    }


SPECIAL = "Holiday Name should not contain special characters:#, %, ^, &, *"
RANGE = "Date Should be between current and next financial year"
MISSING = "required field not found"
WHOLE = {"api_name": "holidays", "json_path": "$.holidays"}


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"date": "2026-02-02", "type": "business_holiday"},
         item_error("MANDATORY_NOT_FOUND", "required field not found", "name")),
        ({"name": "X", "type": "business_holiday"},
         item_error("MANDATORY_NOT_FOUND", "required field not found", "date")),
        ({"name": "X", "date": "2026-02-02"},
         item_error("MANDATORY_NOT_FOUND", "required field not found", "type")),
        (holiday(name=None), item_error("MANDATORY_NOT_FOUND", MISSING, "name")),
        (holiday(name="   "), item_error("MANDATORY_NOT_FOUND", MISSING, "name")),
        (holiday(name="x" * 81), item_error("INVALID_DATA", "invalid data", "name",
                                           maximum_length=80)),
        (holiday(name="Q&A day"), item_error("INVALID_DATA", SPECIAL, "name")),
        (holiday(type="public_holiday"), item_error(
            "INVALID_DATA", "Invalid type", "type",
            supported_values=["business_holiday", "shift_holiday"])),
        (holiday(day="02-02-2026"), item_error("INVALID_DATA", "invalid data", "date",
                                              expected_data_type="date")),
        (holiday(day="2026-02-30"), item_error("INVALID_DATA", "invalid data", "date",
                                              expected_data_type="date")),
        (holiday(day="2024-12-31"), item_error("INVALID_DATA", RANGE, "date")),
        (holiday(day="2027-01-01"), item_error("INVALID_DATA", RANGE, "date")),
        (holiday(type="shift_holiday"), top_error(
            "DEPENDENT_FIELD_MISSING", "Shift id is required for shift holidays",
            {"dependee": {"api_name": "type", "json_path": "$.holidays[0].type"},
             "api_name": "shift_hour", "json_path": "$.holidays[0].shift_hour"})),
        (holiday(name="New Year", day="2026-06-01"),
         item_error("DUPLICATE_DATA", "duplicate data", "name")),
        (holiday(date=20260202), item_error("INVALID_DATA", "Invalid data type", "date",
                                            expected_data_type="text")),
        ("holiday", top_error("INVALID_DATA", "Invalid data type", {
            "api_name": "holidays", "expected_data_type": "jsonobject",
            "json_path": "$.holidays[0]"})),
    ],
    ids=["no-name", "no-date", "no-type", "null-name", "blank-name", "long-name", "special",
         "bad-type", "date-format", "no-such-date", "last-year", "in-two-years", "no-shift",
         "duplicate", "date-not-text", "item-not-object"],
)  # fmt: skip
def test_create_item_errors_change_nothing(api, org, item, expected):
    before = copy.deepcopy(org.info)
    resp = api.post(HOLIDAYS, json={"holidays": [item]})
    assert resp.status_code == 400
    assert resp.json == {"holidays": [expected]}
    assert org.info == before


def test_mixed_create_is_207_and_checks_items_against_each_other(api, org):
    count = len(org.info["holidays"])
    items = [holiday(), holiday("founders day", "2026-03-03"), holiday("New Year", "2025-06-01")]
    resp = api.post(HOLIDAYS, json={"holidays": items})
    assert resp.status_code == 207
    first, dup, same_name_other_year = resp.json["holidays"]
    assert first["code"] == "SUCCESS" and same_name_other_year["code"] == "SUCCESS"
    assert dup == item_error("DUPLICATE_DATA", "duplicate data", "name", 1)
    assert len(org.info["holidays"]) == count + 2


def test_fifty_two_holidays_a_year(api, org):
    have = len([h for h in org.info["holidays"] if h["year"] == 2026])
    start = date(2026, 6, 1)
    items = [holiday(f"Day {n}", str(start + timedelta(days=n))) for n in range(52 - have)]
    assert api.post(HOLIDAYS, json={"holidays": items}).status_code == 201
    resp = api.post(HOLIDAYS, json={"holidays": [holiday("One more", "2026-09-01"),
                                                 holiday("Next year", "2025-09-01")]})  # fmt: skip
    assert resp.status_code == 207
    assert resp.json["holidays"][0] == top_error(
        "LIMIT_EXCEEDED",
        "Holidays limit exceeds",
        {"limit": 52, "limit_due_to": [{"api_name": "type", "json_path": "$.holidays[0].type"}]},
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, top_error("MANDATORY_NOT_FOUND", "required field not found",
                       {"api_name": "holidays", "json_path": "$.holidays"})),
        ({"holidays": []}, top_error("INVALID_DATA", "invalid data",
                                     {"api_name": "holidays", "json_path": "$.holidays"})),
        ({"holidays": {"name": "x"}}, top_error("INVALID_DATA", "invalid data", WHOLE)),
        ({"holidays": [holiday(f"D{n}") for n in range(101)]}, top_error(
            "LIMIT_EXCEEDED", "limit exceeded",
            {"api_name": "holidays", "json_path": "$.holidays", "limit": 100})),
        ([1, 2], top_error("MANDATORY_NOT_FOUND", "required field not found",
                           {"api_name": "holidays", "json_path": "$.holidays"})),
    ],
    ids=["no-key", "empty", "object", "over-100", "array-body"],
)  # fmt: skip
def test_request_level_errors(api, org, body, expected):
    before = copy.deepcopy(org.info)
    resp = api.post(HOLIDAYS, json=body)
    assert resp.status_code == 400 and resp.json == expected
    assert org.info == before


# --- holidays: update and delete ---------------------------------------------------------


def _created(api, *items: dict) -> list[str]:
    resp = api.post(HOLIDAYS, json={"holidays": list(items)})
    assert resp.status_code == 201, resp.json
    return [r["details"]["id"] for r in resp.json["holidays"]]


def test_update_one_holiday(api, org):
    (hid,) = _created(api, holiday())
    resp = api.put(f"{HOLIDAYS}/{hid}", json={"holidays": [{"date": "2026-02-03"}]})
    assert resp.status_code == 200
    assert resp.json == {"holidays": [success(hid, "Holidays updated successfully")]}
    got = api.get(f"{HOLIDAYS}/{hid}").json["holidays"][0]
    assert (got["name"], got["date"], got["year"]) == ("Founders Day", "2026-02-03", 2026)


def test_renaming_an_old_holiday_does_not_check_its_date(api, org):
    """2025-01-26 is before the current financial year range only if the date is sent."""
    old = next(h for h in org.info["holidays"] if h["date"] == "2025-01-26")
    resp = api.put(f"{HOLIDAYS}/{old['id']}", json={"holidays": [{"name": "Republic"}]})
    assert resp.status_code == 200
    resp = api.put(f"{HOLIDAYS}/{old['id']}", json={"holidays": [{"date": "2024-01-26"}]})
    assert resp.status_code == 400
    assert resp.json == {"holidays": [item_error("INVALID_DATA", RANGE, "date")]}


def test_bulk_update_mixed(api, org):
    a, b = _created(api, holiday(), holiday("Second", "2026-02-09"))
    before_b = next(h for h in org.info["holidays"] if h["id"] == b)
    body = {
        "holidays": [
            {"id": a, "name": "Renamed"},
            {"id": b, "name": "New Year"},  # 2026 already has one
            {"id": "4876876000099999999", "name": "x"},
            {"name": "no id"},
        ]
    }
    resp = api.put(HOLIDAYS, json=body)
    assert resp.status_code == 207
    assert resp.json == {
        "holidays": [
            success(a, "Holidays updated successfully"),
            item_error("DUPLICATE_DATA", "duplicate data", "name", 1),
            item_error("INVALID_DATA", "Invalid holiday id", "id", 2, expected_data_type="long"),
            item_error("MANDATORY_NOT_FOUND", "required field not found", "id", 3),
        ]
    }
    names = {h["id"]: h["name"] for h in org.info["holidays"]}
    assert (
        names[a] == "Renamed" and next(h for h in org.info["holidays"] if h["id"] == b) == before_b
    )


def test_bulk_update_takes_the_id_as_a_number_as_zohos_sdk_sends_it(api, org):
    (hid,) = _created(api, holiday())
    resp = api.put(HOLIDAYS, json={"holidays": [{"id": int(hid), "name": "Renamed"}]})
    assert resp.status_code == 200, resp.json
    assert resp.json == {"holidays": [success(hid, "Holidays updated successfully")]}
    assert next(h for h in org.info["holidays"] if h["id"] == hid)["name"] == "Renamed"


def test_update_to_a_shift_holiday_needs_the_shift(api, org):
    (hid,) = _created(api, holiday())
    resp = api.put(f"{HOLIDAYS}/{hid}", json={"holidays": [{"type": "shift_holiday"}]})
    assert resp.status_code == 400
    assert resp.json["holidays"][0]["code"] == "DEPENDENT_FIELD_MISSING"


def test_unknown_id_in_the_url(api, org):
    before = copy.deepcopy(org.info)
    invalid = top_error("INVALID_DATA", "Invalid ID", {"resource_path_index": 2})
    for method in ("PUT", "DELETE"):
        resp = api.call(method, f"{HOLIDAYS}/4876876000099999999", json={"holidays": [{}]})
        assert resp.status_code == 400 and resp.json == invalid
    assert org.info == before


def test_delete_holiday(api, org):
    (hid,) = _created(api, holiday())
    resp = api.delete(f"{HOLIDAYS}/{hid}")
    assert resp.status_code == 200
    assert resp.json == {"holidays": [success(hid, "Holidays deleted successfully")]}
    assert hid not in {h["id"] for h in org.info["holidays"]}
    assert api.get(f"{HOLIDAYS}/{hid}").status_code == 204


# --- wrong methods, odd bodies, state export/import ----------------------------------------


def test_wrong_methods(api):
    wrong = top_error("INVALID_REQUEST_METHOD", "The http request method type is not a valid one")
    for method, path in [("DELETE", BH), ("PATCH", BH), ("DELETE", HOLIDAYS),
                         ("POST", f"{HOLIDAYS}/{NEW_YEAR_2026}")]:  # fmt: skip
        resp = api.call(method, path)
        assert (resp.status_code, resp.json) == (400, wrong)


ODD_VALUES = [None, True, 0, -1, 10**30, 1.5, "", "x" * 10_000, [], {}, [None], {"a": None}]


@pytest.mark.parametrize("value", ODD_VALUES, ids=lambda v: repr(v)[:12])
def test_odd_values_are_zoho_errors_never_500(api, org, value):
    before = copy.deepcopy(org.info)
    (hid,) = [NEW_YEAR_2026]
    calls = []
    for key in ("week_starts_on", "type", "business_days", "same_as_everyday", "daily_timing",
                "custom_timing", "timezone"):  # fmt: skip
        calls.append(("PUT", BH, {"business_hours": {key: value}}))
        calls.append(("POST", BH, {"business_hours": {key: value}}))
    timing = {"days": "Monday", "business_timing": value}
    calls.append(("PUT", BH, {"business_hours": {"custom_timing": [timing]}}))
    for key in ("name", "date", "type", "shift_hour", "id"):
        calls.append(("POST", HOLIDAYS, {"holidays": [holiday(**{key: value})]}))
        calls.append(("PUT", HOLIDAYS, {"holidays": [{"id": hid, key: value}]}))
        calls.append(("PUT", f"{HOLIDAYS}/{hid}", {"holidays": [{key: value}]}))
    calls.append(("POST", HOLIDAYS, {"holidays": value}))
    calls.append(("POST", HOLIDAYS, value))
    for method, path, body in calls:
        resp = api.call(method, path, json=body)
        assert resp.status_code < 500, (method, path, body, resp.json)
        if resp.status_code >= 400:
            assert resp.json, (method, path, body)
    # Only a value that is valid in one of the spots may have changed anything: the seed's
    # business hours and holidays survive every refused write.
    assert org.info["holidays"][:3] == before["holidays"][:3]


def test_state_export_and_import_keep_what_the_apis_stored(api, org):
    (hid,) = _created(api, holiday())
    assert api.put(BH, json={"business_hours": {"type": "24_by_5"}}).status_code == 200
    state = api.get("/__admin/orgs/default/state").json
    assert api.delete(f"{HOLIDAYS}/{hid}").status_code == 200
    resp = api.put("/__admin/orgs/default/state", json=state)
    assert resp.status_code == 200, resp.json
    assert api.get(f"{HOLIDAYS}/{hid}").json["holidays"][0]["name"] == "Founders Day"
    assert api.get(BH).json["business_hours"]["type"] == "24_by_5"


def test_reads_tolerate_an_imported_odd_state(api, org):
    org.info["holidays"] = [None, 3, {"id": "1", "name": 5, "date": None}, {"no": "id"}]
    org.info["business_hours"] = {"type": ["x"], "custom_timing": [None, {"days": 7}]}
    assert api.get(HOLIDAYS).json["holidays"] == [{"id": "1", "name": 5, "date": None}]
    assert api.get(BH).status_code == 200
    resp = api.put(HOLIDAYS, json={"holidays": [{"id": "1", "date": "2026-02-02"}]})
    assert resp.status_code == 400 and resp.json["holidays"][0]["details"]["api_name"] == "name"
    assert (
        api.put(BH, json={"business_hours": {"daily_timing": ["09:00", "17:00"]}}).status_code
        == 200
    )


# --- scopes ------------------------------------------------------------------------------

SCOPED = [
    ("GET", BH, "READ"),
    ("POST", BH, "CREATE"),
    ("PUT", BH, "UPDATE"),
    ("GET", HOLIDAYS, "READ"),
    ("POST", HOLIDAYS, "CREATE"),
    ("PUT", HOLIDAYS, "UPDATE"),
    ("GET", f"{HOLIDAYS}/{NEW_YEAR_2026}", "READ"),
    ("PUT", f"{HOLIDAYS}/{NEW_YEAR_2026}", "UPDATE"),
    ("DELETE", f"{HOLIDAYS}/{NEW_YEAR_2026}", "DELETE"),
]


@pytest.mark.parametrize(("method", "path", "op"), SCOPED, ids=lambda v: str(v))
def test_scopes(api, store, org, method, path, op):
    other_ops = {o for o in ("READ", "CREATE", "UPDATE", "DELETE") if o != op}
    grants = {
        "exact": ({f"ZohoCRM.settings.business_hours.{op}"}, True),
        "all": ({"ZohoCRM.settings.business_hours.ALL"}, True),
        "settings": ({"ZohoCRM.settings.ALL"}, True),
        "other-ops": ({f"ZohoCRM.settings.business_hours.{o}" for o in other_ops}, False),
        "other-settings": ({"ZohoCRM.settings.tags.ALL", "ZohoCRM.modules.ALL"}, False),
    }
    for name, (scopes, ok) in grants.items():
        before = copy.deepcopy(org.info)
        store.tokens[name] = Token(name, org.id, frozenset(scopes))
        resp = api.client.open(
            path, method=method, json={}, headers={"Authorization": f"Zoho-oauthtoken {name}"}
        )
        if ok:
            assert resp.status_code != 401, (name, resp.json)
        else:
            assert resp.status_code == 401, name
            assert resp.json == top_error(
                "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL"
            )
            assert org.info == before
