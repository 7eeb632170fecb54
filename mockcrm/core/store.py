"""Store: the orgs of one mockcrm process, their tokens, snapshots, journal and faults, and the
one lock that guards them. An org is a deep copy of a seed template loaded once per process."""

from __future__ import annotations

import itertools
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from mockcrm.core.faults import Faults
from mockcrm.core.journal import Journal

if TYPE_CHECKING:
    from mockcrm.crm.org import Org

# (seed name, fake_rules, fake_seed) -> a freshly loaded template org
SeedLoader = Callable[[str, int, int], "Org"]
# Isolated orgs get ids in their own range, so they never look like the seed org's.
ORG_ID_BASE = 7_000_000_000_000_000_000
# Templates loaded for POST /__admin/orgs (other seeds, fake rules) kept at most: a suite that
# varies fake_seed per test would otherwise grow the process without bound. An evicted one is
# loaded again when needed (the generator is deterministic per fake_seed).
MAX_LOADED_TEMPLATES = 16


@dataclass(frozen=True)
class Origin:
    seed: str
    fake_rules: int = 0
    fake_seed: int = 0


@dataclass
class Token:
    value: str
    org_id: str
    scopes: frozenset[str]
    expires_at: datetime | None = None
    refresh: bool = False  # a refresh token (OAuth), not usable on the CRM API
    revoked: bool = False  # for good: moving the org's clock back revives no revoked token
    # A refresh token's grant: (client_id, SHA-256 of client_secret), which every refresh must
    # present. An access token's: the refresh token that granted it (the 30-token cap, revoke).
    # On the token, so the state file keeps them across restarts.
    client: tuple[str, str] | None = None
    granted_by: str | None = None

    def expired(self, now: datetime) -> bool:
        """Revoked, or past its expiry on its org's clock (`now`)."""
        return self.revoked or (self.expires_at is not None and now >= self.expires_at)

    def as_dict(self) -> dict[str, Any]:
        expires = self.expires_at.isoformat() if self.expires_at else None
        return {"org_id": self.org_id, "scopes": sorted(self.scopes), "expires_at": expires}


def new_token_value() -> str:
    """Zoho's token format: `1000.<32 hex>.<32 hex>`."""
    return f"1000.{secrets.token_hex(16)}.{secrets.token_hex(16)}"


