"""Actions inside a condition: request -> stored (GET) shape, PUT merge, and per-list checks."""

from __future__ import annotations

import copy
from typing import Any

from mockcrm.core.jsontext import dumps_canonical
from mockcrm.crm.action_details import check_details, details_missing, needs_details
from mockcrm.crm.configurations import TriggerRules
from mockcrm.crm.org import Org
from mockcrm.crm.rule_errors import (
    AMBIGUOUS,
    ambiguity,
    dependent_missing,
    invalid,
    limit_exceeded,
    rule_error,
)
from mockcrm.crm.triggers import resolve_module

ACTION_TYPES = frozenset(
    [
        "create_record",
        "add_meeting",
        "schedule_call",
        "assign_owner",
        "add_tags",
        "remove_tags",
        "convert",
        "email_notifications",
        "field_updates",
        "tasks",
        "webhooks",
        "functions",
        "sms",
        "whatsapp",
        "flow",
        "circuits",
        "slack_notifications",
        "cliq_notifications",
        "cisco_notifications",
        "google_chat_notifications",
        "microsoft_teams_notifications",
        "create_record_email",
        "create_connected_record",
        "comment_to_post",
        "reply_to_comment",
        "like_to_comment",
        "reply_to_message",
        "retweet",
        "reply_to_tweet",
    ]
)
ASSOCIATE_TYPES = frozenset({"email_notifications", "field_updates", "tasks", "webhooks"})
# Associate actions whose entities mockcrm does not keep (functions, messaging): any id is taken.
UNTRACKED_ASSOCIATE_TYPES = frozenset({"functions", "sms", "whatsapp"})
ANY_ASSOCIATE_TYPES = ASSOCIATE_TYPES | UNTRACKED_ASSOCIATE_TYPES
WITH_RELATED_DETAILS = frozenset({"email_notifications", "field_updates", "tasks"})
PATH_KEY = "_path"  # where in the request an action came from; stripped before storing
# `_delete: null` removes an object on PUT; presence is what matters, so the key is kept raw.
DELETE_KEY = "_delete"
MAX_TAGS = 10
# assign_owner entries named by `resource.id` (merge_field entries name a field instead).
RESOURCE_TYPES = frozenset({"user", "role", "group", "assignment_rule", "profile"})


def merge_actions(
    org: Org, module: str, existing: list[dict], requested: list[dict] | None, path: str
) -> list[dict]:
    """Zoho's PUT merge: `_delete` removes, a known id edits, anything else is added."""
    result = copy.deepcopy(existing) if existing else []  # a new condition's: nothing to copy
    seen: dict[tuple[str, str], str] = {}
    for j, raw in enumerate(requested or []):
        apath = f"{path}[{j}]"
        rid, rtype = raw.get("id"), raw["type"]
        index = _find(result, rid, rtype)
        if rid and (rid, rtype) in seen:
            first = seen[(rid, rtype)]
            raise rule_error("DUPLICATE_DATA", "Duplicate action not allowed", "actions", first)
        if DELETE_KEY in raw:
            if index is None:
                raise invalid("id", f"{apath}.id", "the id given seems to be invalid")
            del result[index]
            continue
        if rid and index is None and rtype not in ANY_ASSOCIATE_TYPES:
            raise invalid("id", f"{apath}.id", "the id given seems to be invalid")
        built = build_action(org, module, raw, apath, result[index] if index is not None else None)
        if rid:
            seen[(rid, rtype)] = apath
        if index is None:
            result.append(built)
        else:
            result[index] = built
    return result


def _find(actions: list[dict], rid: str | None, rtype: str) -> int | None:
    if not rid:
        return None
    return next(
        (i for i, a in enumerate(actions) if a.get("id") == rid and a["type"] == rtype), None
    )


