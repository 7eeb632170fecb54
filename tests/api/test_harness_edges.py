"""Odd inputs to the harness that once answered a 500."""

from __future__ import annotations

import pytest


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
