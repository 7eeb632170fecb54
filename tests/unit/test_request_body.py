"""The request path's own readings of Flask's work: MockcrmRequest reads a body already in
memory at once (api/wsgi.whole_body) and leaves werkzeug every case it must decide; requests share
one read-only null session. Each answer is Flask's and werkzeug's own."""

from __future__ import annotations

import io
from typing import Any

import flask
import pytest
from werkzeug.test import EnvironBuilder

from mockcrm.api.wsgi import MockcrmRequest, MockcrmResponse, NoSessions
from mockcrm.app import create_app

BODY = '{"workflow_rules": [{"name": "Überprüfung ✓"}]}'.encode()


class Stream(io.RawIOBase):
    """An input that is not a BytesIO (a server's socket reader)."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self.data.readinto(buffer)


def _environ(body: bytes = BODY, **keys: Any) -> dict[str, Any]:
    environ = EnvironBuilder(
        path="/crm/v8/settings/automation/workflow_rules",
        method="POST",
        data=body,
        content_type="application/json",
    ).get_environ()
    for key, value in keys.items():
        key = key.replace("__", ".")  # wsgi__input -> wsgi.input
        if value is None:
            environ.pop(key, None)
        elif isinstance(value, type):  # an input class: a new input of the body
            environ[key] = value(body)
        else:
            environ[key] = value
    return environ


def _read(cls: type, keys: dict[str, Any], limit: int | None, calls: list[dict]) -> list:
    """What each get_data call gives (or the error's class), then what is left of the input."""
    environ = _environ(**keys)
    request = cls(environ)
    request.max_content_length = limit
    out: list = []
    for kwargs in calls:
        try:
            out.append(request.get_data(**kwargs))
        except Exception as error:  # werkzeug's 413 / 400 (ClientDisconnected)
            out.append(type(error).__name__)
    out.append(environ["wsgi.input"].read())
    return out


CASES = [
    ({}, None),
    ({}, len(BODY)),  # exactly the limit
    ({}, len(BODY) - 1),  # over it: 413
    ({"CONTENT_LENGTH": str(len(BODY) + 5)}, None),  # the client sent less than it said
    ({"CONTENT_LENGTH": "7"}, None),  # less than the input holds: its first 7 bytes
    ({"CONTENT_LENGTH": "0"}, None),
    ({"CONTENT_LENGTH": None}, None),
    ({"CONTENT_LENGTH": ""}, None),
    ({"CONTENT_LENGTH": "-3"}, None),
    ({"CONTENT_LENGTH": "+9"}, None),
    ({"CONTENT_LENGTH": " 9"}, None),
    ({"CONTENT_LENGTH": "١٢"}, None),  # decimal digits, not ASCII ones
    ({"CONTENT_LENGTH": "x"}, None),
    ({"HTTP_TRANSFER_ENCODING": "chunked"}, None),
    ({"wsgi__input_terminated": True}, None),
    ({"wsgi__input_terminated": True}, 5),
    ({"wsgi__input": Stream}, None),  # a class: each request reads its own
]
CALLS = [
    [{}],
    [{}, {}],
    [{"as_text": True}],
    [{"cache": False}, {}],
    [{"parse_form_data": True}],
]


@pytest.mark.parametrize("keys,limit", CASES)
@pytest.mark.parametrize("calls", CALLS)
def test_a_body_reads_as_flask_reads_it(keys, limit, calls):
    assert _read(MockcrmRequest, keys, limit, calls) == _read(flask.Request, keys, limit, calls)


STREAMED = {"CONTENT_LENGTH": None, "wsgi__input_terminated": True}  # a chunked body, granian's


@pytest.mark.parametrize("limit", [None, len(BODY), len(BODY) + 1, 1000])
@pytest.mark.parametrize("calls", CALLS)
def test_a_streamed_body_within_the_limit_reads_as_flask_reads_it(limit, calls):
    assert _read(MockcrmRequest, STREAMED, limit, calls) == _read(
        flask.Request, STREAMED, limit, calls
    )


@pytest.mark.parametrize("limit", [0, 1, len(BODY) - 1])
def test_a_streamed_body_over_the_limit_is_refused_not_cut_short(limit):
    """werkzeug hands over the first `limit` bytes of a longer streamed body (none at all: its
    413); mockcrm refuses it (413), and a second read still refuses it."""
    cut = BODY[:limit] if limit else "RequestEntityTooLarge"
    assert _read(flask.Request, STREAMED, limit, [{}])[0] == cut
    answers = _read(MockcrmRequest, STREAMED, limit, [{}, {}, {"as_text": True}])
    assert answers[:3] == ["RequestEntityTooLarge"] * 3


@pytest.mark.parametrize(
    "keys,limit",
    [({}, None), ({}, len(BODY)), ({"CONTENT_LENGTH": "7"}, None), ({"CONTENT_LENGTH": "0"}, 0)],
)
def test_a_body_in_memory_is_read_without_werkzeug_s_stream(keys, limit):
    request = MockcrmRequest(_environ(**keys))
    request.max_content_length = limit
    assert request.get_data() == BODY[: int(request.environ["CONTENT_LENGTH"])]
    assert "stream" not in request.__dict__  # werkzeug's wrapper (a cached property) unbuilt
    assert request.get_data(as_text=True) == request.get_data().decode()


def test_requests_share_one_read_only_null_session():
    app = create_app()
    seen = []

    @app.get("/__session_probe")
    def probe() -> str:
        seen.append(flask.session._get_current_object())  # type: ignore[attr-defined]
        with pytest.raises(RuntimeError, match="no secret key"):
            flask.session["user"] = "x"
        return "ok"

    client = app.test_client()
    for _ in range(2):
        answer = client.get("/__session_probe")
        assert answer.status_code == 200
        assert "Set-Cookie" not in answer.headers
    assert seen == [NoSessions.null_session, NoSessions.null_session]
    assert seen[0] is seen[1] is NoSessions.null_session
    assert dict(seen[0]) == {}


def _answer(cls: type, status: int, method: str, change: str) -> tuple:
    """What a WSGI server gets from a response: status, headers, body, and whether close ran."""
    response = cls(b'{"code":"SUCCESS"}', status=status, content_type="application/json")
    closed: list[bool] = []
    if change == "location":
        response.headers["Location"] = "/crm/v8/ünïcode path?x=1"
    elif change == "content-location":
        response.headers["Content-Location"] = "/crm/v8/ünïcode"
    elif change == "no length":
        del response.headers["Content-Length"]
    elif change == "no automatic length":
        del response.headers["Content-Length"]
        response.automatically_set_content_length = False
    elif change == "text body":
        response.response = ['{"name":"Überprüfung"}']
    elif change == "two parts":
        response.response = [b'{"a":', b"1}"]
    elif change == "generator":
        response.response = (part for part in [b"{", b"}"])
    elif change == "passthrough":
        response.direct_passthrough = True
    elif change == "close callback":
        response.call_on_close(lambda: closed.append(True))
    elif change == "extra headers":
        response.headers.add("X-Extra", "1")
        response.headers.add("X-Extra", "2")
    started: list = []
    environ = EnvironBuilder(path="/crm/v8/x", method=method).get_environ()
    iterable = response(environ, lambda *start: started.append(start[:2]))
    body = b"".join(iterable)
    if hasattr(iterable, "close"):
        iterable.close()
    return started, body, closed


CHANGES = [
    "none", "location", "content-location", "no length", "no automatic length", "text body",
    "two parts", "generator", "passthrough", "close callback", "extra headers",
]  # fmt: skip


@pytest.mark.parametrize("status", [200, 201, 202, 204, 207, 302, 304, 400, 413, 500])
@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
@pytest.mark.parametrize("change", CHANGES)
def test_a_response_answers_the_server_as_werkzeug_s_does(status, method, change):
    assert _answer(MockcrmResponse, status, method, change) == _answer(
        flask.Response, status, method, change
    )


def test_a_body_of_bytes_reaches_the_server_as_one_string():
    """A list: mockcrm's server writes it at once (server._wsgi_glue), not through granian's
    iterator wrapper."""
    response = MockcrmResponse(b"{}", status=201, content_type="application/json")
    environ = EnvironBuilder(path="/crm/v8/x", method="POST").get_environ()
    started: list = []
    iterable = response(environ, lambda status, headers, exc=None: started.append(headers))
    assert iterable == [b"{}"]
    assert started == [[("Content-Type", "application/json"), ("Content-Length", "2")]]


def test_the_app_answers_with_its_response_class():
    """render (api/common.py) and Flask's own answers (the dashboard) are MockcrmResponses."""
    from mockcrm.api.common import render

    assert isinstance(render({"a": 1}), MockcrmResponse)
    assert isinstance(render(None), MockcrmResponse)
    assert create_app().response_class is MockcrmResponse
