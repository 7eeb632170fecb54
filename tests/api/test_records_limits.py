"""Records API limits (audit_records.md items 4, 7, 11, 12, 14): records per request, digits of
number fields, tags per record, and the scope of upsert. Each case cites its source."""

from __future__ import annotations

import pytest
from records_helpers import (  # noqa: F401 (frozen is an autouse fixture)
    DEALS,
    VP_DEAL,
    at,
    err,
    frozen,
    unchanged,
)

LEADS = "/crm/v8/Leads"
PRODUCTS = "/crm/v8/Products"
OTHER_DEAL = "4876876000005040008"
TOO_MANY = "count of records in your request exceeds the limit"


def deal(**extra) -> dict:
    return {"Deal_Name": "Zylker - Limits", "Stage": "Qualification", **extra}


def bad_value(api_name: str, path: str) -> dict:
    return err(
        "INVALID_DATA", f"The field value given for {api_name} is invalid", at(api_name, path)
    )


# --------------------------------------------------------------------------- records per request
# Zoho's updateRecord example "LimitExceededError" (zoho/crm-oas v8.0 record) is item-wrapped.
@pytest.mark.parametrize(
    ("method", "path", "body", "limit"),
    [
        ("POST", DEALS, {"data": [deal()] * 101}, 100),
        ("PUT", DEALS, {"data": [{"id": VP_DEAL, "Amount": 1}] * 101}, 100),
        ("POST", f"{DEALS}/upsert", {"data": [deal()] * 101}, 100),
        ("PUT", f"{DEALS}/{VP_DEAL}", {"data": [{"Amount": 1}, {"Amount": 2}]}, 1),
    ],
    ids=["insert", "update", "upsert", "update-by-id"],
)
def test_too_many_records_is_limit_exceeded_inside_data(api, org, method, path, body, limit):
    before = unchanged(org)
    resp = api.call(method, path, json=body)
    assert resp.status_code == 400
    assert resp.json == err(
        "LIMIT_EXCEEDED", TOO_MANY, {"maximum_length": limit, "api_name": "data"}
    )
    assert unchanged(org) == before


def test_one_hundred_records_are_accepted(api, org):
    resp = api.post(DEALS, json={"data": [deal(Deal_Name=f"D{i}") for i in range(100)]})
    assert resp.status_code == 201 and len(resp.json["data"]) == 100


# --------------------------------------------------------------------------- upsert scope
# Zoho's v8 upsert page lists ALL, WRITE and CREATE (no UPDATE); its OAS lists only CREATE.
# So an UPDATE-only token stays refused (pinned here: audit item 12 was not taken).
@pytest.mark.parametrize(
    ("scope", "status"),
    [
        ("ZohoCRM.modules.Leads.UPDATE", 401),
        ("ZohoCRM.modules.Leads.CREATE", 200),
        ("ZohoCRM.modules.Leads.WRITE", 200),
        ("ZohoCRM.modules.ALL", 200),
    ],
)
def test_upsert_scope(client, store, org, scope, status):
    token = store.issue_token(org.id, frozenset({scope}), 3600, org.clock.now())
    body = {"data": [{"Last_Name": "U", "Email": "upsert@zylker.example"}]}
    headers = {"Authorization": f"Zoho-oauthtoken {token.value}"}
    resp = client.post(f"{LEADS}/upsert", json=body, headers=headers)
    assert resp.status_code == status
    if status == 401:
        expected = {"code": "OAUTH_SCOPE_MISMATCH", "details": {}, "message": "Unauthorized"}
        assert resp.json == {**expected, "status": "error"}


# --------------------------------------------------------------------------- number digits
# Zoho CRM help, "Working with Custom Fields": Integer "Maximum 9 digits"; Decimal "Maximum 16
# digits (including decimal places)"; Currency "Maximum 16 digits" (fact sheet §3.4).
@pytest.mark.parametrize("value", [1_234_567_890, -1_234_567_890, 2_147_483_647])
def test_integer_with_ten_digits_is_refused(api, org, value):
    before = unchanged(org)
    resp = api.post(LEADS, json={"data": [{"Last_Name": "A", "No_of_Employees": value}]})
    assert resp.status_code == 400
    assert resp.json == bad_value("No_of_Employees", "$.data[0].No_of_Employees")
    assert unchanged(org) == before


@pytest.mark.parametrize("value", [999_999_999, -999_999_999, 0])
def test_integer_with_nine_digits_is_accepted(api, org, value):
    resp = api.post(LEADS, json={"data": [{"Last_Name": "A", "No_of_Employees": value}]})
    assert resp.status_code == 201
    assert org.records["Leads"][resp.json["data"][0]["details"]["id"]]["No_of_Employees"] == value


def test_integer_digits_follow_the_fields_length(api, org):
    employees = next(f for f in org.fields["Leads"] if f["api_name"] == "No_of_Employees")
    employees["length"] = 3  # a custom integer field of 3 digits (Zoho allows 1-9)
    leads = [
        {"Last_Name": "A", "No_of_Employees": 999},
        {"Last_Name": "B", "No_of_Employees": 1000},
    ]
    resp = api.post(LEADS, json={"data": leads})
    assert resp.status_code == 207
    assert resp.json["data"][0]["status"] == "success"
    (refused,) = bad_value("No_of_Employees", "$.data[1].No_of_Employees")["data"]
    assert resp.json["data"][1] == refused


