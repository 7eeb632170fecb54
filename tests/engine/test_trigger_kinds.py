"""Triggers beyond create, edit and delete, through HTTP: a section updated; a task marked
complete, any action on a task, a task overdue on the clock, a meeting rescheduled or
reassigned; scheduled, outgoing, incoming and missed calls (README, Fidelity notes: Engine)."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from oas import described_trigger_types, validate_response

RULES = "/crm/v8/settings/automation/workflow_rules"
NUMBERS = itertools.count()  # rule names are unique in a module
TASKS = "/crm/v8/Tasks"
EVENTS = "/crm/v8/Events"
CALLS = "/crm/v8/Calls"
DEALS = "/crm/v8/Deals"
# Zylker's tags of the modules
TAGS = {"Tasks": "Follow-up", "Events": "Customer Demo", "Calls": "Callback", "Deals": "Priority"}
# The sections of Zylker's Deals layout (crm/layouts.py: the module id + 2 and 3 million).
DEALS_INFORMATION, DEALS_DESCRIPTION = "4876876000002002181", "4876876000003002181"


def _rule(api, module: str, execute_when: dict, criteria: Any = None) -> str:
    body = {"workflow_rules": [{
        "name": f"{module} {execute_when['type']} {next(NUMBERS)}", "module": {"api_name": module},
        "execute_when": execute_when,
        "conditions": [{"sequence_number": 1, "criteria_details": {"criteria": criteria},
                        "instant_actions": {"actions": [
                            {"type": "add_tags", "details": {"tags": [{"name": TAGS[module]}]}}]}}],
    }]}  # fmt: skip
    resp = api.post(RULES, json=body)
    assert resp.status_code == 201, resp.json
    validate_response("workflow_rules", "postWorkflowRule", 201, resp.json)
    rule_id = resp.json["workflow_rules"][0]["details"]["id"]
    if execute_when["type"] in described_trigger_types():  # the trigger as Zoho's GET shows it
        stored = api.get(f"{RULES}/{rule_id}")
        validate_response("workflow_rules", "getWorkflowRuleById", 200, stored.json)
    return rule_id


def _write(api, path: str, values: dict, record_id: str | None = None) -> str:
    if record_id is None:
        resp = api.post(path, json={"data": [values]})
        assert resp.status_code == 201, resp.json
        validate_response("record", "createRecords", 201, resp.json)
    else:
        resp = api.put(path, json={"data": [{"id": record_id, **values}]})
        assert resp.status_code == 200, resp.json
        validate_response("record", "updateRecords", 200, resp.json)
    return resp.json["data"][0]["details"]["id"]


def _task(api, **values) -> str:
    return _write(api, TASKS, {"Subject": "Call back", "Status": "Not Started", **values})


def _runs(org, rule_id: str) -> list[tuple[str, str]]:
    """(event, record id) of each firing of the rule whose condition matched."""
    return [
        (e["event"], e["record"]["id"]) for e in org.executions
        if e["rule"]["id"] == rule_id and e["condition"]
    ]  # fmt: skip


def _times(org, rule_id: str, record_id: str) -> list[str]:
    return [
        e["time"] for e in org.executions
        if e["rule"]["id"] == rule_id and e["record"]["id"] == record_id
    ]  # fmt: skip


def _advance(api, **units) -> list[tuple[str, str]]:
    resp = api.post("/__admin/clock/advance", json=units)
    assert resp.status_code == 200, resp.json
    return [(r["rule"]["id"], r["record"]["id"]) for r in resp.json["ran"]]


def _fired(rule_id: str, ran: list[tuple[str, str]]) -> list[str]:
    return [record_id for rule, record_id in ran if rule == rule_id]


def test_marked_as_complete_fires_when_the_status_becomes_completed(api, org):
    rule = _rule(api, "Tasks", {"type": "marked_as_complete"})
    task = _task(api)
    _write(api, TASKS, {"Priority": "High"}, task)
    assert _runs(org, rule) == []
    _write(api, TASKS, {"Status": "Completed"}, task)
    assert _runs(org, rule) == [("edit", task)]
    assert [t["name"] for t in org.records["Tasks"][task]["Tag"]] == ["Follow-up"]
    _write(api, TASKS, {"Priority": "Low"}, task)  # still complete: not marked again
    assert _runs(org, rule) == [("edit", task)]
    done = _task(api, Status="Completed")  # created complete
    assert _runs(org, rule) == [("edit", task), ("create", done)]


def test_a_completed_task_has_its_closed_time_until_it_is_reopened(api, org):
    task = _task(api)
    assert api.get(f"{TASKS}/{task}").json["data"][0]["Closed_Time"] is None
    org.clock.set(org.clock.now() + timedelta(hours=2), freeze=True)
    _write(api, TASKS, {"Status": "Completed"}, task)
    answer = api.get(f"{TASKS}/{task}")
    validate_response("record", "getRecord", 200, answer.json)
    closed = answer.json["data"][0]["Closed_Time"]
    assert closed == "2025-12-01T13:09:10+05:30"
    _write(api, TASKS, {"Status": "Completed", "Priority": "Low"}, task)  # still the first close
    assert api.get(f"{TASKS}/{task}").json["data"][0]["Closed_Time"] == closed
    _write(api, TASKS, {"Status": "In Progress"}, task)
    assert api.get(f"{TASKS}/{task}").json["data"][0]["Closed_Time"] is None
    done = _task(api, Status="Completed")
    assert api.get(f"{TASKS}/{done}").json["data"][0]["Closed_Time"] == closed
    org.clock.set(org.clock.now() + timedelta(hours=1), freeze=True)
    copy = api.post(f"{TASKS}/{done}/actions/clone").json["data"][0]["details"]["id"]
    assert api.get(f"{TASKS}/{copy}").json["data"][0]["Closed_Time"] == "2025-12-01T14:09:10+05:30"


def test_a_field_update_that_completes_a_task_marks_it_complete_one_level_down(api, org):
    status = {"api_name": "Status", "id": org.field("Tasks", "Status")["id"]}
    entity = {"name": "Task done", "module": {"api_name": "Tasks"}, "field": status,
              "value": "Completed", "type": "static"}  # fmt: skip
    made = api.post("/crm/v8/settings/automation/field_updates", json={"field_updates": [entity]})
    assert made.status_code == 201, made.json
    done = {"type": "field_updates", "id": made.json["field_updates"][0]["details"]["id"]}
    lowest = {"field": {"api_name": "Priority"}, "comparator": "equal", "value": "Lowest"}
    body = {"workflow_rules": [{
        "name": "Lowest priority is done", "module": {"api_name": "Tasks"},
        "execute_when": {"type": "edit", "details": {"repeat": True}},
        "conditions": [{"sequence_number": 1, "criteria_details": {"criteria": lowest},
                        "instant_actions": {"actions": [done]}}],
    }]}  # fmt: skip
    closer = api.post(RULES, json=body).json["workflow_rules"][0]["details"]["id"]
    marked = _rule(api, "Tasks", {"type": "marked_as_complete"})
    task = _task(api)
    _write(api, TASKS, {"Priority": "Lowest"}, task)
    assert _runs(org, closer) == [("edit", task)]
    assert _runs(org, marked) == [("edit", task)]  # the field update's edit, one level down
    record = api.get(f"{TASKS}/{task}").json["data"][0]
    assert (record["Status"], record["Closed_Time"]) == ("Completed", "2025-12-01T11:09:10+05:30")


def test_anyaction_fires_on_every_create_edit_and_delete_of_a_task(api, org):
    rule = _rule(api, "Tasks", {"type": "anyaction"})
    task = _task(api)
    _write(api, TASKS, {"Priority": "High"}, task)
    assert api.delete(f"{TASKS}/{task}").status_code == 200
    assert _runs(org, rule) == [("create", task), ("edit", task), ("delete", task)]


def test_activity_rules_read_their_criteria(api, org):
    high = {"field": {"api_name": "Priority"}, "comparator": "equal", "value": "High"}
    rule = _rule(api, "Tasks", {"type": "marked_as_complete"}, high)
    low, top = _task(api, Priority="Low"), _task(api, Priority="High")
    for task in (low, top):
        _write(api, TASKS, {"Status": "Completed"}, task)
    assert _runs(org, rule) == [("edit", top)]


def test_overdue_fires_the_days_after_the_due_date_unless_the_task_is_complete(api, org):
    rule = _rule(api, "Tasks", {"type": "overdue", "details": {"period": "days", "unit": 1}})
    # The clock is at 2025-12-01 11:09 IST. Due 12-03: overdue from 12-04 00:00, fires 12-05.
    late, done = _task(api, Due_Date="2025-12-03"), _task(api, Due_Date="2025-12-03")
    undated = _task(api)
    assert _fired(rule, _advance(api, days=3)) == []  # 2025-12-04 11:09
    _write(api, TASKS, {"Status": "Completed"}, done)
    assert (rule, late) in _advance(api, days=1)  # 2025-12-05 11:09
    assert _runs(org, rule) == [("overdue", late)]
    assert _times(org, rule, late) == ["2025-12-05T00:00:00+05:30"]
    assert [t["name"] for t in org.records["Tasks"][late]["Tag"]] == ["Follow-up"]
    # Once; never the undated or the completed task (Zylker's own open tasks fall due too).
    assert {late, done, undated}.isdisjoint(_fired(rule, _advance(api, days=30)))
    assert [run for run in _runs(org, rule) if run[1] in (late, done, undated)] == [
        ("overdue", late)
    ]


def test_overdue_by_hours(api, org):
    rule = _rule(api, "Tasks", {"type": "overdue", "details": {"period": "hours", "unit": 2}})
    task = _task(api, Due_Date="2025-12-01")
    assert (rule, task) in _advance(api, days=1)  # due 12-01: fires 12-02 02:00 IST
    assert _times(org, rule, task) == ["2025-12-02T02:00:00+05:30"]


VP_REVIEW_TASK = "4876876000009610218"  # Zylker's "VP Review - High Value Deal": due a day later


def test_overdue_fires_in_the_clock_move_that_made_the_task(api, org):
    """A scheduled task action runs in a clock move; the task it makes falls overdue before
    the move ends: the same move runs the overdue rule, at its own moment."""
    overdue = _rule(api, "Tasks", {"type": "overdue", "details": {"period": "hours", "unit": 1}})
    later = {"execute_after": {"period": "days", "unit": 1},
             "actions": [{"type": "tasks", "id": VP_REVIEW_TASK}]}  # fmt: skip
    body = {"workflow_rules": [{
        "name": "Review a day after", "module": {"api_name": "Deals"},
        "execute_when": {"type": "create", "details": {}},
        "conditions": [{"sequence_number": 1, "criteria_details": {"criteria": None},
                        "scheduled_actions": [later]}],
    }]}  # fmt: skip
    created = api.post(RULES, json=body)
    assert created.status_code == 201, created.json
    reviewer = created.json["workflow_rules"][0]["details"]["id"]
    deal = _write(api, DEALS, {"Deal_Name": "Review me", "Stage": "Qualification"})
    ran = _advance(api, days=5)  # 12-02 11:09 the task (due 12-03); 12-04 01:00 overdue
    (scheduled,) = [e for e in org.executions if e["rule"]["id"] == reviewer and e["scheduled"]]
    task = scheduled["actions"][0]["detail"]["task_id"]
    assert (scheduled["record"]["id"], scheduled["time"]) == (deal, "2025-12-02T11:09:10+05:30")
    assert (overdue, task) in ran
    assert _times(org, overdue, task) == ["2025-12-04T01:00:00+05:30"]


def _meeting(api, **values) -> str:
    start = {
        "Start_DateTime": "2025-12-02T10:00:00+05:30",
        "End_DateTime": "2025-12-02T11:00:00+05:30",
    }
    return _write(api, EVENTS, {"Event_Title": "Demo", **start, **values})


def test_reschedule_fires_when_a_meeting_moves_and_reassign_when_its_owner_changes(api, org):
    moved, handed = (
        _rule(api, "Events", {"type": "reschedule"}),
        _rule(api, "Events", {"type": "reassign"}),
    )
    meeting = _meeting(api)
    _write(api, EVENTS, {"Venue": "Room 4"}, meeting)
    assert _runs(org, moved) == [] and _runs(org, handed) == []
    _write(api, EVENTS, {"End_DateTime": "2025-12-02T11:30:00+05:30"}, meeting)
    assert _runs(org, moved) == [("edit", meeting)] and _runs(org, handed) == []
    other = next(
        u["id"]
        for u in org.users
        if u["id"] != org.records["Events"][meeting]["Owner"]["id"]
        and u.get("status", "active") == "active"
    )
    _write(api, EVENTS, {"Owner": {"id": other}}, meeting)
    assert _runs(org, handed) == [("edit", meeting)] and len(_runs(org, moved)) == 1


def _section_rule(api, section_id: str, repeat: bool) -> str:
    details = {"section_ids": [section_id], "repeat": repeat}
    return _rule(api, "Deals", {"type": "section_update", "details": details})


def test_section_update_fires_when_a_field_of_the_section_changes(api, org):
    for rule_id in org.rule_order["Deals"]:  # Zylker's own field updates would edit sections
        org.rules[rule_id] = {**org.rules[rule_id], "status": {"active": False}}
    information = _section_rule(api, DEALS_INFORMATION, repeat=True)
    description, once = (
        _section_rule(api, DEALS_DESCRIPTION, repeat=True),
        _section_rule(api, DEALS_INFORMATION, repeat=False),
    )
    deal = _write(api, DEALS, {"Deal_Name": "Sections", "Stage": "Qualification"})
    assert _runs(org, information) == []  # a create is no section update
    _write(api, DEALS, {"Amount": 1000}, deal)
    _write(api, DEALS, {"Amount": 1000}, deal)  # the same value: nothing changed
    _write(api, DEALS, {"Description": "Budget approved"}, deal)
    _write(api, DEALS, {"Stage": "Needs Analysis"}, deal)
    assert _runs(org, information) == [("edit", deal), ("edit", deal)]
    assert _runs(org, description) == [("edit", deal)]
    assert _runs(org, once) == [("edit", deal)]  # without repeat: once per record
    _write(api, DEALS, {"Tag": [{"name": "Stalled"}]}, deal)  # tags are in no section
    assert len(_runs(org, information)) == 2


def _call(api, **values) -> str:
    call = {"Subject": "Pricing", "Call_Start_Time": "2025-12-01T15:00:00+05:30",
            "Call_Duration": "10:00", **values}  # fmt: skip
    return _write(api, CALLS, call)


def _call_rule(api, kind: str, **details) -> str:
    return _rule(api, "Calls", {"type": kind, "details": {"repeat": True, **details}})


def test_calls_fire_by_their_type_and_status(api, org):
    kinds = ("scheduled_call_createedit", "scheduled_call_edit", "outgoing_call_createedit",
             "outgoing_call_edit", "incoming_call_createedit", "missed_call",
             "outgoing_call_ring", "anyaction")  # fmt: skip
    rules = {kind: _call_rule(api, kind) for kind in kinds}
    planned = _call(api, Call_Type="Outbound", Outgoing_Call_Status="Scheduled")
    _write(api, CALLS, {"Outgoing_Call_Status": "Completed"}, planned)  # the call was made
    called_off = _call(api, Call_Type="Outbound", Outgoing_Call_Status="Scheduled")
    _write(api, CALLS, {"Outgoing_Call_Status": "Cancelled"}, called_off)  # never made
    incoming, missed = _call(api, Call_Type="Inbound"), _call(api, Call_Type="Missed")
    fired = {kind: _runs(org, rule) for kind, rule in rules.items()}
    assert fired == {
        "scheduled_call_createedit": [("create", planned), ("create", called_off),
                                      ("edit", called_off)],
        "scheduled_call_edit": [("edit", called_off)],  # once made, it is an outgoing call
        "outgoing_call_createedit": [("edit", planned)],
        "outgoing_call_edit": [("edit", planned)],
        "incoming_call_createedit": [("create", incoming)],
        "missed_call": [("create", missed)],
        "outgoing_call_ring": [],  # telephony: never
        "anyaction": [("create", planned), ("edit", planned), ("create", called_off),
                      ("edit", called_off), ("create", incoming), ("create", missed)],
    }  # fmt: skip


def test_call_rules_without_repeat_run_once_per_call(api, org):
    rule = _rule(api, "Calls", {"type": "incoming_call_edit", "details": {"repeat": False}})
    call = _call(api, Call_Type="Inbound")
    for purpose in ("Demo", "Negotiation", "Project"):
        _write(api, CALLS, {"Call_Purpose": purpose}, call)
    assert _runs(org, rule) == [("edit", call)]


def test_call_field_update_reads_its_criteria(api, org):
    interested = {"field": {"api_name": "Call_Result"}, "comparator": "equal",
                  "value": "Interested"}  # fmt: skip
    rule = _call_rule(api, "incoming_call_field_update", criteria=interested)
    call = _call(api, Call_Type="Inbound")
    _write(api, CALLS, {"Call_Purpose": "Demo"}, call)
    _write(api, CALLS, {"Call_Result": "Interested"}, call)
    assert _runs(org, rule) == [("edit", call)]
