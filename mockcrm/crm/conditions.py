"""Conditions of a rule: PUT/POST merge into the stored shape, then the whole-rule checks."""

from __future__ import annotations

import copy
from typing import Any

from mockcrm.core.jsontext import dumps_canonical
from mockcrm.crm.configurations import TriggerRules
from mockcrm.crm.criteria_rules import normalise_criteria, normalise_relational
from mockcrm.crm.org import Org
from mockcrm.crm.rule_actions import (
    DELETE_KEY,
    PATH_KEY,
    check_action_list,
    check_limits,
    merge_actions,
)
from mockcrm.crm.rule_errors import (
    AMBIGUOUS,
    ROOT,
    TOP,
    ambiguity,
    dependent_missing,
    invalid,
    limit_exceeded,
    missing,
    rule_error,
)
from mockcrm.crm.triggers import UNIT_RANGES

MAX_CONDITIONS = 10
MAX_SCHEDULED_GROUPS = 5
MAX_ACTIONS_PER_CONDITION = 50


def merge_conditions(
    org: Org, module: str, existing: list[dict], requested: list[dict] | None
) -> list[dict]:
    result = copy.deepcopy(existing) if existing else []  # a new rule's: nothing to copy
    for i, raw in enumerate(requested or []):
        cpath = f"{ROOT}.conditions[{i}]"
        cid = raw.get("id") if existing else None
        index = _locate(result, cid, raw, cpath, "This given conditionid seems to be invalid")
        if index is DELETED:
            continue
        current = result[index] if index is not None else None
        built = _merge_condition(org, module, current, raw, cpath)
        if index is None:
            result.append(built)
        else:
            result[index] = built
    return result


DELETED = -1


def _locate(
    items: list[dict], item_id: str | None, raw: dict, path: str, unknown: str
) -> int | None:
    """Index of the stored item `raw` names by id (None: a new item). `_delete` removes it in
    place and answers DELETED; an unknown id, or `_delete` without one, is refused."""
    index = next((k for k, item in enumerate(items) if item_id and item["id"] == item_id), None)
    if item_id and index is None:
        raise invalid("id", f"{path}.id", unknown)
    if DELETE_KEY in raw:
        if index is None:
            raise missing("id", f"{path}.id")
        del items[index]
        return DELETED
    return index


def _merge_condition(org: Org, module: str, current: dict | None, raw: dict, cpath: str) -> dict:
    if current is None:
        if "sequence_number" not in raw:
            raise missing("sequence_number", f"{cpath}.sequence_number")
        if raw.get("instant_actions") is None and not raw.get("scheduled_actions"):
            raise missing("instant_actions", f"{cpath}.instant_actions")
    cond = copy.deepcopy(current) if current else {"id": None, "scheduled_actions": None}
    cond[PATH_KEY] = cpath
    if "sequence_number" in raw:
        if raw["sequence_number"] is None or raw["sequence_number"] < 1:
            raise invalid("sequence_number", f"{cpath}.sequence_number")
        cond["sequence_number"] = raw["sequence_number"]
    if "criteria_details" in raw or current is None:
        # Omitted on a new condition: every record (Zoho's spec, as `{"criteria": null}`).
        given = raw.get("criteria_details", {})
        cond["criteria_details"] = _criteria_details(org, module, given, cpath)
    instant = (current or {}).get("instant_actions") or {"actions": []}
    requested = (raw.get("instant_actions") or {}).get("actions")
    ipath = f"{cpath}.instant_actions.actions"
    cond["instant_actions"] = {
        "actions": merge_actions(org, module, instant["actions"], requested, ipath)
    }
    if "scheduled_actions" in raw:
        cond["scheduled_actions"] = _merge_groups(
            org,
            module,
            (current or {}).get("scheduled_actions") or [],
            raw["scheduled_actions"],
            cpath,
        )
    return cond


def _criteria_details(org: Org, module: str, raw: dict, cpath: str) -> dict[str, Any]:
    path = f"{cpath}.criteria_details"
    criteria = raw.get("criteria")
    return {
        "criteria": None
        if criteria is None
        else normalise_criteria(org, module, criteria, f"{path}.criteria"),
        "relational_criteria": normalise_relational(
            org, raw.get("relational_criteria"), f"{path}.relational_criteria"
        ),
    }


