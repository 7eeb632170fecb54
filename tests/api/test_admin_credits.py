"""Zoho-style API-credit accounting: a daily budget per org, 429 TOO_MANY_REQUESTS beyond it
until the org's virtual clock reaches the next window, X-API-CREDITS-REMAINING from 50% used."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from rules_helpers import RULES

from mockcrm.app import create_app
from mockcrm.core import credits
from mockcrm.core.errors import ZohoError
from mockcrm.core.faults import TOO_MANY_REQUESTS
from mockcrm.settings import Settings

CREDITS = "/__admin/orgs/default/credits"
HEADER = "X-API-CREDITS-REMAINING"
NO_BUDGET = {"daily_limit": None, "used": 0, "remaining": None, "window_start": None,
             "window_resets_at": None}  # fmt: skip
THROTTLED = {"code": "TOO_MANY_REQUESTS", "details": {}, "message": TOO_MANY_REQUESTS,
             "status": "error"}  # fmt: skip
NOW_ISO = "2025-12-01T11:09:10+05:30"  # conftest freezes the default org here
NEXT_DAY_ISO = "2025-12-02T11:09:10+05:30"


def crm_get(client, headers=None):
    return client.get(RULES, headers={"Authorization": "Zoho-oauthtoken t", **(headers or {})})


def test_no_budget_by_default_and_no_accounting(client, org):
    assert client.get(CREDITS).json == {"org_id": org.id, **NO_BUDGET}
    resp = crm_get(client)
    assert resp.status_code == 200 and HEADER not in resp.headers
    assert client.get(CREDITS).json == {"org_id": org.id, **NO_BUDGET}


def test_budget_of_three_then_429_until_the_next_window(client, org):
    resp = client.put(CREDITS, json={"daily_limit": 3})
    assert resp.status_code == 200
    assert resp.json == {**NO_BUDGET, "org_id": org.id, "daily_limit": 3, "remaining": 3}
    first = crm_get(client)
    assert first.status_code == 200 and HEADER not in first.headers  # 1 of 3: under 50%
    assert [crm_get(client).headers[HEADER] for _ in range(2)] == ["1", "0"]
    refused = crm_get(client)
    assert refused.status_code == 429 and refused.json == THROTTLED
    assert refused.headers[HEADER] == "0"
    window = {"org_id": org.id, "daily_limit": 3, "used": 3, "remaining": 0,
              "window_start": NOW_ISO, "window_resets_at": NEXT_DAY_ISO}  # fmt: skip
    assert client.get(CREDITS).json == window
    # Refused calls cost nothing and are journaled with their 429.
    assert client.get("/__admin/requests").json["requests"][0]["status"] == 429
    client.post("/__admin/clock/advance", json={"hours": 23, "minutes": 59})
    assert crm_get(client).status_code == 429
    client.post("/__admin/clock/advance", json={"minutes": 1})
    again = crm_get(client)
    assert again.status_code == 200 and HEADER not in again.headers
    assert client.get(CREDITS).json == {**window, "used": 1, "remaining": 2,
        "window_start": NEXT_DAY_ISO, "window_resets_at": "2025-12-03T11:09:10+05:30"}  # fmt: skip


def test_admin_and_non_crm_calls_are_free(client, org):
    client.put(CREDITS, json={"daily_limit": 1})
    client.get("/__admin/health")
    client.get("/__admin/requests")
    client.get("/not-crm", headers={"Authorization": "Zoho-oauthtoken t"})
    assert client.get(CREDITS).json["used"] == 0


def test_only_authenticated_calls_are_charged(client, org, store):
    """Charged after authentication: a call without a token, with a token of no scope for it,
    or of an unknown path, answers its own error and costs nothing (anyone could otherwise
    drain an org's budget by naming it in X-CRM-ORG)."""
    client.put(CREDITS, json={"daily_limit": 2})
    named = {"X-CRM-ORG": org.id}
    assert client.get(RULES, headers=named).status_code == 401
    assert client.get(RULES, headers={**named, "Authorization": "Bearer x"}).status_code == 401
    unknown = client.get("/crm/v8/no/such/path", headers={"Authorization": "Zoho-oauthtoken t"})
    assert unknown.status_code == 404
    strict = create_app(Settings(auth="strict"), store=store).test_client()
    assert strict.get(RULES, headers={"Authorization": "Zoho-oauthtoken t"}).status_code == 401
    token = client.post("/__admin/tokens", json={"scopes": ["ZohoCRM.settings.tags.READ"]}).json[
        "access_token"
    ]
    scoped = client.get(RULES, headers={"Authorization": f"Zoho-oauthtoken {token}"})
    assert scoped.status_code == 401 and scoped.json["code"] == "OAUTH_SCOPE_MISMATCH"
    assert client.get(CREDITS).json["used"] == 0
    assert [crm_get(client).status_code for _ in range(3)] == [200, 200, 429]


def test_record_writes_cost_one_credit_per_ten_records(client, org):
    client.put(CREDITS, json={"daily_limit": 100})
    body = {"data": [{"Last_Name": f"Lead {n}"} for n in range(25)]}
    resp = client.post("/crm/v8/Leads", json=body, headers={"Authorization": "Zoho-oauthtoken t"})
    assert resp.status_code == 201 and len(resp.json["data"]) == 25
    assert client.get(CREDITS).json["used"] == 3


def test_set_usage_and_remove_budget(client, org):
    resp = client.put(CREDITS, json={"daily_limit": 10, "used": 9})
    assert resp.json == {"org_id": org.id, "daily_limit": 10, "used": 9, "remaining": 1,
                         "window_start": NOW_ISO, "window_resets_at": NEXT_DAY_ISO}  # fmt: skip
    assert crm_get(client).headers[HEADER] == "0"
    assert crm_get(client).status_code == 429
    # A new limit keeps the window's usage; null removes the budget.
    assert client.put(CREDITS, json={"daily_limit": 20}).json["used"] == 10
    resp = client.put(CREDITS, json={"daily_limit": None})
    assert resp.json == {"org_id": org.id, **NO_BUDGET}
    assert crm_get(client).status_code == 200


def test_budgets_are_per_org(client, org):
    created = client.post("/__admin/orgs", json={}).json
    auth = {"Authorization": f"Zoho-oauthtoken {created['access_token']}"}
    client.put(f"/__admin/orgs/{created['org_id']}/credits", json={"daily_limit": 0})
    resp = client.get(RULES, headers=auth)
    assert resp.status_code == 429 and resp.json == THROTTLED
    assert crm_get(client).status_code == 200
    assert client.get(CREDITS).json == {"org_id": org.id, **NO_BUDGET}


def test_credits_travel_with_state_and_reset_clears_them(client, org):
    client.put(CREDITS, json={"daily_limit": 5, "used": 2})
    state = client.get("/__admin/orgs/default/state").json
    assert state["api_credits"] == {"daily_limit": 5, "used": 2,
                                    "window_start": "2025-12-01T05:39:10+00:00"}  # fmt: skip
    client.post("/__admin/reset")
    assert client.get(CREDITS).json == {"org_id": org.id, **NO_BUDGET}
    client.put("/__admin/orgs/default/state", json=state)
    assert client.get(CREDITS).json["used"] == 2


def test_bad_credit_bodies(client, org):
    cases = [
        ({}, "MANDATORY_NOT_FOUND", "Required field is missing", {}),
        ({"daily_limit": -1}, "INVALID_DATA", "the value must be within 0..", {}),
        ({"daily_limit": "5"}, "INVALID_DATA", "Invalid data type",
         {"expected_data_type": "integer"}),
        ({"daily_limit": 5, "used": -2}, "INVALID_DATA", "the value must be within 0..", {}),
    ]  # fmt: skip
    for body, code, message, extra in cases:
        resp = client.put(CREDITS, json=body)
        field = "used" if "used" in body else "daily_limit"
        assert resp.status_code == 400
        details = {"api_name": field, **extra, "json_path": f"$.{field}"}
        assert resp.json == {
            "code": code,
            "details": details,
            "message": message,
            "status": "error",
        }
    assert client.get(CREDITS).json == {"org_id": org.id, **NO_BUDGET}
    resp = client.put("/__admin/orgs/404/credits", json={"daily_limit": 1})
    assert resp.status_code == 404


# --- the pure accounting ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "body", "cost"),
    [
        ("GET", None, 1),
        ("POST", {"data": [{}] * 10}, 1),
        ("POST", {"data": [{}] * 11}, 2),
        ("PUT", {"data": [{}] * 100}, 10),
        ("DELETE", {"data": [{}] * 30}, 1),
        ("POST", {"workflow_rules": [{}] * 30}, 1),
        ("POST", {"data": []}, 1),
        ("POST", "not json", 1),
    ],
)
def test_call_cost(method, body, cost):
    assert credits.call_cost(method, body) == cost


def test_usage_window_rolls_and_overdraw_is_refused():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    usage = credits.charge(credits.Usage(5, 0, None), 4, start)
    assert usage == credits.Usage(5, 4, start) and usage.header() == "1"
    with pytest.raises(ZohoError) as info:
        credits.charge(usage, 2, start)  # 2 would overdraw even though 1 remains
    assert info.value.body() == THROTTLED and info.value.status == 429
    state = usage.as_state()
    assert credits.Usage.at(state, start + timedelta(hours=23)) == usage
    assert credits.Usage.at(state, start + timedelta(hours=24)) == credits.Usage(5, 0, None)
