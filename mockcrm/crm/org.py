"""Org: everything one Zoho org holds. Data is kept in Zoho's own GET shapes."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field, replace
from typing import Any

from mockcrm.core.clock import Clock, iso
from mockcrm.core.credits import new_state as new_credit_state
from mockcrm.core.ids import IdAllocator
from mockcrm.crm.configurations import Catalogue

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

    def now(self) -> str:
        return iso(self.clock.now(), self.time_zone)

    def user(self, user_id: str) -> dict[str, Any] | None:
        return next((u for u in self.users if u["id"] == user_id), None)

    def actor(self) -> dict[str, str]:
        """The `created_by` / `modified_by` reference of the user the API acts as."""
        user = self.user(self.current_user_id) or {"full_name": "", "id": self.current_user_id}
        return {"name": user["full_name"], "id": user["id"]}

    def module_ref(self, api_name: str) -> dict[str, str]:
        return {"api_name": api_name, "id": self.modules[api_name]["id"]}

    def module_by_id(self, module_id: str) -> dict[str, Any] | None:
        return next((m for m in self.modules.values() if m["id"] == module_id), None)

    def field(self, module: str, api_name: str) -> dict[str, Any] | None:
        return next((f for f in self.fields.get(module, []) if f["api_name"] == api_name), None)

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

    def frozen_data(self) -> bytes:
        """The org's data as one pickle: `copy(frozen=...)` rebuilds an independent copy from it.
        A store keeps this per seed template, so a new org costs one `pickle.loads`."""
        data = {key: getattr(self, key) for key in DATA_FIELDS}
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


def _deep_copy(data: dict[str, Any]) -> dict[str, Any]:
    """copy.deepcopy for JSON-like data, several times faster."""
    return pickle.loads(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