def _merge_groups(
    org: Org, module: str, existing: list[dict], requested: list[dict] | None, cpath: str
) -> list[dict] | None:
    if requested is None:
        return None
    groups = copy.deepcopy(existing)
    for g, raw in enumerate(requested):
        gpath = f"{cpath}.scheduled_actions[{g}]"
        index = _locate(groups, raw.get("id"), raw, gpath, "the id given seems to be invalid")
        if index is DELETED:
            continue
        group = groups[index] if index is not None else {"id": None, "actions": []}
        if "execute_after" in raw or index is None:
            group["execute_after"] = _execute_after(raw.get("execute_after"), gpath)
        group["actions"] = merge_actions(
            org, module, group["actions"], raw.get("actions"), f"{gpath}.actions"
        )
        group[PATH_KEY] = gpath
        if index is None:
            groups.append(group)
    return groups


def _execute_after(raw: dict | None, gpath: str) -> dict[str, Any]:
    path = f"{gpath}.execute_after"
    period, unit = (raw or {}).get("period"), (raw or {}).get("unit")
    if period is None and unit is None:
        fields = [{"api_name": k, "json_path": f"{path}.{k}"} for k in ("period", "unit")]
        raise rule_error(
            "EXPECTED_FIELD_MISSING",
            "Specify atleast one field",
            None,
            None,
            expected_fields=fields,
        )
    for key, value in (("period", period), ("unit", unit)):
        if value is None:
            dep = {"api_name": "execute_after", "json_path": path}
            raise rule_error(
                "DEPENDENT_FIELD_MISSING",
                "Dependent Field missing",
                key,
                f"{path}.{key}",
                dependee=dep,
            )
    if period not in UNIT_RANGES:
        raise invalid("period", f"{path}.period")
    low, high = UNIT_RANGES[period]
    if not low <= unit <= high:
        raise invalid("unit", f"{path}.unit")
    return {"period": period, "unit": unit}


def check_conditions(org: Org, module: str, execute_when: dict, conditions: list[dict]) -> None:
    """Whole-rule checks on the merged candidate: counts, order, criteria, actions, scheduling."""
    path = f"{TOP}.conditions"
    if not conditions:
        raise missing("conditions", path)
    if len(conditions) > MAX_CONDITIONS:
        raise limit_exceeded("conditions", MAX_CONDITIONS, path, "conditions limit exceeded")
    trigger_module = execute_when["details"]["trigger_module"]["api_name"]
    trigger = org.catalogue.trigger_rules(module, execute_when["type"], trigger_module)
    assert trigger is not None  # normalise_trigger has checked it
    seen_sequence: set[int] = set()
    seen_criteria: dict[str, str] = {}
    for i, cond in enumerate(conditions):
        cpath = cond.get(PATH_KEY) or f"{ROOT}.conditions[{i}]"
        if cond["sequence_number"] in seen_sequence:
            raise invalid("sequence_number", f"{cpath}.sequence_number", "duplicate data")
        seen_sequence.add(cond["sequence_number"])
        # Only a second condition can repeat criteria (a one-condition rule skips the key).
        key = dumps_canonical(cond["criteria_details"]) if len(conditions) > 1 else ""
        if key in seen_criteria:
            raise rule_error(
                "ALREADY_USED",
                "duplicate criteria details.",
                "criteria_details",
                f"{cpath}.criteria_details",
                exists_in={"api_name": "criteria_details", "json_path": seen_criteria[key]},
            )
        seen_criteria[key] = f"{cpath}.criteria_details"
        _check_condition_actions(org, module, execute_when, trigger, cond, cpath)


