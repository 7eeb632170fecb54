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

PICKLISTS = frozenset({"picklist", "multiselectpicklist"})


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


def inner_details(kind: Kind, args: Mapping[str, str]) -> frozenset[str]:
    """The include_inner_details values asked for (checked: an unknown one is refused)."""
    raw = args.get("include_inner_details")
    if raw is None or kind.inner_details is None:
        return frozenset()
    wanted = frozenset(v.strip() for v in raw.split(","))
    if not raw or not wanted <= kind.inner_details:
        raise param_invalid("include_inner_details")
    return wanted


def with_inner_details(org: Org, item: dict[str, Any], wanted: frozenset[str]) -> dict[str, Any]:
    """A field update view with the asked-for field metadata, read from the org's fields.

    Zoho's FieldDetails schema places `field_label` and `data_type` in the `field` object;
    `enable_colour_code` and `pick_list_values.colour_code` are field metadata too, so they go
    there as well (as in GET /settings/fields). `display_value`, "the UI-friendly rendered value",
    sits beside `value`, as it does in every Zoho field mapping (tasks, create_record). Dependent
    fields are FieldDetails with a value too, so they get the same. Shares the other values."""
    if not wanted:
        return item
    module = item["module"]["api_name"]
    view = {**item, **_field_and_value(org, module, item, wanted)}
    if item.get("dependent_fields"):
        view["dependent_fields"] = [
            _dependent(org, module, d, wanted) for d in item["dependent_fields"]
        ]
    return view


def _dependent(org: Org, module: str, dep: dict[str, Any], wanted: frozenset[str]) -> dict:
    view = {**dep, **_field_and_value(org, module, dep, wanted)}
    if dep.get("dependent_fields"):
        view["dependent_fields"] = [
            _dependent(org, module, d, wanted) for d in dep["dependent_fields"]
        ]
    return view


def _field_and_value(
    org: Org, module: str, holder: dict[str, Any], wanted: frozenset[str]
) -> dict[str, Any]:
    """`field` with the wanted metadata, and `display_value` if asked: the keys to overlay."""
    ref = holder["field"]
    meta = org.field(module, ref["api_name"])
    if meta is None:  # gone from the org's metadata (a state import): no details to give
        return {}
    field = dict(ref)
    options = meta.get("pick_list_values") or []
    if "field_label" in wanted:
        field["field_label"] = meta["field_label"]
    if "data_type" in wanted:
        field["data_type"] = meta["data_type"]
    if "enable_colour_code" in wanted:
        field["enable_colour_code"] = bool(meta.get("enable_colour_code", False))
    if "pick_list_values.colour_code" in wanted and meta["data_type"] in PICKLISTS:
        field["pick_list_values"] = [
            {
                "display_value": o["display_value"],
                "actual_value": o.get("actual_value", o["display_value"]),
                "id": o.get("id", ""),
                "colour_code": o.get("colour_code"),
            }
            for o in options
        ]
    overlay: dict[str, Any] = {"field": field}
    if "display_value" in wanted:
        overlay["display_value"] = _display(holder["value"], options)
    return overlay


def _display(value: Any, options: list[dict[str, Any]]) -> Any:
    """How Zoho's UI shows `value`: a picklist option by its label, a user or layout by name."""
    labels = {o.get("actual_value", o["display_value"]): o["display_value"] for o in options}
    if isinstance(value, str):
        return labels.get(value, value)
    if isinstance(value, list):
        return [labels.get(v, v) if isinstance(v, str) else v for v in value]
    if isinstance(value, dict):
        return value.get("display_label") or value.get("name") or value.get("id")
    return value


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
