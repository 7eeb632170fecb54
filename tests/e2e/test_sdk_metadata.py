"""Zoho's official Python SDK (zohocrmsdk8-0) against a live mockcrm, for layouts, pipelines,
tag merge and record counts, users and the org (business hours and holidays:
test_sdk_settings.py). Each test asserts the typed objects the SDK builds; every write is undone
before its test ends (the live server lives for the whole session).
"""

from __future__ import annotations

import datetime

import pytest
from sdk_helpers import choice, param_map, success

# The module-scoped SDK initialisation of test_sdk.py (tests/e2e is on sys.path: pytest's
# default import mode puts a test file's folder there), used by every test through pytestmark.
from test_sdk import sdk  # noqa: F401
from zohocrmsdk.src.com.zoho.crm.api import fields as sdk_fields
from zohocrmsdk.src.com.zoho.crm.api import layouts as sdk_layouts
from zohocrmsdk.src.com.zoho.crm.api import org as sdk_org
from zohocrmsdk.src.com.zoho.crm.api import pipeline as sdk_pipeline
from zohocrmsdk.src.com.zoho.crm.api import record as sdk_record
from zohocrmsdk.src.com.zoho.crm.api import tags as sdk_tags
from zohocrmsdk.src.com.zoho.crm.api import users as sdk_users
from zohocrmsdk.src.com.zoho.crm.api.header_map import HeaderMap
from zohocrmsdk.src.com.zoho.crm.api.parameter_map import ParameterMap
from zohocrmsdk.src.com.zoho.crm.api.util import APIResponse, Choice

pytestmark = pytest.mark.usefixtures("sdk")

# Seed ids (seed_data/zylker): users and tags.
PATRICIA, ZAYYAN, NEEL = 4876876000000327001, 4876876000000298001, 4876876000000301007
GAURIKA = 4876876000000305011
PRIORITY, LARGE_DEAL, STALLED = 4876876000011037136, 4876876000011037140, 4876876000011037144
DECISION_MAKER = 4876876000011037112  # a Contacts tag on two contacts
# Layout ids are derived (mockcrm/crm/layouts.py): the module id + 1,000,000; sections + 2M, 3M.
DEALS_MODULE = 4876876000000002181
DEALS_LAYOUT = DEALS_MODULE + 1_000_000
STAGE_FIELD = 4876876000000002565
STANDARD_PIPELINE = 4876876000000100235
# Ids the seed never hands out (unknown to every API below).
UNKNOWN_ID = 4876876000099999999

STAGES = [
    "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers",
    "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost",
    "Closed Lost to Competition",
]  # fmt: skip


# --- layouts and pipelines ---------------------------------------------------------------


def test_deals_layouts_are_typed() -> None:
    ops = sdk_layouts.LayoutsOperations()
    resp = ops.get_layouts(param_map(sdk_layouts.GetLayoutsParam, module="Deals"))
    assert resp.get_status_code() == 200
    wrapper = resp.get_object()
    assert isinstance(wrapper, sdk_layouts.ResponseWrapper)
    (layout,) = wrapper.get_layouts()
    assert isinstance(layout, sdk_layouts.Layouts)
    assert layout.get_id() == DEALS_LAYOUT
    assert (layout.get_name(), layout.get_api_name()) == ("Standard", "Standard__s")
    assert (layout.get_status(), layout.get_generated_type()) == ("active", "system")
    assert layout.get_actions_allowed().get_edit() is True
    profiles = {p.get_name(): p for p in layout.get_profiles()}
    assert set(profiles) == {"Administrator", "Standard"}
    admin = profiles["Administrator"]
    assert admin.get_id() == 4876876000000026011 and admin.get_default() is True
    assert admin.get_default_view().get_id() == DEALS_LAYOUT

    sections = layout.get_sections()
    assert all(isinstance(s, sdk_layouts.Sections) for s in sections)
    assert [(s.get_api_name(), s.get_id(), s.get_column_count()) for s in sections] == [
        ("Deal_Information", DEALS_MODULE + 2_000_000, 2),
        ("Description_Information", DEALS_MODULE + 3_000_000, 1),
    ]
    fields = [f for s in sections for f in s.get_fields()]
    assert all(isinstance(f, sdk_layouts.SectionField) for f in fields)
    by_name = {f.get_api_name(): f for f in fields}
    # A layout holds exactly the fields the fields API lists for the module.
    listed = sdk_fields.FieldsOperations().get_fields(
        param_map(sdk_fields.GetFieldsParam, module="Deals")
    )
    assert set(by_name) == {f.get_api_name() for f in listed.get_object().get_fields()}
    stage = by_name["Stage"]
    assert stage.get_id() == STAGE_FIELD and stage.get_data_type() == "picklist"
    assert stage.get_required() is True and stage.get_section_id() == 1
    assert [p.get_actual_value() for p in stage.get_pick_list_values()] == STAGES
    (association,) = stage.get_layout_associations()
    assert int(association.get_id()) == DEALS_LAYOUT
    assert by_name["Description"].get_section_id() == 2
    assert by_name["Deal_Name"].get_required() is True
    assert by_name["Amount"].get_required() is False


