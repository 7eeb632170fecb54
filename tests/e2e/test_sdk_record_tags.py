"""Zoho's official Python SDK (zohocrmsdk8-0) against a live mockcrm: TagsOperations' get_tags,
create_tags, update_tag, delete_tag, and add_tags / remove_tags on one record and on several.
Each test asserts the typed objects the SDK builds and undoes its writes before it ends (the
live server lives for the whole session)."""

from __future__ import annotations

import pytest
from sdk_helpers import choice, param_map, success

# The module-scoped SDK initialisation of test_sdk.py (see test_sdk_metadata.py).
from test_sdk import sdk  # noqa: F401
from zohocrmsdk.src.com.zoho.crm.api import record as sdk_record
from zohocrmsdk.src.com.zoho.crm.api import tags as sdk_tags
from zohocrmsdk.src.com.zoho.crm.api.header_map import HeaderMap
from zohocrmsdk.src.com.zoho.crm.api.parameter_map import ParameterMap
from zohocrmsdk.src.com.zoho.crm.api.util import APIResponse

pytestmark = pytest.mark.usefixtures("sdk")

PATRICIA = 4876876000000327001  # the acting user
# Seed Deals (seed_data/zylker/records.json) and their tags.
SUPPORT_RENEWAL, NORTHWIND_ANALYTICS = 4876876000005040002, 4876876000005040003  # untagged
GLOBEX_PORTAL = 4876876000005040004  # tagged Large Deal, Finance Review
LARGE_DEAL, STALLED, FINANCE_REVIEW = 4876876000011037140, 4876876000011037144, 4876876000011037148
DEALS_TAGS = [
    "Priority", "Large Deal", "Stalled", "Finance Review", "Competitor Involved",
    "Lost due to Pricing", "Re-engagement pending",
]  # fmt: skip
GLOBEX_TAGS = [("Large Deal", LARGE_DEAL, "#63C57E"), ("Finance Review", FINANCE_REVIEW, "#B88562")]
UNKNOWN_ID = 4876876000099999999


# --- tags: get, create, update by id, delete -----------------------------------------------


def deals_tags() -> sdk_tags.ResponseWrapper:
    resp = sdk_tags.TagsOperations().get_tags(param_map(sdk_tags.GetTagsParam, module="Deals"))
    assert resp.get_status_code() == 200
    wrapper = resp.get_object()
    assert isinstance(wrapper, sdk_tags.ResponseWrapper)
    return wrapper


def tag(name: str | None = None, color: str | None = None, tag_id: int | None = None):
    out = sdk_tags.Tag()
    if name is not None:
        out.set_name(name)
    if color is not None:
        out.set_color_code(color)
    if tag_id is not None:
        out.set_id(tag_id)
    return out


def tags_body(*tags: sdk_tags.Tag) -> sdk_tags.BodyWrapper:
    body = sdk_tags.BodyWrapper()
    body.set_tags(list(tags))
    return body


