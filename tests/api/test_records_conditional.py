"""Records API: If-Modified-Since (304) on reads, If-Unmodified-Since (412) on updates, and the
smaller record rules of the fact sheet (Probability, Layout, `$approval_state`)."""

from __future__ import annotations

import pytest
from oas import validate_response
from records_helpers import (  # noqa: F401 (frozen is an autouse fixture)
    DEALS,
    NOW_ISO,
    VP_DEAL,
    at,
    err,
    frozen,
    unchanged,
)

FUTURE = "2099-01-01T00:00:00+00:00"
PAST = "2000-01-01T00:00:00+00:00"
ALREADY_MODIFIED = err(
    "ALREADY_MODIFIED",
    "record updated time has already passed if-unmodified-since time",
    {},
    wrapped=False,
)


def _since(when: str) -> dict[str, str]:
    return {"If-Modified-Since": when}


def test_list_since_a_time_gives_only_records_modified_after_it(api, org):
    deals = org.records["Deals"].values()
    times = sorted({d["Modified_Time"] for d in deals})
    since = times[-2]
    newer = {d["id"] for d in deals if d["Modified_Time"] > since}
    resp = api.get(DEALS, query_string={"fields": "Deal_Name"}, headers=_since(since))
    assert resp.status_code == 200
    assert {d["id"] for d in resp.json["data"]} == newer and resp.json["info"]["count"] == 1
    validate_response("record", "getRecords", 200, resp.json)


@pytest.mark.parametrize("when", [FUTURE, "Fri, 01 Jan 2099 00:00:00 GMT"])
def test_nothing_modified_since_is_304_without_a_body(api, when):
    resp = api.get(DEALS, query_string={"fields": "Deal_Name"}, headers=_since(when))
    assert (resp.status_code, resp.data) == (304, b"")
    by_id = api.get(f"{DEALS}/{VP_DEAL}", headers=_since(when))
    assert (by_id.status_code, by_id.data) == (304, b"")


def test_a_record_changed_since_is_returned_and_junk_is_ignored(api):
    for when in (PAST, "yesterday", "2099-01-01T00:00:00"):  # no zone: ignored too
        resp = api.get(f"{DEALS}/{VP_DEAL}", headers=_since(when))
        assert resp.status_code == 200 and resp.json["data"][0]["id"] == VP_DEAL


def test_a_write_makes_the_record_modified_again(api):
    before = api.get(f"{DEALS}/{VP_DEAL}", headers=_since(NOW_ISO))
    assert before.status_code == 304
    assert api.put(f"{DEALS}/{VP_DEAL}", json={"data": [{"Amount": 1}]}).status_code == 200
    # The frozen clock stamps the edit NOW: "modified since NOW" means strictly after it.
    assert api.get(f"{DEALS}/{VP_DEAL}", headers=_since(PAST)).status_code == 200
    assert api.get(f"{DEALS}/{VP_DEAL}", headers=_since(NOW_ISO)).status_code == 304


@pytest.mark.parametrize("bulk", [False, True])
def test_update_of_a_record_changed_since_is_412_and_writes_nothing(api, org, bulk):
    before = unchanged(org)
    url, item = (DEALS, {"id": VP_DEAL, "Amount": 1}) if bulk else (f"{DEALS}/{VP_DEAL}", {})
    body = {"data": [{**item, "Amount": 1}]}
    resp = api.put(url, json=body, headers={"If-Unmodified-Since": PAST})
    assert resp.status_code == 412
    assert resp.json == ALREADY_MODIFIED
    assert unchanged(org) == before


def test_update_of_a_record_unchanged_since_goes_ahead(api, org):
    stamp = org.records["Deals"][VP_DEAL]["Modified_Time"]
    resp = api.put(
        f"{DEALS}/{VP_DEAL}", json={"data": [{"Amount": 2}]}, headers={"If-Unmodified-Since": stamp}
    )
    assert resp.status_code == 200 and resp.json["data"][0]["code"] == "SUCCESS"
    assert org.records["Deals"][VP_DEAL]["Amount"] == 2


@pytest.mark.parametrize("probability", [-1, 101, 150])
def test_probability_is_a_percentage(api, org, probability):
    before = unchanged(org)
    deal = {"Deal_Name": "A", "Stage": "Qualification", "Probability": probability}
    resp = api.post(DEALS, json={"data": [deal]})
    assert resp.status_code == 400
    assert resp.json == err(
        "INVALID_DATA",
        "Given Probability is not valid",
        at("Probability", "$.data[0].Probability"),
    )
    assert unchanged(org) == before
    deal["Probability"] = 100
    assert api.post(DEALS, json={"data": [deal]}).status_code == 201


def test_a_layout_in_a_record_is_accepted_and_not_stored(api, org):
    """Zoho's own update example sends a Layout; mockcrm models no layouts."""
    body = {"data": [{"Layout": {"id": "554023000002734009"}, "Amount": 3}]}
    resp = api.put(f"{DEALS}/{VP_DEAL}", json=body)
    assert resp.status_code == 200
    record = org.records["Deals"][VP_DEAL]
    assert record["Amount"] == 3 and "Layout" not in record


def test_fields_may_ask_for_the_approval_state(api):
    query = {"fields": "Deal_Name,$approval_state", "ids": VP_DEAL}
    resp = api.get(DEALS, query_string=query)
    assert resp.status_code == 200
    (deal,) = resp.json["data"]
    assert deal == {
        "id": VP_DEAL,
        "Deal_Name": "Orbit Logistics - Fleet Tracking Suite",
        "$approval_state": "approved",
    }
