"""Records API: /crm/v8/{module} and /{module}/{id} over the seeded Zylker records."""

from __future__ import annotations

import copy

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


def new_deal(**extra):
    return {"Deal_Name": "Zylker - Expansion", "Stage": "Qualification", "Amount": 51000, **extra}


def test_insert_types_values_and_sets_system_fields(api, org):
    body = {
        "data": [
            new_deal(
                Owner={"name": "ignored", "id": "4876876000000301007"},
                Account_Name={"id": ORBIT},
                Contact_Name={"name": "whatever", "id": ANIKA},
                Stage="Identify Decision Makers",
                Closing_Date="2026-09-30",
                Tag=[{"name": "Priority"}, {"name": "Renewal"}],
                Created_Time="2020-01-01T00:00:00+05:30",
                Expected_Revenue=1,
                **{"$approved": True},
            )
        ],
        "trigger": ["workflow"],
        "apply_feature_execution": [{"name": "layout_rules"}],
    }
    resp = api.post(DEALS, json=body)
    assert resp.status_code == 201
    validate_response("record", "createRecords", 201, resp.json)
    (item,) = resp.json["data"]
    rid = item["details"]["id"]
    assert item == {
        "code": "SUCCESS",
        "details": {"Modified_Time": NOW_ISO, "Modified_By": PATRICIA, "Created_Time": NOW_ISO,
                    "id": rid, "Created_By": PATRICIA, "$approval_state": "approved"},
        "message": "record added",
        "status": "success",
    }  # fmt: skip
    renewal = org.tag("Deals", name="Renewal")
    assert renewal["id"] == str(int(rid) - 1) and renewal["created_by"] == PATRICIA
    deal = api.get(f"{DEALS}/{rid}").json["data"][0]
    assert deal["Owner"] == {"name": "Neel Sama", "id": "4876876000000301007",
                             "email": "neel.sama@zylker.com"}  # fmt: skip
    assert deal["Account_Name"] == {"name": "Orbit Logistics", "id": ORBIT}
    assert deal["Contact_Name"] == {"name": "Anika Rao", "id": ANIKA}
    assert deal["Stage"] == "Id. Decision Makers" and deal["Pipeline"] == "Standard (Standard)"
    assert deal["Tag"] == [
        {"name": "Priority", "id": "4876876000011037136", "color_code": "#F17574"},
        {"name": "Renewal", "id": renewal["id"], "color_code": None},
    ]
    assert deal["Created_Time"] == NOW_ISO and deal["Expected_Revenue"] is None
    assert deal["Next_Step"] is None and "$approved" not in deal


def test_insert_defaults_owner_and_normalises_datetimes(api, org):
    call = {"Subject": "Intro", "Call_Type": "Outbound", "Call_Duration": "10:00",
            "Call_Start_Time": "2025-12-01T10:00:00Z"}  # fmt: skip
    resp = api.post("/crm/v8/Calls", json={"data": [call]})
    rid = resp.json["data"][0]["details"]["id"]
    stored = org.records["Calls"][rid]
    assert stored["Call_Start_Time"] == "2025-12-01T15:30:00+05:30"
    assert stored["Owner"] == {**PATRICIA, "email": "patricia.boyle@zylker.com"}


def test_insert_mixed_results_are_207_and_apply_only_the_valid_record(api, org):
    before = len(org.records["Deals"])
    resp = api.post(DEALS, json={"data": [new_deal(), new_deal(Last_Name="Doe")]})
    assert resp.status_code == 207
    unknown = at("Last_Name", "$.data[1].Last_Name")
    message = "the field api name given seems to be invalid"
    assert resp.json["data"][1] == err("INVALID_DATA", message, unknown, False)
    assert len(org.records["Deals"]) == before + 1


