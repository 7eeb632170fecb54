"""Criteria evaluation (crm/criteria.py): every comparator, typing, predefined values, groups,
and the field_update trigger. The org's clock is frozen at Monday 2025-12-01 11:09:10+05:30."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mockcrm.crm.criteria import field_update_matches, matches
from mockcrm.crm.org import Org

PATRICIA = "4876876000000327001"  # the org's current user (role CEO)
ZAYYAN = "4876876000000298001"
KAIZEN = json.loads(
    (Path(__file__).parent.parent / "fixtures/kaizen_215_requests.json").read_text()
)

DEAL: dict[str, Any] = {
    "id": "4876876000005040001",
    "Owner": {"name": "Patricia Boyle", "id": PATRICIA, "email": "patricia.boyle@zylker.com"},
    "Deal_Name": "Orbit Logistics - Fleet Tracking Suite",
    "Amount": 75000,
    "Closing_Date": "2025-12-15",
    "Account_Name": {"name": "Orbit Logistics", "id": "4876876000005010001"},
    "Contact_Name": None,
    "Stage": "Negotiation/Review",
    "Probability": 90,
    "Expected_Revenue": 67500,
    "Lead_Source": "Partner",
    "Next_Step": "Send revised contract",
    "Reason_For_Loss__s": None,
    "Description": None,
    "Tag": [
        {"name": "Priority", "id": "4876876000011037136", "color_code": "#F17574"},
        {"name": "Large Deal", "id": "4876876000011037140", "color_code": "#63C57E"},
    ],
    "Created_Time": "2025-12-01T09:30:00+05:30",
    "Modified_Time": "2025-11-10T16:00:00+05:30",
}
LEAD: dict[str, Any] = {
    "id": "4876876000005030001",
    "Owner": {"name": "Unnati Pandey", "id": "4876876000000309003", "email": "u@zylker.com"},
    "Last_Name": "Menon",
    "Company": "Brightline Analytics",
    "Email": "kavya@brightline.example.com",
    "Lead_Status": "Not Contacted",
    "No_of_Employees": 60,
    "Email_Opt_Out": False,
}


def crit(api_name: str, comparator: str, value: Any = None, type_: str | None = None) -> dict:
    out: dict[str, Any] = {"field": {"api_name": api_name}, "comparator": comparator}
    if value is not None:
        out["value"] = value
    if type_:
        out["type"] = type_
    return out


def deal(**changes: Any) -> dict:
    return {**copy.deepcopy(DEAL), **changes}


def check(org: Org, criterion: dict, record: dict, module: str = "Deals") -> bool:
    return matches(org, module, criterion, record)


def test_none_criteria_match_every_record(org: Org) -> None:
    assert matches(org, "Deals", None, deal())
    assert matches(org, "Deals", None, {})


# --- one test per comparator: (criterion, record changes, expected) -----------------------------

CASES: dict[str, list[tuple[dict, dict, bool]]] = {
    "equal": [
        (crit("Deal_Name", "equal", "orbit logistics - FLEET tracking suite"), {}, True),
        (crit("Deal_Name", "equal", "Orbit"), {}, False),
        (crit("Amount", "equal", "75000"), {}, True),
        (crit("Amount", "equal", "75000.00"), {}, True),
        (crit("Amount", "equal", 75001), {}, False),
        (crit("Amount", "equal", "not a number"), {}, False),
        (crit("Stage", "equal", ["Closed Won", "Negotiation/Review"]), {}, True),
        (crit("Stage", "equal", ["Closed Won", "Closed Lost"]), {}, False),
    ],
    "not_equal": [
        (crit("Stage", "not_equal", "Closed Won"), {}, True),
        (crit("Stage", "not_equal", "negotiation/review"), {}, False),
        (crit("Stage", "not_equal", ["Closed Won", "Closed Lost"]), {}, True),
        (crit("Stage", "not_equal", ["Closed Won", "Negotiation/Review"]), {}, False),
        (crit("Reason_For_Loss__s", "not_equal", "Price"), {}, True),  # empty field
        (crit("Amount", "not_equal", "75000"), {}, False),
    ],
    "like": [
        (crit("Deal_Name", "like", "orbit%suite"), {}, True),
        (crit("Deal_Name", "like", "*fleet*"), {}, True),
        (crit("Deal_Name", "like", "fleet%"), {}, False),  # wildcards anchor the whole value
        (crit("Deal_Name", "like", "FLEET"), {}, True),  # no wildcard: substring
        (crit("Deal_Name", "like", "fleet-tracking"), {}, False),
        (crit("Deal_Name", "like", "orbit?%"), {}, False),  # `?` is no wildcard
    ],
    "not_like": [
        (crit("Deal_Name", "not_like", "%cloud%"), {}, True),
        (crit("Deal_Name", "not_like", "orbit%"), {}, False),
    ],
    "starts_with": [
        (crit("Deal_Name", "starts_with", "ORBIT"), {}, True),
        (crit("Deal_Name", "starts_with", "Fleet"), {}, False),
        (crit("Account_Name", "starts_with", "orbit"), {}, True),  # a lookup by its name
    ],
    "ends_with": [
        (crit("Deal_Name", "ends_with", "suite"), {}, True),
        (crit("Deal_Name", "ends_with", "orbit"), {}, False),
    ],
    "contains": [
        (crit("Next_Step", "contains", "REVISED"), {}, True),
        (crit("Next_Step", "contains", ["quote", "contract"]), {}, True),
        (crit("Next_Step", "contains", "invoice"), {}, False),
        (crit("Description", "contains", "x"), {}, False),  # empty field
    ],
    "not_contains": [
        (crit("Next_Step", "not_contains", "invoice"), {}, True),
        (crit("Next_Step", "not_contains", ["quote", "contract"]), {}, False),
        (crit("Description", "not_contains", "x"), {}, True),
    ],
    "less_than": [
        (crit("Amount", "less_than", "75001"), {}, True),
        (crit("Amount", "less_than", "75000"), {}, False),
        (crit("Probability", "less_than", 100), {}, True),
        (crit("Closing_Date", "less_than", "2025-12-16"), {}, True),
        (crit("Closing_Date", "less_than", "2025-12-15"), {}, False),
        (crit("Deal_Name", "less_than", "z"), {}, False),  # ordering: numbers and dates only
        (crit("Amount", "less_than", "75001"), {"Amount": None}, False),
    ],
    "less_equal": [
        (crit("Amount", "less_equal", "75000"), {}, True),
        (crit("Amount", "less_equal", "74999.99"), {}, False),
        (crit("Closing_Date", "less_equal", "2025-12-15"), {}, True),
        (crit("Closing_Date", "less_equal", "2025-12-14"), {}, False),
    ],
    "greater_than": [
        (crit("Amount", "greater_than", "74999.5"), {}, True),
        (crit("Amount", "greater_than", "75000"), {}, False),
        # A date value is a whole day: greater_than 2025-12-01 starts on Dec 2.
        (crit("Created_Time", "greater_than", "2025-11-30"), {}, True),
        (crit("Created_Time", "greater_than", "2025-12-01"), {}, False),
        (crit("Created_Time", "greater_than", "2025-12-01T04:00:00Z"), {}, False),
        (crit("Created_Time", "greater_than", "2025-12-01T03:59:59Z"), {}, True),
    ],
    "greater_equal": [
        (crit("Amount", "greater_equal", "75000"), {}, True),
        (crit("Amount", "greater_equal", 75000.01), {}, False),
        (crit("Created_Time", "greater_equal", "2025-12-01"), {}, True),
        (crit("Created_Time", "greater_equal", "2025-12-02"), {}, False),
    ],
    "between": [
        (crit("Amount", "between", ["50000", "75000"]), {}, True),
        (crit("Amount", "between", ["75001", "90000"]), {}, False),
        (crit("Closing_Date", "between", ["2025-12-01", "2025-12-15"]), {}, True),
        (crit("Closing_Date", "between", ["2025-12-16", "2025-12-31"]), {}, False),
    ],
    "not_between": [
        (crit("Amount", "not_between", ["75001", "90000"]), {}, True),
        (crit("Amount", "not_between", ["70000", "80000"]), {}, False),
    ],
    "in": [
        (crit("Lead_Source", "in", ["Partner", "Trade Show"]), {}, True),
        (crit("Lead_Source", "in", ["Cold Call", "Trade Show"]), {}, False),
        (crit("Probability", "in", ["10", "90"]), {}, True),
    ],
    "not_in": [
        (crit("Lead_Source", "not_in", ["Cold Call", "Trade Show"]), {}, True),
        (crit("Lead_Source", "not_in", ["partner"]), {}, False),
    ],
}
TAGS = [{"id": "4876876000011037136"}, {"name": "large deal"}]
SET_CASES: dict[str, list[tuple[dict, dict, bool]]] = {
    "include_all": [
        (crit("Tag", "include_all", TAGS), {}, True),
        (crit("Tag", "include_all", [*TAGS, {"name": "Hot"}]), {}, False),
        (crit("Regions", "include_all", ["North", "South"]), {}, True),
        (crit("Regions", "include_all", ["North", "West"]), {}, False),
    ],
    "include_any": [
        (crit("Tag", "include_any", [{"name": "Hot"}, {"id": "4876876000011037140"}]), {}, True),
        (crit("Tag", "include_any", [{"name": "Hot"}]), {}, False),
        (crit("Regions", "include_any", ["West", "south"]), {}, True),
    ],
    "exclude_all": [
        (crit("Tag", "exclude_all", [{"name": "Hot"}, {"name": "Cold"}]), {}, True),
        (crit("Tag", "exclude_all", [{"name": "Hot"}, {"name": "Priority"}]), {}, False),
        (crit("Regions", "exclude_all", ["West"]), {"Regions": []}, True),
    ],
    "exclude_any": [
        (crit("Tag", "exclude_any", [{"name": "Hot"}, {"name": "Priority"}]), {}, True),
        (crit("Tag", "exclude_any", TAGS), {}, False),
        (crit("Regions", "exclude_any", ["North"]), {}, False),
    ],
}


@pytest.fixture
def deals_org(org: Org) -> Org:
    """The org with a multiselect picklist on Deals (Zylker's seed has none)."""
    values = [{"display_value": v, "actual_value": v} for v in ("North", "South", "West")]
    regions = {"api_name": "Regions", "id": "1", "data_type": "multiselectpicklist"}
    org.fields["Deals"].append({**regions, "pick_list_values": values})
    return org


@pytest.mark.parametrize(
    ("criterion", "changes", "expected"),
    [case for cases in (CASES | SET_CASES).values() for case in cases],
    ids=[f"{name}-{i}" for name, cases in (CASES | SET_CASES).items() for i in range(len(cases))],
)
def test_comparator(deals_org: Org, criterion: dict, changes: dict, expected: bool) -> None:
    record = deal(**{"Regions": ["North", "South"], **changes})
    assert check(deals_org, criterion, record) is expected


def test_every_zoho_comparator_has_cases() -> None:
    from mockcrm.crm.criteria_rules import CONDITION_COMPARATORS

    assert set(CASES) | set(SET_CASES) == CONDITION_COMPARATORS
    for cases in (CASES | SET_CASES).values():
        assert {expected for _, _, expected in cases} == {True, False}


# --- ${EMPTY} / ${NOTEMPTY}, typing ----------------------------------------------------------


@pytest.mark.parametrize(
    ("comparator", "value", "field", "expected"),
    [
        ("equal", "${EMPTY}", "Reason_For_Loss__s", True),
        ("equal", "${EMPTY}", "Stage", False),
        ("not_equal", "${EMPTY}", "Stage", True),
        ("not_equal", "${EMPTY}", "Description", False),
        ("equal", "${NOTEMPTY}", "Tag", True),
        ("equal", "${NOTEMPTY}", "Contact_Name", False),
        ("not_equal", "${NOTEMPTY}", "Contact_Name", True),
        ("equal", "${EMPTY}", "Missing_From_Record", False),  # unknown field
        ("equal", ["${EMPTY}"], "Description", True),
    ],
)
def test_empty_and_notempty(
    org: Org, comparator: str, value: Any, field: str, expected: bool
) -> None:
    assert check(org, crit(field, comparator, value, "pre_defined"), deal()) is expected


def test_empty_strings_and_lists_count_as_empty(org: Org) -> None:
    record = deal(Next_Step="", Tag=[])
    assert check(org, crit("Next_Step", "equal", "${EMPTY}"), record)
    assert check(org, crit("Tag", "equal", "${EMPTY}"), record)


def test_picklist_accepts_display_values(org: Org) -> None:
    record = deal(Stage="Id. Decision Makers")
    assert check(org, crit("Stage", "equal", "Identify Decision Makers"), record)
    assert check(org, crit("Stage", "equal", "id. decision makers"), record)
    assert not check(org, crit("Stage", "equal", "Identify Decision Makers"), deal())


@pytest.mark.parametrize(
    ("value", "stored", "expected"),
    [("true", True, True), (True, True, True), ("false", True, False), (False, None, True)],
)
def test_boolean(org: Org, value: Any, stored: Any, expected: bool) -> None:
    record = {**LEAD, "Email_Opt_Out": stored}
    assert check(org, crit("Email_Opt_Out", "equal", value), record, "Leads") is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4876876000005010001", True),
        ("orbit LOGISTICS", True),
        ({"id": "4876876000005010001"}, True),
        ({"id": "4876876000005010002", "name": "Orbit Logistics"}, False),
        ({"name": "Orbit Logistics"}, True),
        ("Other Company", False),
    ],
)
def test_lookup_by_id_or_name(org: Org, value: Any, expected: bool) -> None:
    assert check(org, crit("Account_Name", "equal", value), deal()) is expected


