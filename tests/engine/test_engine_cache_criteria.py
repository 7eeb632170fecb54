"""Compiled criteria (crm/criteria_compiled.py) answer exactly as criteria.py does, for every
comparator, field type and value kind; a compiled rule follows changes of the module's fields;
and the org's indexes behind the engine (fields, users, the formatted clock, merge-field names,
name fields, mandatory fields) follow the data they index."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

import pytest

from mockcrm.core.errors import ZohoError
from mockcrm.crm import criteria, criteria_compiled, engine, merge_fields, record_values
from mockcrm.crm.calendar import add_business_days
from mockcrm.crm.org import Org
from mockcrm.crm.records import RecordEvent

PATRICIA = "4876876000000327001"  # the org's current user
COMPARATORS = (
    "equal", "not_equal", "in", "not_in", "like", "not_like", "contains", "not_contains",
    "starts_with", "ends_with", "less_than", "less_equal", "greater_than", "greater_equal",
    "between", "not_between", "include_all", "include_any", "exclude_all", "exclude_any",
    "${ANYVALUE}", None,
)  # fmt: skip
VALUES: tuple[Any, ...] = (
    "Qualification", "qualification", "Closed Won", "North", "${EMPTY}", "${NOTEMPTY}",
    "50000", 50000, "75,000", 0, "abc", ["Qualification", "Negotiation/Review"],
    ["10000", "90000"], ["North", "West"], "2025-12-15", "2025-12-15T10:00:00+05:30",
    "${TODAY}", "${LAST_N_DAYS:30}", "${NEXTMONTH}", "${AGEINDAYS}+3", "${CURRENTUSER}",
    {"id": "${CURRENTUSER}"}, {"id": "${CURRENTUSERROLE}"}, {"name": "Orbit Logistics"},
    "Orbit%", "%Suite", "Suite", "true", True, None, "", "Priority", [{"name": "Priority"}],
)  # fmt: skip
REFERENCES = ("Amount", "${Deals.Amount}", "${Deals.Stage} deal", "${Leads.Company}", 7)
FIELDS = (
    "Stage", "Amount", "Probability", "Closing_Date", "Last_Activity_Time", "Deal_Name",
    "Account_Name", "Owner", "Tag", "Type", "Regions", "Flag", "Deals__r.Stage", "Nope", None,
)  # fmt: skip


@pytest.fixture
def deals(org: Org) -> Org:
    """Deals with a multi-select and a checkbox (Zylker's seed has neither on Deals)."""
    options = [{"display_value": v, "actual_value": v} for v in ("North", "South", "West")]
    regions = {"api_name": "Regions", "id": "1", "data_type": "multiselectpicklist"}
    org.fields["Deals"].append({**regions, "pick_list_values": options})
    org.fields["Deals"].append({"api_name": "Flag", "id": "2", "data_type": "boolean"})
    return org


def _records(org: Org) -> list[dict]:
    seeded = list(org.records["Deals"].values())
    base = seeded[0]
    odd = [
        {"id": "1"},
        {**base, "Stage": None, "Amount": None, "Tag": [], "Regions": ["North", "South"]},
        {**base, "Stage": ["Qualification"], "Amount": "abc", "Flag": True, "Regions": []},
        {**base, "Amount": 0, "Closing_Date": "not a date", "Account_Name": "Orbit Logistics",
         "Deal_Name": "", "Type": ""},
        {**base, "Owner": {"name": "Patricia Boyle", "id": PATRICIA}, "Flag": False,
         "Last_Activity_Time": "2025-11-28T09:00:00+05:30", "Closing_Date": "2025-12-01"},
    ]  # fmt: skip
    return seeded + odd


def _outcome(function: Any, *args: Any) -> Any:
    """The answer, or the kind of failure (the two must fail alike, too)."""
    try:
        return function(*args)
    except Exception as failure:  # comparing failures is the point
        return type(failure)


def _leaves() -> list[dict]:
    leaves = []
    for api_name, comparator, value in itertools.product(FIELDS, COMPARATORS, VALUES):
        leaf: dict[str, Any] = {"field": {"api_name": api_name}, "comparator": comparator}
        if value is not None:
            leaf["value"] = value
        leaves.append(leaf)
    for api_name, comparator, value in itertools.product(FIELDS[:8], COMPARATORS[:16], REFERENCES):
        for kind in ("field", "merge_field"):
            leaves.append({"field": {"api_name": api_name}, "comparator": comparator,
                           "type": kind, "value": value})  # fmt: skip
    return leaves


def test_compiled_conditions_answer_as_criteria_py(deals):
    records = _records(deals)
    leaves = _leaves()
    groups = [
        {"group_operator": operator, "group": [a, b]}
        for operator, (a, b) in zip(
            itertools.cycle(("AND", "OR", "or")), zip(leaves[::37], leaves[5::41], strict=False)
        )
    ]
    nested = [{"group": [groups[i], leaves[i * 3]], "group_operator": "OR"} for i in range(40)]
    odd = [{}, {"group": []}, {"group": [], "group_operator": "OR"}, {"field": "Stage"}]
    for crit in [*leaves, *groups, *nested, *odd, None]:
        test = criteria_compiled.condition(deals, "Deals", crit)
        for record in records:
            want = _outcome(criteria.matches, deals, "Deals", crit, record)
            got = _outcome(test, criteria.Context(deals, "Deals", record))
            assert got == want, (crit, record.get("id"))


def test_compiled_field_update_triggers_answer_as_criteria_py(deals):
    records = _records(deals)
    leaves = [leaf for leaf in _leaves()[::7] if leaf.get("type") is None]
    anyvalue = [{"field": {"api_name": f}, "comparator": "${ANYVALUE}"} for f in FIELDS]
    groups = [{"group_operator": op, "group": [a, b]}
              for op, a, b in zip(itertools.cycle(("AND", "OR")), leaves[::5], anyvalue * 40,
                                  strict=False)]  # fmt: skip
    for crit in [*leaves, *anyvalue, *groups]:
        test = criteria_compiled.trigger(deals, "Deals", crit)
        for before, after in itertools.product([None, *records[:6]], records[4:]):
            want = _outcome(criteria.field_update_matches, deals, "Deals", crit, before, after)
            got = _outcome(_fired, test, criteria.Context(deals, "Deals", after), before)
            assert got == want, (crit, before and before.get("id"), after.get("id"))


def _fired(test: Any, ctx: criteria.Context, before: dict | None) -> bool:
    return test(ctx, before)[1]


def test_a_field_added_to_the_module_recompiles_the_rules_that_name_it(org):
    rule_id = org.ids.next()
    region = {"field": {"api_name": "Region__c"}, "comparator": "equal", "value": "West"}
    org.rules[rule_id] = {
        "id": rule_id, "name": "By region", "module": org.module_ref("Deals"),
        "status": {"active": True}, "modified_time": org.now(), "last_executed_time": None,
        "execute_when": {"type": "create", "details": {"trigger_module": org.module_ref("Deals")}},
        "conditions": [{"id": "c1", "sequence_number": 1,
                        "criteria_details": {"criteria": region},
                        "instant_actions": {"actions": []}, "scheduled_actions": None}],
    }  # fmt: skip
    org.rule_order["Deals"] = [rule_id]
    record = {"id": "1", "Deal_Name": "Regional", "Region__c": "West"}

    def condition() -> Any:
        (execution,) = engine.fire(org, [RecordEvent("create", "Deals", "1", None, record)], None)
        return execution["condition"]

    assert condition() is None  # no such field: never matches
    org.fields["Deals"].append({"api_name": "Region__c", "id": "3", "data_type": "text"})
    assert condition() == {"id": "c1", "sequence_number": 1}


# --- the org's indexes ---------------------------------------------------------------------


def test_field_and_user_lookups_follow_their_lists(org):
    assert org.field("Deals", "Region__c") is None
    org.fields["Deals"].append({"api_name": "Region__c", "id": "3", "data_type": "text"})
    assert org.field("Deals", "Region__c")["id"] == "3"
    org.fields["Deals"] = [f for f in org.fields["Deals"] if f["api_name"] != "Stage"]
    assert org.field("Deals", "Stage") is None and org.field("Nowhere", "Stage") is None
    assert org.user("42") is None
    org.users.append({"id": "42", "full_name": "New Hire", "email": "new@zylker.com"})
    assert org.user("42")["full_name"] == "New Hire"
    org.users = org.users[:1]
    assert org.user("42") is None
    # Ids and api names of the wrong JSON type (sent by a client) name nothing, as before.
    assert org.user(["42"]) is None and org.field("Deals", {"api_name": "Stage"}) is None


def test_the_formatted_now_follows_the_clock_and_the_time_zone(org):
    first = org.now()
    assert org.now() == first == "2025-12-01T11:09:10+05:30"
    org.clock.advance(timedelta(seconds=1))
    assert org.now() == "2025-12-01T11:09:11+05:30"
    org.clock.set(datetime.fromisoformat("2025-11-30T23:59:59+00:00"))
    assert org.now() == "2025-12-01T05:29:59+05:30"
    org.time_zone = "Europe/Berlin"
    assert org.now() == "2025-12-01T00:59:59+01:00"


def test_merge_field_names_follow_the_module_fields(org):
    assert merge_fields.field_api_name(org, "Deals", "Deal Name") == "Deal_Name"
    assert merge_fields.field_api_name(org, "Deals", "Region") is None
    org.fields["Deals"].append({"api_name": "Region__c", "field_label": "Region",
                                "id": "3", "data_type": "text"})  # fmt: skip
    assert merge_fields.field_api_name(org, "Deals", "Region") == "Region__c"


def test_name_and_mandatory_fields_follow_the_module_fields(org):
    assert record_values.name_field(org, "Deals") == "Deal_Name"
    with pytest.raises(ZohoError) as missing:
        record_values.typed_record(org, "Deals", {"Stage": "Qualification"}, 0, None)
    assert missing.value.details["api_name"] == "Deal_Name"
    renamed = [{**f, "system_mandatory": False} if f["api_name"] == "Deal_Name" else f
               for f in org.fields["Deals"]]  # fmt: skip
    org.fields["Deals"] = [
        {"api_name": "Code", "id": "4", "data_type": "text", "system_mandatory": True},
        *renamed,
    ]
    assert record_values.name_field(org, "Deals") == "Code"
    with pytest.raises(ZohoError) as missing:
        record_values.typed_record(org, "Deals", {"Stage": "Qualification"}, 0, None)
    assert missing.value.details["api_name"] == "Code"


def test_business_hours_follow_edits_made_in_place(org):
    friday = datetime.fromisoformat("2025-12-05T10:00:00+05:30")
    assert add_business_days(org, friday, 1).isoformat() == "2025-12-08T10:00:00+05:30"
    org.info["business_hours"]["business_days"].append("Saturday")
    assert add_business_days(org, friday, 1).isoformat() == "2025-12-06T10:00:00+05:30"
    saturday = {"name": "Extra", "date": "2025-12-06", "type": "business_holiday"}
    org.info["holidays"].append(saturday)
    assert add_business_days(org, friday, 1).isoformat() == "2025-12-08T10:00:00+05:30"
    org.info["business_hours"]["daily_timing"][1] = "10:30"  # closes before 10:30 is reached
    assert add_business_days(org, friday, 1).isoformat() == "2025-12-08T10:00:00+05:30"
    org.time_zone = org.info["business_hours"]["timezone"] = "Europe/Berlin"
    # 05:30 in Berlin, before its opening: the next business day opens at 09:00
    assert add_business_days(org, friday, 1).isoformat() == "2025-12-08T09:00:00+01:00"
