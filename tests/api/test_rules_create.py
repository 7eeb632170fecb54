"""POST /workflow_rules: success shape and Zoho's documented validation errors, byte for byte."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from oas import validate_response, zoho_example
from rules_helpers import (
    DEAL_LOST_ALERT,
    LOST_DEAL_TASK,
    LOST_PRICING_TAG,
    PATRICIA,
    RULES,
    body,
    condition,
    deal_rule,
)


def _with_action(action: dict[str, Any], **rule: Any) -> dict[str, Any]:
    return body(deal_rule(conditions=[condition(instant_actions={"actions": [action]})], **rule))


def _without(key: str) -> dict[str, Any]:
    rule = deal_rule()
    del rule[key]
    return body(rule)


def _scheduled(execute_after: dict, actions: list | None = None, **rule: Any) -> dict[str, Any]:
    group = {
        "execute_after": execute_after,
        "actions": actions or [{"type": "tasks", "id": LOST_DEAL_TASK}],
    }
    return body(deal_rule(conditions=[condition(scheduled_actions=[group])], **rule))


def _tags(tags: list) -> dict[str, Any]:
    return _with_action({"type": "add_tags", "details": {"tags": tags}})


def _relational(relational: dict) -> dict[str, Any]:
    cond = condition(criteria_details={"criteria": None, "relational_criteria": relational})
    return body(deal_rule(conditions=[cond]))


CONVERT = {
    "type": "convert",
    "details": {
        "add_to_existing_contact": True,
        "add_to_existing_account": True,
        "change_owner": {"id": "4876876000000327001"},
        "apply_restriction": False,
    },
}
LEADS = {"api_name": "Leads", "id": "4876876000000002175"}
LEAD_EMAIL = {"type": "email_notifications", "id": "4876876000016390103"}

# (Zoho example name in workflow_rules.yaml, request body that must produce it)
CASES: list[tuple[str, Callable[[], Any]]] = [
    ("InvalidDataResponse1", lambda: {"rules": []}),
    ("InvalidDataResponse2", lambda: body(deal_rule(name=42))),
    ("InvalidDataResponse3", lambda: body(deal_rule(execute_when={"type": "whenever"}))),
    ("MandatoryNotFoundResponse1", lambda: _without("name")),
    ("ModuleMandatoryNotFoundResponse", lambda: _without("module")),
    ("ExecuteWhenMissingResponse", lambda: _without("execute_when")),
    ("ModuleInvalidDataResponse", lambda: body(deal_rule(module={"api_name": "Deal"}))),
    ("NameSpecialCharsResponse", lambda: body(deal_rule(name="Deals %# ^"))),
    ("NameLengthExceededResponse", lambda: body(deal_rule(name="x" * 101))),
    ("CannotCreateInactiveResponse", lambda: body(deal_rule(status={"active": False}))),
    ("ActionTypeMissingResponse", lambda: _with_action({"id": DEAL_LOST_ALERT})),
    ("DependentFieldMissingResponse1", lambda: _with_action({"type": "add_tags"})),
    (
        "AssociateActionDependentFieldMissingResponse",
        lambda: _with_action({"type": "email_notifications"}),
    ),
    (
        "ActionVsTriggerADPResponse1",
        lambda: _with_action(
            {"type": "tasks", "id": LOST_DEAL_TASK}, execute_when={"type": "delete"}
        ),
    ),
    ("ActionNotSupportedForModuleResponse", lambda: _with_action(CONVERT)),
    (
        "NotAllowedErrorResponse",
        lambda: body(
            {
                **deal_rule(module=LEADS),
                "conditions": [
                    condition(
                        instant_actions={"actions": [LEAD_EMAIL]},
                        scheduled_actions=[
                            {"execute_after": {"period": "days", "unit": 1}, "actions": [CONVERT]}
                        ],
                    )
                ],
            }
        ),
    ),
    (
        "ScheduledActionsRepeatConflictResponse",
        lambda: _scheduled(
            {"period": "days", "unit": 2},
            execute_when={"type": "edit", "details": {"repeat": True}},
        ),
    ),
    ("ScheduledActionsExpectedFieldMissingResponse", lambda: _scheduled({})),
    ("ScheduledActionsDependentFieldMissingResponse", lambda: _scheduled({"period": "days"})),
    ("TagInvalidResponse", lambda: _tags([{"name": "No such tag"}])),
    ("TagEmptyResponse", lambda: _tags([])),
    ("TagAmbiguityResponse", lambda: _tags([{"name": "Priority", "id": LOST_PRICING_TAG}])),
    ("DependentMismatchResponse", lambda: _relational({"module_selection": "specific"})),
    (
        "RelCriteriaModuleSelectionMissingResponse",
        lambda: _relational({"module": {"api_name": "Notes"}}),
    ),
    (
        "ChatNotificationMessageMissingResponse",
        lambda: _with_action(_chat({"notify_to": {"type": "user", "id": PATRICIA}})),
    ),
    (
        "ChatNotificationNotifyToMissingResponse",
        lambda: _with_action(_chat({"message": "Deal closed", "notify_to": {"type": "user"}})),
    ),
    (
        "ChatNotificationInvalidTypeResponse",
        lambda: _with_action(_chat({"message": "Deal closed", "notify_to": {"type": "team"}})),
    ),
    (
        "ChatNotificationFieldAmbiguityResponse",
        lambda: _with_action(
            _chat(
                {
                    "message": "x",
                    "notify_to": {
                        "type": "fields",
                        "notify_fields": {
                            "fields": [{"api_name": "Amount", "id": "4876876000000002565"}]
                        },
                    },
                }
            )
        ),
    ),
    ("SocialActionDetailsMissingResponse", lambda: _with_action({"type": "comment_to_post"})),
    ("CircuitsDetailsMissingResponse", lambda: _with_action({"type": "circuits"})),
    ("EmailCreateRecordModuleInvalidResponse", lambda: _with_action(_record_email("Deals", 1))),
    ("EmailCreateRecordTooManyMappingsResponse", lambda: _with_action(_record_email("Leads", 2))),
    (
        "ConvertDependentFieldMissingResponse",
        lambda: body(
            {
                **deal_rule(module=LEADS),
                "conditions": [
                    condition(
                        instant_actions={
                            "actions": [
                                {"type": "convert", "details": {"add_to_existing_account": True}}
                            ]
                        }
                    )
                ],
            }
        ),
    ),
    (
        "ConnectedRecordModuleInvalidResponse",
        lambda: _with_action(
            {
                "type": "create_connected_record",
                "details": {"module": {"api_name": "Nope"}, "field_mappings": []},
            }
        ),
    ),
    (
        "MeetingAmbiguityErrorResponse",
        lambda: _with_action(_meeting(meeting_duration={"unit": 1, "period": "hours"})),
    ),
    ("MeetingExpectedFieldMissingResponse", lambda: _with_action(_meeting(host_unavailable={}))),
    ("MeetingCallInvalidDataResponse", lambda: _with_action(_meeting(owner="4876876999999999999"))),
    (
        "ExpectedFieldMissingResponse1",
        lambda: _with_action(
            {"type": "add_tags", "details": {"module": {}, "tags": [{"name": "Priority"}]}}
        ),
    ),
]


def _chat(details: dict) -> dict:
    return {"type": "slack_notifications", "name": "Sales channel", "details": details}


def _record_email(module: str, mappings: int) -> dict:
    mapping = {
        "field": {"api_name": "Owner"},
        "value": {"type": "user", "resource": {"id": PATRICIA}},
    }
    return {
        "type": "create_record_email",
        "details": {"module": {"api_name": module}, "field_mappings": [mapping] * mappings},
    }


def _meeting(owner: str = PATRICIA, **extra: Any) -> dict:
    def static(api_name: str, value: Any) -> dict:
        return {"field": {"api_name": api_name}, "type": "static", "value": value}

    mappings = [
        static("Event_Title", "Pricing review"),
        static("All_day", "true"),
        static("Description", "auto"),
        static("Owner", {"id": owner}),
    ]
    details = {
        "module": {"api_name": "Events"},
        "layout": {"id": "4876876000000095045"},
        "field_mappings": mappings,
        **extra,
    }
    return {"type": "add_meeting", "details": details}


@pytest.mark.parametrize(("example", "make_body"), CASES, ids=[c[0] for c in CASES])
def test_create_errors_match_zoho(api, org, example, make_body):
    rules_before = copy.deepcopy(org.rules)
    resp = api.post(RULES, json=make_body())
    assert resp.status_code == 400
    assert resp.json == zoho_example("workflow_rules", "postWorkflowRule", 400, example)
    assert org.rules == rules_before


def test_conditions_limit_is_ten(api, org):
    # Zoho's example org has an edition limit of 3; mockcrm enforces the spec's 10.
    conds = [
        condition(
            sequence_number=i,
            criteria_details={
                "criteria": {
                    "field": {"api_name": "Amount"},
                    "comparator": "greater_than",
                    "value": i,
                }
            },
        )
        for i in range(1, 12)
    ]
    resp = api.post(RULES, json=body(deal_rule(conditions=conds)))
    expected = zoho_example(
        "workflow_rules", "postWorkflowRule", 400, "ConditionsLimitExceededResponse"
    )
    expected["workflow_rules"][0]["details"]["limit"] = 10
    assert resp.status_code == 400 and resp.json == expected
    assert len(conds[:10]) == 10
    ok = api.post(RULES, json=body(deal_rule(conditions=conds[:10])))
    assert ok.status_code == 201, ok.json


def test_create_returns_201_and_the_rule_is_stored_active_and_last(api, org):
    resp = api.post(RULES, json=body(deal_rule(description="made by a test")))
    assert resp.status_code == 201
    assert resp.headers["Content-Type"] == "application/json;charset=UTF-8"
    validate_response("workflow_rules", "postWorkflowRule", 201, resp.json)
    new_id = resp.json["workflow_rules"][0]["details"]["id"]
    assert len(new_id) == 19 and new_id.isdigit() and new_id.startswith("4876876")
    rule = org.rules[new_id]
    assert rule["status"] == {"active": True}
    assert rule["created_by"] == {"name": "Patricia Boyle", "id": "4876876000000327001"}
    assert rule["execute_when"]["details"]["trigger_module"] == {
        "api_name": "Deals",
        "id": "4876876000000002181",
    }
    assert org.rule_order["Deals"][-1] == new_id
    listed = api.get(RULES, query_string={"module": "Deals"}).json["workflow_rules"]
    assert listed[-1]["id"] == new_id


def test_duplicate_name_in_module_is_already_used(api, org):
    existing = org.rules["4876876000016390024"]["name"]
    resp = api.post(RULES, json=body(deal_rule(name=existing)))
    assert resp.status_code == 400
    assert resp.json == {
        "workflow_rules": [
            {
                "code": "ALREADY_USED",
                "details": {"api_name": "name", "json_path": "$.workflow_rules[*].name"},
                "message": "name already exists",
                "status": "error",
            }
        ]
    }


def test_more_than_one_rule_per_request_is_refused(api, org):
    before = len(org.rules)
    resp = api.post(RULES, json={"workflow_rules": [deal_rule(), deal_rule(name="Other")]})
    assert resp.status_code == 400
    assert resp.json == {
        "code": "LIMIT_EXCEEDED",
        "details": {"api_name": "workflow_rules", "limit": 1, "json_path": "$.workflow_rules"},
        "message": "too many records",
        "status": "error",
    }
    assert len(org.rules) == before


def test_associate_action_must_exist_in_the_module(api, org):
    lead_email = "4876876000016390103"  # a Leads email notification, not usable on Deals
    for bad in (lead_email, "4876876999999999999"):
        resp = api.post(RULES, json=_with_action({"type": "email_notifications", "id": bad}))
        assert resp.status_code == 400
        assert resp.json["workflow_rules"][0] == {
            "code": "INVALID_DATA",
            "details": {
                "api_name": "id",
                "json_path": "$.workflow_rules[0].conditions[0].instant_actions.actions[0].id",
            },
            "message": "the id given seems to be invalid",
            "status": "error",
        }


def test_criteria_field_must_exist(api):
    cond = condition(
        criteria_details={
            "criteria": {
                "field": {"api_name": "No_Such_Field"},
                "comparator": "equal",
                "value": "x",
            }
        }
    )
    resp = api.post(RULES, json=body(deal_rule(conditions=[cond])))
    assert resp.status_code == 400
    assert resp.json["workflow_rules"][0]["details"] == {
        "api_name": "field",
        "json_path": "$.workflow_rules[0].conditions[0].criteria_details.criteria.field",
    }


def test_condition_without_criteria_details_matches_every_record(api, org):
    """Zoho's spec: criteria_details is optional; omitted, it is stored as `{"criteria": null}`."""
    cond = condition()
    del cond["criteria_details"]
    resp = api.post(RULES, json=body(deal_rule(conditions=[cond])))
    assert resp.status_code == 201, resp.json
    omitted = org.rules[resp.json["workflow_rules"][0]["details"]["id"]]
    explicit = api.post(
        RULES,
        json=body(
            deal_rule(name="Explicit", conditions=[condition(criteria_details={"criteria": None})])
        ),
    )
    assert explicit.status_code == 201
    stored = org.rules[explicit.json["workflow_rules"][0]["details"]["id"]]
    assert omitted["conditions"][0]["criteria_details"]["criteria"] is None
    assert (
        omitted["conditions"][0]["criteria_details"] == stored["conditions"][0]["criteria_details"]
    )