def build_action(org: Org, module: str, raw: dict, path: str, current: dict | None) -> dict:
    rtype = raw["type"]
    if rtype not in ACTION_TYPES:
        raise invalid("type", f"{path}.type")
    if rtype in ANY_ASSOCIATE_TYPES:
        return _associate(org, module, raw, path)
    details = raw.get("details")
    if details is None and current is not None:
        details = current.get("details")
    if details is None and needs_details(rtype):
        raise details_missing(rtype, path)
    action: dict[str, Any] = {"id": raw.get("id"), "type": rtype, PATH_KEY: path}
    if rtype in ("add_tags", "remove_tags"):
        action["details"] = _tag_details(org, module, rtype, details, f"{path}.details")
        action["name"] = raw.get("name") or ", ".join(t["name"] for t in action["details"]["tags"])
    elif rtype == "assign_owner":
        action["details"] = _owner_details(org, module, details, f"{path}.details")
        assign_to = action["details"]["assign_to"]
        names = [e["resource"].get("name") or "" for e in assign_to if e.get("resource")]
        action["name"] = raw.get("name") or f"To users : {', '.join(names)}"
    else:
        if details is not None:
            action["details"] = check_details(org, module, rtype, details, path)
        action["name"] = raw.get("name") or (current or {}).get("name") or rtype
    if raw.get("related_details") is not None:
        action["related_details"] = copy.deepcopy(raw["related_details"])
    return action


def _associate(org: Org, module: str, raw: dict, path: str) -> dict:
    rtype, rid = raw["type"], raw.get("id")
    if not rid:
        raise dependent_missing("type", f"{path}.type", "id", f"{path}.id")
    name = raw.get("name") or rtype
    if rtype in ASSOCIATE_TYPES:
        entity = org.entity(rtype, rid)
        related = raw.get("related_details") or {}
        cross_module = isinstance(related, dict) and related.get("lookup_field")
        if entity is None or (entity["module"]["api_name"] != module and not cross_module):
            raise invalid("id", f"{path}.id", "the id given seems to be invalid")
        name = entity["name"]
    action: dict[str, Any] = {"name": name, "id": rid, "type": rtype, PATH_KEY: path}
    if rtype in WITH_RELATED_DETAILS:
        action["related_details"] = copy.deepcopy(raw.get("related_details"))
    return action


def _details_module(org: Org, ref: Any, path: str) -> str:
    """A module inside an action's details, as the rule's own, except that an api_name and an
    id naming two different modules are ambiguous (Zoho's AutomationModuleRef)."""
    if isinstance(ref, dict) and isinstance(ref.get("api_name"), str) and ref.get("id"):
        named, by_id = org.modules.get(ref["api_name"]), org.module_by_id(str(ref["id"]))
        if named is not None and by_id is not None and named["id"] != by_id["id"]:
            raise ambiguity(AMBIGUOUS, ("api_name", f"{path}.api_name"), ("id", f"{path}.id"))
    return resolve_module(org, ref, path)


def _tag_details(org: Org, module: str, rtype: str, details: dict, path: str) -> dict:
    target = module
    if details.get("module") is not None:
        target = _details_module(org, details["module"], f"{path}.module")
        if target != module:
            raise invalid("module", f"{path}.module")
    tags = details.get("tags")
    if not isinstance(tags, list) or not tags:
        raise invalid("tags", f"{path}.tags", "Tags array cannot be empty")
    if len(tags) > MAX_TAGS:
        raise limit_exceeded("tags", MAX_TAGS, f"{path}.tags", "too many records")
    resolved = []
    for k, tag in enumerate(tags):
        tpath = f"{path}.tags[{k}]"
        if not isinstance(tag, dict) or not (tag.get("id") or tag.get("name")):
            raise invalid("tags", tpath)
        found = org.tag(target, tag_id=tag.get("id")) if tag.get("id") else None
        if found and tag.get("name") and tag["name"] != found["name"]:
            raise ambiguity(
                "Ambiguity during processing", ("name", f"{tpath}.name"), ("id", f"{tpath}.id")
            )
        found = found or (org.tag(target, name=tag["name"]) if not tag.get("id") else None)
        if found is None:
            raise invalid("tags", tpath)
        resolved.append(
            {"name": found["name"], "id": found["id"], "color_code": found["color_code"]}
        )
    # Kaizen 215 spells the flag `overwrite`; Zoho's schema says `over_write`.
    over_write = details.get("over_write", details.get("overwrite", False))
    if not isinstance(over_write, bool):
        raise invalid(
            "over_write", f"{path}.over_write", "Invalid data type", expected_data_type="boolean"
        )
    return {
        "module": org.module_ref(target),
        "over_write": over_write if rtype == "add_tags" else False,
        "tags": resolved,
    }


