"""Zoho's official Python SDK (zohocrmsdk8-0) against a live mockcrm: the record actions the
other SDK tests leave out, RecordOperations' upsert_records, delete_record, record_count and
clone_record (tags: test_sdk_record_tags.py). Each test asserts the typed objects the SDK builds
and undoes its writes before it ends (the live server lives for the whole session)."""

from __future__ import annotations

import pytest
import requests
from sdk_helpers import choice, param_map, success

# The module-scoped SDK initialisation of test_sdk.py (see test_sdk_metadata.py).
from test_sdk import sdk  # noqa: F401
from zohocrmsdk.src.com.zoho.crm.api import record as sdk_record
from zohocrmsdk.src.com.zoho.crm.api.header_map import HeaderMap
from zohocrmsdk.src.com.zoho.crm.api.parameter_map import ParameterMap
from zohocrmsdk.src.com.zoho.crm.api.users import MinifiedUser
from zohocrmsdk.src.com.zoho.crm.api.util import APIResponse

pytestmark = pytest.mark.usefixtures("sdk")

PATRICIA = 4876876000000327001  # the acting user
LEAD_AUDIT_RULE = "4876876000011250001"  # the seed's "Lead Deleted - Audit Trail" (every lead)
SEED_COUNTS = {"Deals": 8, "Leads": 6, "Contacts": 6, "Accounts": 4}
LEAD_FIELDS = "Last_Name,Email,Company"


# --- records: record_count, upsert_records, delete_record ----------------------------------


def count(module: str, **values: str) -> APIResponse:
    params = param_map(sdk_record.RecordCountParam, **values)
    return sdk_record.RecordOperations(module).record_count(params)


def count_of(module: str) -> int:
    resp = count(module)
    assert resp.get_status_code() == 200
    wrapper = resp.get_object()
    assert isinstance(wrapper, sdk_record.CountWrapper), vars(wrapper)
    return wrapper.get_count()


def test_record_count_of_each_module() -> None:
    # `count` is an integer in Zoho's spec; the SDK's CountWrapper types it as a Long (int).
    assert {module: count_of(module) for module in SEED_COUNTS} == SEED_COUNTS
    unknown = count("Dealz")
    assert unknown.get_status_code() == 400
    error = unknown.get_object()
    assert isinstance(error, sdk_record.APIException)
    assert choice(error.get_code()) == "INVALID_MODULE"
    assert choice(error.get_message()) == "the module name given seems to be invalid"
    assert error.get_details() == {"resource_path_index": 1}  # as the spec's example says
    both = count("Deals", cvid="4876876000000087501", criteria="(Amount:greater_than:1)")
    assert both.get_status_code() == 400
    ambiguous = both.get_object()
    assert isinstance(ambiguous, sdk_record.APIException)
    assert choice(ambiguous.get_code()) == "AMBIGUITY_DURING_PROCESSING"
    assert choice(ambiguous.get_message()) == (
        "Please use either Cvid or Search Params. Combination of both the params is not allowed"
    )  # its `ambiguity_due_to` is no key of the SDK's APIException: tests/api checks it


def lead(last_name: str, email: str) -> sdk_record.Record:
    record = sdk_record.Record()
    record.add_key_value("Last_Name", last_name)
    record.add_key_value("Email", email)
    return record


def body_of(*records: sdk_record.Record, check: list[str] | None = None) -> sdk_record.BodyWrapper:
    body = sdk_record.BodyWrapper()
    body.set_data(list(records))
    body.set_trigger([])  # no rules: the test's leads must leave nothing behind
    if check is not None:
        body.set_duplicate_check_fields(check)
    return body


def stored_lead(lead_id: int) -> tuple[str, str, str | None]:
    params = param_map(sdk_record.GetRecordParam, fields=LEAD_FIELDS)
    resp = sdk_record.RecordOperations("Leads").get_record(lead_id, params, HeaderMap())
    (record,) = resp.get_object().get_data()
    return tuple(record.get_key_value(name) for name in LEAD_FIELDS.split(","))


