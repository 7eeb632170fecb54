"""A field update saved is one the engine can run: for every Leads field and a spread of values,
each value the actions API accepts is written by the rule that uses it without a failure, and
reads back as the field's type (crm/action_values.py checks the value as the engine writes it)."""

from __future__ import annotations

from typing import Any

from actions_helpers import BASE, PATRICIA, RULES, entity_body, lead_rule, wrap

VALUES: list[Any] = [
    None,
    "",
    7,
    1.5,
    True,
    "x" * 300,
    ["a", "b"],
    "a;b",
    {"id": PATRICIA},
    PATRICIA,
    "2026-01-01",
    "2026-01-01T10:00:00+05:30",
    "abc",
    "90",
    "true",
    "Contacted",
    [{"name": "t"}],
]
OWNER_OPTIONS = {"notify": False, "related_records": [], "apply_assignment_threshold": False}


def _run(api, org, field: dict[str, Any], value: Any, n: int) -> dict[str, Any] | None:
    """Save a field update of `field` to `value`; if accepted, fire it on a new Lead and return
    the rule's execution of it."""
    item = entity_body("field_updates", name=f"fu {n}", field={"api_name": field["api_name"]})
    item["value"] = value
    if field["data_type"] == "ownerlookup":
        item.update(OWNER_OPTIONS)
    resp = api.post(f"{BASE}/field_updates", json=wrap("field_updates", item))
    if resp.status_code != 201:
        assert resp.status_code == 400, resp.json
        return None
    entity = resp.json["field_updates"][0]["details"]["id"]
    rule = api.post(RULES, json=lead_rule("field_updates", entity, name=f"rule {n}"))
    assert rule.status_code == 201, rule.json
    rule_id = rule.json["workflow_rules"][0]["details"]["id"]
    lead = api.post("/crm/v8/Leads", json={"data": [{"Last_Name": "Lead", "Company": "Zylker"}]})
    assert lead.status_code == 201, lead.json
    (run,) = [e for e in org.executions if e["rule"]["id"] == rule_id]
    assert api.delete(f"{RULES}/{rule_id}").status_code == 200
    return run


def test_every_accepted_value_is_written_by_the_engine(api, org):
    accepted = refused = 0
    for n, (field, value) in enumerate(
        (field, value) for field in list(org.fields["Leads"]) for value in VALUES
    ):
        run = _run(api, org, field, value, n)
        if run is None:
            refused += 1
            continue
        accepted += 1
        (action,) = [a for a in run["actions"] if a["type"] == "field_updates"]
        assert action["status"] == "success", (field["api_name"], value, action)
    # Both sides are exercised: most fields take some of the values and refuse others.
    assert accepted > 100 and refused > 200
