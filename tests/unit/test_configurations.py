"""The workflow trigger/action catalogue (mockcrm.crm.configurations + its seed data)."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest
from oas import validate_response, zoho_example

from mockcrm.core.errors import ZohoError
from mockcrm.crm.configurations import (
    SUPPORTED_VALUES,
    TRIGGER_TYPES,
    Catalogue,
    trigger_category,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seed_data" / "zylker" / "workflow_configurations.json"

NOTES_REF = {
    "singular_label": "Note",
    "plural_label": "Notes",
    "api_name": "Notes",
    "name": "Notes",
    "id": "3361265000000000147",
}
REFS = {"Notes": NOTES_REF}

# --- Facts: Zoho's documented GET /workflow_configurations?module=Leads body (OAS example) ---
_NOTE_ACTIONS = [
    "add_tags",
    "remove_tags",
    "email_notifications",
    "create_record",
    "add_meeting",
    "schedule_call",
    "webhooks",
    "functions",
    "flow",
]
_LEAD_ACTIONS = [
    "field_updates",
    "assign_owner",
    "add_tags",
    "remove_tags",
    "email_notifications",
    "create_record",
    "add_meeting",
    "schedule_call",
    "convert",
    "webhooks",
    "functions",
    "flow",
]
_DATE_ACTIONS = [a for a in _LEAD_ACTIONS if a != "convert"]
_SCORE_ACTIONS = [
    "field_updates",
    "assign_owner",
    "add_tags",
    "remove_tags",
    "email_notifications",
    "webhooks",
    "functions",
    "flow",
]
_DELETE_ACTIONS = ["email_notifications", "webhooks", "functions"]


def _t(api_name: str, name: str, scheduled: bool, actions: list[str]) -> dict:
    return {
        "api_name": api_name,
        "deprecated": False,
        "name": name,
        "scheduled_actions_supported": scheduled,
        "actions": actions,
    }


def _a(api_name: str, name: str, associate: bool, limit: int, per: int | None, sched: bool):
    return {
        "is_clickable": True,
        "associate_action": associate,
        "limit_per_action": per,
        "api_name": api_name,
        "supported_in_scheduled_action": sched,
        "name": name,
        "limit": limit,
    }


ZOHO_LEADS_EXAMPLE = {
    "related_triggers_details": [
        {
            "api_name": "Notes",
            "module": NOTES_REF,
            "name": "Notes",
            "triggers": [
                _t("create", "Create", True, _NOTE_ACTIONS),
                _t("create_or_edit", "CreateorEdit", True, _NOTE_ACTIONS),
                _t("edit", "Edit", True, _NOTE_ACTIONS),
                _t("delete", "Delete", False, _DELETE_ACTIONS),
            ],
        }
    ],
    "triggers": [
        _t("create", "Create", True, _LEAD_ACTIONS),
        _t("create_or_edit", "CreateorEdit", True, _LEAD_ACTIONS),
        _t("edit", "Edit", True, _LEAD_ACTIONS),
        _t("field_update", "FieldUpdate", True, _LEAD_ACTIONS),
        _t("section_update", "SectionUpdate", True, _LEAD_ACTIONS),
        _t("delete", "Delete", False, _DELETE_ACTIONS),
        _t("date_or_datetime", "DateBased", True, _DATE_ACTIONS),
        _t("score_increase", "ScoreIncrease", False, _SCORE_ACTIONS),
        _t("score_decrease", "ScoreDecrease", False, _SCORE_ACTIONS),
        _t("score_update", "ScoreUpdate", False, _SCORE_ACTIONS),
    ],
    "actions": [
        _a("remove_tags", "RemoveTags", False, 1, 10, True),
        _a("convert", "Convert", False, 1, None, False),
        _a("functions", "Deluge", True, 1, None, True),
        _a("assign_owner", "AssignOwner", False, 3, None, True),
        _a("field_updates", "Fieldupdate", True, 5, None, True),
        _a("add_tags", "AddTags", False, 1, 10, True),
        _a("email_notifications", "Alert", True, 5, None, True),
        _a("webhooks", "Webhook", True, 1, None, True),
        _a("create_record", "CreateRecord", False, 1, None, True),
        _a("schedule_call", "ScheduleCall", False, 1, None, True),
        _a("add_meeting", "AddMeeting", False, 1, None, True),
        _a("flow", "Flow", False, 1, None, True),
    ],
}
# mockcrm's one documented addition to Leads (fact sheet §16.12): the `tasks` associate action.
TASKS_ACTION = _a("tasks", "Task", True, 5, None, True)

# Kaizen 215 (Zylker): Deals create_or_edit / field_update triggers.
KAIZEN_DEALS_ACTIONS = [
    "field_updates",
    "assign_owner",
    "add_tags",
    "remove_tags",
    "email_notifications",
    "tasks",
    "create_record",
    "create_connected_record",
    "add_meeting",
    "webhooks",
    "functions",
    "circuits",
    "flow",
]

NO_SCORE_ACTIONS = {
    "convert",
    "create_record",
    "create_connected_record",
    "add_meeting",
    "schedule_call",
}


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue.load(SEED)


def _without(value: object, action: str) -> object:
    """`value` with every trace of one action type removed (lists of names and entries)."""
    if isinstance(value, dict):
        return {k: _without(v, action) for k, v in value.items()}
    if isinstance(value, list):
        kept = [v for v in value if v != action]
        kept = [v for v in kept if not (isinstance(v, dict) and v.get("api_name") == action)]
        return [_without(v, action) for v in kept]
    return value


def _all_trigger_lists(resp: dict) -> list[dict]:
    related = [t for r in resp["related_triggers_details"] for t in r["triggers"]]
    return resp["triggers"] + related


def test_literal_is_zohos_documented_example() -> None:
    assert zoho_example("workflow_configurations", "getWorkflowConfigurations", 200) == {
        "workflow_configurations": ZOHO_LEADS_EXAMPLE
    }


def test_leads_is_zohos_example_plus_tasks(cat: Catalogue) -> None:
    resp = cat.response("Leads", REFS)
    # Same content and same key order (clients diff JSON text).
    assert json.dumps(_without(resp, "tasks")) == json.dumps(ZOHO_LEADS_EXAMPLE)
    assert resp["actions"][-1] == TASKS_ACTION
    by_type = {t["api_name"]: t["actions"] for t in resp["triggers"]}
    assert by_type["create"][4:7] == ["email_notifications", "tasks", "create_record"]
    assert "tasks" in by_type["score_update"] and "tasks" not in by_type["delete"]
    assert cat.action("Leads", "tasks") == TASKS_ACTION


def test_deals_triggers_follow_kaizen_215(cat: Catalogue) -> None:
    for trigger in ("create_or_edit", "field_update", "create", "edit"):
        entry = cat.trigger("Deals", trigger)
        assert entry is not None
        assert entry["actions"] == KAIZEN_DEALS_ACTIONS
        assert entry["scheduled_actions_supported"] is True
    assert [a["api_name"] for a in cat.response("Deals", REFS)["actions"]] == [
        "remove_tags",
        "functions",
        "assign_owner",
        "field_updates",
        "add_tags",
        "email_notifications",
        "webhooks",
        "create_record",
        "add_meeting",
        "flow",
        "tasks",
        "create_connected_record",
        "circuits",
    ]
    assert cat.action("Deals", "convert") is None
    assert cat.action("Deals", "circuits")["limit"] == 1


def test_delete_trigger_allows_only_notifications_webhooks_functions(cat: Catalogue) -> None:
    seen = 0
    for module in cat.modules():
        for trigger in _all_trigger_lists(cat.response(module, REFS)):
            if trigger["api_name"] == "delete":
                seen += 1
                assert trigger["actions"] == _DELETE_ACTIONS, module
                assert trigger["scheduled_actions_supported"] is False
    assert seen >= len(cat.modules())


def test_score_triggers_have_no_scheduled_or_record_creating_actions(cat: Catalogue) -> None:
    for module in ("Leads", "Contacts", "Accounts", "Deals"):
        for kind in ("score_increase", "score_decrease", "score_update"):
            entry = cat.trigger(module, kind)
            assert entry is not None, (module, kind)
            assert entry["scheduled_actions_supported"] is False
            assert not NO_SCORE_ACTIONS & set(entry["actions"])
            assert {"field_updates", "email_notifications"} <= set(entry["actions"])


def test_products_and_inventory_have_no_score_triggers(cat: Catalogue) -> None:
    assert cat.trigger("Products", "create") is not None
    for module in ("Products", "Vendors", "Quotes", "Invoices", "Cases"):
        assert cat.trigger(module, "score_increase") is None
        assert cat.trigger(module, "score_update") is None


def test_convert_only_on_leads_quotes_sales_orders(cat: Catalogue) -> None:
    with_convert = [m for m in cat.modules() if cat.action(m, "convert")]
    assert with_convert == ["Leads", "Quotes", "Sales_Orders"]
    assert cat.action("Quotes", "convert")["supported_in_scheduled_action"] is False
    assert "convert" not in cat.trigger("Quotes", "date_or_datetime")["actions"]


def test_activity_modules_have_their_own_triggers(cat: Catalogue) -> None:
    for kind in ("overdue", "marked_as_complete", "anyaction", "create"):
        assert cat.trigger("Tasks", kind) is not None
    for kind in ("reschedule", "cancel", "reassign", "create"):
        assert cat.trigger("Events", kind) is not None
    for kind in ("missed_call", "incoming_call_ring", "scheduled_call_createedit", "delete"):
        assert cat.trigger("Calls", kind) is not None
    assert cat.trigger("Calls", "create") is None
    assert cat.trigger("Leads", "overdue") is None
    for module in ("Tasks", "Events", "Calls"):
        assert cat.action(module, "create_record") is None
        assert cat.action(module, "tasks") is None
        assert cat.related_modules(module) == []


def test_notes_is_only_a_related_trigger_module(cat: Catalogue) -> None:
    assert not cat.has_module("Notes")
    assert "Notes" not in cat.modules()
    assert not cat.has_module("NoSuchModule") and not cat.has_module("leads")
    assert cat.has_module("Leads")
    with pytest.raises(ZohoError) as err:
        cat.response("Notes", REFS)
    assert err.value.body() == {
        "code": "INVALID_MODULE",
        "details": {"param_name": "module"},
        "message": "The value provided to the param is Invalid",
        "status": "error",
    }
    assert cat.trigger("Notes", "create") is None
    assert cat.action("NoSuchModule", "field_updates") is None
    for module in ("Leads", "Contacts", "Accounts", "Deals"):
        assert cat.related_modules(module) == ["Notes"]


def test_related_notes_trigger_lookup(cat: Catalogue) -> None:
    notes_create = cat.trigger("Deals", "create", "Notes")
    assert notes_create is not None
    assert "field_updates" not in notes_create["actions"]
    assert "assign_owner" not in notes_create["actions"]
    assert notes_create["actions"] != cat.trigger("Deals", "create")["actions"]
    assert cat.trigger("Deals", "create", "Deals") == cat.trigger("Deals", "create")
    assert cat.trigger("Deals", "delete", "Notes")["actions"] == _DELETE_ACTIONS
    assert cat.trigger("Deals", "field_update", "Notes") is None
    assert cat.trigger("Products", "create", "Notes") is None
    assert cat.trigger("Deals", "create", "Calls") is None


def test_every_trigger_action_is_described_in_actions(cat: Catalogue) -> None:
    for module in cat.modules():
        resp = cat.response(module, REFS)
        described = [a["api_name"] for a in resp["actions"]]
        used = {a for t in _all_trigger_lists(resp) for a in t["actions"]}
        assert set(described) == used, module
        assert len(described) == len(set(described))
        assert all(t["api_name"] in TRIGGER_TYPES for t in _all_trigger_lists(resp))


def test_trigger_categories() -> None:
    expected = {
        "create": "record_action",
        "create_or_edit": "record_action",
        "delete": "record_action",
        "field_update": "record_action",
        "section_update": "record_action",
        "rollup_summary_update": "record_action",
        "date_or_datetime": "date",
        "score_increase": "score",
        "zia_scoring_rule": "score",
        "incoming_call_ring": "calls",
        "scheduled_call_field_update": "calls",
        "missed_call": "calls",
        "mail_sent_replied_within": "email",
        "email_received_notreplied": "email",
        "overdue": "activity",
        "reschedule": "activity",
        "anyaction": "activity",
        "fb_like_on_post": "social",
        "tw_send_message": "social",
        "activate": "users",
        "recommendation_rebuy": "recommendation",
        "voc_incoming_signal": "voc",
    }
    assert {t: trigger_category(t) for t in expected} == expected
    assert trigger_category("no_such_trigger") is None
    assert trigger_category("score_") is None
    assert all(trigger_category(t) for t in TRIGGER_TYPES)


def test_trigger_type_lists() -> None:
    assert len(SUPPORTED_VALUES) == 63
    assert SUPPORTED_VALUES[:4] == ["create", "edit", "create_or_edit", "delete"]
    assert SUPPORTED_VALUES[-1] == "tw_send_message"
    assert SUPPORTED_VALUES.count("delete") == 3 and SUPPORTED_VALUES.count("anyaction") == 2
    assert set(SUPPORTED_VALUES) <= set(TRIGGER_TYPES)
    assert len(TRIGGER_TYPES) == len(set(TRIGGER_TYPES)) == 61


def test_catalogue_hands_out_copies(cat: Catalogue) -> None:
    before = cat.response("Leads", REFS)
    resp = cat.response("Leads", REFS)
    resp["triggers"][0]["actions"].clear()
    resp["actions"][0]["limit"] = 99
    resp["related_triggers_details"][0]["triggers"].pop()
    cat.trigger("Leads", "create")["actions"].append("x")
    cat.trigger("Leads", "create", "Notes")["actions"].clear()
    cat.action("Leads", "assign_owner")["limit"] = 0
    assert cat.response("Leads", REFS) == before
    refs = copy.deepcopy(REFS)
    cat.response("Leads", refs)["related_triggers_details"][0]["module"]["id"] = "1"
    assert refs == REFS


def test_response_requires_related_module_refs(cat: Catalogue) -> None:
    with pytest.raises(KeyError):
        cat.response("Leads", {})
    assert cat.response("Products", {})["related_triggers_details"] == []
    extra = {"Notes": {**NOTES_REF, "module_name": "Notes", "visible": True}}
    assert cat.response("Leads", extra)["related_triggers_details"][0]["module"] == NOTES_REF


def test_dangling_reference_is_rejected() -> None:
    data = json.loads(SEED.read_text(encoding="utf-8"))
    data["action_sets"]["standard"].append("no_such_action")
    with pytest.raises(ValueError, match="no_such_action"):
        Catalogue.from_data(data)


# --- Zoho's JSON schema -------------------------------------------------------------------
# The compact JSON spec caps these arrays at the sizes of its own Leads example (10 triggers,
# 12 actions); Zoho's real answers exceed them (Kaizen 215: 13 actions on a Deals trigger), and
# oas.DEVIATIONS excuses `maxItems` under workflow_configurations. The caps of Zoho's annotated
# YAML spec for the same schemas (20 each) are checked here instead.
YAML_MAX_ITEMS = 20


def test_every_module_matches_zoho_schema(cat: Catalogue) -> None:
    for module in cat.modules():
        body = {"workflow_configurations": cat.response(module, REFS)}
        validate_response("workflow_configurations", "getWorkflowConfigurations", 200, body)


def test_arrays_within_zoho_yaml_caps(cat: Catalogue) -> None:
    for module in cat.modules():
        resp = cat.response(module, REFS)
        sizes = [len(resp[k]) for k in ("related_triggers_details", "triggers", "actions")]
        sizes += [len(r["triggers"]) for r in resp["related_triggers_details"]]
        sizes += [len(t["actions"]) for t in _all_trigger_lists(resp)]
        assert max(sizes) <= YAML_MAX_ITEMS, module


def test_schema_check_bites(cat: Catalogue) -> None:
    resp = cat.response("Contacts", REFS)
    resp["actions"][0]["unknown"] = 1
    with pytest.raises(AssertionError):
        body = {"workflow_configurations": resp}
        validate_response("workflow_configurations", "getWorkflowConfigurations", 200, body)


def test_trigger_rules_are_the_entrys_checks_made_once_and_immutable(cat: Catalogue) -> None:
    rules = cat.trigger_rules("Leads", "create", None)
    entry = cat.trigger("Leads", "create")
    assert rules is not None and entry is not None
    assert rules.actions == frozenset(entry["actions"])
    assert rules.scheduled_actions_supported is entry["scheduled_actions_supported"] is True
    assert cat.trigger_rules("Leads", "create", None) is rules  # made once, shared
    with pytest.raises(dataclasses.FrozenInstanceError):
        rules.actions = frozenset()  # type: ignore[misc]
    notes = cat.trigger_rules("Leads", "create", "Notes")
    assert notes is not None and notes.actions == set(
        cat.trigger("Leads", "create", "Notes")["actions"]
    )
    assert cat.trigger_rules("Products", "score_increase", None) is None
    assert cat.trigger_rules("Leads", "create", "Deals") is None  # not a related module of Leads