def test_owner_current_user_and_role(org: Org) -> None:
    me = crit("Owner", "equal", {"name": "${CURRENTUSER}"}, "pre_defined")
    assert check(org, me, deal())
    assert check(org, crit("Owner", "equal", "${CURRENTUSER}", "pre_defined"), deal())
    other = deal(Owner={"name": "Zayyan Kalita", "id": ZAYYAN})
    assert not check(org, me, other)
    assert check(org, crit("Owner", "not_equal", {"name": "${CURRENTUSER}"}), other)
    role = crit("Owner", "equal", {"id": "${CURRENTUSERROLE}", "name": "Logged in User Role"})
    assert check(org, role, deal())
    assert org.user(ZAYYAN)["role"]["id"] != org.user(PATRICIA)["role"]["id"]
    assert not check(org, role, other)


def test_unknown_fields_and_relationship_notation_never_match(org: Org) -> None:
    assert not check(org, crit("Deals__r.Stage", "equal", "Closed Won"), deal())
    assert not check(org, crit("Deals__r.Stage", "not_equal", "Closed Won"), deal())
    assert not check(org, crit("No_Such_Field", "not_equal", "x"), deal())
    assert not check(org, crit("Amount", "no_such_comparator", "1"), deal())


# --- dates: every predefined value ------------------------------------------------------------

