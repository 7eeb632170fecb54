"""Odd inputs to the harness and the platform that once answered a 500 or an HTML page."""

from __future__ import annotations

import pytest

JSON_TYPE = "application/json;charset=UTF-8"
NOT_FOUND = {
    "code": "INVALID_URL_PATTERN",
    "details": {},
    "message": "Please check if the URL trying to access is a correct one",
    "status": "error",
}


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/__admin//reset"), ("GET", "/crm/v8//org"), ("GET", "/crm//v8/Deals")],
)
def test_a_doubled_slash_matches_nothing(api, org, method, path):
    """Werkzeug would merge the slashes with an HTML 308 (POST /__admin//reset led to the
    reset-everything endpoint)."""
    rules = dict(org.rules)
    resp = api.call(method, path)
    assert resp.status_code == 404 and resp.headers["Content-Type"] == JSON_TYPE
    assert resp.json == NOT_FOUND
    assert org.rules == rules


@pytest.mark.parametrize("limit", ["²", "①", "٣"])
def test_a_journal_limit_of_non_ascii_digits_is_invalid(api, limit):
    resp = api.client.get("/__admin/requests", query_string={"limit": limit})
    assert resp.status_code == 400
    assert resp.json["details"] == {"param_name": "limit"}


def test_a_token_lifetime_is_at_most_ten_years(api, store):
    before = set(store.tokens)
    resp = api.client.post("/__admin/tokens", json={"expires_in": 10**15})
    assert resp.status_code == 400
    assert resp.json == {
        "code": "INVALID_DATA",
        "details": {"api_name": "expires_in", "json_path": "$.expires_in"},
        "message": "the value must be within 1..316224000",
        "status": "error",
    }
    assert set(store.tokens) == before


def test_an_id_of_non_ascii_digits_is_no_id(api):
    resp = api.get("/crm/v8/Deals/" + "①" * 19)
    assert resp.status_code == 400
    assert resp.json == {
        "code": "INVALID_DATA",
        "details": {"resource_path_index": 1},
        "message": "the id given seems to be invalid",
        "status": "error",
    }
