"""Criteria compiled once, evaluated many times: the engine tests the same rule conditions
against every record event, so the work criteria.py does per evaluation that depends only on
the criteria and the module's fields (finding the field, typing the values, scanning picklist
options) is done here once, into plain functions of a `Context`.

The meaning is criteria.py's, exactly: the shortcuts below cover the common comparisons
(picklists, numbers, text equality) and everything else calls criteria.py's own comparison with
the field and values found at compile time. A compiled form is only valid for the criteria
object and field list it was made from: crm/engine_plans.py keeps them per rule version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mockcrm.crm.criteria import (
    ANYVALUE,
    EMPTY,
    NEGATIONS,
    NOTEMPTY,
    NUMERIC,
    ORDER,
    SET_COMPARATORS,
    TEMPORAL,
    Context,
    _api_name,
    _as_list,
    _changed,
    _compare,
    _evaluate,
    _is_empty,
    _is_or,
    _number,
    _picklist_value,
    _text,
    _trigger,
    resolved_compare,
)
from mockcrm.crm.org import Org

Predicate = Callable[[Context], bool]
# (satisfied by the new values, satisfied and fired by a change), given the values before.
TriggerTest = Callable[[Context, dict | None], tuple[bool, bool]]
Comparison = Callable[[Context, Any], bool]
PICKLISTS = frozenset({"picklist", "multiselectpicklist"})
# Where criteria._equal compares the text of the two values (after numbers, booleans, dates).
PLAIN = frozenset({"boolean"}) | NUMERIC | TEMPORAL | PICKLISTS
SETS = {
    "include_all": all,
    "include_any": any,
    "exclude_all": lambda hits: not any(hits),
    "exclude_any": lambda hits: not all(hits),
}


def _always(ctx: Context) -> bool:
    return True


def _never(ctx: Context) -> bool:
    return False


def condition(org: Org, module: str, criteria: dict | None) -> Predicate:
    """criteria.matches(org, module, criteria, ctx.record) as a function of the context."""
    if not criteria:
        return _always
    try:
        return _node(org, module, criteria)
    except Exception:  # malformed: criteria.py decides (and fails) when evaluation gets there
        return lambda ctx: _evaluate(ctx, criteria)


def _node(org: Org, module: str, criteria: dict) -> Predicate:
    if "group" in criteria:
        members = [_node(org, module, member) for member in criteria.get("group") or []]
        if _is_or(criteria):
            return lambda ctx: any(member(ctx) for member in members)
        return lambda ctx: all(member(ctx) for member in members)
    return _leaf(org, module, criteria)


def _field(org: Org, module: str, api_name: Any) -> dict | None:
    # As criteria._field: relationship notation (Deals__r.Stage) never matches.
    if not api_name or "." in api_name:
        return None
    return org.field(module, api_name)


def _leaf(org: Org, module: str, criteria: dict) -> Predicate:
    api_name = _api_name(criteria)
    field = _field(org, module, api_name)
    if field is None:
        return _never
    if criteria.get("type") in ("field", "merge_field"):
        # The value names something on the record: resolved per record, as criteria.py does.
        return lambda ctx: resolved_compare(ctx, field, api_name, criteria)
    compare = _comparison(field, criteria.get("comparator"), _as_list(criteria.get("value")))
    return lambda ctx: compare(ctx, ctx.record.get(api_name))


def trigger(org: Org, module: str, criteria: dict) -> TriggerTest:
    """criteria.field_update_matches as a function of (context of the new values, before)."""
    try:
        return _trigger_node(org, module, criteria)
    except Exception:  # malformed: as in `condition`
        return lambda ctx, before: _trigger(ctx, criteria, before)


def _trigger_node(org: Org, module: str, criteria: dict) -> TriggerTest:
    if "group" in criteria:
        parts = [_trigger_node(org, module, member) for member in criteria.get("group") or []]
        if _is_or(criteria):

            def either(ctx: Context, before: dict | None) -> tuple[bool, bool]:
                results = [part(ctx, before) for part in parts]
                return any(s for s, _ in results), any(f for _, f in results)

            return either

        def both(ctx: Context, before: dict | None) -> tuple[bool, bool]:
            results = [part(ctx, before) for part in parts]
            satisfied = all(s for s, _ in results)
            return satisfied, satisfied and any(f for _, f in results)

        return both
    api_name = _api_name(criteria)
    if _field(org, module, api_name) is None:
        return lambda ctx, before: (False, False)
    if criteria.get("comparator") == ANYVALUE:

        def any_change(ctx: Context, before: dict | None) -> tuple[bool, bool]:
            changed = _changed(before, ctx.record, api_name)
            return changed, changed

        return any_change
    leaf = _leaf(org, module, criteria)

    def change(ctx: Context, before: dict | None) -> tuple[bool, bool]:
        changed = _changed(before, ctx.record, api_name)
        satisfied = leaf(ctx)
        return satisfied, satisfied and changed

    return change


def fields_of(criteria: dict) -> list[str]:
    """The fields a field_update trigger watches, in order (the run-once key is their values)."""
    if "group" in criteria:
        return [f for member in criteria["group"] for f in fields_of(member)]
    return [criteria["field"]["api_name"]]


# --------------------------------------------------------------------------- comparisons
def _comparison(field: dict, comparator: Any, values: list) -> Comparison:
    """criteria._compare(ctx, field, comparator, raw, values) as a function of (ctx, raw)."""
    if len(values) == 1 and values[0] in (EMPTY, NOTEMPTY):
        want_empty = (values[0] == EMPTY) != (comparator in NEGATIONS)
        boolean = field["data_type"] == "boolean"

        def emptiness(ctx: Context, raw: Any) -> bool:
            if boolean and raw is None:
                raw = False  # an unticked checkbox
            return _is_empty(raw) == want_empty

        return emptiness
    if comparator in NEGATIONS:
        positive = _positive(field, NEGATIONS[comparator], values)
        return lambda ctx, raw: not positive(ctx, raw)
    return _positive(field, comparator, values)


def _items(raw: Any) -> list:
    return raw if isinstance(raw, list) else ([] if _is_empty(raw) else [raw])


def _positive(field: dict, comparator: Any, values: list) -> Comparison:
    kind = field["data_type"]

    def general(ctx: Context, raw: Any) -> bool:
        return _compare(ctx, field, comparator, raw, values)

    if comparator in ("equal", "in") and (kind in PICKLISTS or kind not in PLAIN):
        if kind in PICKLISTS:
            wanted = frozenset(_picklist_value(field, v) for v in values)
        else:
            wanted = frozenset(_text(v).casefold() for v in values if not isinstance(v, dict))

        def text_equal(ctx: Context, raw: Any) -> bool:
            if type(raw) is str:  # the usual case, as _text and _items would take it
                return raw != "" and raw.casefold() in wanted
            items = _items(raw)
            if any(isinstance(item, dict) for item in items):
                return general(ctx, raw)  # a lookup: by id, name or the current user
            return any(_text(item).casefold() in wanted for item in items)

        return text_equal
    if comparator in ("equal", "in") and kind in NUMERIC:
        numbers = [n for n in (_number(v) for v in values) if n is not None]

        def number_equal(ctx: Context, raw: Any) -> bool:
            items = _items(raw)
            if any(isinstance(item, dict) for item in items):
                return general(ctx, raw)
            return any(_number(item) in numbers for item in items)

        return number_equal
    if comparator in ORDER and len(values) == 1 and kind in NUMERIC:
        bound, before = _number(values[0]), ORDER[comparator]

        def number_order(ctx: Context, raw: Any) -> bool:
            if bound is None:
                return False
            for item in _items(raw):
                number = _number(item)
                if number is not None and before(number, bound):
                    return True
            return False

        return number_order
    if comparator in SET_COMPARATORS and kind in PICKLISTS:
        wanted_each = [_picklist_value(field, v) for v in values]
        verdict = SETS[comparator]

        def picklist_set(ctx: Context, raw: Any) -> bool:
            items = _items(raw)
            if any(isinstance(item, dict) for item in items):
                return general(ctx, raw)
            have = {_text(item).casefold() for item in items}
            return verdict([w in have for w in wanted_each])

        return picklist_set
    return general