# Today is Monday 2025-12-01 in Asia/Kolkata: this week is Dec 1-7, fiscal year = calendar year.
PREDEFINED = [
    ("${TODAY}", "2025-12-01", "2025-12-02"),
    ("${TOMORROW}", "2025-12-02", "2025-12-01"),
    ("${YESTERDAY}", "2025-11-30", "2025-12-01"),
    ("${TOMORROWPLUS}", "2026-06-01", "2025-12-01"),
    ("${YESTERDAYMINUS}", "2025-11-30", "2025-12-01"),
    ("${THISWEEK}", "2025-12-07", "2025-11-30"),
    ("${LASTWEEK}", "2025-11-24", "2025-12-01"),
    ("${NEXTWEEK}", "2025-12-14", "2025-12-07"),
    ("${THISMONTH}", "2025-12-31", "2025-11-30"),
    ("${LASTMONTH}", "2025-11-01", "2025-12-01"),
    ("${NEXTMONTH}", "2026-01-31", "2026-02-01"),
    ("${THISYEAR}", "2025-01-01", "2024-12-31"),
    ("${LASTYEAR}", "2024-12-31", "2025-01-01"),
    ("${NEXTYEAR}", "2026-12-31", "2025-12-31"),
    ("${THISFY}", "2025-06-30", "2026-01-01"),
    ("${PREVFY}", "2024-04-01", "2025-01-01"),
    ("${NEXTFY}", "2026-01-01", "2025-12-31"),
    ("${THISFQ}", "2025-10-01", "2025-09-30"),
    ("${PREVFQ}", "2025-07-01", "2025-10-01"),
    ("${NEXTFQ}", "2026-03-31", "2026-04-01"),
    # LAST_N / NEXT_N exclude the current period (Zoho's spec).
    ("${LAST_N_DAYS:7}", "2025-11-24", "2025-12-01"),
    ("${LAST_N_DAYS:7}", "2025-11-30", "2025-11-23"),
    ("${NEXT_N_DAYS:3}", "2025-12-04", "2025-12-05"),
    ("${NEXT_N_DAYS:3}", "2025-12-02", "2025-12-01"),
    ("${LAST_N_WEEKS:2}", "2025-11-17", "2025-11-16"),
    ("${LAST_N_WEEKS:2}", "2025-11-30", "2025-12-01"),
    ("${NEXT_N_WEEKS:1}", "2025-12-08", "2025-12-15"),
    ("${LAST_N_MONTHS:2}", "2025-10-01", "2025-12-01"),
    ("${LAST_N_MONTHS:2}", "2025-11-30", "2025-09-30"),
    ("${NEXT_N_MONTHS:2}", "2026-02-28", "2026-03-01"),
    ("${LAST_N_YEARS:1}", "2024-01-01", "2025-01-01"),
    ("${NEXT_N_YEARS:2}", "2027-12-31", "2028-01-01"),
    ("${AGEINDAYS}+3", "2025-11-28", "2025-11-29"),
    ("${DUEINDAYS}+14", "2025-12-15", "2025-12-14"),
]


