"""Layouts and Deals pipelines as Zoho's GET /settings/layouts and /settings/pipeline show them.

Nothing here is stored: each answer is built from the org's current modules and fields, so a
layout always holds exactly the fields the fields API lists and a pipeline's stages are exactly
the Stage picklist the records API accepts (record_values.RESTRICTED_PICKLISTS). The seed has no
layouts, so every module with field metadata gets one system layout, "Standard", whose id (and its
sections' ids) are derived from the module id; forecast category ids from the org's id prefix.
"""

from __future__ import annotations

from typing import Any

from mockcrm.core.errors import ZohoError, param_missing
from mockcrm.core.ids import is_digits, is_id
from mockcrm.crm.metadata import field_view, module_arg, org_profiles
from mockcrm.crm.org import Org

LAYOUT_NAME = "Standard"
LAYOUT_API_NAME = "Standard__s"  # Zoho's api_name of a standard layout (layouts and fields APIs)
# Derived ids: module id + slot * ID_STEP. One million apart, so the layout and its two sections
# of one module never meet another module's (module ids are consecutive small numbers) nor the
# seed's other ids (none lies in those blocks: tests/api/test_layouts_pipeline.py checks it).
ID_STEP = 1_000_000
LAYOUT_SLOT, SECTION_SLOTS = 1, (2, 3)
MODES = ("all", "business_card", "quick_create")  # the `mode` enum of Zoho's layouts spec
# Forecast categories (fact sheet §3.12): the id tails of Zoho's getPipelines example, under the
# org's prefix, since the seed has none. forecast_type -> category name.
FORECAST_CATEGORIES = {"Open": ("Pipeline", 7092), "Closed Won": ("Closed", 7094),
                       "Closed Lost": ("Omitted", 7096)}  # fmt: skip
# What may be done to a standard layout and its default sections (Zoho's example values).
LAYOUT_ACTIONS = {"edit": True, "rename": False, "clone": False, "downgrade": False,
                  "delete": False, "deactivate": False, "set_layout_permissions": True}  # fmt: skip
SECTION_ACTIONS = dict.fromkeys(
    ("add_field", "rename", "change_tab_traversal", "reorder", "delete", "remove_field",
     "change_column_count"), False)  # fmt: skip


def _derived_id(module: dict[str, Any], slot: int) -> str:
    return str(int(module["id"]) + slot * ID_STEP)


def _laid_out_module(org: Org, name: str) -> dict[str, Any] | None:
    """The module if it has a layout: one with field metadata and a numeric id."""
    module = org.modules[name]
    return module if org.fields.get(name) and is_id(module["id"]) else None


def layout_id(org: Org, name: str) -> str | None:
    module = org.modules.get(name)
    return _derived_id(module, LAYOUT_SLOT) if module and _laid_out_module(org, name) else None


# --- layouts -----------------------------------------------------------------------------


def _layout_ref(org: Org, name: str) -> dict[str, Any] | None:
    lid = layout_id(org, name)
    return {"display_label": LAYOUT_NAME, "name": LAYOUT_NAME, "id": lid} if lid else None


def _convert_mapping(org: Org, name: str) -> dict[str, Any] | None:
    """Leads convert into Contacts, Accounts and Deals: their standard layouts, and the Deals
    fields a conversion fills (the fields of Zoho's example that the org has)."""
    if name != "Leads":
        return None
    deals = _layout_ref(org, "Deals")
    if deals is not None:
        by_name = org.fields_by_name("Deals")
        wanted = ("Amount", "Deal_Name", "Closing_Date", "Stage", "Pipeline")
        deals["fields"] = [
            {"api_name": f["api_name"], "field_label": f["field_label"], "id": f["id"],
             "required": bool(f.get("system_mandatory"))}
            for f in (by_name[w] for w in wanted if w in by_name)
        ]  # fmt: skip
    return {
        "Contacts": _layout_ref(org, "Contacts"),
        "Deals": deals,
        "Accounts": _layout_ref(org, "Accounts"),
    }


