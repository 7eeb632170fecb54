"""crm/engine_actions.py: the actions that change records (field updates, add/remove tags,
assign owner, tasks, create record) on seeded Zylker records, on the frozen clock
(2025-12-01T11:09:10+05:30, a Monday). E-mail, webhooks, other action types and deleted records:
test_engine_actions_outbox.py."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from engine_actions_helpers import DEAL, LEAD, NOW, assert_failed, associate, inline, run, state

from mockcrm.crm.engine_plans import PLAN_SLACK
from mockcrm.crm.org import Org

CONTACT = "4876876000005020001"  # Anika Rao
PATRICIA = {"name": "Patricia Boyle", "id": "4876876000000327001"}
NEEL = {"name": "Neel Sama", "id": "4876876000000301007", "email": "neel.sama@zylker.com"}
UNNATI = {"name": "Unnati Pandey", "id": "4876876000000309003", "email": "unnati.pandey@zylker.com"}
HOT = {"name": "Hot", "id": "4876876000011037084", "color_code": "#F48435"}
WEBINAR = {"name": "Webinar 2025", "id": "4876876000011037092", "color_code": "#1DB9B4"}
P1 = {"name": "P1", "id": "4876876000011037076", "color_code": None}


def set_clock(org: Org, when: datetime) -> None:
    org.clock.set(when, freeze=True)


# --------------------------------------------------------------------------- field updates
def test_field_update_sets_the_field_and_returns_an_edit_event(org: Org) -> None:
    before = copy.deepcopy(org.records["Deals"][DEAL])
    outcome = run(org, associate("field_updates", "4876876000009610064"))
    record = org.records["Deals"][DEAL]
    assert outcome.status == "success"
    assert outcome.detail == {"updated": {"Next_Step": "Finance review of pricing"}}
    assert record == {
        **before,
        "Next_Step": "Finance review of pricing",
        "Modified_Time": NOW,
        "Modified_By": PATRICIA,
    }
    [event] = outcome.events
    assert (event.kind, event.module, event.record_id) == ("edit", "Deals", DEAL)
    assert event.before == before and event.after == record
    assert event.after is not record  # copies: later changes do not rewrite the event


def test_field_update_value_is_typed_like_the_records_api(org: Org) -> None:
    deal = "4876876000005040003"  # Probability 75
    outcome = run(org, associate("field_updates", "4876876000009610071"), rid=deal)
    assert outcome.detail == {"updated": {"Probability": 90}}
    assert org.records["Deals"][deal]["Probability"] == 90


def test_field_update_without_change_writes_nothing(org: Org) -> None:
    before = state(org)  # this deal's Probability is already 90
    outcome = run(org, associate("field_updates", "4876876000009610071"))
    assert (outcome.status, outcome.detail, outcome.events) == ("success", {"updated": {}}, [])
    assert state(org) == before


@pytest.mark.parametrize(
    ("module", "record_id", "field", "value", "detail"),
    [
        # The record holds the value, but the field is read only / the value is no boolean.
        ("Deals", DEAL, "Created_Time", None, {"reason": "field is read only"}),
        (
            "Leads", LEAD, "Email_Opt_Out", 0,
            {"reason": "invalid data", "code": "INVALID_DATA", "expected_data_type": "boolean"},
        ),
    ],
)  # fmt: skip
def test_a_value_the_record_holds_is_still_checked(
    org: Org, module: str, record_id: str, field: str, value: Any, detail: dict
) -> None:
    record = org.records[module][record_id]
    value = record[field] if value is None else value
    assert record[field] == value  # False == 0: equal, yet 0 is no boolean
    entity = copy.deepcopy(org.entities["field_updates"]["4876876000009610001"])
    entity.update(id="4876876000099000022", field={"api_name": field}, value=value)
    entity["module"]["api_name"] = module
    org.entities["field_updates"][entity["id"]] = entity
    action = associate("field_updates", entity["id"])
    assert_failed(org, action, {**detail, "api_name": field}, module, record_id)


def test_field_update_owner_and_multiselect_append(org: Org) -> None:
    entity = copy.deepcopy(org.entities["field_updates"]["4876876000009610064"])
    entity.update(id="4876876000099000020", field={"api_name": "Owner"}, value={"id": NEEL["id"]})
    org.entities["field_updates"][entity["id"]] = entity
    outcome = run(org, associate("field_updates", entity["id"]))
    assert outcome.detail == {"updated": {"Owner": NEEL}}
    assert org.records["Deals"][DEAL]["Owner"] == NEEL


def test_field_update_of_a_related_record_through_a_lookup(org: Org) -> None:
    account = "4876876000005010001"  # the deal's Account_Name
    related = {"lookup_field": {"api_name": "Account_Name", "id": "4876876000000002509"}}
    outcome = run(org, associate("field_updates", "4876876000009610050", related))
    assert outcome.detail == {
        "updated": {"Rating": "Active"},
        "record": {"module": "Accounts", "id": account},
    }
    assert org.records["Accounts"][account]["Rating"] == "Active"
    assert [(e.kind, e.module, e.record_id) for e in outcome.events] == [
        ("edit", "Accounts", account)
    ]


def test_field_update_failures_change_nothing(org: Org) -> None:
    assert_failed(
        org, associate("field_updates", "4876876000000000404"), {"reason": "action not found"}
    )
    other = associate("field_updates", "4876876000009610001")  # a Leads field update
    assert_failed(org, other, {"reason": "field update of another module", "module": "Leads"})
    entity = copy.deepcopy(org.entities["field_updates"]["4876876000009610064"])
    entity.update(id="4876876000099000021", field={"api_name": "Stage"}, value="Bogus")
    org.entities["field_updates"][entity["id"]] = entity
    invalid = {
        "reason": "The field value given for Stage is invalid",
        "code": "INVALID_DATA",
        "api_name": "Stage",
    }
    assert_failed(org, associate("field_updates", entity["id"]), invalid)
    entity.update(field={"api_name": "Nope"})
    assert_failed(
        org,
        associate("field_updates", entity["id"]),
        {"reason": "field not found", "api_name": "Nope"},
    )
    org.records["Deals"][DEAL]["Account_Name"] = None
    related = {"lookup_field": {"api_name": "Account_Name"}}
    assert_failed(
        org,
        associate("field_updates", "4876876000009610050", related),
        {"reason": "related record not found", "lookup_field": "Account_Name"},
    )


def test_plans_of_deleted_field_updates_are_dropped(org: Org) -> None:
    """One plan per field update entity (engine_actions.FieldUpdatePlan): under create/delete
    churn of entities the org keeps at most PLAN_SLACK plans more than it has entities."""
    seeded = org.entities["field_updates"]["4876876000009610064"]
    for n in range(3 * PLAN_SLACK):
        entity = {**seeded, "id": f"48768760000990{n:05d}", "value": f"Step {n}"}
        org.entities["field_updates"][entity["id"]] = entity
        assert run(org, associate("field_updates", entity["id"])).detail == {
            "updated": {"Next_Step": f"Step {n}"}
        }
        del org.entities["field_updates"][entity["id"]]
    plans = org.runtime["field_update_plans"]
    assert len(plans) <= len(org.entities["field_updates"]) + PLAN_SLACK + 1


# --------------------------------------------------------------------------- tags
def tags_action(kind: str, tags: list[dict], over_write: bool = False) -> dict:
    return inline(kind, {"module": {"api_name": "Leads"}, "over_write": over_write, "tags": tags})


def test_add_tags_appends_and_over_write_replaces(org: Org) -> None:
    outcome = run(org, tags_action("add_tags", [WEBINAR, HOT]), "Leads", LEAD)
    assert outcome.detail == {"updated": {"Tag": [HOT, WEBINAR]}}
    record = org.records["Leads"][LEAD]
    assert (record["Tag"], record["Modified_Time"]) == ([HOT, WEBINAR], NOW)
    [event] = outcome.events
    assert (event.kind, event.before["Tag"], event.after["Tag"]) == ("edit", [HOT], [HOT, WEBINAR])

    outcome = run(org, tags_action("add_tags", [P1], over_write=True), "Leads", LEAD)
    p1 = {**P1, "color_code": org.tag("Leads", tag_id=P1["id"])["color_code"]}
    assert outcome.detail == {"updated": {"Tag": [p1]}}
    assert org.records["Leads"][LEAD]["Tag"] == [p1]


def test_add_tags_already_there_and_remove_tags(org: Org) -> None:
    outcome = run(org, tags_action("add_tags", [HOT]), "Leads", LEAD)
    assert (outcome.detail, outcome.events) == ({"updated": {}}, [])
    outcome = run(org, tags_action("remove_tags", [{"name": "Hot"}]), "Leads", LEAD)
    assert outcome.detail == {"updated": {"Tag": []}}
    assert org.records["Leads"][LEAD]["Tag"] == []
    assert [e.kind for e in outcome.events] == ["edit"]


def test_tags_deleted_since_the_rule_was_saved(org: Org) -> None:
    org.tags["Leads"] = [t for t in org.tags["Leads"] if t["id"] != WEBINAR["id"]]
    assert_failed(
        org, tags_action("add_tags", [WEBINAR]), {"reason": "tag not found"}, "Leads", LEAD
    )
    outcome = run(org, tags_action("add_tags", [WEBINAR, P1]), "Leads", LEAD)
    assert [t["name"] for t in org.records["Leads"][LEAD]["Tag"]] == ["Hot", "P1"]
    assert outcome.status == "success"


# --------------------------------------------------------------------------- assign owner
def owner_action(*entries: dict) -> dict:
    return inline("assign_owner", {"module": {"api_name": "Deals"}, "assign_to": list(entries)})


def user_entry(user_id: str) -> dict:
    return {"resource": {"id": user_id, "type": "user"}, "details": None, "type": "user"}


def test_assign_owner_to_a_user(org: Org) -> None:
    outcome = run(org, owner_action(user_entry(NEEL["id"])))
    assert outcome.detail == {"updated": {"Owner": NEEL}}
    assert org.records["Deals"][DEAL]["Owner"] == NEEL
    assert [(e.kind, e.after["Owner"]) for e in outcome.events] == [("edit", NEEL)]


def test_assign_owner_round_robin_over_the_listed_users(org: Org) -> None:
    action = owner_action(user_entry(NEEL["id"]), user_entry(UNNATI["id"]))
    owners = []
    for deal in ("4876876000005040002", "4876876000005040003", "4876876000005040005"):
        run(org, action, rid=deal)
        owners.append(org.records["Deals"][deal]["Owner"]["name"])
    assert owners == ["Neel Sama", "Unnati Pandey", "Neel Sama"]


def test_assign_owner_from_a_merge_field(org: Org) -> None:
    entry = {"type": "merge_field", "details": {"api_name": "${!Leads.Created_By}"}}
    outcome = run(org, owner_action(entry), "Leads", LEAD)
    patricia = {**PATRICIA, "email": "patricia.boyle@zylker.com"}
    assert outcome.detail == {"updated": {"Owner": patricia}}


MANAGER_ROLE, STANDARD_PROFILE = "4876876000000026008", "4876876000000026014"


def group_entry(kind: str, group_id: str) -> dict:
    return {"resource": {"id": group_id, "type": kind}, "details": None, "type": kind}


def _owners(org: Org, action: dict, times: int) -> list[str]:
    """The owner the action gives each of `times` deals, in turn."""
    deals = ["4876876000005040002", "4876876000005040003", "4876876000005040005"]
    owners = []
    for n in range(times):
        assert run(org, action, rid=deals[n % 3]).status == "success"
        owners.append(org.records["Deals"][deals[n % 3]]["Owner"]["name"])
    return owners


def test_assign_owner_round_robin_over_a_roles_users(org: Org) -> None:
    action = owner_action(group_entry("role", MANAGER_ROLE))
    assert (_owners(org, action, 3)) == ["Zayyan Kalita", "Gaurika Suri", "Zayyan Kalita"]


def test_assign_owner_over_a_profiles_active_users(org: Org) -> None:
    org.user(UNNATI["id"])["status"] = "deleted"  # skipped
    action = owner_action(group_entry("profile", STANDARD_PROFILE))
    assert (_owners(org, action, 4)) == [
        "Gaurika Suri", "Benjamin Kapadia", "Osha Nigam", "Gaurika Suri"
    ]  # fmt: skip


def test_assign_owner_over_users_and_roles_names_each_user_once(org: Org) -> None:
    zayyan = "4876876000000298001"
    action = owner_action(user_entry(zayyan), group_entry("role", MANAGER_ROLE))
    assert (_owners(org, action, 3)) == ["Zayyan Kalita", "Gaurika Suri", "Zayyan Kalita"]


def test_assign_owner_failures(org: Org) -> None:
    group = group_entry("group", "4876876000000339001")
    not_supported = {"reason": "not supported", "assign_type": ["group"]}
    assert_failed(org, owner_action(group, user_entry(NEEL["id"])), not_supported)
    nobody = group_entry("role", "4876876000000000404")
    no_user = {
        "reason": "no active user",
        "assign_to": [{"type": "role", "id": nobody["resource"]["id"]}],
    }
    assert_failed(org, owner_action(nobody), no_user)
    gone = {
        "reason": "no active user",
        "assign_to": [{"type": "user", "id": "4876876000000000404"}],
    }
    assert_failed(org, owner_action(user_entry("4876876000000000404")), gone)
    org.user(NEEL["id"])["status"] = "deleted"
    inactive = {"reason": "no active user", "assign_to": [{"type": "user", "id": NEEL["id"]}]}
    assert_failed(org, owner_action(user_entry(NEEL["id"])), inactive)


def test_assign_owner_round_robin_skips_users_who_cannot_own_records(org: Org) -> None:
    org.user(NEEL["id"])["status"] = "inactive"
    action = owner_action(user_entry(NEEL["id"]), group_entry("role", MANAGER_ROLE))
    assert _owners(org, action, 3) == ["Zayyan Kalita", "Gaurika Suri", "Zayyan Kalita"]


# --------------------------------------------------------------------------- tasks
def test_task_is_created_on_the_deal_with_business_day_due_date(org: Org) -> None:
    outcome = run(org, associate("tasks", "4876876000016794047"), scheduled=True)
    task_id = outcome.detail["task_id"]
    assert outcome.status == "success" and outcome.detail == {"task_id": task_id}
    task = org.records["Tasks"][task_id]
    assert task == {
        "Owner": {**PATRICIA, "email": "patricia.boyle@zylker.com"},
        "Subject": "Lost Deal - Feedback",
        "Due_Date": "2025-12-03",  # Monday + 2 business days
        "Status": "Not Started",
        "Priority": "High",
        "What_Id": {"name": "Orbit Logistics - Fleet Tracking Suite", "id": DEAL},
        "Who_Id": None,
        "Send_Notification_Email": False,
        "Closed_Time": None,
        "Description": None,
        "Tag": [],
        "Created_By": PATRICIA,
        "Modified_By": PATRICIA,
        "Created_Time": NOW,
        "Modified_Time": NOW,
        "$se_module": "Deals",
        "id": task_id,
    }
    [event] = outcome.events
    assert (event.kind, event.module, event.record_id) == ("create", "Tasks", task_id)
    assert (event.before, event.after) == (None, task)


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (datetime(2025, 12, 5, 6, 0, tzinfo=UTC), "2025-12-09"),  # Friday -> Tuesday
        (datetime(2025, 12, 6, 6, 0, tzinfo=UTC), "2025-12-10"),  # Saturday: from Monday
        (datetime(2025, 12, 23, 6, 0, tzinfo=UTC), "2025-12-26"),  # over Christmas (holiday)
    ],
)
def test_task_due_date_skips_weekends_and_holidays(org: Org, now: datetime, due: str) -> None:
    set_clock(org, now)
    outcome = run(org, associate("tasks", "4876876000016794047"))
    assert org.records["Tasks"][outcome.detail["task_id"]]["Due_Date"] == due


def test_task_due_date_in_calendar_days(org: Org) -> None:
    set_clock(org, datetime(2025, 12, 5, 6, 0, tzinfo=UTC))  # Friday
    outcome = run(org, associate("tasks", "4876876000009610218"))  # plus 1 day(s)
    task = org.records["Tasks"][outcome.detail["task_id"]]
    assert (task["Due_Date"], task["Priority"]) == ("2025-12-06", "Highest")


def test_task_links_leads_by_what_id_and_contacts_by_who_id(org: Org) -> None:
    lead_task = run(org, associate("tasks", "4876876000009610232"), "Leads", LEAD).detail["task_id"]
    task = org.records["Tasks"][lead_task]
    assert (task["What_Id"], task["$se_module"], task["Who_Id"]) == (
        {"name": "Kavya Menon", "id": LEAD},
        "Leads",
        None,
    )
    assert task["Owner"] == UNNATI  # the record's owner
    assert task["Due_Date"] == "2025-12-04"  # 3 business days
    outcome = run(org, associate("tasks", "4876876000009610239"), "Contacts", CONTACT)
    task = org.records["Tasks"][outcome.detail["task_id"]]
    assert (task["Who_Id"], task["What_Id"]) == ({"name": "Anika Rao", "id": CONTACT}, None)
    assert "$se_module" not in task


def test_task_owner_mapping_and_failures(org: Org) -> None:
    entity = copy.deepcopy(org.entities["tasks"]["4876876000016794047"])
    entity["id"] = "4876876000099000030"
    entity["field_mappings"].append(
        {"field": {"api_name": "Owner"}, "type": "static", "value": {"id": NEEL["id"]}}
    )
    org.entities["tasks"][entity["id"]] = entity
    outcome = run(org, associate("tasks", entity["id"]))
    assert org.records["Tasks"][outcome.detail["task_id"]]["Owner"] == NEEL
    del org.records["Tasks"][outcome.detail["task_id"]]
    entity["field_mappings"] = entity["field_mappings"][1:]  # no Subject
    missing = {
        "reason": "required field not found",
        "code": "MANDATORY_NOT_FOUND",
        "api_name": "Subject",
    }
    assert_failed(org, associate("tasks", entity["id"]), missing)
    assert_failed(org, associate("tasks", "4876876000000000404"), {"reason": "action not found"})


# --------------------------------------------------------------------------- create record
def create_action(module: str, mappings: list[dict]) -> dict:
    return inline("create_record", {"module": {"api_name": module}, "field_mappings": mappings})


def mapping(api_name: str, value: Any, kind: str = "merge_field") -> dict:
    return {"field": {"api_name": api_name}, "type": kind, "value": value}


def test_create_record_with_merge_fields(org: Org) -> None:
    action = create_action(
        "Accounts",
        [
            mapping("Account_Name", "${!Leads.Company}"),
            mapping("Annual_Revenue", "${Leads.Annual Revenue}"),
            mapping("Description", "From ${Leads.Last_Name}"),
            mapping("Account_Type", "Prospect", "static"),
        ],
    )
    outcome = run(org, action, "Leads", LEAD)
    rid = outcome.detail["record_id"]
    assert outcome.detail == {"module": "Accounts", "record_id": rid}
    account = org.records["Accounts"][rid]
    assert {k: account[k] for k in ("Account_Name", "Annual_Revenue", "Description")} == {
        "Account_Name": "Brightline Analytics",
        "Annual_Revenue": 750000,
        "Description": "From Menon",
    }
    assert (account["Account_Type"], account["Owner"], account["Created_Time"]) == (
        "Prospect",
        UNNATI,
        NOW,
    )
    assert [(e.kind, e.module, e.after) for e in outcome.events] == [
        ("create", "Accounts", account)
    ]


def test_create_record_failures(org: Org) -> None:
    assert_failed(
        org,
        create_action("Nope", []),
        {"reason": "module not found", "module": "Nope"},
        "Leads",
        LEAD,
    )
    missing = {
        "reason": "required field not found",
        "code": "MANDATORY_NOT_FOUND",
        "api_name": "Account_Name",
    }
    action = create_action("Accounts", [mapping("Account_Name", "${Leads.Website}")])
    assert_failed(org, action, missing, "Leads", LEAD)
