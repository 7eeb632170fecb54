"""Shared facts and helpers of the related notes tests (crm-oas v8.0 related_notes.yaml). No
spec file of these endpoints is in tests/zoho_oas, so the tests compare whole bodies with the
YAML's examples and schemas (every `details` and `info` there is additionalProperties: false)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from records_helpers import NOW, PATRICIA, VP_DEAL

from mockcrm.core.clock import iso

DEALS_REF = {"api_name": "Deals", "id": "4876876000000002181"}
VP_NAME = "Orbit Logistics - Fleet Tracking Suite"
OTHER_DEAL = "4876876000005040002"  # another seed deal
DEAL_NOTES = f"/crm/v8/Deals/{VP_DEAL}/Notes"
OTHER_NOTES = f"/crm/v8/Deals/{OTHER_DEAL}/Notes"
COMPETITOR_MAIL = "4876876000009610127"  # "Competitor Loss Report" (Deals)
NOTE_RULE = "4876876000011480001"  # the seed's "Deal Note Added - Notify Owner" (Deals, Notes)
VP_PARENT = {"module": DEALS_REF, "name": VP_NAME, "id": VP_DEAL}
# The keys of a note write's `details`, in the order of Zoho's examples (no $approval_state).
DETAIL_KEYS = ["Modified_Time", "Modified_By", "Created_Time", "id", "Created_By"]
RELATED_INFO = {
    "page": 1,
    "per_page": 200,
    "count": 1,
    "more_records": False,
    "next_page_token": None,
    "previous_page_token": None,
    "page_token_expiry": None,
}


def at_minute(org, minutes: int) -> str:
    """Move the frozen clock to NOW + `minutes`; the time as mockcrm writes it."""
    org.clock.set(NOW + timedelta(minutes=minutes), freeze=True)
    return iso(org.clock.now(), org.time_zone)


def success(note_id: str, message: str, created: str, modified: str | None = None) -> dict:
    details = {
        "Modified_Time": modified or created,
        "Modified_By": PATRICIA,
        "Created_Time": created,
        "id": note_id,
        "Created_By": PATRICIA,
    }
    return {"code": "SUCCESS", "details": details, "message": message, "status": "success"}


def top_error(code: str, message: str, details: dict[str, Any]) -> dict:
    return {"code": code, "details": details, "message": message, "status": "error"}


def text_missing(index: int) -> dict:
    """Zoho's EXPECTED_FIELD_MISSING item (the YAML's 207 PartialSuccess examples)."""
    fields = [
        {"api_name": name, "json_path": f"$.data[{index}].{name}"}
        for name in ("Note_Content", "Note_Title")
    ]
    return {
        "code": "EXPECTED_FIELD_MISSING",
        "details": {"expected_fields": fields},
        "message": "should contain either content or title",
        "status": "error",
    }


def add_note(api, path: str = DEAL_NOTES, title: str = "Call", **extra: Any) -> str:
    resp = api.post(path, json={"data": [{"Note_Title": title, **extra}]})
    assert resp.status_code == 201, resp.json
    return resp.json["data"][0]["details"]["id"]


def runs(org, rule_id: str, record_id: str) -> list[dict]:
    return [
        e for e in org.executions if e["rule"]["id"] == rule_id and e["record"]["id"] == record_id
    ]


def note_rule(api, name: str, kind: str, action: dict[str, Any], repeat: bool = False) -> str:
    """A Deals rule triggered by Notes (`kind`: create / edit / delete) running `action`."""
    notes = {"api_name": "Notes", "id": "4876876000000002197"}
    details: dict[str, Any] = {"trigger_module": notes}
    if repeat:
        details["repeat"] = True
    rule = {
        "name": name,
        "module": DEALS_REF,
        "execute_when": {"type": kind, "details": details},
        "conditions": [
            {
                "sequence_number": 1,
                "criteria_details": {"criteria": None},
                "instant_actions": {"actions": [action]},
            }
        ],
    }
    resp = api.post("/crm/v8/settings/automation/workflow_rules", json={"workflow_rules": [rule]})
    assert resp.status_code == 201, resp.json
    return resp.json["workflow_rules"][0]["details"]["id"]
