"""What every blueprint shares: the one renderer, body parsing, and the authenticated org."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Response, current_app, request

from mockcrm.api import delivery
from mockcrm.core.auth import authenticate, require_scope
from mockcrm.core.errors import ZohoError
from mockcrm.core.store import Store
from mockcrm.crm import engine
from mockcrm.crm.org import Org

CONTENT_TYPE = "application/json;charset=UTF-8"
# Deeper than any Zoho body (a rule with MAX_CRITERIA_DEPTH nested criteria groups is ~60).
MAX_JSON_DEPTH = 100


def render(body: Any, status: int = 200) -> Response:
    """THE renderer: JSON with Zoho's content type, or an empty 204."""
    if body is None:
        # No body, so no Content-Type: Zoho's SDK picks its parser from that header.
        empty = Response(status=204)
        empty.headers.pop("Content-Type", None)
        return empty
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(text, status=status, content_type=CONTENT_TYPE)


def render_error(error: ZohoError) -> Response:
    return render(error.body(), error.status)


def render_list(collection: str, items: list, info: dict) -> Response:
    return render({collection: items, "info": info} if items else None)


def store() -> Store:
    return current_app.extensions["mockcrm.store"]


def parse_json(raw: bytes | str) -> Any:
    """JSON text -> value. ValueError when malformed or nested deeper than MAX_JSON_DEPTH:
    CPython's parser raises RecursionError on very deep input, and a merely deep value would
    blow the stack later (deepcopy, rendering), so depth is refused here, once."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if _depth_exceeds(value, MAX_JSON_DEPTH):
        raise ValueError("nested too deeply")
    return value


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Iterative (the point is not to recurse): is any array/object nested deeper than limit?"""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in item)
    return False


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
    st = store()
    strict = current_app.config["MOCKCRM_SETTINGS"].auth == "strict"
    with st.lock:
        principal = authenticate(
            st, request.headers, strict=strict, now=lambda org: org.clock.now()
        )
        require_scope(principal, scope)
        sent_before = len(principal.org.outbox)
        # What the org's clock has reached (scheduled actions, date triggers) runs first.
        engine.run_due(principal.org)
        yield principal.org
        if current_app.config["MOCKCRM_SETTINGS"].deliver_webhooks:
            delivery.deliver_new(st, principal.org, sent_before)


def scope(resource: str, operation: str) -> str:
    return f"ZohoCRM.settings.{resource}.{operation}"
