"""Reading workflow rules: the list (Zoho's filters, execution order, pages) and one rule.

Both hand out views that share the org's values instead of copies: callers render them while
the store lock is held (api/workflow_rules.py does)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, overload

from mockcrm.core.errors import invalid_url_id, param_invalid, param_missing
from mockcrm.core.pagination import name_filter
from mockcrm.crm.org import Org

MAX_FILTER = 1000  # characters of the filter parameter
SUMMARY_KEYS = (
    "created_time",
    "execute_when",
    "editable",
    "module",
    "deletable",
    "description",
    "source",
    "created_by",
    "last_executed_time",
    "modified_time",
    "name",
    "modified_by",
    "lock",
    "id",
    "status",
)


def summary(rule: dict[str, Any]) -> dict[str, Any]:
    """A read-only view (values shared with the org): render it before the store lock is
    released. Copying every rule of every page cost more than serving it."""
    return {key: rule[key] for key in SUMMARY_KEYS}


def list_rules(org: Org, args: Mapping[str, str]) -> Sequence[dict[str, Any]]:
    module = args.get("module")
    if module is not None and module not in org.modules:
        raise param_invalid("module", "INVALID_MODULE")
    for dependent in ("trigger_module", "execute_on"):
        if args.get(dependent) and module is None:
            raise param_missing("module")
    rules: Sequence[dict[str, Any]] = ExecutionOrder(org, module)
    if args.get("trigger_module"):
        if args["trigger_module"] not in org.modules:
            raise param_invalid("trigger_module", "INVALID_MODULE")
        rules = [r for r in rules if _trigger_module(r) == args["trigger_module"]]
    if args.get("execute_on"):
        if len(args["execute_on"]) > 25:
            raise param_invalid("execute_on")
        rules = [r for r in rules if r["execute_when"]["type"] == args["execute_on"]]
    if "status_active" in args:
        if args["status_active"] not in ("true", "false"):
            raise param_invalid("status_active")
        wanted = args["status_active"] == "true"
        rules = [r for r in rules if r["status"]["active"] is wanted]
    if "filter" in args:
        needle = name_filter(args["filter"], "filter", MAX_FILTER).lower()
        rules = [r for r in rules if needle in r["name"].lower()]
    rules = _sorted(rules, args)
    inner = args.get("include_inner_details", "false")
    if inner not in ("true", "false"):
        raise param_invalid("include_inner_details")
    if inner == "true":
        return Summaries(rules, lambda r: {**summary(r), "conditions": r["conditions"]})
    return Summaries(rules, summary)


class ExecutionOrder(Sequence[dict[str, Any]]):
    """An org's rules in execution order, module by module (Org.ordered_rules), read without
    building the list: a page of a 10,000-rule org touches only the rules on the page."""

    def __init__(self, org: Org, module: str | None) -> None:
        self._rules = org.rules
        orders = org.rule_order
        self._orders = [orders.get(module, [])] if module else list(orders.values())

    def __len__(self) -> int:
        return sum(len(ids) for ids in self._orders)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self._rules[rid] for ids in self._orders for rid in ids)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if not isinstance(index, slice):
            at = range(len(self))[index]  # IndexError out of range, as a list
            return self[at : at + 1][0]
        start, stop, step = index.indices(len(self))
        if step != 1:
            return list(self)[index]
        out: list[dict[str, Any]] = []
        offset = 0
        for ids in self._orders:
            low, high = max(start - offset, 0), min(stop - offset, len(ids))
            out.extend(self._rules[rid] for rid in ids[low:high])
            offset += len(ids)
            if offset >= stop:
                break
        return out


class Summaries(Sequence[dict[str, Any]]):
    """The listed rules, copied into their list shape only when read: a page of a 10,000-rule
    org copies the rules on the page, not all 10,000."""

    def __init__(self, rules: Sequence[dict[str, Any]], shape: Callable[[dict], dict]) -> None:
        self._rules, self._shape = rules, shape

    def __len__(self) -> int:
        return len(self._rules)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self._shape(r) for r in self._rules[index]]
        return self._shape(self._rules[index])


def _trigger_module(rule: dict[str, Any]) -> str:
    return rule["execute_when"]["details"]["trigger_module"]["api_name"]


def _sorted(rules: Sequence[dict], args: Mapping[str, str]) -> Sequence[dict]:
    sort_by, sort_order = args.get("sort_by"), args.get("sort_order")
    if sort_by is not None and sort_by != "modified_time":
        raise param_invalid("sort_by")
    if sort_order is not None and sort_order not in ("asc", "desc"):
        raise param_invalid("sort_order")
    if sort_by is None and sort_order is None:
        return rules  # execution order
    return sorted(
        rules, key=lambda r: r["modified_time"] or r["created_time"], reverse=sort_order != "asc"
    )


def get_rule(org: Org, rule_id: str) -> dict[str, Any]:
    """The org's own rule, not a copy: render it before the store lock is released."""
    rule = org.rules.get(rule_id)
    if rule is None:
        raise invalid_url_id()
    return rule