def _check_condition_actions(
    org: Org, module: str, execute_when: dict, trigger: TriggerRules, cond: dict, cpath: str
) -> None:
    instant = cond["instant_actions"]["actions"]
    groups = cond.get("scheduled_actions") or []
    scheduled = [a for g in groups for a in g["actions"]]
    if not instant and not scheduled:
        raise rule_error("CANNOT_REMOVE", "Actions cannot be empty", None, None)
    ipath = f"{cpath}.instant_actions.actions"
    check_action_list(org, module, trigger, instant, ipath, scheduled=False)
    check_limits(org, module, instant, ipath)
    if groups:
        _check_scheduling(execute_when, trigger, instant, cpath)
        if len(groups) > MAX_SCHEDULED_GROUPS:
            raise limit_exceeded(
                "scheduled_actions",
                MAX_SCHEDULED_GROUPS,
                f"{cpath}.scheduled_actions",
                "actions limit exceeded",
            )
        for g, group in enumerate(groups):
            gpath = group.get(PATH_KEY) or f"{cpath}.scheduled_actions[{g}]"
            if not group["actions"]:
                raise rule_error("CANNOT_REMOVE", "Actions cannot be empty", None, None)
            check_action_list(
                org, module, trigger, group["actions"], f"{gpath}.actions", scheduled=True
            )
        check_limits(org, module, scheduled, f"{cpath}.scheduled_actions")
    if len(instant) + len(scheduled) > MAX_ACTIONS_PER_CONDITION:
        raise limit_exceeded("actions", MAX_ACTIONS_PER_CONDITION, ipath, "actions limit exceeded")
    overwrite = any(
        a["type"] == "add_tags" and a["details"]["over_write"] for a in instant + scheduled
    )
    removal = next((a for a in instant + scheduled if a["type"] == "remove_tags"), None)
    if overwrite and removal is not None:
        raise invalid(
            "type",
            f"{removal.get(PATH_KEY) or ipath}.type",
            "Remove tag not supported with Overwrite Add Tag",
        )
    placed = [(a, a.get(PATH_KEY) or f"{ipath}[{j}]") for j, a in enumerate(instant)]
    for g, group in enumerate(groups):
        gpath = group.get(PATH_KEY) or f"{cpath}.scheduled_actions[{g}]"
        actions = group["actions"]
        placed += [(a, a.get(PATH_KEY) or f"{gpath}.actions[{k}]") for k, a in enumerate(actions)]
    _check_convert(module, cond, placed, cpath)


def _check_convert(module: str, cond: dict, placed: list[tuple[dict, str]], cpath: str) -> None:
    """A lead converts only on criteria (null criteria: DEPENDENT_FIELD_MISSING) and never beside
    tag actions (AMBIGUITY_DURING_PROCESSING), as Zoho's spec says. `placed`: (action, path)."""
    convert = next((f"{p}.type" for a, p in placed if a["type"] == "convert"), None)
    if convert is None:
        return
    if cond["criteria_details"]["criteria"] is None:
        raise dependent_missing("type", convert, "criteria", f"{cpath}.criteria_details.criteria")
    tags = [f"{p}.type" for a, p in placed if a["type"] in ("add_tags", "remove_tags")]
    if module == "Leads" and tags:
        raise ambiguity(AMBIGUOUS, ("type", convert), ("type", tags[0]))


def _check_scheduling(
    execute_when: dict, trigger: TriggerRules, instant: list[dict], cpath: str
) -> None:
    """Scheduled actions need a trigger that supports them, no `repeat`, and no convert."""
    if not trigger.scheduled_actions_supported:
        _scheduling_mismatch("type", f"{ROOT}.execute_when.type", cpath)
    if execute_when["details"].get("repeat"):
        _scheduling_mismatch("repeat", f"{ROOT}.execute_when.details.repeat", cpath)
    if any(a["type"] == "convert" for a in instant):
        _scheduling_mismatch("type", f"{cpath}.instant_actions.actions", cpath)


def _scheduling_mismatch(dependee: str, dependee_path: str, cpath: str) -> None:
    dep = {"api_name": dependee, "json_path": dependee_path}
    raise rule_error(
        "DEPENDENT_MISMATCH", "Dependent Field is not matching", "scheduled_actions",
        f"{cpath}.scheduled_actions", dependee=dep,
    )  # fmt: skip