@pytest.mark.parametrize(("token", "inside", "outside"), PREDEFINED)
def test_predefined_date_values(org: Org, token: str, inside: str, outside: str) -> None:
    criterion = crit("Closing_Date", "equal", token, "pre_defined")
    assert check(org, criterion, deal(Closing_Date=inside))
    assert not check(org, criterion, deal(Closing_Date=outside))
    assert check(org, {**criterion, "comparator": "not_equal"}, deal(Closing_Date=outside))


def test_unknown_predefined_value_matches_nothing(org: Org) -> None:
    assert not check(org, crit("Closing_Date", "equal", "${SOMEDAY}"), deal())


def test_relative_dates_use_the_org_time_zone(org: Org) -> None:
    today = crit("Created_Time", "equal", "${TODAY}", "pre_defined")
    # 2025-11-30T19:00Z is 00:30 on Dec 1 in Kolkata; 18:00Z is still Nov 30 there.
    assert check(org, today, deal(Created_Time="2025-11-30T19:00:00Z"))
    assert not check(org, today, deal(Created_Time="2025-11-30T18:00:00Z"))


def test_now_overrides_the_org_clock(org: Org) -> None:
    today = crit("Closing_Date", "equal", "${TODAY}", "pre_defined")
    later = datetime(2025, 12, 15, 4, 0, tzinfo=UTC)
    assert matches(org, "Deals", today, deal(), now=later)
    assert not matches(org, "Deals", today, deal())


