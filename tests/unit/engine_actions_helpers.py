"""The seeded records, the test rule and the `perform` wrappers both engine-action test files
(test_engine_actions.py, test_engine_actions_outbox.py) use, on the frozen clock
(2025-12-01T11:09:10+05:30, a Monday)."""

from __future__ import annotations

import copy
from typing import Any

from mockcrm.crm.engine_actions import perform
from mockcrm.crm.engine_records import Outcome
from mockcrm.crm.org import Org

NOW = "2025-12-01T11:09:10+05:30"
RULE = {"id": "4876876000099000001", "name": "Test Rule"}
DEAL = "4876876000005040001"  # Orbit Logistics - Fleet Tracking Suite, owner Patricia Boyle
LEAD = "4876876000005030001"  # Kavya Menon, Brightline Analytics, tag Hot, owner Unnati Pandey


def associate(kind: str, entity_id: str, related: Any = None) -> dict:
    return {"name": "n", "id": entity_id, "type": kind, "related_details": related}


def inline(kind: str, details: dict | None = None) -> dict:
    return {"id": "4876876000099000010", "name": kind, "type": kind, "details": details}


def run(org: Org, action: dict, module: str = "Deals", rid: str = DEAL, **kw: Any) -> Outcome:
    return perform(org, RULE, action, module, rid, scheduled=kw.pop("scheduled", False), **kw)


def state(org: Org) -> dict:
    return copy.deepcopy(
        {"records": org.records, "outbox": org.outbox, "tags": org.tags, "ids": org.ids.state()}
    )


def assert_failed(org: Org, action: dict, detail: dict, module: str = "Deals", rid: str = DEAL):
    before = state(org)
    outcome = run(org, action, module, rid)
    assert (outcome.status, outcome.detail, outcome.events) == ("failure", detail, [])
    assert state(org) == before  # a failed action changes nothing
