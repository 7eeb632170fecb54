"""Business days / business hours arithmetic from the org's business hours and holidays.

Used for scheduled actions (`execute_after`), date-trigger offsets (`b_hours`, `b_days`) and task
due dates. Zoho documents only part of this (core fact sheet §9.3); the rest is chosen here:

* Business time comes from `org.info["business_hours"]` in its own `timezone` (else the org's):
  type `24_by_7` = every day, 24 h; `24_by_5` = the listed `business_days`, 24 h; `custom` = the
  listed `business_days` with `daily_timing` (`same_as_everyday: true`) or each day's
  `custom_timing` (a listed day without one falls back to `daily_timing`, else 24 h).
  No business hours at all (Zoho's GET answers 204) = Monday-Friday, 24 h (fact sheet advice).
* A business day is a listed weekday that is not a `business_holiday` in `org.info["holidays"]`
  (shift holidays only concern the users of that shift, so they are ignored).
* Business hours are half-open `[start, end)`: the closing instant belongs to the next opening.
* `+0` business days/hours: the start itself if it is within business hours, else the next
  opening (Zoho: "execute at once if within business hours, otherwise at the start of the next
  business period").
* `+N` business days: first roll to business time as for `+0`, then move N business days on,
  keeping that local time of day; a time before the landing day's opening becomes the opening,
  a time at/after its closing becomes the next business day's opening (only possible with
  per-day custom timing). Hence Saturday +0 = Monday opening, +1 = Tuesday, +2 = Wednesday (Zoho's
  "Business Day Logic Update"), and a start after closing counts from the next opening.
* `+N` business hours: roll as for `+0`, then consume N working hours across business days
  (Friday 17:00 + 3 h with 09:00-18:00 = Monday 11:00); landing exactly on a closing time stays
  there.
* Negative units mirror all of this backwards (roll back to the latest business moment, where
  the closing instant counts as business time; a time after the landing day's closing becomes
  the closing, before its opening the previous business day's closing).
* Calendar periods: `minutes`/`hours` are elapsed time; `days`/`weeks`/`months`/`years` are wall
  clock arithmetic in the org's time zone (same local time), months/years clamp the day
  (Jan 31 + 1 month = Feb 28/29).
"""

from __future__ import annotations

import calendar as _cal
import copy
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mockcrm.crm.org import Org

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WORK_WEEK = WEEKDAYS[:5]
WHOLE_DAY = (0, 24 * 3600)
# Zoho's execute_after periods and the date-trigger spellings of the business ones.
BUSINESS_PERIODS = {"business_days": "days", "b_days": "days", "business_hours": "hours",
                    "b_hours": "hours"}  # fmt: skip
CALENDAR_PERIODS = ("minutes", "hours", "days", "weeks", "months", "years")
# A business day always exists within this many days (holidays are limited to 52 a year).
SEARCH_LIMIT = 800

Window = tuple[int, int]  # opening and closing, in seconds after local midnight


@dataclass(frozen=True)
class BusinessHours:
    zone: ZoneInfo
    windows: dict[int, Window]  # weekday (0 = Monday) -> business timing; absent = closed
    holidays: frozenset[date]

    def window(self, day: date) -> Window | None:
        return None if day in self.holidays else self.windows.get(day.weekday())

    def step(self, day: date, direction: int) -> date:
        """The nearest business day strictly after (direction 1) or before (-1) `day`."""
        for _ in range(SEARCH_LIMIT):
            day += timedelta(days=direction)
            if self.window(day) is not None:
                return day
        raise ValueError("the org's business hours have no business day")


def business_hours(org: Org) -> BusinessHours:
    """The org's business time. Kept while the business hours, holidays and time zone equal
    the copies saved with it (compared by value: an edit in place is seen too); every task due
    date and scheduled action asks for it. Within one engine instant the comparison is made
    once."""
    memo = org.instant_memo()
    if memo is None:
        return _current_business_hours(org)
    if "business_hours" not in memo:
        memo["business_hours"] = _current_business_hours(org)
    return memo["business_hours"]


def _current_business_hours(org: Org) -> BusinessHours:
    inputs = (org.time_zone, org.info.get("business_hours"), org.info.get("holidays"))
    memo = org.runtime.get("business_hours")
    if memo is not None and memo[0] == inputs:
        return memo[1]
    built = _business_hours(org)
    org.runtime["business_hours"] = (copy.deepcopy(inputs), built)
    return built


def _business_hours(org: Org) -> BusinessHours:
    config = org.info.get("business_hours") or {}
    zone = ZoneInfo(config.get("timezone") or org.time_zone)
    kind = str(config.get("type") or "")
    if not config:
        days, timing = list(WORK_WEEK), {}
    elif kind in ("24_by_7", "24_7", "24x7"):
        days, timing = list(WEEKDAYS), {}
    else:
        days = [d for d in config.get("business_days") or WORK_WEEK if d in WEEKDAYS]
        timing = {} if kind.startswith("24") else _timings(config)
    windows = {WEEKDAYS.index(d): timing.get(d, timing.get("*", WHOLE_DAY)) for d in days}
    if not windows:
        windows = {WEEKDAYS.index(d): WHOLE_DAY for d in WORK_WEEK}
    return BusinessHours(zone, windows, _holidays(org))


def _timings(config: dict) -> dict[str, Window]:
    """Per weekday name, plus "*" for the every-day `daily_timing`."""
    out: dict[str, Window] = {}
    daily = _window(config.get("daily_timing"))
    if daily:
        out["*"] = daily
    if config.get("same_as_everyday") is False:
        for item in config.get("custom_timing") or []:
            names = item.get("days")
            window = _window(item.get("business_timing"))
            if window and not item.get("_delete"):
                for name in [names] if isinstance(names, str) else names or []:
                    out[name] = window
    return out