def test_tags_are_created_updated_by_id_and_deleted() -> None:
    ops = sdk_tags.TagsOperations()
    listed = deals_tags()
    before = [t.get_name() for t in listed.get_tags()]
    # The seed's tags come first; test_sdk.py's record write leaves its new "SDK" tag behind.
    assert before[: len(DEALS_TAGS)] == DEALS_TAGS
    info = listed.get_info()
    assert isinstance(info, sdk_tags.Info)
    assert (info.get_count(), info.get_allowed_count()) == (len(before), 500)

    module = param_map(sdk_tags.CreateTagsParam, module="Deals")
    created = ops.create_tags(tags_body(tag("SDK Alpha", "#57B1FD"), tag("SDK Beta")), module)
    assert created.get_status_code() == 201
    items = created.get_object().get_tags()
    assert all(isinstance(i, sdk_tags.SuccessResponse) for i in items), [vars(i) for i in items]
    assert [choice(i.get_message()) for i in items] == ["tags created successfully"] * 2
    alpha, beta = (i.get_details() for i in items)
    alpha_id, beta_id = alpha["id"], beta["id"]  # Longs in the SDK's details
    try:
        assert alpha["color_code"] == "#57B1FD"
        assert "color_code" not in beta  # null: the SDK leaves null keys out of `details`
        assert alpha["created_by"].get_id() == PATRICIA
        listed = deals_tags()
        assert listed.get_info().get_count() == len(before) + 2
        new = [(t.get_name(), t.get_id(), t.get_color_code()) for t in listed.get_tags()]
        assert new[len(before) :] == [
            ("SDK Alpha", alpha_id, "#57B1FD"), ("SDK Beta", beta_id, None)
        ]  # fmt: skip

        by_id = param_map(sdk_tags.UpdateTagParam, module="Deals")
        updated = ops.update_tag(alpha_id, tags_body(tag("SDK Alpha 2", "#63C57E")), by_id)
        item = success(updated, 200, sdk_tags.ActionWrapper, "tags")
        assert isinstance(item, sdk_tags.SuccessResponse), vars(item)
        assert choice(item.get_message()) == "tags updated successfully"
        assert (item.get_details()["id"], item.get_details()["color_code"]) == (
            alpha_id, "#63C57E"
        )  # fmt: skip
        renamed = {t.get_id(): t.get_name() for t in deals_tags().get_tags()}
        assert renamed[alpha_id] == "SDK Alpha 2"

        duplicate = ops.create_tags(tags_body(tag("priority")), module)
        refused = success(duplicate, 400, sdk_tags.ActionWrapper, "tags")
        assert isinstance(refused, sdk_tags.APIException)
        assert choice(refused.get_code()) == "DUPLICATE_DATA"
        assert refused.get_details() == {
            "id": "4876876000011037136",  # the existing Priority
            "api_name": "name",
            "json_path": "$.tags[0].name",
        }
    finally:
        for tag_id in (alpha_id, beta_id):
            deleted = success(ops.delete_tag(tag_id), 200, sdk_tags.ActionWrapper, "tags")
            assert isinstance(deleted, sdk_tags.SuccessResponse), vars(deleted)
            assert choice(deleted.get_message()) == "tags deleted successfully"
            assert deleted.get_details() == {"id": tag_id}
    gone = ops.delete_tag(alpha_id)
    assert gone.get_status_code() == 400
    error = gone.get_object()
    assert isinstance(error, sdk_tags.APIException)
    assert (choice(error.get_code()), choice(error.get_message())) == (
        "INVALID_DATA", "tags not found"
    )  # fmt: skip
    assert error.get_details() == {"id": str(alpha_id)}
    assert [t.get_name() for t in deals_tags().get_tags()] == before


# --- tags on records -----------------------------------------------------------------------


def new_tags(*tags: sdk_tags.Tag, ids: list[int] | None = None, over_write: bool | None = None):
    wrapper = sdk_tags.NewTagRequestWrapper()
    wrapper.set_tags(list(tags))
    if ids is not None:
        wrapper.set_ids(ids)
    if over_write is not None:
        wrapper.set_over_write(over_write)
    return wrapper


def existing_tags(*refs: str | int, ids: list[int] | None = None):
    """Tags named (str) or given by id (int), for remove_tags."""
    tags = []
    for ref in refs:
        one = sdk_tags.ExistingTag()
        if isinstance(ref, int):
            one.set_id(ref)
        else:
            one.set_name(ref)
        tags.append(one)
    wrapper = sdk_tags.ExistingTagRequestWrapper()
    wrapper.set_tags(tags)
    if ids is not None:
        wrapper.set_ids(ids)
    return wrapper


def record_tags(item: sdk_tags.RecordSuccessResponse) -> list[tuple[str, int, str | None]]:
    """The record's tags in an add/remove answer: RecordDetailTag objects."""
    assert isinstance(item, sdk_tags.RecordSuccessResponse), vars(item)
    assert choice(item.get_code()) == "SUCCESS"
    assert item.get_message() == "tags updated successfully"  # a plain string in the SDK
    tags = item.get_details()["tags"]
    assert all(isinstance(t, sdk_tags.RecordDetailTag) for t in tags)
    return [(t.get_name(), t.get_id(), t.get_color_code()) for t in tags]


def one_record(resp: APIResponse) -> sdk_tags.RecordSuccessResponse:
    return success(resp, 200, sdk_tags.RecordActionWrapper, "data")


def deal_tag_names(deal_id: int) -> list[str]:
    ops = sdk_record.RecordOperations("Deals")
    (deal,) = ops.get_record(deal_id, ParameterMap(), HeaderMap()).get_object().get_data()
    return [t.get_name() for t in deal.get_key_value("Tag")]


