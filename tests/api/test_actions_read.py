"""GET lists and GET by id of the automation-action entities."""

from __future__ import annotations

import json

import pytest
from actions_helpers import BASE, KINDS, SPECS, UNUSED, create
from oas import validate_response, zoho_example

LIST_ERRORS = {  # kind -> [(params, example name)]
    "field_updates": [
        ({"feature_type": "nope"}, "InvalidFeatureTypeResponse"),
        ({"module": "Nope"}, "InvalidModuleResponse"),
        ({"sort_order": "up"}, "InvalidSortOrderResponse"),
        ({"sort_by": "name"}, "InvalidSortByResponse"),
    ],
    "tasks": [
        ({"module": "Nope"}, "InvalidModuleResponse"),
        ({"feature_type": "nope"}, "InvalidFeatureTypeResponse"),
        ({"sort_by": "created_time"}, "InvalidSortByResponse"),
        ({"sort_order": "random"}, "InvalidSortOrderResponse"),
    ],
    "webhooks": [
        ({"module": "Nope"}, "InvalidModuleResponse1"),
        ({"sort_order": "up"}, "InvalidDataResponse1"),
        ({"sort_by": "modified_time"}, "InvalidDataResponse2"),
        ({"feature_type": "nope"}, "InvalidDataResponse3"),
    ],
}


def _list(api, kind: str, **params):
    return api.get(f"{BASE}/{kind}", query_string=params)


def _ids(resp, kind: str) -> list[str]:
    return [i["id"] for i in resp.json[kind]] if resp.status_code == 200 else []


def _filter(value: str) -> str:
    return json.dumps({"field": {"api_name": "name"}, "comparator": "contains", "value": value})


@pytest.mark.parametrize("kind", KINDS)
def test_list_returns_every_entity_with_derived_associated(api, org, kind):
    resp = _list(api, kind)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/json;charset=UTF-8"
    if kind in SPECS:
        validate_response(SPECS[kind][0], SPECS[kind][1], 200, resp.json)
    items = resp.json[kind]
    assert {i["id"] for i in items} == set(org.entities[kind])
    info = resp.json["info"]
    assert (info["count"], info["page"], info["per_page"], info["more_records"]) == (
        len(items),
        1,
        200,
        False,
    )
    associated = {i["id"]: i["associated"] for i in items}
    unused = {UNUSED[kind]} if kind in UNUSED else set()
    assert {i for i, used in associated.items() if not used} == unused
    assert all("associated" not in e for e in org.entities[kind].values())  # derived, not stored


def test_list_items_use_zoho_list_shapes(api, org):
    fu = _list(api, "field_updates").json["field_updates"][0]
    stored = org.entities["field_updates"][fu["id"]]
    assert fu["module"] == {"api_name": stored["module"]["api_name"], "id": stored["module"]["id"]}
    assert fu["field"] == {"api_name": stored["field"]["api_name"], "id": stored["field"]["id"]}
    hooks = _list(api, "webhooks").json
    assert hooks["info"]["max_limit"] == 200
    zoho_item = zoho_example("webhooks", "getWebhooks", 200, "Success200")["webhooks"][0]
    assert all(set(item) == set(zoho_item) for item in hooks["webhooks"])
    by_id = api.get(f"{BASE}/webhooks/{hooks['webhooks'][0]['id']}").json["webhooks"][0]
    assert {"headers", "body", "date_time_format", "authentication"} <= set(by_id)


@pytest.mark.parametrize("kind", KINDS)
def test_get_by_id_is_the_full_entity_with_associated(api, org, kind):
    entity_id = next(i for i in org.entities[kind] if i != UNUSED.get(kind))
    resp = api.get(f"{BASE}/{kind}/{entity_id}")
    assert resp.status_code == 200
    if kind in SPECS:
        validate_response(SPECS[kind][0], SPECS[kind][2], 200, resp.json)
    assert resp.json == {kind: [{**org.entities[kind][entity_id], "associated": True}]}


@pytest.mark.parametrize("kind", ["tasks", "email_notifications"])
def test_get_unknown_id_is_invalid_data(api, kind):
    resp = api.get(f"{BASE}/{kind}/4876876999999999999")
    assert resp.status_code == 400
    assert resp.json == zoho_example("workflow_tasks", "getTaskById", 400, "InvalidTaskIdResponse")


@pytest.mark.parametrize("kind", ["field_updates", "webhooks"])
def test_get_unknown_id_is_no_content_where_zoho_says_so(api, kind):
    """getFieldUpdateById and getWebhookById document 204 for an id that matches nothing."""
    resp = api.get(f"{BASE}/{kind}/4876876999999999999")
    assert (resp.status_code, resp.data) == (204, b"")


def test_get_field_update_checks_include_inner_details(api, org):
    fid = next(iter(org.entities["field_updates"]))
    ok = api.get(f"{BASE}/field_updates/{fid}", query_string={"include_inner_details": "data_type"})
    assert ok.status_code == 200
    bad = api.get(f"{BASE}/field_updates/{fid}", query_string={"include_inner_details": "x"})
    assert bad.status_code == 400
    assert bad.json == zoho_example(
        "field_updates", "getFieldUpdateById", 400, "InvalidIncludeInnerDetailsResponse"
    )


