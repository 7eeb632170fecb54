"""The admin API under /__admin: ONE route table of (method, rule, handler), JSON in and out.

Not a Zoho API: it drives the harness (orgs, reset, snapshots, state, journal, faults, API credits,
clock, tokens). Its errors use Zoho's flat envelope `{"code","details","message","status"}` through
the same ZohoError/render machinery; bodies are checked by THE translator (crm/validation.py).
`default` names the default org wherever an org id is expected.

The views live here, except the clock and engine-log views (admin_engine.py); the helpers they
all use (org lookup, body parsing) are in admin_common.py. ROUTES below lists every one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, request

from mockcrm.api import admin_engine
from mockcrm.api.admin_common import (
    DEFAULT,
    limit_of,
    locks_itself,
    not_found,
    org_id_of,
    org_of,
    parsed_body,
    takes,
)
from mockcrm.api.common import json_body, render, store
from mockcrm.core import credits
from mockcrm.core.auth import ALL_SCOPES
from mockcrm.core.clock import CLOCK_MAX, CLOCK_MIN
from mockcrm.core.errors import ZohoError
from mockcrm.crm.org import DATA_FIELDS, Org
from mockcrm.seed.loader import TooManyRules

# The body schemas (admin_bodies, marshmallow; see admin_common.parsed_body) and the OpenAPI
# generator are imported by the handlers that use them: neither is needed to start serving, or to
# answer /health.

PREFIX = "/__admin"
OPEN_PATHS = frozenset({f"{PREFIX}/health", f"{PREFIX}/ready"})


# --- errors: Zoho's flat envelope -------------------------------------------------------------


def invalid_state(api_name: str) -> ZohoError:
    return ZohoError(
        "INVALID_DATA",
        "the body is not an org state exported by mockcrm",
        {"api_name": api_name, "json_path": "$" if api_name == "state" else f"$.{api_name}"},
    )


# --- lookups ----------------------------------------------------------------------------------


def _org_item(org_id: str) -> dict[str, Any]:
    st = store()
    origin = st.origins.get(org_id)
    return {
        "org_id": org_id,
        "name": st.orgs[org_id].name,
        "default": org_id == st.default_org_id,
        "seed": origin.seed if origin else None,
        "fake_rules": origin.fake_rules if origin else 0,
        "fake_seed": origin.fake_seed if origin else 0,
        "snapshots": sorted(st.snapshots.get(org_id, {})),
    }


# --- health, orgs, reset, snapshots, state ----------------------------------------------------


def health() -> Response:
    import mockcrm  # at call time: mockcrm/__init__ imports the app, which imports this module

    return render({"status": "ok", "version": mockcrm.__version__})


def ready() -> Response:
    return render({"status": "ready", "orgs": len(store().orgs)})


def reset_all() -> Response:
    return render({"org_ids": store().reset()})


def reset_org(org_id: str) -> Response:
    target = org_id_of(org_id)
    store().reset(target)
    return render({"org_id": target})


@takes("OrgSpec")
def create_org() -> Response:
    spec = parsed_body("OrgSpec")
    st = store()
    try:
        org = st.create_org(spec["seed"], spec["fake_rules"], spec["fake_seed"])
    except TooManyRules:
        raise ZohoError(
            "INVALID_DATA",
            "too many fake rules for the seed's modules",
            {"api_name": "fake_rules", "json_path": "$.fake_rules"},
        ) from None
    token = st.issue_token(org.id, ALL_SCOPES, None, org.clock.now())
    return render({"org_id": org.id, "access_token": token.value}, 201)


def list_orgs() -> Response:
    return render({"orgs": [_org_item(org_id) for org_id in store().orgs]})


def get_org(org_id: str) -> Response:
    return render(_org_item(org_id_of(org_id)))


def delete_org(org_id: str) -> Response:
    target = org_id_of(org_id)
    if not store().delete_org(target):
        raise ZohoError("NOT_ALLOWED", "the default org cannot be deleted", {"org_id": target})
    return render({"org_id": target, "deleted": True})


@takes("SnapshotSpec")
def take_snapshot(org_id: str) -> Response:
    target, name = org_id_of(org_id), parsed_body("SnapshotSpec")["name"]
    store().snapshot(target, name)
    return render({"org_id": target, "name": name}, 201)


def restore_snapshot(org_id: str, name: str) -> Response:
    target = org_id_of(org_id)
    if not store().restore(target, name):
        raise not_found("snapshot", "name", name)
    return render({"org_id": target, "name": name})


def export_state(org_id: str) -> Response:
    return render(store().export_state(org_id_of(org_id)))


@locks_itself
def import_state(org_id: str) -> Response:
    """Validate fully (build a throwaway org), then replace: a bad state changes nothing. The
    parse and the trial run (seconds for a big org) hold no lock: with --threads above one the
    other orgs' calls go on meanwhile; only the swap is locked."""
    with store().lock:
        target = org_of(org_id)
    state = json_body()
    if not isinstance(state, dict):
        raise invalid_state("state")
    for key in DATA_FIELDS:
        if key in state and not isinstance(state[key], type(getattr(target, key))):
            raise invalid_state(key)
    from mockcrm.crm import state_check  # lazy: the engine and every read, for imports only

    try:
        org = Org.from_state({**state, "id": target.id}, target.catalogue)
        org.now()  # the time zone
        credits.Usage.at(org.api_credits, org.clock.now()).view(org.time_zone)
        if not isinstance(org.current_user_id, str):
            raise TypeError("current_user_id")
        if not CLOCK_MIN <= org.clock.now() <= CLOCK_MAX:
            raise ValueError("clock")
        state_check.check_ids(org, state)
        state_check.exercise(org)  # the throwaway org: what every call of the org will run
    except (*state_check.STATE_ERRORS, ZohoError):
        raise invalid_state("state") from None
    with store().lock:
        org_id_of(target.id)  # deleted meanwhile: 404
        store().import_state(target.id, state)
    return render({"org_id": target.id})