@pytest.mark.parametrize(
    ("comparator", "token", "expected"),
    [
        ("less_than", "${AGEINDAYS}+5", True),  # created 2 days ago: younger than 5 days
        ("greater_than", "${AGEINDAYS}+5", False),
        ("greater_equal", "${AGEINDAYS}+2", True),
        ("less_equal", "${AGEINDAYS}+1", False),
        ("less_than", "${DUEINDAYS}+5", True),  # due in 2 days: sooner than 5
        ("greater_than", "${DUEINDAYS}+1", True),
        ("greater_equal", "${DUEINDAYS}+3", False),
    ],
)
def test_age_and_due_in_days_ordering(
    org: Org, comparator: str, token: str, expected: bool
) -> None:
    record = deal(Created_Time="2025-11-29T10:00:00+05:30", Closing_Date="2025-12-03")
    field = "Created_Time" if "AGE" in token else "Closing_Date"
    assert check(org, crit(field, comparator, token, "pre_defined"), record) is expected


def test_datetime_values_compare_as_instants(org: Org) -> None:
    same = crit("Created_Time", "equal", "2025-12-01T04:00:00Z")
    assert check(org, same, deal())
    assert check(org, crit("Created_Time", "equal", "2025-12-01"), deal())
    assert not check(org, crit("Created_Time", "equal", "2025-12-01T04:00:01Z"), deal())
    assert check(org, crit("Closing_Date", "equal", "2025-12-15T10:00:00+05:30"), deal())


