"""/crm/v8/settings/tags: per-module tags, per-item write results, and their use in rules."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime

import pytest
from oas import validate_response
from rules_helpers import RULES, body, deal_rule

from mockcrm.core.store import Token

TAGS = "/crm/v8/settings/tags"
DEALS = {"module": "Deals"}
PRIORITY = "4876876000011037136"
FINANCE_REVIEW = "4876876000011037148"
LEADS_HOT = "4876876000011037084"
# Rules of the seed whose add_tags / remove_tags name "Finance Review".
FINANCE_RULES = ("4876876000011150001", "4876876000012100058", "4876876000012100134")
PATRICIA = {"name": "Patricia Boyle", "id": "4876876000000327001"}
NOW = "2025-12-01T10:00:00+05:30"
ID = re.compile(r"4876876\d{12}")


@pytest.fixture(autouse=True)
def frozen_clock(org):
    org.clock.set(datetime(2025, 12, 1, 4, 30, tzinfo=UTC), freeze=True)


def error(code: str, message: str, details: dict | None = None) -> dict:
    return {"code": code, "details": details or {}, "message": message, "status": "error"}


def item_error(code: str, message: str, api_name: str, index: int = 0, **extra) -> dict:
    details = {"api_name": api_name, "json_path": f"$.tags[{index}].{api_name}", **extra}
    return error(code, message, details)


def rule_tags(org, rule_id: str) -> list[dict]:
    tags = []
    for condition in org.rules[rule_id]["conditions"]:
        actions = list((condition.get("instant_actions") or {}).get("actions") or [])
        for group in condition.get("scheduled_actions") or []:
            actions += group["actions"]
        tags += [t for a in actions if a["type"].endswith("_tags") for t in a["details"]["tags"]]
    return tags


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


# --- update ------------------------------------------------------------------------------


def test_bulk_update_renames_and_recolours(api, org):
    change = [{"id": FINANCE_REVIEW, "name": "CFO Review", "color_code": "#D297EE"}]
    resp = api.put(TAGS, query_string=DEALS, json={"tags": change})
    assert resp.status_code == 200
    validate_response("tags", "putTags", 200, resp.json)
    (result,) = resp.json["tags"]
    assert result["code"] == "SUCCESS" and result["message"] == "tags updated successfully"
    tag = org.tag("Deals", tag_id=FINANCE_REVIEW)
    assert result["details"] == tag
    assert (tag["name"], tag["color_code"]) == ("CFO Review", "#D297EE")
    assert tag["modified_time"] == NOW and tag["modified_by"] == PATRICIA
    assert tag["created_time"] == "2025-03-05T11:11:11+05:30"
    # Rules that name the tag show it under its new name and colour.
    for rule_id in FINANCE_RULES:
        named = [t for t in rule_tags(org, rule_id) if t["id"] == FINANCE_REVIEW]
        assert named and all(
            (t["name"], t["color_code"]) == ("CFO Review", "#D297EE") for t in named
        )


def test_update_by_id_keeps_what_is_omitted(api, org):
    resp = api.put(
        f"{TAGS}/{PRIORITY}", query_string=DEALS, json={"tags": [{"color_code": "#969696"}]}
    )
    assert resp.status_code == 200
    validate_response("tags", "putTagsWithId", 200, resp.json)
    tag = org.tag("Deals", tag_id=PRIORITY)
    assert (tag["name"], tag["color_code"]) == ("Priority", "#969696")
    # Same name in another case is the same tag, not a duplicate.
    renamed = api.put(
        f"{TAGS}/{PRIORITY}", query_string=DEALS, json={"tags": [{"name": "PRIORITY"}]}
    )
    assert renamed.status_code == 200 and tag["name"] == "PRIORITY"


def test_records_follow_a_renamed_tag(api, org):
    org.records.setdefault("Deals", {})["1"] = {
        "id": "1",
        "Tag": [{"name": "Priority", "id": PRIORITY, "color_code": "#F17574"}],
    }
    api.put(f"{TAGS}/{PRIORITY}", query_string=DEALS, json={"tags": [{"name": "Urgent"}]})
    assert org.records["Deals"]["1"]["Tag"] == [
        {"name": "Urgent", "id": PRIORITY, "color_code": "#F17574"}
    ]


def test_update_mixed_results(api, org):
    tags = [
        {"id": PRIORITY, "name": "Stalled"},
        {"name": "No id"},
        {"id": LEADS_HOT, "name": "Other module"},
        {"id": FINANCE_REVIEW, "name": "Finance"},
    ]
    before = copy.deepcopy(org.tags)
    resp = api.put(TAGS, query_string=DEALS, json={"tags": tags})
    assert resp.status_code == 207
    duplicate, missing, foreign, ok = resp.json["tags"]
    assert duplicate == item_error(
        "DUPLICATE_DATA", "duplicate data", "name", id="4876876000011037144"
    )
    assert missing == item_error("MANDATORY_NOT_FOUND", "required field not found", "id", 1)
    assert foreign == item_error("INVALID_DATA", "ID of the tag is invalid", "id", 2)
    assert ok["code"] == "SUCCESS" and ok["details"]["name"] == "Finance"
    changed = [t for t in org.tags["Deals"] if t not in before["Deals"]]
    assert [t["id"] for t in changed] == [FINANCE_REVIEW]
    assert org.tags["Leads"] == before["Leads"]


def test_update_all_failed_is_400_and_changes_nothing(api, org):
    before = copy.deepcopy(org.tags)
    resp = api.put(TAGS, query_string=DEALS, json={"tags": [{"id": PRIORITY, "name": "y" * 26}]})
    assert resp.status_code == 400
    assert resp.json == {
        "tags": [item_error("INVALID_DATA", "Invalid data", "name", maximum_length=25)]
    }
    assert org.tags == before


def test_update_unknown_id_in_url(api, org):
    resp = api.put(f"{TAGS}/{LEADS_HOT}", query_string=DEALS, json={"tags": [{"name": "x"}]})
    assert resp.status_code == 400
    assert resp.json == error("INVALID_DATA", "tags not found", {"id": LEADS_HOT})


# --- delete ------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [{}, DEALS])
def test_delete_tag(api, org, query):
    org.records.setdefault("Deals", {})["1"] = {
        "id": "1",
        "Tag": [
            {"name": "Priority", "id": PRIORITY},
            {"name": "Stalled", "id": "4876876000011037144"},
        ],
    }
    resp = api.delete(f"{TAGS}/{PRIORITY}", query_string=query)
    assert resp.status_code == 200
    validate_response("tags", "deleteTags", 200, resp.json)
    assert resp.json == {
        "tags": [
            {
                "code": "SUCCESS",
                "details": {"id": PRIORITY},
                "message": "tags deleted successfully",
                "status": "success",
            }
        ]
    }
    assert org.tag("Deals", tag_id=PRIORITY) is None
    assert org.records["Deals"]["1"]["Tag"] == [{"name": "Stalled", "id": "4876876000011037144"}]
    again = api.delete(f"{TAGS}/{PRIORITY}")
    assert again.status_code == 400
    assert again.json == error("INVALID_DATA", "tags not found", {"id": PRIORITY})


def test_delete_in_the_wrong_module(api, org):
    resp = api.delete(f"{TAGS}/{LEADS_HOT}", query_string=DEALS)
    assert resp.status_code == 400
    assert resp.json == error("INVALID_DATA", "tags not found", {"id": LEADS_HOT})
    assert org.tag("Leads", tag_id=LEADS_HOT) is not None


# --- scopes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "needed"),
    [
        ("GET", TAGS, "ZohoCRM.settings.tags.READ"),
        ("POST", TAGS, "ZohoCRM.settings.tags.CREATE"),
        ("PUT", f"{TAGS}/{PRIORITY}", "ZohoCRM.settings.tags.UPDATE"),
        ("DELETE", f"{TAGS}/{PRIORITY}", "ZohoCRM.settings.tags.DELETE"),
    ],
)
def test_tag_scopes(api, store, org, method, path, needed):
    others = {f"ZohoCRM.settings.tags.{op}" for op in ("READ", "CREATE", "UPDATE", "DELETE")}
    others.discard(needed)
    store.tokens["no"] = Token("no", org.id, frozenset(others))
    store.tokens["ok"] = Token("ok", org.id, frozenset({needed}))
    payload = {"tags": [{"name": "Scoped"}]} if method in ("POST", "PUT") else None
    for token, status in (("no", 401), ("ok", 200 if method != "POST" else 201)):
        resp = api.client.open(
            path,
            method=method,
            query_string=DEALS,
            json=payload,
            headers={"Authorization": f"Zoho-oauthtoken {token}"},
        )
        assert resp.status_code == status


def test_unsupported_method_is_zoho_invalid_request_method(api):
    resp = api.call("PATCH", TAGS, query_string=DEALS, json={"tags": [{"name": "x"}]})
    assert resp.status_code == 400
    assert resp.json == error(
        "INVALID_REQUEST_METHOD", "The http request method type is not a valid one"
    )
