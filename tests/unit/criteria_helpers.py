"""The seeded deal, users and criterion builders both criteria test files (test_criteria.py,
test_criteria_dates_groups.py) use."""

from __future__ import annotations

import copy
from typing import Any

from mockcrm.crm.criteria import matches
from mockcrm.crm.org import Org

PATRICIA = "4876876000000327001"  # the org's current user (role CEO)
ZAYYAN = "4876876000000298001"

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
