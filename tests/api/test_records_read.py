"""Records API: /crm/v8/{module} and /{module}/{id} over the seeded Zylker records."""

from __future__ import annotations

import json
import re

import pytest
from oas import validate_response
from records_helpers import (  # noqa: F401 (frozen is an autouse fixture)
    ANIKA,
    DEALS,
    NOW,
    NOW_ISO,
    ORBIT,
    PATRICIA,
    SEED,
    VP_DEAL,
    at,
    err,
    frozen,
    unchanged,
)

from mockcrm.core.store import Token
from mockcrm.crm.record_values import display_name, typed_record


def test_list_returns_requested_fields_plus_id_newest_first(api):
    resp = api.get(DEALS, query_string={"fields": "Deal_Name,Amount,Stage,Owner"})
    assert resp.status_code == 200
    validate_response("record", "getRecords", 200, resp.json)
    rows = resp.json["data"]
    assert [r["id"] for r in rows] == [f"48768760000050400{i:02d}" for i in range(8, 0, -1)]
    assert set(rows[-1]) == {"id", "Deal_Name", "Amount", "Stage", "Owner"}
    assert rows[-1]["Owner"] == {**PATRICIA, "email": "patricia.boyle@zylker.com"}
    assert resp.json["info"] == {
        "call": False, "per_page": 200, "next_page_token": None, "count": 8, "sort_by": "id",
        "page": 1, "page_token_expiry": None, "sort_order": "desc", "email": False,
        "more_records": False, "previous_page_token": None,
    }  # fmt: skip


def test_list_sorting_ids_and_unknown_field_names(api):
    resp = api.get(
        DEALS,
        query_string={
            "fields": "Modified_Time,Nope",
            "sort_by": "Modified_Time",
            "sort_order": "asc",
        },
    )
    times = [r["Modified_Time"] for r in resp.json["data"]]
    assert times == sorted(times) and set(resp.json["data"][0]) == {"id", "Modified_Time"}
    picked = api.get(DEALS, query_string={"fields": "Amount", "ids": f"{VP_DEAL},123"})
    assert picked.json["data"] == [{"id": VP_DEAL, "Amount": 75000}]
    none = api.get(DEALS, query_string={"fields": "Amount", "ids": "4876876000005049999"})
    assert none.status_code == 204 and none.data == b""


def test_pagination_pages_and_page_token(api):
    first = api.get(DEALS, query_string={"fields": "Amount", "per_page": 3})
    info = first.json["info"]
    assert info["more_records"] and info["count"] == 3 and info["next_page_token"]
    assert info["page_token_expiry"] == "2025-12-02T11:09:10+05:30"
    validate_response("record", "getRecords", 200, first.json)
    second = api.get(DEALS, query_string={"fields": "Amount", "per_page": 3, "page": 2})
    by_token = api.get(
        DEALS,
        query_string={"fields": "Amount", "per_page": 3, "page_token": info["next_page_token"]},
    )
    assert by_token.json["data"] == second.json["data"]
    assert by_token.json["info"]["page"] == 2
    last = api.get(DEALS, query_string={"fields": "Amount", "per_page": 3, "page": 3})
    assert last.json["info"]["count"] == 2 and not last.json["info"]["more_records"]
    altered = api.get(
        DEALS,
        query_string={"fields": "Stage", "per_page": 3, "page_token": info["next_page_token"]},
    )
    assert altered.status_code == 400 and altered.json == err(
        "TOKEN_BOUND_DATA_MISMATCH",
        "The page_token given seems to be invalid or input param is added or altered or deleted",
        {"param_name": "page_token"},
        wrapped=False,
    )


@pytest.mark.parametrize(
    ("query", "code", "message", "details"),
    [
        ({}, "REQUIRED_PARAM_MISSING", "required param is missing", {"param_name": "fields"}),
        ({"fields": ",".join(f"F{i}" for i in range(51))}, "LIMIT_EXCEEDED", "limit exceeded",
         {"limit": 50, "param_name": "fields"}),
        ({"fields": "Amount", "page": 11}, "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
         "You can only get the first 2000 records without using page_token param", {"limit": 2000}),
        ({"fields": "Amount", "sort_by": "Amount"}, "INVALID_DATA", "invalid data",
         {"param_name": "sort_by", "supported_values": ["id", "Created_Time", "Modified_Time"]}),
        ({"fields": "Amount", "cvid": "4876876000000087501"}, "INVALID_DATA", "invalid data",
         {"param_name": "cvid"}),
        ({"fields": "Amount", "page": 1, "page_token": "x"}, "AMBIGUITY_DURING_PROCESSING",
         "ambiguity while processing the request", {"ambiguity_due_to": ["page", "page_token"]}),
    ],
)  # fmt: skip
def test_list_parameter_errors(api, query, code, message, details):
    resp = api.get(DEALS, query_string=query)
    assert resp.status_code == 400
    assert resp.json == err(code, message, details, wrapped=False)


