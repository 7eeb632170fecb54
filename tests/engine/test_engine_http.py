"""Issue 5 acceptance, through HTTP only: rules fire on record events, actions take effect,
scheduled actions run when the virtual clock passes them."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

RULES = "/crm/v8/settings/automation/workflow_rules"
DEALS = "/crm/v8/Deals"
ADMIN = "/__admin/orgs/default"
KAIZEN = json.loads((Path(__file__).parents[1] / "fixtures/kaizen_215_requests.json").read_text())
VP_ALERT = "4876876000016390024"
LOST_DEAL_TASK_SUBJECT = "Lost Deal - Feedback"


def _deal(api, **values) -> str:
    body = {
        "data": [
            {
                "Deal_Name": "Engine test deal",
                "Stage": "Qualification",
                "Closing_Date": "2026-03-31",
                **values,
            }
        ]
    }
    resp = api.post(DEALS, json=body)
    assert resp.status_code == 201, resp.json
    return resp.json["data"][0]["details"]["id"]


def _update(api, deal_id: str, trigger=None, **values):
    body: dict = {"data": [{"id": deal_id, **values}]}
    if trigger is not None:
        body["trigger"] = trigger
    resp = api.put(DEALS, json=body)
    assert resp.status_code == 200, resp.json
    return resp


def _tags(org, deal_id: str) -> list[str]:
    return [t["name"] for t in org.records["Deals"][deal_id].get("Tag") or []]


def _mine(api, kind: str, rule_id: str, deal_id: str) -> list[dict]:
    resp = api.get(f"{ADMIN}/{kind}", query_string={"rule_id": rule_id, "record_id": deal_id})
    assert resp.status_code == 200, resp.json
    return resp.json[kind]


def _advance(api, **units) -> list[dict]:
    resp = api.post("/__admin/clock/advance", json=units)
    assert resp.status_code == 200, resp.json
    return resp.json["ran"]


@pytest.fixture
def lost_deal_rule(api) -> str:
    resp = api.post(RULES, json=KAIZEN["step6_post"])
    assert resp.status_code == 201
    return resp.json["workflow_rules"][0]["details"]["id"]


def test_lost_on_price_tags_mails_and_schedules_the_feedback_task(api, org, lost_deal_rule):
    deal = _deal(api, Amount=45000, Stage="Negotiation/Review")
    _update(api, deal, Stage="Closed Lost", Reason_For_Loss__s="Price")

    assert {"Lost due to Pricing", "Re-engagement pending"} <= set(_tags(org, deal))
    (mail,) = _mine(api, "outbox", lost_deal_rule, deal)
    assert mail["type"] == "email" and mail["action"]["name"] == "Deal Lost Alert"
    (run,) = _mine(api, "executions", lost_deal_rule, deal)
    assert run["condition"]["sequence_number"] == 1
    assert {a["status"] for a in run["actions"]} == {"success"}
    (queued,) = run["queued"]
    assert queued["actions"][0]["name"] == LOST_DEAL_TASK_SUBJECT
    tasks_now = _feedback_tasks(org, deal)  # the instant task action creates one at once
    assert len(tasks_now) == 1

    # 30 business days after Monday 2025-12-01, holidays and weekends skipped: 29 run nothing.
    ran = [r for r in _advance(api, business_days=29) if r["rule"]["id"] == lost_deal_rule]
    assert ran == [] and len(_feedback_tasks(org, deal)) == 1
    ran = [r for r in _advance(api, business_days=1) if r["rule"]["id"] == lost_deal_rule]
    assert [r["scheduled"] for r in ran] == [True]
    assert len(_feedback_tasks(org, deal)) == 2

    rule = api.get(f"{RULES}/{lost_deal_rule}").json["workflow_rules"][0]
    assert rule["last_executed_time"] is not None
    usage = api.get(
        f"{RULES}/{lost_deal_rule}/actions/usage",
        query_string={"executed_from": "2025-12-01", "executed_till": "2026-01-31"},
    )
    body = usage.json["workflow_rules"][0]
    assert body["trigger_count"] == 1 and body["conditions"][0]["usage_count"] == 1
    scheduled = body["conditions"][0]["scheduled_actions"][0]["actions"][0]
    assert scheduled["success_count"] == 1 and scheduled["failure_count"] == 0


def _feedback_tasks(org, deal_id: str) -> list[dict]:
    return [
        t
        for t in org.records.get("Tasks", {}).values()
        if t.get("Subject") == LOST_DEAL_TASK_SUBJECT
        and (t.get("What_Id") or {}).get("id") == deal_id
    ]


@pytest.mark.parametrize(("amount", "reason"), [(25000, "Price"), (45000, "Competition")])
def test_small_or_other_reason_losses_fire_nothing(api, org, lost_deal_rule, amount, reason):
    deal = _deal(api, Amount=amount, Stage="Negotiation/Review")
    _update(api, deal, Stage="Closed Lost", Reason_For_Loss__s=reason)
    assert not {"Lost due to Pricing", "Re-engagement pending"} & set(_tags(org, deal))
    assert _mine(api, "outbox", lost_deal_rule, deal) == []
    runs = _mine(api, "executions", lost_deal_rule, deal)
    assert all(r["condition"] is None and r["actions"] == [] for r in runs)
    assert not [e for e in org.schedule if e["rule_id"] == lost_deal_rule]


def test_empty_trigger_array_fires_nothing(api, org, lost_deal_rule):
    deal = _deal(api, Amount=45000, Stage="Negotiation/Review")
    runs, tags = len(org.executions), _tags(org, deal)
    _update(api, deal, trigger=[], Stage="Closed Lost", Reason_For_Loss__s="Price")
    assert _mine(api, "executions", lost_deal_rule, deal) == []
    assert len(org.executions) == runs and _tags(org, deal) == tags  # no rule at all ran


def test_updated_vp_alert_fires_for_qualifying_deals_only(api, org):
    assert api.put(f"{RULES}/{VP_ALERT}", json=KAIZEN["step5_put"]).status_code == 200
    big = _deal(api, Amount=350000, Stage="Negotiation/Review")
    small = _deal(api, Amount=200000, Stage="Negotiation/Review")
    (run,) = _mine(api, "executions", VP_ALERT, big)
    assert [a["type"] for a in run["actions"]] == ["email_notifications", "tasks", "add_tags"]
    assert {a["status"] for a in run["actions"]} == {"success"}
    assert "Priority" in _tags(org, big)
    assert len(_mine(api, "outbox", VP_ALERT, big)) == 1
    assert all(r["condition"] is None for r in _mine(api, "executions", VP_ALERT, small))
    assert _mine(api, "outbox", VP_ALERT, small) == [] and "Priority" not in _tags(org, small)
    # create_or_edit without repeat: an edit of a deal that already fired does not fire again
    _update(api, big, Description="edited")
    assert len([r for r in _mine(api, "executions", VP_ALERT, big) if r["condition"]]) == 1


def test_deleting_or_deactivating_a_rule_drops_its_queue(api, org, lost_deal_rule):
    deal = _deal(api, Amount=45000, Stage="Negotiation/Review")
    _update(api, deal, Stage="Closed Lost", Reason_For_Loss__s="Price")
    assert [e for e in org.schedule if e["rule_id"] == lost_deal_rule]
    body = {"workflow_rules": [{"status": {"active": False, "delete_schedule_action": True}}]}
    assert api.put(f"{RULES}/{lost_deal_rule}", json=body).status_code == 200
    assert not [e for e in org.schedule if e["rule_id"] == lost_deal_rule]
    assert api.get(f"{ADMIN}/schedule").json["schedule"] == [e for e in org.schedule]


def _ticking(org, monkeypatch) -> None:
    """The org's clock moves on a second at every read."""
    reads, clock_now = [], org.clock.now

    def ticking() -> datetime:
        reads.append(1)
        return clock_now() + timedelta(seconds=len(reads))

    monkeypatch.setattr(org.clock, "now", ticking)


