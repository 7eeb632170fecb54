"""GET field updates with include_inner_details: the asked-for field metadata is added.

Zoho's getFieldUpdateById: "To retrieve additional field metadata, set the
'include_inner_details' query parameter to one or more of field_label, enable_colour_code,
pick_list_values.colour_code, data_type, or display_value"; its FieldDetails schema (YAML spec)
has `field.field_label` and `field.data_type`. No example shows the other three: mockcrm puts
`enable_colour_code` and `pick_list_values` in `field` (field metadata, as in GET
/settings/fields) and `display_value` beside `value` (as in Zoho's field mappings)."""

from __future__ import annotations

import copy

import pytest
from actions_helpers import BASE, DEALS
from oas import validate_response, zoho_example

DEPARTMENT = "4876876000009610036"  # Contacts, text field Department = "Procurement"
LEAD_RATING = "4876876000009610015"  # Leads, picklist Rating = "Active"
ALL = "field_label,enable_colour_code,pick_list_values.colour_code,data_type,display_value"


def _get(api, entity_id: str, details: str | None):
    params = {} if details is None else {"include_inner_details": details}
    resp = api.get(f"{BASE}/field_updates/{entity_id}", query_string=params)
    assert resp.status_code == 200, resp.json
    validate_response("field_updates", "getFieldUpdateById", 200, resp.json)
    return resp.json["field_updates"][0]


def test_field_label_data_type_and_display_value_by_id(api, org):
    stored = copy.deepcopy(org.entities["field_updates"][DEPARTMENT])
    item = _get(api, DEPARTMENT, "field_label,data_type,display_value")
    assert item["field"] == {
        "ui_type": 1,
        "api_name": "Department",
        "id": "4876876000000002377",
        "field_label": "Department",
        "data_type": "text",
    }
    assert item["display_value"] == "Procurement" and item["value"] == "Procurement"
    plain = _get(api, DEPARTMENT, None)
    assert {k: v for k, v in item.items() if k != "display_value"} == {
        **plain,
        "field": item["field"],
    }
    assert "display_value" not in plain and "field_label" not in plain["field"]
    assert org.entities["field_updates"][DEPARTMENT] == stored  # a view, the store untouched


def test_only_the_asked_details_are_added(api):
    item = _get(api, DEPARTMENT, "data_type")
    assert item["field"] == {
        "ui_type": 1,
        "api_name": "Department",
        "id": "4876876000000002377",
        "data_type": "text",
    }
    assert "display_value" not in item


def test_picklist_colour_codes_and_display_value(api, org):
    """A picklist option whose label differs from its value, with a colour code."""
    fields = copy.deepcopy(org.fields["Leads"])
    rating = next(f for f in fields if f["api_name"] == "Rating")
    rating["enable_colour_code"] = True
    active = next(o for o in rating["pick_list_values"] if o["actual_value"] == "Active")
    active.update(display_value="Active (hot)", colour_code="#879BFC")
    org.fields["Leads"] = fields
    item = _get(api, LEAD_RATING, ALL)
    field = item["field"]
    assert {k: field[k] for k in ("field_label", "data_type", "enable_colour_code")} == {
        "field_label": rating["field_label"],
        "data_type": "picklist",
        "enable_colour_code": True,
    }
    assert len(field["pick_list_values"]) == len(rating["pick_list_values"])
    assert {
        "display_value": "Active (hot)",
        "actual_value": "Active",
        "id": active["id"],
        "colour_code": "#879BFC",
    } in field["pick_list_values"]
    assert {o["colour_code"] for o in field["pick_list_values"]} == {None, "#879BFC"}
    assert item["value"] == "Active" and item["display_value"] == "Active (hot)"


def test_colour_details_only_for_picklists(api):
    field = _get(api, DEPARTMENT, "enable_colour_code,pick_list_values.colour_code")["field"]
    assert field["enable_colour_code"] is False and "pick_list_values" not in field


def test_dependent_fields_get_the_details_too(api):
    body = {
        "name": "Pipeline - Standard",
        "module": DEALS,
        "field": {"api_name": "Pipeline"},
        "value": "Standard (Standard)",
        "type": "static",
        "dependent_fields": [{"field": {"api_name": "Stage"}, "value": "Qualification"}],
    }
    resp = api.post(f"{BASE}/field_updates", json={"field_updates": [body]})
    assert resp.status_code == 201, resp.json
    new = resp.json["field_updates"][0]["details"]["id"]
    item = _get(api, new, "field_label,data_type,display_value")
    assert item["field"]["field_label"] == "Pipeline" and item["field"]["data_type"] == "picklist"
    (dep,) = item["dependent_fields"]
    assert dep["field"]["field_label"] == "Stage" and dep["field"]["data_type"] == "picklist"
    assert dep["display_value"] == "Qualification"


def test_list_adds_the_details_to_every_item(api, org):
    resp = api.get(
        f"{BASE}/field_updates",
        query_string={"module": "Contacts", "include_inner_details": "field_label,data_type"},
    )
    assert resp.status_code == 200
    validate_response("field_updates", "getFieldUpdates", 200, resp.json)
    items = resp.json["field_updates"]
    assert len(items) == 2
    for item in items:
        meta = org.field("Contacts", item["field"]["api_name"])
        assert item["field"] == {
            "api_name": meta["api_name"],
            "id": meta["id"],
            "field_label": meta["field_label"],
            "data_type": meta["data_type"],
        }


@pytest.mark.parametrize("value", ["field_label,bogus", "", "field_label,"])
def test_an_unknown_detail_is_still_refused(api, value):
    for path in (f"{BASE}/field_updates/{DEPARTMENT}", f"{BASE}/field_updates"):
        resp = api.get(path, query_string={"include_inner_details": value})
        assert resp.status_code == 400
        assert resp.json == zoho_example(
            "field_updates", "getFieldUpdateById", 400, "InvalidIncludeInnerDetailsResponse"
        )