def test_get_by_id_returns_every_field(api, org):
    resp = api.get(f"{DEALS}/{VP_DEAL}")
    assert resp.status_code == 200
    validate_response("record", "getRecord", 200, resp.json)
    (deal,) = resp.json["data"]
    assert set(deal) == {"id"} | {f["api_name"] for f in org.fields["Deals"]}
    assert deal["Account_Name"] == {"name": "Orbit Logistics", "id": ORBIT}
    assert deal["Stage"] == "Negotiation/Review" and deal["Amount"] == 75000
    slim = api.get(f"{DEALS}/{VP_DEAL}", query_string={"fields": "Stage"})
    assert slim.json == {"data": [{"id": VP_DEAL, "Stage": "Negotiation/Review"}]}
    assert api.get(f"{DEALS}/4876876000005049999").status_code == 204
    bad = api.get(f"{DEALS}/abc")
    assert bad.status_code == 400 and bad.json == err(
        "INVALID_DATA", "the id given seems to be invalid", {"resource_path_index": 1}, False
    )


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_unknown_module_is_invalid_module(api, method):
    resp = api.call(method, "/crm/v8/Dealz", query_string={"fields": "a", "ids": "1"})
    assert resp.status_code == 400
    assert resp.json == err(
        "INVALID_MODULE", "the module name given seems to be invalid", {"resource_path_index": 0},
        wrapped=False,
    )  # fmt: skip
    post = api.post("/crm/v8/Dealz", json={"data": [{}]})
    assert post.json == err(
        "INVALID_MODULE", "the module name given seems to be invalid", {"resource_path_index": 0}
    )


# --------------------------------------------------------------------------- insert
def test_record_scopes(api, store, org):
    grants = {"deals-read": "ZohoCRM.modules.deals.READ", "all": "zohocrm.modules.all",
              "deals-all": "ZohoCRM.modules.DEALS.ALL"}  # fmt: skip
    for value, grant in grants.items():
        store.tokens[value] = Token(value, org.id, frozenset({grant}))
    q = {"fields": "Amount"}

    def call(token, method, path):
        headers = {"Authorization": f"Zoho-oauthtoken {token}"}
        return api.client.open(path, method=method, headers=headers, query_string=q, json={})

    assert call("deals-read", "GET", DEALS).status_code == 200
    denied = call("deals-read", "GET", "/crm/v8/Leads")
    assert denied.status_code == 401 and denied.json == err(
        "OAUTH_SCOPE_MISMATCH", "Unauthorized", {}, False
    )
    assert call("deals-read", "POST", DEALS).status_code == 401
    assert call("all", "GET", "/crm/v8/Leads").status_code == 200
    assert call("deals-all", "PUT", DEALS).json["code"] == "MANDATORY_NOT_FOUND"


def test_routes_of_other_resources_are_not_modules(api):
    assert api.get("/crm/v8/settings/nope").json["code"] == "INVALID_URL_PATTERN"
    assert api.get("/crm/v8/settings/nope/deeper").status_code == 404
    wrong = api.delete("/crm/v8/workflow_configurations", query_string={"module": "Deals"})
    assert wrong.json["code"] == "INVALID_REQUEST_METHOD" and "data" not in wrong.json
    expected = err("INVALID_REQUEST_METHOD", "The HTTP request method type is not a valid one.",
                   {"resource_path_index": 0})  # fmt: skip
    for method, path in (("PATCH", DEALS), ("POST", f"{DEALS}/{VP_DEAL}")):
        resp = api.call(method, path, json={})
        assert resp.status_code == 400 and resp.json == expected


# --------------------------------------------------------------------------- the seed
def test_seeded_records_are_valid_and_consistent(org):
    seed = json.loads((SEED / "records.json").read_text(encoding="utf-8"))
    assert {m: len(rows) for m, rows in seed.items()} == {
        "Accounts": 4, "Contacts": 6, "Leads": 6, "Deals": 8}  # fmt: skip
    other = set()
    for path in SEED.glob("*.json"):
        if path.name != "records.json":
            other |= set(re.findall(r'"(4876876\d{12})"', path.read_text(encoding="utf-8")))
    ids = [r["id"] for rows in seed.values() for r in rows]
    assert len(set(ids)) == len(ids) and not set(ids) & other
    assert max(ids) < max(other), "records stay below the id allocator's start"
    for module, rows in seed.items():
        for index, record in enumerate(rows):
            values, typer = typed_record(org, module, record, index, None)
            assert not typer.new_tags
            for key, value in values.items():
                assert record[key] == value, (record["id"], key)
            for fld in org.fields[module]:
                ref = record.get(fld["api_name"])
                if fld["data_type"] == "lookup" and ref:
                    target = fld["lookup"]["module"]["api_name"]
                    linked = org.records[target][ref["id"]]
                    assert ref["name"] == display_name(org, target, linked)
    deals = seed["Deals"]
    assert all(d["Owner"]["id"] == PATRICIA["id"] for d in deals)
    vp = [d for d in deals if d["Amount"] > 50000 and d["Stage"] == "Negotiation/Review"]
    assert [d["id"] for d in vp] == [VP_DEAL]
    assert any(d["Amount"] == 50000 for d in deals)