# --- field and merge_field values ------------------------------------------------------------


def test_field_type_compares_with_another_field(org: Org) -> None:
    other = {"api_name": "Expected_Revenue"}
    assert check(org, crit("Amount", "greater_than", other, "field"), deal())
    assert not check(org, crit("Amount", "less_than", other, "field"), deal())
    assert check(org, crit("Amount", "equal", "Expected_Revenue", "field"), deal(Amount=67500))
    assert not check(org, crit("Amount", "equal", {"api_name": "Nope"}, "field"), deal())


def test_field_type_with_a_multiselect_field_is_any_of_its_values(deals_org: Org) -> None:
    criterion = crit("Next_Step", "equal", {"api_name": "Regions"}, "field")
    assert check(deals_org, criterion, deal(Regions=["North", "send revised CONTRACT"]))
    assert not check(deals_org, criterion, deal(Regions=["North", "South"]))


def test_merge_field_values(org: Org) -> None:
    assert check(
        org, crit("Amount", "greater_than", "${!Deals.Expected_Revenue}", "merge_field"), deal()
    )
    assert not check(
        org, crit("Amount", "equal", "${Deals.Expected_Revenue}", "merge_field"), deal()
    )
    embedded = crit("Deal_Name", "starts_with", "${!Deals.Account_Name} -", "merge_field")
    assert check(org, embedded, deal())
    assert not check(org, crit("Amount", "equal", "${!Leads.Amount}", "merge_field"), deal())
    through = crit("Deal_Name", "equal", "${!Deals.Account_Name.Industry}", "merge_field")
    assert not check(org, through, deal())


# --- groups ----------------------------------------------------------------------------------


def test_nested_groups_and_lowercase_operators(org: Org) -> None:
    big = crit("Amount", "greater_than", "50000")
    won = crit("Stage", "equal", "Closed Won")
    partner = crit("Lead_Source", "equal", "Partner")
    either = {"group_operator": "or", "group": [won, partner]}
    assert check(org, {"group_operator": "and", "group": [big, either]}, deal())
    assert not check(org, {"group_operator": "AND", "group": [big, won]}, deal())
    assert check(org, {"group_operator": "OR", "group": [big, won]}, deal())
    nested = {
        "group_operator": "AND",
        "group": [either, {"group_operator": "or", "group": [won, won]}],
    }
    assert not check(org, nested, deal())
    assert check(org, nested, deal(Stage="Closed Won", Lead_Source="Cold Call"))


