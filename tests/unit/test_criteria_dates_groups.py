"""Criteria evaluation (crm/criteria.py): predefined and relative date values, nested groups
(Kaizen's rules), and the field_update trigger. Comparators, typing and field / merge_field
values: test_criteria.py. The org's clock is frozen at Monday 2025-12-01 11:09:10+05:30."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from criteria_helpers import DEAL, PATRICIA, ZAYYAN, check, crit, deal

from mockcrm.crm.criteria import field_update_matches, matches
from mockcrm.crm.org import Org

KAIZEN = json.loads(
    (Path(__file__).parent.parent / "fixtures/kaizen_215_requests.json").read_text()
)


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
