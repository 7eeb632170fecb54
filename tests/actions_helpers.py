"""Paths, specs and minimal valid bodies the automation-action entity tests share."""

from __future__ import annotations

import copy
from typing import Any

BASE = "/crm/v8/settings/automation"
RULES = f"{BASE}/workflow_rules"
LEADS = {"api_name": "Leads", "id": "4876876000000002175"}
DEALS = {"api_name": "Deals", "id": "4876876000000002181"}
PATRICIA = "4876876000000327001"
PREMIUM_LEAD_ALERT = "4876876000016390771"  # webhook used by one seeded Leads rule
UNUSED = {  # seeded entities no rule uses
    "field_updates": "4876876000009610092",
    "email_notifications": "4876876000016794062",
    "tasks": "4876876000016794047",
}
# kind -> (OAS spec file, list op, get op, create op, update-by-id op, delete op, bulk op)
SPECS = {
    "field_updates": (
        "field_updates",
        "getFieldUpdates",
        "getFieldUpdateById",
        "createFieldUpdates",
        "updateFieldUpdateById",
        "deleteFieldUpdateById",
        "deleteFieldUpdates",
    ),
    "tasks": (
        "workflow_tasks",
        "getTasks",
        "getTaskById",
        "createWorkflowTasks",
        "updateWorkflowTaskById",
        "deleteTaskById",
        "deleteTasks",
    ),
    "webhooks": (
        "webhooks",
        "getWebhooks",
        "getWebhookById",
        "createWebhooks",
        "updateWebhookById",
        "deleteWebhooksById",
        "deleteWebhooks",
    ),
}
KINDS = ("field_updates", "email_notifications", "tasks", "webhooks")

_BODIES: dict[str, dict[str, Any]] = {
    "field_updates": {
        "name": "Lead Status - Attempted",
        "module": LEADS,
        "field": {"api_name": "Lead_Status", "id": "4876876000000002321"},
        "value": "Attempted to Contact",
        "type": "static",
    },
    "email_notifications": {
        "name": "Lead - Notify Patricia",
        "module": LEADS,
        "template": {"name": "High revenue Lead added", "id": "4876876000008700001"},
        "recipients": {"to": [{"type": "user", "resource": {"id": PATRICIA}}]},
    },
    "tasks": {
        "name": "Call the lead",
        "module": LEADS,
        "field_mappings": [
            {"field": {"api_name": "Subject"}, "type": "static", "value": "Call the lead"},
            {
                "field": {"api_name": "Due_Date"},
                "type": "execution_time",
                "value": {
                    "period": "business_days",
                    "unit": "2",
                    "trigger_field": "${CURRENTTIME}",
                    "sign": "plus",
                },
            },
            {"field": {"api_name": "Priority"}, "type": "static", "value": "High"},
        ],
    },
    "webhooks": {
        "name": "Lead Ping",
        "url": "https://hooks.zylker.com/crm/ping",
        "http_method": "POST",
        "module": LEADS,
        "feature_type": "workflow",
        "authentication": {"type": "general"},
        "headers": {"custom_parameters": [{"name": "X-Source", "value": "crm"}]},
        "body": {"type": "raw", "format": "JSON", "raw_data_content": '{"id":"${!Leads.Id}"}'},
    },
}


def entity_body(kind: str, **overrides: Any) -> dict[str, Any]:
    """A minimal valid Leads entity of `kind`; keyword arguments replace top-level keys."""
    item = copy.deepcopy(_BODIES[kind])
    item.update(overrides)
    return item


def wrap(kind: str, item: Any) -> dict[str, Any]:
    return {kind: [item]}


def refused(api, org, kind: str, item: dict[str, Any]) -> Any:
    """POST one entity of `kind` that must be refused (400) and change nothing; its body."""
    before = copy.deepcopy(org.entities[kind])
    resp = api.post(f"{BASE}/{kind}", json=wrap(kind, item))
    assert resp.status_code == 400
    assert org.entities[kind] == before
    return resp.json


def create(api, kind: str, **overrides: Any) -> str:
    resp = api.post(f"{BASE}/{kind}", json=wrap(kind, entity_body(kind, **overrides)))
    assert resp.status_code == 201, resp.json
    return resp.json[kind][0]["details"]["id"]


def success(kind: str, entity_id: str, message: str) -> dict[str, Any]:
    item = {
        "code": "SUCCESS",
        "details": {"id": entity_id},
        "message": message,
        "status": "success",
    }
    return {kind: [item]}


def lead_rule(kind: str, entity_id: str, name: str = "Uses an action") -> dict[str, Any]:
    """A Leads create rule whose only action is the entity."""
    return {
        "workflow_rules": [
            {
                "name": name,
                "module": {"api_name": "Leads"},
                "execute_when": {"type": "create", "details": {}},
                "conditions": [
                    {
                        "sequence_number": 1,
                        "criteria_details": {"criteria": None},
                        "instant_actions": {"actions": [{"type": kind, "id": entity_id}]},
                    }
                ],
            }
        ]
    }