def test_deals_layout_by_id() -> None:
    ops = sdk_layouts.LayoutsOperations()
    deals = param_map(sdk_layouts.GetLayoutParam, module="Deals")
    resp = ops.get_layout(DEALS_LAYOUT, deals)
    assert resp.get_status_code() == 200
    (layout,) = resp.get_object().get_layouts()
    assert isinstance(layout, sdk_layouts.Layouts)
    assert layout.get_id() == DEALS_LAYOUT and layout.get_display_label() == "Standard"
    assert len(layout.get_sections()) == 2
    # Another module's layout id is no layout of Deals: Zoho's getLayoutById answers 204.
    leads_layout = ops.get_layouts(param_map(sdk_layouts.GetLayoutsParam, module="Leads"))
    (leads,) = leads_layout.get_object().get_layouts()
    assert leads.get_id() != DEALS_LAYOUT
    other = ops.get_layout(leads.get_id(), deals)
    assert other.get_status_code() == 204 and other.get_object() is None


def test_deals_pipelines_are_typed() -> None:
    resp = sdk_pipeline.PipelineOperations(DEALS_LAYOUT).get_pipelines()
    assert resp.get_status_code() == 200
    wrapper = resp.get_object()
    assert isinstance(wrapper, sdk_pipeline.ResponseWrapper)
    (pipeline,) = wrapper.get_pipeline()
    assert isinstance(pipeline, sdk_pipeline.Pipeline)
    assert pipeline.get_id() == STANDARD_PIPELINE and pipeline.get_default() is True
    assert pipeline.get_actual_value() == "Standard (Standard)"
    maps = pipeline.get_maps()
    assert all(isinstance(m, sdk_pipeline.Maps) for m in maps)
    assert [m.get_actual_value() for m in maps] == STAGES
    assert [m.get_sequence_number() for m in maps] == list(range(1, len(STAGES) + 1))
    by_value = {m.get_actual_value(): m for m in maps}
    qualification = by_value["Qualification"]
    assert qualification.get_id() == 4876876000000100217
    assert qualification.get_forecast_type() == "Open"
    won = by_value["Closed Won"]
    assert won.get_forecast_type() == "Closed Won"
    category = won.get_forecast_category()
    assert isinstance(category, sdk_pipeline.ForecastCategory)
    assert (category.get_name(), category.get_id()) == ("Closed", 4876876000000007094)
    lost = by_value["Closed Lost to Competition"]
    assert lost.get_display_value() == "Closed-Lost to Competition"
    assert lost.get_forecast_category().get_name() == "Omitted"
    # A layout id that is not the Deals layout: Zoho's "Invalid layoutid".
    wrong = sdk_pipeline.PipelineOperations(DEALS_MODULE).get_pipelines()
    assert wrong.get_status_code() == 400
    error = wrong.get_object()
    assert isinstance(error, sdk_pipeline.APIException)
    assert choice(error.get_code()) == "INVALID_DATA"


# --- tags: records_count and merge -------------------------------------------------------


def record_count(tag_id: int, module: str) -> APIResponse:
    params = param_map(sdk_tags.GetRecordCountForTagParam, module=module)
    return sdk_tags.TagsOperations().get_record_count_for_tag(tag_id, params)


def count_of(tag_id: int, module: str = "Deals") -> str:
    resp = record_count(tag_id, module)
    assert resp.get_status_code() == 200
    wrapper = resp.get_object()
    assert isinstance(wrapper, sdk_tags.CountResponseWrapper)
    return wrapper.get_count()


def test_tag_records_count() -> None:
    # `count` is a string in Zoho's spec, and so in the SDK's CountResponseWrapper.
    assert count_of(PRIORITY) == "1"
    assert count_of(LARGE_DEAL) == "2"
    assert count_of(STALLED) == "0"
    assert count_of(DECISION_MAKER, "Contacts") == "2"
    # A Deals tag asked for in Contacts is no tag of that module.
    wrong = record_count(PRIORITY, "Contacts")
    assert wrong.get_status_code() == 400
    error = wrong.get_object()
    assert isinstance(error, sdk_tags.APIException)
    assert choice(error.get_code()) == "TAG_ID_NOT_FOUND"
    assert choice(error.get_message()) == "invalid tag id"


