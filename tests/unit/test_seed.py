"""The Zylker seed org: generated deterministically, self-consistent (ids, times, references,
limits, metadata), in Zoho's GET shapes. The curated rules, usage counters and the OAS check of
every seed object: test_seed_curated.py."""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from seed_helpers import (  # noqa: F401 (seed_files is the fixture `seed`)
    FILES,
    SEED_DIR,
    STAMP,
    actions,
    by_id,
    seed_files,
)

from mockcrm.seed.build import GENERATED_RULES, INPUT_FILES, SEED, build_zylker, render
from mockcrm.seed.generator import START_ID, generate_rules

ENTITY_KINDS = ("field_updates", "email_notifications", "tasks", "webhooks")
ID = re.compile(r"4876876\d{12}")
WINDOW = ("2025-01-01T00:00:00+05:30", "2025-11-30T23:59:59+05:30")
TAG_PALETTE = {"#F17574", "#F48435", "#E7A826", "#A8C026", "#63C57E", "#1DB9B4", "#57B1FD",
               "#879BFC", "#D297EE", "#FD87BD", "#969696", "#658BA8", "#B88562"}  # fmt: skip
RECORD_TRIGGERS = {"create", "edit", "create_or_edit", "field_update", "delete", "date_or_datetime"}
RECORD_ACTIONS = {"field_updates", "assign_owner", "add_tags", "remove_tags",
                  "email_notifications", "tasks", "webhooks"}  # fmt: skip
DELETE_ACTIONS = {"email_notifications", "webhooks"}
NOTES_ACTIONS = {"email_notifications", "webhooks", "add_tags", "remove_tags"}
LIMITS = {"field_updates": 5, "email_notifications": 5, "assign_owner": 3, "add_tags": 1,
          "remove_tags": 1, "webhooks": 1, "tasks": 5}  # fmt: skip


def walk(obj: Any) -> Iterator[tuple[str | None, Any]]:
    """Every (key, value) pair in a JSON value, depth first."""
    stack: list[tuple[str | None, Any]] = [(None, obj)]
    while stack:
        key, cur = stack.pop()
        yield key, cur
        if isinstance(cur, dict):
            stack.extend(cur.items())
        elif isinstance(cur, list):
            stack.extend((key, item) for item in cur)


def criteria_leaves(criteria: dict | None) -> Iterator[dict]:
    if criteria is None:
        return
    if "group" in criteria:
        for member in criteria["group"]:
            yield from criteria_leaves(member)
    else:
        yield criteria


# ---------------------------------------------------------------------------- determinism
def test_committed_seed_is_the_generators_output() -> None:
    built = build_zylker(SEED_DIR)
    assert set(built) == {"workflow_rules.json", "usage.json"}
    for name, obj in built.items():
        text = (SEED_DIR / name).read_text(encoding="utf-8")
        assert text == render(obj), f"{name} is stale: run python -m mockcrm.seed.build"


def test_generate_rules_is_pure_and_deterministic(seed: dict) -> None:
    org = {name: seed[name] for name in INPUT_FILES}
    before = copy.deepcopy(org)
    first = generate_rules(org, 20, 7, 4876876000090000001)
    assert generate_rules(org, 20, 7, 4876876000090000001) == first
    assert org == before
    assert generate_rules(org, 20, 8, 4876876000090000001) != first
    assert [r["id"] for r in first][0] == "4876876000090000001"


# ---------------------------------------------------------------------------- ids and times
def defined_ids(seed: dict) -> list[str]:
    """Ids of the objects the seed defines (references to them are not counted)."""
    org = seed["org"]
    out = [org["id"], org["business_hours"]["id"], *(h["id"] for h in org["holidays"])]
    out += [u["id"] for u in seed["users"]]
    out += sorted({u[k]["id"] for u in seed["users"] for k in ("role", "profile")})
    out += [m["id"] for m in seed["modules"]]
    for fields in seed["fields"].values():
        out += [f["id"] for f in fields]
        out += [p["id"] for f in fields for p in f.get("pick_list_values", [])]
    out += [t["id"] for tags in seed["tags"].values() for t in tags]
    for kind in ENTITY_KINDS:
        out += [e["id"] for e in seed[kind]]
    out += [e["template"]["id"] for e in seed["email_notifications"]]
    for rule in seed["workflow_rules"]:
        out.append(rule["id"])
        for cond in rule["conditions"]:
            out.append(cond["id"])
            out += [g["id"] for g in cond["scheduled_actions"] or []]
            out += [a["id"] for a in cond["instant_actions"]["actions"] if "details" in a]
            for group in cond["scheduled_actions"] or []:
                out += [a["id"] for a in group["actions"] if "details" in a]
    return out


def test_ids_are_unique_zylker_ids(seed: dict) -> None:
    ids = defined_ids(seed)
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates
    for name in FILES:
        for key, value in walk(seed[name]):
            if key == "id":
                assert isinstance(value, str) and ID.fullmatch(value), (name, value)
    for key in seed["usage"]:
        assert ID.fullmatch(key)


