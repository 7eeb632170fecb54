"""Store: the orgs of one mockcrm process, their tokens, and the one lock that guards them."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mockcrm.crm.org import Org


@dataclass
class Token:
    value: str
    org_id: str
    scopes: frozenset[str]
    expires_at: datetime | None = None


@dataclass
class Store:
    """All state. Handlers take `lock` around every crm call, so writes are serialised."""

    seeds: dict[str, Org] = field(default_factory=dict)
    orgs: dict[str, Org] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    default_org_id: str | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)

    def add_seed(self, name: str, org: Org, *, default: bool = False) -> Org:
        """Register a loaded seed and serve a working copy of it."""
        with self.lock:
            self.seeds[name] = org
            live = org.copy()
            self.orgs[live.id] = live
            if default or self.default_org_id is None:
                self.default_org_id = live.id
            return live

    def org(self, org_id: str | None = None) -> Org | None:
        with self.lock:
            return self.orgs.get(org_id or self.default_org_id or "")

    def default_org(self) -> Org:
        org = self.org()
        if org is None:
            raise LookupError("no default org")
        return org