def test_every_rule_one_record_event_fires_runs_at_one_instant(api, org, monkeypatch):
    """A clock that moves a second at every read: the rules, e-mails and queued actions of one
    record event are still stamped with one time, the time the engine started."""
    _ticking(org, monkeypatch)
    deal = _deal(api, Stage="Closed Won", Amount=250000, Type="New Business")
    executions = [e for e in org.executions if e["record"]["id"] == deal]
    outbox = [m for m in org.outbox if m["record"]["id"] == deal]
    queued = [e for e in org.schedule if e["record_id"] == deal]
    assert len(executions) > 3 and outbox and queued
    instant = executions[0]["time"]
    assert {e["time"] for e in executions} == {instant}
    assert {m["time"] for m in outbox} == {instant}
    assert {e["queued_at"] for e in queued} == {instant}
    # and the records it writes: the deal's field updates
    assert org.records["Deals"][deal]["Modified_Time"] == instant
    # and the clock is read again once the engine is done
    assert org.now() != instant


def test_the_scheduled_actions_one_clock_move_runs_run_at_one_instant(api, org, monkeypatch):
    deals = [_deal(api, Amount=50000 + n, Type="New Business") for n in range(3)]
    _ticking(org, monkeypatch)
    ran = [r for r in _advance(api, days=3) if r["scheduled"] and r["record"]["id"] in deals]
    assert {r["record"]["id"] for r in ran} == set(deals)
    assert len({r["time"] for r in ran}) == 1


@pytest.mark.parametrize("kind", ["executions", "outbox", "schedule"])
def test_engine_logs_take_a_limit_of_the_newest(api, org, lost_deal_rule, kind):
    """`limit` keeps the newest N of what the filters keep, still oldest first (the dashboard's
    Activity page shows the latest 50 without downloading 10,000)."""
    for _ in range(3):
        deal = _deal(api, Amount=45000, Stage="Negotiation/Review")
        _update(api, deal, Stage="Closed Lost", Reason_For_Loss__s="Price")
    everything = api.get(f"{ADMIN}/{kind}").json[kind]
    assert len(everything) >= 3
    resp = api.get(f"{ADMIN}/{kind}", query_string={"limit": "2"})
    assert resp.status_code == 200 and resp.json == {kind: everything[-2:]}
    for bad in ("0", "-1", "x", "²"):
        resp = api.get(f"{ADMIN}/{kind}", query_string={"limit": bad})
        assert resp.status_code == 400
        assert resp.json == {
            "code": "INVALID_DATA",
            "details": {"param_name": "limit"},
            "message": "The value provided to the param is Invalid",
            "status": "error",
        }


def test_engine_work_a_get_runs_marks_the_state_changed(api, org, store, lost_deal_rule):
    """Scheduled actions a GET makes run change the org: the state-file saver must see it (it
    saved only after writes, so a restart ran them again)."""
    deal = _deal(api, Amount=45000, Stage="Negotiation/Review")
    _update(api, deal, Stage="Closed Lost", Reason_For_Loss__s="Price")
    assert org.schedule
    before = store.generation
    api.get(DEALS)  # nothing due yet
    assert store.generation == before
    org.clock.advance(timedelta(days=60))
    api.get(DEALS)
    assert org.schedule == [] and store.generation > before
