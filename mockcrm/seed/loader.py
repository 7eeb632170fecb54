"""seed_data/<name>/*.json -> Org. Seeds are loaded once per process and copied per org."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import orjson

from mockcrm.core.clock import Clock
from mockcrm.core.ids import IdAllocator, all_ids
from mockcrm.crm.configurations import Catalogue
from mockcrm.crm.org import ENTITY_KINDS, Org

_PACKAGE = Path(__file__).resolve().parent.parent
# Installed: packaged as mockcrm/seed_data (pyproject maps it); in a checkout: <repo>/seed_data.
SEED_ROOT = next(
    (p for p in (_PACKAGE / "seed_data", _PACKAGE.parent / "seed_data") if p.is_dir()),
    _PACKAGE.parent / "seed_data",
)
SEED_NAMES = ("zylker", "empty")


class TooManyRules(ValueError):
    """The generator was asked for more rules than Zoho's per-module limits let the seed hold."""


def seed_dir(name: str) -> Path:
    return SEED_ROOT / name


def _read(directory: Path, name: str, default: Any) -> Any:
    """A seed file's JSON (orjson: the same values as the json module, in half the time, which
    every `mockcrm serve` start pays)."""
    path = directory / f"{name}.json"
    return orjson.loads(path.read_bytes()) if path.exists() else default


@cache
def catalogue() -> Catalogue:
    """The trigger/action catalogue is Zoho's, not an org's: one shared copy."""
    return Catalogue.load(seed_dir("zylker") / "workflow_configurations.json")


def load_seed(name: str, fake_rules: int = 0, fake_seed: int = 0) -> Org:
    """`empty` keeps Zylker's metadata (modules, fields, users, tags) but no rules or actions."""
    directory = seed_dir("zylker")
    org_info = _read(directory, "org", {})
    rules: list[dict] = [] if name == "empty" else _read(directory, "workflow_rules", [])
    entities = {
        kind: {} if name == "empty" else {e["id"]: e for e in _read(directory, kind, [])}
        for kind in ENTITY_KINDS
    }
    order: dict[str, list[str]] = {}
    for rule in rules:
        order.setdefault(rule["module"]["api_name"], []).append(rule["id"])
    data = {
        "users": _read(directory, "users", []),
        "modules": {m["api_name"]: m for m in _read(directory, "modules", [])},
        "fields": _read(directory, "fields", {}),
        "tags": _read(directory, "tags", {}),
    }
    failures = [] if name == "empty" else _read(directory, "webhook_failures", [])
    records = _records(directory, name)
    everything = [org_info, data, rules, entities, failures, records]
    org = Org(
        id=org_info["id"],
        name=org_info["company_name"],
        time_zone=org_info["time_zone"],
        current_user_id=org_info["current_user_id"],
        catalogue=catalogue(),
        clock=Clock(),
        ids=IdAllocator.above(org_info["id_prefix"], all_ids(everything)),
        info=org_info,
        rules={r["id"]: r for r in rules},
        rule_order=order,
        entities=entities,
        usage={} if name == "empty" else _read(directory, "usage", {}),
        records=records,
        webhook_failures=failures,
        **data,
    )
    if fake_rules:
        add_fake_rules(org, fake_rules, fake_seed)
    return org


def add_fake_rules(org: Org, count: int, seed: int) -> None:
    """Append `count` generated rules (deterministic for a seed) after the org's own."""
    # Imported here: the generator pulls in Faker, which a plain `mockcrm serve` never needs.
    from mockcrm.seed.generator import generate_rules

    source = {
        "modules": org.modules,
        "fields": org.fields,
        "tags": org.tags,
        "users": org.users,
        **org.entities,
        "workflow_rules": list(org.rules.values()),
    }
    start = org.ids.state()
    for rule in generate_rules(source, count, seed, start):
        org.rules[rule["id"]] = rule
        org.rule_order.setdefault(rule["module"]["api_name"], []).append(rule["id"])
    org.ids = IdAllocator.above(org.ids.prefix, [str(start), *all_ids(org.rules)])


def _records(directory: Path, name: str) -> dict[str, dict[str, dict]]:
    """records.json holds `{module: [record, ...]}`; the empty seed has no records."""
    if name == "empty":
        return {}
    return {m: {r["id"]: r for r in rows} for m, rows in _read(directory, "records", {}).items()}
