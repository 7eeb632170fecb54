"""GET layouts and the Deals pipelines: the client flow of Zoho's docs (read the Deals layout, read
its pipelines, insert a Deal with a Pipeline and one of its stages), shapes, errors and scopes.

Zoho's layouts and pipeline OAS files are not in tests/zoho_oas: the key lists below are the
`required` keys of their response schemas (layouts.json, pipeline.json), written out."""

from __future__ import annotations

import json

import pytest

from mockcrm.app import create_app
from mockcrm.settings import Settings

LAYOUTS = "/crm/v8/settings/layouts"
PIPELINE = "/crm/v8/settings/pipeline"
FIELDS = "/crm/v8/settings/fields"
JSON_TYPE = "application/json;charset=UTF-8"
DEALS_LAYOUT = "4876876000001002181"  # Deals module id + 1,000,000 (crm/layouts.py)
LEADS_LAYOUT = "4876876000001002175"
NOWHERE = "4876876000099999999"
LAYOUT_KEYS = {
    "has_more_profiles", "created_time", "modified_time", "visible", "source", "id", "name",
    "display_label", "mode", "subform_properties", "status", "show_business_card",
    "generated_type", "created_for", "convert_mapping", "modified_by", "profiles", "created_by",
    "sections", "actions_allowed", "api_name",
}  # fmt: skip
SECTION_KEYS = {
    "display_label", "sequence_number", "isSubformSection", "tab_traversal", "api_name",
    "column_count", "name", "generated_type", "id", "type", "fields", "properties", "_delete",
}  # fmt: skip
FIELD_KEYS = {
    "required", "validation_rule", "default_value", "sequence_number", "section_id",
    "blueprint_supported", "json_type", "length", "decimal_place", "multi_module_lookup",
    "sharing_properties", "currency", "file_upolad_optionlist", "lookup", "subform", "formula",
    "multiselectlookup", "multiuserlookup", "pick_list_values", "allowed_modules",
    "hipaa_compliance_enabled", "hipaa_compliance", "static_values", "static_field",
    "layout_associations", "_delete", "associated_module", "data_type", "operation_type",
    "system_mandatory", "webhook", "virtual_field", "field_read_only", "customizable_properties",
    "read_only", "custom_field", "businesscard_supported", "filterable", "visible",
    "available_in_user_layout", "display_field", "pick_list_values_sorted_lexically", "sortable",
    "separator", "searchable", "enable_colour_code", "mass_update", "created_source", "type",
    "display_label", "column_name", "api_name", "display_type", "ui_type",
    "colour_code_enabled_by_system", "quick_sequence_number", "email_parser", "rollup_summary",
    "refer_from_field", "created_time", "modified_time", "show_type", "category", "id",
    "profiles", "view_type", "unique", "sub_module", "external", "convert_mapping", "autonumber",
    "auto_number", "crypt", "tooltip", "history_tracking", "association_details",
    "additional_column", "field_label", "common.picklist", "_update_existing_records",
    "number_separator", "textarea",
}  # fmt: skip
PIPELINE_KEYS = {"display_value", "default", "maps", "actual_value", "id"}
MAP_KEYS = {"display_value", "sequence_number", "forecast_category", "actual_value", "id",
            "forecast_type"}  # fmt: skip
# Fact sheet §3.12: forecast type and category per standard stage.
FORECAST = {
    "Qualification": ("Open", "Pipeline"),
    "Needs Analysis": ("Open", "Pipeline"),
    "Value Proposition": ("Open", "Pipeline"),
    "Identify Decision Makers": ("Open", "Pipeline"),
    "Proposal/Price Quote": ("Open", "Pipeline"),
    "Negotiation/Review": ("Open", "Pipeline"),
    "Closed Won": ("Closed Won", "Closed"),
    "Closed Lost": ("Closed Lost", "Omitted"),
    "Closed-Lost to Competition": ("Closed Lost", "Omitted"),
}
CATEGORY_IDS = {"Pipeline": "4876876000000007092", "Closed": "4876876000000007094",
                "Omitted": "4876876000000007096"}  # fmt: skip


