"""Can an imported org state serve? `PUT /__admin/orgs/{org}/state` builds a throwaway org from
the state and runs on it what every API call of the org will run: the engine's catch-up
(scheduled actions and the date scan run before each request), the reads of rules (and their
usage counts), entities, records, users and metadata, and an id allocation. A state that fails
any of them is refused with nothing changed; before, it was accepted, and every later call of
the org was a 500."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from mockcrm.core.ids import ID_LENGTH, is_id
from mockcrm.crm import engine_clock, record_reads, rule_list, tag_mass_delete, usage, users
from mockcrm.crm.actions import KINDS, get_entity, list_entities
from mockcrm.crm.metadata import list_fields, list_modules
from mockcrm.crm.org import Org
from mockcrm.crm.triggers import normalise_trigger

# What a state that cannot serve raises while it is exercised.
STATE_ERRORS = (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError)


def check_ids(org: Org, state: dict[str, Any]) -> None:
    """`ids.next` is an id of the org's prefix above every id the state holds: the next object
    created must not replace one that exists (ValueError otherwise)."""
    nxt = state.get("ids", {}).get("next")
    if isinstance(nxt, bool) or not isinstance(nxt, int) or len(str(nxt)) != ID_LENGTH:
        raise ValueError("ids.next")
    prefix = org.ids.prefix
    if not str(nxt).startswith(prefix):
        raise ValueError("ids.next")
    taken = [int(i) for i in _strings(state) if is_id(i) and i.startswith(prefix)]
    if taken and nxt <= max(taken):
        raise ValueError("ids.next")


def exercise(org: Org) -> None:
    """Run on the throwaway org what the APIs will run (raises one of STATE_ERRORS)."""
    for log in (org.outbox, org.executions, org.schedule):  # the admin API filters their items
        if not all(isinstance(item, dict) for item in log):
            raise TypeError("engine logs hold objects")
    jobs = org.engine.get(tag_mass_delete.JOBS, [])  # a status read scans, a mass delete appends
    if not isinstance(jobs, list) or not all(isinstance(j, dict) and "job_id" in j for j in jobs):
        raise TypeError("tag mass delete jobs are objects with a job_id")
    usage.check(org)  # the engine writes the counters the usage reports read
    for rule in org.rules.values():
        # Each record event reads the triggers of its module's rules, as the rules API stores
        # them: a trigger it would refuse is refused here (a ZohoError), before any event.
        when = rule["execute_when"]
        if not isinstance(when.get("details"), dict):
            raise TypeError("execute_when.details")
        normalise_trigger(org, rule["module"]["api_name"], when["type"], when["details"])
    engine_clock.run_due(org)
    org.clock.advance(timedelta(days=1))  # a clock move: the date scan and what falls due
    engine_clock.run_due(org)
    for rule in rule_list.list_rules(org, {}):
        rule_list.get_rule(org, rule["id"])
    for kind in KINDS.values():
        for entity in list_entities(org, kind, {}):
            get_entity(org, kind, entity["id"], {})
    list_modules(org, None, None)
    for module in org.modules:
        if org.records.get(module):
            record_reads.list_records(org, module, {"fields": "id", "per_page": "200"})
        if org.fields.get(module):
            list_fields(org, module, None)
    users.list_users(org, None, None)
    org.ids.next()


def _strings(value: Any) -> list[str]:
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found
