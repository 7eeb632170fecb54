"""Request hooks every API call passes through: injected faults before, the journal and the
one-line request log after. Admin calls are neither faulted nor journaled."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from flask import Flask, Response, after_this_request, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from mockcrm.api.common import parse_json, render_error, store
from mockcrm.core import credits
from mockcrm.core.auth import SCHEME
from mockcrm.core.errors import ZohoError
from mockcrm.core.faults import status_error
from mockcrm.core.journal import redact, redact_body, redact_query
from mockcrm.sandbox import is_dashboard_path

log = logging.getLogger("mockcrm.requests")
ADMIN_PREFIX = "/__admin"
MAX_BODY_CHARS = 10_000
# Admin state imports of big orgs exceed any API body limit; the admin API is guarded instead.
ADMIN_MAX_BODY = 1 << 40
# A request path can carry encoded newlines: escaped, they cannot forge a second log line.
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def install(app: Flask) -> None:
    app.before_request(_before)
    app.after_request(_after)


def _target_org_id() -> str | None:
    """The org a request is for, without failing: its token's org, X-CRM-ORG, or the default."""
    st = store()
    header = request.headers.get("Authorization", "")
    token = st.tokens.get(header[len(SCHEME) :].strip()) if header.startswith(SCHEME) else None
    if token is not None:
        return token.org_id
    return request.headers.get("X-CRM-ORG") or st.default_org_id


def _before() -> Response | None:
    g.started = time.perf_counter()
    if request.path.startswith(ADMIN_PREFIX):
        request.max_content_length = ADMIN_MAX_BODY
        return None
    if is_dashboard_path(request.path):  # the dashboard's own pages and files: not API traffic
        return None
    request.get_data(cache=True)  # over max_body_bytes: Zoho's 413 before anything else
    fault = store().faults.take(request.method, request.path, _target_org_id())
    if fault is not None:
        if fault.delay_ms:
            time.sleep(fault.delay_ms / 1000)
        if fault.status:
            return render_error(status_error(fault.status))
    return _charge_credits()


def _charge_credits() -> Response | None:
    """Zoho's API credits (core/credits.py): a CRM call of an org with a budget costs credits."""
    if not request.path.startswith("/crm/"):
        return None
    st = store()
    with st.lock:
        org = st.org(_target_org_id())
        if org is None or org.api_credits.get("daily_limit") is None:
            return None
        now = org.clock.now()
        usage = credits.Usage.at(org.api_credits, now)
        cost = credits.call_cost(request.method, _json_or_none(request.get_data(cache=True)))
        try:
            usage, refused = credits.charge(usage, cost, now), None
        except ZohoError as error:
            refused = error
        org.api_credits = usage.as_state()
        st.touch()  # usage is org state: the state-file saver writes it
    remaining = usage.header()
    if remaining is not None:
        after_this_request(lambda response: _set_header(response, credits.HEADER, remaining))
    return render_error(refused) if refused else None


def _set_header(response: Response, name: str, value: str) -> Response:
    response.headers[name] = value
    return response


def _json_or_none(raw: bytes) -> Any:
    try:
        return parse_json(raw) if raw.strip() else None
    except ValueError:
        return None


def _body(raw: bytes) -> Any:
    """A body as journaled: JSON parsed, anything else as text (OAuth's form bodies); secrets
    (client_secret, refresh_token...) redacted either way."""
    text = raw.decode("utf-8", "replace")[:MAX_BODY_CHARS]
    try:
        return redact_body(parse_json(text)) if text else None
    except ValueError:
        return redact_query(text)


def _request_data() -> bytes:
    try:
        return request.get_data(cache=True)
    except RequestEntityTooLarge:
        return b""  # refused unread: nothing to journal


def _after(response: Response) -> Response:
    if request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 500:
        store().touch()  # a possible change (admin calls too): the state-file saver writes it
    if request.path.startswith(ADMIN_PREFIX) or is_dashboard_path(request.path):
        return response
    duration = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    st = store()
    org_id = _target_org_id()
    org = st.org(org_id)
    query = redact_query(request.query_string.decode("utf-8", "replace"))
    st.journal.record(
        time=org.now() if org else None,
        org_id=org_id,
        method=request.method,
        path=request.path,
        query=query,
        status=response.status_code,
        duration_ms=round(duration, 3),
        request_headers=redact(dict(request.headers)),
        request_body=_body(_request_data()),
        response_body=None if response.direct_passthrough else _body(response.get_data()),
    )
    target = CONTROL_CHARS.sub(_escape, f"{request.path}?{query}" if query else request.path)
    log.info("%s %s %s %.1fms", request.method, target, response.status_code, duration)
    return response


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"