def _window(timing: object) -> Window | None:
    if not isinstance(timing, list | tuple) or len(timing) != 2:
        return None
    try:
        start, end = (int(t[:2]) * 3600 + int(t[3:5]) * 60 for t in timing)
    except (TypeError, ValueError):
        return None
    # "00:00" (or an end before the start) as the closing time means midnight.
    return (start, end if end > start else WHOLE_DAY[1])


def _holidays(org: Org) -> frozenset[date]:
    days = set()
    for item in org.info.get("holidays") or []:
        if item.get("type", "business_holiday") == "business_holiday":
            try:
                days.add(date.fromisoformat(item["date"]))
            except (KeyError, TypeError, ValueError):
                continue
    return frozenset(days)


def is_business_day(org: Org, day: date) -> bool:
    return business_hours(org).window(day) is not None


# --- moments in business time: (local date, seconds after local midnight) ---------------------


def _split(bh: BusinessHours, moment: datetime) -> tuple[date, int]:
    local = moment.astimezone(bh.zone)
    return local.date(), local.hour * 3600 + local.minute * 60 + local.second


def _join(bh: BusinessHours, day: date, seconds: int, moment: datetime) -> datetime:
    wall = datetime.combine(day, time(), tzinfo=bh.zone) + timedelta(seconds=seconds)
    # Normalise through UTC (a DST gap), keeping the start's sub-second part.
    return wall.astimezone(UTC).astimezone(bh.zone).replace(microsecond=moment.microsecond)


def _roll_forward(bh: BusinessHours, day: date, s: int) -> tuple[date, int]:
    """The earliest business moment at or after (day, s)."""
    window = bh.window(day)
    if window and s < window[1]:
        return day, max(s, window[0])
    day = bh.step(day, 1)
    return day, bh.windows[day.weekday()][0]


def _roll_back(bh: BusinessHours, day: date, s: int) -> tuple[date, int]:
    """The latest business moment at or before (day, s); a closing instant counts."""
    window = bh.window(day)
    if window and s >= window[0]:
        return day, min(s, window[1])
    day = bh.step(day, -1)
    return day, bh.windows[day.weekday()][1]


def add_business_days(org: Org, start: datetime, days: int) -> datetime:
    bh = business_hours(org)
    day, s = _split(bh, start)
    direction = 1 if days >= 0 else -1
    day, s = (_roll_forward if direction > 0 else _roll_back)(bh, day, s)
    for _ in range(abs(days)):
        day = bh.step(day, direction)
    opening, closing = bh.windows[day.weekday()]
    if direction > 0 and s < opening:
        s = opening
    elif direction > 0 and s >= closing:
        day = bh.step(day, 1)
        s = bh.windows[day.weekday()][0]
    elif direction < 0 and s > closing:
        s = closing
    elif direction < 0 and s < opening:
        day = bh.step(day, -1)
        s = bh.windows[day.weekday()][1]
    return _join(bh, day, s, start)


def add_business_hours(org: Org, start: datetime, hours: int) -> datetime:
    bh = business_hours(org)
    day, s = _split(bh, start)
    remaining = abs(hours) * 3600
    if hours >= 0:
        day, s = _roll_forward(bh, day, s)
        while remaining > bh.windows[day.weekday()][1] - s:
            remaining -= bh.windows[day.weekday()][1] - s
            day = bh.step(day, 1)
            s = bh.windows[day.weekday()][0]
        return _join(bh, day, s + remaining, start)
    day, s = _roll_back(bh, day, s)
    while remaining > s - bh.windows[day.weekday()][0]:
        remaining -= s - bh.windows[day.weekday()][0]
        day = bh.step(day, -1)
        s = bh.windows[day.weekday()][1]
    return _join(bh, day, s - remaining, start)


def business_date_after(org: Org, start: date, days: int) -> date:
    """A date field's "plus N business day(s)": the same rule as add_business_days without the
    time of day (a non-business start day first rolls to the next business day). Kept for the
    engine's instant: the tasks of one record event mostly ask the same."""
    memo = org.instant_memo()
    key = ("business_date_after", start, days)
    if memo is not None and key in memo:
        return memo[key]
    bh = business_hours(org)
    direction = 1 if days >= 0 else -1
    day = start if bh.window(start) is not None else bh.step(start, direction)
    for _ in range(abs(days)):
        day = bh.step(day, direction)
    if memo is not None:
        memo[key] = day
    return day


# --- every execute_after / date-trigger period -----------------------------------------------


def add_period(org: Org, start: datetime, period: str, unit: int) -> datetime:
    unit = int(unit)  # Zoho's time-based configs send the unit as a string
    business = BUSINESS_PERIODS.get(period)
    if business == "days":
        return add_business_days(org, start, unit)
    if business == "hours":
        return add_business_hours(org, start, unit)
    if period == "minutes":
        return start + timedelta(minutes=unit)
    if period == "hours":
        return start + timedelta(hours=unit)
    if period not in CALENDAR_PERIODS:
        raise ValueError(f"unknown period {period!r}")
    zone = ZoneInfo(org.time_zone)
    local = start.astimezone(zone)
    if period in ("days", "weeks"):
        wall = local + timedelta(days=unit * (7 if period == "weeks" else 1))
    else:
        wall = _add_months(local, unit * (12 if period == "years" else 1))
    return wall.astimezone(UTC).astimezone(zone)


def _add_months(local: datetime, months: int) -> datetime:
    index = local.year * 12 + local.month - 1 + months
    year, month = divmod(index, 12)
    last = _cal.monthrange(year, month + 1)[1]
    return local.replace(year=year, month=month + 1, day=min(local.day, last))
