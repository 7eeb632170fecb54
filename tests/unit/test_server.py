"""mockcrm/server.py's listening socket and WSGI glue (serving through it runs in
tests/e2e/test_cli.py)."""

from __future__ import annotations

import errno
import socket
import threading
import time

import pytest

from mockcrm import server


def test_the_socket_listens_on_the_port_picked_for_port_0():
    sock = server.bind("127.0.0.1", 0)
    try:
        host, port = sock.getsockname()[:2]
        assert host == "127.0.0.1" and port > 0
        with socket.create_connection((host, port), timeout=5):
            pass  # accepted into the backlog: it listens
    finally:
        sock.close()


def test_answers_are_not_held_for_the_client_s_ack():
    """TCP_NODELAY on the listener, which accepted connections inherit (a 40 ms stall per
    answer otherwise, under keep-alive)."""
    sock = server.bind("127.0.0.1", 0)
    try:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) == 1
        # Never shared with another server (granian's own binding sets SO_REUSEPORT).
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 0
    finally:
        sock.close()


def test_a_taken_port_raises_address_in_use():
    first = server.bind("127.0.0.1", 0)
    try:
        with pytest.raises(OSError) as raised:
            server.bind("127.0.0.1", first.getsockname()[1])
        assert raised.value.errno == errno.EADDRINUSE
    finally:
        first.close()


def test_a_host_name_resolves():
    sock = server.bind("localhost", 0)
    try:
        assert sock.family in (socket.AF_INET, socket.AF_INET6)
        assert sock.getsockname()[1] > 0
    finally:
        sock.close()


class FakeProtocol:
    """granian's WSGIProtocol as the glue uses it: one answer, from any thread."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, list, bytes]] = []
        self.answered = threading.Event()

    def response_bytes(self, status: int, headers: list, body: bytes) -> None:
        self.answers.append((status, headers, body))
        self.answered.set()


def test_a_request_answered_later_runs_again_with_its_thread_free():
    runs: list[dict] = []

    def app(environ, start_response):
        runs.append(dict(environ))
        if len(runs) == 1:
            environ[server.ANSWER_LATER](0.2)
            start_response("204 No Content", [])
            return [b"dropped"]
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"second ", b"run"]

    glue = server._wsgi_glue(app, {})
    proto = FakeProtocol()
    started = time.monotonic()

    glue(proto, {"REQUEST_METHOD": "GET", "PATH_INFO": "/x"})

    assert proto.answers == []  # the call returned without an answer: the thread is free
    assert proto.answered.wait(10)
    assert time.monotonic() - started >= 0.2
    assert proto.answers == [(200, [("Content-Type", "text/plain")], b"second run")]
    assert len(runs) == 2
    assert server.ANSWER_LATER in runs[0] and server.ANSWER_LATER not in runs[1]
    assert runs[1]["PATH_INFO"] == "/x"  # the same environ


def test_a_request_not_asked_later_is_answered_at_once():
    def app(environ, start_response):
        start_response("201 Created", [])
        return [b"now"]

    proto = FakeProtocol()

    server._wsgi_glue(app, {})(proto, {"REQUEST_METHOD": "POST", "PATH_INFO": "/y"})

    assert proto.answers == [(201, [], b"now")]


def test_later_calls_run_in_the_order_they_fall_due_and_survive_a_failure(caplog):
    later = server._Later()
    ran: list[str] = []
    done = threading.Event()

    def fail() -> None:
        ran.append("fail")
        raise RuntimeError("boom")

    later.call(0.15, lambda: (ran.append("last"), done.set()))
    later.call(0.0, fail)
    later.call(0.05, lambda: ran.append("second"))

    assert done.wait(10)
    assert ran == ["fail", "second", "last"]
    assert "answering a request later failed" in caplog.text


def test_the_app_names_the_server_s_answer_later_key():
    """api/hooks.py names it again so the app does not import granian."""
    from mockcrm.api import hooks

    assert hooks.ANSWER_LATER == server.ANSWER_LATER


class GranianBody:
    """granian's wsgi.input: its reads release the GIL, so the glue counts on one."""

    def __init__(self, data: bytes) -> None:
        self.data, self.reads = data, 0

    def read(self, size: int | None = None) -> bytes:
        self.reads += 1
        out, self.data = self.data, b""
        return out


def test_a_body_of_known_length_is_read_at_once_and_others_are_streamed():
    """A body with a length up to PREREAD_BYTES: one read of granian's stream, then werkzeug
    reads it from memory to that length. Longer ones, and chunked ones (which keep
    wsgi.input_terminated, without which werkzeug reads nothing), are left to werkzeug."""
    seen: list[dict] = []

    def app(environ, start_response):
        seen.append(environ)
        start_response("200 OK", [])
        return [b""]

    glue = server._wsgi_glue(app, {})
    small, large, chunked = GranianBody(b'{"a":1}'), GranianBody(b"x"), GranianBody(b"y")
    length = str(server.PREREAD_BYTES + 1)
    for body, headers in ((small, {"CONTENT_LENGTH": "7"}), (large, {"CONTENT_LENGTH": length}),
                          (chunked, {"HTTP_TRANSFER_ENCODING": "chunked"})):  # fmt: skip
        scope = {"REQUEST_METHOD": "POST", "PATH_INFO": "/", "wsgi.input": body, **headers}
        glue(FakeProtocol(), scope)

    assert small.reads == 1 and seen[0]["wsgi.input"].read() == b'{"a":1}'
    assert "wsgi.input_terminated" not in seen[0]
    assert large.reads == 0 and seen[1]["wsgi.input"] is large
    assert "wsgi.input_terminated" not in seen[1]
    assert chunked.reads == 0 and seen[2]["wsgi.input"] is chunked
    assert seen[2]["wsgi.input_terminated"] is True
