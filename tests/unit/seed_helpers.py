"""The committed Zylker seed files and the walks over them both seed test files (test_seed.py,
test_seed_curated.py) use. `seed` is a module-scoped fixture: a test file imports `seed_files`
(registered under the name `seed`, so the test parameters do not shadow the import)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mockcrm.seed.build import INPUT_FILES

SEED_DIR = Path(__file__).resolve().parents[2] / "seed_data" / "zylker"
FILES = ("org", "users", "modules", "fields", "tags", "workflow_rules", "usage", *INPUT_FILES[4:])
STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+05:30")


def load(name: str) -> Any:
    return json.loads((SEED_DIR / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(name="seed", scope="module")
def seed_files() -> dict[str, Any]:
    return {name: load(name) for name in FILES}


def actions(rule: dict) -> Iterator[tuple[dict, str, list[dict], dict]]:
    """(condition, "instant"/group id, that group's actions, action) for every action."""
    for cond in rule["conditions"]:
        groups = [("instant", cond["instant_actions"]["actions"])]
        groups += [(g["id"], g["actions"]) for g in cond["scheduled_actions"] or []]
        for slot, group in groups:
            for action in group:
                yield cond, slot, group, action


def by_id(items: list[dict]) -> dict[str, dict]:
    return {item["id"]: item for item in items}