TASK = {"Subject": "Call back"}
CASES = [
    ("Deals", {"Deal_Name": "X"}, "MANDATORY_NOT_FOUND", "required field not found",
     at("Stage", "$.data[0].Stage")),
    ("Deals", new_deal(Deal_Name=""), "MANDATORY_NOT_FOUND", "required field not found",
     at("Deal_Name", "$.data[0].Deal_Name")),
    ("Deals", new_deal(Amount="5"), "INVALID_DATA", "invalid data",
     at("Amount", "$.data[0].Amount", expected_data_type="currency")),
    ("Deals", new_deal(Probability=True), "INVALID_DATA", "invalid data",
     at("Probability", "$.data[0].Probability", expected_data_type="integer")),
    ("Deals", new_deal(Deal_Name="x" * 256), "INVALID_DATA", "invalid data",
     at("Deal_Name", "$.data[0].Deal_Name", maximum_length=255)),
    ("Deals", new_deal(Stage="Won"), "INVALID_DATA",
     "The field value given for Stage is invalid", at("Stage", "$.data[0].Stage")),
    ("Deals", new_deal(Closing_Date="2026-02-30"), "INVALID_DATA",
     "The field value given for Closing_Date is invalid",
     at("Closing_Date", "$.data[0].Closing_Date")),
    ("Deals", new_deal(Owner={"id": "4876876000000000001"}), "INVALID_DATA",
     "The field value given for Owner is invalid", at("Owner", "$.data[0].Owner")),
    ("Deals", new_deal(Account_Name={"id": ANIKA}), "INVALID_DATA",
     "The field value given for Account_Name is invalid",
     at("Account_Name", "$.data[0].Account_Name")),
    ("Deals", new_deal(Tag=[{"name": "t" * 26}]), "INVALID_DATA", "invalid data",
     at("name", "$.data[0].Tag[0].name", maximum_length=25)),
    ("Leads", {"Last_Name": "Doe", "Email": "not-an-email"}, "INVALID_DATA",
     "The field value given for Email is invalid", at("Email", "$.data[0].Email")),
    ("Tasks", {**TASK, "What_Id": {"id": VP_DEAL}}, "MANDATORY_NOT_FOUND",
     "required field not found", at("$se_module", "$.data[0].$se_module")),
    ("Tasks", {**TASK, "What_Id": {"id": VP_DEAL}, "$se_module": "Contacts"}, "INVALID_DATA",
     "The field value given for What_Id is invalid", at("What_Id", "$.data[0].What_Id")),
]  # fmt: skip


@pytest.mark.parametrize(("module", "record", "code", "message", "details"), CASES)
def test_insert_invalid_record_is_400_and_changes_nothing(api, org, module, record, code,
                                                          message, details):  # fmt: skip
    before = unchanged(org)
    resp = api.post(f"/crm/v8/{module}", json={"data": [record]})
    assert resp.status_code == 400
    assert resp.json == err(code, message, details)
    assert unchanged(org) == before


def test_numeric_ids_are_accepted_as_zohos_sdk_sends_them(api, org):
    body = {"data": [new_deal(Owner={"id": int(PATRICIA["id"])}, Account_Name={"id": int(ORBIT)},
                              Tag=[{"id": 4876876000011037136}])]}  # fmt: skip
    rid = api.post(DEALS, json=body).json["data"][0]["details"]["id"]
    deal = org.records["Deals"][rid]
    assert deal["Account_Name"] == {"name": "Orbit Logistics", "id": ORBIT}
    assert deal["Owner"]["id"] == PATRICIA["id"] and deal["Tag"][0]["name"] == "Priority"
    resp = api.put(DEALS, json={"data": [{"id": int(rid), "Amount": 7}]})
    assert resp.status_code == 200 and deal["Amount"] == 7


def test_insert_multi_module_lookup(api, org):
    body = {"data": [{**TASK, "What_Id": {"id": VP_DEAL}, "$se_module": "Deals"}]}
    rid = api.post("/crm/v8/Tasks", json=body).json["data"][0]["details"]["id"]
    task = org.records["Tasks"][rid]
    assert task["What_Id"] == {"name": "Orbit Logistics - Fleet Tracking Suite", "id": VP_DEAL}
    assert task["$se_module"] == "Deals"


def test_a_note_names_its_parents_module_inside_parent_id_as_in_v8(api, org):
    """Zoho's v8 notes example: `Parent_Id` carries its module; no `$se_module`. The note keeps
    it there, as Zoho's GET of a note shows."""
    deals = {"api_name": "Deals", "id": "4876876000000002181"}
    note = {"Note_Title": "Contacted", "Note_Content": "Need to do further tracking",
            "Parent_Id": {"module": deals, "id": VP_DEAL}}  # fmt: skip
    resp = api.post("/crm/v8/Notes", json={"data": [note]})
    assert resp.status_code == 201, resp.json
    rid = resp.json["data"][0]["details"]["id"]
    stored = api.get(f"/crm/v8/Notes/{rid}").json["data"][0]
    assert stored["Parent_Id"] == {
        "module": deals, "name": "Orbit Logistics - Fleet Tracking Suite", "id": VP_DEAL
    }  # fmt: skip
    # The older form ($se_module beside Parent_Id) reads back the same way.
    older = {"Note_Title": "Older", "Parent_Id": {"id": VP_DEAL}, "$se_module": "Deals"}
    rid = api.post("/crm/v8/Notes", json={"data": [older]}).json["data"][0]["details"]["id"]
    assert api.get(f"/crm/v8/Notes/{rid}").json["data"][0]["Parent_Id"] == stored["Parent_Id"]
    before = unchanged(org)
    elsewhere = {**note, "Parent_Id": {"module": {"api_name": "Vendors"}, "id": VP_DEAL}}
    resp = api.post("/crm/v8/Notes", json={"data": [elsewhere]})
    assert resp.status_code == 400
    assert resp.json == err(
        "INVALID_DATA", "The field value given for Parent_Id is invalid",
        at("Parent_Id", "$.data[0].Parent_Id"),
    )  # fmt: skip
    assert unchanged(org) == before