def _owner_details(org: Org, module: str, details: dict, path: str) -> dict:
    out = copy.deepcopy(details)
    out["module"] = org.module_ref(
        _details_module(org, details["module"], f"{path}.module")
        if details.get("module")
        else module
    )
    assign_to = details.get("assign_to")
    if not isinstance(assign_to, list) or not 1 <= len(assign_to) <= 5:
        raise invalid("assign_to", f"{path}.assign_to")
    for k, entry in enumerate(assign_to):
        epath = f"{path}.assign_to[{k}]"
        if not isinstance(entry, dict) or not entry.get("type"):
            raise invalid("type", f"{epath}.type")
        if entry["type"] in RESOURCE_TYPES:
            out["assign_to"][k] = _assignee(org, entry, epath)
    return out


def _assignee(org: Org, entry: dict, path: str) -> dict:
    """A user, role, group, assignment rule or profile named by `resource.id` (its `name` is
    optional: the server fills it in; sent, it must be the one of that id)."""
    kind, resource = entry["type"], entry.get("resource")
    if not isinstance(resource, dict):
        raise dependent_missing("type", f"{path}.type", "resource", f"{path}.resource")
    rid = resource.get("id")
    if not isinstance(rid, str | int) or isinstance(rid, bool) or not str(rid):
        raise dependent_missing("type", f"{path}.type", "id", f"{path}.resource.id")
    rid, sent_name = str(rid), resource.get("name")
    if kind == "user":
        user = org.user(rid)
        if user is None:
            raise invalid("id", f"{path}.resource.id", "Invalid User ID")
        name = user["full_name"]
    else:
        # Roles and profiles are known from the users holding them; groups and assignment
        # rules are not modelled, so any id is taken at its word.
        held = (u.get(kind) for u in org.users if isinstance(u.get(kind), dict))
        name = next((h.get("name") for h in held if h.get("id") == rid), None) or sent_name
    if sent_name is not None and name is not None and sent_name != name:
        raise ambiguity(AMBIGUOUS, ("id", f"{path}.resource.id"), ("name", f"{path}.resource.name"))
    return {**entry, "resource": {"name": name or rid, "id": rid, "type": kind}, "details": None}


def check_action_list(
    org: Org, module: str, trigger: TriggerRules, actions: list[dict], path: str, *, scheduled: bool
) -> None:
    """Support by trigger/module, scheduling, duplicates. Limits are counted per condition."""
    seen: dict[str, str] = {}
    for j, action in enumerate(actions):
        apath = action.get(PATH_KEY) or f"{path}[{j}]"
        rtype = action["type"]
        if org.catalogue.action(module, rtype) is None:
            raise ambiguity(
                "action not supported for this module",
                ("module", "$.workflow_rules[*].module"),
                ("type", f"{apath}.type"),
            )
        if rtype not in trigger.actions:
            raise ambiguity(
                "action not supported for this trigger",
                ("type", "$.workflow_rules[0].execute_when.type"),
                ("type", f"{apath}.type"),
            )
        if scheduled and not org.catalogue.action(module, rtype)["supported_in_scheduled_action"]:
            raise rule_error(
                "NOT_ALLOWED", "The unsupported action is given", "type", f"{apath}.type"
            )
        if len(actions) == 1:  # nothing to repeat
            continue
        if rtype in ANY_ASSOCIATE_TYPES:
            key = dumps_canonical([rtype, action["id"]])
        else:
            key = dumps_canonical([rtype, action.get("details")])
        if key in seen:
            raise rule_error("DUPLICATE_DATA", "Duplicate action not allowed", "actions", apath)
        seen[key] = apath


def check_limits(org: Org, module: str, actions: list[dict], path: str) -> None:
    counts: dict[str, int] = {}
    for action in actions:
        counts[action["type"]] = counts.get(action["type"], 0) + 1
    for rtype, count in counts.items():
        limit = (org.catalogue.action(module, rtype) or {}).get("limit")
        if limit is not None and count > limit:
            raise limit_exceeded("actions", limit, path, "actions limit exceeded")


def strip_paths(actions: list[dict]) -> None:
    for action in actions:
        action.pop(PATH_KEY, None)
