"""/crm/v8/settings/tags: updating (bulk and by id, renames followed by records and rules) and
deleting tags, their OAuth scopes and unsupported methods. Listing and creating: test_tags.py."""

from __future__ import annotations

import copy

import pytest
from oas import validate_response
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

from mockcrm.core.store import Token

LEADS_HOT = "4876876000011037084"
# Rules of the seed whose add_tags / remove_tags name "Finance Review".
FINANCE_RULES = ("4876876000011150001", "4876876000012100058", "4876876000012100134")


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


def test_bulk_update_takes_the_id_as_a_number_as_zohos_sdk_sends_it(api, org):
    change = [{"id": int(FINANCE_REVIEW), "name": "CFO Review"}]
    resp = api.put(TAGS, query_string=DEALS, json={"tags": change})
    assert resp.status_code == 200, resp.json
    assert resp.json["tags"][0]["details"]["id"] == FINANCE_REVIEW
    assert org.tag("Deals", tag_id=FINANCE_REVIEW)["name"] == "CFO Review"
    refused = api.put(TAGS, query_string=DEALS, json={"tags": [{"id": True, "name": "x"}]})
    assert refused.status_code == 400
    assert refused.json["tags"][0]["code"] == "INVALID_DATA"
    assert refused.json["tags"][0]["details"]["expected_data_type"] == "text"


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