# --- journal and faults -----------------------------------------------------------------------


def _journal_query() -> dict[str, Any]:
    args = request.args
    org_id = args.get("org_id") or None
    return {
        "org_id": store().default_org_id if org_id == DEFAULT else org_id,
        "method": args.get("method") or None,
        "path": args.get("path") or None,
        "limit": limit_of(args),
    }


def list_requests() -> Response:
    return render({"requests": [e.as_dict() for e in store().journal.query(**_journal_query())]})


def count_requests() -> Response:
    return render({"count": len(store().journal.query(**_journal_query()))})


def clear_requests() -> Response:
    journal = store().journal
    cleared = len(journal)
    journal.clear()
    return render({"cleared": cleared})


@takes("FaultSpec")
def add_fault() -> Response:
    spec = parsed_body("FaultSpec")
    if spec.get("org_id") is not None:
        spec["org_id"] = org_id_of(spec["org_id"])
    fault = store().faults.add(**spec)
    return render({"id": fault.id}, 201)


def list_faults() -> Response:
    return render({"faults": [f.as_dict() for f in store().faults.list()]})


def get_fault(fault_id: str) -> Response:
    fault = next((f for f in store().faults.list() if f.id == fault_id), None)
    if fault is None:
        raise not_found("fault", "id", fault_id)
    return render(fault.as_dict())


def clear_faults() -> Response:
    faults = store().faults
    cleared = len(faults.list())
    faults.remove()
    return render({"cleared": cleared})


def delete_fault(fault_id: str) -> Response:
    if not store().faults.remove(fault_id):
        raise not_found("fault", "id", fault_id)
    return render({"id": fault_id, "deleted": True})


# --- API credits, OpenAPI, tokens -------------------------------------------------------------


def _credits_view(org: Org, usage: credits.Usage) -> Response:
    return render({"org_id": org.id, **usage.view(org.time_zone)})


