"""Tags on records: POST /{module}/{id}/actions/add_tags | remove_tags and their bulk forms
(fact sheet core §4.6; no OAS file covers them, so the shapes follow the fact sheet's examples)."""

from __future__ import annotations

import pytest
from records_helpers import (  # noqa: F401 (frozen is an autouse fixture)
    DEALS,
    VP_DEAL,
    frozen,
    unchanged,
)

OTHER_DEAL = "4876876000005040008"
NOBODY = "4876876000000000001"
PRIORITY = {"name": "Priority", "id": "4876876000011037136", "color_code": "#F17574"}


def _tags(org, deal: str) -> list[dict]:
    return org.records["Deals"][deal].get("Tag") or []


def _success(deal: str, tags: list[dict], **extra: str) -> dict:
    details = {**extra, "id": deal, "tags": tags}
    return {
        "code": "SUCCESS",
        "details": details,
        "message": "tags updated successfully",
        "status": "success",
    }


def test_add_tags_appends_by_name_or_id_and_creates_new_names(api, org):
    before = _tags(org, OTHER_DEAL)
    body = {"tags": [{"id": PRIORITY["id"]}, {"name": "Expansion"}]}
    resp = api.post(f"{DEALS}/{OTHER_DEAL}/actions/add_tags", json=body)
    assert resp.status_code == 200
    created = org.tag("Deals", name="Expansion")
    assert created is not None
    expected = before + [PRIORITY, {"name": "Expansion", "id": created["id"], "color_code": None}]
    assert _tags(org, OTHER_DEAL) == expected
    # The v8 example's modifiedTime: the frozen clock, in the org's time zone.
    assert resp.json == {
        "data": [_success(OTHER_DEAL, expected, modifiedTime="Mon, 01 Dec 2025 11:09 AM")]
    }
    assert org.records["Deals"][OTHER_DEAL]["Modified_Time"] == "2025-12-01T11:09:10+05:30"


def test_over_write_replaces_the_tags_and_names_match_existing_tags_in_any_case(api, org):
    body = {"tags": [{"name": "priority"}], "over_write": True}
    resp = api.post(f"{DEALS}/{OTHER_DEAL}/actions/add_tags", json=body)
    assert resp.status_code == 200
    assert _tags(org, OTHER_DEAL) == [PRIORITY]


def test_remove_tags_by_name_or_id(api, org):
    api.post(f"{DEALS}/{OTHER_DEAL}/actions/add_tags", json={"tags": [PRIORITY, {"name": "X"}]})
    x_id = org.tag("Deals", name="X")["id"]
    body = {"tags": [{"name": "PRIORITY"}, {"id": x_id}]}
    resp = api.post(f"{DEALS}/{OTHER_DEAL}/actions/remove_tags", json=body)
    assert resp.status_code == 200
    assert all(t["id"] not in (PRIORITY["id"], x_id) for t in _tags(org, OTHER_DEAL))
    assert resp.json["data"][0]["details"]["tags"] == _tags(org, OTHER_DEAL)


def test_bulk_answers_per_record_with_locked_count(api, org):
    body = {"tags": [{"name": "Bulk"}], "ids": [OTHER_DEAL, VP_DEAL, NOBODY]}
    resp = api.post(f"{DEALS}/actions/add_tags", json=body)
    assert resp.status_code == 207
    bulk = org.tag("Deals", name="Bulk")
    ref = {"name": "Bulk", "id": bulk["id"], "color_code": None}
    assert resp.json == {
        "data": [
            _success(OTHER_DEAL, _tags(org, OTHER_DEAL)),
            _success(VP_DEAL, _tags(org, VP_DEAL)),
            {
                "code": "INVALID_DATA",
                "details": {"id": NOBODY},
                "message": "the id given seems to be invalid",
                "status": "error",
            },
        ],
        "locked_count": "0",
    }
    assert ref in _tags(org, OTHER_DEAL) and ref in _tags(org, VP_DEAL)


@pytest.mark.parametrize(
    ("url", "body", "expected"),
    [
        (
            f"{DEALS}/{OTHER_DEAL}/actions/add_tags",
            {"tags": [{"name": "a,b"}]},
            (
                "INVALID_DATA",
                "special characters found in the given name",
                {"api_name": "name", "json_path": "$.tags[0].name"},
            ),
        ),
        (
            f"{DEALS}/{OTHER_DEAL}/actions/add_tags",
            {"tags": [{"name": "n" * 26}]},
            (
                "INVALID_DATA",
                "Invalid data",
                {"maximum_length": 25, "api_name": "name", "json_path": "$.tags[0].name"},
            ),
        ),
        (
            f"{DEALS}/{OTHER_DEAL}/actions/add_tags",
            {"tags": [{"id": NOBODY}]},
            ("INVALID_DATA", "invalid data", {"api_name": "id", "json_path": "$.tags[0].id"}),
        ),
        (
            f"{DEALS}/{OTHER_DEAL}/actions/add_tags",
            {"tags": [{"name": f"t{i}"} for i in range(11)]},
            (
                "INVALID_DATA",
                "invalid data",
                {"maximum_length": 10, "api_name": "tags", "json_path": "$.tags"},
            ),
        ),
        (
            f"{DEALS}/{OTHER_DEAL}/actions/add_tags",
            {},
            (
                "MANDATORY_NOT_FOUND",
                "required field not found",
                {"api_name": "tags", "json_path": "$.tags"},
            ),
        ),
        (
            f"{DEALS}/{NOBODY}/actions/remove_tags",
            {"tags": [{"name": "x"}]},
            ("INVALID_DATA", "the id given seems to be invalid", {"resource_path_index": 1}),
        ),
        (
            f"{DEALS}/actions/add_tags",
            {"tags": [{"name": "x"}]},
            (
                "REQUIRED_PARAM_MISSING",
                "One of the expected parameter is missing",
                {"param_name": "ids"},
            ),
        ),
        (
            f"{DEALS}/actions/add_tags",
            {"tags": [{"name": "x"}], "ids": [OTHER_DEAL] * 501},
            (
                "INVALID_DATA",
                "invalid data",
                {"maximum_length": 500, "api_name": "ids", "json_path": "$.ids"},
            ),
        ),
        (
            "/crm/v8/Notes/actions/add_tags",
            {"tags": [{"name": "x"}], "ids": [OTHER_DEAL]},
            ("INVALID_MODULE", "the given module is not supported for this api", {}),
        ),
    ],
)
def test_refused_calls_change_nothing(api, org, url, body, expected):
    before = unchanged(org)
    resp = api.post(url, json=body)
    assert resp.status_code == 400
    code, message, details = expected
    assert resp.json == {"code": code, "details": details, "message": message, "status": "error"}
    assert unchanged(org) == before


def test_a_record_write_refuses_the_tag_names_the_tags_api_refuses(api, org):
    deal = {"Deal_Name": "A", "Stage": "Qualification", "Tag": [{"name": "a<b"}]}
    resp = api.post(DEALS, json={"data": [deal]})
    assert resp.status_code == 400
    assert resp.json["data"][0]["message"] == "special characters found in the given name"
    assert resp.json["data"][0]["details"] == {
        "api_name": "name",
        "json_path": "$.data[0].Tag[0].name",
    }


def test_an_unknown_action_and_a_wrong_method(api):
    assert api.post(f"{DEALS}/{OTHER_DEAL}/actions/frob", json={}).status_code == 404
    resp = api.get(f"{DEALS}/{OTHER_DEAL}/actions/add_tags")
    assert resp.status_code == 400 and resp.json["code"] == "INVALID_REQUEST_METHOD"
