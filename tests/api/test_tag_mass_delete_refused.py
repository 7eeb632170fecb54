"""Refused tag mass deletes (POST /crm/v8/settings/tags/actions/mass_delete): every answer of
Zoho's crm-oas v8.0 mass_delete_tags.yaml examples exactly, mockcrm's own choices where Zoho
shows none, and that a refused request changes nothing."""

from __future__ import annotations

import pytest
from mass_delete_helpers import (
    DEALS_ID,
    DEALS_REF,
    JSON,
    LEADS_HOT,
    LEADS_ID,
    LOST_PRICING,
    NOTES_ID,
    NOWHERE,
    REENGAGE,
    TAG_PATH,
    URL,
    body,
    settled_state,
)
from tags_helpers import (  # noqa: F401 (frozen_clock is an autouse fixture)
    DEALS,
    ID,
    NOW,
    PRIORITY,
    TAGS,
    error,
    frozen_clock,
    rule_tags,
)

# --- refused: Zoho's examples, and nothing changes -----------------------------------------

MANDATORY = "required field not found"


def at(api_name: str, path: str, **extra) -> dict:
    return {"api_name": api_name, "json_path": f"$.mass_delete{path}", **extra}


# Zoho's 14 response-400 examples of massDeleteTags, each answered exactly.
ZOHO_EXAMPLES = [
    ("rootkeymissing", {}, error("MANDATORY_NOT_FOUND", MANDATORY, at("mass_delete", ""))),
    (
        "emptymassdeletearray",
        {"mass_delete": []},
        error("INVALID_DATA", "invalid data", at("mass_delete", "")),
    ),
    (
        "massdeletearraytoolong",
        {"mass_delete": body(REENGAGE)["mass_delete"] * 2},
        error("INVALID_DATA", "invalid data", at("mass_delete", "", maximum_length=1)),
    ),
    (
        "modulemissing",
        {"mass_delete": [{"tags": [{"id": REENGAGE}]}]},
        error("MANDATORY_NOT_FOUND", MANDATORY, at("module", "[0].module")),
    ),
    (
        "modulenotobject",
        body(REENGAGE, module="Deals"),
        error(
            "INVALID_DATA",
            "invalid data",
            at("module", "[0].module", expected_data_type="jsonobject"),
        ),
    ),
    (
        "moduleidmissing",
        body(REENGAGE, module={"api_name": "Deals"}),
        error("MANDATORY_NOT_FOUND", MANDATORY, at("id", "[0].module.id")),
    ),
    (
        "moduleapinamemissing",
        body(REENGAGE, module={"id": DEALS_ID}),
        error("MANDATORY_NOT_FOUND", MANDATORY, at("api_name", "[0].module.api_name")),
    ),
    (
        "ambiguousmodule",
        body(REENGAGE, module={"api_name": "Deals", "id": LEADS_ID}),
        error(
            "AMBIGUITY_DURING_PROCESSING",
            "ambiguous module identifiers",
            {
                "ambiguity_due_to": [
                    {"api_name": "id", "json_path": "$.mass_delete[0].module.id"},
                    {"api_name": "api_name", "json_path": "$.mass_delete[0].module.api_name"},
                ]
            },
        ),
    ),
    (
        "tagsmissing",
        {"mass_delete": [{"module": DEALS_REF}]},
        error("MANDATORY_NOT_FOUND", MANDATORY, at("tags", "[0].tags")),
    ),
    (
        "tagsnotarray",
        {"mass_delete": [{"module": DEALS_REF, "tags": {"id": REENGAGE}}]},
        error(
            "INVALID_DATA", "invalid data", at("tags", "[0].tags", expected_data_type="jsonarray")
        ),
    ),
    (
        "tagsarraytoolong",
        body(*[REENGAGE] * 201),
        error("INVALID_DATA", "invalid data", at("tags", "[0].tags", maximum_length=200)),
    ),
    ("invalidtagid", body(NOWHERE), error("INVALID_DATA", "tags not found", TAG_PATH)),
    (
        "tagsnotavailable",  # a Leads tag asked for in Deals
        body(LEADS_HOT),
        error("INVALID_DATA", "one of the tags seems not found.", TAG_PATH),
    ),
    (
        "tagsassociatedwithfeatures",  # Priority: named by two seed rules' tag actions
        body(PRIORITY),
        error("NOT_ALLOWED", "tags has been associated to features", TAG_PATH),
    ),
]
# Where Zoho shows no example: mockcrm's answers (README, Fidelity notes).
OWN_CHOICES = [
    ("no-body", None, error("MANDATORY_NOT_FOUND", MANDATORY, at("mass_delete", ""))),
    ("array-body", [], error("MANDATORY_NOT_FOUND", MANDATORY, at("mass_delete", ""))),
    (
        "mass-delete-null",
        {"mass_delete": None},
        error("MANDATORY_NOT_FOUND", MANDATORY, at("mass_delete", "")),
    ),
    (
        "mass-delete-not-array",
        {"mass_delete": body(REENGAGE)["mass_delete"][0]},
        error(
            "INVALID_DATA", "invalid data", at("mass_delete", "", expected_data_type="jsonarray")
        ),
    ),
    (
        "item-not-object",
        {"mass_delete": ["Deals"]},
        error(
            "INVALID_DATA",
            "invalid data",
            at("mass_delete", "[0]", expected_data_type="jsonobject"),
        ),
    ),
    (
        "module-null",
        {"mass_delete": [{"module": None, "tags": [{"id": REENGAGE}]}]},
        error("MANDATORY_NOT_FOUND", MANDATORY, at("module", "[0].module")),
    ),
    (
        "api-name-null",
        body(REENGAGE, module={"api_name": None, "id": DEALS_ID}),
        error("MANDATORY_NOT_FOUND", MANDATORY, at("api_name", "[0].module.api_name")),
    ),
    (
        "unknown-api-name",
        body(REENGAGE, module={"api_name": "Deal", "id": DEALS_ID}),
        error(
            "INVALID_DATA",
            "the module name given seems to be invalid",
            at("api_name", "[0].module.api_name"),
        ),
    ),
    (
        "unknown-module-id",
        body(REENGAGE, module={"api_name": "Deals", "id": NOWHERE}),
        error("INVALID_DATA", "the id given seems to be invalid", at("id", "[0].module.id")),
    ),
    (
        "untaggable-module",
        body(REENGAGE, module={"api_name": "Notes", "id": NOTES_ID}),
        error(
            "INVALID_DATA",
            "the given module is not supported for this api",
            at("api_name", "[0].module.api_name"),
        ),
    ),
    (
        "empty-tags",
        body(),
        error("INVALID_DATA", "invalid data", at("tags", "[0].tags")),
    ),
    (
        "tag-not-object",
        {"mass_delete": [{"module": DEALS_REF, "tags": [REENGAGE]}]},
        error(
            "INVALID_DATA",
            "invalid data",
            at("tags", "[0].tags[0]", expected_data_type="jsonobject"),
        ),
    ),
    (
        "tag-id-missing",
        {"mass_delete": [{"module": DEALS_REF, "tags": [{"name": "Stalled"}]}]},
        error("MANDATORY_NOT_FOUND", MANDATORY, TAG_PATH),
    ),
    (
        "tag-id-boolean",
        {"mass_delete": [{"module": DEALS_REF, "tags": [{"id": True}]}]},
        error("INVALID_DATA", "Invalid data type", {**TAG_PATH, "expected_data_type": "text"}),
    ),
    (
        "tag-name-is-no-id",
        body("Re-engagement pending"),
        error("INVALID_DATA", "tags not found", TAG_PATH),
    ),
    (
        "second-tag-bad",  # the first would be deletable: nothing is deleted
        body(REENGAGE, LOST_PRICING, PRIORITY),
        error(
            "NOT_ALLOWED",
            "tags has been associated to features",
            at("id", "[0].tags[2].id"),
        ),
    ),
]


@pytest.mark.parametrize(
    ("request_body", "expected"),
    [(b, e) for _, b, e in ZOHO_EXAMPLES + OWN_CHOICES],
    ids=[name for name, _, _ in ZOHO_EXAMPLES + OWN_CHOICES],
)
def test_refused_mass_delete_changes_nothing(api, org, request_body, expected):
    before = settled_state(api, org)
    resp = api.post(URL, json=request_body)
    assert resp.status_code == 400
    assert resp.headers["Content-Type"] == JSON
    assert resp.json == expected
    assert org.to_state() == before


def test_unparseable_body_changes_nothing(api, org):
    before = settled_state(api, org)
    resp = api.post(URL, data=b'{"mass_delete": [', content_type="application/json")
    assert resp.status_code == 400
    assert resp.json == error(
        "INVALID_DATA", "either the request body or parameters is in wrong format"
    )
    assert org.to_state() == before


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_wrong_method(api, method):
    resp = api.call(method, URL, json=body(REENGAGE))
    assert resp.status_code == 400
    assert resp.json == error(
        "INVALID_REQUEST_METHOD", "The http request method type is not a valid one"
    )
