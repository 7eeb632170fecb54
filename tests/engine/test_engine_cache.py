"""The engine's caches never serve a stale answer: compiled criteria, the per-module list of
candidate rules and the run-once marks follow every change made through the API (edit,
deactivate, delete, reorder, create, state import), the execution log and outbox stay capped,
and run_due (on every request) does not scan the schedule while nothing is due."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from mockcrm.crm import engine, engine_clock, engine_plans, records

RULES = "/crm/v8/settings/automation/workflow_rules"
DEALS = "/crm/v8/Deals"
DEALS_REF = {"api_name": "Deals", "id": "4876876000000002181"}
COMPETITOR_MAIL = "4876876000009610127"  # "Competitor Loss Report" (Deals)
NEXT_STEP_FINANCE = "4876876000009610064"  # sets Next_Step "Finance review of pricing"
FIELD_UPDATES = "/crm/v8/settings/automation/field_updates"


def _stage(value: str) -> dict:
    return {"field": {"api_name": "Stage"}, "comparator": "equal", "value": value}


def _rule(api, name: str, criteria: Any, execute_when: dict | None = None) -> str:
    body = {"workflow_rules": [{
        "name": name, "module": DEALS_REF,
        "execute_when": execute_when or {"type": "create"},
        "conditions": [{"sequence_number": 1, "criteria_details": {"criteria": criteria},
                        "instant_actions": {"actions": [
                            {"type": "add_tags", "details": {"tags": [{"name": "Priority"}]}}]}}],
    }]}  # fmt: skip
    resp = api.post(RULES, json=body)
    assert resp.status_code == 201, resp.json
    return resp.json["workflow_rules"][0]["details"]["id"]


def _put(api, rule_id: str, rule: dict) -> None:
    resp = api.put(f"{RULES}/{rule_id}", json={"workflow_rules": [rule]})
    assert resp.status_code == 200, resp.json


def _deal(api, **values) -> str:
    body = {"data": [{"Deal_Name": "Cache test", "Stage": "Qualification", **values}]}
    resp = api.post(DEALS, json=body)
    assert resp.status_code == 201, resp.json
    return resp.json["data"][0]["details"]["id"]


def _matched(org, rule_id: str, record_id: str) -> bool:
    runs = [
        e for e in org.executions if (e["rule"]["id"], e["record"]["id"]) == (rule_id, record_id)
    ]
    assert len(runs) <= 1
    return bool(runs) and runs[0]["condition"] is not None


def _fired(org, rule_id: str, record_id: str) -> bool:
    return any((e["rule"]["id"], e["record"]["id"]) == (rule_id, record_id) for e in org.executions)


# --- compiled criteria follow rule edits ---------------------------------------------------


def test_an_edited_condition_is_evaluated_with_its_new_criteria_right_after(api, org):
    rule = _rule(api, "Qualified deals", _stage("Qualification"))
    first = _deal(api, Stage="Qualification")
    assert _matched(org, rule, first)  # compiled and cached by this event
    cid = org.rules[rule]["conditions"][0]["id"]
    _put(api, rule, {"conditions": [
        {"id": cid, "criteria_details": {"criteria": _stage("Needs Analysis")}}]})  # fmt: skip
    second = _deal(api, Stage="Qualification")
    assert _fired(org, rule, second) and not _matched(org, rule, second)
    third = _deal(api, Stage="Needs Analysis")
    assert _matched(org, rule, third)


def test_an_added_condition_and_a_resequenced_one_are_used_right_after(api, org):
    rule = _rule(api, "Two conditions", _stage("Qualification"))
    assert _matched(org, rule, _deal(api, Stage="Qualification"))
    cid = org.rules[rule]["conditions"][0]["id"]
    tag = {"type": "add_tags", "details": {"tags": [{"name": "Stalled"}]}}
    _put(api, rule, {"conditions": [
        {"id": cid, "sequence_number": 2},
        {"sequence_number": 1, "criteria_details": {"criteria": {
            "field": {"api_name": "Deal_Name"}, "comparator": "equal", "value": "Cache test"}},
         "instant_actions": {"actions": [tag]}},
    ]})  # fmt: skip
    deal = _deal(api, Stage="Qualification")
    (run,) = [e for e in org.executions if e["rule"]["id"] == rule and e["record"]["id"] == deal]
    assert run["condition"]["id"] != cid and run["condition"]["sequence_number"] == 1
    assert [t["name"] for t in org.records["Deals"][deal]["Tag"]] == ["Stalled"]


def test_an_edited_field_update_trigger_watches_its_new_criteria_right_after(api, org):
    won = {"type": "field_update", "details": {"criteria": _stage("Closed Won"), "repeat": True}}
    rule = _rule(api, "Stage watch", None, won)
    deal = _deal(api)
    api.put(DEALS, json={"data": [{"id": deal, "Stage": "Closed Won"}]})
    assert _matched(org, rule, deal)
    lost = {"type": "field_update", "details": {"criteria": _stage("Closed Lost"), "repeat": True}}
    _put(api, rule, {"execute_when": lost})
    other = _deal(api)
    api.put(DEALS, json={"data": [{"id": other, "Stage": "Closed Won"}]})
    assert not _fired(org, rule, other)
    api.put(DEALS, json={"data": [{"id": other, "Stage": "Closed Lost"}]})
    assert _matched(org, rule, other)


# --- the candidate rules follow activation, deletion, creation and reordering --------------


def test_an_edited_field_update_writes_its_new_value_right_after(api, org):
    """The field update's plan (its typed values, engine_actions.FieldUpdatePlan) follows an
    edit through the API and an edit in place of the stored entity."""
    rule = _rule(api, "Next step on create", None)
    _put(api, rule, {"conditions": [{"id": org.rules[rule]["conditions"][0]["id"],
                     "instant_actions": {"actions": [{"type": "field_updates",
                                                      "id": NEXT_STEP_FINANCE}]}}]})  # fmt: skip
    first = _deal(api)
    assert org.records["Deals"][first]["Next_Step"] == "Finance review of pricing"
    resp = api.put(f"{FIELD_UPDATES}/{NEXT_STEP_FINANCE}",
                   json={"field_updates": [{"value": "Legal review"}]})  # fmt: skip
    assert resp.status_code == 200, resp.json
    second = _deal(api)
    assert org.records["Deals"][second]["Next_Step"] == "Legal review"
    org.entities["field_updates"][NEXT_STEP_FINANCE]["value"] = "Board review"
    third = _deal(api, Next_Step="Board review")  # already holds it: a write of nothing
    [run] = [e for e in org.executions if (e["rule"]["id"], e["record"]["id"]) == (rule, third)]
    assert [a["detail"] for a in run["actions"] if a["type"] == "field_updates"] == [
        {"updated": {}}
    ]
    fourth = _deal(api)
    assert org.records["Deals"][fourth]["Next_Step"] == "Board review"
    assert org.records["Deals"][first]["Next_Step"] == "Finance review of pricing"


def test_a_field_update_s_planned_value_is_never_shared_with_a_record(api, org):
    """The entity's values are typed once (its plan) and each write gets a copy: a value the
    records API keeps as sent (a subform's rows) is never shared by two records or with the
    entity."""
    text = next(f for f in org.fields["Deals"] if f["api_name"] == "Next_Step")
    lines = {**text, "id": "4876876000099000041", "api_name": "Lines", "data_type": "subform"}
    org.fields["Deals"] = [*org.fields["Deals"], lines]
    rows = [{"Product": "Zylker Cloud", "Quantity": 2}]
    entity = {**org.entities["field_updates"][NEXT_STEP_FINANCE], "id": "4876876000099000031",
              "field": {"api_name": "Lines"}, "value": rows}  # fmt: skip
    org.entities["field_updates"][entity["id"]] = entity
    rule = _rule(api, "Lines on create", None)
    org.rules[rule]["conditions"][0]["instant_actions"]["actions"] = [
        {"type": "field_updates", "id": entity["id"], "name": entity["name"]}
    ]
    first, second = _deal(api), _deal(api)
    deals = org.records["Deals"]
    assert deals[first]["Lines"] == deals[second]["Lines"] == rows
    deals[first]["Lines"][0]["Quantity"] = 5
    assert deals[second]["Lines"] == [{"Product": "Zylker Cloud", "Quantity": 2}]
    assert entity["value"] == [{"Product": "Zylker Cloud", "Quantity": 2}]


def test_deactivated_deleted_and_new_rules_take_effect_at_the_next_event(api, org):
    kept = _rule(api, "Kept", None)
    paused = _rule(api, "Paused", None)
    removed = _rule(api, "Removed", None)
    first = _deal(api)
    assert all(_matched(org, r, first) for r in (kept, paused, removed))
    _put(api, paused, {"status": {"active": False}})
    assert api.delete(f"{RULES}/{removed}").status_code == 200
    added = _rule(api, "Added", None)
    second = _deal(api)
    assert _matched(org, kept, second) and _matched(org, added, second)
    assert not _fired(org, paused, second) and not _fired(org, removed, second)
    _put(api, paused, {"status": {"active": True}})
    assert _matched(org, paused, _deal(api))


def test_reordered_rules_run_in_their_new_order_at_the_next_event(api, org):
    first, second = _rule(api, "First", None), _rule(api, "Second", None)

    def order(deal: str) -> list[str]:
        mine = (first, second)
        return [e["rule"]["id"] for e in org.executions
                if e["record"]["id"] == deal and e["rule"]["id"] in mine]  # fmt: skip

    assert order(_deal(api)) == [first, second]
    move = {"reorder": {"workflow_rules": [{"id": second, "module_specific_sequence": 1}]}}
    resp = api.put(f"{RULES}/actions/reorder", query_string={"module": "Deals"}, json=move)
    assert resp.status_code == 200, resp.json
    assert order(_deal(api)) == [second, first]


# --- run-once marks ------------------------------------------------------------------------


def test_run_once_marks_survive_a_state_import(api, org, store):
    once = {"type": "create_or_edit", "details": {"repeat": False}}
    rule = _rule(api, "Once per deal", None, once)
    deal = _deal(api)
    assert _matched(org, rule, deal)
    live = store.import_state(org.id, store.export_state(org.id))  # new objects, same marks
    api.put(DEALS, json={"data": [{"id": deal, "Description": "edited"}]})
    assert [e for e in live.executions if e["rule"]["id"] == rule and e["event"] == "edit"] == []
    again = _deal(api)
    assert _matched(live, rule, again)


def test_run_once_marks_edited_in_place_are_honoured(org):
    rule_id = next(r for r in org.rule_order["Deals"] if org.rules[r]["status"]["active"])
    rule = org.rules[rule_id]
    assert engine_plans.fired_before(org, rule, "record-1") is False
    assert engine_plans.fired_before(org, rule, "record-1") is True
    org.engine["fired"][rule_id].clear()  # the marks list itself changed: its index follows
    assert engine_plans.fired_before(org, rule, "record-1") is False


# --- capped logs -----------------------------------------------------------------------------


def test_executions_and_outbox_are_capped_when_the_engine_returns(api, org, monkeypatch):
    monkeypatch.setattr(engine, "MAX_EXECUTIONS", 5)
    monkeypatch.setattr(engine, "MAX_OUTBOX", 3)
    mail = {"type": "email_notifications", "id": COMPETITOR_MAIL}
    body = {"workflow_rules": [{
        "name": "Mail on create", "module": DEALS_REF, "execute_when": {"type": "create"},
        "conditions": [{"sequence_number": 1, "criteria_details": {"criteria": None},
                        "instant_actions": {"actions": [mail]}}],
    }]}  # fmt: skip
    assert api.post(RULES, json=body).status_code == 201
    for _ in range(4):
        _deal(api)
    assert len(org.executions) == 5 and len(org.outbox) == 3
    result = records.insert(
        org, "Deals", {"data": [{"Deal_Name": "Last", "Stage": "Qualification"}]}
    )
    ran = engine.fire(org, result.events, result.trigger)
    assert org.executions == ran[-5:]  # the newest are kept, in order
    assert org.outbox[-1]["record"]["id"] == result.events[0].record_id
    assert len(org.outbox) == 3


# --- run_due, on every request ---------------------------------------------------------------


class CountingList(list):
    """A schedule that counts how often it is read in full."""

    reads = 0

    def __iter__(self):
        CountingList.reads += 1
        return super().__iter__()


def _queue(org, days: int) -> dict:
    rule = org.rules[org.rule_order["Deals"][0]]
    group = {"id": f"g{days}", "execute_after": {"period": "days", "unit": days}, "actions": []}
    record_id = next(iter(org.records["Deals"]))
    return engine._queue(org, rule, "Deals", record_id, "c1", group)


def test_run_due_does_not_read_the_schedule_while_nothing_is_due(org):
    org.schedule = CountingList()
    _queue(org, 3)
    engine_clock.run_due(org)  # learns when the first action is due
    CountingList.reads = 0
    for _ in range(5):
        assert engine_clock.run_due(org) == []
    _queue(org, 2)  # queued by the engine: the earliest due time is kept up to date
    assert engine_clock.run_due(org) == []
    assert CountingList.reads == 0
    org.clock.advance(timedelta(days=2, hours=1))
    engine_clock.run_due(org)
    assert [e["group_id"] for e in org.schedule] == ["g3"]  # the one due ran and left
    assert CountingList.reads > 0


def test_run_due_notices_a_schedule_changed_behind_its_back(org):
    _queue(org, 5)
    engine_clock.run_due(org)
    engine.drop_schedule(org, org.rule_order["Deals"][0])  # the rule's queue is dropped...
    _queue(org, 1)  # ...and a sooner action queued: same length as before
    org.clock.advance(timedelta(days=2))
    engine_clock.run_due(org)
    assert org.schedule == []
    replaced = [_queue(org, 9)]
    org.schedule = [*replaced, {**replaced[0], "id": "x", "due": org.now()}]  # a new list
    engine_clock.run_due(org)
    assert [e["id"] for e in org.schedule] == [replaced[0]["id"]]
