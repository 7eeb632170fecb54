"""/crm/v8/settings/tags/{id}/actions/records_count and /actions/merge (Zoho's crm-oas v8.0
tags_actions.json and its merge-tags / tag-record-count docs): exact answers, what a merge does to
records and rules, that a refused merge changes nothing, and the OAuth scopes of both."""

from __future__ import annotations

import pytest
from tags_helpers import (  # noqa: F401 (frozen_clock is an autouse fixture)
    DEALS,
    FINANCE_REVIEW,
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

LARGE_DEAL = "4876876000011037140"
STALLED = "4876876000011037144"
LEADS_HOT = "4876876000011037084"
NOWHERE = "4876876000099999999"
ORBIT = "4876876000005040001"  # seed Deal tagged [Priority, Large Deal]
GLOBEX = "4876876000005040004"  # seed Deal tagged [Large Deal, Finance Review]
NORTHWIND = "4876876000005040003"  # seed Deal without tags
# Seed Deals rules naming Priority: remove_tags [Priority]; remove_tags [Priority, Stalled] and
# add_tags [Priority].
PRIORITY_RULE = "4876876000012100124"
PRIORITY_STALLED_RULE = "4876876000012100092"
JSON = "application/json;charset=UTF-8"


def count_url(tag_id: str) -> str:
    return f"{TAGS}/{tag_id}/actions/records_count"


def merge_url(tag_id: str) -> str:
    return f"{TAGS}/{tag_id}/actions/merge"


def conflict(tag_id: str) -> dict:
    return {"tags": [{"conflict_id": tag_id}]}


def count(api, tag_id: str, module: str = "Deals"):
    return api.get(count_url(tag_id), query_string={"module": module})


def settled_state(api, org) -> dict:
    """The org's state once the engine's first clock scan (run by any first call) is behind."""
    assert api.get("/crm/v8/org").status_code == 200
    return org.to_state()


def tag_names(org, record_id: str) -> list[str]:
    return [t["name"] for t in org.records["Deals"][record_id].get("Tag") or []]


# --- records_count -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag_id", "expected"), [(LARGE_DEAL, "2"), (PRIORITY, "1"), (STALLED, "0")]
)
def test_records_count_of_the_seed(api, tag_id, expected):
    resp = count(api, tag_id)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == JSON
    # A string, as Zoho's spec types it ({"count": "3"}), never the number 3.
    assert resp.json == {"count": expected}


def test_records_count_follows_tagging_untagging_and_deletes(api):
    add = api.post(
        "/crm/v8/Deals/actions/add_tags",
        json={"tags": [{"id": STALLED}], "ids": [ORBIT, GLOBEX, NORTHWIND]},
    )
    assert add.status_code == 200
    assert count(api, STALLED).json == {"count": "3"}
    again = api.post(f"/crm/v8/Deals/{ORBIT}/actions/add_tags", json={"tags": [{"id": STALLED}]})
    assert again.status_code == 200
    assert count(api, STALLED).json == {"count": "3"}  # a record carrying it twice is one
    remove = api.post(
        f"/crm/v8/Deals/{GLOBEX}/actions/remove_tags", json={"tags": [{"name": "stalled"}]}
    )
    assert remove.status_code == 200
    assert count(api, STALLED).json == {"count": "2"}
    assert api.delete(f"/crm/v8/Deals/{NORTHWIND}").status_code == 200
    assert count(api, STALLED).json == {"count": "1"}
    # A record created with the tag counts too.
    deal = {"Deal_Name": "Tagged", "Stage": "Qualification", "Tag": [{"id": STALLED}]}
    created = api.post("/crm/v8/Deals", json={"data": [deal]})
    assert created.status_code == 201
    assert count(api, STALLED).json == {"count": "2"}


def test_records_count_of_a_new_tag_in_another_module(api):
    created = api.post(TAGS, query_string={"module": "Leads"}, json={"tags": [{"name": "Fresh"}]})
    tag_id = created.json["tags"][0]["details"]["id"]
    assert count(api, tag_id, "Leads").json == {"count": "0"}


MISSING_MODULE = error(
    "REQUIRED_PARAM_MISSING", "One of the expected param is missing", {"param_name": "module"}
)
BAD_MODULE = error("INVALID_MODULE", "the module name given seems to be invalid")
NO_TAGS_MODULE = error("INVALID_MODULE", "the given module is not supported for this api")
NO_TAG = error("TAG_ID_NOT_FOUND", "invalid tag id")


@pytest.mark.parametrize(
    ("tag_id", "query", "expected"),
    [
        (PRIORITY, {}, MISSING_MODULE),
        (PRIORITY, {"module": ""}, MISSING_MODULE),
        (PRIORITY, {"module": "Deal"}, BAD_MODULE),
        (PRIORITY, {"module": "Notes"}, NO_TAGS_MODULE),
        (NOWHERE, DEALS, NO_TAG),
        (LEADS_HOT, DEALS, NO_TAG),  # another module's tag
        ("not-a-number", DEALS, NO_TAG),
        ("-1", DEALS, NO_TAG),
        ("9" * 40, DEALS, NO_TAG),
    ],
)
def test_records_count_errors(api, tag_id, query, expected):
    resp = api.get(count_url(tag_id), query_string=query)
    assert resp.status_code == 400
    assert resp.json == expected