def error(code: str, message: str, details: dict | None = None) -> dict:
    return {"code": code, "details": details or {}, "message": message, "status": "error"}


MISSING_MODULE = error(
    "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", {"param_name": "module"}
)
MISSING_LAYOUT_ID = error(
    "REQUIRED_PARAM_MISSING",
    "One of the expected parameter is missing",
    {"param_name": "layout_id"},
)
INVALID_LAYOUT_ID = error("INVALID_DATA", "Invalid layoutid", {"param_name": "layout_id"})


def deals_layout(api) -> dict:
    resp = api.get(LAYOUTS, query_string={"module": "Deals"})
    assert resp.status_code == 200 and resp.headers["Content-Type"] == JSON_TYPE
    assert len(resp.json["layouts"]) == 1
    return resp.json["layouts"][0]


# --- the client flow ---------------------------------------------------------------------


def test_layouts_then_pipeline_then_insert_a_deal(api):
    layout = deals_layout(api)
    resp = api.get(PIPELINE, query_string={"layout_id": layout["id"]})
    assert resp.status_code == 200 and resp.headers["Content-Type"] == JSON_TYPE
    pipeline = next(p for p in resp.json["pipeline"] if p["default"])
    stage = next(m for m in pipeline["maps"] if m["display_value"] == "Identify Decision Makers")
    deal = {"Deal_Name": "From the pipeline", "Pipeline": pipeline["actual_value"],
            "Stage": stage["actual_value"]}  # fmt: skip
    created = api.post("/crm/v8/Deals", json={"data": [deal]})
    assert created.status_code == 201, created.json
    record_id = created.json["data"][0]["details"]["id"]
    record = api.get(f"/crm/v8/Deals/{record_id}").json["data"][0]
    assert (record["Pipeline"], record["Stage"]) == ("Standard (Standard)", "Id. Decision Makers")
    # The maps are exactly what the records API accepts: a stage outside them is refused.
    outside = {**deal, "Stage": "Not A Stage"}
    refused = api.post("/crm/v8/Deals", json={"data": [outside]})
    assert refused.status_code == 400
    assert refused.json["data"][0]["code"] == "INVALID_DATA"
    assert refused.json["data"][0]["details"]["api_name"] == "Stage"


# --- layouts -----------------------------------------------------------------------------


def test_deals_layout_shape_and_ids(api, org):
    layout = deals_layout(api)
    assert layout.keys() >= LAYOUT_KEYS
    assert layout["id"] == DEALS_LAYOUT
    assert (layout["name"], layout["display_label"], layout["api_name"]) == (
        "Standard", "Standard", "Standard__s",
    )  # fmt: skip
    assert (layout["status"], layout["generated_type"], layout["source"]) == (
        "active", "system", "crm",
    )  # fmt: skip
    assert layout["visible"] is True and layout["convert_mapping"] is None
    assert [p["name"] for p in layout["profiles"]] == ["Administrator", "Standard"]
    view = {"name": "Standard", "id": DEALS_LAYOUT, "type": "layout"}
    assert all(p["_default_view"] == view and p["default"] for p in layout["profiles"])
    assert set(layout["actions_allowed"]) == {
        "edit", "rename", "clone", "downgrade", "delete", "deactivate", "set_layout_permissions",
    }  # fmt: skip
    sections = layout["sections"]
    assert [s["name"] for s in sections] == ["Deal Information", "Description Information"]
    ids = [layout["id"], *(s["id"] for s in sections)]
    assert all(len(i) == 19 and i.isdigit() for i in ids) and len(set(ids)) == 3
    # Derived ids meet no id the org holds, and stay the same call after call.
    state = json.dumps(api.client.application.extensions["mockcrm.store"].export_state(org.id))
    assert not [i for i in ids if i in state]
    assert deals_layout(api)["sections"][1]["id"] == sections[1]["id"]
    for number, section in enumerate(sections, start=1):
        assert section.keys() >= SECTION_KEYS
        assert section["sequence_number"] == number
        for position, field in enumerate(section["fields"], start=1):
            assert field.keys() >= FIELD_KEYS, field["api_name"]
            assert (field["section_id"], field["sequence_number"]) == (number, position)
            assert field["layout_associations"] == [
                {"api_name": "Standard__s", "name": "Standard", "id": DEALS_LAYOUT}
            ]
    assert [f["api_name"] for f in sections[1]["fields"]] == ["Description"]


