"""(5) The workflow engine in-process: record events per second against 100 active Deals rules,
and one clock advance over 10,000 queued scheduled actions."""

from __future__ import annotations

import copy
import gc
import random
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from benchmarks.common import Results
from mockcrm import cli
from mockcrm.crm import engine, engine_clock, records
from mockcrm.crm.org import Org
from mockcrm.seed.loader import load_seed

SECTION = "5 engine"
MODULE = "Deals"
SCHEDULED_RULE = "4876876000012100074"  # Zylker's create_or_edit Deals rule, 1 day later
# A sales pipeline as Zylker's Deals picklists have it: new deals mostly in the early stages.
OPEN_STAGES = ("Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers",
               "Proposal/Price Quote", "Negotiation/Review")  # fmt: skip
STAGES = (*OPEN_STAGES, "Closed Won", "Closed Lost", "Closed Lost to Competition")
STAGE_WEIGHTS = (30, 18, 14, 10, 12, 8, 4, 3, 1)
TYPES = ("New Business",) * 6 + ("Existing Business",) * 3 + (None,)
LEAD_SOURCES = ("Advertisement", "Cold Call", "Employee Referral", "External Referral",
                "Online Store", "Partner", "Public Relations", "Sales Email Alias",
                "Seminar Partner", "Internal Seminar", "Trade Show", "Web Download",
                "Web Research", "Chat", None)  # fmt: skip
LOSS_REASONS = ("Expectation Mismatch", "Price", "Unqualified Customer", "Lack of Response",
                "Missed Follow Ups", "Wrong Target", "Competition", "Future Interest",
                "Other")  # fmt: skip
FIRST_CLOSING = date(2026, 1, 1)
GENERATED_RULES = 600  # enough for the generator to fill Deals to its 120-rule cap


@dataclass
class EngineRun:
    rate: float  # record events per second
    firings: int  # rules whose trigger fired (each one is an execution log entry)
    matched: int  # of those, the ones with a matching condition (their actions ran)
    actions: int  # instant actions performed


def deals_org(active_rules: int) -> Org:
    """Zylker with `active_rules` active Deals rules: copies of its 27 Deals rules with their own
    triggers (create, edit, create_or_edit, field_update; date rules become create_or_edit) and
    criteria (Stage, Amount, Closing_Date, owner, tags, groups...). Past Zoho's 75 active rules
    per module on purpose: a stress figure."""
    org = load_seed("zylker")
    seeds = [org.rules[i] for i in org.rule_order[MODULE]]
    ids = []
    for n in range(active_rules):
        rule = copy.deepcopy(seeds[n % len(seeds)])
        rule["id"] = org.ids.next()
        rule["name"] = f"{rule['name']} #{n}"
        org.rules[rule["id"]] = rule
        ids.append(rule["id"])
    return _all_active(org, ids)


def generated_deals_org(active_rules: int) -> Org:
    """Zylker plus the seed generator's rules (`--fake-rules`): its 27 Deals rules then generated
    ones, no copies. The generator draws criteria per field type (picklist equal, amount and
    date thresholds, text words, emptiness) and one to three conditions, 12-30% of them
    catch-all: a second, independent reading of "realistic criteria"."""
    org = load_seed("zylker", GENERATED_RULES, 1)
    ids = org.rule_order[MODULE][:active_rules]
    if len(ids) < active_rules:
        raise RuntimeError(f"the generator made only {len(ids)} Deals rules")
    return _all_active(org, ids)


def _all_active(org: Org, ids: list[str]) -> Org:
    """The org's Deals rules become `ids`, all active; date rules become create_or_edit (they
    fire on the clock, not on record events)."""
    for rule_id in ids:
        rule = org.rules[rule_id]
        rule["status"] = {"active": True}
        if rule["execute_when"]["type"] == "date_or_datetime":
            rule["execute_when"] = {
                "type": "create_or_edit",
                "details": {"trigger_module": org.module_ref(MODULE), "repeat": True},
            }
    org.rule_order[MODULE] = list(ids)
    return org


def without_actions(org: Org) -> Org:
    """The org's Deals rules with no actions: the same criteria, triggers and execution log, so
    what is left is the cost of matching and logging (and no field update cascades)."""
    for rule_id in org.rule_order[MODULE]:
        for condition in org.rules[rule_id]["conditions"]:
            condition["instant_actions"] = {"actions": []}
            condition["scheduled_actions"] = None
    return org


def _deal(n: int) -> dict:
    """Deal `n`, the same on every run: a stage, type, lead source, amount (log-normal, median
    ~33,000) and closing date spread as in a real pipeline; lost deals carry a reason."""
    rng = random.Random(n)
    stage = rng.choices(STAGES, STAGE_WEIGHTS)[0]
    deal = {
        "Deal_Name": f"Benchmark deal {n}",
        "Stage": stage,
        "Amount": round(rng.lognormvariate(10.4, 1.0), -2),
        "Closing_Date": (FIRST_CLOSING + timedelta(days=rng.randint(0, 180))).isoformat(),
        "Type": rng.choice(TYPES),
        "Lead_Source": rng.choice(LEAD_SOURCES),
    }
    if stage.startswith("Closed Lost"):
        deal["Reason_For_Loss__s"] = rng.choice(LOSS_REASONS)
    return deal