def test_kaizen_step6_lost_on_price(org: Org) -> None:
    criteria = KAIZEN["step6_post"]["workflow_rules"][0]["conditions"][0]["criteria_details"][
        "criteria"
    ]
    lost = deal(Amount=45000, Stage="Closed Lost", Reason_For_Loss__s="Price")
    assert check(org, criteria, lost)
    assert check(org, criteria, {**lost, "Amount": 30000})
    assert not check(org, criteria, {**lost, "Amount": 25000})
    assert not check(org, criteria, {**lost, "Reason_For_Loss__s": "Competition"})
    assert not check(org, criteria, {**lost, "Reason_For_Loss__s": None})


def test_kaizen_step5_vp_alert(org: Org) -> None:
    criteria = KAIZEN["step5_put"]["workflow_rules"][0]["conditions"][0]["criteria_details"][
        "criteria"
    ]
    assert check(org, criteria, deal(Amount=450000))
    assert not check(org, criteria, deal(Amount=300000))
    assert not check(org, criteria, deal(Amount=450000, Stage="Closed Won"))


# --- field_update trigger --------------------------------------------------------------------

STAGE_LOST = {"field": {"api_name": "Stage"}, "comparator": "equal", "value": "Closed Lost"}


def trigger(org: Org, criteria: dict, before: dict | None, after: dict) -> bool:
    return field_update_matches(org, "Deals", criteria, before, after)


def test_field_update_fires_on_a_change_to_a_matching_value(org: Org) -> None:
    before, lost = deal(), deal(Stage="Closed Lost")
    assert trigger(org, STAGE_LOST, before, lost)
    assert not trigger(org, STAGE_LOST, lost, deal(Stage="Closed Lost", Amount=1))  # unchanged
    assert not trigger(org, STAGE_LOST, before, deal(Stage="Closed Won"))  # other value


def test_field_update_on_create(org: Org) -> None:
    assert trigger(org, STAGE_LOST, None, deal(Stage="Closed Lost"))
    assert not trigger(org, STAGE_LOST, None, deal())
    anything = {"field": {"api_name": "Description"}, "comparator": "${ANYVALUE}"}
    assert not trigger(org, anything, None, deal())  # created without a value: no change


def test_field_update_any_value(org: Org) -> None:
    anything = {"field": {"api_name": "Owner"}, "comparator": "${ANYVALUE}"}
    other = deal(Owner={"name": "Zayyan Kalita", "id": ZAYYAN})
    assert trigger(org, anything, deal(), other)
    assert trigger(org, anything, deal(), deal(Owner=None))
    # Lookups change by id; the email Zoho adds to Owner is not a change.
    assert not trigger(
        org, anything, deal(), deal(Owner={"name": "Patricia Boyle", "id": PATRICIA})
    )
    tags = {"field": {"api_name": "Tag"}, "comparator": "${ANYVALUE}"}
    assert not trigger(org, tags, deal(), deal(Tag=list(reversed(DEAL["Tag"]))))


def test_field_update_groups(org: Org) -> None:
    big = {"field": {"api_name": "Amount"}, "comparator": "greater_equal", "value": "30000"}
    both = {"group_operator": "AND", "group": [big, STAGE_LOST]}
    lost = deal(Stage="Closed Lost")
    assert trigger(org, both, deal(), lost)  # Stage changed, Amount satisfied
    assert trigger(org, both, deal(Stage="Closed Lost", Amount=1000), lost)  # Amount changed
    assert not trigger(org, both, lost, deal(Stage="Closed Lost", Next_Step="x"))  # none changed
    assert not trigger(org, both, deal(), deal(Stage="Closed Lost", Amount=1000))  # unsatisfied
    either = {"group_operator": "OR", "group": [big, STAGE_LOST]}
    assert trigger(org, either, deal(), deal(Stage="Closed Lost", Amount=1000))
    assert not trigger(org, either, deal(), deal(Next_Step="x"))  # Amount satisfied, unchanged
    unknown = {"field": {"api_name": "Nope"}, "comparator": "${ANYVALUE}"}
    assert not trigger(org, {"group_operator": "OR", "group": [unknown, unknown]}, deal(), lost)
