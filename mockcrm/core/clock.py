"""The virtual clock. Every timestamp mockcrm writes comes from here, never from datetime.now()."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo


class Clock:
    """Wall time plus an offset; can be frozen, set and advanced (the harness drives it)."""

    def __init__(self, frozen_at: datetime | None = None) -> None:
        self._offset = timedelta(0)
        self._frozen: datetime | None = frozen_at
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            if self._frozen is not None:
                return self._frozen
            return datetime.now(UTC) + self._offset

    def set(self, when: datetime, freeze: bool | None = None) -> None:
        when = _aware(when)
        with self._lock:
            if freeze or (freeze is None and self._frozen is not None):
                self._frozen = when
            else:
                self._frozen = None
                self._offset = when - datetime.now(UTC)

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            if self._frozen is not None:
                self._frozen += delta
            else:
                self._offset += delta
        return self.now()

    @property
    def frozen(self) -> bool:
        return self._frozen is not None

    def state(self) -> dict[str, Any]:
        """JSON form: a frozen instant, or the offset from wall time in seconds."""
        with self._lock:
            frozen = self._frozen.isoformat() if self._frozen is not None else None
            return {"frozen_at": frozen, "offset_seconds": self._offset.total_seconds()}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Clock:
        frozen = state.get("frozen_at")
        clock = cls(parse_iso(frozen) if frozen else None)
        clock._offset = timedelta(seconds=state.get("offset_seconds", 0))
        return clock

    def clone(self) -> Clock:
        copy = Clock(self._frozen)
        copy._offset = self._offset
        return copy


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def iso(when: datetime, time_zone: str) -> str:
    """Zoho's timestamp: seconds, with the org's offset, e.g. 2025-12-01T11:09:10+05:30."""
    return _aware(when).astimezone(ZoneInfo(time_zone)).replace(microsecond=0).isoformat()


def parse_iso(text: str) -> datetime:
    return _aware(datetime.fromisoformat(text))
