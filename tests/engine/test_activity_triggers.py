"""Activity triggers through HTTP: a task marked complete, any action on a task, a task
overdue on the clock, a meeting rescheduled or reassigned (README, Fidelity notes: Engine)."""

from __future__ import annotations

from typing import Any

RULES = "/crm/v8/settings/automation/workflow_rules"
TASKS = "/crm/v8/Tasks"
EVENTS = "/crm/v8/Events"
TAGS = {"Tasks": "Follow-up", "Events": "Customer Demo"}  # Zylker's tags of the modules


def _rule(api, module: str, execute_when: dict, criteria: Any = None) -> str:
    body = {"workflow_rules": [{
        "name": f"{module} {execute_when['type']}", "module": {"api_name": module},
        "execute_when": execute_when,
        "conditions": [{"sequence_number": 1, "criteria_details": {"criteria": criteria},
                        "instant_actions": {"actions": [
                            {"type": "add_tags", "details": {"tags": [{"name": TAGS[module]}]}}]}}],
    }]}  # fmt: skip
    resp = api.post(RULES, json=body)
    assert resp.status_code == 201, resp.json
    return resp.json["workflow_rules"][0]["details"]["id"]


def _write(api, path: str, values: dict, record_id: str | None = None) -> str:
    if record_id is None:
        resp = api.post(path, json={"data": [values]})
        assert resp.status_code == 201, resp.json
    else:
        resp = api.put(path, json={"data": [{"id": record_id, **values}]})
        assert resp.status_code == 200, resp.json
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


def test_an_overdue_rule_without_its_offset_fires_nothing_and_breaks_no_call(api, org):
    """A state import can hold such a rule (the rules API refuses it): the clock's catch-up,
    run before every call, must not fail on it."""
    rule_id = _rule(api, "Tasks", {"type": "overdue", "details": {"period": "days", "unit": 1}})
    task = _task(api, Due_Date="2025-12-01")
    for details in ({}, {"period": "days"}, {"period": "fortnights", "unit": 1}):
        org.rules[rule_id] = {
            **org.rules[rule_id],
            "execute_when": {"type": "overdue", "details": details},
        }
        assert _fired(rule_id, _advance(api, days=2)) == []
    assert api.get(f"{TASKS}/{task}").status_code == 200
