"""Business days / hours arithmetic (mockcrm/crm/calendar.py) on the Zylker seed: Monday-Friday
09:00-18:00 Asia/Kolkata with the seeded 2025 / early-2026 holidays, plus variant business hours."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mockcrm.crm.calendar import (
    add_business_days,
    add_business_hours,
    add_period,
    business_date_after,
    is_business_day,
)
from mockcrm.crm.org import Org


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def variant(org: Org, **business_hours) -> Org:
    """A copy of the org with other business hours (None = no business hours configured)."""
    other = org.copy()
    other.info["business_hours"] = business_hours or None
    return other


# Zoho's v7 sample of custom per-day hours: Monday-Thursday, each day its own timing.
CUSTOM = {
    "type": "custom",
    "business_days": ["Monday", "Tuesday", "Wednesday", "Thursday"],
    "same_as_everyday": False,
    "daily_timing": None,
    "custom_timing": [
        {"days": "Monday", "business_timing": ["10:00", "17:00"]},
        {"days": "Thursday", "business_timing": ["09:00", "18:30"]},
        {"days": "Wednesday", "business_timing": ["11:00", "17:00"]},
        {"days": "Tuesday", "business_timing": ["10:30", "17:00"]},
    ],
}


# --- business days -----------------------------------------------------------------------------


def test_business_days_are_weekdays_minus_every_seeded_holiday(org):
    holidays = org.info["holidays"]
    assert {h["date"] for h in holidays} >= {"2025-10-20", "2025-12-25", "2026-01-01", "2026-03-04"}
    for holiday in holidays:
        assert not is_business_day(org, date.fromisoformat(holiday["date"])), holiday["name"]
    assert is_business_day(org, date(2025, 12, 26))  # the Friday after Christmas
    assert is_business_day(org, date(2025, 12, 1))
    assert not is_business_day(org, date(2025, 12, 6))  # Saturday
    assert not is_business_day(org, date(2025, 12, 7))  # Sunday


def test_shift_holidays_do_not_close_the_org(org):
    other = org.copy()
    other.info["holidays"].append({"name": "Shift day", "date": "2025-12-10",
                                   "type": "shift_holiday", "shift_hour": {"id": "1"}})  # fmt: skip
    assert is_business_day(other, date(2025, 12, 10))


def test_kaizen_30_business_days_after_the_deal_was_lost(org):
    # The Kaizen rule's task runs 30 business days after 2025-12-01 11:09:10 IST (a Monday, within
    # 09:00-18:00, so the time of day is kept). Counting business days from Dec 2: Dec 2-5 (4),
    # Dec 8-12 (9), Dec 15-19 (14), Dec 22-24 + 26 (18, Christmas skipped), Dec 29-31 (21),
    # Jan 2 (22, New Year skipped), Jan 5-9 (27), Jan 12, 13, 14 (30).
    lost = datetime(2025, 12, 1, 5, 39, 10, tzinfo=UTC)
    assert add_period(org, lost, "business_days", 30) == at("2026-01-14T11:09:10+05:30")
    assert add_period(org, lost, "business_days", 29) == at("2026-01-13T11:09:10+05:30")
    result = add_business_days(org, lost, 30)
    assert result.isoformat() == "2026-01-14T11:09:10+05:30"  # in the org's zone


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2025-12-05T10:00:00+05:30", 1, "2025-12-08T10:00:00+05:30"),  # Friday -> Monday
        ("2025-12-05T10:00:00+05:30", 6, "2025-12-15T10:00:00+05:30"),
        ("2025-12-24T15:00:00+05:30", 1, "2025-12-26T15:00:00+05:30"),  # Christmas
        ("2025-12-31T15:00:00+05:30", 1, "2026-01-02T15:00:00+05:30"),  # New Year
        ("2025-10-17T12:00:00+05:30", 1, "2025-10-21T12:00:00+05:30"),  # weekend + Diwali
        ("2025-04-17T12:00:00+05:30", 1, "2025-04-21T12:00:00+05:30"),  # Good Friday
        ("2026-03-03T12:00:00+05:30", 1, "2026-03-05T12:00:00+05:30"),  # Holi 2026
        ("2025-08-14T12:00:00+05:30", 1, "2025-08-18T12:00:00+05:30"),  # Independence Day
    ],
)
def test_business_days_skip_weekends_and_holidays(org, start, days, expected):
    assert add_business_days(org, at(start), days) == at(expected)
    assert add_period(org, at(start), "b_days", days) == at(expected)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Zoho's "Business Day Logic Update": a Saturday trigger runs +0 on Monday, +1 on Tuesday,
        # +2 on Wednesday - at the opening, as the day rolls to the next business period first.
        ("2026-03-07T10:30:00+05:30", 0, "2026-03-09T09:00:00+05:30"),
        ("2026-03-07T10:30:00+05:30", 1, "2026-03-10T09:00:00+05:30"),
        ("2026-03-07T10:30:00+05:30", 2, "2026-03-11T09:00:00+05:30"),
        ("2025-12-08T11:00:00+05:30", 0, "2025-12-08T11:00:00+05:30"),  # within hours: at once
        ("2025-12-08T18:00:00+05:30", 0, "2025-12-09T09:00:00+05:30"),  # closing = next opening
        ("2025-12-08T19:00:00+05:30", 1, "2025-12-10T09:00:00+05:30"),  # after hours
        ("2025-12-08T07:00:00+05:30", 1, "2025-12-09T09:00:00+05:30"),  # before hours
        ("2025-12-08T07:00:00+05:30", 0, "2025-12-08T09:00:00+05:30"),
        ("2025-12-24T20:00:00+05:30", 0, "2025-12-26T09:00:00+05:30"),  # evening before a holiday
    ],
)
def test_business_days_from_outside_business_hours(org, start, days, expected):
    assert add_business_days(org, at(start), days) == at(expected)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2025-12-08T10:00:00+05:30", -1, "2025-12-05T10:00:00+05:30"),  # Monday -> Friday
        ("2025-12-26T10:00:00+05:30", -1, "2025-12-24T10:00:00+05:30"),  # back over Christmas
        ("2026-01-14T11:09:10+05:30", -30, "2025-12-01T11:09:10+05:30"),  # Kaizen, reversed
        ("2025-12-08T18:00:00+05:30", -1, "2025-12-05T18:00:00+05:30"),  # closing counts
        ("2025-12-08T20:00:00+05:30", -1, "2025-12-05T18:00:00+05:30"),  # rolls back to 18:00
        ("2025-12-06T10:30:00+05:30", -1, "2025-12-04T18:00:00+05:30"),  # Saturday: Fri, Thu
        ("2025-12-08T07:00:00+05:30", -1, "2025-12-04T18:00:00+05:30"),  # before Monday opens
    ],
)
def test_negative_business_days(org, start, days, expected):
    assert add_period(org, at(start), "business_days", days) == at(expected)


# --- business hours ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        ("2025-12-05T17:00:00+05:30", 3, "2025-12-08T11:00:00+05:30"),  # Friday -> Monday
        ("2025-12-08T17:00:00+05:30", 3, "2025-12-09T11:00:00+05:30"),  # spans to next day
        ("2025-12-08T09:00:00+05:30", 9, "2025-12-08T18:00:00+05:30"),  # lands on closing
        ("2025-12-08T09:00:00+05:30", 10, "2025-12-09T10:00:00+05:30"),
        ("2025-12-08T10:15:30+05:30", 2, "2025-12-08T12:15:30+05:30"),
        ("2025-12-24T17:00:00+05:30", 2, "2025-12-26T10:00:00+05:30"),  # over Christmas
        ("2025-12-06T10:30:00+05:30", 1, "2025-12-08T10:00:00+05:30"),  # Saturday: from opening
        ("2025-12-08T20:00:00+05:30", 0, "2025-12-09T09:00:00+05:30"),  # +0 after hours
        ("2025-12-08T07:00:00+05:30", 2, "2025-12-08T11:00:00+05:30"),  # before opening
        ("2025-12-08T10:00:00+05:30", 27, "2025-12-11T10:00:00+05:30"),  # 3 whole days
    ],
)
def test_business_hours(org, start, hours, expected):
    assert add_business_hours(org, at(start), hours) == at(expected)
    assert add_period(org, at(start), "business_hours", hours) == at(expected)
    assert add_period(org, at(start), "b_hours", hours) == at(expected)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        ("2025-12-08T09:30:00+05:30", -1, "2025-12-05T17:30:00+05:30"),
        ("2025-12-08T11:00:00+05:30", -2, "2025-12-08T09:00:00+05:30"),  # lands on opening
        ("2025-12-08T08:00:00+05:30", -3, "2025-12-05T15:00:00+05:30"),  # before opening
        ("2025-12-26T10:00:00+05:30", -2, "2025-12-24T17:00:00+05:30"),  # back over Christmas
    ],
)
def test_negative_business_hours(org, start, hours, expected):
    assert add_period(org, at(start), "b_hours", hours) == at(expected)


# --- variant business hours --------------------------------------------------------------------


def test_24_by_7_every_day_is_a_business_day_around_the_clock(org):
    other = variant(org, type="24_by_7", business_days=["Monday"], same_as_everyday=True,
                    daily_timing=["09:00", "18:00"])  # fmt: skip
    assert is_business_day(other, date(2025, 12, 6)) and is_business_day(other, date(2025, 12, 7))
    saturday = at("2025-12-06T10:30:00+05:30")
    assert add_business_days(other, saturday, 1) == at("2025-12-07T10:30:00+05:30")
    assert add_business_hours(other, at("2025-12-06T23:00:00+05:30"), 3) == at(
        "2025-12-07T02:00:00+05:30"
    )
    # Holidays still close the org.
    assert not is_business_day(other, date(2025, 12, 25))
    assert add_business_days(other, at("2025-12-24T10:00:00+05:30"), 1) == at(
        "2025-12-26T10:00:00+05:30"
    )


def test_no_business_hours_means_monday_to_friday_around_the_clock(org):
    other = variant(org)
    assert is_business_day(other, date(2025, 12, 5))
    assert not is_business_day(other, date(2025, 12, 6))
    saturday = at("2025-12-06T10:30:00+05:30")
    assert add_business_days(other, saturday, 0) == at("2025-12-08T00:00:00+05:30")
    assert add_business_days(other, at("2025-12-08T23:30:00+05:30"), 1) == at(
        "2025-12-09T23:30:00+05:30"
    )
    assert add_business_hours(other, at("2025-12-05T23:00:00+05:30"), 2) == at(
        "2025-12-08T01:00:00+05:30"
    )


def test_24_by_5_uses_the_chosen_days(org):
    other = variant(org, type="24_by_5", business_days=["Sunday", "Monday", "Tuesday",
                    "Wednesday", "Thursday"], daily_timing=["09:00", "18:00"])  # fmt: skip
    assert not is_business_day(other, date(2025, 12, 5))  # Friday
    assert is_business_day(other, date(2025, 12, 7))  # Sunday
    thursday = at("2025-12-04T20:00:00+05:30")  # 24 h: no closing time
    assert add_business_days(other, thursday, 1) == at("2025-12-07T20:00:00+05:30")


def test_same_as_everyday_daily_timing(org):
    other = variant(org, type="custom", business_days=["Monday", "Tuesday", "Wednesday",
                    "Thursday", "Friday"], same_as_everyday=True, daily_timing=["10:00", "16:00"],
                    custom_timing=[])  # fmt: skip
    assert add_business_hours(other, at("2025-12-08T15:00:00+05:30"), 2) == at(
        "2025-12-09T11:00:00+05:30"
    )
    assert add_business_days(other, at("2025-12-08T09:00:00+05:30"), 1) == at(
        "2025-12-09T10:00:00+05:30"
    )


def test_custom_timing_per_day(org):
    other = variant(org, **CUSTOM)
    assert not is_business_day(other, date(2025, 12, 12))  # Friday is not listed
    # The time of day is kept, then clamped into the landing day's hours.
    monday = at("2025-12-08T10:15:00+05:30")
    assert add_business_days(other, monday, 1) == at("2025-12-09T10:30:00+05:30")  # Tue opens 10:30
    assert add_business_days(other, monday, 3) == at("2025-12-11T10:15:00+05:30")
    # Thursday 18:00 -> Monday 18:00 is past Monday's 17:00 closing: Tuesday's opening.
    thursday = at("2025-12-11T18:00:00+05:30")
    assert add_business_days(other, thursday, 1) == at("2025-12-16T10:30:00+05:30")
    # 1.5 h left on Thursday (to 18:30), 1.5 h from Monday's 10:00 opening.
    assert add_business_hours(other, at("2025-12-11T17:00:00+05:30"), 3) == at(
        "2025-12-15T11:30:00+05:30"
    )
    # Backwards: Tuesday 10:40 is 10 min into Tuesday; 50 min more come off Monday's 17:00.
    assert add_business_hours(other, at("2025-12-16T10:40:00+05:30"), -1) == at(
        "2025-12-15T16:10:00+05:30"
    )


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2025, 12, 1), 30, date(2026, 1, 14)),
        (date(2025, 12, 1), 2, date(2025, 12, 3)),
        (date(2025, 12, 6), 0, date(2025, 12, 8)),  # Saturday +0 = Monday
        (date(2025, 12, 6), 1, date(2025, 12, 9)),  # Saturday +1 = Tuesday
        (date(2025, 12, 24), 1, date(2025, 12, 26)),
        (date(2025, 12, 24), 0, date(2025, 12, 24)),
        (date(2025, 12, 26), -1, date(2025, 12, 24)),
        (date(2025, 12, 7), -1, date(2025, 12, 4)),  # Sunday -1 = Friday, then Thursday
    ],
)
def test_business_date_after(org, start, days, expected):
    assert business_date_after(org, start, days) == expected


# --- calendar periods -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "period", "unit", "expected"),
    [
        ("2025-12-06T10:00:00+05:30", "minutes", 90, "2025-12-06T11:30:00+05:30"),
        ("2025-12-06T10:00:00+05:30", "hours", 20, "2025-12-07T06:00:00+05:30"),
        ("2025-12-06T10:00:00+05:30", "hours", -11, "2025-12-05T23:00:00+05:30"),
        ("2025-12-06T10:00:00+05:30", "days", 1, "2025-12-07T10:00:00+05:30"),  # weekends count
        ("2025-12-24T10:00:00+05:30", "days", 1, "2025-12-25T10:00:00+05:30"),  # holidays too
        ("2025-12-06T10:00:00+05:30", "days", -6, "2025-11-30T10:00:00+05:30"),
        ("2025-12-06T10:00:00+05:30", "weeks", 2, "2025-12-20T10:00:00+05:30"),
        ("2025-01-31T10:00:00+05:30", "months", 1, "2025-02-28T10:00:00+05:30"),  # clamped
        ("2024-01-31T10:00:00+05:30", "months", 1, "2024-02-29T10:00:00+05:30"),  # leap year
        ("2025-03-31T10:00:00+05:30", "months", -1, "2025-02-28T10:00:00+05:30"),
        ("2025-11-30T10:00:00+05:30", "months", 3, "2026-02-28T10:00:00+05:30"),
        ("2025-01-15T10:00:00+05:30", "months", -13, "2023-12-15T10:00:00+05:30"),
        ("2024-02-29T10:00:00+05:30", "years", 1, "2025-02-28T10:00:00+05:30"),
        ("2025-12-06T10:00:00+05:30", "years", -2, "2023-12-06T10:00:00+05:30"),
        ("2025-12-01T05:39:10+00:00", "days", 1, "2025-12-02T11:09:10+05:30"),  # UTC in
    ],
)
def test_calendar_periods(org, start, period, unit, expected):
    result = add_period(org, at(start), period, unit)
    assert result == at(expected)
    assert result.isoformat() == expected  # in the org's time zone


def test_calendar_days_keep_the_local_time_over_a_dst_change(org):
    other = org.copy()
    other.time_zone = "Europe/Berlin"
    other.info["business_hours"]["timezone"] = "Europe/Berlin"
    saturday = at("2025-03-29T10:00:00+01:00")  # clocks go forward on Sunday 2025-03-30
    assert add_period(other, saturday, "days", 1).isoformat() == "2025-03-30T10:00:00+02:00"
    friday = at("2025-03-28T10:00:00+01:00")
    assert add_business_days(other, friday, 1).isoformat() == "2025-03-31T10:00:00+02:00"


def test_unit_as_a_string_and_unknown_periods(org):
    start = at("2025-12-05T10:00:00+05:30")
    assert add_period(org, start, "business_days", "1") == at("2025-12-08T10:00:00+05:30")
    with pytest.raises(ValueError, match="unknown period 'fortnights'"):
        add_period(org, start, "fortnights", 1)


def test_business_time_is_kept_for_one_instant_only(org):
    """Inside one engine instant business time is worked out once (the tasks of one event ask
    the same); the next instant sees an edit made between the two."""
    friday = date(2026, 3, 13)
    with org.at_one_instant():
        assert business_date_after(org, friday, 1) == date(2026, 3, 16)
        assert business_date_after(org, friday, 1) == date(2026, 3, 16)
    org.info["holidays"] = [*org.info["holidays"], {"date": "2026-03-16", "name": "Bank day"}]
    with org.at_one_instant():
        assert business_date_after(org, friday, 1) == date(2026, 3, 17)
        assert add_business_days(org, at("2026-03-13T10:00:00+05:30"), 1) == at(
            "2026-03-17T10:00:00+05:30"
        )
    assert org.instant_memo() is None
