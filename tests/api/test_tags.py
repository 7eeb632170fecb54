"""/crm/v8/settings/tags: listing a module's tags, the module parameter, and creating tags
(per-item write results, limits, use in rules). Updating, deleting, scopes and methods:
test_tags_update_delete.py."""

from __future__ import annotations

import copy

import pytest
from oas import validate_response
from rules_helpers import RULES, body, deal_rule
from tags_helpers import (  # noqa: F401 (frozen_clock is an autouse fixture)
    DEALS,
    FINANCE_REVIEW,
    ID,
    NOW,
    PATRICIA,
    PRIORITY,
    TAGS,
    error,
    frozen_clock,
    item_error,
    rule_tags,
)

# --- read --------------------------------------------------------------------------------


def test_list_tags_of_a_module(api, org):
    resp = api.get(TAGS, query_string=DEALS)
    assert resp.status_code == 200
    validate_response("tags", "getTags", 200, resp.json)
    assert resp.json["tags"] == org.tags["Deals"]
    assert resp.json["info"] == {"count": 7, "allowed_count": 500}


def test_my_tags_are_the_acting_users(api):
    mine = api.get(TAGS, query_string={**DEALS, "my_tags": "true"}).json
    assert [t["name"] for t in mine["tags"]] == ["Lost due to Pricing", "Re-engagement pending"]
    assert mine["info"]["count"] == 2


def test_module_without_tags_lists_an_empty_array(api, org):
    org.tags.pop("Calls")
    resp = api.get(TAGS, query_string={"module": "Calls"})
    assert resp.status_code == 200
    validate_response("tags", "getTags", 200, resp.json)
    assert resp.json == {"tags": [], "info": {"count": 0, "allowed_count": 500}}


MISSING = error(
    "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", {"param": "module"}
)
MISSING_ON_PUT = error(
    "REQUIRED_PARAM_MISSING", "One of the expected param is missing", {"param_name": "module"}
)
BAD_MODULE = error("INVALID_MODULE", "the module name given seems to be invalid")
NO_TAGS_MODULE = error("INVALID_MODULE", "the given module is not supported for this api")
NEW = {"tags": [{"name": "Renewal Risk"}]}


@pytest.mark.parametrize(
    ("method", "path", "query", "expected"),
    [
        ("GET", TAGS, {}, MISSING),
        ("GET", TAGS, {"module": "Deal"}, BAD_MODULE),
        ("GET", TAGS, {"module": "Notes"}, NO_TAGS_MODULE),
        ("POST", TAGS, {}, MISSING),
        ("POST", TAGS, {"module": "deals"}, BAD_MODULE),
        ("PUT", TAGS, {}, MISSING_ON_PUT),
        ("PUT", f"{TAGS}/{PRIORITY}", {}, MISSING_ON_PUT),
        ("PUT", f"{TAGS}/{PRIORITY}", {"module": "Notes"}, NO_TAGS_MODULE),
        ("DELETE", f"{TAGS}/{PRIORITY}", {"module": "Deal"}, BAD_MODULE),
    ],
)
def test_module_parameter_errors(api, org, method, path, query, expected):
    before = copy.deepcopy(org.tags)
    resp = api.call(method, path, query_string=query, json=NEW if method != "GET" else None)
    assert resp.status_code == 400 and resp.json == expected
    assert org.tags == before


# --- create ------------------------------------------------------------------------------


def test_create_tag(api, org):
    resp = api.post(
        TAGS,
        query_string=DEALS,
        json={"tags": [{"name": " Renewal Risk ", "color_code": "#f48435"}]},
    )
    assert resp.status_code == 201
    validate_response("tags", "postTags", 201, resp.json)
    (result,) = resp.json["tags"]
    tag = result["details"]
    assert ID.fullmatch(tag["id"])
    assert result == {
        "code": "SUCCESS",
        "details": {
            "created_time": NOW,
            "modified_time": NOW,
            "name": "Renewal Risk",
            "modified_by": PATRICIA,
            "id": tag["id"],
            "created_by": PATRICIA,
            "color_code": "#F48435",
        },
        "message": "tags created successfully",
        "status": "success",
    }
    assert org.tags["Deals"][-1] == tag
    assert api.get(TAGS, query_string=DEALS).json["tags"][-1] == tag


def test_create_without_colour_and_several_at_once(api, org):
    resp = api.post(
        TAGS,
        query_string={"module": "Cases"},
        json={"tags": [{"name": "A"}, {"name": "B", "color_code": None}]},
    )
    assert resp.status_code == 201
    validate_response("tags", "postTags", 201, resp.json)
    created = [r["details"] for r in resp.json["tags"]]
    assert [(t["name"], t["color_code"]) for t in created] == [("A", None), ("B", None)]
    assert created[0]["id"] != created[1]["id"]
    assert org.tags["Cases"] == created


