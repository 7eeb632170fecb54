"""Zoho's official Python SDK (zohocrmsdk8-0) against a live mockcrm: it reads metadata and
records into typed objects, writes records, and maps Zoho errors into its exception objects."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
from zohocrmsdk.src.com.zoho.api.authenticator.store.file_store import FileStore
from zohocrmsdk.src.com.zoho.api.logger import Logger
from zohocrmsdk.src.com.zoho.crm.api import fields as sdk_fields
from zohocrmsdk.src.com.zoho.crm.api import modules as sdk_modules
from zohocrmsdk.src.com.zoho.crm.api import record as sdk_record
from zohocrmsdk.src.com.zoho.crm.api import tags as sdk_tags
from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
from zohocrmsdk.src.com.zoho.crm.api.exception import SDKException
from zohocrmsdk.src.com.zoho.crm.api.header_map import HeaderMap
from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
from zohocrmsdk.src.com.zoho.crm.api.parameter_map import ParameterMap
from zohocrmsdk.src.com.zoho.crm.api.sdk_config import SDKConfig
from zohocrmsdk.src.com.zoho.crm.api.tags import Tag
from zohocrmsdk.src.com.zoho.crm.api.users import MinifiedUser
from zohocrmsdk.src.com.zoho.crm.api.util import Choice

PATRICIA = 4876876000000327001
VP_DEAL = 4876876000005040001


@pytest.fixture(scope="module")
def sdk(live_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The SDK initialised as a user would, but with mockcrm as every Zoho host."""
    home = tmp_path_factory.mktemp("zoho-sdk")
    environment = DataCenter.Environment(live_url, live_url + "/oauth/v2/token", live_url)
    token = OAuthToken(access_token="1000.sdk.e2e", find_user=False)
    Initializer.initialize(
        environment=environment,
        token=token,
        store=FileStore(str(home / "tokens.csv")),
        sdk_config=SDKConfig(auto_refresh_fields=False, pick_list_validation=False),
        resource_path=str(home),
        logger=Logger.get_instance(level=Logger.Levels.INFO, file_path=str(home / "sdk.log")),
    )
    yield


def params(**values: object) -> ParameterMap:
    out = ParameterMap()
    for name, value in values.items():
        out.add(getattr(PARAMS[name], name), value)
    return out


PARAMS = {
    "module": sdk_tags.GetTagsParam,
    "fields": sdk_record.GetRecordsParam,
    "ids": sdk_record.DeleteRecordsParam,
}


def test_modules_are_typed(sdk):
    resp = sdk_modules.ModulesOperations().get_modules(ParameterMap(), HeaderMap())
    assert resp.get_status_code() == 200
    wrapper = resp.get_object()
    assert isinstance(wrapper, sdk_modules.ResponseWrapper)
    by_name = {m.get_api_name(): m for m in wrapper.get_modules()}
    deals = by_name["Deals"]
    assert isinstance(deals, sdk_modules.Modules)
    assert deals.get_id() == 4876876000000002181 and deals.get_api_supported() is True
    assert deals.get_generated_type().get_value() == "default"


def test_fields_are_typed(sdk):
    fields_param = ParameterMap()
    fields_param.add(sdk_fields.GetFieldsParam.module, "Deals")
    resp = sdk_fields.FieldsOperations().get_fields(fields_param)
    assert resp.get_status_code() == 200
    wrapper = resp.get_object()
    assert isinstance(wrapper, sdk_fields.ResponseWrapper)
    fields = {f.get_api_name(): f for f in wrapper.get_fields()}
    stage = fields["Stage"]
    assert stage.get_id() == 4876876000000002565 and stage.get_system_mandatory() is True
    values = [p.get_actual_value() for p in stage.get_pick_list_values()]
    assert "Id. Decision Makers" in values and "Negotiation/Review" in values
    account = fields["Account_Name"].get_lookup()
    assert account.get_module().get_api_name() == "Accounts"


def test_tags_are_typed(sdk):
    resp = sdk_tags.TagsOperations().get_tags(params(module="Deals"))
    assert resp.get_status_code() == 200
    wrapper = resp.get_object()
    assert isinstance(wrapper, sdk_tags.ResponseWrapper)
    tags = {t.get_name(): t for t in wrapper.get_tags()}
    assert tags["Priority"].get_id() == 4876876000011037136
    assert tags["Priority"].get_color_code() == "#F17574"