def test_every_layout_and_section_id_is_new_and_unique(api, org):
    """Derived ids (module id + 1, 2, 3 million) collide with nothing the org holds."""
    ids = []
    for module in org.modules:
        resp = api.get(LAYOUTS, query_string={"module": module})
        if org.fields.get(module):
            layout = resp.json["layouts"][0]
            ids += [layout["id"], *(s["id"] for s in layout["sections"])]
        else:
            assert resp.status_code == 204, module
    assert len(ids) == len(set(ids)) > 2 * len(org.fields)
    state = json.dumps(api.client.application.extensions["mockcrm.store"].export_state(org.id))
    assert [i for i in ids if i in state] == []


def test_layout_fields_are_the_fields_api_fields(api):
    """One source: a layout field is the fields API's field plus the layout's keys."""
    listed = api.get(FIELDS, query_string={"module": "Deals"}).json["fields"]
    laid_out = [f for s in deals_layout(api)["sections"] for f in s["fields"]]
    assert sorted(f["api_name"] for f in laid_out) == sorted(f["api_name"] for f in listed)
    by_name = {f["api_name"]: f for f in laid_out}
    for field in listed:
        assert {k: by_name[field["api_name"]][k] for k in field} == field
    required = {f["api_name"] for f in laid_out if f["required"]}
    assert required == {f["api_name"] for f in listed if f["system_mandatory"]}


def test_leads_layout_maps_conversion_to_the_other_layouts(api):
    leads = api.get(LAYOUTS, query_string={"module": "Leads"}).json["layouts"][0]
    assert leads["id"] == LEADS_LAYOUT
    mapping = leads["convert_mapping"]
    assert mapping["Contacts"] == {
        "display_label": "Standard", "name": "Standard", "id": "4876876000001002179",
    }  # fmt: skip
    assert mapping["Accounts"]["id"] == "4876876000001002177"
    assert mapping["Deals"]["id"] == DEALS_LAYOUT
    assert [(f["api_name"], f["required"]) for f in mapping["Deals"]["fields"]] == [
        ("Amount", False), ("Deal_Name", True), ("Closing_Date", False), ("Stage", True),
        ("Pipeline", False),
    ]  # fmt: skip


def test_layout_by_id(api):
    listed = deals_layout(api)
    resp = api.get(f"{LAYOUTS}/{DEALS_LAYOUT}", query_string={"module": "Deals"})
    assert resp.status_code == 200 and resp.json == {"layouts": [listed]}


@pytest.mark.parametrize(
    ("path", "module"),
    [
        (f"{LAYOUTS}/{NOWHERE}", "Deals"),
        (f"{LAYOUTS}/{LEADS_LAYOUT}", "Deals"),  # another module's layout
        (f"{LAYOUTS}/1", "Deals"),
        (LAYOUTS, "Quotes"),  # a module with no field metadata has no layout
        (f"{LAYOUTS}/{DEALS_LAYOUT}", "Quotes"),
    ],
)
def test_no_layout_is_204(api, path, module):
    resp = api.get(path, query_string={"module": module})
    assert resp.status_code == 204 and resp.data == b""
    assert "Content-Type" not in resp.headers


BAD_MODULE = error("INVALID_MODULE", "the module name given seems to be invalid")
BAD_MODE = error(
    "PATTERN_NOT_MATCHED",
    "Please check whether the input values are correct",
    {"param_name": "mode"},
)
BAD_ID = error(
    "INVALID_DATA",
    "The id given seems to be invalid",
    {"param_name": "id", "expected_data_type": "int64"},
)


