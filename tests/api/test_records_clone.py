"""POST /crm/v8/{module}/{id}/actions/clone (Zoho's Record Clone, v7+): a new record with the
record's values, the body's `data[0]` over them; read-only and system fields are not copied; the
clone is an insert, so the module's create rules fire for it (unless `trigger: []`)."""

from __future__ import annotations

from oas import validate_response
from records_helpers import unchanged

DEALS = "/crm/v8/Deals"
ORBIT = "4876876000005040001"  # Orbit Logistics - Fleet Tracking Suite, tagged, with an account
COPIED = ("Deal_Name", "Amount", "Stage", "Closing_Date", "Account_Name", "Tag", "Lead_Source")


def _clone(api, record_id: str = ORBIT, body: dict | None = None):
    return api.post(f"{DEALS}/{record_id}/actions/clone", json=body)


def test_a_clone_copies_the_records_values_into_a_new_record(api, org):
    resp = _clone(api, body={"data": [{}], "trigger": []})  # no rule changes the copy
    assert resp.status_code == 201, resp.json
    validate_response("record", "cloneRecord", 201, resp.json)
    (item,) = resp.json["data"]
    assert (item["code"], item["message"], item["status"]) == ("SUCCESS", "record added", "success")
    new_id = item["details"]["id"]
    assert new_id != ORBIT and item["details"]["$approval_state"] == "approved"
    source, copy = org.records["Deals"][ORBIT], org.records["Deals"][new_id]
    assert {k: copy.get(k) for k in COPIED} == {k: source.get(k) for k in COPIED}
    assert copy["Owner"] == source["Owner"]
    assert copy["Created_Time"] == item["details"]["Created_Time"] != source["Created_Time"]


def test_the_body_overrides_values_and_rules_fire_for_the_clone(api, org):
    rules_before = len(org.executions)
    resp = _clone(api, body={"data": [{"Deal_Name": "Orbit Logistics - Renewal", "Amount": 1000}]})
    assert resp.status_code == 201, resp.json
    copy = org.records["Deals"][resp.json["data"][0]["details"]["id"]]
    assert (copy["Deal_Name"], copy["Amount"]) == ("Orbit Logistics - Renewal", 1000)
    created = [e for e in org.executions[rules_before:] if e["record"]["id"] == copy["id"]]
    assert "create" in {e["event"] for e in created}  # (and the edits its field updates make)


def test_without_a_body_the_record_is_copied_as_it_is(api, org):
    resp = api.post(f"{DEALS}/{ORBIT}/actions/clone")
    assert resp.status_code == 201, resp.json
    copy = org.records["Deals"][resp.json["data"][0]["details"]["id"]]
    assert copy["Deal_Name"] == org.records["Deals"][ORBIT]["Deal_Name"]


def test_a_clone_of_an_unknown_record_or_with_a_bad_value_changes_nothing(api, org):
    before = unchanged(org)
    resp = _clone(api, "4876876000099999999")
    assert resp.status_code == 400
    assert resp.json == {"data": [{
        "code": "INVALID_DATA", "details": {"resource_path_index": 1},
        "message": "the id given seems to be invalid", "status": "error",
    }]}  # fmt: skip
    resp = _clone(api, body={"data": [{"Amount": "a lot"}]})
    assert resp.status_code == 400
    assert resp.json == {"data": [{
        "code": "INVALID_DATA",
        "details": {"expected_data_type": "currency", "api_name": "Amount",
                    "json_path": "$.data[0].Amount"},
        "message": "invalid data", "status": "error",
    }]}  # fmt: skip
    assert unchanged(org) == before
