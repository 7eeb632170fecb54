"""Injected faults: a request that matches gets a delay and/or a Zoho-shaped error status."""

from __future__ import annotations

import itertools
import random
import threading
from dataclasses import dataclass, field
from typing import Any

from mockcrm.core.errors import ZohoError

TOO_MANY_REQUESTS = (
    "Number of API requests for the 24 hour period is exceeded or the concurrency limit of the "
    "user for the app is exceeded."
)
# The body each injected status gets: Zoho's own code and message for that status.
STATUS_ERRORS: dict[int, tuple[str, str]] = {
    400: ("INVALID_REQUEST", "unable to process your request. please verify whether you have "
          "entered proper method name, parameter and parameter values."),
    401: ("INVALID_TOKEN", "invalid oauth token"),
    403: ("NO_PERMISSION", "permission denied"),
    404: ("INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one"),
    429: ("TOO_MANY_REQUESTS", TOO_MANY_REQUESTS),
    500: ("INTERNAL_ERROR", "Internal Server Error"),
}  # fmt: skip


def too_many_requests() -> ZohoError:
    return ZohoError("TOO_MANY_REQUESTS", TOO_MANY_REQUESTS, status=429)


def status_error(status: int) -> ZohoError:
    code, message = STATUS_ERRORS.get(status, ("INTERNAL_ERROR", "Internal Server Error"))
    return ZohoError(code, message, status=status)


@dataclass
class Fault:
    id: str
    method: str | None = None
    path: str | None = None  # a prefix of the request path
    org_id: str | None = None
    status: int | None = None
    delay_ms: int = 0
    times: int | None = None  # None: every matching request
    probability: float = 1.0
    seed: int | None = None
    hits: int = 0
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def as_dict(self) -> dict[str, Any]:
        keys = ("id", "method", "path", "org_id", "status", "delay_ms", "times", "probability",
                "seed", "hits")  # fmt: skip
        return {k: getattr(self, k) for k in keys}

    def matches(self, method: str, path: str, org_id: str | None) -> bool:
        return (
            (self.method is None or self.method.upper() == method)
            and (self.path is None or path.startswith(self.path))
            and (self.org_id is None or self.org_id == org_id)
        )


class Faults:
    def __init__(self) -> None:
        self._faults: dict[str, Fault] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, **spec: Any) -> Fault:
        with self._lock:
            fault = Fault(id=str(next(self._ids)), **spec)
            self._faults[fault.id] = fault
        return fault

    def list(self) -> list[Fault]:
        with self._lock:
            return list(self._faults.values())

    def remove(self, fault_id: str | None = None) -> bool:
        with self._lock:
            if fault_id is None:
                self._faults.clear()
                return True
            return self._faults.pop(fault_id, None) is not None

    def forget_org(self, org_id: str) -> None:
        """Drop the faults scoped to a deleted org: none of them can fire again."""
        with self._lock:
            for fault_id in [f.id for f in self._faults.values() if f.org_id == org_id]:
                del self._faults[fault_id]

    def take(self, method: str, path: str, org_id: str | None) -> Fault | None:
        """The first fault that fires for this request; its `times` is used up by one."""
        if not self._faults:  # the usual case, without the lock
            return None
        with self._lock:
            for fault in self._faults.values():
                if not fault.matches(method, path, org_id):
                    continue
                if fault._rng.random() >= fault.probability:
                    continue
                fault.hits += 1
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        del self._faults[fault.id]
                return fault
        return None