def test_deals_records_are_typed(sdk):
    wanted = "Deal_Name,Amount,Stage,Owner,Closing_Date,Account_Name,Created_Time"
    resp = sdk_record.RecordOperations("Deals").get_records(params(fields=wanted), HeaderMap())
    assert resp.get_status_code() == 200
    wrapper = resp.get_object()
    assert isinstance(wrapper, sdk_record.ResponseWrapper)
    deals = {d.get_id(): d for d in wrapper.get_data()}
    assert len(deals) == 8 and wrapper.get_info().get_more_records() is False
    deal = deals[VP_DEAL]
    assert isinstance(deal, sdk_record.Record)
    assert deal.get_key_value("Deal_Name") == "Orbit Logistics - Fleet Tracking Suite"
    assert deal.get_key_value("Amount") == 75000.0
    assert deal.get_key_value("Closing_Date") == datetime.date(2025, 12, 15)
    stage = deal.get_key_value("Stage")
    assert isinstance(stage, Choice) and stage.get_value() == "Negotiation/Review"
    owner = deal.get_key_value("Owner")
    assert isinstance(owner, MinifiedUser) and owner.get_id() == PATRICIA
    account = deal.get_key_value("Account_Name")
    assert isinstance(account, sdk_record.Record) and account.get_id() == 4876876000005010001
    created = deal.get_created_time()
    assert created == datetime.datetime.fromisoformat("2025-10-05T12:00:00+05:30")


def test_single_record_and_errors(sdk):
    ops = sdk_record.RecordOperations("Deals")
    resp = ops.get_record(VP_DEAL, ParameterMap(), HeaderMap())
    (deal,) = resp.get_object().get_data()
    assert [t.get_name() for t in deal.get_key_value("Tag")] == ["Priority", "Large Deal"]
    assert isinstance(deal.get_key_value("Contact_Name"), sdk_record.Record)
    missing = ops.get_record(4876876000005049999, ParameterMap(), HeaderMap())
    assert missing.get_status_code() == 204 and missing.get_object() is None
    no_fields = ops.get_records(ParameterMap(), HeaderMap())
    error = no_fields.get_object()
    assert no_fields.get_status_code() == 400 and isinstance(error, sdk_record.APIException)
    assert error.get_code().get_value() == "REQUIRED_PARAM_MISSING"
    assert error.get_details() == {"param_name": "fields"}
    # The SDK loads a module's fields before its records, so an unknown module fails there.
    with pytest.raises(SDKException, match="INVALID_MODULE"):
        sdk_record.RecordOperations("Dealz").get_records(params(fields="Amount"), HeaderMap())


def test_sdk_writes_records(sdk):
    ops = sdk_record.RecordOperations("Deals")
    deal = sdk_record.Record()
    deal.add_key_value("Deal_Name", "Zylker - SDK Deal")
    deal.add_key_value("Stage", Choice("Qualification"))
    deal.add_key_value("Amount", 64000.0)
    deal.add_key_value("Closing_Date", datetime.date(2026, 6, 30))
    owner = MinifiedUser()
    owner.set_id(4876876000000301007)  # the SDK sends ids as JSON numbers
    deal.add_key_value("Owner", owner)
    account = sdk_record.Record()
    account.set_id(4876876000005010001)
    deal.add_key_value("Account_Name", account)
    tag = Tag()
    tag.set_name("SDK")
    deal.add_key_value("Tag", [tag])
    body = sdk_record.BodyWrapper()
    body.set_data([deal])
    body.set_trigger([])
    created = ops.create_records(body, HeaderMap())
    assert created.get_status_code() == 201
    (result,) = created.get_object().get_data()
    assert isinstance(result, sdk_record.SuccessResponse)
    assert result.get_message().get_value() == "record added"
    rid = int(result.get_details()["id"])  # details is the raw JSON object: ids are strings

    change = sdk_record.Record()
    change.add_key_value("Amount", 70000.0)
    update = sdk_record.BodyWrapper()
    update.set_data([change])
    updated = ops.update_record(rid, update, HeaderMap())
    assert updated.get_status_code() == 200
    assert updated.get_object().get_data()[0].get_message().get_value() == "record updated"
    bulk = sdk_record.Record()
    bulk.set_id(rid)
    bulk.add_key_value("Next_Step", "Sign")
    update.set_data([bulk])
    assert ops.update_records(update, HeaderMap()).get_status_code() == 200
    (stored,) = ops.get_record(rid, ParameterMap(), HeaderMap()).get_object().get_data()
    assert stored.get_key_value("Amount") == 70000.0
    assert stored.get_key_value("Next_Step") == "Sign"
    assert stored.get_key_value("Closing_Date") == datetime.date(2026, 6, 30)
    assert stored.get_key_value("Owner").get_id() == 4876876000000301007
    assert stored.get_key_value("Account_Name").get_key_value("name") == "Orbit Logistics"
    assert [t.get_name() for t in stored.get_key_value("Tag")] == ["SDK"]

    deleted = ops.delete_records(params(ids=str(rid)), HeaderMap())
    assert deleted.get_status_code() == 200
    assert deleted.get_object().get_data()[0].get_message().get_value() == "record deleted"