@pytest.mark.parametrize(
    ("path", "query", "body"),
    [
        (LAYOUTS, {}, MISSING_MODULE),
        (LAYOUTS, {"module": ""}, MISSING_MODULE),
        (f"{LAYOUTS}/{DEALS_LAYOUT}", {}, MISSING_MODULE),
        (LAYOUTS, {"module": "Dealz"}, BAD_MODULE),
        (LAYOUTS, {"module": "deals"}, BAD_MODULE),  # module names are case-sensitive
        (f"{LAYOUTS}/{DEALS_LAYOUT}", {"module": "Nope"}, BAD_MODULE),
        (LAYOUTS, {"module": "Deals", "mode": "wide"}, BAD_MODE),
        (f"{LAYOUTS}/abc", {"module": "Deals"}, BAD_ID),
        (f"{LAYOUTS}/{'9' * 20}", {"module": "Deals"}, BAD_ID),
    ],
)
def test_layout_errors(api, path, query, body):
    resp = api.get(path, query_string=query)
    assert (resp.status_code, resp.json) == (400, body)
    assert resp.headers["Content-Type"] == JSON_TYPE


@pytest.mark.parametrize("mode", ["all", "business_card", "quick_create"])
def test_layout_modes_are_accepted(api, mode):
    resp = api.get(LAYOUTS, query_string={"module": "Deals", "mode": mode})
    assert resp.status_code == 200 and resp.json["layouts"][0]["id"] == DEALS_LAYOUT


# --- pipelines ---------------------------------------------------------------------------


def test_pipeline_shape_and_stages_match_the_stage_picklist(api, org):
    resp = api.get(PIPELINE, query_string={"layout_id": DEALS_LAYOUT})
    assert resp.status_code == 200 and list(resp.json) == ["pipeline"]
    pipelines = resp.json["pipeline"]
    options = org.field("Deals", "Pipeline")["pick_list_values"]
    assert [(p["display_value"], p["actual_value"], p["id"]) for p in pipelines] == [
        (o["display_value"], o["actual_value"], o["id"]) for o in options
    ]
    assert [p["default"] for p in pipelines] == [True] + [False] * (len(pipelines) - 1)
    stages = org.field("Deals", "Stage")["pick_list_values"]
    for pipeline in pipelines:
        assert set(pipeline) == PIPELINE_KEYS
        maps = pipeline["maps"]
        assert all(set(m) == MAP_KEYS for m in maps)
        assert [(m["display_value"], m["actual_value"], m["id"], m["sequence_number"])
                for m in maps] == [
            (s["display_value"], s["actual_value"], s["id"], s["sequence_number"])
            for s in stages
        ]  # fmt: skip
        forecast = {
            m["display_value"]: (m["forecast_type"], m["forecast_category"]["name"]) for m in maps
        }
        assert forecast == FORECAST
        assert all(
            m["forecast_category"]["id"] == CATEGORY_IDS[m["forecast_category"]["name"]]
            for m in maps
        )
    state = json.dumps(api.client.application.extensions["mockcrm.store"].export_state(org.id))
    assert not [i for i in CATEGORY_IDS.values() if i in state]


def test_pipeline_follows_the_current_field_metadata(api, org):
    """Nothing is copied: a Stage or Pipeline option added to the org shows at once."""
    stage = org.field("Deals", "Stage")
    stage["pick_list_values"].append(
        {"display_value": "Closed Won Big", "actual_value": "Closed Won Big",
         "sequence_number": 10, "id": "4876876000000100999", "colour_code": "#25B52A"}
    )  # fmt: skip
    org.field("Deals", "Pipeline")["pick_list_values"].append(
        {"display_value": "Renewals", "actual_value": "Renewals", "sequence_number": 2,
         "id": "4876876000000100998"}
    )  # fmt: skip
    pipelines = api.get(PIPELINE, query_string={"layout_id": DEALS_LAYOUT}).json["pipeline"]
    assert [(p["actual_value"], p["default"]) for p in pipelines] == [
        ("Standard (Standard)", True), ("Renewals", False),
    ]  # fmt: skip
    added = pipelines[1]["maps"][-1]
    assert added["id"] == "4876876000000100999" and added["colour_code"] == "#25B52A"
    assert (added["forecast_type"], added["forecast_category"]["name"]) == ("Closed Won", "Closed")
    laid_out = {f["api_name"]: f for s in deals_layout(api)["sections"] for f in s["fields"]}
    assert laid_out["Stage"]["pick_list_values"][-1]["display_value"] == "Closed Won Big"
    deal = {"Deal_Name": "Renewal", "Pipeline": "Renewals", "Stage": "Closed Won Big"}
    assert api.post("/crm/v8/Deals", json={"data": [deal]}).status_code == 201