def test_upsert_inserts_then_updates_by_the_duplicate_check_field() -> None:
    ops = sdk_record.RecordOperations("Leads")
    ids: list[int] = []
    try:
        first = ops.upsert_records(
            body_of(lead("Upsert", "upsert.sdk@zylker.example"), check=["Email"]), HeaderMap()
        )
        inserted = success(first, 200, sdk_record.ActionWrapper, "data")
        assert isinstance(inserted, sdk_record.SuccessResponse), vars(inserted)
        assert choice(inserted.get_code()) == "SUCCESS"
        assert choice(inserted.get_action()) == "insert"
        assert inserted.get_duplicate_field() is None  # nothing matched
        assert choice(inserted.get_message()) == "record added"
        details = inserted.get_details()
        ids.append(int(details["id"]))
        assert isinstance(details["Created_By"], MinifiedUser)
        assert details["Created_By"].get_id() == PATRICIA
        assert count_of("Leads") == 7

        # No duplicate_check_fields: Leads check Email by default. One matches, one is new.
        changed = lead("Upserted", "upsert.sdk@zylker.example")
        changed.add_key_value("Company", "Zylker")
        second = ops.upsert_records(body_of(changed, lead("Fresh", "fresh.sdk@zylker.example")),
                                    HeaderMap())  # fmt: skip
        assert second.get_status_code() == 200
        updated, added = second.get_object().get_data()
        assert isinstance(updated, sdk_record.SuccessResponse), vars(updated)
        assert (choice(updated.get_action()), updated.get_duplicate_field()) == ("update", "Email")
        assert choice(updated.get_message()) == "record updated"
        assert int(updated.get_details()["id"]) == ids[0]
        assert isinstance(added, sdk_record.SuccessResponse), vars(added)
        assert (choice(added.get_action()), added.get_duplicate_field()) == ("insert", None)
        ids.append(int(added.get_details()["id"]))
        assert stored_lead(ids[0]) == ("Upserted", "upsert.sdk@zylker.example", "Zylker")
        assert stored_lead(ids[1]) == ("Fresh", "fresh.sdk@zylker.example", None)
        assert count_of("Leads") == 8
    finally:
        if ids:
            params = param_map(sdk_record.DeleteRecordsParam, ids=",".join(map(str, ids)))
            params.add(sdk_record.DeleteRecordsParam.wf_trigger, False)
            assert ops.delete_records(params, HeaderMap()).get_status_code() == 200
    assert count_of("Leads") == 6


def audit_runs(live_url: str, lead_id: int) -> int:
    """How often the seed's Leads delete rule ran for this lead (the engine's execution log)."""
    runs = requests.get(
        f"{live_url}/__admin/orgs/default/executions",
        params={"rule_id": LEAD_AUDIT_RULE, "record_id": str(lead_id)},
        timeout=10,
    ).json()["executions"]
    return len(runs)


def test_delete_record_honours_wf_trigger_as_the_sdk_sends_it(live_url: str) -> None:
    ops = sdk_record.RecordOperations("Leads")
    created = ops.create_records(
        body_of(lead("Quiet", "quiet.sdk@zylker.example"), lead("Loud", "loud.sdk@zylker.example")),
        HeaderMap(),
    )
    assert created.get_status_code() == 201
    quiet, loud = (int(item.get_details()["id"]) for item in created.get_object().get_data())
    try:
        # The SDK writes a bool param as Python spells it: wf_trigger=False, wf_trigger=True.
        for lead_id, fire in ((quiet, False), (loud, True)):
            params = param_map(sdk_record.DeleteRecordParam, wf_trigger=fire)
            resp = ops.delete_record(lead_id, params, HeaderMap())
            deleted = success(resp, 200, sdk_record.ActionWrapper, "data")
            assert isinstance(deleted, sdk_record.SuccessResponse), vars(deleted)
            assert choice(deleted.get_code()) == "SUCCESS"
            assert choice(deleted.get_message()) == "record deleted"
            assert deleted.get_details() == {"id": str(lead_id)}  # a string, as Zoho sends it
            assert deleted.get_action() is None  # upsert's keys only
        assert (audit_runs(live_url, quiet), audit_runs(live_url, loud)) == (0, 1)
    finally:
        for lead_id in (quiet, loud):
            ops.delete_record(lead_id, ParameterMap(), HeaderMap())  # gone already: a 400
    again = ops.delete_record(quiet, ParameterMap(), HeaderMap())
    assert again.get_status_code() == 400
    error = again.get_object()
    assert isinstance(error, sdk_record.APIException)
    assert choice(error.get_code()) == "INVALID_DATA"
    assert choice(error.get_message()) == "record not deleted"
    assert error.get_details() == {"resource_path_index": 1}
    assert ops.get_record(quiet, ParameterMap(), HeaderMap()).get_status_code() == 204
    assert count_of("Leads") == 6


def test_clone_record_copies_a_lead() -> None:
    ops = sdk_record.RecordOperations("Leads")
    source = 4876876000005030001  # Kavya Menon, Brightline Analytics
    cloned = success(ops.clone_record(source), 201, sdk_record.ActionWrapper, "data")
    assert isinstance(cloned, sdk_record.SuccessResponse), vars(cloned)
    assert choice(cloned.get_code()) == "SUCCESS"
    assert choice(cloned.get_message()) == "record added"
    clone_id = int(cloned.get_details()["id"])
    try:
        assert clone_id != source
        assert stored_lead(clone_id) == stored_lead(source)
        assert count_of("Leads") == 7
    finally:
        ops.delete_record(clone_id, ParameterMap(), HeaderMap())
    assert count_of("Leads") == 6
