"""Deterministic Zylker seed generator.

The seed org is data: hand-authored JSON in ``seed_data/zylker/`` (org, users, modules, fields,
tags, the four action-entity files, and ``curated/`` rules and usage). This module adds the
Faker-made workflow rules and the usage counters, and writes ``workflow_rules.json`` and
``usage.json``. Everything comes from ``random.Random(seed)`` and a seeded Faker: no wall clock.

    python -m mockcrm.seed.generator           # rewrite the generated files
    python -m mockcrm.seed.generator --check   # exit 1 if the committed files differ
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from faker import Faker

JSON = dict[str, Any]

SEED = 215
START_ID = 4876876000012100001  # generated ids: 4876876000012100001 upwards (one per object)
GENERATED_RULES = 64
SEED_DIR = Path(__file__).resolve().parents[2] / "seed_data" / "zylker"
INPUT_FILES = (
    "modules",
    "fields",
    "tags",
    "users",
    "field_updates",
    "email_notifications",
    "tasks",
    "webhooks",
)

IST = timezone(timedelta(hours=5, minutes=30))
WINDOW_START = datetime(2025, 1, 1, tzinfo=IST)
WINDOW_END = datetime(2025, 11, 30, 23, 59, 59, tzinfo=IST)
LAST_CREATED = datetime(2025, 11, 15, tzinfo=IST)
# Generated rules stay below Zoho's per-module limits (125 total, 75 active) with headroom.
MODULE_TOTAL_CAP = 120
MODULE_ACTIVE_CAP = 70

# fmt: off
MODULE_WEIGHTS = {"Leads": 5, "Deals": 5, "Contacts": 3, "Accounts": 3, "Tasks": 2, "Products": 2}
NOTES_PARENTS = ("Leads", "Deals")
NO_TASK_ACTION = frozenset({"Tasks", "Products", "Calls", "Events"})
TRIGGER_WEIGHTS = {"create": 30, "create_or_edit": 18, "edit": 14, "field_update": 18,
                   "date_or_datetime": 8, "delete": 6, "notes": 6}
ACTION_WEIGHTS = {"email_notifications": 30, "field_updates": 20, "tasks": 15, "add_tags": 15,
                  "assign_owner": 10, "webhooks": 8, "remove_tags": 5}
DELETE_ACTIONS = ("email_notifications", "webhooks")
NOTES_ACTIONS = ("email_notifications", "webhooks", "add_tags", "remove_tags")
SCHEDULABLE = ("email_notifications", "tasks", "field_updates", "add_tags", "webhooks")
SCHEDULES = (("business_days", 1), ("business_days", 2), ("business_days", 5), ("days", 1),
             ("days", 7), ("hours", 4), ("business_hours", 4), ("weeks", 2))
DATE_OFFSETS = (("days", -7), ("days", -3), ("days", -1), ("days", 0), ("days", 1), ("days", 3),
                ("weeks", -2), ("weeks", 1))
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
COMPARATOR_WORDS = {"equal": "is", "not_equal": "is not", "greater_than": "over",
                    "greater_equal": "at least", "less_than": "under", "less_equal": "at most",
                    "contains": "contains", "starts_with": "starts with", "ends_with": "ends with"}
TRIGGER_PHRASES = {"create": "New {s}", "edit": "{s} Updated", "create_or_edit": "{s} Saved",
                   "delete": "{s} Deleted", "notes": "{s} Note Added"}
ACTION_PHRASES = {"email_notifications": "Notify", "field_updates": "Update", "tasks": "Follow Up",
                  "add_tags": "Tag", "remove_tags": "Untag", "assign_owner": "Assign",
                  "webhooks": "Sync"}
NO_RELATION = {"module_selection": None, "criteria": None, "module": None}
UNLOCKED = {"locked_by": None, "message": None, "status": False}
# fmt: on


def _ts(when: datetime) -> str:
    return when.isoformat()


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    span = max(0, int((end - start).total_seconds()))
    return start + timedelta(seconds=rng.randint(0, span))


def _ref(obj: JSON) -> JSON:
    return {"name": obj.get("full_name", obj.get("name")), "id": obj["id"]}


class _Ids:
    def __init__(self, start: int) -> None:
        self.value = start

    def __call__(self) -> str:
        self.value += 1
        return str(self.value - 1)


class _RuleMaker:
    """Builds one rule at a time from the org's metadata, entities, tags and users."""

    def __init__(self, org: JSON, seed: int, start_id: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.next_id = _Ids(start_id)
        self.modules = {m["api_name"]: m for m in org["modules"]}
        self.fields: dict[str, list[JSON]] = org["fields"]
        self.labels = {
            (m, f["api_name"]): f.get("field_label", f["api_name"])
            for m, flds in self.fields.items()
            for f in flds
        }
        self.tags: dict[str, list[JSON]] = org["tags"]
        self.users = [u for u in org["users"] if u.get("status", "active") == "active"]
        admins = [u for u in self.users if u.get("profile", {}).get("name") == "Administrator"]
        self.admins = admins or self.users
        self.entities: dict[tuple[str, str], list[JSON]] = {}
        for kind in ("field_updates", "email_notifications", "tasks", "webhooks"):
            for ent in org[kind]:
                self.entities.setdefault((kind, ent["module"]["api_name"]), []).append(ent)
        self.names: dict[str, set[str]] = {}
        self.total: dict[str, int] = {}
        self.active: dict[str, int] = {}
        for rule in org.get("workflow_rules", []):
            self._count(rule)

    def _count(self, rule: JSON) -> None:
        mod = rule["module"]["api_name"]
        self.names.setdefault(mod, set()).add(rule["name"].lower())
        self.total[mod] = self.total.get(mod, 0) + 1
        self.active[mod] = self.active.get(mod, 0) + int(rule["status"]["active"])

    def _mref(self, api_name: str) -> JSON:
        return {"api_name": api_name, "id": self.modules[api_name]["id"]}

    def _pick(self, weights: dict[str, int]) -> str:
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    def _user(self, pool: list[JSON], when: datetime) -> JSON:
        ready = [u for u in pool if _parse(u.get("created_time") or _ts(WINDOW_START)) <= when]
        return self.rng.choice(ready or pool)

    def _open_modules(self) -> dict[str, int]:
        return {
            m: w
            for m, w in MODULE_WEIGHTS.items()
            if m in self.modules and m in self.fields and self.total.get(m, 0) < MODULE_TOTAL_CAP
        }

    # ------------------------------------------------------------------ criteria
    def _criterion(self, mod: str, avoid: set[str], trigger: bool = False) -> JSON:
        weights = TRIGGER_FIELD_WEIGHTS if trigger else FIELD_WEIGHTS
        usable = [
            f
            for f in self.fields[mod]
            if f["data_type"] in weights
            and not f.get("read_only")
            and f["api_name"] not in avoid | {"Tag"}
        ]
        field = self.rng.choices(usable, weights=[weights[f["data_type"]] for f in usable])[0]
        comparator, value = self._comparison(field)
        return {
            "comparator": comparator,
            "field": {"api_name": field["api_name"], "id": field["id"]},
            "type": "value",
            "value": value,
        }

    def _comparison(self, field: JSON) -> tuple[str, str]:
        rng, dtype, api = self.rng, field["data_type"], field["api_name"]
        if dtype == "picklist":
            values = [
                p["actual_value"]
                for p in field.get("pick_list_values", [])
                if p["actual_value"] != "-None-"
            ]
            return rng.choice(("equal", "equal", "not_equal")), rng.choice(values)
        if dtype in ("currency", "integer", "double"):
            scale = {
                "currency": (5000, 10000, 25000, 50000, 100000, 250000, 1000000),
                "integer": (10, 50, 100, 250, 500, 1000, 5000),
                "double": (5, 10, 25, 50, 100),
            }[dtype]
            if api == "Probability":
                scale = (10, 25, 50, 75, 90)
            comp = rng.choice(("greater_than", "greater_equal", "less_than", "less_equal"))
            return comp, str(rng.choice(scale))
        if dtype == "boolean":
            return "equal", rng.choice(("true", "false"))
        if dtype == "date":
            return rng.choice(("less_than", "greater_than")), rng.choice(
                ("2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31", "2026-03-31")
            )
        if dtype == "email":
            return "ends_with", rng.choice(("@gmail.com", "@yahoo.com", "@outlook.com"))
        if "State" in api:
            return "equal", self.fake.state()
        if "Country" in api:
            return "equal", rng.choice(COUNTRIES)
        if api in TEXT_WORDS and rng.random() < 0.7:
            return rng.choice(("contains", "starts_with")), rng.choice(TEXT_WORDS[api])
        return "not_equal", "${EMPTY}"

    def _criteria(self, mod: str) -> JSON:
        first = self._criterion(mod, set())
        if self.rng.random() < 0.6:
            return first
        second = self._criterion(mod, {first["field"]["api_name"]})
        op = "AND" if self.rng.random() < 0.75 else "OR"
        return {"group_operator": op, "group": [first, second]}

    # ------------------------------------------------------------------ actions
    def _action(self, kind: str, mod: str, when: datetime, taken: set[str]) -> JSON | None:
        if kind in ("add_tags", "remove_tags"):
            tags = [
                t
                for t in self.tags.get(mod, [])
                if _parse(t["created_time"]) <= when and t["id"] not in taken
            ]
            if not tags:
                return None
            chosen = self.rng.sample(tags, k=min(len(tags), self.rng.choice((1, 1, 1, 2))))
            taken.update(t["id"] for t in chosen)
            return {
                "id": self.next_id(),
                "name": ", ".join(t["name"] for t in chosen),
                "type": kind,
                "details": {
                    "module": self._mref(mod),
                    "over_write": False,
                    "tags": [
                        {"name": t["name"], "id": t["id"], "color_code": t["color_code"]}
                        for t in chosen
                    ],
                },
            }
        if kind == "assign_owner":
            user = self._user(self.users, when)
            return {
                "id": self.next_id(),
                "name": f"To users : {user['full_name']}",
                "type": kind,
                "details": {
                    "module": self._mref(mod),
                    "assign_to": [
                        {
                            "resource": {
                                "name": user["full_name"],
                                "id": user["id"],
                                "type": "user",
                            },
                            "details": None,
                            "type": "user",
                        }
                    ],
                    "notify": False,
                },
            }
        pool = [
            e
            for e in self.entities.get((kind, mod), [])
            if _parse(e["created_time"]) <= when and e["id"] not in taken
        ]
        if not pool:
            return None
        ent = self.rng.choice(pool)
        taken.add(ent["id"])
        return {"name": ent["name"], "id": ent["id"], "type": kind, "related_details": None}

    def _actions(self, kinds: tuple[str, ...], mod: str, when: datetime, count: int) -> list[JSON]:
        weights = {k: ACTION_WEIGHTS[k] for k in kinds}
        if mod in NO_TASK_ACTION:
            weights.pop("tasks", None)
        out: list[JSON] = []
        taken: set[str] = set()
        for _ in range(count * 4):
            if len(out) == count or not weights:
                break
            kind = self._pick(weights)
            action = self._action(kind, mod, when, taken)
            weights.pop(kind)  # one action of each type per condition keeps every limit
            if action is not None:
                out.append(action)
        return out

    # ------------------------------------------------------------------ rule
    def _trigger(self, mod: str, when: datetime) -> tuple[str, JSON]:
        weights = dict(TRIGGER_WEIGHTS)
        dates = [
            f
            for f in self.fields[mod]
            if f["data_type"] in ("date", "datetime") and not f.get("read_only")
        ]
        if not dates:
            weights.pop("date_or_datetime")
        if mod not in NOTES_PARENTS or "Notes" not in self.modules:
            weights.pop("notes")
        trigger = self._pick(weights)
        details: JSON = {"trigger_module": self._mref("Notes" if trigger == "notes" else mod)}
        if trigger == "notes":
            etype = self.rng.choice(("create", "create", "create_or_edit", "edit"))
            if etype != "create":
                details["repeat"] = False
            return trigger, {"type": etype, "details": details}
        if trigger in ("edit", "create_or_edit"):
            details["repeat"] = self.rng.random() < 0.3
        elif trigger == "field_update":
            crit = self._criterion(mod, set(), trigger=True)
            crit.pop("type")
            details.update(
                {"criteria": crit, "repeat": self.rng.random() < 0.2, "match_all": False}
            )
        elif trigger == "date_or_datetime":
            field = self.rng.choice(dates)
            period, unit = self.rng.choice(
                (
                    ("days", -7),
                    ("days", -3),
                    ("days", -1),
                    ("days", 0),
                    ("days", 1),
                    ("days", 3),
                    ("weeks", -2),
                    ("weeks", 1),
                )
            )
            details.update(
                {
                    "field": {"api_name": field["api_name"], "id": field["id"]},
                    "period": period,
                    "unit": unit,
                    "recur_cycle": "once",
                }
            )
        return trigger, {"type": trigger, "details": details}

    def _name(
        self, mod: str, trigger: str, ew: JSON, criteria: JSON | None, first_action: str
    ) -> str:
        singular = self.modules[mod].get("singular_label", mod)
        if trigger == "field_update":
            head = f"{self.labels[mod, ew['details']['criteria']['field']['api_name']]} Changed"
        elif trigger == "date_or_datetime":
            head = f"{self.labels[mod, ew['details']['field']['api_name']]} Reminder"
        else:
            head = TRIGGER_PHRASES[trigger].format(s=singular)
        parts = [head]
        if criteria is not None:
            crit = criteria["group"][0] if "group" in criteria else criteria
            value, words = crit["value"], COMPARATOR_WORDS[crit["comparator"]]
            if value == "${EMPTY}":
                value, words = ("set" if words == "is not" else "empty"), "is"
            parts.append(f"{self.labels[mod, crit['field']['api_name']]} {words} {value}")
        parts.append(ACTION_PHRASES[first_action])
        clean = "".join(c if c.isalnum() or c in " -().," else " " for c in " - ".join(parts))
        base = " ".join(re.sub(r"\(\s*\)", " ", clean).split())[:90]
        taken = self.names.setdefault(mod, set())
        name, version = base, 1
        while name.lower() in taken:
            version += 1
            name = f"{base} v{version}"
        return name

    def make(self) -> JSON:
        open_mods = self._open_modules()
        if not open_mods:
            raise ValueError("every module has reached its workflow rule limit")
        mod = self._pick(open_mods)
        rng = self.rng
        created = _between(rng, WINDOW_START, datetime(2025, 11, 15, tzinfo=IST))
        creator = self._user(self.admins, created)
        created = max(created, _parse(creator.get("created_time") or _ts(WINDOW_START)))
        rule_id = self.next_id()
        trigger, ew = self._trigger(mod, created)
        if trigger == "delete":
            kinds: tuple[str, ...] = DELETE_ACTIONS
        elif trigger == "notes":
            kinds = NOTES_ACTIONS
        else:
            kinds = tuple(ACTION_WEIGHTS)
        schedulable = trigger not in ("delete", "notes") and not ew["details"].get("repeat")
        conditions: list[JSON] = []
        seen: set[str] = set()
        n_conditions = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
        for seq in range(1, n_conditions + 1):
            last = seq == n_conditions
            catch_all = last and rng.random() < (0.3 if n_conditions > 1 else 0.12)
            criteria = None if catch_all else self._criteria(mod)
            while json.dumps(criteria, sort_keys=True) in seen:
                criteria = self._criteria(mod)
            seen.add(json.dumps(criteria, sort_keys=True))
            instant = self._actions(kinds, mod, created, rng.choice((1, 1, 2, 2, 3)))
            if not instant:
                instant = self._actions(kinds, mod, created, 1)
            scheduled = None
            if schedulable and rng.random() < 0.2:
                acts = self._actions(
                    tuple(k for k in SCHEDULABLE if k in kinds), mod, created, rng.choice((1, 1, 2))
                )
                if acts:
                    period, unit = rng.choice(SCHEDULES)
                    scheduled = [
                        {
                            "id": self.next_id(),
                            "execute_after": {"period": period, "unit": unit},
                            "actions": acts,
                        }
                    ]
            conditions.append(
                {
                    "id": self.next_id(),
                    "sequence_number": seq,
                    "criteria_details": {
                        "criteria": criteria,
                        "relational_criteria": {
                            "module_selection": None,
                            "criteria": None,
                            "module": None,
                        },
                    },
                    "instant_actions": {"actions": instant},
                    "scheduled_actions": scheduled,
                }
            )
        if any(not c["instant_actions"]["actions"] for c in conditions):
            raise ValueError(f"no action entities available for module {mod}")
        active = rng.random() < 0.85 and self.active.get(mod, 0) < MODULE_ACTIVE_CAP
        modified = created
        if rng.random() < 0.6:
            modified = min(WINDOW_END, created + timedelta(seconds=rng.randint(60, 90 * 86400)))
        last_run = None
        if active and rng.random() < 0.75:
            last_run = _between(rng, modified, WINDOW_END)
        elif not active and modified > created and rng.random() < 0.5:
            last_run = _between(rng, created, modified)
        first_action = conditions[0]["instant_actions"]["actions"][0]["type"]
        rule = {
            "id": rule_id,
            "name": self._name(
                mod, trigger, ew, conditions[0]["criteria_details"]["criteria"], first_action
            ),
            "description": None
            if rng.random() < 0.5
            else f"{ACTION_PHRASES[first_action]} on {ew['type'].replace('_', ' ')} of "
            f"{self.modules[mod].get('plural_label', mod).lower()}",
            "module": self._mref(mod),
            "execute_when": ew,
            "status": {"active": active},
            "created_time": _ts(created),
            "modified_time": _ts(modified),
            "created_by": _ref(creator),
            "modified_by": _ref(self._user(self.admins, modified)),
            "last_executed_time": _ts(last_run) if last_run else None,
            "source": "crm",
            "editable": True,
            "deletable": True,
            "deprecated": False,
            "category": "default",
            "lock": {"locked_by": None, "message": None, "status": False},
            "conditions": conditions,
        }
        self._count(rule)
        return rule

    def copy_of(self, rule: JSON) -> JSON:
        """A forgotten duplicate: same trigger and conditions, inactive, never run."""
        clone = json.loads(json.dumps(rule))
        clone["id"] = self.next_id()
        for cond in clone["conditions"]:
            cond["id"] = self.next_id()
            for group in [cond["instant_actions"]] + (cond["scheduled_actions"] or []):
                if "execute_after" in group:
                    group["id"] = self.next_id()
                for action in group["actions"]:
                    if "details" in action:
                        action["id"] = self.next_id()
        created = _parse(rule["created_time"]) + timedelta(minutes=self.rng.randint(2, 600))
        clone.update(
            {
                "name": self._unique(rule["module"]["api_name"], rule["name"] + " (copy)"),
                "status": {"active": False},
                "created_time": _ts(created),
                "modified_time": _ts(created),
                "modified_by": clone["created_by"],
                "last_executed_time": None,
            }
        )
        self._count(clone)
        return clone

    def _unique(self, mod: str, name: str) -> str:
        taken, base, version = self.names.setdefault(mod, set()), name, 1
        while name.lower() in taken:
            version += 1
            name = f"{base} {version}"
        return name


def generate_rules(org: dict[str, Any], n: int, seed: int, start_id: int) -> list[dict[str, Any]]:
    """n plausible workflow rules in the GET-by-id shape, valid against the org's metadata.

    ``org`` holds the seed files by name (modules, fields, tags, users, field_updates,
    email_notifications, tasks, webhooks) and optionally the existing ``workflow_rules``, whose
    names and per-module counts are respected. Ids are consecutive from ``start_id``.
    """
    maker = _RuleMaker(org, seed, start_id)
    rules: list[JSON] = []
    while len(rules) < n:
        if rules and maker.rng.random() < 0.08:
            source = rules[-1]
            mod = source["module"]["api_name"]
            if not source["name"].endswith("(copy)") and maker.total.get(mod, 0) < MODULE_TOTAL_CAP:
                rules.append(maker.copy_of(source))
                continue
        rules.append(maker.make())
    return rules


def _action_slots(rule: JSON) -> Iterator[tuple[JSON, str, JSON]]:
    for cond in rule["conditions"]:
        for action in cond["instant_actions"]["actions"]:
            yield cond, "instant", action
        for group in cond["scheduled_actions"] or []:
            for action in group["actions"]:
                yield cond, group["id"], action


def _usage_for(rule: JSON, rng: random.Random) -> JSON:
    conditions: dict[str, int] = {}
    remaining = rng.randint(3, 400)
    for cond in rule["conditions"]:
        used = remaining if cond is rule["conditions"][-1] else rng.randint(0, remaining)
        conditions[cond["id"]] = used
        remaining -= used
    total = sum(conditions.values())
    record_trigger = rule["execute_when"]["type"] in ("create", "edit", "create_or_edit")
    actions: JSON = {}
    for cond, slot, action in _action_slots(rule):
        used = conditions[cond["id"]]
        queued = rng.randint(0, min(3, used)) if slot != "instant" else 0
        failed = rng.randint(0, (used - queued) // 20)
        entry: JSON = {"success_count": used - queued - failed, "failure_count": failed}
        if slot != "instant" or action["type"] == "email_notifications":
            entry["queue_count"] = queued
        entry["associated_time"] = rule["created_time"]
        if action["type"] == "email_notifications":
            sent = entry["success_count"]
            bounced = rng.randint(0, sent // 25)
            opened = rng.randint(0, sent - bounced)
            clicked = rng.randint(0, opened)
            entry["related_details"] = {
                "bulk_mail": False,
                "unopened": sent - bounced - opened,
                "sent_percentage": round(100 * sent / (sent + failed)) if sent + failed else 0,
                "opened": opened,
                "delivered": sent - bounced,
                "unsent": failed,
                "bounced": bounced,
                "clicked": clicked,
                "sent": sent,
            }
        actions[f"{cond['id']}/{slot}/{action['id']}"] = entry
    reset = None
    if rng.random() < 0.1 and rule["last_executed_time"]:
        reset = _ts(_between(rng, _parse(rule["created_time"]), _parse(rule["last_executed_time"])))
    return {
        "trigger_count": total + (rng.randint(0, 40) if record_trigger else 0),
        "reset_time": reset,
        "conditions": conditions,
        "actions": actions,
    }


def build_usage(rules: list[JSON], curated: JSON, seed: int) -> JSON:
    """Counters for every rule that has run; curated entries win."""
    rng = random.Random(seed)
    usage: JSON = {}
    for rule in rules:
        if rule["last_executed_time"] is None:
            continue
        generated = _usage_for(rule, rng)
        usage[rule["id"]] = curated.get(rule["id"], generated)
    return usage


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def build_zylker(seed_dir: Path) -> dict[str, object]:
    """The generated files' contents, by file name, from the hand-authored seed data."""
    org: JSON = {name: _load(seed_dir / f"{name}.json") for name in INPUT_FILES}
    curated: list[JSON] = _load(seed_dir / "curated" / "workflow_rules.json")
    org["workflow_rules"] = curated
    generated = generate_rules(org, GENERATED_RULES, SEED, START_ID)
    order = {m["api_name"]: i for i, m in enumerate(org["modules"])}
    rules = sorted(
        curated + generated,
        key=lambda r: (order[r["module"]["api_name"]], r["created_time"], r["id"]),
    )
    usage = build_usage(rules, _load(seed_dir / "curated" / "usage.json"), SEED)
    return {"workflow_rules.json": rules, "usage.json": usage}


def render(obj: object) -> str:
    return json.dumps(obj, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mockcrm.seed.generator")
    parser.add_argument("--check", action="store_true", help="fail if the files are stale")
    parser.add_argument("--seed-dir", type=Path, default=SEED_DIR)
    args = parser.parse_args(argv)
    stale = []
    for name, obj in build_zylker(args.seed_dir).items():
        path = args.seed_dir / name
        text = render(obj)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print(
            f"stale seed files: {', '.join(stale)} (run python -m mockcrm.seed.generator)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
