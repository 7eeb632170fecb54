"""Zoho's predefined date values in criteria (${TODAY}, ${LAST_N_DAYS:7}, ${THISFY},
${AGEINDAYS}+3...) as the days they stand for, counted from the org's today."""

from __future__ import annotations

import re
from datetime import date, timedelta

FISCAL_YEAR_START_MONTH = 1
MONTHS_PER = {"MONTHS": 1, "FQ": 3, "YEARS": 12, "FY": 12}
# Predefined single periods: name -> (unit, offset from the current period).
NAMED_PERIODS = {
    name: (unit, offset)
    for unit, names in {
        "DAYS": ("YESTERDAY", "TODAY", "TOMORROW"),
        "WEEKS": ("LASTWEEK", "THISWEEK", "NEXTWEEK"),
        "MONTHS": ("LASTMONTH", "THISMONTH", "NEXTMONTH"),
        "YEARS": ("LASTYEAR", "THISYEAR", "NEXTYEAR"),
        "FY": ("PREVFY", "THISFY", "NEXTFY"),
        "FQ": ("PREVFQ", "THISFQ", "NEXTFQ"),
    }.items()
    for offset, name in enumerate(names, start=-1)
}
N_PERIODS = re.compile(r"^\$\{(LAST|NEXT)_N_(DAYS|WEEKS|MONTHS|YEARS):([0-9]+)\}$")
AGE_DUE = re.compile(r"^\$\{(AGEINDAYS|DUEINDAYS)\}\+([0-9]+)$")
NAMED = re.compile(r"^\$\{([A-Z]+)\}$")


def predefined(today: date, token: str) -> tuple[date | None, date | None] | None:
    """Zoho's predefined date values as [first day, day after last); None = unbounded."""
    found = N_PERIODS.match(token)
    if found:
        direction, unit, count = found.group(1), found.group(2), int(found.group(3))
        # The current period is excluded: LAST_N_DAYS:7 is the 7 days before today.
        start = -count if direction == "LAST" else 1
        return _period(today, unit, start), _period(today, unit, start + count)
    found = AGE_DUE.match(token)
    if found:
        days = int(found.group(2)) * (-1 if found.group(1) == "AGEINDAYS" else 1)
        return today + timedelta(days=days), today + timedelta(days=days + 1)
    found = NAMED.match(token)
    name = found.group(1) if found else None
    if name == "TOMORROWPLUS":
        return today + timedelta(days=1), None
    if name == "YESTERDAYMINUS":
        return None, today
    if name in NAMED_PERIODS:
        unit, offset = NAMED_PERIODS[name]
        return _period(today, unit, offset), _period(today, unit, offset + 1)
    return None


def _period(today: date, unit: str, offset: int) -> date:
    """The first day of the period `offset` periods away from the one holding today."""
    if unit == "DAYS":
        return today + timedelta(days=offset)
    if unit == "WEEKS":
        return today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
    months = MONTHS_PER[unit]
    start = today.year * 12 + today.month - 1
    if unit in ("FY", "FQ"):
        fiscal_start = start - (today.month - FISCAL_YEAR_START_MONTH) % 12
        start = fiscal_start + (start - fiscal_start) // months * months
    elif unit == "YEARS":
        start -= today.month - 1
    first = start + offset * months
    return date(first // 12, first % 12 + 1, 1)
