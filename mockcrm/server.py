"""mockcrm's production HTTP server: granian (HTTP/1.1 in Rust, WSGI) inside this process.

Every org lives in this process's memory, so the app must be served from it. granian serves a
WSGI app from worker processes, or, on free-threaded Pythons, from worker threads of one process
(its `MTServer`). mockcrm runs that thread server with one worker, whose Python threads run the
app. Under waitress, the previous server, each request crossed from its I/O thread to a worker
thread in Python; here HTTP is parsed and written outside the GIL, which made reads about 2.5x
faster (benchmarks/README.md). Four things differ from granian's own use of `MTServer`:

* its free-threading check is skipped: it guards several workers contending for one GIL, and
  mockcrm runs one worker, whose threads are those a process worker would run;
* the listening socket is bound here, by Python, without SO_REUSEPORT: a port in use is an error
  (not a port silently shared with another server), and the port `--port 0` picked is known;
* a request's environ holds the CGI keys and the request's, not a copy of the process
  environment (`_wsgi_glue`);
* a request can be answered later without holding a request thread (`ANSWER_LATER`): the app
  asks for it, and the server runs the request again after the wait, from its timer thread.
  mockcrm's injected delays wait that way, so one Python thread (the default) serves every
  other request meanwhile. granian waits for the answer, not for the call, so the call can
  return before it.

These reach into granian's internals, so pyproject.toml pins granian to one version;
tests/e2e/test_cli.py serves through this module for real.
"""

from __future__ import annotations

import heapq
import io
import itertools
import logging
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any

from granian import wsgi as granian_wsgi
from granian._granian import SocketHolder
from granian.constants import HTTPModes, Interfaces
from granian.server import common as granian_common
from granian.server import mt as granian_mt
from granian.server.mt import MTServer

BACKLOG = 1024
# What granian's WSGI glue (granian.wsgi._callback_wrapper) puts in every environ besides the
# request's own keys, without the copy of the process environment it adds: with it, each request
# merged and walked dozens of variables more, and an HTTP_* variable of the process (HTTP_PROXY)
# read as a request header.
CGI_KEYS: dict[str, Any] = {
    "GATEWAY_INTERFACE": "CGI/1.1",
    "SCRIPT_NAME": "",
    "SERVER_SOFTWARE": "Granian",
    "wsgi.errors": sys.stderr,
    "wsgi.input_terminated": True,  # granian hands over the whole body
    "wsgi.multiprocess": False,
    "wsgi.multithread": True,
    "wsgi.run_once": False,
    "wsgi.version": (1, 0),
}
# A body of known length up to PREREAD_BYTES is read here, in one call that granian answers
# with the whole body, and werkzeug reads it from memory: each of granian's reads releases the
# GIL and waits on granian's runtime, and werkzeug reads in 64 KiB steps up to its own limit,
# then once more to find the end (updates ~10% faster than with werkzeug's reads). Longer
# bodies are streamed, so the app can refuse them by their length unread (413). Without
# wsgi.input_terminated werkzeug reads a body of known length to that length; a chunked body
# (no length) needs the flag to be read at all.
PREREAD_BYTES = 1 << 20
CGI_KEYS_WITH_LENGTH = {k: v for k, v in CGI_KEYS.items() if k != "wsgi.input_terminated"}

# A callable in every environ: `environ[ANSWER_LATER](seconds)` asks the server to drop this
# call's answer and call the app again, with the same environ (without this key), after that many
# seconds. The request's thread is free meanwhile.
ANSWER_LATER = "mockcrm.answer_later"
_LATER_SECONDS = "mockcrm.later_seconds"

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
log = logging.getLogger("mockcrm.server")


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on `host` (a name or an IPv4/IPv6 address) and `port` (0: any
    free port). Raises OSError when the address cannot be used (port taken, not local...)."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        # A restarted server can bind while the last one's connections are in TIME_WAIT.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted connections inherit it: without it, answers of one segment waited on the
        # client's delayed ACK (40 ms) and 8 keep-alive clients got 250 req/s instead of 11,000.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind(address)
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


def serve(
    app: WsgiApp,
    sock: socket.socket,
    threads: int,
    on_stop: Callable[[int], None] | None = None,
) -> None:
    """Serve `app` on the listening `sock` with `threads` Python threads until SIGTERM or SIGINT
    (`on_stop(signal number)` runs first, before requests in flight finish). The server owns
    `sock` from here on, and closes it."""
    # granian logs its start and stop at INFO and warns that it runs threads without
    # free-threading; mockcrm prints its own banner, so only granian's errors are shown.
    logging.getLogger("_granian").setLevel(logging.ERROR)
    server = _OneProcess(
        sock,
        on_stop,
        "mockcrm",  # granian's import string; unused, the loader below hands over `app`
        interface=Interfaces.WSGI,
        workers=1,
        blocking_threads=max(threads, 1),
        http=HTTPModes.http1,
        websockets=False,
        backlog=BACKLOG,
        log_enabled=False,
    )
    glue = granian_mt._wsgi_call_wrap
    granian_mt._wsgi_call_wrap = _wsgi_glue  # read when the worker thread starts
    try:
        server.serve(target_loader=lambda: app, wrap_loader=False)
    finally:
        granian_mt._wsgi_call_wrap = glue


