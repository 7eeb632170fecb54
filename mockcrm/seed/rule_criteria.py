"""Criteria of the generated workflow rules: which field a condition tests, how, against what.

The seed generator (``generator.py``) builds whole rules; this module is the one part of it that
knows field data types (picklist values, currency scales, plausible words for text fields) and
Zoho's criterion shape ``{"comparator", "field": {"api_name", "id"}, "type", "value"}`` and
``{"group_operator", "group"}``. It is separate so the rule builder stays about triggers, actions
and limits. Every draw uses the generator's own ``random.Random`` and seeded Faker, in the same
order as before the split, so the committed seed (``python -m mockcrm.seed.build --check``) is
unchanged.
"""

from __future__ import annotations

import random
from typing import Any

from faker import Faker

JSON = dict[str, Any]

# fmt: off
FIELD_WEIGHTS = {"picklist": 6, "currency": 3, "integer": 2, "double": 2, "boolean": 1,
                 "date": 1, "text": 2, "email": 1, "phone": 1, "website": 1}
TRIGGER_FIELD_WEIGHTS = {"picklist": 6, "currency": 2, "boolean": 1}
SCALES = {"currency": (5000, 10000, 25000, 50000, 100000, 250000, 1000000),
          "integer": (10, 50, 100, 250, 500, 1000, 5000), "double": (5, 10, 25, 50, 100),
          "Probability": (10, 25, 50, 75, 90)}
DATES = ("2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31", "2026-03-31")
_NAMES = ("Cloud", "Global", "Systems", "Labs", "Tech", "Solutions", "Enterprise", "Renewal")
_TITLES = ("Director", "Manager", "Head", "Chief", "Engineer", "Procurement", "Founder")
TEXT_WORDS = {"Company": _NAMES, "Account_Name": _NAMES, "Deal_Name": (*_NAMES, "Pilot"),
              "Product_Name": ("Zylker", "Cloud", "Backup", "Suite"),
              "Subject": ("Call", "Demo", "Follow", "Renewal", "Contract", "Urgent"),
              "Designation": _TITLES, "Title": _TITLES, "Department": ("Sales", "IT", "Finance")}
COUNTRIES = ("India", "United States", "United Kingdom", "Germany", "Singapore", "Australia")
# fmt: on


class CriteriaDrawer:
    """Draws rule criteria from a module's fields with the rule maker's random and Faker."""

    def __init__(self, rng: random.Random, fake: Faker, fields: dict[str, list[JSON]]) -> None:
        self.rng = rng
        self.fake = fake
        self.fields = fields

    def criterion(self, mod: str, avoid: str = "", trigger: bool = False) -> JSON:
        weights = TRIGGER_FIELD_WEIGHTS if trigger else FIELD_WEIGHTS
        usable = [f for f in self.fields[mod] if f["data_type"] in weights
                  and not f.get("read_only") and f["api_name"] not in (avoid, "Tag")]  # fmt: skip
        field = self.rng.choices(usable, weights=[weights[f["data_type"]] for f in usable])[0]
        comparator, value = self._comparison(field)
        ref = {"api_name": field["api_name"], "id": field["id"]}
        return {"comparator": comparator, "field": ref, "type": "value", "value": value}

    def _comparison(self, field: JSON) -> tuple[str, str]:
        rng, dtype, api = self.rng, field["data_type"], field["api_name"]
        if dtype == "picklist":
            values = [p["actual_value"] for p in field.get("pick_list_values", [])]
            value = rng.choice([v for v in values if v != "-None-"])
            # Drawn as before so the seed's other choices stay put, but always `equal`: a
            # generated "is not X" rule would fire on nearly every record and drown the engine.
            rng.choice(("equal", "equal", "not_equal"))
            return "equal", value
        if dtype in ("currency", "integer", "double"):
            comp = rng.choice(("greater_than", "greater_equal", "less_than", "less_equal"))
            return comp, str(rng.choice(SCALES.get(api, SCALES[dtype])))
        if dtype == "boolean":
            return "equal", rng.choice(("true", "false"))
        if dtype == "date":
            return rng.choice(("less_than", "greater_than")), rng.choice(DATES)
        if dtype == "email":
            return "ends_with", rng.choice(("@gmail.com", "@yahoo.com", "@outlook.com"))
        if "State" in api:
            return "equal", self.fake.state()
        if "Country" in api:
            return "equal", rng.choice(COUNTRIES)
        if api in TEXT_WORDS and rng.random() < 0.7:
            return rng.choice(("contains", "starts_with")), rng.choice(TEXT_WORDS[api])
        return "not_equal", "${EMPTY}"

    def criteria(self, mod: str) -> JSON:
        """One criterion (60%) or a group of two on different fields, AND (75%) or OR."""
        first = self.criterion(mod)
        if self.rng.random() < 0.6:
            return first
        second = self.criterion(mod, avoid=first["field"]["api_name"])
        op = "AND" if self.rng.random() < 0.75 else "OR"
        return {"group_operator": op, "group": [first, second]}
