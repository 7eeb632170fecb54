"""Zoho's API-credit accounting (core fact sheet §8): an org may be given a daily credit budget.

The state is plain JSON kept on the org (`Org.api_credits`), so export/import, snapshots and the
state file carry it: `{"daily_limit": int | None, "used": int, "window_start": iso | None}`.
No budget (`daily_limit` None, the default) means no accounting at all.

Window: Zoho counts over a rolling 24 h. Here a window opens at the first charged call and lasts
24 h of the org's virtual clock; when it ends, usage drops back to zero. That is enough for a test
to exhaust a budget and see it refilled by advancing the clock a day."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mockcrm.core.clock import iso, parse_iso
from mockcrm.core.faults import too_many_requests

WINDOW = timedelta(hours=24)
# Insert/update/upsert cost 1 credit per 10 records (fact sheet §8.1); every other call costs 1.
RECORDS_PER_CREDIT = 10
RECORD_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
HEADER = "X-API-CREDITS-REMAINING"


def new_state() -> dict[str, Any]:
    return {"daily_limit": None, "used": 0, "window_start": None}


def call_cost(method: str, body: Any) -> int:
    """Credits one call costs: a records write (`{"data": [...]}`) 1 per 10 records, else 1."""
    if method.upper() in RECORD_WRITE_METHODS and isinstance(body, dict):
        records = body.get("data")
        if isinstance(records, list) and records:
            return math.ceil(len(records) / RECORDS_PER_CREDIT)
    return 1


@dataclass(frozen=True)
class Usage:
    daily_limit: int | None
    used: int
    window_start: datetime | None

    @classmethod
    def at(cls, state: dict[str, Any], now: datetime) -> Usage:
        """The usage as of `now`: a window that has ended is closed, its usage with it."""
        start_text = state.get("window_start")
        start = parse_iso(start_text) if start_text else None
        if start is not None and now >= start + WINDOW:
            return cls(state.get("daily_limit"), 0, None)
        return cls(state.get("daily_limit"), int(state.get("used") or 0), start)

    @property
    def remaining(self) -> int | None:
        return None if self.daily_limit is None else max(self.daily_limit - self.used, 0)

    @property
    def resets_at(self) -> datetime | None:
        return self.window_start + WINDOW if self.window_start else None

    def header(self) -> str | None:
        """`X-API-CREDITS-REMAINING` is sent only once half the budget is used (§8.3)."""
        if self.daily_limit is None or self.used * 2 < self.daily_limit:
            return None
        return str(self.remaining)

    def as_state(self) -> dict[str, Any]:
        start = self.window_start.isoformat() if self.window_start else None
        return {"daily_limit": self.daily_limit, "used": self.used, "window_start": start}

    def view(self, time_zone: str) -> dict[str, Any]:
        """The admin API's answer; times in the org's time zone, like every org timestamp."""
        return {
            "daily_limit": self.daily_limit,
            "used": self.used,
            "remaining": self.remaining,
            "window_start": iso(self.window_start, time_zone) if self.window_start else None,
            "window_resets_at": iso(self.resets_at, time_zone) if self.resets_at else None,
        }


def charge(usage: Usage, cost: int, now: datetime) -> Usage:
    """The usage after one call of `cost`; Zoho's 429 TOO_MANY_REQUESTS when it would overdraw."""
    if usage.daily_limit is None:
        return usage
    if usage.used + cost > usage.daily_limit:
        raise too_many_requests()
    return Usage(usage.daily_limit, usage.used + cost, usage.window_start or now)


def configure(usage: Usage, daily_limit: int | None, used: int | None, now: datetime) -> Usage:
    """A new budget. Usage in the current window is kept unless `used` is given (a test can start
    near exhaustion); a window with usage in it is open from `now` at the latest."""
    if daily_limit is None:
        return Usage(None, 0, None)
    used = usage.used if used is None else used
    return Usage(daily_limit, used, usage.window_start or (now if used else None))