def _edit(n: int, deal: dict) -> dict:
    """An edit of deal `n` as a salesperson makes it: an open deal moves on a stage (or is won,
    15%, or lost, 10%); most edits revise the amount, some move the closing date."""
    rng = random.Random(-1 - n)
    body: dict = {}
    if deal["Stage"] in OPEN_STAGES:
        roll = rng.random()
        if roll < 0.15:
            body["Stage"] = "Closed Won"
        elif roll < 0.25:
            body.update(Stage="Closed Lost", Reason_For_Loss__s=rng.choice(LOSS_REASONS))
        else:
            at = OPEN_STAGES.index(deal["Stage"])
            body["Stage"] = OPEN_STAGES[min(at + 1, len(OPEN_STAGES) - 1)]
    if rng.random() < 0.6:
        body["Amount"] = round((deal.get("Amount") or 10_000) * rng.uniform(0.8, 1.3), -2)
    if rng.random() < 0.3 or not body:
        days = rng.randint(30, 240)
        body["Closing_Date"] = (FIRST_CLOSING + timedelta(days=days)).isoformat()
    return body


def events_per_second(events: int, org: Org) -> EngineRun:
    """Creates then edits of Deals (records.insert/update + engine.fire): events/s and what
    the rules did (the org's logs are capped, so counted from what each fire returns; counted
    at once, not kept: a server drops them after the request, and keeping 100 per event would
    make every full GC collection here walk ten times the org's own logs)."""
    counts = EngineRun(0.0, 0, 0, 0)
    gc.collect()  # the org built before, not the runs before it: every run starts alike
    start = time.perf_counter()
    ids = []
    for n in range(events // 2):
        result = records.insert(org, MODULE, {"data": [_deal(n)]})
        _count(counts, engine.fire(org, result.events, result.trigger))
        ids.append(result.events[0].record_id)
    for n, record_id in enumerate(ids):
        body = {"data": [_edit(n, org.records[MODULE][record_id])]}
        result = records.update(org, MODULE, body, record_id)
        _count(counts, engine.fire(org, result.events, result.trigger))
    counts.rate = (2 * len(ids)) / (time.perf_counter() - start)
    return counts


def _count(counts: EngineRun, executions: list[dict]) -> None:
    counts.firings += len(executions)
    for execution in executions:
        if execution["condition"] is not None:
            counts.matched += 1
            counts.actions += len(execution["actions"])


def clock_advance_seconds(queued: int) -> tuple[float, int]:
    """Queue `queued` scheduled actions, then one advance past all of them: seconds, ran."""
    org = load_seed("zylker")
    rule = org.rules[SCHEDULED_RULE]
    condition = next(c for c in rule["conditions"] if c.get("scheduled_actions"))
    group = condition["scheduled_actions"][0]
    record_id = next(iter(org.records[MODULE]))
    for _ in range(queued):
        engine._queue(org, rule, MODULE, record_id, condition["id"], group)
    org.clock.advance(timedelta(days=30))
    start = time.perf_counter()
    ran = engine_clock.run_due(org)
    return time.perf_counter() - start, len(ran)


@contextmanager
def collector(thresholds: tuple[int, int, int]) -> Iterator[None]:
    """This process's cyclic-GC thresholds set to `thresholds` for a while (the engine runs
    under `mockcrm serve`'s, cli.GC_THRESHOLDS, as in the server; an in-process host keeps
    Python's own)."""
    kept = gc.get_threshold()
    gc.set_threshold(*thresholds)
    try:
        yield
    finally:
        gc.set_threshold(*kept)


def run(results: Results, events: int, queued: int, runs: int) -> None:
    print("(5) engine", flush=True)
    with collector(cli.GC_THRESHOLDS):
        _run(results, events, queued, runs)
    # Information: the first rule set in a process that keeps Python's thresholds (the engine
    # in a test process, through the pytest plugin or the Flask test client).
    with collector(cli.PYTHON_GC_THRESHOLDS):
        rate = statistics.median(
            events_per_second(events, deals_org(100)).rate for _ in range(runs)
        )
    results.add(
        SECTION, "record events through the copied rules, Python's default GC thresholds",
        rate, "events/s", note=f"an in-process host; the rows above run with {cli.GC_THRESHOLDS}",
    )  # fmt: skip


def _run(results: Results, events: int, queued: int, runs: int) -> None:
    rule_sets = (
        ("100 active Deals rules (Zylker's 27, copied)", deals_org),
        ("100 active Deals rules (Zylker's 27 + 73 generated)", generated_deals_org),
    )
    for label, build in rule_sets:
        measured = [events_per_second(events, build(100)) for _ in range(runs)]
        rate, last = statistics.median(r.rate for r in measured), measured[-1]
        per_event = {k: getattr(last, k) / events for k in ("firings", "matched", "actions")}
        note = (
            f"{per_event['firings']:.0f} firings per event, {per_event['matched']:.0f} with a "
            f"matching condition, {per_event['actions']:.0f} actions; "
            f"{rate * per_event['firings']:,.0f} rule executions/s"
        )
        results.add(
            SECTION, f"record events through {label}", rate, "events/s",
            note=note, target=">= 2,000", met=rate >= 2000,
        )  # fmt: skip
    # Information: the first rule set with its actions removed, the floor under the two above.
    measured = [events_per_second(events, without_actions(deals_org(100))) for _ in range(runs)]
    per_event = measured[-1].firings / events
    results.add(
        SECTION, "record events through the copied rules without their actions",
        statistics.median(r.rate for r in measured), "events/s",
        note=f"{per_event:.0f} firings per event: matching and logging only",
    )  # fmt: skip
    times, ran = [], 0
    for _ in range(runs):
        seconds, ran = clock_advance_seconds(queued)
        times.append(seconds)
    results.add(
        SECTION, f"clock advance over {queued:,} queued scheduled actions",
        statistics.median(times) * 1000, "ms", note=f"{ran:,} executions",
    )  # fmt: skip
