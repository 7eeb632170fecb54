"""Zylker seed facts the fuzzer aims at: real ids for path/query parameters, and valid bodies.

Random ids and bodies drawn from Zoho's schemas nearly always stop at "invalid id" or
"invalid module"; these anchors let a share of the generated requests, and one valid request
per write operation, reach the success paths whose bodies are then judged by the schemas.
"""

from __future__ import annotations

from typing import Any

from actions_helpers import entity_body
from rules_helpers import body as rules_body
from rules_helpers import deal_rule

from mockcrm.crm.org import Org

MODULE = "Deals"
_KIND = {"workflow_tasks": "tasks"}  # spec file -> entity kind / collection


# Query parameters Zoho requires but its spec leaves out of an operation, by (method, path):
# `PUT /settings/tags/{id}` needs `module` (fact sheet core §4.4; Zoho's spec lists only `id`).
EXTRA_QUERY = {("PUT", "/settings/tags/{id}"): {"module": MODULE}}


def anchors(org: Org, spec: str) -> dict[str, str]:
    """Parameter values naming real objects of the seed, by parameter name, for one spec."""
    values = {"module": MODULE, "moduleIdentifier": MODULE}
    if spec == "workflow_rules":
        rule_id = org.rule_order[MODULE][0]
        values |= {"id": rule_id, "workflowRuleId": rule_id, "ids": rule_id}
    elif spec in ("field_updates", "workflow_tasks", "webhooks"):
        entity_id = next(iter(org.entities[_KIND.get(spec, spec)]))
        values |= {"id": entity_id, "webhookId": entity_id, "webhook_id": entity_id}
        values["ids"] = entity_id
    elif spec == "tags":
        values["id"] = org.tags[MODULE][0]["id"]
    elif spec == "fields":
        values["fieldId"] = org.fields[MODULE][0]["id"]
    elif spec == "record":
        values["recordID"] = next(iter(org.records[MODULE]))
    elif spec == "users":
        values["user"] = org.users[0]["id"]
    return values


def valid_bodies(spec: str, values: dict[str, str]) -> dict[tuple[str, str], list[Any]]:
    """(method, path) -> request bodies mockcrm accepts for the anchored objects."""
    renamed = {"name": "Fuzzed name"}
    if spec == "workflow_rules":
        return {
            ("POST", "/settings/automation/workflow_rules"): [rules_body(deal_rule())],
            ("PUT", "/settings/automation/workflow_rules"): [
                {"workflow_rules": [{"id": values["id"], **renamed}]}
            ],
            ("PUT", "/settings/automation/workflow_rules/{id}"): [rules_body(renamed)],
        }
    if spec in ("field_updates", "workflow_tasks", "webhooks"):
        kind = _KIND.get(spec, spec)
        base = f"/settings/automation/{kind}"
        bodies = {
            ("POST", base): [{kind: [entity_body(kind)]}],
            ("PUT", base + ("/{webhookId}" if kind == "webhooks" else "/{id}")): [
                {kind: [renamed]}
            ],
        }
        if kind == "webhooks":
            bodies["PUT", base] = [{kind: [{"id": values["id"], **renamed}]}]
        return bodies
    if spec == "tags":
        return {
            ("POST", "/settings/tags"): [{"tags": [{"name": "Fuzzed"}]}],
            ("PUT", "/settings/tags"): [{"tags": [{"id": values["id"], "name": "Fuzzed"}]}],
            ("PUT", "/settings/tags/{id}"): [{"tags": [{"name": "Fuzzed"}]}],
        }
    if spec == "record":
        deal = {"Deal_Name": "Fuzzed deal", "Stage": "Qualification"}
        return {
            ("POST", "/{module}"): [{"data": [deal]}],
            ("POST", "/{module}/upsert"): [{"data": [deal]}],
            ("PUT", "/{module}"): [{"data": [{"id": values["recordID"], "Amount": 1}]}],
            ("PUT", "/{module}/{recordID}"): [{"data": [{"Amount": 1}]}],
        }
    return {}