def test_records_count_wrong_method(api):
    resp = api.post(count_url(PRIORITY), query_string=DEALS)
    assert resp.status_code == 400
    assert resp.json == error(
        "INVALID_REQUEST_METHOD", "The http request method type is not a valid one"
    )


# --- merge: success ------------------------------------------------------------------------


def test_merge_moves_records_and_rules_to_the_surviving_tag(api, org):
    survivor = dict(org.tag("Deals", tag_id=STALLED))
    orbit_modified = org.records["Deals"][ORBIT]["Modified_Time"]
    resp = api.post(merge_url(STALLED), json=conflict(PRIORITY))
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == JSON
    assert resp.json == {
        "tags": [
            {
                "code": "SUCCESS",
                "details": {
                    "created_time": survivor["created_time"],
                    "modified_time": NOW,
                    "modified_by": PATRICIA,
                    "id": STALLED,
                    "created_by": survivor["created_by"],
                    "color_code": "#969696",
                },
                "message": "tags merged successfully",
                "status": "success",
            }
        ]
    }
    # {id} survives (renamed nothing), the conflict tag is gone.
    assert org.tag("Deals", tag_id=STALLED)["name"] == "Stalled"
    assert org.tag("Deals", tag_id=PRIORITY) is None
    listed = api.get(TAGS, query_string=DEALS).json
    assert PRIORITY not in [t["id"] for t in listed["tags"]] and listed["info"]["count"] == 6
    # The record that carried Priority carries Stalled in its place (same shape, same position).
    assert org.records["Deals"][ORBIT]["Tag"] == [
        {"name": "Stalled", "id": STALLED, "color_code": "#969696"},
        {"name": "Large Deal", "id": LARGE_DEAL, "color_code": "#63C57E"},
    ]
    assert org.records["Deals"][ORBIT]["Modified_Time"] == orbit_modified  # no record write
    assert count(api, STALLED).json == {"count": "1"}
    assert count(api, PRIORITY).json == NO_TAG
    # Rules' tag actions follow as on a rename: they name the survivor, once.
    stalled_ref = {"name": "Stalled", "id": STALLED, "color_code": "#969696"}
    assert rule_tags(org, PRIORITY_RULE) == [stalled_ref]
    assert rule_tags(org, PRIORITY_STALLED_RULE) == [stalled_ref, stalled_ref]  # remove, add
    for rule_id in org.rules:
        assert PRIORITY not in [t["id"] for t in rule_tags(org, rule_id)]
    rule = api.get(f"/crm/v8/settings/automation/workflow_rules/{PRIORITY_RULE}")
    assert PRIORITY not in rule.get_data(as_text=True)


def test_merge_into_a_tag_the_record_already_has_leaves_no_duplicate(api, org):
    resp = api.post(merge_url(LARGE_DEAL), json=conflict(PRIORITY))
    assert resp.status_code == 200
    assert resp.json["tags"][0]["details"]["id"] == LARGE_DEAL
    assert tag_names(org, ORBIT) == ["Large Deal"]
    assert tag_names(org, GLOBEX) == ["Large Deal", "Finance Review"]
    assert count(api, LARGE_DEAL).json == {"count": "2"}


def test_merge_follows_records_tagged_through_the_api(api, org):
    tagged = api.post(
        f"/crm/v8/Deals/{NORTHWIND}/actions/add_tags",
        json={"tags": [{"id": FINANCE_REVIEW}, {"id": STALLED}]},
    )
    assert tagged.status_code == 200
    resp = api.post(merge_url(PRIORITY), json=conflict(FINANCE_REVIEW))
    assert resp.status_code == 200
    assert tag_names(org, NORTHWIND) == ["Priority", "Stalled"]
    assert tag_names(org, GLOBEX) == ["Large Deal", "Priority"]
    assert count(api, PRIORITY).json == {"count": "3"}
    # The merged-away tag can be neither merged nor counted again.
    again = api.post(merge_url(PRIORITY), json=conflict(FINANCE_REVIEW))
    assert again.status_code == 400
    assert again.json == error("INVALID_DATA", "invalid tag id", CONFLICT_PATH)
    assert api.post(merge_url(FINANCE_REVIEW), json=conflict(PRIORITY)).json == error(
        "INVALID_DATA", "tags not found", {"id": FINANCE_REVIEW}
    )


def test_merge_takes_conflict_id_of_a_new_tag_and_ignores_module(api, org):
    created = api.post(TAGS, query_string=DEALS, json={"tags": [{"name": "Fresh"}]})
    fresh = created.json["tags"][0]["details"]["id"]
    resp = api.post(merge_url(STALLED), query_string={"module": "Leads"}, json=conflict(fresh))
    assert resp.status_code == 200
    assert org.tag("Deals", tag_id=fresh) is None


# --- merge: refused, nothing changes -------------------------------------------------------

