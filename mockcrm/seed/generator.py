"""Deterministic Zylker seed generator.

The seed org is data: hand-authored JSON in ``seed_data/zylker/`` (org, users, modules, fields,
tags, the four action-entity files, and ``curated/`` rules and usage). This module adds the
Faker-made workflow rules and the usage counters, and writes ``workflow_rules.json`` and
``usage.json``. Everything comes from ``random.Random(seed)`` and a seeded Faker: no wall clock.

    python -m mockcrm.seed.build           # rewrite the generated files
    python -m mockcrm.seed.build --check   # exit 1 if the committed files differ
"""

from __future__ import annotations

import json
import random
import re
from datetime import datetime, timedelta, timezone
from typing import Any

from faker import Faker

from mockcrm.seed.loader import TooManyRules
from mockcrm.seed.rule_criteria import CriteriaDrawer

JSON = dict[str, Any]

START_ID = 4876876000012100001  # generated ids: 4876876000012100001 upwards (one per object)

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


def _parse(text: str | None) -> datetime:
    return datetime.fromisoformat(text) if text else WINDOW_START


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + timedelta(seconds=rng.randint(0, max(0, int((end - start).total_seconds()))))


def _ref(obj: JSON) -> JSON:
    return {"name": obj.get("full_name", obj.get("name")), "id": obj["id"]}


def _values(items: list[JSON] | dict[str, JSON]) -> list[JSON]:
    """Seed files hold lists; a loaded Org keys the same objects by api_name or id."""
    return list(items.values()) if isinstance(items, dict) else list(items)


def _key(criteria: JSON | None) -> str:
    return json.dumps(criteria, sort_keys=True)


class _NoAction(ValueError):
    """No action entity of the module existed yet at the rule's creation time."""


