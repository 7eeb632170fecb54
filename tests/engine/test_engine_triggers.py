"""Trigger semantics through HTTP: date triggers on the clock, delete, field_update with and
without repeat, and the one-level cascade of field updates."""

from __future__ import annotations

from typing import Any

RULES = "/crm/v8/settings/automation/workflow_rules"
DEALS = "/crm/v8/Deals"
DEALS_REF = {"api_name": "Deals", "id": "4876876000000002181"}
COMPETITOR_MAIL = "4876876000009610127"  # "Competitor Loss Report" (Deals)
NEXT_STEP_FINANCE = "4876876000009610064"  # sets Next_Step "Finance review of pricing"


def _rule(api, name: str, execute_when: dict, actions: list[dict], criteria: Any = None) -> str:
    body = {"workflow_rules": [{
        "name": name, "module": DEALS_REF, "execute_when": execute_when,
        "conditions": [{"sequence_number": 1, "criteria_details": {"criteria": criteria},
                        "instant_actions": {"actions": actions}}],
    }]}  # fmt: skip
    resp = api.post(RULES, json=body)
    assert resp.status_code == 201, resp.json
    return resp.json["workflow_rules"][0]["details"]["id"]


def _tag(name: str) -> dict:
    return {"type": "add_tags", "details": {"tags": [{"name": name}]}}


def _deal(api, **values) -> str:
    body = {"data": [{"Deal_Name": "Trigger test", "Stage": "Qualification", **values}]}
    resp = api.post(DEALS, json=body)
    assert resp.status_code == 201, resp.json
    return resp.json["data"][0]["details"]["id"]


def _runs(org, rule_id: str, record_id: str) -> list[dict]:
    return [
        e for e in org.executions
        if e["rule"]["id"] == rule_id and e["record"]["id"] == record_id and e["condition"]
    ]  # fmt: skip


def _advance(api, **units) -> list[tuple[str, str]]:
    """(rule id, record id) of everything the clock move ran."""
    resp = api.post("/__admin/clock/advance", json=units)
    assert resp.status_code == 200
    return [(r["rule"]["id"], r["record"]["id"]) for r in resp.json["ran"]]


def test_date_trigger_fires_once_when_the_clock_passes_the_offset(api, org):
    rule = _rule(api, "Closing in a week", {"type": "date_or_datetime", "details": {
        "field": {"api_name": "Closing_Date"}, "period": "days", "unit": -7}},
        [_tag("Priority")])  # fmt: skip
    deal = _deal(api, Closing_Date="2025-12-20")  # fires at 2025-12-13 00:00 IST
    assert (rule, deal) not in _advance(api, days=11)  # 2025-12-12 11:09
    assert _runs(org, rule, deal) == []
    assert (rule, deal) in _advance(api, days=1)  # 2025-12-13 11:09
    assert [t["name"] for t in org.records["Deals"][deal]["Tag"]] == ["Priority"]
    assert (rule, deal) not in _advance(api, days=30)
    assert len(_runs(org, rule, deal)) == 1


def test_delete_trigger_mails_about_the_deleted_record(api, org):
    rule = _rule(api, "Deal removed", {"type": "delete"},
                 [{"type": "email_notifications", "id": COMPETITOR_MAIL}])  # fmt: skip
    deal = _deal(api)
    assert api.delete(f"{DEALS}/{deal}").status_code == 200
    (mail,) = [m for m in org.outbox if m["rule"]["id"] == rule]
    assert mail["record"] == {"module": "Deals", "id": deal} and mail["type"] == "email"
    assert _runs(org, rule, deal)[0]["event"] == "delete"


def _won_rule(api, repeat: bool) -> str:
    return _rule(api, f"Won repeat={repeat}", {"type": "field_update", "details": {
        "criteria": {"field": {"api_name": "Stage"}, "comparator": "equal", "value": "Closed Won"},
        "repeat": repeat}}, [_tag("Priority")])  # fmt: skip


def test_field_update_fires_on_the_change_and_once_without_repeat(api, org):
    once, every = _won_rule(api, False), _won_rule(api, True)
    deal = _deal(api)
    api.put(DEALS, json={"data": [{"id": deal, "Description": "not the stage"}]})
    assert _runs(org, once, deal) == [] and _runs(org, every, deal) == []
    for stage in ("Closed Won", "Qualification", "Closed Won"):
        api.put(DEALS, json={"data": [{"id": deal, "Stage": stage}]})
    assert len(_runs(org, once, deal)) == 1
    assert len(_runs(org, every, deal)) == 2


def test_field_updates_cascade_one_level(api, org):
    setter = _rule(api, "Won sets next step", {"type": "field_update", "details": {
        "criteria": {"field": {"api_name": "Stage"}, "comparator": "equal", "value": "Closed Won"},
        "repeat": True}}, [{"type": "field_updates", "id": NEXT_STEP_FINANCE}])  # fmt: skip
    follower = _rule(api, "Next step changed", {"type": "field_update", "details": {
        "criteria": {"field": {"api_name": "Next_Step"}, "comparator": "${ANYVALUE}"},
        "repeat": True}}, [_tag("Finance Review")])  # fmt: skip
    deal = _deal(api)
    api.put(DEALS, json={"data": [{"id": deal, "Stage": "Closed Won"}]})
    assert org.records["Deals"][deal]["Next_Step"] == "Finance review of pricing"
    assert len(_runs(org, setter, deal)) == 1
    assert len(_runs(org, follower, deal)) == 1  # fired by the setter's field update
    assert "Finance Review" in [t["name"] for t in org.records["Deals"][deal]["Tag"]]