def get_credits(org_id: str) -> Response:
    org = org_of(org_id)
    return _credits_view(org, credits.Usage.at(org.api_credits, org.clock.now()))


@takes("CreditsSpec")
def set_credits(org_id: str) -> Response:
    org, spec = org_of(org_id), parsed_body("CreditsSpec")
    now = org.clock.now()
    usage = credits.configure(
        credits.Usage.at(org.api_credits, now), spec["daily_limit"], spec["used"], now
    )
    org.api_credits = usage.as_state()
    return _credits_view(org, usage)


def openapi() -> Response:
    """This API's OpenAPI 3.1 document, generated from ROUTES and the body schemas."""
    from mockcrm.api import admin_openapi  # lazy: see the note at the top

    return render(admin_openapi.document(PREFIX, ROUTES))


@takes("TokenSpec")
def issue_token() -> Response:
    spec = parsed_body("TokenSpec")
    org = org_of(spec["org_id"])
    scopes = frozenset(spec["scopes"])
    token = store().issue_token(org.id, scopes, spec["expires_in"], org.clock.now())
    body = {
        "access_token": token.value,
        "expires_in": spec["expires_in"],
        "org_id": org.id,
        "scopes": sorted(scopes),
    }
    return render(body, 201)


# --- the route table --------------------------------------------------------------------------

ROUTES: list[tuple[str, str, Callable[..., Response]]] = [
    ("GET", "/health", health),
    ("GET", "/ready", ready),
    ("POST", "/reset", reset_all),
    ("POST", "/orgs", create_org),
    ("GET", "/orgs", list_orgs),
    ("GET", "/orgs/<org_id>", get_org),
    ("DELETE", "/orgs/<org_id>", delete_org),
    ("POST", "/orgs/<org_id>/reset", reset_org),
    ("POST", "/orgs/<org_id>/snapshots", take_snapshot),
    ("POST", "/orgs/<org_id>/snapshots/<name>/restore", restore_snapshot),
    ("GET", "/orgs/<org_id>/state", export_state),
    ("PUT", "/orgs/<org_id>/state", import_state),
    ("GET", "/orgs/<org_id>/credits", get_credits),
    ("PUT", "/orgs/<org_id>/credits", set_credits),
    ("GET", "/requests", list_requests),
    ("GET", "/requests/count", count_requests),
    ("DELETE", "/requests", clear_requests),
    ("POST", "/faults", add_fault),
    ("GET", "/faults", list_faults),
    ("DELETE", "/faults", clear_faults),
    ("GET", "/faults/<fault_id>", get_fault),
    ("DELETE", "/faults/<fault_id>", delete_fault),
    ("GET", "/clock", admin_engine.get_clock),
    ("PUT", "/clock", admin_engine.set_clock),
    ("POST", "/clock/advance", admin_engine.advance_clock),
    ("POST", "/tokens", issue_token),
    ("GET", "/openapi.json", openapi),
    ("GET", "/orgs/<org_id>/outbox", admin_engine.get_outbox),
    ("DELETE", "/orgs/<org_id>/outbox", admin_engine.clear_outbox),
    ("GET", "/orgs/<org_id>/executions", admin_engine.get_executions),
    ("GET", "/orgs/<org_id>/schedule", admin_engine.get_schedule),
]


def _locked(handler: Callable[..., Response]) -> Callable[..., Response]:
    """Every admin call runs under the store lock: it never interleaves with a CRM write (but
    for the few marked `locks_itself`, which take it for their changes only)."""
    if getattr(handler, "locks_itself", False):
        return handler

    def view(**kwargs: Any) -> Response:
        with store().lock:
            return handler(**kwargs)

    view.__name__ = handler.__name__
    return view


bp = Blueprint("admin", __name__, url_prefix=PREFIX)
for _method, _rule, _handler in ROUTES:
    bp.add_url_rule(_rule, _handler.__name__, _locked(_handler), methods=[_method])