@pytest.mark.parametrize(
    ("kind", "params", "example"),
    [(kind, params, name) for kind, cases in LIST_ERRORS.items() for params, name in cases],
)
def test_list_parameter_errors_match_zoho(api, kind, params, example):
    resp = _list(api, kind, **params)
    assert resp.status_code == 400
    assert resp.json == zoho_example(SPECS[kind][0], SPECS[kind][1], 400, example)


@pytest.mark.parametrize("kind", KINDS)
def test_list_filters_by_module_feature_type_and_name(api, org, kind):
    leads = {i for i, e in org.entities[kind].items() if e["module"]["api_name"] == "Leads"}
    assert set(_ids(_list(api, kind, module="Leads"), kind)) == leads
    assert _list(api, kind, module="Notes").status_code == 204
    every = set(_ids(_list(api, kind, feature_type="workflow"), kind))
    assert every == set(org.entities[kind])
    assert _list(api, kind, feature_type="approval_process").status_code == 204
    param = "filter" if kind in ("field_updates", "tasks") else "filters"
    some = next(iter(org.entities[kind].values()))
    needle = some["name"][2:8].upper()  # contains, case-insensitive
    named = _ids(_list(api, kind, **{param: _filter(needle)}), kind)
    assert some["id"] in named
    assert all(needle.lower() in org.entities[kind][i]["name"].lower() for i in named)
    assert _list(api, kind, **{param: _filter("no such entity name")}).status_code == 204
    bad = _list(api, kind, **{param: '{"field":{"api_name":"url"},"comparator":"equals"}'})
    assert bad.status_code == 400
    assert bad.json == {
        "code": "INVALID_DATA",
        "details": {"param_name": param},
        "message": "The value provided to the param is Invalid",
        "status": "error",
    }


def test_list_filters_by_related_module(api, org):
    assert _list(api, "webhooks", related_module="Notes").status_code == 204
    resp = _list(api, "webhooks", related_module="Nope")
    assert resp.json == {
        "code": "INVALID_MODULE",
        "details": {"param_name": "related_module"},
        "message": "The value provided to the param is Invalid",
        "status": "error",
    }


@pytest.mark.parametrize(
    ("kind", "sort_by", "newest_first"),
    [
        ("field_updates", "modified_time", True),
        ("email_notifications", "modified_time", True),
        ("tasks", "modified_time", False),
        ("webhooks", "Modified_Time", True),
    ],
)
def test_list_order_and_sort(api, org, kind, sort_by, newest_first):
    by_created = sorted(org.entities[kind].values(), key=lambda e: (e["created_time"], e["id"]))
    default = [e["id"] for e in by_created]
    assert _ids(_list(api, kind), kind) == (default[::-1] if newest_first else default)
    assert _ids(_list(api, kind, sort_order="asc"), kind) == default
    newest = next(iter(org.entities[kind]))
    api.put(f"{BASE}/{kind}/{newest}", json={kind: [{"name": "Touched last"}]})
    ids = _ids(_list(api, kind, sort_by=sort_by, sort_order="desc"), kind)
    assert ids[0] == newest
    assert _ids(_list(api, kind, sort_by=sort_by, sort_order="asc"), kind)[-1] == newest


def test_list_pages_and_answers_204_when_empty(api, org):
    everything = _ids(_list(api, "tasks"), "tasks")
    first = _list(api, "tasks", per_page=4)
    assert first.json["info"] == {"per_page": 4, "count": 4, "page": 1, "more_records": True}
    last = _list(api, "tasks", per_page=4, page=3)
    assert last.json["info"] == {"per_page": 4, "count": 1, "page": 3, "more_records": False}
    assert (
        _ids(first, "tasks")
        + _ids(_list(api, "tasks", per_page=4, page=2), "tasks")
        + _ids(last, "tasks")
        == everything
    )
    beyond = _list(api, "tasks", per_page=4, page=4)
    assert beyond.status_code == 204 and beyond.data == b""
    bad = _list(api, "tasks", per_page=201)
    assert bad.status_code == 400
    assert bad.json["details"] == {"param_name": "per_page"}
    org.entities["tasks"].clear()
    assert _list(api, "tasks").status_code == 204


def test_created_entity_is_listed_unassociated(api):
    new = create(api, "webhooks", name="Fresh Hook")
    item = next(i for i in _list(api, "webhooks").json["webhooks"] if i["id"] == new)
    assert item["associated"] is False and item["name"] == "Fresh Hook"


MALFORMED_FILTERS = [
    {"field": "name", "comparator": "contains", "value": "x"},
    {"field": ["name"], "comparator": "contains", "value": "x"},
    {"field": None, "comparator": "contains", "value": "x"},
    ["not", "an", "object"],
    {"field": {"api_name": "name"}, "comparator": "equal", "value": "x"},
    {"field": {"api_name": "name"}, "comparator": "contains", "value": 5},
]


@pytest.mark.parametrize("criterion", MALFORMED_FILTERS, ids=lambda c: json.dumps(c)[:30])
@pytest.mark.parametrize("kind", [*KINDS, "workflow_rules"])
def test_a_malformed_name_filter_is_invalid_data(api, kind, criterion):
    """Any JSON that is not the name criterion (a 500 once, with `field` not an object)."""
    param = "filter" if kind in ("field_updates", "tasks", "workflow_rules") else "filters"
    resp = api.get(f"{BASE}/{kind}", query_string={param: json.dumps(criterion)})
    assert resp.status_code == 400
    assert resp.json == {
        "code": "INVALID_DATA",
        "details": {"param_name": param},
        "message": "The value provided to the param is Invalid",
        "status": "error",
    }
