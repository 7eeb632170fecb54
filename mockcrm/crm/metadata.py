"""Modules and fields as Zoho's GET APIs show them (users and the org: crm/users.py).

The seed keeps only the facts (ids, names, types, picklists); the many keys Zoho's schemas
require (and the official SDK parses) are filled here at render time, so seed files stay small.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from mockcrm.core.clock import parse_header_time
from mockcrm.core.errors import ZohoError, param_invalid, param_missing
from mockcrm.crm.org import Org

MODULE_STATUSES = ("visible", "user_hidden", "system_hidden", "scheduled_for_deletion")
# Modules whose records convert into another module (Leads -> Contacts, Quote -> Sales Order...).
CONVERTABLE = frozenset({"Leads", "Quotes", "Sales_Orders"})
# ui_type and length Zoho shows per data_type (fields API examples); cosmetic for clients.
UI_TYPES = {
    "text": (1, 255), "textarea": (3, 32000), "email": (25, 100), "phone": (33, 30),
    "website": (21, 255), "picklist": (2, 120), "multiselectpicklist": (100, 2000),
    "integer": (32, 9), "bigint": (32, 18), "double": (38, 16), "currency": (36, 16),
    "percent": (39, 5), "boolean": (301, 5), "date": (24, 20), "datetime": (333, 120),
    "lookup": (133, 120), "ownerlookup": (8, 120), "userlookup": (8, 120),
}  # fmt: skip
DECIMAL_PLACES = {"currency": 2, "double": 9, "percent": 2}


def invalid_module(details: dict[str, Any] | None = None) -> ZohoError:
    return ZohoError("INVALID_MODULE", "the module name given seems to be invalid", details or {})


# --- modules -----------------------------------------------------------------------------


def org_profiles(org: Org) -> list[dict[str, str]]:
    """The org's profiles, as its users reference them (Administrator first, as in Zoho)."""
    seen: dict[str, dict[str, str]] = {}
    for user in org.users:
        profile = user.get("profile")
        if profile and profile["id"] not in seen:
            seen[profile["id"]] = {"name": profile["name"], "id": profile["id"]}
    return sorted(seen.values(), key=lambda p: p["name"] != "Administrator")


def _primary_user(org: Org) -> dict[str, str]:
    """The org's super admin (primary_zuid), who owns the standard metadata."""
    zuid = org.info.get("primary_zuid")
    user = next((u for u in org.users if zuid and u.get("zuid") == zuid), None)
    return {"name": user["full_name"], "id": user["id"]} if user else org.actor()


def module_view(org: Org, module: dict[str, Any]) -> dict[str, Any]:
    """One module in the GET /settings/modules shape."""
    profiles = org_profiles(org)
    visible = module.get("status", "visible") == "visible"
    singular = module.get("singular_label", module["api_name"])
    plural = module.get("plural_label", module["api_name"])
    view: dict[str, Any] = {
        "has_more_profiles": False,
        "access_type": "org_based",
        "private_profile": None,
        "global_search_supported": visible,
        "deletable": module.get("generated_type") == "custom",
        "description": None,
        "creatable": True,
        "recycle_bin_on_delete": True,
        "modified_time": org.info.get("created_time"),
        "plural_label": plural,
        "presence_sub_menu": visible,
        "actual_plural_label": plural,
        "lookupable": True,
        "id": module["id"],
        "isBlueprintSupported": visible,
        "visibility": 1,
        "convertable": module["api_name"] in CONVERTABLE,
        "sub_menu_available": visible,
        "editable": True,
        "actual_singular_label": singular,
        "profiles": profiles,
        "show_as_tab": visible,
        "web_link": None,
        "sequence_number": 0,
        "singular_label": singular,
        "viewable": True,
        "api_supported": True,
        "api_name": module["api_name"],
        "quick_create": visible,
        "modified_by": _primary_user(org),
        "generated_type": "default",
        "feeds_required": False,
        "public_fields_configured": False,
        "arguments": [],
        "module_name": module.get("module_name", plural),
        "profile_count": len(profiles),
        "business_card_field_limit": 5,
        "parent_module": {},
        "status": "visible",
    }
    view.update(copy.deepcopy(module))
    return view


def _statuses(raw: str | None) -> tuple[str, ...] | None:
    if raw is None:
        return None
    wanted = tuple(raw.split(","))
    for index, status in enumerate(wanted):
        if status not in MODULE_STATUSES:
            raise ZohoError(
                "INVALID_DATA",
                "The status given is invalid.",
                {"index": index, "supported_values": list(MODULE_STATUSES), "param_name": "status"},
            )
    return wanted


def list_modules(
    org: Org, status: str | None, if_modified_since: str | None, feature_name: str | None = None
) -> list | None:
    """Modules in menu order; None when nothing changed since `If-Modified-Since` (a 304).
    `feature_name` is checked, not applied: mockcrm models no features, so it filters nothing
    (modules.json: an empty one is a 400 with empty details)."""
    if feature_name == "":
        raise ZohoError("INVALID_DATA", "invalid data")
    statuses = _statuses(status)
    views = [module_view(org, m) for m in org.modules.values()]
    views = [v for v in views if statuses is None or v["status"] in statuses]
    views.sort(key=lambda v: v["sequence_number"])
    since = parse_header_time(if_modified_since)
    if since is not None:
        views = [
            v
            for v in views
            if v["modified_time"] and datetime.fromisoformat(v["modified_time"]) > since
        ]
        if not views:
            return None
    return views