def deal_tags(ops: sdk_record.RecordOperations, deal_id: int) -> list[tuple[int, str]]:
    (deal,) = ops.get_record(deal_id, ParameterMap(), HeaderMap()).get_object().get_data()
    return [(t.get_id(), t.get_name()) for t in deal.get_key_value("Tag")]


def create_tagged_deal(ops: sdk_record.RecordOperations, name: str, tag_name: str) -> int:
    deal = sdk_record.Record()
    deal.add_key_value("Deal_Name", name)
    deal.add_key_value("Stage", Choice("Qualification"))
    tag = sdk_tags.Tag()
    tag.set_name(tag_name)
    deal.add_key_value("Tag", [tag])
    body = sdk_record.BodyWrapper()
    body.set_data([deal])
    body.set_trigger([])
    (result,) = ops.create_records(body, HeaderMap()).get_object().get_data()
    assert isinstance(result, sdk_record.SuccessResponse)
    return int(result.get_details()["id"])


def test_tags_merge() -> None:
    tags_ops, deals = sdk_tags.TagsOperations(), sdk_record.RecordOperations("Deals")
    module = param_map(sdk_tags.CreateTagsParam, module="Deals")
    keep, gone = sdk_tags.Tag(), sdk_tags.Tag()
    keep.set_name("SDK Keep")
    keep.set_color_code("#57B1FD")
    gone.set_name("SDK Gone")
    body = sdk_tags.BodyWrapper()
    body.set_tags([keep, gone])
    created = tags_ops.create_tags(body, module)
    assert created.get_status_code() == 201
    keep_id, gone_id = (int(t.get_details()["id"]) for t in created.get_object().get_tags())
    deal_ids: list[int] = []
    try:
        deal_ids.append(create_tagged_deal(deals, "Zylker - SDK Merge A", "SDK Keep"))
        deal_ids.append(create_tagged_deal(deals, "Zylker - SDK Merge B", "SDK Gone"))
        assert (count_of(keep_id), count_of(gone_id)) == ("1", "1")

        conflict = sdk_tags.ConflictWrapper()
        conflict.set_conflict_id(str(gone_id))  # a string: ConflictWrapper types it so
        merge = sdk_tags.MergeWrapper()
        merge.set_tags([conflict])
        merged = success(tags_ops.merge_tags(keep_id, merge), 200, sdk_tags.ActionWrapper, "tags")
        assert isinstance(merged, sdk_tags.SuccessResponse)
        assert choice(merged.get_code()) == "SUCCESS"
        assert choice(merged.get_message()) == "tags merged successfully"
        assert int(merged.get_details()["id"]) == keep_id  # the survivor

        # The conflict tag is gone; its deal carries the survivor instead.
        assert count_of(keep_id) == "2"
        missing = record_count(gone_id, "Deals")
        assert missing.get_status_code() == 400
        assert choice(missing.get_object().get_code()) == "TAG_ID_NOT_FOUND"
        listed = tags_ops.get_tags(param_map(sdk_tags.GetTagsParam, module="Deals"))
        names = {t.get_name(): t.get_id() for t in listed.get_object().get_tags()}
        assert names.get("SDK Keep") == keep_id and "SDK Gone" not in names
        assert deal_tags(deals, deal_ids[1]) == [(keep_id, "SDK Keep")]

        # Merging a tag that no longer exists is refused, item-level, naming conflict_id.
        again = tags_ops.merge_tags(keep_id, merge)
        assert again.get_status_code() == 400
        error = again.get_object()
        assert isinstance(error, sdk_tags.APIException)
        assert choice(error.get_code()) == "INVALID_DATA"
        assert error.get_details()["api_name"] == "conflict_id"

        # A bulk rename of the survivor: the SDK sends the tag's id as a JSON number.
        rename = sdk_tags.Tag()
        rename.set_id(keep_id)
        rename.set_name("SDK Kept")
        body = sdk_tags.BodyWrapper()
        body.set_tags([rename])
        renamed = tags_ops.update_tags(body, param_map(sdk_tags.UpdateTagsParam, module="Deals"))
        item = success(renamed, 200, sdk_tags.ActionWrapper, "tags")
        assert isinstance(item, sdk_tags.SuccessResponse), vars(item)
        assert choice(item.get_message()) == "tags updated successfully"
        assert [deal_tags(deals, d) for d in deal_ids] == [[(keep_id, "SDK Kept")]] * 2
    finally:
        if deal_ids:
            ids = ",".join(map(str, deal_ids))
            params = param_map(sdk_record.DeleteRecordsParam, ids=ids)
            assert deals.delete_records(params, HeaderMap()).get_status_code() == 200
        for tag_id in (keep_id, gone_id):
            tags_ops.delete_tag(tag_id)  # the merged-away one is already gone: a 400, ignored