@dataclass
class Store:
    """All state. Handlers take `lock` around every crm call, so writes are serialised."""

    seed_loader: SeedLoader | None = None
    templates: dict[Origin, Org] = field(default_factory=dict)
    # Each template's data pickled once, compact (Org.frozen_data), when first copied after
    # start: copying an org is then one loads.
    # Templates are never changed after loading; only copies of them are served.
    _frozen: dict[Origin, bytes] = field(default_factory=dict)
    orgs: dict[str, Org] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)
    snapshots: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    default_org_id: str | None = None
    journal: Journal = field(default_factory=Journal)
    faults: Faults = field(default_factory=Faults)
    lock: threading.RLock = field(default_factory=threading.RLock)
    # Bumped on every change; the state-file saver writes when it moves (core/persistence.py).
    generation: int = 0
    # The generation of each org's last change, and of the last change that may have touched
    # every org (an admin call): the saver copies only the orgs changed since it last did.
    changed: dict[str, int] = field(default_factory=dict)
    all_changed: int = 0
    _org_numbers: itertools.count = field(default_factory=lambda: itertools.count(1))
    _registered: set[Origin] = field(default_factory=set)  # add_seed's: never evicted

    def touch(self, org_id: str | None = None) -> None:
        """Mark the state changed, so a `--state-file` saver writes it out: one org's, or (None)
        possibly any org's."""
        with self.lock:
            self.generation += 1
            if org_id is None:
                self.all_changed = self.generation
            else:
                self.changed[org_id] = self.generation

    def forget_changes(self, org_ids: list[str]) -> None:
        """Drop the change marks of orgs no longer here (the saver, under the lock)."""
        for gone in self.changed.keys() - set(org_ids):
            del self.changed[gone]

    def add_seed(
        self, name: str, org: Org, *, default: bool = False, fake_rules: int = 0, fake_seed: int = 0
    ) -> Org:
        """Register a loaded seed (with the fake rules it was loaded with) and serve a working
        copy of it under the seed's own org id."""
        with self.lock:
            origin = Origin(name, fake_rules, fake_seed)
            self.templates[origin] = org
            self._registered.add(origin)
            # Not the compact template yet (Store._copy builds it): its ~5 ms would delay serving.
            live = org.copy()
            self.orgs[live.id] = live
            self.origins[live.id] = origin
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

    def _template(self, origin: Origin) -> Org:
        template = self.templates.pop(origin, None)
        if template is None:
            if self.seed_loader is None:
                raise LookupError(f"no seed loader for {origin.seed}")
            template = self.seed_loader(origin.seed, origin.fake_rules, origin.fake_seed)
        self.templates[origin] = template  # last: the most recently used
        loaded = [o for o in self.templates if o not in self._registered]
        for oldest in loaded[: max(0, len(loaded) - MAX_LOADED_TEMPLATES)]:
            del self.templates[oldest]
            self._frozen.pop(oldest, None)
        return template

    def _copy(self, origin: Origin, org_id: str | None = None) -> Org:
        """A fresh isolated copy of the origin's template (loaded on first use)."""
        template = self._template(origin)
        if origin not in self._frozen:
            self._frozen[origin] = template.frozen_data(compact=True)
        return template.copy(org_id=org_id, frozen=self._frozen[origin])

    def create_org(self, seed: str, fake_rules: int = 0, fake_seed: int = 0) -> Org:
        """A new isolated org: a copy of the seed with its own id, clock and data."""
        with self.lock:
            origin = Origin(seed, fake_rules, fake_seed)
            self._template(origin)  # the generator may refuse (ValueError) before an id is used
            org_id = str(ORG_ID_BASE + next(self._org_numbers))
            org = self._copy(origin, org_id)
            self.orgs[org_id] = org
            self.origins[org_id] = origin
            return org

    def delete_org(self, org_id: str) -> bool:
        with self.lock:
            if org_id not in self.orgs or org_id == self.default_org_id:
                return False
            del self.orgs[org_id]
            self.origins.pop(org_id, None)
            self.snapshots.pop(org_id, None)
            self.faults.forget_org(org_id)
            # Its tokens stay known (and fail: their org is gone); forgetting them would let
            # permissive mode route them to the default org.
            return True

    def reset(self, org_id: str | None = None) -> list[str]:
        """Orgs back to their seed (all when `org_id` is None); ids, tokens and clocks' ids kept."""
        with self.lock:
            targets = [org_id] if org_id else list(self.orgs)
            for target in targets:
                fresh = self._copy(self.origins[target], target)
                self.orgs[target] = fresh
            return targets

    def snapshot(self, org_id: str, name: str) -> None:
        with self.lock:
            self.snapshots.setdefault(org_id, {})[name] = self.orgs[org_id].to_state()

    def restore(self, org_id: str, name: str) -> bool:
        with self.lock:
            state = self.snapshots.get(org_id, {}).get(name)
            if state is None:
                return False
            self.import_state(org_id, state)
            return True

    def export_state(self, org_id: str) -> dict[str, Any]:
        with self.lock:
            return self.orgs[org_id].to_state()

    def import_state(self, org_id: str, state: dict[str, Any]) -> Org:
        from mockcrm.crm.org import Org

        with self.lock:
            current = self.orgs[org_id]
            org = Org.from_state({**state, "id": org_id}, current.catalogue)
            self.orgs[org_id] = org
            return org

    def issue_token(
        self,
        org_id: str,
        scopes: frozenset[str],
        expires_in: int | None,
        now: datetime,
        *,
        refresh: bool = False,
    ) -> Token:
        with self.lock:
            expires = now + timedelta(seconds=expires_in) if expires_in else None
            token = Token(new_token_value(), org_id, scopes, expires, refresh)
            self.tokens[token.value] = token
            return token