BODY_CASES = [
    ({}, err("MANDATORY_NOT_FOUND", "required field not found", at("data", "$.data"), False)),
    ({"data": {}}, err("INVALID_DATA", "invalid data",
                       at("data", "$.data", expected_data_type="jsonarray"), False)),
    ({"data": [new_deal()] * 101}, err("LIMIT_EXCEEDED",
     "count of records in your request exceeds the limit",
     {"maximum_length": 100, "api_name": "data"})),  # item-wrapped: Zoho's updateRecord example
    ({"data": [new_deal()], "trigger": "workflow"}, err("INVALID_DATA", "invalid data",
     at("trigger", "$.trigger", expected_data_type="jsonarray"))),
    ({"data": [new_deal()], "trigger": ["workflow", "flows"]}, err("INVALID_DATA", "invalid data",
     at("trigger", "$.trigger[1]", supported_values=["approval", "workflow", "blueprint",
                                                     "pathfinder", "orchestration"]))),
    ({"data": [new_deal()], "skip_feature_execution": [{"name": "layout_rules"}]},
     err("INVALID_DATA", "invalid data",
         at("name", "$.skip_feature_execution[0].name", supported_values=["cadences"]))),
]  # fmt: skip


@pytest.mark.parametrize(("body", "expected"), BODY_CASES)
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_request_body_errors_fail_the_whole_request(api, org, method, body, expected):
    before = unchanged(org)
    resp = api.call(method, DEALS, json=body)
    assert resp.status_code == 400 and resp.json == expected
    assert unchanged(org) == before


def test_trigger_empty_list_is_accepted_and_reported_to_the_engine(org):
    from mockcrm.crm import records

    result = records.insert(org, "Deals", {"data": [new_deal()], "trigger": []})
    assert result.status == 201 and result.trigger == []
    (event,) = result.events
    assert (event.kind, event.module, event.before) == ("create", "Deals", None)
    assert event.after == org.records["Deals"][event.record_id]
    assert records.insert(org, "Deals", {"data": [new_deal()]}).trigger is None


# --------------------------------------------------------------------------- update
def test_update_single_record_merges_and_stamps_modified(api, org):
    before = copy.deepcopy(org.records["Deals"][VP_DEAL])
    resp = api.put(f"{DEALS}/{VP_DEAL}", json={"data": [{"Amount": 80000, "Next_Step": None}]})
    assert resp.status_code == 200
    validate_response("record", "updateRecord", 200, resp.json)
    assert resp.json["data"][0]["message"] == "record updated"
    assert resp.json["data"][0]["details"]["Created_Time"] == before["Created_Time"]
    after = org.records["Deals"][VP_DEAL]
    assert after["Amount"] == 80000 and after["Next_Step"] is None
    assert after["Modified_Time"] == NOW_ISO and after["Stage"] == before["Stage"]
    from mockcrm.crm import records

    result = records.update(org, "Deals", {"data": [{"Stage": "Closed Won"}]}, VP_DEAL)
    (event,) = result.events
    assert event.kind == "edit" and event.before["Stage"] == "Negotiation/Review"
    assert event.after["Stage"] == "Closed Won"


def test_update_bulk_results_per_record(api, org):
    body = {"data": [{"id": VP_DEAL, "Amount": 1}, {"Amount": 2},
                     {"id": "4876876000005049999", "Amount": 3},
                     {"id": "4876876000005040002", "Stage": None}]}  # fmt: skip
    resp = api.put(DEALS, json=body)
    assert resp.status_code == 207
    assert resp.json["data"][1:] == [
        err("MANDATORY_NOT_FOUND", "required field not found", at("id", "$.data[1].id"), False),
        err("INVALID_DATA", "the id given seems to be invalid", at("id", "$.data[2].id"), False),
        err("MANDATORY_NOT_FOUND", "required field not found", at("Stage", "$.data[3].Stage"),
            False),
    ]  # fmt: skip
    assert org.records["Deals"][VP_DEAL]["Amount"] == 1
    assert org.records["Deals"]["4876876000005040002"]["Stage"] == "Negotiation/Review"
    ok = api.put(DEALS, json={"data": [{"id": VP_DEAL, "Amount": 5}]})
    assert ok.status_code == 200
    validate_response("record", "updateRecords", 200, ok.json)