def _layout_field(
    org: Org, name: str, field: dict[str, Any], lid: str, section: int, position: int
) -> dict[str, Any]:
    """The fields API's view of the field plus what a layout adds (keys of Zoho's layouts
    spec and example; values with no source in the seed are the example's, or null)."""
    view = field_view(org, name, field)
    view.update(
        {
            "required": bool(field.get("system_mandatory")),
            "validation_rule": None,
            "default_value": None,
            "sequence_number": position,
            "section_id": section,
            "blueprint_supported": None,
            "sharing_properties": None,
            "file_upolad_optionlist": [],  # sic: Zoho's spelling
            "subform": None,
            "multiuserlookup": {},
            "allowed_modules": [],
            "static_values": [],
            "static_field": None,
            "layout_associations": [{"api_name": LAYOUT_API_NAME, "name": LAYOUT_NAME, "id": lid}],
            "_delete": None,
            "available_in_user_layout": True,
            "quick_sequence_number": None,
            "refer_from_field": None,
            "show_type": 7,
            "category": 0,
            "sub_module": None,
            "autonumber": None,
            "common.picklist": None,
            "_update_existing_records": False,
            "number_separator": False,
            "textarea": {"type": "large"} if field["data_type"] == "textarea" else None,
            "element_type": "field",
        }
    )
    return view


def _section_groups(
    org: Org, name: str, module: dict[str, Any]
) -> list[tuple[str, str, int, list[dict[str, Any]]]]:
    """Zoho's standard layouts: "<Singular> Information" (two columns) with the module's fields
    in their metadata order, and "Description Information" with its long text fields:
    (section id, title, columns, fields) of each section that has fields."""
    singular = module.get("singular_label", name)
    fields = org.fields.get(name, [])
    groups = [
        (f"{singular} Information", 2, [f for f in fields if f["data_type"] != "textarea"]),
        ("Description Information", 1, [f for f in fields if f["data_type"] == "textarea"]),
    ]
    return [
        (_derived_id(module, slot), title, columns, members)
        for (title, columns, members), slot in zip(groups, SECTION_SLOTS, strict=True)
        if members
    ]


def section_fields(org: Org, name: str) -> dict[str, list[dict[str, Any]]]:
    """The fields of each section of the module's layout, by section id (none without one)."""
    module = _laid_out_module(org, name) if name in org.modules else None
    if module is None:
        return {}
    return {sid: members for sid, _, _, members in _section_groups(org, name, module)}


def _sections(org: Org, name: str, module: dict[str, Any], lid: str) -> list[dict[str, Any]]:
    sections = []
    for sid, title, columns, members in _section_groups(org, name, module):
        number = len(sections) + 1
        sections.append(
            {
                "isSubformSection": False,
                "type": "used",
                "display_label": title,
                "mode": "default_create",
                "sequence_number": number,
                "actions_allowed": dict(SECTION_ACTIONS),
                "tab_traversal": "left_to_right",
                "api_name": title.replace(" ", "_"),
                "column_count": columns,
                "name": title,
                "generated_type": "default",
                "id": sid,
                "fields": [
                    _layout_field(org, name, f, lid, number, i)
                    for i, f in enumerate(members, start=1)
                ],
                "properties": None,
                "_delete": None,
            }
        )
    return sections


def layout_view(org: Org, name: str) -> dict[str, Any] | None:
    """The module's standard layout in Zoho's shape (keys of its second example layout)."""
    module = _laid_out_module(org, name)
    if module is None:
        return None
    lid = _derived_id(module, LAYOUT_SLOT)
    view_ref = {"name": LAYOUT_NAME, "id": lid, "type": "layout"}
    return {
        "has_more_profiles": False,
        "created_time": None,
        "modified_time": None,
        "visible": True,
        "source": "crm",
        "id": lid,
        "name": LAYOUT_NAME,
        "display_label": LAYOUT_NAME,
        "api_name": LAYOUT_API_NAME,
        "mode": None,
        "subform_properties": {"pinned_column": None},
        "status": "active",
        "show_business_card": True,
        "generated_type": "system",
        "created_for": None,
        "convert_mapping": _convert_mapping(org, name),
        "created_by": None,
        "modified_by": None,
        "profiles": [
            {
                "_default_assignment_view": dict(view_ref),
                "default": True,
                **profile,
                "_default_view": dict(view_ref),
            }
            for profile in org_profiles(org)
        ],
        "sections": _sections(org, name, module, lid),
        "actions_allowed": dict(LAYOUT_ACTIONS),
    }