def test_update_checks_the_integer_digits_too(api, org):
    lead = api.post(LEADS, json={"data": [{"Last_Name": "A"}]}).json["data"][0]["details"]["id"]
    before = unchanged(org)
    resp = api.put(LEADS, json={"data": [{"id": lead, "No_of_Employees": 10**9}]})
    assert resp.status_code == 400
    assert resp.json == bad_value("No_of_Employees", "$.data[0].No_of_Employees")
    assert unchanged(org) == before


@pytest.mark.parametrize("amount", [10**16, 12345678901234567.5, -1e16, 1e20])
def test_currency_with_seventeen_integer_digits_is_refused(api, org, amount):
    before = unchanged(org)
    resp = api.post(DEALS, json={"data": [deal(Amount=amount)]})
    assert resp.status_code == 400
    assert resp.json == bad_value("Amount", "$.data[0].Amount")
    assert unchanged(org) == before


@pytest.mark.parametrize("amount", [9_999_999_999_999_999, 1234567.123456789, -5.5])
def test_currency_with_sixteen_integer_digits_is_accepted(api, org, amount):
    resp = api.post(DEALS, json={"data": [deal(Amount=amount)]})
    assert resp.status_code == 201
    assert org.records["Deals"][resp.json["data"][0]["details"]["id"]]["Amount"] == amount


def test_double_with_seventeen_integer_digits_is_refused(api, org):
    body = {"data": [{"Product_Name": "P", "Qty_in_Stock": 1e16}]}
    resp = api.post(PRODUCTS, json=body)
    assert resp.status_code == 400
    assert resp.json == bad_value("Qty_in_Stock", "$.data[0].Qty_in_Stock")


# --------------------------------------------------------------------------- tags per record
# Fact sheet §4.1: "10 tags per record" (Zoho's docs). v8's tags `info.record_limit` (20) is,
# per Zoho's OAS, "the maximum number of records a tag can be applied to": no conflict.
def names(count: int, prefix: str = "t") -> list[dict]:
    return [{"name": f"{prefix}{i}"} for i in range(count)]


def too_many_tags(path: str) -> dict:
    return err("INVALID_DATA", "invalid data", at("Tag", path, maximum_length=10))


def test_insert_with_eleven_tags_is_refused_and_creates_no_tag(api, org):
    before = unchanged(org)
    resp = api.post(DEALS, json={"data": [deal(Tag=names(11))]})
    assert resp.status_code == 400
    assert resp.json == too_many_tags("$.data[0].Tag")
    assert unchanged(org) == before and org.tag("Deals", name="t0") is None


def test_ten_tags_are_accepted_and_duplicates_count_once(api, org):
    body = {"data": [deal(Tag=[*names(10), {"name": "T9"}])]}
    resp = api.post(DEALS, json=body)
    assert resp.status_code == 201
    assert len(org.records["Deals"][resp.json["data"][0]["details"]["id"]]["Tag"]) == 10


def test_update_with_eleven_tags_is_refused(api, org):
    before = unchanged(org)
    resp = api.put(DEALS, json={"data": [{"id": VP_DEAL, "Tag": names(11)}]})
    assert resp.status_code == 400
    assert resp.json == too_many_tags("$.data[0].Tag")
    assert unchanged(org) == before


def test_add_tags_beyond_ten_on_the_record_is_refused(api, org):
    api.put(DEALS, json={"data": [{"id": OTHER_DEAL, "Tag": names(9)}]})
    before = unchanged(org)
    resp = api.post(f"{DEALS}/{OTHER_DEAL}/actions/add_tags", json={"tags": names(2, "new")})
    assert resp.status_code == 400
    details = {"maximum_length": 10, "api_name": "tags", "json_path": "$.tags"}
    assert resp.json == err("INVALID_DATA", "invalid data", details, wrapped=False)
    assert unchanged(org) == before


def test_bulk_add_tags_fails_only_the_record_that_would_exceed(api, org):
    api.put(DEALS, json={"data": [{"id": OTHER_DEAL, "Tag": names(9)}]})
    body = {"tags": names(2, "new"), "ids": [OTHER_DEAL, VP_DEAL]}
    resp = api.post(f"{DEALS}/actions/add_tags", json=body)
    assert resp.status_code == 207
    failed, added = resp.json["data"]
    details = {"maximum_length": 10, "api_name": "tags", "json_path": "$.tags", "id": OTHER_DEAL}
    assert failed == err("INVALID_DATA", "invalid data", details)["data"][0]
    assert added["status"] == "success" and added["details"]["id"] == VP_DEAL
    assert len(org.records["Deals"][OTHER_DEAL]["Tag"]) == 9
    assert {"new0", "new1"} <= {t["name"] for t in org.records["Deals"][VP_DEAL]["Tag"]}


def test_new_tag_names_differing_in_case_are_one_tag(api, org):
    """Tag names compare without case (the Tags API refuses "alpha" beside "Alpha"): two
    spellings in one write, in one record or two, create one tag, spelt as first given."""
    body = {
        "data": [
            {"Last_Name": "x", "Tag": [{"name": "Alpha"}, {"name": "ALPHA"}]},
            {"Last_Name": "y", "Tag": [{"name": "alpha"}]},
        ],
        "trigger": [],
    }
    resp = api.post("/crm/v8/Leads", json=body)
    assert resp.status_code == 201
    alphas = [t for t in org.tags["Leads"] if t["name"].lower() == "alpha"]
    assert [t["name"] for t in alphas] == ["Alpha"]
    for item in resp.json["data"]:
        record = org.records["Leads"][item["details"]["id"]]
        assert [(t["name"], t["id"]) for t in record["Tag"]] == [("Alpha", alphas[0]["id"])]
