"""What Zoho's Python SDK (zohocrmsdk8-0) sends and reads on the record actions, at the API level
(tests/e2e/test_sdk_record_actions.py drives the SDK itself): `wf_trigger` as Python spells a
bool, a colour sent with a new tag's name, and Get Record Count (crm-oas v8.0/record_count)."""

from __future__ import annotations

import pytest
from records_helpers import (  # noqa: F401 (frozen is an autouse fixture)
    DEALS,
    VP_DEAL,
    at,
    err,
    frozen,
    unchanged,
)

LEADS = "/crm/v8/Leads"
GRANT, SHAH = "4876876000005030002", "4876876000005030006"  # seed leads without tags
LEAD_AUDIT_RULE = "4876876000011250001"  # "Lead Deleted - Audit Trail": every deleted lead
OTHER_DEAL = "4876876000005040008"
PRIORITY = {"name": "Priority", "id": "4876876000011037136", "color_code": "#F17574"}
SEED_COUNTS = {"Deals": 8, "Leads": 6, "Contacts": 6, "Accounts": 4, "Tasks": 0}


def _audited(org, lead_id: str) -> bool:
    return any(
        run["rule"]["id"] == LEAD_AUDIT_RULE and run["record"]["id"] == lead_id
        for run in org.executions
    )


def _top(code: str, message: str, details: dict) -> dict:
    return {"code": code, "details": details, "message": message, "status": "error"}


# --------------------------------------------------------------------------- wf_trigger
@pytest.mark.parametrize(
    ("value", "fires"),
    [("False", False), ("FALSE", False), ("false", False), ("True", True), ("true", True)],
)
def test_wf_trigger_takes_a_bool_as_zohos_python_sdk_spells_it(api, org, value, fires):
    """The SDK's ParameterMap writes `str(False)`: its own delete samples add wf_trigger as a
    Python bool, so Zoho takes `False` / `True` (the case of a boolean does not matter)."""
    one = api.delete(f"{LEADS}/{GRANT}", query_string={"wf_trigger": value})
    assert one.status_code == 200
    assert one.json["data"][0]["message"] == "record deleted"
    bulk = api.delete(LEADS, query_string={"ids": SHAH, "wf_trigger": value})
    assert bulk.status_code == 200
    assert (_audited(org, GRANT), _audited(org, SHAH)) == (fires, fires)


def test_wf_trigger_is_still_a_boolean(api, org):
    before = unchanged(org)
    resp = api.delete(f"{LEADS}/{GRANT}", query_string={"wf_trigger": "Falsch"})
    assert resp.status_code == 400
    assert resp.json == _top(
        "INVALID_DATA", "The value provided to the param is Invalid", {"param_name": "wf_trigger"}
    )
    assert unchanged(org) == before


# --------------------------------------------------------------------------- tag colours
def test_a_new_tag_named_in_add_tags_takes_the_colour_sent_with_it(api, org):
    """The SDK's add_tags sends full Tag objects: `{"name", "color_code"}` (Zoho's v8 docs: the
    tag's name, id and color_code). A name that creates the tag gives it that colour; an
    existing tag named so keeps its own."""
    body = {"tags": [{"name": "Fresh", "color_code": "#d297ee"},
                     {"name": "priority", "color_code": "#57B1FD"}]}  # fmt: skip
    resp = api.post(f"{DEALS}/{OTHER_DEAL}/actions/add_tags", json=body)
    assert resp.status_code == 200, resp.json
    fresh = org.tag("Deals", name="Fresh")
    assert fresh["color_code"] == "#D297EE"  # the palette's spelling, as the Tags API keeps it
    tagged = resp.json["data"][0]["details"]["tags"]
    assert tagged[-2:] == [{"name": "Fresh", "id": fresh["id"], "color_code": "#D297EE"}, PRIORITY]
    assert org.tag("Deals", name="Priority")["color_code"] == "#F17574"
    listed = api.get("/crm/v8/settings/tags", query_string={"module": "Deals"}).json["tags"]
    assert {t["name"]: t["color_code"] for t in listed}["Fresh"] == "#D297EE"


def test_a_new_tag_in_a_records_tag_list_takes_its_colour(api, org):
    deal = {"Deal_Name": "Zylker - Colours", "Stage": "Qualification",
            "Tag": [{"name": "Teal", "color_code": "#1DB9B4"}, {"name": "Plain"}]}  # fmt: skip
    resp = api.post(DEALS, json={"data": [deal]})
    assert resp.status_code == 201, resp.json
    stored = org.records["Deals"][resp.json["data"][0]["details"]["id"]]["Tag"]
    assert [(t["name"], t["color_code"]) for t in stored] == [("Teal", "#1DB9B4"), ("Plain", None)]
    assert org.tag("Deals", name="Teal")["color_code"] == "#1DB9B4"


