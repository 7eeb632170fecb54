"""What the engine works out once and keeps per org (in `org.runtime`, never in the org's data),
so that a record event costs a pass over the rules that can fire, not a re-reading of every rule:

* per rule, a plan: its conditions in evaluation order with compiled criteria
  (crm/criteria_compiled.py) and its compiled field_update trigger;
* per module and set of trigger types an event sets off, the rules that can fire;
* per rule, a set beside its run-once marks (`org.engine["fired"]`, a JSON list);
* the time the first scheduled action is due (run_due runs on every request).

Each entry checks, when used, that what it was made from is still there: the same objects
(the rules API replaces a rule on every change, never edits it in place; an import builds new
objects) of the same length. An entry that fails the check is rebuilt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockcrm.core.clock import parse_iso
from mockcrm.crm.criteria import Context
from mockcrm.crm.criteria_compiled import Predicate, TriggerTest, condition, fields_of, trigger
from mockcrm.crm.org import Org

# Plans of deleted rules are dropped once this many more plans than rules are kept.
PLAN_SLACK = 64


@dataclass(eq=False)
class RulePlan:
    """A rule's conditions in evaluation order with their compiled criteria, and its compiled
    field_update trigger. Valid while the rule, its conditions and the module's fields are the
    objects it was made from: the rules API replaces a rule on every update (never edits it in
    place), so an edited rule is compiled again at its next event."""

    org: Org
    rule: dict
    module: str
    conditions: list
    count: int
    fields: list | None
    field_count: int
    ordered: list[tuple[dict, Any, Predicate]]
    # (the trigger's criteria object, its compiled test, the fields it watches)
    trigger: tuple[Any, TriggerTest, list[str]] | None = None

    def current(self, rule: dict, module: str, fields: list | None) -> bool:
        if self.rule is not rule or self.fields is not fields or self.module != module:
            return False
        conditions = rule["conditions"]
        if conditions is not self.conditions or len(conditions) != self.count:
            return False
        if fields is not None and len(fields) != self.field_count:
            return False
        for cond, criteria, _ in self.ordered:
            if cond["criteria_details"]["criteria"] is not criteria:
                return False
        return True

    def first_condition(self, ctx: Context) -> dict | None:
        """The first condition (by sequence_number) whose criteria ctx.record matches."""
        for cond, _, test in self.ordered:
            if test(ctx):
                return cond
        return None


def rule_plan(org: Org, rule: dict, module: str) -> RulePlan:
    plans = org.runtime.setdefault("rule_plans", {})
    fields = org.fields.get(module)
    plan = plans.get(rule["id"])
    if plan is None or not plan.current(rule, module, fields):
        if len(plans) > len(org.rules) + PLAN_SLACK:  # deleted rules' plans
            for rule_id in [r for r in plans if r not in org.rules]:
                del plans[rule_id]
        conditions = rule["conditions"]
        ordered = []
        for cond in sorted(conditions, key=lambda c: c["sequence_number"]):
            crit = cond["criteria_details"]["criteria"]
            ordered.append((cond, crit, condition(org, module, crit)))
        plan = plans[rule["id"]] = RulePlan(
            org, rule, module, conditions, len(conditions), fields, len(fields or ()), ordered
        )
    return plan


def _trigger_of(plan: RulePlan) -> tuple[Any, TriggerTest, list[str]]:
    org, module = plan.org, plan.module
    criteria = plan.rule["execute_when"]["details"]["criteria"]
    if plan.trigger is None or plan.trigger[0] is not criteria:
        plan.trigger = (criteria, trigger(org, module, criteria), [])
    return plan.trigger


def trigger_fired(plan: RulePlan, ctx: Context, before: dict | None) -> bool:
    """The rule's field_update trigger (criteria.field_update_matches), compiled."""
    return _trigger_of(plan)[1](ctx, before)[1]


def trigger_fields(plan: RulePlan) -> list[str]:
    """The fields the rule's field_update trigger watches, in order."""
    criteria, _, fields = _trigger_of(plan)
    if not fields:
        fields.extend(fields_of(criteria))
    return fields


# --------------------------------------------------------------------------- per module
def eligible(rule: dict, module: str, trigger_module: str | None = None) -> bool:
    """An active rule of `module` whose trigger is on `trigger_module`: the module itself, or a
    related module (a Note on a Deal fires the Deals rules triggered by Notes)."""
    details = rule["execute_when"]["details"]
    on = details.get("trigger_module", {}).get("api_name", module)
    return rule["status"]["active"] and on == (trigger_module or module)


def candidates(
    org: Org, module: str, types: tuple[str, ...], trigger_module: str | None = None
) -> list[dict]:
    """The module's eligible rules in execution order whose trigger type is one of `types`
    (those an event of `trigger_module`, by default the module, can fire; their trigger and
    criteria are still checked). Kept while the module's rules are the same
    objects in the same order: a rule is replaced, never edited, when its status or trigger
    changes."""
    rules = org.ordered_rules(module)
    ids = list(map(id, rules))
    memos = org.runtime.setdefault("candidates", {})
    memo = memos.get(module)
    if memo is None or memo[0] != ids:
        # The memo holds the rules, so their ids cannot be reused while it stands.
        memo = memos[module] = (ids, rules, {})
    by_types = memo[2]
    key = (types, trigger_module)
    if key not in by_types:
        by_types[key] = [
            r
            for r in rules
            if r["execute_when"]["type"] in types and eligible(r, module, trigger_module)
        ]
    return by_types[key]


# --------------------------------------------------------------------------- run-once marks
def fired_before(org: Org, rule: dict, key: str) -> bool:
    """Whether the rule already ran for `key`; marks it if not (without `repeat`, a rule runs
    once per record, per value for field updates)."""
    fired = org.engine.setdefault("fired", {}).setdefault(rule["id"], [])
    # The marks stay a list (they are JSON state); a set beside it answers `in` at once.
    seen = org.runtime.setdefault("fired", {})
    index = seen.get(rule["id"])
    if index is None or index[0] is not fired or index[1] != len(fired):
        index = seen[rule["id"]] = [fired, len(fired), set(fired)]
    if key in index[2]:
        return True
    fired.append(key)
    index[1] += 1
    index[2].add(key)
    return False


# --------------------------------------------------------------------------- the schedule
def earliest_due(org: Org) -> datetime | None:
    """When the first scheduled action is due. Valid while the schedule list and its length
    are unchanged; the engine forgets it whenever it removes entries."""
    memo = org.runtime.get("earliest_due")
    if memo is None or memo[0] is not org.schedule or memo[1] != len(org.schedule):
        earliest = min((parse_iso(e["due"]) for e in org.schedule), default=None)
        memo = org.runtime["earliest_due"] = (org.schedule, len(org.schedule), earliest)
    return memo[2]


def schedule_added(org: Org, entry: dict) -> None:
    """`entry` was just appended to the schedule: keep the earliest due time current."""
    memo = org.runtime.get("earliest_due")
    if memo is not None and memo[0] is org.schedule and memo[1] == len(org.schedule) - 1:
        at = parse_iso(entry["due"])
        org.runtime["earliest_due"] = (org.schedule, memo[1] + 1, min(memo[2] or at, at))


def schedule_shrank(org: Org) -> None:
    """Entries left the schedule: the earliest due time is worked out again when asked."""
    org.runtime.pop("earliest_due", None)