def _mode_arg(mode: str | None) -> None:
    """`mode` is checked against Zoho's enum, not applied (modes are not modelled)."""
    if mode is not None and mode not in MODES:
        raise ZohoError(
            "PATTERN_NOT_MATCHED",
            "Please check whether the input values are correct",
            {"param_name": "mode"},
        )


def list_layouts(org: Org, module: str | None, mode: str | None = None) -> list[dict[str, Any]]:
    """GET /settings/layouts?module=: the standard layout, or none (204) for a module that has
    no field metadata in the seed."""
    name = module_arg(org, module)
    _mode_arg(mode)
    view = layout_view(org, name)
    return [view] if view else []


def get_layout(
    org: Org, module: str | None, lid: str, mode: str | None = None
) -> dict[str, Any] | None:
    """GET /settings/layouts/{id}?module=: None (204) for an id that is no layout of the module,
    as Zoho's getLayoutById documents; an id that is no number is Zoho's malformed-id error."""
    name = module_arg(org, module)
    _mode_arg(mode)
    if not (is_digits(lid) and len(lid) <= 19):  # the spec's pattern ^[0-9]{1,19}$
        raise ZohoError(
            "INVALID_DATA",
            "The id given seems to be invalid",
            {"param_name": "id", "expected_data_type": "int64"},
        )
    return layout_view(org, name) if lid == layout_id(org, name) else None


# --- pipelines ---------------------------------------------------------------------------


def _forecast_type(stage: dict[str, Any]) -> str:
    """Open, Closed Won or Closed Lost: the seed's own if it has one, else read off the stage's
    value, as in Zoho's standard stages ("Closed Won", "Closed Lost", "Closed-Lost to ...")."""
    if stage.get("forecast_type") in FORECAST_CATEGORIES:
        return stage["forecast_type"]
    words = stage["actual_value"].lower().replace("-", " ").split()
    if "closed" in words and "won" in words:
        return "Closed Won"
    if "closed" in words and "lost" in words:
        return "Closed Lost"
    return "Open"


def _stage_map(org: Org, stage: dict[str, Any], number: int) -> dict[str, Any]:
    kind = _forecast_type(stage)
    category, tail = FORECAST_CATEGORIES[kind]
    floor = int(org.ids.prefix.ljust(19, "0"))
    item = {
        "display_value": stage["display_value"],
        "sequence_number": stage.get("sequence_number", number),
        "forecast_category": {"name": category, "id": str(floor + tail)},
        "actual_value": stage.get("actual_value", stage["display_value"]),
        "id": stage.get("id", ""),
        "forecast_type": kind,
    }
    if stage.get("colour_code"):
        item["colour_code"] = stage["colour_code"]
    return item


def list_pipelines(org: Org, layout: str | None) -> list[dict[str, Any]]:
    """GET /settings/pipeline?layout_id=: one pipeline per option of the Deals `Pipeline`
    picklist (the first is the default, as records.py assumes for a deal sent without one), each
    mapping every option of the `Stage` picklist: mockcrm keeps one stage list per org, not one
    per pipeline. No Pipeline or Stage options -> none (204)."""
    if not layout:
        raise param_missing("layout_id")
    if "Deals" not in org.modules or layout != layout_id(org, "Deals"):
        raise ZohoError("INVALID_DATA", "Invalid layoutid", {"param_name": "layout_id"})
    fields = org.fields_by_name("Deals")
    pipelines = (fields.get("Pipeline") or {}).get("pick_list_values") or []
    stages = (fields.get("Stage") or {}).get("pick_list_values") or []
    if not stages:
        return []
    maps = [_stage_map(org, s, i) for i, s in enumerate(stages, start=1)]
    return [
        {
            "display_value": p["display_value"],
            "default": i == 0,
            "maps": maps,
            "actual_value": p.get("actual_value", p["display_value"]),
            "id": p.get("id", ""),
        }
        for i, p in enumerate(pipelines)
    ]
