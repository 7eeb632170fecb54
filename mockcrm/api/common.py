"""What every blueprint shares: the one renderer, body parsing, and the authenticated org."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from flask import Response, after_this_request, current_app, request

from mockcrm.api import delivery
from mockcrm.api.wsgi import MockcrmResponse
from mockcrm.core import credits
from mockcrm.core.auth import authenticate, require_scope
from mockcrm.core.errors import ZohoError
from mockcrm.core.jsontext import parse_json
from mockcrm.core.store import Store
from mockcrm.crm import engine_clock
from mockcrm.crm.org import Org

CONTENT_TYPE = "application/json;charset=UTF-8"
# `X-Mockcrm-Dashboard: 1`: a call the sandbox dashboard makes for its own pages. It runs as any
# API call (rules fire), but takes no injected fault, spends no API credits and stays out of the
# journal and request log: opening the dashboard must not disturb the org under test.
DASHBOARD_CALL = "HTTP_X_MOCKCRM_DASHBOARD"


def not_modified() -> Response:
    """Nothing changed since If-Modified-Since: Zoho's 304, no body (the SDK expects it)."""
    return MockcrmResponse(status=304)


def render(body: Any, status: int = 200) -> Response:
    """THE renderer: JSON with Zoho's content type, or an empty 204."""
    if body is None:
        # No body, so no Content-Type: Zoho's SDK picks its parser from that header.
        empty = MockcrmResponse(status=204)
        empty.headers.pop("Content-Type", None)
        return empty
    return MockcrmResponse(to_json(body), status=status, content_type=CONTENT_TYPE)


def to_json(body: Any) -> bytes:
    """Compact UTF-8 JSON. orjson writes the same bytes as the standard library ten times faster
    (encoding was half the cost of a list page); what it refuses (integers beyond 64 bits,
    non-string keys) the standard library writes."""
    try:
        return orjson.dumps(body)
    except TypeError:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def render_error(error: ZohoError) -> Response:
    return render(error.body(), error.status)


def render_list(collection: str, items: list, info: dict) -> Response:
    return render({collection: items, "info": info} if items else None)


def store() -> Store:
    return current_app.extensions["mockcrm.store"]


def json_body() -> Any:
    """The parsed body; unparseable JSON is Zoho's INVALID_DATA, never Flask's HTML 400."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return None
    try:
        return parse_json(raw)
    except ValueError:
        raise ZohoError(
            "INVALID_DATA", "either the request body or parameters is in wrong format"
        ) from None


@contextmanager
def org_for(scope: str) -> Iterator[Org]:
    """Authenticate, check the scope, and hold the store lock while crm code runs."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # one proxy lookup
    st, settings = app.extensions["mockcrm.store"], app.config["MOCKCRM_SETTINGS"]
    environ = request.environ
    with st.lock:
        principal = authenticate(
            st, environ, strict=settings.auth == "strict", now=lambda org: org.clock.now()
        )
        require_scope(principal, scope)
        if environ.get(DASHBOARD_CALL) != "1":
            _charge_credits(st, principal.org)
        with webhooks_delivered(principal.org):
            # What the org's clock has reached (scheduled actions, date triggers) runs first.
            if engine_clock.run_due(principal.org):
                st.touch(principal.org.id)  # a GET's engine work is a change too (state file)
            yield principal.org


@contextmanager
def webhooks_delivered(org: Org) -> Iterator[None]:
    """With --deliver-webhooks, the loopback webhooks the engine puts in the org's outbox
    meanwhile (a CRM call's, or a clock move's in the admin API) are sent after it, even when
    the call then fails: what the engine ran stays run."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    sent_before = len(org.outbox)
    try:
        yield
    finally:
        if app.config["MOCKCRM_SETTINGS"].deliver_webhooks:
            delivery.deliver_new(app.extensions["mockcrm.store"], org, sent_before)


def _charge_credits(st: Store, org: Org) -> None:
    """Zoho's API credits (core/credits.py): an authenticated CRM call of an org with a budget
    costs credits; beyond the budget it is refused (429) and costs nothing."""
    if org.api_credits.get("daily_limit") is None:
        return
    now = org.clock.now()
    usage = credits.Usage.at(org.api_credits, now)
    cost = credits.call_cost(request.method, _json_or_none(request.get_data(cache=True)))
    try:
        usage, refused = credits.charge(usage, cost, now), None
    except ZohoError as error:
        refused = error
    org.api_credits = usage.as_state()
    st.touch(org.id)  # usage is org state: the state-file saver writes it
    remaining = usage.header()
    if remaining is not None:
        after_this_request(lambda response: _set_header(response, credits.HEADER, remaining))
    if refused is not None:
        raise refused


def _set_header(response: Response, name: str, value: str) -> Response:
    response.headers[name] = value
    return response


def _json_or_none(raw: bytes) -> Any:
    try:
        return parse_json(raw) if raw.strip() else None
    except ValueError:
        return None


def scope(resource: str, operation: str) -> str:
    return f"ZohoCRM.settings.{resource}.{operation}"