def test_a_running_clock_scans_dates_once_per_step_and_keeps_the_window(org):
    from datetime import timedelta

    from mockcrm.crm import engine_clock

    engine_clock.run_due(org)
    horizon = org.engine["scanned_until"]
    org.clock.advance(timedelta(milliseconds=400))
    engine_clock.run_due(org)
    assert org.engine["scanned_until"] == horizon  # within the step: no record scan
    org.clock.advance(timedelta(milliseconds=700))
    engine_clock.run_due(org)
    assert org.engine["scanned_until"] == org.clock.now().isoformat()  # scanned since horizon


def _note(api, deal: str, v8: bool = False) -> str:
    """A note on the deal: its parent named by `$se_module`, or (`v8`) inside `Parent_Id`, as
    Zoho's v8 notes example sends it."""
    parent = (
        {"Parent_Id": {"module": DEALS_REF, "id": deal}}
        if v8
        else {"Parent_Id": {"id": deal}, "$se_module": "Deals"}
    )
    body = {"data": [{"Note_Title": "Call notes", "Note_Content": "Discussed pricing", **parent}]}
    resp = api.post("/crm/v8/Notes", json=body)
    assert resp.status_code == 201, resp.json
    return resp.json["data"][0]["details"]["id"]


def _names(org, deal: str) -> list[str]:
    return [t["name"] for t in org.records["Deals"][deal].get("Tag") or []]


def test_a_note_fires_its_parents_rules_triggered_by_notes(api, org):
    """A Deals rule triggered by Notes fires when a note is added to a deal: the deal's record
    is the one its criteria read and its actions change; the deal's own rules do not fire."""
    notes = {"api_name": "Notes", "id": org.modules["Notes"]["id"]}
    open_deal = {"field": {"api_name": "Stage"}, "comparator": "equal", "value": "Qualification"}
    on_note = _rule(api, "On a note", {"type": "create", "details": {"trigger_module": notes}},
                    [_tag("Stalled")], open_deal)  # fmt: skip
    own = _rule(api, "On a deal", {"type": "create"}, [_tag("Priority")])
    deal = _deal(api)
    assert _names(org, deal) == ["Priority"] and _runs(org, on_note, deal) == []
    note = _note(api, deal)
    assert _names(org, deal) == ["Priority", "Stalled"]
    (run,) = _runs(org, on_note, deal)
    assert run["event"] == "create" and run["record"] == {"module": "Deals", "id": deal}
    assert run["related_record"] == {"module": "Notes", "id": note}
    assert len(_runs(org, own, deal)) == 1  # the deal's own create rule: not for a note
    # The criteria read the deal: a note on a won deal fires the rule, and no condition matches.
    won = _deal(api, Stage="Closed Won")
    _note(api, won)
    (unmatched,) = [
        e for e in org.executions if e["rule"]["id"] == on_note and e["record"]["id"] == won
    ]
    assert unmatched["condition"] is None and "Stalled" not in _names(org, won)


def test_note_edits_and_deletes_fire_the_parents_note_rules(api, org):
    notes = {"api_name": "Notes", "id": org.modules["Notes"]["id"]}
    edited = _rule(api, "Note edited", {"type": "edit", "details": {"trigger_module": notes,
                   "repeat": True}}, [_tag("Finance Review")])  # fmt: skip
    deleted = _rule(api, "Note deleted", {"type": "delete", "details": {"trigger_module": notes}},
                    [{"type": "email_notifications", "id": COMPETITOR_MAIL}])  # fmt: skip
    deal = _deal(api)
    note = _note(api, deal, v8=True)
    assert _runs(org, edited, deal) == [] and _runs(org, deleted, deal) == []
    resp = api.put(f"/crm/v8/Notes/{note}", json={"data": [{"Note_Content": "Price agreed"}]})
    assert resp.status_code == 200, resp.json
    assert [r["event"] for r in _runs(org, edited, deal)] == ["edit"]
    assert "Finance Review" in _names(org, deal)
    assert api.delete(f"/crm/v8/Notes/{note}").status_code == 200
    (run,) = _runs(org, deleted, deal)
    assert run["event"] == "delete" and run["related_record"] == {"module": "Notes", "id": note}
    assert [m["record"]["id"] for m in org.outbox if m["rule"]["id"] == deleted] == [deal]


def test_add_tags_action_past_ten_tags_on_the_record_fails_and_changes_nothing(api, org):
    """A record holds at most 10 tags (the records API's limit): an add_tags action that would
    pass it is a failed action, logged with its reason, and the record keeps its tags."""
    ten = [{"name": f"t{n}"} for n in range(10)]
    deal = _deal(api, Tag=ten)
    rule = _rule(api, "Eleventh tag", {"type": "edit", "details": {"repeat": True}},
                 [_tag("Stalled")])  # fmt: skip
    resp = api.put(f"{DEALS}/{deal}", json={"data": [{"Amount": 5}]})
    assert resp.status_code == 200, resp.json
    (run,) = _runs(org, rule, deal)
    (action,) = run["actions"]
    assert action["status"] == "failure"
    assert action["detail"] == {
        "reason": "limit exceeded", "api_name": "Tag", "maximum_length": 10
    }  # fmt: skip
    assert [t["name"] for t in org.records["Deals"][deal]["Tag"]] == [t["name"] for t in ten]