class _RuleMaker:
    """Builds one rule at a time from the org's metadata, entities, tags and users."""

    def __init__(self, org: JSON, seed: int, start_id: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self._next = start_id
        self.modules = {m["api_name"]: m for m in _values(org["modules"])}
        self.fields: dict[str, list[JSON]] = org["fields"]
        self.labels = {(m, f["api_name"]): f.get("field_label", f["api_name"])
                       for m, flds in self.fields.items() for f in flds}  # fmt: skip
        self.tags: dict[str, list[JSON]] = org["tags"]
        # Criteria come from their own module, drawing from the same rng and Faker in turn.
        self.draw = CriteriaDrawer(self.rng, self.fake, self.fields)
        self.users = [u for u in org["users"] if u.get("status", "active") == "active"]
        admins = [u for u in self.users if u.get("profile", {}).get("name") == "Administrator"]
        self.admins = admins or self.users
        self.entities: dict[tuple[str, str], list[JSON]] = {}
        for kind in ("field_updates", "email_notifications", "tasks", "webhooks"):
            for ent in _values(org[kind]):
                self.entities.setdefault((kind, ent["module"]["api_name"]), []).append(ent)
        self.names: dict[str, set[str]] = {}
        self.total: dict[str, int] = {}
        self.active: dict[str, int] = {}
        for rule in _values(org.get("workflow_rules", [])):
            self._count(rule)

    def next_id(self) -> str:
        self._next += 1
        return str(self._next - 1)

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
        ready = [u for u in pool if _parse(u.get("created_time")) <= when]
        return self.rng.choice(ready or pool)

    def _unique(self, mod: str, base: str, sep: str) -> str:
        taken, name, version = self.names.setdefault(mod, set()), base, 1
        while name.lower() in taken:
            version += 1
            name = f"{base}{sep}{version}"
        return name

    # ------------------------------------------------------------------ actions
    def _action(self, kind: str, mod: str, when: datetime, taken: set[str]) -> JSON | None:
        if kind == "assign_owner":
            user = self._user(self.users, when)
            resource = {"name": user["full_name"], "id": user["id"], "type": "user"}
            target = {"resource": resource, "details": None, "type": "user"}
            details = {"module": self._mref(mod), "assign_to": [target], "notify": False}
            return {"id": self.next_id(), "name": f"To users : {user['full_name']}",
                    "type": kind, "details": details}  # fmt: skip
        if kind in ("add_tags", "remove_tags"):
            pool = self.tags.get(mod, [])
        else:
            pool = self.entities.get((kind, mod), [])
        pool = [e for e in pool if _parse(e["created_time"]) <= when and e["id"] not in taken]
        if not pool:
            return None
        if kind in ("add_tags", "remove_tags"):
            chosen = self.rng.sample(pool, k=min(len(pool), self.rng.choice((1, 1, 1, 2))))
            taken.update(t["id"] for t in chosen)
            tags = [{"name": t["name"], "id": t["id"], "color_code": t["color_code"]}
                    for t in chosen]  # fmt: skip
            details = {"module": self._mref(mod), "over_write": False, "tags": tags}
            return {"id": self.next_id(), "name": ", ".join(t["name"] for t in chosen),
                    "type": kind, "details": details}  # fmt: skip
        ent = self.rng.choice(pool)
        taken.add(ent["id"])
        return {"name": ent["name"], "id": ent["id"], "type": kind, "related_details": None}

    def _actions(self, kinds: tuple[str, ...], mod: str, when: datetime, count: int) -> list[JSON]:
        weights = {k: ACTION_WEIGHTS[k] for k in kinds}
        if mod in NO_TASK_ACTION:
            weights.pop("tasks", None)
        out: list[JSON] = []
        taken: set[str] = set()
        while len(out) < count and weights:
            kind = self._pick(weights)
            weights.pop(kind)  # one action of each type per condition keeps every limit
            action = self._action(kind, mod, when, taken)
            if action is not None:
                out.append(action)
        return out

    # ------------------------------------------------------------------ rule
    def _trigger(self, mod: str) -> tuple[str, JSON]:
        weights = dict(TRIGGER_WEIGHTS)
        dates = [f for f in self.fields[mod]
                 if f["data_type"] in ("date", "datetime") and not f.get("read_only")]  # fmt: skip
        if not dates:
            weights.pop("date_or_datetime")
        if mod not in NOTES_PARENTS or "Notes" not in self.modules:
            weights.pop("notes")
        trigger = self._pick(weights)
        details: JSON = {"trigger_module": self._mref("Notes" if trigger == "notes" else mod)}
        etype = trigger
        if trigger == "notes":
            etype = self.rng.choice(("create", "create", "create_or_edit", "edit"))
            if etype != "create":
                details["repeat"] = False
        elif trigger in ("edit", "create_or_edit"):
            details["repeat"] = self.rng.random() < 0.3
        elif trigger == "field_update":
            crit = self.draw.criterion(mod, trigger=True)
            del crit["type"]
            repeat = self.rng.random() < 0.2
            details.update({"criteria": crit, "repeat": repeat, "match_all": False})
        elif trigger == "date_or_datetime":
            field = self.rng.choice(dates)
            period, unit = self.rng.choice(DATE_OFFSETS)
            details.update({"field": {"api_name": field["api_name"], "id": field["id"]},
                            "period": period, "unit": unit, "recur_cycle": "once"})  # fmt: skip
        return trigger, {"type": etype, "details": details}

    def _name(self, mod: str, trigger: str, ew: JSON, criteria: JSON | None, action: str) -> str:
        if trigger == "field_update":
            head = f"{self.labels[mod, ew['details']['criteria']['field']['api_name']]} Changed"
        elif trigger == "date_or_datetime":
            head = f"{self.labels[mod, ew['details']['field']['api_name']]} Reminder"
        else:
            head = TRIGGER_PHRASES[trigger].format(s=self.modules[mod].get("singular_label", mod))
        parts = [head]
        if criteria is not None:
            crit = criteria["group"][0] if "group" in criteria else criteria
            value, words = crit["value"], COMPARATOR_WORDS[crit["comparator"]]
            if value == "${EMPTY}":
                value, words = ("set" if words == "is not" else "empty"), "is"
            parts.append(f"{self.labels[mod, crit['field']['api_name']]} {words} {value}")
        parts.append(ACTION_PHRASES[action])
        # Zoho refuses special characters in rule names: keep letters, digits and - ( ) . ,
        clean = "".join(c if c.isalnum() or c in " -()., " else " " for c in " - ".join(parts))
        return self._unique(mod, " ".join(re.sub(r"\(\s*\)", " ", clean).split())[:90], " v")

    def _condition(self, seq: int, criteria: JSON | None, kinds: tuple[str, ...], mod: str,
                   when: datetime, schedulable: bool) -> JSON:  # fmt: skip
        rng = self.rng
        instant = self._actions(kinds, mod, when, rng.choice((1, 1, 2, 2, 3)))
        if not instant:
            raise _NoAction(mod)
        scheduled = None
        if schedulable and rng.random() < 0.2:
            later = tuple(k for k in SCHEDULABLE if k in kinds)
            acts = self._actions(later, mod, when, rng.choice((1, 1, 2)))
            if acts:
                period, unit = rng.choice(SCHEDULES)
                after = {"period": period, "unit": unit}
                scheduled = [{"id": self.next_id(), "execute_after": after, "actions": acts}]
        where = {"criteria": criteria, "relational_criteria": dict(NO_RELATION)}
        now = {"actions": instant}
        return {"id": self.next_id(), "sequence_number": seq, "criteria_details": where,
                "instant_actions": now, "scheduled_actions": scheduled}  # fmt: skip

    def make(self) -> JSON:
        open_mods = {m: w for m, w in MODULE_WEIGHTS.items() if m in self.modules
                     and m in self.fields and self.total.get(m, 0) < MODULE_TOTAL_CAP}  # fmt: skip
        if not open_mods:
            raise TooManyRules("every module has reached its workflow rule limit")
        rng, mod = self.rng, self._pick(open_mods)
        created = _between(rng, WINDOW_START, LAST_CREATED)
        creator = self._user(self.admins, created)
        created = max(created, _parse(creator.get("created_time")))
        rule_id = self.next_id()
        trigger, ew = self._trigger(mod)
        kinds = {"delete": DELETE_ACTIONS, "notes": NOTES_ACTIONS}.get(
            trigger, tuple(ACTION_WEIGHTS)
        )
        schedulable = trigger not in ("delete", "notes") and not ew["details"].get("repeat")
        conditions: list[JSON] = []
        seen: set[str] = set()
        count = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
        for seq in range(1, count + 1):
            catch_all = seq == count and rng.random() < (0.3 if count > 1 else 0.12)
            criteria = None if catch_all else self.draw.criteria(mod)
            while _key(criteria) in seen:
                criteria = self.draw.criteria(mod)
            seen.add(_key(criteria))
            conditions.append(self._condition(seq, criteria, kinds, mod, created, schedulable))
        active = rng.random() < 0.85 and self.active.get(mod, 0) < MODULE_ACTIVE_CAP
        modified = created
        if rng.random() < 0.6:
            modified = min(WINDOW_END, created + timedelta(seconds=rng.randint(60, 90 * 86400)))
        last_run = None
        if active and rng.random() < 0.75:
            last_run = _between(rng, modified, WINDOW_END)
        elif not active and modified > created and rng.random() < 0.5:
            last_run = _between(rng, created, modified)
        first = conditions[0]
        action = first["instant_actions"]["actions"][0]["type"]
        name = self._name(mod, trigger, ew, first["criteria_details"]["criteria"], action)
        plural = self.modules[mod].get("plural_label", mod).lower()
        description = f"{ACTION_PHRASES[action]} on {ew['type'].replace('_', ' ')} of {plural}"
        # fmt: off
        rule = {
            "id": rule_id, "name": name, "description": description if rng.random() < 0.5 else None,
            "module": self._mref(mod), "execute_when": ew, "status": {"active": active},
            "created_time": _ts(created), "modified_time": _ts(modified),
            "created_by": _ref(creator), "modified_by": _ref(self._user(self.admins, modified)),
            "last_executed_time": _ts(last_run) if last_run else None, "source": "crm",
            "editable": True, "deletable": True, "deprecated": False, "category": "default",
            "lock": dict(UNLOCKED), "conditions": conditions,
        }
        # fmt: on
        self._count(rule)
        return rule

    def copy_of(self, rule: JSON) -> JSON:
        """A forgotten duplicate: same trigger and conditions, inactive, never run."""
        clone = json.loads(json.dumps(rule))
        clone["id"] = self.next_id()
        for cond in clone["conditions"]:
            cond["id"] = self.next_id()
            for group in [cond["instant_actions"], *(cond["scheduled_actions"] or [])]:
                if "execute_after" in group:
                    group["id"] = self.next_id()
                for action in group["actions"]:
                    if "details" in action:
                        action["id"] = self.next_id()
        created = _ts(_parse(rule["created_time"]) + timedelta(minutes=self.rng.randint(2, 600)))
        name = self._unique(rule["module"]["api_name"], rule["name"] + " (copy)", " ")
        clone.update({"name": name, "status": {"active": False}, "created_time": created,
                      "modified_time": created, "modified_by": clone["created_by"],
                      "last_executed_time": None})  # fmt: skip
        self._count(clone)
        return clone


def generate_rules(org: dict[str, Any], n: int, seed: int, start_id: int) -> list[dict[str, Any]]:
    """n plausible workflow rules in the GET-by-id shape, valid against the org's metadata.

    ``org`` holds the seed files by name (modules, fields, tags, users, field_updates,
    email_notifications, tasks, webhooks) and optionally the existing ``workflow_rules``, whose
    names and per-module counts are respected; lists or dicts keyed by api_name/id both do.
    Ids are consecutive from ``start_id``. Raises ValueError when the modules are full.
    """
    maker = _RuleMaker(org, seed, start_id)
    rules: list[JSON] = []
    while len(rules) < n:
        if rules and maker.rng.random() < 0.05:
            source = rules[-1]
            mod = source["module"]["api_name"]
            if not source["name"].endswith("(copy)") and maker.total[mod] < MODULE_TOTAL_CAP:
                rules.append(maker.copy_of(source))
                continue
        for attempt in range(50):
            try:
                rules.append(maker.make())
                break
            except _NoAction as exc:  # another module, trigger or date will do
                if attempt == 49:
                    raise ValueError(f"no usable action entities for module {exc}") from exc
    return rules
