"""List parameters and list items of the automation-action entity APIs (field updates, email
notifications, tasks, webhooks): the module, related_module, feature_type and name filters,
include_inner_details, sort_by/sort_order, and each kind's list-item shape. The kinds differ only
in their `Kind` entry (crm/actions.py, the one generic service); this module reads it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mockcrm.core.clock import parse_iso
from mockcrm.core.errors import ZohoError, param_invalid
from mockcrm.core.pagination import name_filter
from mockcrm.crm.org import Org

if TYPE_CHECKING:
    from mockcrm.crm.actions import Kind


def filtered(
    org: Org, kind: Kind, items: list[dict[str, Any]], args: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The entities matching the list's filter parameters (each one checked first)."""
    for param, key in (("module", "module"), ("related_module", "related_module")):
        if param in args:
            if args[param] not in org.modules:
                raise param_invalid(param, "INVALID_MODULE")
            items = [e for e in items if (e.get(key) or {}).get("api_name") == args[param]]
    if "feature_type" in args:
        if args["feature_type"] not in kind.feature_types:
            raise ZohoError(
                "INVALID_DATA", kind.feature_type_message, {"param_name": "feature_type"}
            )
        items = [e for e in items if e["feature_type"] == args["feature_type"]]
    if kind.filter_param in args:
        needle = name_filter(args[kind.filter_param], kind.filter_param).lower()
        items = [e for e in items if needle in e["name"].lower()]
    return items


def check_inner_details(kind: Kind, args: Mapping[str, str]) -> None:
    raw = args.get("include_inner_details")
    if raw is None or kind.inner_details is None:
        return
    if not raw or any(v.strip() not in kind.inner_details for v in raw.split(",")):
        raise param_invalid("include_inner_details")


def in_order(kind: Kind, items: list[dict], args: Mapping[str, str]) -> list[dict]:
    """sort_by (the kind's one sort key) and sort_order; else by created_time, kind's default."""
    sort_by, sort_order = args.get("sort_by"), args.get("sort_order")
    if sort_by is not None and sort_by != kind.sort_by:
        raise param_invalid("sort_by")
    if sort_order is not None and sort_order not in ("asc", "desc"):
        raise param_invalid("sort_order")
    key = "modified_time" if sort_by else "created_time"
    desc = sort_order == "desc" if sort_order else kind.newest_first
    return sorted(items, key=lambda e: (parse_iso(e[key]), e["id"]), reverse=desc)


def list_item(kind: Kind, entity: dict[str, Any], associated: bool) -> dict[str, Any]:
    """A read-only view sharing the entity's values: render it while the store lock is held."""
    if kind.list_keys is not None:
        item = {k: entity.get(k) for k in kind.list_keys}
    else:
        item = dict(entity)
    for ref in kind.slim_refs:
        if isinstance(item.get(ref), dict):
            item[ref] = {"api_name": item[ref]["api_name"], "id": item[ref]["id"]}
    item["associated"] = associated
    return item
