"""The tag ids, clock, error bodies and rule lookup both tags API test files (test_tags.py,
test_tags_update_delete.py) use. `frozen_clock` is autouse: importing it freezes the default org's
clock for every test of the importing file."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

TAGS = "/crm/v8/settings/tags"
DEALS = {"module": "Deals"}
PRIORITY = "4876876000011037136"
FINANCE_REVIEW = "4876876000011037148"
PATRICIA = {"name": "Patricia Boyle", "id": "4876876000000327001"}
NOW = "2025-12-01T10:00:00+05:30"
ID = re.compile(r"4876876\d{12}")


@pytest.fixture(autouse=True)
def frozen_clock(org):
    org.clock.set(datetime(2025, 12, 1, 4, 30, tzinfo=UTC), freeze=True)


def error(code: str, message: str, details: dict | None = None) -> dict:
    return {"code": code, "details": details or {}, "message": message, "status": "error"}


def item_error(code: str, message: str, api_name: str, index: int = 0, **extra) -> dict:
    details = {"api_name": api_name, "json_path": f"$.tags[{index}].{api_name}", **extra}
    return error(code, message, details)


def rule_tags(org, rule_id: str) -> list[dict]:
    tags = []
    for condition in org.rules[rule_id]["conditions"]:
        actions = list((condition.get("instant_actions") or {}).get("actions") or [])
        for group in condition.get("scheduled_actions") or []:
            actions += group["actions"]
        tags += [t for a in actions if a["type"].endswith("_tags") for t in a["details"]["tags"]]
    return tags
