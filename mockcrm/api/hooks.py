"""Request hooks every API call passes through: injected faults before, the journal and the
one-line request log after. Admin calls are neither faulted nor journaled."""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import Flask, Request, Response, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from mockcrm.api.admin import PREFIX as ADMIN_PREFIX
from mockcrm.api.admin_guard import check_admin_call
from mockcrm.api.common import DASHBOARD_CALL, render_error, store
from mockcrm.api.oauth import PREFIX as OAUTH_PREFIX
from mockcrm.api.oauth import org_id_for_call
from mockcrm.core.auth import SCHEME
from mockcrm.core.errors import api_not_supported
from mockcrm.core.faults import status_error
from mockcrm.core.journal import capped, header_keys, redact_query
from mockcrm.sandbox import is_dashboard_path

if TYPE_CHECKING:
    from mockcrm.core.store import Store

log = logging.getLogger("mockcrm.requests")
# Admin state imports of big orgs exceed any API body limit; the admin API is guarded instead.
ADMIN_MAX_BODY = 1 << 40
# A request path can carry encoded newlines: escaped, they cannot forge a second log line.
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
OLD_VERSION = re.compile(r"^/crm/v([1-7])(/|$)")
_UNKNOWN = object()  # no org worked out yet (None is an answer: no org at all)
# What the hooks work out once per request, kept in its environ (read without a context proxy).
# A request answered later (an injected delay under mockcrm serve) runs twice with one environ:
# its org, start time and fault are those of the first run.
ORG_KEY, STARTED_KEY, FAULT_KEY = "mockcrm.org_id", "mockcrm.started", "mockcrm.fault"
DELAYED_KEY = "mockcrm.delayed"
# mockcrm.server.ANSWER_LATER, named again so that the app does not import granian (50 ms);
# the server removes it from the environ before it runs a request again. A test checks the names.
ANSWER_LATER = "mockcrm.answer_later"
# (time.time(), method, target, status, duration in ms) -> the request's log line. Set while
# `mockcrm serve` owns the logging (cli.LineWriter.request): the line then skips logging's
# record and formatting on the request path (a sixth of a GET's time under load) and is
# formatted by the writer thread, as LOG_FORMAT formats `log`'s records.
request_line: Callable[[float, str, str, int, float], None] | None = None


def install(app: Flask) -> None:
    app.before_request(_before)
    app.after_request(_after)


def _target_org_id(req: Request, st: Store) -> str | None:
    """The org a request is for, without failing: its token's org, the org an accounts call
    acts for, X-CRM-ORG, or the default.
    Worked out once per request (before it runs, so a revoked token still names its org)."""
    environ = req.environ
    org_id = environ.get(ORG_KEY, _UNKNOWN)
    if org_id is not _UNKNOWN:
        return org_id
    header = environ.get("HTTP_AUTHORIZATION", "")
    token = st.tokens.get(header[len(SCHEME) :].strip()) if header.startswith(SCHEME) else None
    if token is not None:
        org_id = token.org_id
    elif req.path.startswith(OAUTH_PREFIX):  # tokens handed out: the org they are for
        try:
            org_id = org_id_for_call(st) or st.default_org_id
        except RequestEntityTooLarge:  # refused unread (413): its parameters name no org
            org_id = st.default_org_id
    else:
        org_id = environ.get("HTTP_X_CRM_ORG") or st.default_org_id
    environ[ORG_KEY] = org_id
    return org_id


def _before() -> Response | None:
    req = request._get_current_object()  # type: ignore[attr-defined]  # one proxy lookup
    environ = req.environ
    environ.setdefault(STARTED_KEY, time.perf_counter())
    if req.path.startswith(ADMIN_PREFIX):
        req.max_content_length = ADMIN_MAX_BODY
        config = current_app.config
        settings = config["MOCKCRM_SETTINGS"]
        if not settings.no_admin:
            check_admin_call(req, settings, config)
        return None
    if is_dashboard_path(req.path):  # the dashboard's own pages and files: not API traffic
        return None
    body = _request_data(req, refused=True)  # over max_body_bytes: Zoho's 413 before all else
    st = store()
    org_id = _target_org_id(req, st)
    dashboard = environ.get(DASHBOARD_CALL) == "1"
    fault = environ.get(FAULT_KEY, _UNKNOWN)
    if fault is _UNKNOWN:
        fault = environ[FAULT_KEY] = (
            None if dashboard else st.faults.take(req.method, req.path, org_id)
        )
    if fault is not None:
        if fault.delay_ms and not environ.get(DELAYED_KEY):
            environ[DELAYED_KEY] = True
            later = environ.get(ANSWER_LATER)
            if later is not None:
                # The server runs the request again after the delay, with this thread free
                # meanwhile; the second run reads the body from here.
                environ["wsgi.input"] = io.BytesIO(body)
                later(fault.delay_ms / 1000)
                return Response(status=204)
            time.sleep(fault.delay_ms / 1000)
        if fault.status:
            return render_error(status_error(fault.status))
    if not req.path.startswith("/crm/"):
        return None
    # Workflow APIs exist only from v8; older versions get Zoho's API_NOT_SUPPORTED.
    old = OLD_VERSION.match(req.path)
    return render_error(api_not_supported(int(old.group(1)))) if old else None


def _request_data(req: Request, *, refused: bool = False) -> bytes:
    """The request's body (read once, kept by werkzeug). Without a length or chunked encoding
    there is none: asking werkzeug (and granian) for it cost a GET ~30 us of server CPU. `refused`:
    a body over the limit raises (Zoho's 413), else it reads as empty (refused unread: nothing to
    journal)."""
    environ = req.environ
    if not environ.get("CONTENT_LENGTH") and "HTTP_TRANSFER_ENCODING" not in environ:
        return b""
    try:
        return req.get_data(cache=True)
    except RequestEntityTooLarge:
        if refused:
            raise
        return b""


def _after(response: Response) -> Response:
    req = request._get_current_object()  # type: ignore[attr-defined]  # one proxy lookup, not 15
    if req.environ.get(DELAYED_KEY) and ANSWER_LATER in req.environ:
        return response  # the server drops it: the request's second run is the one recorded
    method, path, status = req.method, req.path, response.status_code
    st = store()
    admin = path.startswith(ADMIN_PREFIX) or is_dashboard_path(path)
    if method not in ("GET", "HEAD", "OPTIONS") and status < 500:
        # A possible change, for the state-file saver: of the call's org, or (an admin call,
        # which may name any org, or all) of any org.
        st.touch(None if admin else _target_org_id(req, st))
    if admin:
        return response
    if req.environ.get(DASHBOARD_CALL) == "1":  # the dashboard's own data: not journaled
        return response
    ended = time.perf_counter()
    duration = (ended - req.environ.get(STARTED_KEY, ended)) * 1000
    org_id = _target_org_id(req, st)
    org = st.orgs.get(org_id or "")
    query = redact_query(req.query_string.decode("utf-8", "replace")) if req.query_string else ""
    st.journal.record(
        time=org.now() if org else None,
        org_id=org_id,
        method=method,
        path=path,
        query=query,
        status=status,
        duration_ms=round(duration, 3),
        headers_raw=header_keys(req.environ),
        request_raw=capped(_request_data(req)),
        response_raw=None if response.direct_passthrough else capped(response.get_data()),
    )
    line = request_line
    if line is not None or log.isEnabledFor(logging.INFO):
        target = CONTROL_CHARS.sub(_escape, f"{path}?{query}" if query else path)
        if line is not None:
            line(time.time(), method, target, status, duration)
        else:
            log.info("%s %s %s %.1fms", method, target, status, duration)
    return response


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"