@pytest.mark.parametrize(
    ("color", "extra"),
    [("#123456", {}), ("#D297EE00", {"maximum_length": 7}), (5, {})],
    ids=["off-palette", "too-long", "not-text"],
)
def test_a_colour_the_tags_api_refuses_is_refused_and_nothing_changes(api, org, color, extra):
    before = unchanged(org)
    body = {"tags": [{"name": "Fresh", "color_code": color}]}
    resp = api.post(f"{DEALS}/{OTHER_DEAL}/actions/add_tags", json=body)
    assert resp.status_code == 400
    assert resp.json == _top(
        "INVALID_DATA", "invalid data", at("color_code", "$.tags[0].color_code", **extra)
    )
    deal = {"Deal_Name": "Zylker - Colours", "Stage": "Qualification",
            "Tag": [{"name": "Fresh", "color_code": color}]}  # fmt: skip
    written = api.post(DEALS, json={"data": [deal]})
    assert written.status_code == 400
    path = "$.data[0].Tag[0].color_code"
    assert written.json == err("INVALID_DATA", "invalid data", at("color_code", path, **extra))
    assert unchanged(org) == before


# --------------------------------------------------------------------------- record count
def test_record_count_is_the_number_of_the_modules_records(api, org):
    for module, expected in SEED_COUNTS.items():
        resp = api.get(f"/crm/v8/{module}/actions/count")
        assert (module, resp.status_code, resp.json) == (module, 200, {"count": expected})
    api.delete(DEALS, query_string={"ids": VP_DEAL})
    added = api.post(LEADS, json={"data": [{"Last_Name": "Counted"}], "trigger": []})
    assert added.status_code == 201
    assert api.get(f"{DEALS}/actions/count").json == {"count": 7}
    assert api.get(f"{LEADS}/actions/count").json == {"count": 7}


@pytest.mark.parametrize(
    ("module", "query", "expected"),
    [
        ("Leads", {"converted": "true"}, 0),  # no mockcrm lead is ever converted
        ("Leads", {"converted": "false"}, 6),
        ("Leads", {"converted": "both", "approved": "true"}, 6),  # every record is approved
        ("Leads", {"approved": "false"}, 0),
        ("Deals", {"converted": "true", "approved": "false"}, 8),  # "only to the Leads module"
        ("Deals", {"page": "2", "per_page": "1", "include_filters": "true"}, 8),  # no filter
    ],
)
def test_record_count_of_leads_by_conversion_and_approval(api, module, query, expected):
    resp = api.get(f"/crm/v8/{module}/actions/count", query_string=query)
    assert (resp.status_code, resp.json) == (200, {"count": expected})


AMBIGUOUS = "Please use either Cvid or Search Params. Combination of both the params is not allowed"


@pytest.mark.parametrize(
    ("module", "query", "expected"),
    [
        # crm-oas record_count examples InvalidModule, AmbiguityError, InvalidDataInvalidParam.
        ("Dealz", {}, ("INVALID_MODULE", "the module name given seems to be invalid",
                       {"resource_path_index": 1})),
        ("Deals", {"cvid": "1", "criteria": "(Amount:greater_than:1)"}, (
            "AMBIGUITY_DURING_PROCESSING", AMBIGUOUS,
            {"ambiguity_due_to": [{"param_name": "cvid"}, {"param_name": "criteria"}]})),
        ("Deals", {"cvid": "1", "word": "orbit", "email": "a@b.c"}, (
            "AMBIGUITY_DURING_PROCESSING", AMBIGUOUS,
            {"ambiguity_due_to": [{"param_name": "cvid"}, {"param_name": "email"}]})),
        # Filters mockcrm cannot apply as Zoho does: no custom views, no word search.
        *[
            ("Deals", {param: "x"}, ("INVALID_DATA", "invalid data", {"param_name": param}))
            for param in ("cvid", "criteria", "email", "phone", "word", "filters",
                          "cross_filters")
        ],
        ("Leads", {"converted": "yes"}, ("INVALID_DATA", "invalid data",
                                         {"param_name": "converted"})),
        ("Leads", {"approved": ""}, ("INVALID_DATA", "invalid data", {"param_name": "approved"})),
    ],
)  # fmt: skip
def test_record_count_refusals(api, module, query, expected):
    resp = api.get(f"/crm/v8/{module}/actions/count", query_string=query)
    assert (resp.status_code, resp.json) == (400, _top(*expected))


def test_record_count_is_a_get(api):
    wrong = api.post(f"{DEALS}/actions/count", json={})
    assert (wrong.status_code, wrong.json) == (
        400, _top("INVALID_REQUEST_METHOD", "The http request method type is not a valid one", {})
    )  # fmt: skip
    put = api.put(f"{DEALS}/actions/count", json={})
    assert (put.status_code, put.json) == (wrong.status_code, wrong.json)
    by_id = api.post(f"{DEALS}/{VP_DEAL}/actions/count", json={})  # no per-record count
    assert by_id.status_code == 404 and by_id.json["code"] == "INVALID_URL_PATTERN"