# --- users and org -----------------------------------------------------------------------


def users_of(user_type: str) -> sdk_users.ResponseWrapper:
    resp = sdk_users.UsersOperations().get_users(
        param_map(sdk_users.GetUsersParam, type=user_type), HeaderMap()
    )
    assert resp.get_status_code() == 200
    wrapper = resp.get_object()
    assert isinstance(wrapper, sdk_users.ResponseWrapper)
    return wrapper


def test_users_by_type_are_typed() -> None:
    admins = users_of("AdminUsers")
    users = admins.get_users()
    assert all(isinstance(u, sdk_users.Users) for u in users)
    assert [u.get_id() for u in users] == [PATRICIA, ZAYYAN, NEEL]
    assert {u.get_profile().get_name() for u in users} == {"Administrator"}
    assert all(isinstance(u.get_profile(), sdk_users.Profile) for u in users)
    info = admins.get_info()
    assert isinstance(info, sdk_users.Info)
    assert (info.get_count(), info.get_more_records()) == (3, False)

    (current,) = users_of("CurrentUser").get_users()
    assert current.get_id() == PATRICIA and current.get_full_name() == "Patricia Boyle"
    assert [u.get_id() for u in users_of("AllUsers").get_users()][-1] == 4876876000000318009


def test_user_by_id_is_typed() -> None:
    ops = sdk_users.UsersOperations()
    resp = ops.get_user(GAURIKA, HeaderMap())
    assert resp.get_status_code() == 200
    (user,) = resp.get_object().get_users()
    assert isinstance(user, sdk_users.Users)
    assert user.get_id() == GAURIKA and user.get_full_name() == "Gaurika Suri"
    assert user.get_email() == "gaurika.suri@zylker.com"
    assert (user.get_status(), user.get_confirm()) == ("active", True)
    role = user.get_role()
    assert isinstance(role, sdk_users.Role)
    assert (role.get_name(), role.get_id()) == ("Manager", 4876876000000026008)
    profile = user.get_profile()
    assert (profile.get_name(), profile.get_id()) == ("Standard", 4876876000000026014)
    creator = user.get_created_by()
    assert isinstance(creator, sdk_users.MinifiedUser) and creator.get_id() == NEEL
    assert user.get_created_time() == datetime.datetime.fromisoformat("2025-01-20T11:05:37+05:30")
    assert choice(user.get_date_format()) == "MMM d, yyyy"
    assert isinstance(user.get_theme(), sdk_users.Theme)
    missing = ops.get_user(UNKNOWN_ID, HeaderMap())
    assert missing.get_status_code() == 204 and missing.get_object() is None


def test_org_is_typed() -> None:
    resp = sdk_org.OrgOperations().get_organization()
    assert resp.get_status_code() == 200
    wrapper = resp.get_object()
    assert isinstance(wrapper, sdk_org.ResponseWrapper)
    (org,) = wrapper.get_org()
    assert isinstance(org, sdk_org.Org)
    assert org.get_id() == "4876876000000020005"  # a String in the SDK's Org, as in Zoho's spec
    assert org.get_company_name() == "Zylker Cloud Services"
    assert (org.get_time_zone(), org.get_country_code()) == ("Asia/Kolkata", "IN")
    assert (org.get_currency(), org.get_iso_code()) == ("US Dollar - USD", "USD")
    assert org.get_primary_email() == "patricia.boyle@zylker.com"
    # Zoho's spec spells the type in lower case (the SDK's own enum list capitalises it).
    assert choice(org.get_type()) == "production"
    assert org.get_created_time() == datetime.datetime.fromisoformat("2024-12-09T10:12:45+05:30")
    licence = org.get_license_details()
    assert isinstance(licence, sdk_org.LicenseDetails)
    assert (licence.get_paid(), licence.get_paid_type()) == (True, "enterprise")
    assert licence.get_users_license_purchased() == 10
    expiry = datetime.datetime.fromisoformat("2026-12-08T23:59:59+05:30")
    assert licence.get_paid_expiry() == expiry
    hierarchy = org.get_hierarchy_preferences()
    assert isinstance(hierarchy, sdk_org.HierarchyPreferences)
    assert choice(hierarchy.get_type()) == "Role_Hierarchy"
