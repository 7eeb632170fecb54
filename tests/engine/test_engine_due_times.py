"""A clock moved past several due times runs each scheduled action and date trigger at its own
time, as Zoho would have run it then: its execution, the record it writes and what it queues
carry that time, so a chain of scheduled actions completes within one move."""

from __future__ import annotations

from typing import Any

from actions_helpers import create

RULES = "/crm/v8/settings/automation/workflow_rules"
DEALS = "/crm/v8/Deals"
DEALS_REF = {"api_name": "Deals", "id": "4876876000000002181"}
COMPETITOR_MAIL = "4876876000009610127"  # "Competitor Loss Report" (Deals)
NEXT_STEP_FINANCE = "4876876000009610064"  # sets Next_Step "Finance review of pricing"
CREATED = "2025-12-01T11:09:10+05:30"  # the conftest clock in Zylker's Asia/Kolkata


def _rule(api, name: str, execute_when: dict, later: list[dict], after: dict) -> str:
    body = {"workflow_rules": [{
        "name": name, "module": DEALS_REF, "execute_when": execute_when,
        "conditions": [{"sequence_number": 1, "criteria_details": {"criteria": None},
                        "instant_actions": {"actions": []},
                        "scheduled_actions": [{"execute_after": after, "actions": later}]}],
    }]}  # fmt: skip
    resp = api.post(RULES, json=body)
    assert resp.status_code == 201, resp.json
    return resp.json["workflow_rules"][0]["details"]["id"]


def _deal(api, **values: Any) -> str:
    body = {"data": [{"Deal_Name": "Due time test", "Stage": "Qualification", **values}]}
    resp = api.post(DEALS, json=body)
    assert resp.status_code == 201, resp.json
    return resp.json["data"][0]["details"]["id"]


def _advance(api, **units: int) -> list[dict]:
    resp = api.post("/__admin/clock/advance", json=units)
    assert resp.status_code == 200, resp.json
    return resp.json["ran"]


def _field_update_in_a_day(api) -> str:
    return _rule(
        api, "Finance review a day later", {"type": "create", "details": {}},
        [{"type": "field_updates", "id": NEXT_STEP_FINANCE}], {"period": "days", "unit": 1},
    )  # fmt: skip


def test_a_scheduled_action_runs_at_its_due_time_when_the_clock_jumps(api, org):
    rule = _field_update_in_a_day(api)
    deal = _deal(api)
    ran = [r for r in _advance(api, days=10) if r["rule"]["id"] == rule]
    assert [(r["time"], r["due"], r["scheduled"]) for r in ran] == [
        ("2025-12-02T11:09:10+05:30", "2025-12-02T11:09:10+05:30", True)
    ]
    record = api.get(f"{DEALS}/{deal}").json["data"][0]
    assert record["Next_Step"] == "Finance review of pricing"
    assert record["Modified_Time"] == "2025-12-02T11:09:10+05:30"
    stored = api.get(f"{RULES}/{rule}").json["workflow_rules"][0]
    assert stored["last_executed_time"] == "2025-12-02T11:09:10+05:30"
    clock = api.get("/__admin/clock").json
    assert clock["now"] == "2025-12-11T11:09:10+05:30"


def test_a_chain_of_scheduled_actions_completes_in_one_move(api, org):
    _field_update_in_a_day(api)
    # The field update's edit fires this rule at 12-02, which e-mails two hours later.
    follower = _rule(
        api, "Mail after the next step", {"type": "field_update", "details": {
            "criteria": {"field": {"api_name": "Next_Step"}, "comparator": "${ANYVALUE}"}}},
        [{"type": "email_notifications", "id": COMPETITOR_MAIL}], {"period": "hours", "unit": 2},
    )  # fmt: skip
    deal = _deal(api)
    ran = [r for r in _advance(api, days=3) if r["rule"]["id"] == follower]
    assert [(r["time"], r["scheduled"]) for r in ran] == [
        ("2025-12-02T11:09:10+05:30", False),  # fired by the cascade, at the update's time
        ("2025-12-02T13:09:10+05:30", True),  # its e-mail, two hours later
    ]
    (mail,) = [m for m in org.outbox if m["record"]["id"] == deal and m["rule"]["id"] == follower]
    assert mail["time"] == "2025-12-02T13:09:10+05:30"
    assert org.schedule == []


def test_a_date_trigger_fires_at_the_records_moment(api, org):
    rule = _rule(
        api, "A week before closing", {"type": "date_or_datetime", "details": {
            "field": {"api_name": "Closing_Date"}, "period": "days", "unit": -7,
            "execute_at": "09:30"}},
        [{"type": "field_updates", "id": NEXT_STEP_FINANCE}], {"period": "hours", "unit": 1},
    )  # fmt: skip
    deal = _deal(api, Closing_Date="2025-12-20")
    ran = [
        r for r in _advance(api, days=20) if (r["rule"]["id"], r["record"]["id"]) == (rule, deal)
    ]
    # Fired on 12-13 at 09:30 (not at the move's end, 12-21); its action ran an hour later.
    assert [(r["time"], r["scheduled"]) for r in ran] == [
        ("2025-12-13T09:30:00+05:30", False),
        ("2025-12-13T10:30:00+05:30", True),
    ]
    assert org.records["Deals"][deal]["Modified_Time"] == "2025-12-13T10:30:00+05:30"


def _closing_reminder(api) -> str:
    """A date rule: three days before Closing_Date, at 09:00; an hour later, tag the deal."""
    return _rule(
        api, "Three days before closing", {"type": "date_or_datetime", "details": {
            "field": {"api_name": "Closing_Date"}, "period": "days", "unit": -3,
            "execute_at": "09:00"}},
        [{"type": "add_tags", "details": {"tags": [{"name": "Priority"}]}}],
        {"period": "hours", "unit": 1},
    )  # fmt: skip


def _moves_closing_date_in_a_day(api, to: str) -> None:
    entity = create(
        api, "field_updates", name=f"Close on {to}", module=DEALS_REF, value=to,
        field={"api_name": "Closing_Date", "id": "4876876000000002505"},
    )  # fmt: skip
    _rule(
        api, f"Move closing to {to}", {"type": "create", "details": {}},
        [{"type": "field_updates", "id": entity}], {"period": "days", "unit": 1},
    )  # fmt: skip


def _reminded(org, rule: str, deal: str) -> list[tuple[str, bool]]:
    return [(e["time"], e["scheduled"]) for e in org.executions
            if (e["rule"]["id"], e["record"]["id"]) == (rule, deal)]  # fmt: skip


def test_a_date_a_scheduled_update_moves_into_the_move_fires_on_it(api, org):
    reminder = _closing_reminder(api)
    _moves_closing_date_in_a_day(api, "2025-12-08")  # runs 12-02: the reminder falls on 12-05
    deal = _deal(api, Closing_Date="2026-03-01")
    _advance(api, days=10)
    assert _reminded(org, reminder, deal) == [
        ("2025-12-05T09:00:00+05:30", False), ("2025-12-05T10:00:00+05:30", True)
    ]  # fmt: skip


def test_a_date_a_scheduled_update_moves_away_does_not_fire(api, org):
    reminder = _closing_reminder(api)
    _moves_closing_date_in_a_day(api, "2026-06-30")  # runs 12-02, before the 12-07 reminder
    deal = _deal(api, Closing_Date="2025-12-10")
    _advance(api, days=10)
    assert _reminded(org, reminder, deal) == []
    assert org.records["Deals"][deal]["Closing_Date"] == "2026-06-30"
