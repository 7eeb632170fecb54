"""What the business hours and holidays APIs store drives the engine's business-day arithmetic at
the next event: calendar.py caches the org's business time, and an API change must not be
hidden by that cache. Kaizen 215's lost-deal rule queues its feedback task 30 business days
after the loss and its instant task is due 2 business days after it (Monday 2025-12-01)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

RULES = "/crm/v8/settings/automation/workflow_rules"
DEALS = "/crm/v8/Deals"
BH = "/crm/v8/settings/business_hours"
HOLIDAYS = "/crm/v8/settings/holidays"
KAIZEN = json.loads((Path(__file__).parents[1] / "fixtures/kaizen_215_requests.json").read_text())
TASK = "Lost Deal - Feedback"


@pytest.fixture
def lost_deal_rule(api) -> str:
    resp = api.post(RULES, json=KAIZEN["step6_post"])
    assert resp.status_code == 201, resp.json
    return resp.json["workflow_rules"][0]["details"]["id"]


def _lose_a_deal(api, org, rule_id: str) -> tuple[str, str]:
    """A deal lost on price now: (the queued feedback task's due time, the instant task's
    Due_Date)."""
    body = {"data": [{"Deal_Name": "Calendar deal", "Stage": "Negotiation/Review",
                      "Amount": 45000, "Closing_Date": "2026-03-31"}]}  # fmt: skip
    resp = api.post(DEALS, json=body)
    assert resp.status_code == 201, resp.json
    deal = resp.json["data"][0]["details"]["id"]
    lost = {"data": [{"id": deal, "Stage": "Closed Lost", "Reason_For_Loss__s": "Price"}]}
    assert api.put(DEALS, json=lost).status_code == 200
    (queued,) = [e for e in org.schedule if e["rule_id"] == rule_id and e["record_id"] == deal]
    (task,) = [
        t
        for t in org.records["Tasks"].values()
        if t.get("Subject") == TASK and (t.get("What_Id") or {}).get("id") == deal
    ]
    return queued["due"], task["Due_Date"]


def test_a_holiday_added_through_the_api_is_skipped_at_the_next_event(api, org, lost_deal_rule):
    # The first event fills calendar.py's cache with the seed's holidays.
    assert _lose_a_deal(api, org, lost_deal_rule) == ("2026-01-14T11:09:10+05:30", "2025-12-03")
    body = {
        "holidays": [
            {"name": "Foundation Day", "date": "2025-12-02", "type": "business_holiday"},
            {"name": "Offsite", "date": "2026-01-13", "type": "business_holiday"},
        ]
    }
    resp = api.post(HOLIDAYS, json=body)
    assert resp.status_code == 201, resp.json
    # Both dates are business days in the window: each moves one business day on.
    assert _lose_a_deal(api, org, lost_deal_rule) == ("2026-01-16T11:09:10+05:30", "2025-12-04")
    # Deleting one through the API brings it back at once too.
    offsite = resp.json["holidays"][1]["details"]["id"]
    assert api.delete(f"{HOLIDAYS}/{offsite}").status_code == 200
    assert _lose_a_deal(api, org, lost_deal_rule) == ("2026-01-15T11:09:10+05:30", "2025-12-04")


def test_a_holiday_moved_through_the_api_moves_the_due_date(api, org, lost_deal_rule):
    resp = api.post(HOLIDAYS, json={"holidays": [{"name": "Offsite", "date": "2026-01-13",
                                                  "type": "business_holiday"}]})  # fmt: skip
    offsite = resp.json["holidays"][0]["details"]["id"]
    assert _lose_a_deal(api, org, lost_deal_rule)[0] == "2026-01-15T11:09:10+05:30"
    moved = {"holidays": [{"date": "2026-01-20"}]}  # after the due date: no longer counts
    assert api.put(f"{HOLIDAYS}/{offsite}", json=moved).status_code == 200
    assert _lose_a_deal(api, org, lost_deal_rule)[0] == "2026-01-14T11:09:10+05:30"


def test_business_hours_changed_through_the_api_move_the_next_due_date(api, org, lost_deal_rule):
    assert _lose_a_deal(api, org, lost_deal_rule)[0] == "2026-01-14T11:09:10+05:30"
    # Every day a business day (holidays still skipped): 30 days on, minus none of the
    # weekends, plus the three holidays in the window (Dec 25, Jan 1, Jan 26 is after it).
    assert api.put(BH, json={"business_hours": {"type": "24_by_7"}}).status_code == 200
    assert _lose_a_deal(api, org, lost_deal_rule)[0] == "2026-01-02T11:09:10+05:30"
    # Back to Monday-Friday with hours that end before the loss's time of day (11:09): the
    # count starts from the next opening, Tuesday 08:00, and lands at the opening.
    hours = {"business_hours": {"type": "custom", "business_days": ["Monday", "Tuesday",
             "Wednesday", "Thursday", "Friday"], "daily_timing": ["08:00", "11:00"]}}  # fmt: skip
    assert api.put(BH, json=hours).status_code == 200
    assert _lose_a_deal(api, org, lost_deal_rule)[0] == "2026-01-15T08:00:00+05:30"
