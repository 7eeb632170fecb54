"""Shape checks and normalisation of criteria (rule conditions and field-update triggers).

Evaluation against records is criteria.py's job (the engine); this module only validates."""

from __future__ import annotations

import copy
from typing import Any

from mockcrm.crm.org import Org
from mockcrm.crm.rule_errors import invalid, missing, rule_error

CONDITION_COMPARATORS = frozenset(
    [
        "equal",
        "not_equal",
        "like",
        "not_like",
        "starts_with",
        "ends_with",
        "contains",
        "not_contains",
        "less_than",
        "less_equal",
        "greater_than",
        "greater_equal",
        "between",
        "not_between",
        "in",
        "not_in",
        "include_all",
        "include_any",
        "exclude_all",
        "exclude_any",
    ]
)
TRIGGER_COMPARATORS = frozenset(
    [
        "equal",
        "not_equal",
        "like",
        "not_like",
        "starts_with",
        "ends_with",
        "contains",
        "not_contains",
        "greater_than",
        "greater_equal",
        "less_equal",
        "less_than",
        "in",
        "not_in",
        "between",
        "${ANYVALUE}",
    ]
)
VALUE_TYPES = frozenset({"value", "merge_field", "pre_defined", "field"})
ORDERING = frozenset({"less_than", "less_equal", "greater_than", "greater_equal"})
TEXT = frozenset({"like", "not_like", "starts_with", "ends_with", "contains", "not_contains"})
LISTS = frozenset({"in", "not_in", "equal", "not_equal"})  # the ones a list of values may hold
INCLUDES = frozenset({"include_all", "include_any", "exclude_all", "exclude_any"})
MAX_VALUES = 500
MAX_INCLUDED = 5  # include_* / exclude_*: 1-5 values (tags, options or lookup objects)
MAX_VALUE_LENGTH = 255
MAX_GROUP = 25
# Nested groups. Each group holds >= 2 members and Zoho allows 25 criteria, so real criteria nest
# at most 24 deep; the limit keeps the recursion below (and the engine's) far from the stack's.
MAX_CRITERIA_DEPTH = 25


def normalise_criteria(
    org: Org, module: str, raw: Any, path: str, *, trigger: bool = False, depth: int = 1
) -> dict[str, Any]:
    """A validated copy with field ids filled in and `type` defaulted, as Zoho stores it."""
    if not isinstance(raw, dict):
        raise invalid("criteria", path, "Invalid data type", expected_data_type="jsonobject")
    if "group" in raw or "group_operator" in raw:
        return _group(org, module, raw, path, trigger, depth)
    return _simple(org, module, raw, path, trigger)


def _group(
    org: Org, module: str, raw: dict, path: str, trigger: bool, depth: int
) -> dict[str, Any]:
    operator = raw.get("group_operator")
    allowed = {"AND", "OR"} if trigger else {"AND", "OR", "and", "or"}
    if operator is None:
        raise missing("group_operator", f"{path}.group_operator")
    if not isinstance(operator, str) or operator not in allowed:
        raise invalid("group_operator", f"{path}.group_operator")
    group = raw.get("group")
    if not isinstance(group, list):
        raise missing("group", f"{path}.group")
    if not 2 <= len(group) <= MAX_GROUP or depth > MAX_CRITERIA_DEPTH:
        raise invalid("group", f"{path}.group")
    members = [
        normalise_criteria(
            org, module, item, f"{path}.group[{i}]", trigger=trigger, depth=depth + 1
        )
        for i, item in enumerate(group)
    ]
    return {"group_operator": operator, "group": members}


