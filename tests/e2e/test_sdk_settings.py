"""Zoho's official Python SDK (zohocrmsdk8-0) against a live mockcrm, for business hours and
holidays (layouts, pipelines, tags, users and the org: test_sdk_metadata.py).

Each test asserts the typed objects the SDK builds (classes, ids, names, counts), so a response
the SDK reads differently from mockcrm's intent fails here, not only one that makes it raise.
The live server lives for the whole session (tests/e2e/conftest.py): every write below is undone
before its test ends, so the other SDK tests see the seed as it was.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sdk_helpers import choice, param_map, success

# The module-scoped SDK initialisation of test_sdk.py (tests/e2e is on sys.path: pytest's
# default import mode puts a test file's folder there), used by every test through pytestmark.
from test_sdk import sdk  # noqa: F401
from zohocrmsdk.src.com.zoho.crm.api import business_hours as sdk_bh
from zohocrmsdk.src.com.zoho.crm.api import holidays as sdk_holidays
from zohocrmsdk.src.com.zoho.crm.api.util import Choice

pytestmark = pytest.mark.usefixtures("sdk")

# Seed ids (seed_data/zylker): the org's business hours and holidays.
BUSINESS_HOURS = 4876876000000438001
WORK_WEEK = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
NEW_YEAR_2026 = 4876876000000441037
# Ids the seed never hands out (unknown to every API below).
UNKNOWN_ID = 4876876000099999999

HOLIDAYS_2025 = [
    ("Republic Day", datetime.date(2025, 1, 26)),
    ("Holi", datetime.date(2025, 3, 14)),
    ("Good Friday", datetime.date(2025, 4, 18)),
    ("May Day", datetime.date(2025, 5, 1)),
    ("Independence Day", datetime.date(2025, 8, 15)),
    ("Ganesh Chaturthi", datetime.date(2025, 8, 27)),
    ("Gandhi Jayanti", datetime.date(2025, 10, 2)),
    ("Diwali", datetime.date(2025, 10, 20)),
    ("Christmas", datetime.date(2025, 12, 25)),
]


# --- business hours ----------------------------------------------------------------------


def business_hours(**values: Any) -> sdk_bh.BodyWrapper:
    hours = sdk_bh.BusinessHours()
    for name, value in values.items():
        getattr(hours, f"set_{name}")(value)
    body = sdk_bh.BodyWrapper()
    body.set_business_hours(hours)
    return body


def test_business_hours_are_typed() -> None:
    resp = sdk_bh.BusinessHoursOperations().get_business_hours()
    assert resp.get_status_code() == 200
    wrapper = resp.get_object()
    # An object under `business_hours`, not a one-item array: the SDK reads it as one.
    assert isinstance(wrapper, sdk_bh.ResponseWrapper)
    hours = wrapper.get_business_hours()
    assert isinstance(hours, sdk_bh.BusinessHours)
    assert hours.get_id() == BUSINESS_HOURS
    assert choice(hours.get_type()) == "custom"
    assert choice(hours.get_week_starts_on()) == "Monday"
    assert hours.get_business_days() == WORK_WEEK
    assert hours.get_same_as_everyday() is True
    assert hours.get_daily_timing() == ["09:00", "18:00"]
    assert hours.get_custom_timing() == []
    assert hours.get_timezone() == "Asia/Kolkata"


@pytest.fixture
def restore_business_hours() -> Iterator[None]:
    """Puts back the seed's business hours: the engine's business-day arithmetic reads them."""
    yield
    seed = business_hours(week_starts_on=Choice("Monday"), daily_timing=["09:00", "18:00"])
    assert sdk_bh.BusinessHoursOperations().update_business_hours(seed).get_status_code() == 200


@pytest.mark.usefixtures("restore_business_hours")
def test_business_hours_update_round_trip_and_single_create() -> None:
    ops = sdk_bh.BusinessHoursOperations()
    change = business_hours(week_starts_on=Choice("Sunday"), daily_timing=["10:00", "19:00"])
    item = success(ops.update_business_hours(change), 200, sdk_bh.ActionWrapper, "business_hours")
    assert isinstance(item, sdk_bh.SuccessResponse)
    assert choice(item.get_code()) == "SUCCESS"
    assert choice(item.get_message()) == "Business Hours saved successfully"
    assert int(item.get_details()["id"]) == BUSINESS_HOURS

    stored = ops.get_business_hours().get_object().get_business_hours()
    assert choice(stored.get_week_starts_on()) == "Sunday"
    assert stored.get_daily_timing() == ["10:00", "19:00"]
    # What the update did not send is kept.
    assert choice(stored.get_type()) == "custom" and stored.get_business_days() == WORK_WEEK
    assert stored.get_id() == BUSINESS_HOURS

    # An org has one business hours object: a create is refused, in the object envelope.
    again = ops.create_business_hours(
        business_hours(week_starts_on=Choice("Monday"), type=Choice("24_by_7"))
    )
    assert again.get_status_code() == 400
    error = again.get_object()
    assert isinstance(error, sdk_bh.APIException)
    assert choice(error.get_code()) == "NOT_ALLOWED"
    assert choice(error.get_message()) == "Organization can have only one Business Hour"


# --- holidays ----------------------------------------------------------------------------


def test_holidays_list_by_year_and_type() -> None:
    ops = sdk_holidays.HolidaysOperations()
    params = param_map(sdk_holidays.GetHolidaysParam, year=2025, type=Choice("business_holiday"))
    resp = ops.get_holidays(params)
    assert resp.get_status_code() == 200
    wrapper = resp.get_object()
    assert isinstance(wrapper, sdk_holidays.ResponseWrapper)
    holidays = wrapper.get_holidays()
    assert all(isinstance(h, sdk_holidays.Holiday) for h in holidays)
    assert [(h.get_name(), h.get_date()) for h in holidays] == HOLIDAYS_2025
    assert {(h.get_year(), h.get_type(), h.get_shift_hour()) for h in holidays} == {
        (2025, "business_holiday", None)
    }
    assert holidays[0].get_id() == 4876876000000441001
    info = wrapper.get_info()
    assert isinstance(info, sdk_holidays.Info)
    assert (info.get_count(), info.get_more_records(), info.get_page()) == (9, False, 1)

    next_year = ops.get_holidays(param_map(sdk_holidays.GetHolidaysParam, year=2026))
    names = [h.get_name() for h in next_year.get_object().get_holidays()]
    assert names == ["New Year", "Republic Day", "Holi"]
    # The seed has no shift holidays: none is Zoho's 204, which the SDK answers with no object.
    shifts = ops.get_holidays(
        param_map(sdk_holidays.GetHolidaysParam, type=Choice("shift_holiday"))
    )
    assert shifts.get_status_code() == 204 and shifts.get_object() is None


def test_holiday_by_id() -> None:
    ops = sdk_holidays.HolidaysOperations()
    resp = ops.get_holiday(NEW_YEAR_2026)
    assert resp.get_status_code() == 200
    (holiday,) = resp.get_object().get_holidays()
    assert isinstance(holiday, sdk_holidays.Holiday)
    assert holiday.get_id() == NEW_YEAR_2026 and holiday.get_name() == "New Year"
    assert holiday.get_date() == datetime.date(2026, 1, 1) and holiday.get_year() == 2026
    missing = ops.get_holiday(UNKNOWN_ID)
    assert missing.get_status_code() == 204 and missing.get_object() is None


def holiday_changes(*changes: sdk_holidays.Holiday) -> sdk_holidays.Holidays:
    body = sdk_holidays.Holidays()
    body.set_holidays(list(changes))
    return body


def test_holiday_create_update_delete() -> None:
    ops = sdk_holidays.HolidaysOperations()
    # A date must lie in the current or next year of the org's clock (the live server runs on
    # wall time, in the org's zone): next year's, so no seed holiday shares its list.
    year = datetime.datetime.now(ZoneInfo("Asia/Kolkata")).year + 1
    new = sdk_holidays.BusinessHoliday()
    new.set_name("SDK Offsite")
    new.set_date(datetime.date(year, 6, 15))
    new.set_type("business_holiday")
    body = sdk_holidays.CreateBusinessHoliday()
    body.set_holidays([new])
    created = success(ops.create_holidays(body), 201, sdk_holidays.ActionWrapper, "holidays")
    assert isinstance(created, sdk_holidays.SuccessResponse)
    assert choice(created.get_message()) == "Holiday created successfully"
    holiday_id = int(created.get_details()["id"])
    try:
        (stored,) = ops.get_holiday(holiday_id).get_object().get_holidays()
        assert (stored.get_name(), stored.get_date()) == ("SDK Offsite", datetime.date(year, 6, 15))
        assert (stored.get_year(), stored.get_type()) == (year, "business_holiday")
        listed = ops.get_holidays(param_map(sdk_holidays.GetHolidaysParam, year=year))
        assert holiday_id in [h.get_id() for h in listed.get_object().get_holidays()]

        # PUT /holidays/{id}: the id in the URL; what the item omits (type) is kept.
        one = sdk_holidays.Holiday()
        one.set_name("SDK Retreat")
        one.set_date(datetime.date(year, 6, 16))
        updated = ops.update_holiday(holiday_id, holiday_changes(one))
        item = success(updated, 200, sdk_holidays.ActionWrapper, "holidays")
        assert isinstance(item, sdk_holidays.SuccessResponse)
        assert choice(item.get_message()) == "Holidays updated successfully"
        assert int(item.get_details()["id"]) == holiday_id

        # Bulk PUT: the SDK sends the item's id as a JSON number (Holiday.id is a Long).
        bulk = sdk_holidays.Holiday()
        bulk.set_id(holiday_id)
        bulk.set_name("SDK Summit")
        item = success(
            ops.update_holidays(holiday_changes(bulk)), 200, sdk_holidays.ActionWrapper, "holidays"
        )
        assert isinstance(item, sdk_holidays.SuccessResponse), vars(item)
        (stored,) = ops.get_holiday(holiday_id).get_object().get_holidays()
        assert (stored.get_name(), stored.get_date()) == ("SDK Summit", datetime.date(year, 6, 16))
        assert stored.get_type() == "business_holiday"

        deleted = success(
            ops.delete_holiday(holiday_id), 200, sdk_holidays.ActionWrapper, "holidays"
        )
        assert isinstance(deleted, sdk_holidays.SuccessResponse)
        assert choice(deleted.get_message()) == "Holidays deleted successfully"
        assert ops.get_holiday(holiday_id).get_status_code() == 204
        again = ops.delete_holiday(holiday_id)
        assert again.get_status_code() == 400
        error = again.get_object()
        assert isinstance(error, sdk_holidays.APIException)
        assert (choice(error.get_code()), choice(error.get_message())) == (
            "INVALID_DATA",
            "Invalid ID",
        )
    finally:
        if ops.get_holiday(holiday_id).get_status_code() == 200:
            ops.delete_holiday(holiday_id)