def test_pipeline_without_stage_options_is_204(api, org):
    org.field("Deals", "Stage")["pick_list_values"].clear()
    resp = api.get(PIPELINE, query_string={"layout_id": DEALS_LAYOUT})
    assert resp.status_code == 204 and resp.data == b""


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ({}, MISSING_LAYOUT_ID),
        ({"layout_id": ""}, MISSING_LAYOUT_ID),
        ({"layout_id": NOWHERE}, INVALID_LAYOUT_ID),
        ({"layout_id": LEADS_LAYOUT}, INVALID_LAYOUT_ID),  # a layout, but not of Deals
        ({"layout_id": "4876876000000002181"}, INVALID_LAYOUT_ID),  # the Deals module's id
        ({"layout_id": "abc"}, INVALID_LAYOUT_ID),
        ({"layout_id": "-1"}, INVALID_LAYOUT_ID),
        ({"layout_id": "9" * 40}, INVALID_LAYOUT_ID),
        ({"layout_id": "\u0663"}, INVALID_LAYOUT_ID),
    ],
)
def test_pipeline_errors(api, query, body):
    resp = api.get(PIPELINE, query_string=query)
    assert (resp.status_code, resp.json) == (400, body)
    assert resp.headers["Content-Type"] == JSON_TYPE


def test_odd_input_never_500(api):
    odd = ["", " ", "%00", "\u0663\u0664", "9" * 400, "Deals,Leads", "../Deals", "<script>"]
    for value in odd:
        for path, key in [(LAYOUTS, "module"), (f"{LAYOUTS}/{value or 0}", "module"),
                          (PIPELINE, "layout_id")]:  # fmt: skip
            resp = api.get(path, query_string={key: value, "mode": value})
            assert resp.status_code < 500, (path, value, resp.json)
    resp = api.get(PIPELINE, query_string=[("layout_id", DEALS_LAYOUT), ("layout_id", "x")])
    assert resp.status_code == 200  # the first value counts, as for every parameter


# --- scopes ------------------------------------------------------------------------------

ENDPOINTS = [
    (LAYOUTS, {"module": "Deals"}, "ZohoCRM.settings.layouts"),
    (f"{LAYOUTS}/{DEALS_LAYOUT}", {"module": "Deals"}, "ZohoCRM.settings.layouts"),
    (PIPELINE, {"layout_id": DEALS_LAYOUT}, "ZohoCRM.settings.pipeline"),
]
SCOPE_MISMATCH = error("OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL")


@pytest.mark.parametrize(("path", "query", "family"), ENDPOINTS)
def test_scopes(store, org, path, query, family):
    client = create_app(Settings(auth="strict"), store=store).test_client()

    def get(*scopes: str):
        token = store.issue_token(org.id, frozenset(scopes), 3600, org.clock.now())
        headers = {"Authorization": f"Zoho-oauthtoken {token.value}"}
        return client.get(path, query_string=query, headers=headers)

    other = {"layouts": "pipeline", "pipeline": "layouts"}[family.rsplit(".", 1)[1]]
    for scopes in [("ZohoCRM.settings.fields.READ", "ZohoCRM.settings.modules.ALL"),
                   (f"{family}.CREATE", f"{family}.UPDATE"), (f"ZohoCRM.settings.{other}.ALL",),
                   ("ZohoCRM.modules.ALL",)]:  # fmt: skip
        resp = get(*scopes)
        assert (resp.status_code, resp.json) == (401, SCOPE_MISMATCH), scopes
    for scopes in [(f"{family}.READ",), (f"{family}.ALL",), ("ZohoCRM.settings.ALL",)]:
        assert get(*scopes).status_code == 200, scopes
