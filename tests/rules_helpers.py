"""Request bodies and ids the workflow-rule tests share (Zylker seed facts)."""

from __future__ import annotations

import copy
from typing import Any

RULES = "/crm/v8/settings/automation/workflow_rules"
VP_ALERT = "4876876000016390024"
VP_ALERT_CONDITION = "4876876000016390025"
HIGH_VALUE_LEAD = "4876876000013248001"
DEALS = {"api_name": "Deals", "id": "4876876000000002181"}
DEAL_LOST_ALERT = "4876876000016794062"
LOST_DEAL_TASK = "4876876000016794047"
LEAD_EMAIL = "4876876000016390103"
PRIORITY_TAG = "Priority"
LOST_PRICING_TAG = "4876876000016794071"
PATRICIA = "4876876000000327001"


def email_action(entity_id: str = DEAL_LOST_ALERT) -> dict[str, Any]:
    return {"type": "email_notifications", "id": entity_id}


def deal_rule(**overrides: Any) -> dict[str, Any]:
    """A minimal valid Deals rule; keyword arguments replace top-level keys."""
    rule: dict[str, Any] = {
        "name": "Test rule",
        "module": copy.deepcopy(DEALS),
        "execute_when": {"type": "create", "details": {}},
        "conditions": [
            {
                "sequence_number": 1,
                "criteria_details": {"criteria": None},
                "instant_actions": {"actions": [email_action()]},
            }
        ],
    }
    rule.update(overrides)
    return rule


def body(rule: dict[str, Any]) -> dict[str, Any]:
    return {"workflow_rules": [rule]}


def condition(**overrides: Any) -> dict[str, Any]:
    cond = copy.deepcopy(deal_rule()["conditions"][0])
    cond.update(overrides)
    return cond


def actions_of(rule: dict[str, Any], index: int = 0) -> list[dict[str, Any]]:
    return rule["conditions"][index]["instant_actions"]["actions"]
