"""Criteria evaluation (crm/criteria.py): every comparator, ${EMPTY}/${NOTEMPTY}, typing, and
field / merge_field values. Dates, groups and the field_update trigger:
test_criteria_dates_groups.py. The org's clock is frozen at Monday 2025-12-01 11:09:10+05:30."""

from __future__ import annotations

from typing import Any

import pytest
from criteria_helpers import PATRICIA, ZAYYAN, check, crit, deal

from mockcrm.crm.criteria import matches
from mockcrm.crm.org import Org

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