def test_timestamps(seed: dict) -> None:
    for name in FILES:
        for _, value in walk(seed[name]):
            if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}T.*", value):
                assert STAMP.fullmatch(value), (name, value)
    timed = [*seed["workflow_rules"], *(t for tags in seed["tags"].values() for t in tags)]
    timed += [e for kind in ENTITY_KINDS for e in seed[kind]]
    for obj in timed:
        assert WINDOW[0] <= obj["created_time"] <= obj["modified_time"] <= WINDOW[1], obj["id"]
    for rule in seed["workflow_rules"]:
        last = rule["last_executed_time"]
        assert last is None or rule["created_time"] <= last <= WINDOW[1], rule["id"]


# ---------------------------------------------------------------------------- references
def check_rules(rules: list[dict], seed: dict) -> None:
    """Everything a rule refers to exists, and it respects Zoho's trigger/action rules."""
    modules = {m["api_name"]: m for m in seed["modules"]}
    users = by_id(seed["users"])
    entities = {kind: by_id(seed[kind]) for kind in ENTITY_KINDS}
    for rule in rules:
        rid, mod = rule["id"], rule["module"]["api_name"]
        fields = {f["api_name"]: f for f in seed["fields"][mod]}
        tags = {t["id"]: t for t in seed["tags"].get(mod, [])}
        ew = rule["execute_when"]
        trigger_module = ew["details"]["trigger_module"]
        assert rule["module"] == {"api_name": mod, "id": modules[mod]["id"]}
        assert trigger_module["api_name"] in (mod, "Notes"), rid
        assert trigger_module["id"] == modules[trigger_module["api_name"]]["id"]
        notes = trigger_module["api_name"] == "Notes"
        assert ew["type"] in RECORD_TRIGGERS, rid
        allowed = DELETE_ACTIONS if ew["type"] == "delete" else RECORD_ACTIONS
        if notes:
            allowed = allowed & NOTES_ACTIONS
        if mod in ("Tasks", "Calls", "Products"):
            allowed = allowed - {"tasks"}
        leaves = [c for cond in rule["conditions"]
                  for c in criteria_leaves(cond["criteria_details"]["criteria"])]  # fmt: skip
        if ew["type"] == "field_update":
            leaves.append(ew["details"]["criteria"])
        if ew["type"] == "date_or_datetime":
            date_field = fields[ew["details"]["field"]["api_name"]]
            assert date_field["id"] == ew["details"]["field"]["id"]
            assert date_field["data_type"] in ("date", "datetime")
        for leaf in leaves:
            field = fields[leaf["field"]["api_name"]]
            assert leaf["field"]["id"] == field["id"], rid
            assert isinstance(leaf["value"], str) and len(leaf["value"]) <= 50, rid
            if field["data_type"] == "picklist" and leaf["value"] not in ("${EMPTY}",):
                assert leaf["value"] in {p["actual_value"] for p in field["pick_list_values"]}
        conds = rule["conditions"]
        assert 1 <= len(conds) <= 3
        assert [c["sequence_number"] for c in conds] == list(range(1, len(conds) + 1))
        keys = [json.dumps(c["criteria_details"]["criteria"], sort_keys=True) for c in conds]
        assert len(set(keys)) == len(keys), f"{rid}: two conditions with the same criteria"
        assert sum(c["criteria_details"]["criteria"] is None for c in conds) <= 1
        for cond in conds:
            assert cond["instant_actions"]["actions"], rid
            if cond["scheduled_actions"]:
                assert ew["type"] != "delete" and not ew["details"].get("repeat"), rid
        groups: dict[int, list[dict]] = {}
        for _cond, _slot, group, action in actions(rule):
            groups.setdefault(id(group), group)
            kind = action["type"]
            assert kind in allowed, f"{rid}: {kind} on {ew['type']}"
            if kind in ENTITY_KINDS:
                entity = entities[kind][action["id"]]
                assert entity["name"] == action["name"]
                assert entity["module"]["api_name"] == mod, rid
                assert entity["created_time"] <= rule["modified_time"], rid
                assert action["related_details"] is None
            elif kind in ("add_tags", "remove_tags"):
                details = action["details"]
                assert details["module"] == rule["module"] and details["over_write"] is False
                assert 1 <= len(details["tags"]) <= 10
                for tag in details["tags"]:
                    assert {k: tags[tag["id"]][k] for k in tag} == tag, rid
                assert action["name"] == ", ".join(t["name"] for t in details["tags"])
            else:
                target = action["details"]["assign_to"][0]["resource"]
                assert users[target["id"]]["full_name"] == target["name"]
                assert action["name"] == f"To users : {target['name']}"
                assert action["details"]["module"] == rule["module"]
        for group in groups.values():
            counts = Counter(a["type"] for a in group)
            assert all(counts[k] <= LIMITS[k] for k in counts), rid
            refs = [a["id"] for a in group if a["type"] in ENTITY_KINDS]
            assert len(refs) == len(set(refs)), f"{rid}: the same action twice in a group"


