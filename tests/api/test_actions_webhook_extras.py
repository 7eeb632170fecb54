"""webhook_failures, webhooks/actions/associated_modules, webhooks/actions/usage_reports, and the
automation_actions scopes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from actions_helpers import BASE, PREMIUM_LEAD_ALERT, RULES, create, lead_rule
from oas import validate_response, zoho_example

from mockcrm.crm import engine

FAILURES = f"{BASE}/webhook_failures"
OCTOBER = {"from": "2025-10-01", "to": "2025-10-31"}


@pytest.fixture
def november_2025(org):
    org.clock.set(datetime(2025, 11, 5, 6, 0, tzinfo=UTC), freeze=True)


def test_seeded_failure_is_zoho_documented_one(api, november_2025):
    resp = api.get(FAILURES, query_string=OCTOBER)
    assert resp.status_code == 200
    validate_response("webhooks", "getWebhookFailures", 200, resp.json)
    zoho = zoho_example("webhooks", "getWebhookFailures", 200)
    item = resp.json["webhook_failures"][0]
    # Zoho's example names a rule of its own; mockcrm points at the Zylker rule using the webhook.
    assert {k: v for k, v in item.items() if k != "workflow_rule"} == {
        k: v for k, v in zoho["webhook_failures"][0].items() if k != "workflow_rule"
    }
    assert item["workflow_rule"] == {
        "name": "Premium Lead - Notify Sales Ops",
        "id": "4876876000016390801",
    }
    assert resp.json["info"] == zoho["info"]


def test_failures_default_to_the_last_30_days(api, org, november_2025):
    assert api.get(FAILURES).status_code == 200  # 2025-10-21 is within 30 days of 2025-11-05
    org.clock.set(datetime(2025, 12, 1, tzinfo=UTC), freeze=True)
    assert api.get(FAILURES).status_code == 204


def test_failures_filters(api, november_2025):
    by_hook = api.get(FAILURES, query_string={**OCTOBER, "webhook_id": PREMIUM_LEAD_ALERT})
    assert by_hook.json["info"]["count"] == 1
    other = create(api, "webhooks")
    assert api.get(FAILURES, query_string={**OCTOBER, "webhook_id": other}).status_code == 204
    assert api.get(FAILURES, query_string={**OCTOBER, "module": "Deals"}).status_code == 204
    assert (
        api.get(FAILURES, query_string={"from": "2025-10-22", "to": "2025-10-31"}).status_code
        == 204
    )


@pytest.mark.parametrize(
    ("params", "example"),
    [
        ({"module": "Nope"}, "InvalidModuleResponse1"),
        ({"webhook_id": "4876876999999999999"}, "InvalidDataResponse1"),
        ({"from": "21-10-2025"}, "InvalidDataResponse2"),
        ({"to": "tomorrow"}, "InvalidDataResponse3"),
        ({"to": "2025-12-31"}, "InvalidDataResponse3"),
        ({"from": "2025-01-01", "to": "2025-10-31"}, "InvalidDataResponse2"),
    ],
)
def test_failures_parameter_errors_match_zoho(api, november_2025, params, example):
    resp = api.get(FAILURES, query_string=params)
    assert resp.status_code == 400
    assert resp.json == zoho_example("webhooks", "getWebhookFailures", 400, example)


def test_associated_modules_are_the_modules_with_webhooks(api, org):
    resp = api.get(f"{BASE}/webhooks/actions/associated_modules")
    assert resp.status_code == 200
    validate_response("webhooks", "getWebhookAssociatedModules", 200, resp.json)
    modules = [m["api_name"] for m in resp.json["associated_modules"]]
    expected = {w["module"]["api_name"] for w in org.entities["webhooks"].values()}
    assert set(modules) == expected and len(modules) == len(expected)
    assert resp.json["associated_modules"][0] == {"api_name": "Leads", "id": "4876876000000002175"}
    org.entities["webhooks"].clear()
    assert api.get(f"{BASE}/webhooks/actions/associated_modules").status_code == 204


@pytest.mark.parametrize(
    ("params", "example"),
    [
        ({}, "RequiredParamMissingResponse1"),
        ({"group_by": "date", "type": "functions"}, "InvalidDataResponse1"),
        ({"group_by": "date", "to": "2099-01-01"}, "InvalidDataResponse2"),
    ],
)
def test_usage_reports_parameters_match_zoho(api, params, example):
    resp = api.get(f"{BASE}/webhooks/actions/usage_reports", query_string=params)
    assert resp.status_code == 400
    assert resp.json == zoho_example("webhooks", "getWebhookUsageReports", 400, example)


def test_usage_reports_without_recorded_calls_is_empty(api):
    resp = api.get(f"{BASE}/webhooks/actions/usage_reports", query_string={"group_by": "date"})
    assert resp.status_code == 204


USAGE = f"{BASE}/webhooks/actions/usage_reports"


def _run_webhook_twice(api, org) -> str:
    """A Leads create rule whose action is the Premium Lead Alert webhook, fired by two leads."""
    rule = api.post(RULES, json=lead_rule("webhooks", PREMIUM_LEAD_ALERT, name="Ping on create"))
    assert rule.status_code == 201, rule.json
    for name in ("One", "Two"):
        lead = {"Last_Name": name, "Company": "Zylker"}
        assert api.post("/crm/v8/Leads", json={"data": [lead]}).status_code == 201
    return org.now()[:10]


def test_usage_reports_count_the_webhook_calls_the_engine_made(api, org):
    today = _run_webhook_twice(api, org)
    calls = sum(
        a["type"] == "webhooks" and a["id"] == PREMIUM_LEAD_ALERT
        for run in org.executions
        for a in run["actions"]
    )
    others = sum(a["type"] == "webhooks" for run in org.executions for a in run["actions"])
    assert calls >= 2
    daily = api.get(USAGE, query_string={"group_by": "date"})
    assert daily.status_code == 200
    validate_response("webhooks", "getWebhookUsageReports", 200, daily.json)
    assert daily.json["data_usage"] == [{"date": today, "count": others, "type": "webhooks"}]
    per_webhook = api.get(USAGE, query_string={"group_by": "date,resource", "type": "webhooks"})
    assert per_webhook.status_code == 200
    validate_response("webhooks", "getWebhookUsageReports", 200, per_webhook.json)
    premium = {"name": "Premium Lead Alert", "id": PREMIUM_LEAD_ALERT}
    assert {"date": today, "resource": premium, "count": calls, "type": "webhooks"} in (
        per_webhook.json["data_usage"]
    )
    assert per_webhook.json["info"]["max_limit"] == 2500


def test_usage_reports_outlive_the_execution_log_and_the_rule(api, org, monkeypatch):
    monkeypatch.setattr(engine, "MAX_EXECUTIONS", 1)  # the log keeps the last firing only
    today = _run_webhook_twice(api, org)
    (rule,) = [r["id"] for r in org.rules.values() if r["name"] == "Ping on create"]
    assert api.delete(f"{RULES}/{rule}").status_code == 200
    assert len(org.executions) == 1
    resp = api.get(USAGE, query_string={"group_by": "date,resource"})
    assert resp.status_code == 200
    validate_response("webhooks", "getWebhookUsageReports", 200, resp.json)
    premium = {"name": "Premium Lead Alert", "id": PREMIUM_LEAD_ALERT}
    assert {"date": today, "resource": premium, "count": 2, "type": "webhooks"} in (
        resp.json["data_usage"]
    )


def test_usage_reports_of_a_state_saved_before_calls_were_counted_read_the_log(api, org):
    today = _run_webhook_twice(api, org)
    del org.engine["webhook_calls"]  # as a state saved by an older mockcrm has it
    premium = {"name": "Premium Lead Alert", "id": PREMIUM_LEAD_ALERT}
    resp = api.get(USAGE, query_string={"group_by": "date,resource"})
    assert {"date": today, "resource": premium, "count": 2, "type": "webhooks"} in (
        resp.json["data_usage"]
    )
    lead = {"Last_Name": "Three", "Company": "Zylker"}
    assert api.post("/crm/v8/Leads", json={"data": [lead]}).status_code == 201
    resp = api.get(USAGE, query_string={"group_by": "date,resource"})
    assert {"date": today, "resource": premium, "count": 3, "type": "webhooks"} in (
        resp.json["data_usage"]
    )


def test_usage_reports_name_a_deleted_webhook_as_it_was_last_called(api, org):
    webhook = create(api, "webhooks", name="Ping")
    rule = api.post(RULES, json=lead_rule("webhooks", webhook, name="Ping on create"))
    lead = {"Last_Name": "One", "Company": "Zylker"}
    assert api.post("/crm/v8/Leads", json={"data": [lead]}).status_code == 201
    renamed = api.put(f"{BASE}/webhooks/{webhook}", json={"webhooks": [{"name": "Ping again"}]})
    assert renamed.status_code == 200, renamed.json
    assert api.post("/crm/v8/Leads", json={"data": [lead]}).status_code == 201
    rule_id = rule.json["workflow_rules"][0]["details"]["id"]
    assert api.delete(f"{RULES}/{rule_id}").status_code == 200
    assert api.delete(f"{BASE}/webhooks/{webhook}").status_code == 200
    rows = api.get(USAGE, query_string={"group_by": "date,resource"}).json["data_usage"]
    assert [(r["resource"], r["count"]) for r in rows if r["resource"]["id"] == webhook] == [
        ({"name": "Ping again", "id": webhook}, 2)
    ]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"group_by": "date", "type": "kiosks"}, 204),  # only workflow rules run here
        ({"group_by": "date", "type": "workflow_rules"}, 200),
        ({"group_by": "date", "from": "2020-01-01", "to": "2020-01-31"}, 204),
        ({"group_by": "resource"}, 400),
        ({"group_by": "date", "sort_order": "sideways"}, 400),
        ({"group_by": "date", "from": "20251101"}, 400),  # yyyy-MM-dd only
        ({"group_by": "date", "to": "2025-W45-1"}, 400),
    ],
)
def test_usage_reports_filters(api, org, params, status):
    _run_webhook_twice(api, org)
    assert api.get(USAGE, query_string=params).status_code == status


def test_usage_reports_from_after_to_is_invalid(api):
    resp = api.get(
        USAGE, query_string={"group_by": "date", "from": "2025-11-02", "to": "2025-11-01"}
    )
    assert resp.status_code == 400
    assert resp.json == {
        "code": "INVALID_DATA",
        "details": {"param_name": "from", "expected_data_type": "datetime"},
        "message": "The value provided to the param is Invalid",
        "status": "error",
    }


def test_automation_actions_scopes(api, store, org):
    from mockcrm.core.store import Token

    store.tokens["reader"] = Token(
        "reader", org.id, frozenset({"ZohoCRM.settings.automation_actions.READ"})
    )
    headers = {"Authorization": "Zoho-oauthtoken reader"}
    assert api.client.get(f"{BASE}/tasks", headers=headers).status_code == 200
    assert api.client.get(FAILURES, headers=headers, query_string=OCTOBER).status_code in (200, 204)
    task = f"{BASE}/tasks/4876876000016794047"
    for method, path in (("POST", f"{BASE}/tasks"), ("PUT", task), ("DELETE", task)):
        resp = api.client.open(path, method=method, headers=headers, json={"tasks": [{}]})
        assert resp.status_code == 401
        assert resp.json == {
            "code": "OAUTH_SCOPE_MISMATCH",
            "details": {},
            "message": "invalid oauth scope to access this URL",
            "status": "error",
        }
    assert "4876876000016794047" in org.entities["tasks"]
    rules_only = Token("rules", org.id, frozenset({"ZohoCRM.settings.workflow_rules.ALL"}))
    store.tokens["rules"] = rules_only
    resp = api.client.get(f"{BASE}/webhooks", headers={"Authorization": "Zoho-oauthtoken rules"})
    assert resp.status_code == 401