def test_add_and_remove_tags_on_one_record() -> None:
    ops, fresh_id = sdk_tags.TagsOperations(), None
    try:
        # A new name creates the tag, in the colour sent with it; an id names an existing tag.
        added = one_record(
            ops.add_tags("Deals", GLOBEX_PORTAL, new_tags(tag("SDK Fresh", "#D297EE"),
                                                           tag(tag_id=STALLED)))
        )  # fmt: skip
        assert added.get_details()["id"] == GLOBEX_PORTAL
        fresh_id = next(t.get_id() for t in deals_tags().get_tags() if t.get_name() == "SDK Fresh")
        assert record_tags(added) == [
            *GLOBEX_TAGS, ("SDK Fresh", fresh_id, "#D297EE"), ("Stalled", STALLED, "#969696")
        ]  # fmt: skip
        listed = {t.get_id(): t.get_color_code() for t in deals_tags().get_tags()}
        assert listed[fresh_id] == "#D297EE"
        assert deal_tag_names(GLOBEX_PORTAL) == [
            "Large Deal", "Finance Review", "SDK Fresh", "Stalled"
        ]  # fmt: skip

        # Removed by name (any case) or by id.
        removed = one_record(
            ops.remove_tags("Deals", GLOBEX_PORTAL, existing_tags("sdk fresh", STALLED))
        )
        assert removed.get_details()["id"] == GLOBEX_PORTAL
        assert record_tags(removed) == GLOBEX_TAGS

        # over_write (a body key in v8) replaces the record's tags.
        replaced = ops.add_tags("Deals", GLOBEX_PORTAL, new_tags(tag(tag_id=STALLED),
                                                                  over_write=True))  # fmt: skip
        assert record_tags(one_record(replaced)) == [("Stalled", STALLED, "#969696")]
        back = new_tags(tag(tag_id=LARGE_DEAL), tag(tag_id=FINANCE_REVIEW), over_write=True)
        assert record_tags(one_record(ops.add_tags("Deals", GLOBEX_PORTAL, back))) == GLOBEX_TAGS

        missing = ops.add_tags("Deals", UNKNOWN_ID, new_tags(tag(tag_id=STALLED)))
        assert missing.get_status_code() == 400
        error = missing.get_object()
        assert isinstance(error, sdk_tags.APIException)
        assert choice(error.get_code()) == "INVALID_DATA"
        assert error.get_details() == {"resource_path_index": 1}
    finally:
        restore = new_tags(tag(tag_id=LARGE_DEAL), tag(tag_id=FINANCE_REVIEW), over_write=True)
        ops.add_tags("Deals", GLOBEX_PORTAL, restore)
        if fresh_id is not None:
            assert ops.delete_tag(fresh_id).get_status_code() == 200
    assert deal_tag_names(GLOBEX_PORTAL) == ["Large Deal", "Finance Review"]


def stalled_count() -> str:
    params = param_map(sdk_tags.GetRecordCountForTagParam, module="Deals")
    resp = sdk_tags.TagsOperations().get_record_count_for_tag(STALLED, params)
    assert resp.get_status_code() == 200
    return resp.get_object().get_count()


def test_add_and_remove_tags_on_several_records() -> None:
    ops, deals = sdk_tags.TagsOperations(), [SUPPORT_RENEWAL, NORTHWIND_ANALYTICS]
    stalled = [("Stalled", STALLED, "#969696")]
    try:
        resp = ops.add_tags_to_multiple_records(
            "Deals", new_tags(tag(tag_id=STALLED), ids=[*deals, UNKNOWN_ID])
        )
        assert resp.get_status_code() == 207  # one id is no deal
        wrapper = resp.get_object()
        assert isinstance(wrapper, sdk_tags.RecordActionWrapper)
        assert wrapper.get_locked_count() == "0"  # a string, as Zoho sends it
        first, second, unknown = wrapper.get_data()
        assert [first.get_details()["id"], second.get_details()["id"]] == deals
        assert record_tags(first) == record_tags(second) == stalled
        assert isinstance(unknown, sdk_tags.APIException), vars(unknown)
        assert choice(unknown.get_code()) == "INVALID_DATA"
        assert unknown.get_details() == {"id": str(UNKNOWN_ID)}
        assert stalled_count() == "2"
        assert [deal_tag_names(d) for d in deals] == [["Stalled"], ["Stalled"]]

        removed = ops.remove_tags_from_multiple_records(
            "Deals", existing_tags("STALLED", ids=deals)
        )
        assert removed.get_status_code() == 200
        wrapper = removed.get_object()
        assert isinstance(wrapper, sdk_tags.RecordActionWrapper)
        assert wrapper.get_locked_count() == "0"
        assert [record_tags(item) for item in wrapper.get_data()] == [[], []]
        assert [item.get_details()["id"] for item in wrapper.get_data()] == deals
    finally:
        ops.remove_tags_from_multiple_records("Deals", existing_tags(STALLED, ids=deals))
    assert stalled_count() == "0"
    assert [deal_tag_names(d) for d in deals] == [[], []]