def test_rules_are_consistent_with_the_org(seed: dict) -> None:
    check_rules(seed["workflow_rules"], seed)


def test_rules_fit_the_configuration_catalogue(seed: dict) -> None:
    path = SEED_DIR / "workflow_configurations.json"
    if not path.exists():
        pytest.skip("no trigger/action catalogue yet")
    cat = json.loads(path.read_text(encoding="utf-8"))
    for rule in seed["workflow_rules"]:
        mod = rule["module"]["api_name"]
        entry, ttype = cat["modules"][mod], rule["execute_when"]["type"]
        trigger_module = rule["execute_when"]["details"]["trigger_module"]["api_name"]
        action_set = set(cat["action_sets"][entry["actions"]])
        if trigger_module == "Notes":
            related = cat["related_modules"]["Notes"]
            trigger_sets, action_set = related["trigger_sets"], action_set - set(related["exclude"])
        else:
            trigger_sets = entry["trigger_sets"]
        assert any(ttype in cat["trigger_sets"][s] for s in trigger_sets), rule["id"]
        trig = cat["triggers"][ttype]
        allowed = set(trig.get("only", action_set)) & action_set - set(trig.get("exclude", []))
        for _cond, _slot, _group, action in actions(rule):
            assert action["type"] in allowed, (rule["id"], action["type"])


def test_module_limits(seed: dict) -> None:
    total = Counter(r["module"]["api_name"] for r in seed["workflow_rules"])
    active = Counter(r["module"]["api_name"] for r in seed["workflow_rules"]
                     if r["status"]["active"])  # fmt: skip
    assert 90 <= len(seed["workflow_rules"]) <= 110
    assert max(total.values()) <= 125 and max(active.values()) <= 75
    assert active["Deals"] < 75, "the Kaizen 215 POST must still fit"
    names = Counter((r["module"]["api_name"], r["name"].lower()) for r in seed["workflow_rules"])
    assert max(names.values()) == 1


def test_generator_respects_limits_at_scale(seed: dict) -> None:
    org = {name: seed[name] for name in INPUT_FILES}
    org["workflow_rules"] = seed["workflow_rules"]
    rules = generate_rules(org, 400, 3, 4876876000090000001)
    check_rules(rules, seed)
    counts = Counter(r["module"]["api_name"] for r in seed["workflow_rules"] + rules)
    assert max(counts.values()) <= 125
    with pytest.raises(ValueError):
        generate_rules(org, 1000, 3, 4876876000090000001)


def test_entities_and_tags(seed: dict) -> None:
    modules = {m["api_name"]: m["id"] for m in seed["modules"]}
    users = by_id(seed["users"])
    for kind in ENTITY_KINDS:
        for ent in seed[kind]:
            assert "associated" not in ent, "derived from the rules by the service"
            assert modules[ent["module"]["api_name"]] == ent["module"]["id"]
            for who in (ent["created_by"], ent["modified_by"]):
                assert users[who["id"]]["full_name"] == who["name"]
                assert users[who["id"]]["created_time"] <= ent["created_time"]
    for mod, tags in seed["tags"].items():
        assert mod in modules
        assert len({t["name"].lower() for t in tags}) == len(tags)
        assert all(t["color_code"] in TAG_PALETTE and len(t["name"]) <= 25 for t in tags)


def test_metadata(seed: dict) -> None:
    modules = {m["api_name"]: m["id"] for m in seed["modules"]}
    assert modules["Leads"] == "4876876000000002175"
    assert modules["Contacts"] == "4876876000000002179"
    assert modules["Deals"] == "4876876000000002181"
    assert modules["Notes"] == "4876876000000002197"
    for mod in ("Leads", "Contacts", "Accounts", "Deals", "Tasks", "Calls", "Events", "Notes",
                "Products"):  # fmt: skip
        assert mod in seed["fields"]
    deals = {f["api_name"]: f for f in seed["fields"]["Deals"]}
    assert deals["Amount"]["id"] == "4876876000000002557"
    assert deals["Stage"]["id"] == "4876876000000002565"
    assert deals["Reason_For_Loss__s"]["id"] == "4876876000002440001"
    stages = [p["actual_value"] for p in deals["Stage"]["pick_list_values"]]
    assert stages[5:8] == ["Negotiation/Review", "Closed Won", "Closed Lost"]
    assert "Id. Decision Makers" in stages and "Closed Lost to Competition" in stages
    assert "Price" in [p["actual_value"] for p in deals["Reason_For_Loss__s"]["pick_list_values"]]
    patricia = seed["users"][0]
    assert patricia["id"] == seed["org"]["current_user_id"] == "4876876000000327001"
    assert patricia["full_name"] == "Patricia Boyle"
    assert patricia["created_time"] == "2025-07-02T14:50:28+05:30"
    assert patricia["role"]["name"] == "CEO" and patricia["profile"]["name"] == "Administrator"
    assert len(seed["users"]) == 7


def test_generator_constants() -> None:
    assert len(str(START_ID)) == 19 and str(START_ID).startswith("4876876")
    assert GENERATED_RULES > 0 and SEED == 215
