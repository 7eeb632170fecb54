"""The usage report counts what ran between `executed_from` and `executed_till`: the engine's
counts are kept per day of the org's time zone; the seed's undated history counts in ranges that
overlap its period."""

from __future__ import annotations

from oas import validate_response
from rules_helpers import HIGH_VALUE_LEAD, RULES

LEADS = "/crm/v8/Leads"
CLOCK = "/__admin/clock"
# High Value Lead Rule (create, Leads): Annual_Revenue >= 1,000,000 e-mails, assigns the owner
# and e-mails again 2 business days later. Its seeded history: 3 firings from its reset_time,
# 2025-10-16, to its last execution, 2025-11-14.
FIRST_CONDITION, SECOND_CONDITION = "4876876000013248002", "4876876000013248004"
EMAIL, OWNER = "4876876000016390103", "4876876000013248016"
EMAIL_LATER = "4876876000016390118"  # the scheduled group


def _lead(api, name: str) -> None:
    body = {"data": [{"Last_Name": name, "Company": "Big Co", "Annual_Revenue": 2_000_000}]}
    resp = api.post(LEADS, json=body)
    assert resp.status_code == 201, resp.json


def _set_clock(api, now: str) -> None:
    resp = api.put(CLOCK, json={"now": now})
    assert resp.status_code == 200, resp.json


def _usage(api, start: str, end: str) -> dict:
    resp = api.get(
        f"{RULES}/{HIGH_VALUE_LEAD}/actions/usage",
        query_string={"executed_from": start, "executed_till": end},
    )
    assert resp.status_code == 200, resp.json
    validate_response("workflow_rules", "getWorkflowRuleUsage", 200, resp.json)
    return resp.json["workflow_rules"][0]


def _counts(usage: dict) -> dict:
    """trigger_count, then per condition its usage_count and {action: (success, failure)}."""
    out: dict = {"trigger_count": usage["trigger_count"]}
    for cond in usage["conditions"]:
        actions = cond["instant_actions"]["actions"]
        for group in cond["scheduled_actions"]:
            actions = actions + [{**a, "id": f"{group['id']}/{a['id']}"} for a in group["actions"]]
        out[cond["id"]] = (
            cond["usage_count"],
            {a["id"]: (a["success_count"], a["failure_count"]) for a in actions},
        )
    return out


def _expected(fired: int, matched: int, emails: int, owners: int, later: int) -> dict:
    return {
        "trigger_count": fired,
        FIRST_CONDITION: (
            matched,
            {EMAIL: (emails, 0), OWNER: (owners, 0), f"{EMAIL_LATER}/{EMAIL}": (later, 0)},
        ),
        SECOND_CONDITION: (0, {"4876876000013248015": (0, 0)}),
    }


def test_the_range_selects_the_days_the_rule_ran(api):
    # The conftest clock: 2025-12-01 11:09 in Zylker's Asia/Kolkata.
    assert _counts(_usage(api, "2025-12-01", "2025-12-31")) == _expected(0, 0, 0, 0, 0)
    _lead(api, "First")  # Monday 2025-12-01; its scheduled e-mail is due on Wednesday 12-03
    _set_clock(api, "2025-12-11T11:00:00+05:30")  # the e-mail runs, and counts, on 12-03
    _lead(api, "Second")

    assert _counts(_usage(api, "2025-12-01", "2025-12-01")) == _expected(1, 1, 1, 1, 0)
    assert _counts(_usage(api, "2025-12-02", "2025-12-10")) == _expected(0, 0, 0, 0, 1)
    assert _counts(_usage(api, "2025-12-11", "2025-12-11")) == _expected(1, 1, 1, 1, 0)
    assert _counts(_usage(api, "2025-12-12", "2026-01-31")) == _expected(0, 0, 0, 0, 0)
    # The seed's history (3 firings, 2 matching the first condition) plus both of them.
    assert _counts(_usage(api, "2025-11-01", "2025-12-11")) == _expected(5, 4, 3, 4, 2)


def test_the_seeded_history_keeps_its_period_once_the_engine_counts(api):
    before = _counts(_usage(api, "2025-09-01", "2025-11-01"))
    assert before == _expected(3, 2, 1, 2, 1)
    _lead(api, "Now")  # the rule's last_executed_time moves to 2025-12-01
    assert _counts(_usage(api, "2025-09-01", "2025-11-01")) == before
    # Between the history's last day (11-14) and today: nothing ran.
    assert _counts(_usage(api, "2025-11-15", "2025-11-30")) == _expected(0, 0, 0, 0, 0)


def test_a_day_is_the_orgs_day(api):
    _set_clock(api, "2025-12-05T20:00:00Z")  # 2025-12-06 01:30 in Asia/Kolkata
    _lead(api, "Late")
    assert _usage(api, "2025-12-05", "2025-12-05")["trigger_count"] == 0
    assert _usage(api, "2025-12-06", "2025-12-06")["trigger_count"] == 1


def test_sent_emails_and_waiting_ones_in_the_email_metrics(api):
    _set_clock(api, "2025-12-15T10:00:00+05:30")
    _lead(api, "Mailed")
    usage = _usage(api, "2025-12-15", "2025-12-15")
    first = next(c for c in usage["conditions"] if c["id"] == FIRST_CONDITION)
    email = next(a for a in first["instant_actions"]["actions"] if a["id"] == EMAIL)
    assert email["related_details"] == {
        "bulk_mail": False, "sent_percentage": 100, "sent": 1, "delivered": 1, "unopened": 1,
        "opened": 0, "clicked": 0, "bounced": 0, "unsent": 0,
    }  # fmt: skip
    # The scheduled e-mail waits (queue_count): the present, whatever the range.
    (later,) = first["scheduled_actions"][0]["actions"]
    assert (later["success_count"], later["queue_count"]) == (0, 1)
    elsewhere = _usage(api, "2025-12-20", "2025-12-20")
    first = next(c for c in elsewhere["conditions"] if c["id"] == FIRST_CONDITION)
    assert first["scheduled_actions"][0]["actions"][0]["queue_count"] == 1
    assert first["instant_actions"]["actions"][0]["related_details"]["sent"] == 0


def test_day_counts_older_than_the_kept_days_are_dropped(org):
    from mockcrm.crm import usage

    rule = org.rules[HIGH_VALUE_LEAD]
    usage.day_counts(org, rule, "2024-10-26")  # 401 days before 2025-12-01
    usage.day_counts(org, rule, "2024-10-27")  # 400 days before: kept
    usage.day_counts(org, rule, "2025-12-01")
    assert sorted(org.usage[HIGH_VALUE_LEAD]["days"]) == ["2024-10-27", "2025-12-01"]
    org.engine["webhook_calls"] = {"2024-10-26": {"1": [1, "a"]}, "2024-10-27": {"1": [1, "a"]}}
    usage.webhook_called(org, "1", "a")  # the conftest clock: 2025-12-01
    assert sorted(org.engine["webhook_calls"]) == ["2024-10-27", "2025-12-01"]