def get_module(org: Org, identifier: str) -> dict[str, Any]:
    """GET /settings/modules/{api_name or id}: names are case-sensitive, as everywhere here."""
    module = org.modules.get(identifier) or org.module_by_id(identifier)
    if module is None:
        raise invalid_module({"resource_path_index": 2})
    if not module.get("api_supported", True):
        raise ZohoError("NOT_SUPPORTED", "the given module is not supported in api")
    return module_view(org, module)


# --- fields ------------------------------------------------------------------------------


def module_arg(org: Org, module: str | None) -> str:
    if not module:
        raise param_missing("module")
    if module not in org.modules:
        raise invalid_module()  # Zoho's fields.json: INVALID_MODULE's details are empty
    return module


def _picklist_value(value: dict[str, Any]) -> dict[str, Any]:
    out = {
        "display_value": value["display_value"],
        "sequence_number": value.get("sequence_number", 0),
        "reference_value": value["display_value"],
        "actual_value": value.get("actual_value", value["display_value"]),
        "id": value.get("id", ""),
        "type": "used",
    }
    if value.get("colour_code"):
        out["colour_code"] = value["colour_code"]
    return out


def _lookup(org: Org, field: dict[str, Any]) -> dict[str, Any]:
    target = (field.get("lookup") or {}).get("module")
    if not target:
        return {}
    return {
        "display_label": field["display_label"],
        "revalidate_filter_during_edit": False,
        "module": {"api_name": target["api_name"], "crypt": False, "id": target["id"]},
    }


def _multi_module_lookup(org: Org, field: dict[str, Any]) -> dict[str, Any]:
    modules = (field.get("multi_module_lookup") or {}).get("modules")
    if not modules:
        return {}
    return {
        "display_label": field["display_label"],
        "modules": [
            {
                "api_name": m["api_name"],
                "module_name": org.modules.get(m["api_name"], {}).get("module_name", m["api_name"]),
                "id": m["id"],
            }
            for m in modules
        ],
    }


def field_view(org: Org, module: str, field: dict[str, Any]) -> dict[str, Any]:
    """One field in the GET /settings/fields shape (keys per Zoho's v8 example)."""
    data_type = field["data_type"]
    read_only = bool(field.get("read_only", False))
    mandatory = bool(field.get("system_mandatory", False))
    ui_type, length = UI_TYPES.get(data_type, (1, 255))
    if field["api_name"] == "Tag":
        ui_type, length = 209, 2000
    writable = not read_only
    view: dict[str, Any] = {
        "associated_module": None,
        "webhook": True,
        "operation_type": {
            "web_update": writable,
            "api_create": writable,
            "web_create": writable,
            "api_update": writable,
        },
        "colour_code_enabled_by_system": False,
        "field_label": field["field_label"],
        "tooltip": None,
        "display_format_properties": None,
        "type": "used",
        "field_read_only": read_only,
        "customizable_properties": [],
        "display_label": field["display_label"],
        "read_only": read_only,
        "association_details": None,
        "businesscard_supported": False,
        "multi_module_lookup": _multi_module_lookup(org, field),
        "id": field["id"],
        "created_time": None,
        "filterable": True,
        "visible": True,
        "profiles": [
            {"permission_type": "read_only" if read_only else "read_write", **p}
            for p in org_profiles(org)
        ],
        "view_type": {"view": True, "edit": writable, "quick_create": mandatory, "create": True},
        "separator": False,
        "searchable": True,
        "history_tracking_enabled": False,
        "external": None,
        "api_name": field["api_name"],
        "parent_field": None,
        "unique": {},
        "enable_colour_code": False,
        "child_fields": None,
        "pick_list_values": [_picklist_value(v) for v in field.get("pick_list_values", [])],
        "system_mandatory": mandatory,
        "private": None,
        "virtual_field": False,
        "json_type": field["json_type"],
        "crypt": None,
        "range": None,
        "created_source": "custom" if field.get("custom_field") else "default",
        "display_type": -1,
        "ui_type": ui_type,
        "modified_time": None,
        "public": False,
        "email_parser": {"fields_update_supported": False, "record_operations_supported": False},
        "currency": {"rounding_option": "normal", "precision": 2}
        if data_type == "currency"
        else {},
        "custom_field": bool(field.get("custom_field", False)),
        "lookup": _lookup(org, field),
        "hipaa_compliance": None,
        "convert_mapping": {"Contacts": None, "Deals": None, "Accounts": None}
        if module == "Leads"
        else {},
        "address": None,
        "rollup_summary": {},
        "length": length,
        "column_name": field["api_name"].upper(),
        "display_field": False,
        "pick_list_values_sorted_lexically": False,
        "sortable": True,
        "global_picklist": None,
        "display_format": None,
        "history_tracking": None,
        "data_type": data_type,
        "formula": {},
        "additional_column": None,
        "hipaa_compliance_enabled": False,
        "decimal_place": DECIMAL_PLACES.get(data_type),
        "mass_update": writable and data_type not in ("lookup", "ownerlookup"),
        "multiselectlookup": {},
        "auto_number": {},
    }
    return view


def list_fields(org: Org, module: str | None, field_type: str | None) -> list[dict[str, Any]]:
    """`type=all|used|unused`; every seeded field is in use, so `unused` is empty (204)."""
    name = module_arg(org, module)
    if field_type is not None and field_type not in ("all", "used", "unused"):
        raise param_invalid("type")
    if field_type == "unused":
        return []
    return [field_view(org, name, f) for f in org.fields.get(name, [])]


def get_field(org: Org, module: str | None, field_id: str) -> dict[str, Any]:
    name = module_arg(org, module)
    field = next((f for f in org.fields.get(name, []) if f["id"] == field_id), None)
    if field is None:
        raise ZohoError(
            "INVALID_DATA", "the id given seems to be invalid", {"resource_path_index": 2}
        )
    return field_view(org, name, field)
