"""Zoho's official Python SDK (zohocrmsdk8-0, package mass_delete_tags) against a live mockcrm:
`MassDeleteTagsOperations.mass_delete_tags` and `get_status`, with the typed objects the SDK
builds. The test deletes only tags it created (the live server lives for the whole session).
"""

from __future__ import annotations

import pytest
from sdk_helpers import choice, param_map, success

# The module-scoped SDK initialisation of test_sdk.py (see test_sdk_metadata.py).
from test_sdk import sdk  # noqa: F401
from zohocrmsdk.src.com.zoho.crm.api import mass_delete_tags as sdk_mass
from zohocrmsdk.src.com.zoho.crm.api import tags as sdk_tags

pytestmark = pytest.mark.usefixtures("sdk")

DEALS_MODULE = 4876876000000002181
PRIORITY = 4876876000011037136  # a seed tag the seed's workflow rules name
UNKNOWN_JOB = "999999999999999999"


def mass_delete_body(*tag_ids: int) -> sdk_mass.BodyWrapper:
    module = sdk_mass.Module()
    module.set_api_name("Deals")
    module.set_id(DEALS_MODULE)  # the SDK types both ids as Longs: JSON numbers on the wire
    tags = []
    for tag_id in tag_ids:
        tag = sdk_mass.Tag()
        tag.set_id(tag_id)
        tags.append(tag)
    item = sdk_mass.MassDelete()
    item.set_module(module)
    item.set_tags(tags)
    body = sdk_mass.BodyWrapper()
    body.set_mass_delete([item])
    return body


def job_status(job_id: object):
    params = param_map(sdk_mass.GetStatusParam, job_id=str(job_id))
    return sdk_mass.MassDeleteTagsOperations().get_status(params)


def test_mass_delete_tags_and_read_the_job() -> None:
    tags_ops, ops = sdk_tags.TagsOperations(), sdk_mass.MassDeleteTagsOperations()
    new = []
    for name in ("SDK Mass A", "SDK Mass B"):
        tag = sdk_tags.Tag()
        tag.set_name(name)
        new.append(tag)
    wrapper = sdk_tags.BodyWrapper()
    wrapper.set_tags(new)
    created = tags_ops.create_tags(wrapper, param_map(sdk_tags.CreateTagsParam, module="Deals"))
    assert created.get_status_code() == 201
    ids = [int(t.get_details()["id"]) for t in created.get_object().get_tags()]
    try:
        resp = ops.mass_delete_tags(mass_delete_body(*ids))
        assert resp.get_status_code() == 202
        scheduled = resp.get_object()
        assert isinstance(scheduled, sdk_mass.SuccessResponse), vars(scheduled)
        assert choice(scheduled.get_code()) == "SCHEDULED"
        assert choice(scheduled.get_status()) == "success"
        assert scheduled.get_message() == "Mass delete job scheduled successfully"
        job_id = scheduled.get_details()["job_id"]

        job = success(job_status(job_id), 200, sdk_mass.StatusResponseWrapper, "mass_delete")
        assert isinstance(job, sdk_mass.MassDeleteDetails), vars(job)
        assert job.get_job_id() == int(job_id)  # a Long in the SDK
        assert choice(job.get_status()) == "COMPLETED"
        counts = (job.get_total_count(), job.get_deleted_count(), job.get_failed_count())
        assert counts == (2, 2, 0)
        listed = tags_ops.get_tags(param_map(sdk_tags.GetTagsParam, module="Deals"))
        assert not {t.get_id() for t in listed.get_object().get_tags()} & set(ids)
    finally:
        for tag_id in ids:
            tags_ops.delete_tag(tag_id)  # already gone after the mass delete: a 400, ignored


def test_refusals_are_typed_errors() -> None:
    refused = sdk_mass.MassDeleteTagsOperations().mass_delete_tags(mass_delete_body(PRIORITY))
    assert refused.get_status_code() == 400
    error = refused.get_object()
    assert isinstance(error, sdk_mass.APIException)
    assert choice(error.get_code()) == "NOT_ALLOWED"
    assert error.get_message() == "tags has been associated to features"
    assert error.get_details() == {"api_name": "id", "json_path": "$.mass_delete[0].tags[0].id"}

    missing = job_status(UNKNOWN_JOB)
    assert missing.get_status_code() == 400
    wrapper = missing.get_object()
    assert isinstance(wrapper, sdk_mass.StatusResponseWrapper)
    (item,) = wrapper.get_mass_delete()
    assert isinstance(item, sdk_mass.APIException)
    assert choice(item.get_code()) == "INVALID_DATA"
    assert item.get_message() == "job details not found"
    assert item.get_details() == {"job_id": UNKNOWN_JOB}