INVALID_BODY = error("INVALID_DATA", "invalid data", {"api_name": "tags", "json_path": "$.tags"})
CONFLICT_PATH = {"api_name": "conflict_id", "json_path": "$.tags[0].conflict_id"}
INVALID_TAG_ID = error("INVALID_DATA", "invalid tag id", CONFLICT_PATH)
MANDATORY = {"tags": [item_error("MANDATORY_NOT_FOUND", "required field not found", "conflict_id")]}


@pytest.mark.parametrize(
    ("path_id", "body", "expected"),
    [
        (PRIORITY, None, INVALID_BODY),
        (PRIORITY, {}, INVALID_BODY),
        (PRIORITY, [], INVALID_BODY),
        (PRIORITY, "tags", INVALID_BODY),
        (PRIORITY, {"tags": []}, INVALID_BODY),
        (PRIORITY, {"tags": {"conflict_id": STALLED}}, INVALID_BODY),
        (
            PRIORITY,
            {"tags": [{"conflict_id": STALLED}, {"conflict_id": LARGE_DEAL}]},
            error(
                "INVALID_DATA",
                "invalid data",
                {"api_name": "tags", "json_path": "$.tags", "maximum_length": 1},
            ),
        ),
        (
            PRIORITY,
            {"tags": ["x"]},
            {
                "tags": [
                    error(
                        "INVALID_DATA",
                        "Invalid data type",
                        {
                            "api_name": "tags",
                            "expected_data_type": "jsonobject",
                            "json_path": "$.tags[0]",
                        },
                    )
                ]
            },
        ),
        (PRIORITY, {"tags": [{}]}, MANDATORY),
        (PRIORITY, {"tags": [{"conflict_id": None}]}, MANDATORY),
        (PRIORITY, {"tags": [{"conflict_id": "  "}]}, MANDATORY),
        (
            PRIORITY,
            {"tags": [{"conflict_id": int(STALLED)}]},
            {
                "tags": [
                    item_error(
                        "INVALID_DATA",
                        "Invalid data type",
                        "conflict_id",
                        expected_data_type="text",
                    )
                ]
            },
        ),
        (PRIORITY, conflict(PRIORITY), INVALID_TAG_ID),  # a tag with itself
        (PRIORITY, conflict(NOWHERE), INVALID_TAG_ID),
        (PRIORITY, conflict(LEADS_HOT), INVALID_TAG_ID),  # another module's tag
        (PRIORITY, conflict("Stalled"), INVALID_TAG_ID),  # a name is no id
        (NOWHERE, conflict(PRIORITY), error("INVALID_DATA", "tags not found", {"id": NOWHERE})),
        ("abc", conflict(PRIORITY), error("INVALID_DATA", "tags not found", {"id": "abc"})),
        ("abc", None, error("INVALID_DATA", "tags not found", {"id": "abc"})),
    ],
)
def test_refused_merge_changes_nothing(api, org, path_id, body, expected):
    before = settled_state(api, org)
    resp = api.post(merge_url(path_id), json=body)
    assert resp.status_code == 400
    assert resp.json == expected
    assert org.to_state() == before


def test_merge_with_unparseable_body(api, org):
    before = settled_state(api, org)
    resp = api.client.post(
        merge_url(PRIORITY),
        data=b'{"tags": [',
        content_type="application/json",
        headers={"Authorization": "Zoho-oauthtoken test"},
    )
    assert resp.status_code == 400
    assert resp.json == error(
        "INVALID_DATA", "either the request body or parameters is in wrong format"
    )
    assert org.to_state() == before


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_merge_wrong_method(api, method):
    resp = api.call(method, merge_url(PRIORITY), json=conflict(STALLED))
    assert resp.status_code == 400
    assert resp.json == error(
        "INVALID_REQUEST_METHOD", "The http request method type is not a valid one"
    )


# --- scopes --------------------------------------------------------------------------------

SCOPE_MISMATCH = error("OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL")
TAG_SCOPES = {f"ZohoCRM.settings.tags.{op}" for op in ("READ", "CREATE", "UPDATE", "DELETE")}


@pytest.mark.parametrize(
    ("method", "path", "body", "needed", "ok"),
    [
        ("GET", count_url(PRIORITY), None, "ZohoCRM.settings.tags.READ", 200),
        ("POST", merge_url(STALLED), conflict(PRIORITY), "ZohoCRM.settings.tags.CREATE", 200),
    ],
)
def test_tag_action_scopes(api, store, org, method, path, body, needed, ok):
    store.tokens["no"] = Token("no", org.id, frozenset(TAG_SCOPES - {needed}))
    store.tokens["ok"] = Token("ok", org.id, frozenset({needed}))
    store.tokens["all"] = Token("all", org.id, frozenset({"ZohoCRM.settings.tags.ALL"}))
    before = org.to_state()

    def send(token: str):
        headers = {"Authorization": f"Zoho-oauthtoken {token}"}
        return api.client.open(path, method=method, query_string=DEALS, json=body, headers=headers)

    refused = send("no")
    assert refused.status_code == 401 and refused.json == SCOPE_MISMATCH
    assert org.to_state() == before
    assert send("ok").status_code == ok
    if method == "GET":  # the merge above consumed its conflict tag
        assert send("all").status_code == ok
