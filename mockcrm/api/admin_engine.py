"""The admin API's virtual clock and workflow-engine views: GET/PUT /clock, POST /clock/advance
(moving an org's clock runs the engine's scheduled actions that fall due) and the engine's logs
per org (outbox, executions, schedule).

Separate from api/admin.py, which keeps the one route table (ROUTES) that lists these views:
they are the harness's window on the engine, not org bookkeeping."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, request

from mockcrm.api.admin_common import DEFAULT, limit_of, org_of, parsed_body, takes
from mockcrm.api.common import render, webhooks_delivered
from mockcrm.core.clock import CLOCK_MAX, CLOCK_RANGE_MESSAGE
from mockcrm.core.errors import ZohoError
from mockcrm.crm import engine_clock
from mockcrm.crm.calendar import add_business_days
from mockcrm.crm.org import Org

# --- clock ------------------------------------------------------------------------------------


def _clock_view(org: Org, ran: list[dict] | None = None) -> Response:
    body = {
        "org_id": org.id,
        "now": org.now(),
        "time_zone": org.time_zone,
        "frozen": org.clock.frozen,
    }
    if ran is not None:
        body["ran"] = ran  # what the engine ran because the clock moved
    return render(body)


def get_clock() -> Response:
    return _clock_view(org_of(request.args.get("org_id") or DEFAULT))


@takes("ClockSpec")
def set_clock() -> Response:
    spec = parsed_body("ClockSpec")
    org = org_of(spec["org_id"])
    with webhooks_delivered(org):
        engine_clock.run_due(org)  # what was due before the jump runs at its own time
        org.clock.set(spec["now"], freeze=spec["freeze"])
        ran = engine_clock.run_due(org)
    return _clock_view(org, ran)


@takes("AdvanceSpec")
def advance_clock() -> Response:
    spec = parsed_body("AdvanceSpec")
    org = org_of(spec["org_id"])
    start = org.clock.now()
    try:
        end = start + timedelta(days=spec["days"], hours=spec["hours"], minutes=spec["minutes"])
        if spec["business_days"]:  # the scheduler's arithmetic (business hours and holidays)
            end = add_business_days(org, end, spec["business_days"])
    except OverflowError:  # beyond Python's calendar
        end = None
    if end is None or end > CLOCK_MAX:
        raise ZohoError("INVALID_DATA", CLOCK_RANGE_MESSAGE, {"json_path": "$"})
    with webhooks_delivered(org):
        engine_clock.run_due(org)  # sets the engine's horizon at the current time
        org.clock.advance(end - start)
        ran = engine_clock.run_due(org)
    return _clock_view(org, ran)


# --- the engine's logs ------------------------------------------------------------------------


def _engine_log(org_id: str, key: str) -> Response:
    """The org's outbox / executions / schedule, oldest first, filtered like the journal; with
    `limit`, the newest that many of what the filters keep (the dashboard shows the latest 50)."""
    args, items = request.args, getattr(org_of(org_id), key)
    limit = limit_of(args)
    wanted = {k: args[k] for k in ("rule_id", "record_id", "type") if args.get(k)}

    def keep(item: dict) -> bool:
        refs = {
            "rule_id": (item.get("rule") or {}).get("id", item.get("rule_id")),
            "record_id": (item.get("record") or {}).get("id", item.get("record_id")),
            "type": item.get("type"),
        }
        return all(refs[k] == v for k, v in wanted.items())

    kept = [item for item in items if keep(item)]
    return render({key: kept[-limit:] if limit else kept})


def get_outbox(org_id: str) -> Response:
    return _engine_log(org_id, "outbox")


def get_executions(org_id: str) -> Response:
    return _engine_log(org_id, "executions")


def get_schedule(org_id: str) -> Response:
    return _engine_log(org_id, "schedule")


def clear_outbox(org_id: str) -> Response:
    org = org_of(org_id)
    cleared, org.outbox = len(org.outbox), []
    return render({"cleared": cleared})