def _simple(org: Org, module: str, raw: dict, path: str, trigger: bool) -> dict[str, Any]:
    field_ref = raw.get("field")
    if not isinstance(field_ref, dict) or not field_ref.get("api_name"):
        raise missing("field", f"{path}.field")
    api_name = field_ref["api_name"]
    if not isinstance(api_name, str):
        raise invalid("field", f"{path}.field")
    field = None if "." in api_name else org.field(module, api_name)
    if "." not in api_name and (field is None or field_ref.get("id") not in (None, field["id"])):
        raise invalid("field", f"{path}.field")
    comparator = raw.get("comparator")
    if comparator is None:
        raise missing("comparator", f"{path}.comparator")
    comparators = TRIGGER_COMPARATORS if trigger else CONDITION_COMPARATORS
    if not isinstance(comparator, str) or comparator not in comparators:
        raise invalid("comparator", f"{path}.comparator")
    if "value" not in raw and comparator != "${ANYVALUE}":
        raise missing("value", f"{path}.value")
    value = raw.get("value")
    if comparator in {"between", "not_between"} and not (
        isinstance(value, list) and len(value) == 2
    ):
        raise invalid("value", f"{path}.value")
    if comparator in {"in", "not_in"} and not isinstance(value, list):
        raise invalid("value", f"{path}.value")
    value_type = raw.get("type", "value")
    if not isinstance(value_type, str) or value_type not in VALUE_TYPES:
        raise invalid("type", f"{path}.type")
    if value_type == "value" and "value" in raw:
        _check_value(comparator, value, f"{path}.value")
    ref = {"api_name": api_name, "id": field["id"]} if field else {"api_name": api_name}
    out: dict[str, Any] = {"comparator": comparator, "field": ref}
    if not (trigger and value_type == "value"):
        # Zoho's GET shape of a trigger criterion has no `type` (it is always a value).
        out["type"] = value_type
    if "value" in raw:
        out["value"] = copy.deepcopy(value)
    return out


def _check_value(comparator: str, value: Any, path: str) -> None:
    """A literal value of the shape its comparator takes (Zoho's *FilterCriterionRequest
    schemas): ordering and range comparators take numbers or text (dates), text comparators
    text, lists hold 1-500 primitives (include_*/exclude_*: 1-5 values, objects too), and no
    text is longer than 255 characters."""
    items = value if isinstance(value, list) else [value]
    if comparator in INCLUDES:
        if not isinstance(value, list) or not 1 <= len(value) <= MAX_INCLUDED:
            raise invalid("value", path)
        items = [item for item in value if not isinstance(item, dict)]  # objects: a tag, a record
    elif isinstance(value, list) and (
        comparator not in LISTS | TEXT | {"between", "not_between"}
        or not 1 <= len(value) <= MAX_VALUES
        or any(isinstance(item, list | dict) for item in value)
    ):
        raise invalid("value", path)
    if comparator in ORDERING | {"between", "not_between"}:
        scalar = (str, int, float)
        if any(not isinstance(item, scalar) or isinstance(item, bool) for item in items):
            raise invalid("value", path)
    if comparator in TEXT and any(not isinstance(item, str) for item in items):
        raise invalid("value", path)
    if any(isinstance(item, str) and len(item) > MAX_VALUE_LENGTH for item in items):
        raise invalid("value", path, "value too long", maximum_length=MAX_VALUE_LENGTH)


def normalise_relational(org: Org, raw: Any, path: str) -> dict[str, Any]:
    empty = {"module_selection": None, "criteria": None, "module": None}
    if raw is None:
        return empty
    if not isinstance(raw, dict):
        raise invalid(
            "relational_criteria", path, "Invalid data type", expected_data_type="jsonobject"
        )
    if any(raw.get(k) is not None for k in empty) and raw.get("module_selection") is None:
        raise missing("module_selection", f"{path}.module_selection")
    selection = raw.get("module_selection")
    if selection not in (None, "all", "specific", "unknown"):
        raise invalid("module_selection", f"{path}.module_selection")
    module_ref = raw.get("module")
    if selection == "specific" and not module_ref:
        dep = {"api_name": "module_selection", "json_path": f"{path}.module_selection"}
        raise rule_error(
            "DEPENDENT_MISMATCH",
            "Dependent Field is not matching",
            "module",
            f"{path}.module",
            dependee=dep,
        )
    return {**empty, **{k: copy.deepcopy(v) for k, v in raw.items() if k in empty}}
