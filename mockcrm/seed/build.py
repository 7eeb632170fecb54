"""Builds the generated Zylker seed files from the hand-authored ones (rules + usage counters).

python -m mockcrm.seed.build           # rewrite the generated files
python -m mockcrm.seed.build --check   # exit 1 if the committed files differ
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mockcrm.seed.generator import START_ID, _between, _parse, _ts, generate_rules

JSON = dict[str, Any]
SEED = 215
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


def _action_slots(rule: JSON) -> Iterator[tuple[JSON, str, JSON]]:
    """(condition, "instant" or scheduled group id, action) for every action of a rule."""
    for cond in rule["conditions"]:
        for action in cond["instant_actions"]["actions"]:
            yield cond, "instant", action
        for group in cond["scheduled_actions"] or []:
            for action in group["actions"]:
                yield cond, group["id"], action


def _email_metrics(rng: random.Random, sent: int, unsent: int) -> JSON:
    bounced = rng.randint(0, sent // 25)
    opened = rng.randint(0, sent - bounced)
    percentage = round(100 * sent / (sent + unsent)) if sent + unsent else 0
    # fmt: off
    return {"bulk_mail": False, "unopened": sent - bounced - opened, "sent_percentage": percentage,
            "opened": opened, "delivered": sent - bounced, "unsent": unsent, "bounced": bounced,
            "clicked": rng.randint(0, opened), "sent": sent}
    # fmt: on


def _usage_for(rule: JSON, rng: random.Random) -> JSON:
    conditions: dict[str, int] = {}
    remaining = rng.randint(3, 400)
    for cond in rule["conditions"]:
        used = remaining if cond is rule["conditions"][-1] else rng.randint(0, remaining)
        conditions[cond["id"]] = used
        remaining -= used
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
            entry["related_details"] = _email_metrics(rng, entry["success_count"], failed)
        actions[f"{cond['id']}/{slot}/{action['id']}"] = entry
    reset = None
    if rng.random() < 0.1:
        reset = _between(rng, _parse(rule["created_time"]), _parse(rule["last_executed_time"]))
    record_trigger = rule["execute_when"]["type"] in ("create", "edit", "create_or_edit")
    extra = rng.randint(0, 40) if record_trigger else 0
    return {"trigger_count": sum(conditions.values()) + extra,
            "reset_time": _ts(reset) if reset else None,
            "conditions": conditions, "actions": actions}  # fmt: skip


def build_usage(rules: list[JSON], curated: JSON, seed: int) -> JSON:
    """Counters behind the usage report for every rule that has run; curated entries win."""
    rng = random.Random(seed)
    usage: JSON = {}
    for rule in rules:
        if rule["last_executed_time"] is not None:
            generated = _usage_for(rule, rng)  # always drawn, so curated entries move nothing
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
    # Execution order within a module = creation order, as in a Zoho org never reordered.
    rules = sorted(
        curated + generated, key=lambda r: (order[r["module"]["api_name"]], r["created_time"])
    )
    usage = build_usage(rules, _load(seed_dir / "curated" / "usage.json"), SEED)
    return {"workflow_rules.json": rules, "usage.json": usage}


def render(obj: object) -> str:
    return json.dumps(obj, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mockcrm.seed.build")
    parser.add_argument("--check", action="store_true", help="exit 1 if the files are stale")
    parser.add_argument("--seed-dir", type=Path, default=SEED_DIR)
    args = parser.parse_args(argv)
    stale = []
    for name, obj in build_zylker(args.seed_dir).items():
        path, text = args.seed_dir / name, render(obj)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    if args.check and stale:
        hint = "run python -m mockcrm.seed.build"
        print(f"stale seed files: {', '.join(stale)} ({hint})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