def _wsgi_glue(app: WsgiApp, scope_opts: Any, access_log_format: Any = None) -> Callable:
    """granian.wsgi._callback_wrapper with CGI_KEYS as the base of every environ (mockcrm logs
    requests itself: no access log), a body of known length read at once (PREREAD_BYTES), and
    ANSWER_LATER."""
    later = _Later()

    def ask_later(environ: dict[str, Any]) -> Callable[[float], None]:
        return lambda seconds: environ.__setitem__(_LATER_SECONDS, max(float(seconds), 0.0))

    def answer(proto: Any, environ: dict[str, Any]) -> int:
        response = granian_wsgi.Response()
        result = app(environ, response)
        seconds = environ.pop(_LATER_SECONDS, None)
        if seconds is not None and environ.pop(ANSWER_LATER, None) is not None:
            _close(result)
            later.call(seconds, lambda: answer(proto, environ))
            return 0
        if isinstance(result, list):
            proto.response_bytes(response.status, response.headers, b"".join(result))
        else:
            proto.response_iter(
                response.status, response.headers, granian_wsgi.ResponseIterWrap(result)
            )
        return response.status

    def run(proto: Any, scope: dict[str, Any]) -> int:
        if "CONTENT_LENGTH" not in scope:
            environ = CGI_KEYS | scope
        else:
            environ = CGI_KEYS_WITH_LENGTH | scope
            if _length(scope["CONTENT_LENGTH"]) <= PREREAD_BYTES:
                environ["wsgi.input"] = io.BytesIO(scope["wsgi.input"].read())
        environ[ANSWER_LATER] = ask_later(environ)
        return answer(proto, environ)

    return run


def _length(header: str) -> int:
    try:
        return int(header)
    except ValueError:
        return PREREAD_BYTES + 1  # werkzeug answers a malformed length itself


def _close(result: Iterable[bytes]) -> None:
    close = getattr(result, "close", None)
    if close is not None:
        close()


class _Later:
    """One daemon thread that runs calls when their time comes (started with the first)."""

    def __init__(self) -> None:
        self._due: list[tuple[float, int, Callable[[], Any]]] = []
        self._order = itertools.count()  # ties run in the order asked
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def call(self, seconds: float, fn: Callable[[], Any]) -> None:
        with self._wake:
            heapq.heappush(self._due, (time.monotonic() + seconds, next(self._order), fn))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="mockcrm-later", daemon=True)
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._due or self._due[0][0] > time.monotonic():
                    timeout = self._due[0][0] - time.monotonic() if self._due else None
                    self._wake.wait(timeout)
                fn = heapq.heappop(self._due)[2]
            try:
                fn()
            except Exception:  # the app answers its own errors: this is the server's
                log.exception("answering a request later failed")


class _OneProcess(MTServer):
    """granian's thread server with one worker, in a GIL Python, on a socket bound by Python."""

    def __init__(
        self,
        sock: socket.socket,
        on_stop: Callable[[int], None] | None,
        *args: Any,
        **options: Any,
    ) -> None:
        # granian's constructor sets up logging with dictConfig, which closes every handler the
        # process has (the request log's among them): mockcrm's logging is left as it is.
        configure = granian_common.configure_logging
        granian_common.configure_logging = _leave_logging_alone
        try:
            super().__init__(*args, **options)
        finally:
            granian_common.configure_logging = configure
        self.listener = sock
        self.on_stop = on_stop

    def _check_gil(self) -> None:
        return None  # one worker: nothing contends for the GIL but its own threads

    def _init_shared_socket(self) -> None:
        # As granian does where it cannot rebind per worker: one socket, handed over by its fd
        # (granian closes it when it stops).
        self._sfd = self.listener.detach()
        self._shd = SocketHolder(self._sfd, False, BACKLOG)
        self._ssp = None

    def signal_handler_interrupt(self, signum: int, frame: FrameType | None) -> None:
        if self.on_stop is not None:
            self.on_stop(signum)
        super().signal_handler_interrupt(signum, frame)


def _leave_logging_alone(*args: Any, **kwargs: Any) -> None:
    return None