def _limit_error(limit: int) -> dict:
    return {
        "workflow_rules": [
            {
                "code": "LIMIT_EXCEEDED",
                "details": {
                    "api_name": "workflow_rules",
                    "limit": limit,
                    "json_path": "$.workflow_rules",
                },
                "message": "workflow rules limit exceeded",
                "status": "error",
            }
        ]
    }


def test_per_module_rule_limits(api, org, monkeypatch):
    from mockcrm.crm.reports import LIMITS

    deals = org.ordered_rules("Deals")
    total, active = len(deals), sum(r["status"]["active"] for r in deals)
    monkeypatch.setitem(LIMITS, "total_rules_limit_per_module", total)
    before = len(org.rules)
    resp = api.post(RULES, json=body(deal_rule()))
    assert resp.status_code == 400 and resp.json == _limit_error(total)
    assert len(org.rules) == before
    monkeypatch.setitem(LIMITS, "total_rules_limit_per_module", 125)
    monkeypatch.setitem(LIMITS, "active_rules_limit_per_module", active)
    assert api.post(RULES, json=body(deal_rule())).json == _limit_error(active)
    inactive = next(r["id"] for r in deals if not r["status"]["active"])
    resp = api.put(f"{RULES}/{inactive}", json=body({"status": {"active": True}}))
    assert resp.status_code == 400 and resp.json == _limit_error(active)
    assert org.rules[inactive]["status"] == {"active": False}


def test_org_wide_rule_limits(api, org, monkeypatch):
    from mockcrm.crm.reports import LIMITS

    total = len(org.rules)
    active = sum(r["status"]["active"] for r in org.rules.values())
    assert active < total  # so the active count is what stops the create, not the rule count
    monkeypatch.setitem(LIMITS, "total_rules_limit", total)
    resp = api.post(RULES, json=body(deal_rule()))
    assert resp.status_code == 400 and resp.json == _limit_error(total)
    monkeypatch.setitem(LIMITS, "total_rules_limit", 2500)
    monkeypatch.setitem(LIMITS, "active_rules_limit", active)
    resp = api.post(RULES, json=body(deal_rule()))
    assert resp.status_code == 400 and resp.json == _limit_error(active)
    assert len(org.rules) == total
    inactive = next(r["id"] for r in org.rules.values() if not r["status"]["active"])
    resp = api.put(f"{RULES}/{inactive}", json=body({"status": {"active": True}}))
    assert resp.status_code == 400 and resp.json == _limit_error(active)
    assert org.rules[inactive]["status"] == {"active": False}
