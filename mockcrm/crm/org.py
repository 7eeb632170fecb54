"""Org: everything one Zoho org holds. Data is kept in Zoho's own GET shapes."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from mockcrm.core.clock import Clock, iso
from mockcrm.core.credits import new_state as new_credit_state
from mockcrm.core.ids import IdAllocator
from mockcrm.core.jsontext import shared_strings
from mockcrm.crm.configurations import Catalogue

ONE_SECOND = timedelta(seconds=1)
ENTITY_KINDS = ("field_updates", "email_notifications", "tasks", "webhooks")
# The mutable state of an org: what a copy duplicates (and, later, what snapshots save).
DATA_FIELDS = (
    "info",
    "users",
    "modules",
    "fields",
    "tags",
    "rules",
    "rule_order",
    "entities",
    "usage",
    "records",
    "webhook_failures",
    "api_credits",
    "outbox",
    "executions",
    "schedule",
    "engine",
)


@dataclass
class Org:
    id: str
    name: str
    time_zone: str
    current_user_id: str
    catalogue: Catalogue
    clock: Clock
    ids: IdAllocator
    info: dict[str, Any] = field(default_factory=dict)
    users: list[dict[str, Any]] = field(default_factory=list)
    modules: dict[str, dict[str, Any]] = field(default_factory=dict)
    fields: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    tags: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Execution order per module: Zoho lists rules in the order they run.
    rule_order: dict[str, list[str]] = field(default_factory=dict)
    entities: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    usage: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Records per module api_name, by id, in Zoho's GET shape (the records API and the engine).
    records: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    # Failed webhook calls, newest last, in Zoho's webhook_failures item shape.
    webhook_failures: list[dict[str, Any]] = field(default_factory=list)
    # API-credit budget and usage (core/credits.py); no budget unless the harness sets one.
    api_credits: dict[str, Any] = field(default_factory=new_credit_state)
    # The engine's output and state (crm/engine.py): emails and webhooks it sent, what every
    # firing did, scheduled actions waiting for the clock, and its bookkeeping.
    outbox: list[dict[str, Any]] = field(default_factory=list)
    executions: list[dict[str, Any]] = field(default_factory=list)
    schedule: list[dict[str, Any]] = field(default_factory=list)
    engine: dict[str, Any] = field(default_factory=dict)
    # Indexes and caches derived from the data above (never data: not in DATA_FIELDS, not
    # copied, saved or compared; a copy starts empty). Each entry checks it is still current.
    runtime: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def now(self) -> str:
        """The time, as Zoho writes it (the pinned instant inside `at_one_instant`)."""
        pinned = self.runtime.get("instant")
        return pinned[1] if pinned is not None else self._text(self.clock.now())

    def instant(self) -> datetime:
        """The clock's time (the pinned instant inside `at_one_instant`)."""
        pinned = self.runtime.get("instant")
        return pinned[0] if pinned is not None else self.clock.now()

    @contextmanager
    def at_one_instant(self, at: datetime | None = None) -> Iterator[None]:
        """Everything done inside happens at one instant, `at` or the time it was entered:
        `now()` and `instant()` answer it (the engine: every rule a record event fires runs at
        one time; asking the clock ~140 times per event was a tenth of the engine's time).
        Nested: the outer instant holds."""
        if self.runtime.get("instant") is not None:
            yield
            return
        if at is None:
            at = self.clock.now()
        # The third item keeps what is worked out from the org's settings for this instant
        # (crm/calendar.py: business hours); nothing an engine call does changes them.
        self.runtime["instant"] = (at, self._text(at), {})
        try:
            yield
        finally:
            del self.runtime["instant"]

    def instant_memo(self) -> dict[str, Any] | None:
        """A dict that lives as long as the pinned instant (None when none is pinned)."""
        pinned = self.runtime.get("instant")
        return pinned[2] if pinned is not None else None

    def _text(self, at: datetime) -> str:
        # Formatting is per second (iso drops microseconds): the API asks many times a second.
        memo = self.runtime.get("now")  # (start of a second, its end, time zone, text)
        if memo is None or not memo[0] <= at < memo[1] or memo[2] != self.time_zone:
            start = at.replace(microsecond=0)
            text = iso(start, self.time_zone)
            memo = self.runtime["now"] = (start, start + ONE_SECOND, self.time_zone, text)
        return memo[3]

    def user(self, user_id: str) -> dict[str, Any] | None:
        users = self.users
        index = self.runtime.get("users")
        if index is None or index[0] is not users or index[1] != len(users):
            # The first user of an id wins, as a scan would find it.
            by_id = {u["id"]: u for u in reversed(users)}
            index = self.runtime["users"] = (users, len(users), by_id)
        return _get(index[2], user_id)

    def actor(self) -> dict[str, str]:
        """The `created_by` / `modified_by` reference of the user the API acts as."""
        user = self.user(self.current_user_id) or {"full_name": "", "id": self.current_user_id}
        return {"name": user["full_name"], "id": user["id"]}

    def module_ref(self, api_name: str) -> dict[str, str]:
        return {"api_name": api_name, "id": self.modules[api_name]["id"]}

    def module_by_id(self, module_id: str) -> dict[str, Any] | None:
        return next((m for m in self.modules.values() if m["id"] == module_id), None)

    def field(self, module: str, api_name: str) -> dict[str, Any] | None:
        return _get(self.fields_by_name(module), api_name)

    def fields_by_name(self, module: str) -> dict[str, dict[str, Any]]:
        """The module's fields by api name (first one wins), kept while its list is unchanged.
        Read-only: the engine and criteria look fields up thousands of times a second."""
        fields = self.fields.get(module)
        if fields is None:
            return {}
        indexes = self.runtime.setdefault("fields", {})
        index = indexes.get(module)
        if index is None or index[0] is not fields or index[1] != len(fields):
            by_name: dict[str, dict[str, Any]] = {}
            for fld in fields:  # in the module's order
                by_name.setdefault(fld["api_name"], fld)
            index = indexes[module] = (fields, len(fields), by_name)
        return index[2]

    def tag(
        self, module: str, *, tag_id: str | None = None, name: str | None = None
    ) -> dict | None:
        for tag in self.tags.get(module, []):
            if (tag_id is None or tag["id"] == tag_id) and (name is None or tag["name"] == name):
                return tag
        return None

    def entity(self, kind: str, entity_id: str) -> dict[str, Any] | None:
        return self.entities.get(kind, {}).get(entity_id)

    def ordered_rules(self, module: str | None = None) -> list[dict[str, Any]]:
        modules = [module] if module else list(self.rule_order)
        return [self.rules[rid] for m in modules for rid in self.rule_order.get(m, [])]

    def frozen_data(self, *, compact: bool = False) -> bytes:
        """The org's data as one pickle: `copy(frozen=...)` rebuilds an independent copy from it.
        A store keeps this per seed template, so a new org costs one `pickle.loads`; `compact`
        (jsontext.shared_strings, ~5 ms more to build) makes that load faster."""
        data = {key: getattr(self, key) for key in DATA_FIELDS}
        if compact:
            data = shared_strings(data)
        return pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)

    def copy(
        self, org_id: str | None = None, name: str | None = None, *, frozen: bytes | None = None
    ) -> Org:
        """An isolated copy: data deep-copied, the read-only catalogue shared. The data is
        JSON-like, so a pickle round trip is a true deep copy, several times faster than
        copy.deepcopy; `frozen` (this org's `frozen_data()` of the same data) skips the dump."""
        data = pickle.loads(frozen if frozen is not None else self.frozen_data())
        return replace(
            self,
            id=org_id or self.id,
            name=name or self.name,
            clock=self.clock.clone(),
            ids=self.ids.clone(),
            **data,
        )

    def to_state(self) -> dict[str, Any]:
        """Everything needed to rebuild this org, as JSON (export, state file, snapshots)."""
        return {
            "id": self.id,
            "name": self.name,
            "time_zone": self.time_zone,
            "current_user_id": self.current_user_id,
            "clock": self.clock.state(),
            "ids": {"prefix": self.ids.prefix, "next": self.ids.state()},
            **pickle.loads(self.frozen_data()),  # a deep copy (see `copy`)
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], catalogue: Catalogue) -> Org:
        return cls(
            id=state["id"],
            name=state["name"],
            time_zone=state["time_zone"],
            current_user_id=state["current_user_id"],
            catalogue=catalogue,
            clock=Clock.from_state(state["clock"]),
            ids=IdAllocator(state["ids"]["prefix"], state["ids"]["next"]),
            **_deep_copy({key: state[key] for key in DATA_FIELDS if key in state}),
        )


def _get(index: dict[str, dict[str, Any]], key: Any) -> dict[str, Any] | None:
    """`index[key]`, None when absent; a key that cannot be hashed (a list or object sent where
    an id or api name belongs) names nothing, as a scan comparing it would find."""
    try:
        return index.get(key)
    except TypeError:
        return None


def _deep_copy(data: dict[str, Any]) -> dict[str, Any]:
    """copy.deepcopy for JSON-like data, several times faster."""
    return pickle.loads(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