def test_update_unknown_id_in_url(api, org):
    before = unchanged(org)
    resp = api.put(f"{DEALS}/4876876000005049999", json={"data": [{"Amount": 1}]})
    assert resp.status_code == 400 and resp.json == err(
        "INVALID_DATA", "the id given seems to be invalid", {"resource_path_index": 1}
    )
    assert unchanged(org) == before


# --------------------------------------------------------------------------- upsert
def test_upsert_updates_by_duplicate_check_field_else_inserts(api, org):
    existing = {"Deal_Name": "Orbit Logistics - Support Renewal", "Stage": "Closed Won"}
    body = {"data": [existing, new_deal(Deal_Name="Brand new")]}
    resp = api.post(f"{DEALS}/upsert", json=body)
    assert resp.status_code == 200
    validate_response("record", "upsertRecords", 200, resp.json)
    updated, added = resp.json["data"]
    assert (updated["action"], updated["duplicate_field"]) == ("update", "Deal_Name")
    assert updated["message"] == "record updated"
    assert updated["details"]["id"] == "4876876000005040002"
    assert org.records["Deals"]["4876876000005040002"]["Stage"] == "Closed Won"
    assert (added["action"], added["duplicate_field"], added["message"]) == (
        "insert", None, "record added")  # fmt: skip
    lead = {"Last_Name": "Menon", "Email": "kavya@brightline.example.com", "Company": "B2"}
    by_email = api.post("/crm/v8/Leads/upsert", json={"data": [lead]}).json["data"][0]
    assert by_email["details"]["id"] == "4876876000005030001"
    phone = {"data": [lead], "duplicate_check_fields": ["Phone"]}
    assert api.post("/crm/v8/Leads/upsert", json=phone).json["data"][0]["action"] == "insert"
    bad = api.post(f"{DEALS}/upsert", json={"data": [new_deal()], "duplicate_check_fields": ["X"]})
    assert bad.status_code == 400 and bad.json == err(
        "INVALID_DATA", "the field api name given seems to be invalid",
        at("duplicate_check_fields", "$.duplicate_check_fields[0]"),
    )  # fmt: skip


# --------------------------------------------------------------------------- delete
def test_delete_bulk_and_by_id(api, org):
    two = "4876876000005040002"
    resp = api.delete(DEALS, query_string={"ids": f"{VP_DEAL},4876876000005049999"})
    assert resp.status_code == 207
    validate_response("record", "deleteRecords", 207, resp.json)
    assert resp.json["data"] == [
        {"code": "SUCCESS", "details": {"id": VP_DEAL}, "message": "record deleted",
         "status": "success"},
        err("INVALID_DATA", "record not deleted", {"id": "4876876000005049999"}, False),
    ]  # fmt: skip
    assert VP_DEAL not in org.records["Deals"]
    gone = api.delete(DEALS, query_string={"ids": VP_DEAL})
    assert gone.status_code == 400 and gone.json["data"][0]["message"] == "record not deleted"
    one = api.delete(f"{DEALS}/{two}", query_string={"wf_trigger": "false"})
    assert one.status_code == 200
    validate_response("record", "deleteRecord", 200, one.json)
    again = api.delete(f"{DEALS}/{two}")
    assert again.status_code == 400 and again.json == err(
        "INVALID_DATA", "record not deleted", {"resource_path_index": 1}, False
    )
    from mockcrm.crm import records

    result = records.delete(org, "Deals", "4876876000005040003", "false")
    assert result.status == 200 and result.trigger == [] and result.events[0].kind == "delete"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, err("REQUIRED_PARAM_MISSING", "One of the expected parameter is missing",
                 {"param_name": "ids"}, False)),
        ({"ids": "abc"}, err("UNABLE_TO_PARSE_DATA_TYPE",
                             "either the request body or parameters is in wrong format", {},
                             False)),
        ({"ids": VP_DEAL, "wf_trigger": "no"}, err(
            "INVALID_DATA", "The value provided to the param is Invalid",
            {"param_name": "wf_trigger"}, False)),
    ],
)  # fmt: skip
def test_delete_parameter_errors(api, org, query, expected):
    before = unchanged(org)
    resp = api.delete(DEALS, query_string=query)
    assert resp.status_code == 400 and resp.json == expected
    assert unchanged(org) == before


# --------------------------------------------------------------------------- scopes and routing