def test_duplicate_mixed_with_success_is_207(api, org):
    tags = [{"name": "priority"}, {"name": "Upsell", "color_code": "#63C57E"}]
    resp = api.post(TAGS, query_string=DEALS, json={"tags": tags})
    assert resp.status_code == 207
    validate_response("tags", "postTags", 207, resp.json)
    duplicate, created = resp.json["tags"]
    assert duplicate == item_error("DUPLICATE_DATA", "duplicate data", "name", id=PRIORITY)
    assert created["code"] == "SUCCESS" and created["details"]["name"] == "Upsell"
    assert [t["name"] for t in org.tags["Deals"]][-1] == "Upsell"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        (
            {"color_code": "#63C57E"},
            item_error("MANDATORY_NOT_FOUND", "required field not found", "name"),
        ),
        ({"name": None}, item_error("MANDATORY_NOT_FOUND", "required field not found", "name")),
        ({"name": "   "}, item_error("MANDATORY_NOT_FOUND", "required field not found", "name")),
        (
            {"name": 25},
            item_error("INVALID_DATA", "Invalid data type", "name", expected_data_type="text"),
        ),
        ({"name": "x" * 26}, item_error("INVALID_DATA", "Invalid data", "name", maximum_length=25)),
        (
            {"name": "Hot, Cold"},
            item_error("INVALID_DATA", "special characters found in the given name", "name"),
        ),
        (
            {"name": "<b>"},
            item_error("INVALID_DATA", "special characters found in the given name", "name"),
        ),
        (
            {"name": "Fire \U0001f525"},
            item_error("INVALID_DATA", "special characters found in the given name", "name"),
        ),
        (
            {"name": "Ok", "color_code": "#AAFE62"},
            item_error("INVALID_DATA", "invalid data", "color_code"),
        ),
        (
            {"name": "Ok", "color_code": "#63C57EFF"},
            item_error("INVALID_DATA", "invalid data", "color_code", maximum_length=7),
        ),
        (
            {"name": "Ok", "color_code": 5},
            item_error(
                "INVALID_DATA", "Invalid data type", "color_code", expected_data_type="text"
            ),
        ),
        (
            {"name": "FINANCE REVIEW"},
            item_error("DUPLICATE_DATA", "duplicate data", "name", id=FINANCE_REVIEW),
        ),
    ],
)
def test_create_item_errors(api, org, tag, expected):
    before = copy.deepcopy(org.tags)
    resp = api.post(TAGS, query_string=DEALS, json={"tags": [tag]})
    assert resp.status_code == 400
    assert resp.json == {"tags": [expected]}
    assert org.tags == before


def test_item_that_is_not_an_object(api, org):
    resp = api.post(TAGS, query_string=DEALS, json={"tags": ["Hot"]})
    assert resp.status_code == 400
    assert resp.json == {
        "tags": [
            error(
                "INVALID_DATA",
                "Invalid data type",
                {"api_name": "tags", "expected_data_type": "jsonobject", "json_path": "$.tags[0]"},
            )
        ]
    }


def test_duplicate_within_one_request(api, org):
    resp = api.post(
        TAGS, query_string=DEALS, json={"tags": [{"name": "Upsell"}, {"name": "UPSELL"}]}
    )
    assert resp.status_code == 207
    first, second = resp.json["tags"]
    assert second == item_error(
        "DUPLICATE_DATA", "duplicate data", "name", index=1, id=first["details"]["id"]
    )
    assert [t["name"] for t in org.tags["Deals"]].count("Upsell") == 1


@pytest.mark.parametrize("payload", [None, {}, {"tags": []}, {"tags": {"name": "x"}}, [1]])
def test_body_without_a_tags_array(api, org, payload):
    before = copy.deepcopy(org.tags)
    resp = api.post(TAGS, query_string=DEALS, json=payload)
    assert resp.status_code == 400
    assert resp.json == error(
        "INVALID_DATA", "invalid data", {"api_name": "tags", "json_path": "$.tags"}
    )
    assert org.tags == before


def test_tags_per_module_limit(api, org):
    org.tags["Cases"] = [
        {**copy.deepcopy(org.tags["Deals"][0]), "id": str(i), "name": f"T{i}"} for i in range(499)
    ]
    resp = api.post(
        TAGS, query_string={"module": "Cases"}, json={"tags": [{"name": "Last"}, {"name": "Over"}]}
    )
    assert resp.status_code == 207
    assert resp.json["tags"][1] == error("LICENSE_LIMIT_EXCEEDED", "tags edition limit exceeded")
    assert len(org.tags["Cases"]) == 500


def test_created_tag_is_usable_in_a_workflow_rule(api, org):
    rule = deal_rule(name="Tag risky renewals")
    actions = rule["conditions"][0]["instant_actions"]["actions"]
    actions.append({"type": "add_tags", "details": {"tags": [{"name": "Renewal Risk"}]}})
    refused = api.post(RULES, json=body(rule))
    assert refused.status_code == 400
    assert refused.json["workflow_rules"][0]["details"] == {
        "api_name": "tags",
        "json_path": "$.workflow_rules[0].conditions[0].instant_actions.actions[1].details.tags[0]",
    }
    created = api.post(
        TAGS, query_string=DEALS, json={"tags": [{"name": "Renewal Risk", "color_code": "#F48435"}]}
    )
    tag_id = created.json["tags"][0]["details"]["id"]
    resp = api.post(RULES, json=body(rule))
    assert resp.status_code == 201
    rule_id = resp.json["workflow_rules"][0]["details"]["id"]
    assert rule_tags(org, rule_id) == [
        {"name": "Renewal Risk", "id": tag_id, "color_code": "#F48435"}
    ]
