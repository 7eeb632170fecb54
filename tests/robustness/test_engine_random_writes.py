"""Every trigger the catalogue offers on Tasks, Events, Calls and Deals, as rules, under a
repeatable random run of record creates, edits and deletes and clock moves: no answer is a
5xx, every write is answered as the records API answers it, and what the rules did is in the
execution log (each firing of a rule of its own module and record)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from oas import described_trigger_types, validate_response

RULES = "/crm/v8/settings/automation/workflow_rules"
MODULES = ("Tasks", "Events", "Calls", "Deals")
TAGS = {"Tasks": "Follow-up", "Events": "Customer Demo", "Calls": "Callback", "Deals": "Priority"}
FIRST_DAY = date(2025, 11, 20)
WATCHED = {"Calls": "Call_Result"}
WRITES = 300


def _details(kind: str, watched: str, date_field: str | None, sections: list[str]) -> dict:
    """A valid `details` for a trigger type (fact sheet §3.1 templates)."""
    if kind.endswith("field_update"):
        return {"criteria": {"field": {"api_name": watched}, "comparator": "${ANYVALUE}"},
                "repeat": True}  # fmt: skip
    if kind.endswith("section_update"):
        return {"section_ids": sections, "repeat": True}
    if kind == "overdue":
        return {"period": "days", "unit": 1}
    if kind == "date_or_datetime":
        return {"field": {"api_name": date_field}, "period": "days", "unit": 1}
    if kind.startswith("score_"):
        return {"type": "All_Rules"}
    return {"repeat": kind not in ("edit", "create_or_edit")}


def _fields(org, module: str) -> dict[str, dict]:
    return {f["api_name"]: f for f in org.fields[module]}


def _value(rng: random.Random, org, fld: dict) -> Any:
    kind = fld["data_type"]
    if kind == "picklist":
        values = [p["actual_value"] for p in fld["pick_list_values"]]
        return rng.choice([v for v in values if v != "-None-"] or values)
    if kind == "date":
        return (FIRST_DAY + timedelta(days=rng.randint(0, 30))).isoformat()
    if kind == "datetime":
        day = FIRST_DAY + timedelta(days=rng.randint(0, 30))
        return f"{day.isoformat()}T{rng.randint(8, 18):02d}:00:00+05:30"
    if kind in ("currency", "double"):
        return round(rng.uniform(0, 90_000), 2)
    if kind == "integer":
        return rng.randint(0, 100)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "ownerlookup":
        return {"id": rng.choice([u["id"] for u in org.users if u.get("status") == "active"])}
    return f"value {rng.randint(0, 9)}"


def _record(rng: random.Random, org, module: str, creating: bool) -> dict[str, Any]:
    """Some writable fields of the module with valid values (its mandatory ones on a create)."""
    fields = _fields(org, module)
    writable = [
        f for f in fields.values()
        if f["data_type"] not in ("lookup", "textarea") and not f.get("read_only")
        and not f.get("field_read_only") and f["api_name"] not in ("Tag", "Closed_Time")
        and not f["api_name"].startswith(("Created_", "Modified_"))
    ]  # fmt: skip
    chosen = rng.sample(writable, k=min(len(writable), rng.randint(1, 3)))
    if creating:
        chosen += [f for f in writable if f.get("system_mandatory") and f not in chosen]
    values = {f["api_name"]: _value(rng, org, f) for f in chosen}
    if module == "Calls" and "Call_Duration" in values:
        values["Call_Duration"] = f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    if module == "Events" and {"Start_DateTime", "End_DateTime"} & set(values):
        start = values.get("Start_DateTime") or _value(rng, org, fields["Start_DateTime"])
        values.update(Start_DateTime=start, End_DateTime=start.replace(":00:00", ":30:00"))
    return values


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_writes_under_every_trigger_break_nothing(api, org, seed: int):
    rng = random.Random(seed)
    made: dict[str, list[str]] = {m: [] for m in MODULES}  # module -> rule ids
    for module in MODULES:
        config = api.get(f"/crm/v8/workflow_configurations?module={module}").json
        fields = _fields(org, module)
        # A field_update trigger's field: a picklist (else text); not the one that makes a call
        # incoming or outgoing, which would turn the call into another kind as it changes.
        watched = WATCHED.get(module) or next(
            n for t in ("picklist", "text") for n, f in fields.items() if f["data_type"] == t
        )
        date_field = next((n for n, f in fields.items() if f["data_type"] == "date"), None)
        layout = api.get(f"/crm/v8/settings/layouts?module={module}").json["layouts"][0]
        sections = [section["id"] for section in layout["sections"]]
        for trigger in config["workflow_configurations"]["triggers"]:
            kind = trigger["api_name"]
            if kind == "delete" or (kind == "date_or_datetime" and date_field is None):
                continue  # a delete rule takes no add_tags
            action = {"type": "add_tags", "details": {"tags": [{"name": TAGS[module]}]}}
            body = {"workflow_rules": [{
                "name": f"Random {module} {kind}", "module": {"api_name": module},
                "execute_when": {"type": kind,
                                 "details": _details(kind, watched, date_field, sections)},
                "conditions": [{"sequence_number": 1, "criteria_details": {"criteria": None},
                                "instant_actions": {"actions": [action]}}],
            }]}  # fmt: skip
            resp = api.post(RULES, json=body)
            assert resp.status_code == 201, (kind, resp.json)
            made[module].append(resp.json["workflow_rules"][0]["details"]["id"])
            if kind in described_trigger_types():  # the rule as Zoho's GET shows it
                stored = api.get(f"{RULES}/{made[module][-1]}").json
                validate_response("workflow_rules", "getWorkflowRuleById", 200, stored)
    assert all(made.values()), made
    records: dict[str, list[str]] = {m: [] for m in MODULES}
    for _ in range(WRITES):
        module = rng.choice(MODULES)
        path = f"/crm/v8/{module}"
        roll = rng.random()
        if roll < 0.4 or not records[module]:
            resp = api.post(path, json={"data": [_record(rng, org, module, creating=True)]})
            assert resp.status_code == 201, (module, resp.json)
            validate_response("record", "createRecords", 201, resp.json)
            records[module].append(resp.json["data"][0]["details"]["id"])
        elif roll < 0.85:
            record_id = rng.choice(records[module])
            body = {"data": [{"id": record_id, **_record(rng, org, module, creating=False)}]}
            resp = api.put(path, json=body)
            assert resp.status_code == 200, (module, resp.json)
            validate_response("record", "updateRecords", 200, resp.json)
        elif roll < 0.95:
            record_id = records[module].pop(rng.randrange(len(records[module])))
            assert api.delete(f"{path}/{record_id}").status_code == 200
        else:
            resp = api.post("/__admin/clock/advance", json={"hours": rng.randint(1, 72)})
            assert resp.status_code == 200, resp.json
    ours = {rule_id: module for module, ids in made.items() for rule_id in ids}
    fired = [e for e in org.executions if e["rule"]["id"] in ours]
    assert fired, "no rule of the run fired"
    for execution in fired:
        assert execution["record"]["module"] == ours[execution["rule"]["id"]]
        # Tags cannot go on a record deleted (`anyaction` fires on deletes too).
        gone = execution["event"] == "delete"
        want = {"status": "failure", "detail": {"reason": "record not found"}} if gone else {}
        for action in execution["actions"]:
            assert action | want == action if gone else action["status"] == "success", action
    kinds = {org.rules[e["rule"]["id"]]["execute_when"]["type"] for e in fired}
    # The run sets off each kind of trigger this file is about.
    expected = ("anyaction", "marked_as_complete", "reassign", "reschedule", "section_update",
                "outgoing_call_createedit", "missed_call", "incoming_call_field_update",
                "overdue")  # fmt: skip
    for kind in expected:
        assert kind in kinds, (kind, sorted(kinds))
    assert api.get(RULES).status_code == 200
    for module, ids in records.items():  # the records as the engine's tags left them
        for record_id in ids:
            resp = api.get(f"/crm/v8/{module}/{record_id}")
            assert resp.status_code == 200, resp.json
            validate_response("record", "getRecord", 200, resp.json)
