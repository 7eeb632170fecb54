"""(5) The workflow engine in-process: record events per second against 100 active Deals rules,
and one clock advance over 10,000 queued scheduled actions."""

from __future__ import annotations

import copy
import statistics
import time
from datetime import timedelta

from benchmarks.common import Results
from mockcrm.crm import engine, records
from mockcrm.crm.org import Org
from mockcrm.seed.loader import load_seed

SECTION = "5 engine"
MODULE = "Deals"
SCHEDULED_RULE = "4876876000012100074"  # Zylker's create_or_edit Deals rule, 1 day later


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
        rule["status"] = {"active": True}
        if rule["execute_when"]["type"] == "date_or_datetime":  # fires on the clock, not events
            rule["execute_when"] = {
                "type": "create_or_edit",
                "details": {"trigger_module": org.module_ref(MODULE), "repeat": True},
            }
        org.rules[rule["id"]] = rule
        ids.append(rule["id"])
    org.rule_order[MODULE] = ids
    return org


def _deal(n: int) -> dict:
    stages = ["Qualification", "Proposal/Price Quote", "Negotiation/Review", "Closed Won"]
    return {
        "Deal_Name": f"Benchmark deal {n}",
        "Stage": stages[n % len(stages)],
        "Amount": 1000 * (n % 200),
        "Closing_Date": "2026-01-15",
    }


def events_per_second(events: int) -> tuple[float, int]:
    """Creates then edits of Deals (records.insert/update + engine.fire): events/s, firings."""
    org = deals_org(100)
    fired = 0
    start = time.perf_counter()
    ids = []
    for n in range(events // 2):
        result = records.insert(org, MODULE, {"data": [_deal(n)]})
        fired += len(engine.fire(org, result.events, result.trigger))
        ids.append(result.events[0].record_id)
    for n, record_id in enumerate(ids):
        body = {"data": [{"Amount": 500 * n, "Stage": "Closed Won"}]}
        result = records.update(org, MODULE, body, record_id)
        fired += len(engine.fire(org, result.events, result.trigger))
    return (2 * len(ids)) / (time.perf_counter() - start), fired


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
    ran = engine.run_due(org)
    return time.perf_counter() - start, len(ran)


def run(results: Results, events: int, queued: int, runs: int) -> None:
    print("(5) engine", flush=True)
    rates, fired = [], 0
    for _ in range(runs):
        rate, fired = events_per_second(events)
        rates.append(rate)
    rate = statistics.median(rates)
    results.add(
        SECTION, "record events through 100 active Deals rules", rate, "events/s",
        note=f"{fired // events} firings per event", target=">= 2,000", met=rate >= 2000,
    )  # fmt: skip
    times, ran = [], 0
    for _ in range(runs):
        seconds, ran = clock_advance_seconds(queued)
        times.append(seconds)
    results.add(
        SECTION, f"clock advance over {queued:,} queued scheduled actions",
        statistics.median(times) * 1000, "ms", note=f"{ran:,} executions",
    )  # fmt: skip
