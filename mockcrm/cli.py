"""The `mockcrm` command. `serve`: one process (state is in memory), behind
granian (mockcrm/server.py), optionally persisted to a state file. `export`: one org's state as
JSON. Every serve flag also reads a MOCKCRM_<NAME> environment variable (the flag wins), as do
export's --state-file, --seed, --fake-rules and --fake-seed."""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import re
import secrets
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from mockcrm.seed.loader import SEED_NAMES, TooManyRules
from mockcrm.settings import AUTH_MODES, Settings

if TYPE_CHECKING:
    from flask import Flask

    from mockcrm.core import persistence

log = logging.getLogger("mockcrm")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
TIME_FORMAT = logging.Formatter.default_time_format  # asctime, before its milliseconds
AUTO_TOKEN = "auto"  # --admin-token auto: generate one
# The start-up line's URL (tests and scripts read the port `--port 0` picked from it).
BANNER_URL = re.compile(r"^mockcrm serving .+ on (http://\S+)$", re.MULTILINE)
USAGE_ERROR = 2  # argparse's exit status for bad usage; refusing to start is one too
M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)
# CPython 3.11's collector thresholds; a Python whose defaults differ is left alone (tune_gc).
PYTHON_GC_THRESHOLDS = (700, 10, 10)
GC_THRESHOLDS = (700, 10, 100)  # what `mockcrm serve` runs with (tune_gc)


def say(line: str) -> None:
    """One line on stderr in one write: print() writes a line and its newline separately, and
    the log writer thread's lines could land between them (a test once read port "417432026")."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mockcrm", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the emulated Zoho CRM API")
    serve.add_argument("--host", help="bind address (MOCKCRM_HOST, default 127.0.0.1)")
    serve.add_argument(
        "--port", type=int, help="port, 0 = any free one (MOCKCRM_PORT, default 8080)"
    )
    _seed_flags(serve)
    serve.add_argument("--auth", choices=AUTH_MODES, help="MOCKCRM_AUTH, default permissive")
    serve.add_argument(
        "--state-file",
        metavar="PATH",
        help="load state from PATH at start, save it there after each change (MOCKCRM_STATE_FILE)",
    )
    serve.add_argument(
        "--no-admin",
        action="store_true",
        default=None,
        help="turn the /__admin API off (MOCKCRM_NO_ADMIN=1)",
    )
    serve.add_argument(
        "--admin-token",
        help="require it on admin calls as X-Admin-Token (or Authorization: Bearer); 'auto' "
        "generates one and prints it (MOCKCRM_ADMIN_TOKEN); needed to bind a non-loopback host "
        "with the admin API on",
    )
    serve.add_argument(
        "--threads", type=int, help="Python threads running requests (MOCKCRM_THREADS, default 1)"
    )
    serve.add_argument(
        "--journal-size",
        type=int,
        help="requests kept in the journal (MOCKCRM_JOURNAL_SIZE, default 1000)",
    )
    serve.add_argument(
        "--max-body-bytes",
        type=int,
        help="larger request bodies get Zoho's 413 LIMIT_EXCEEDED; 0 = no limit "
        "(MOCKCRM_MAX_BODY_BYTES, default 5 MiB; the admin API is not limited)",
    )
    serve.add_argument(
        "--deliver-webhooks",
        action="store_true",
        default=None,
        help="really send workflow webhooks whose URL is a loopback address "
        "(MOCKCRM_DELIVER_WEBHOOKS=1); others are only recorded in the outbox",
    )

    export = sub.add_parser("export", help="write one org's state as JSON")
    source = export.add_mutually_exclusive_group()
    source.add_argument(
        "--state-file", metavar="PATH", help="read a state file (MOCKCRM_STATE_FILE)"
    )
    source.add_argument("--seed", choices=SEED_NAMES, help="a fresh seed org (MOCKCRM_SEED)")
    export.add_argument("--fake-rules", type=int, help="with --seed (MOCKCRM_FAKE_RULES)")
    export.add_argument("--fake-seed", type=int, help="with --seed (MOCKCRM_FAKE_SEED)")
    export.add_argument("--org", help="org id (default: default)")
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    return parser


def _seed_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seed", choices=SEED_NAMES, help="seed org (MOCKCRM_SEED, default zylker)"
    )
    parser.add_argument(
        "--fake-rules", type=int, help="generated rules on top of the seed (MOCKCRM_FAKE_RULES)"
    )
    parser.add_argument("--fake-seed", type=int, help="generator seed (MOCKCRM_FAKE_SEED)")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    flags = {k: v for k, v in vars(args).items() if k in Settings.__dataclass_fields__}
    try:
        settings = Settings.from_env(**flags)
    except ValueError as error:  # a bad MOCKCRM_* value (flags are checked by argparse)
        parser.error(str(error))
    if settings.seed not in SEED_NAMES:
        parser.error(f"seed must be one of {SEED_NAMES}, not {settings.seed!r}")
    if args.command == "export":
        return export(settings, args)
    return serve(settings)


def fail(message: str) -> int:
    say(f"mockcrm: error: {message}")
    return USAGE_ERROR


def serve(settings: Settings) -> int:
    from mockcrm.api.admin_guard import LOOPBACK_ONLY, admin_exposure_error, is_loopback
    from mockcrm.app import create_app

    if settings.admin_token == AUTO_TOKEN and not settings.no_admin:
        # The Docker image's default: a fresh random token, shown once on stderr.
        settings.admin_token = secrets.token_urlsafe(24)
        say(f"mockcrm admin token: {settings.admin_token}")
    problem = admin_exposure_error(settings)
    if problem:
        return fail(problem)
    _limit_malloc_arenas()
    tune_gc()
    try:
        app = create_app(settings)
    except TooManyRules as error:
        return fail(f"--fake-rules {settings.fake_rules}: {error}")
    if not settings.admin_token and is_loopback(settings.host):
        app.config[LOOPBACK_ONLY] = settings.host  # DNS rebinding: see api/admin_guard.py
    with _log_to_stderr():
        return _serve(settings, app)


def _serve(settings: Settings, app: Flask) -> int:
    from mockcrm import server

    store = app.extensions["mockcrm.store"]
    saver = None
    serving = f"seed '{settings.seed}'"
    if settings.state_file:
        from mockcrm.core import persistence  # lazy: a plain serve has no state file

        path = Path(settings.state_file)
        try:
            if path.exists():
                persistence.load(store, path)
                log.info("loaded state from %s (%d orgs)", path, len(store.orgs))
                serving = f"state file '{path}'"  # the file wins over --seed
            saver = persistence.Saver(store, path)
            saver.save(force=True)  # the file exists (and is writable) from the start
        except (OSError, persistence.StateFileError) as error:
            # Never start over a file we cannot read: the next save would overwrite it.
            return fail(f"state file {path}: {error}")
        saver.start()
    try:
        sock = server.bind(settings.host, settings.port)
    except OSError as error:  # port taken, address not local, ...
        return fail(f"cannot listen on {settings.host}:{settings.port}: {error.strerror or error}")
    host, port = sock.getsockname()[:2]
    host = f"[{host}]" if ":" in host else host  # an IPv6 address, as a URL writes it
    say(f"mockcrm serving {serving} on http://{host}:{port}")
    try:
        server.serve(app, sock, settings.threads, on_stop=lambda signum: _stopping(signum, saver))
    finally:
        if saver is not None:
            saver.stop()  # requests that finished after the signal's save
    return 0


def _stopping(signum: int, saver: persistence.Saver | None) -> None:
    """SIGTERM/SIGINT: save first (shutdown may be slow or cut short), then the server stops."""
    log.info("%s: saving and stopping", signal.Signals(signum).name)
    if saver is not None:
        saver.save()


def _limit_malloc_arenas() -> None:
    """glibc gives each thread that allocates its own malloc arena (up to 8 per core): with
    the server's threads freeing what other threads allocated (journal bodies, log entries), a
    100,000-request soak ended 30 MB higher than with two arenas, for the same Python heap
    (tracemalloc flat). Two arenas, as MALLOC_ARENA_MAX=2 would set, unless the environment
    chooses; other C libraries have no mallopt and are left alone."""
    if "MALLOC_ARENA_MAX" in os.environ or not sys.platform.startswith("linux"):
        return
    import ctypes  # only here: ~2 ms of import, for serving only

    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_ARENA_MAX, 2)
    except (OSError, AttributeError):  # not glibc (musl, ...): nothing to tune
        return


def tune_gc() -> None:
    """Full (oldest-generation) collections at most every 100 younger ones, not every 10, unless
    the process chose its own thresholds. The engine's execution log and outbox are ring buffers
    of nested dicts and lists: every record event puts hundreds of containers in them and drops
    as many, so full collections over the org ran every few dozen events. They were a third
    of the engine's time: 100 active Deals rules ran 370 events/s with Python's (700, 10, 10),
    521 with (700, 10, 100) and ~500 with the collector off, in one process. Cyclic garbage
    that outlives the young generations (a deleted org) waits longer, and is still collected."""
    if gc.get_threshold() == PYTHON_GC_THRESHOLDS:
        gc.set_threshold(*GC_THRESHOLDS)


class LineWriter(logging.Handler):
    """One line per record on `stream`, written in batches by one thread. Request threads only
    format the line and append it: handing each record to a writer thread (the cookbook's
    QueueListener) woke that thread and moved the GIL on every request, about a sixth of a GET's
    CPU under load. The writer wakes on the first line after a write, lets lines gather for
    BATCH_SECONDS, and writes them with one call; it sleeps while nothing is logged."""

    BATCH_SECONDS = 0.05
    MAX_WAITING = 100_000

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream
        # Bounded: a stderr nobody reads (a full pipe) blocks the writer, and lines would pile
        # up forever; past MAX_WAITING the oldest are dropped instead.
        self.lines: deque[str | tuple[float, str, str, int, float]] = deque(maxlen=self.MAX_WAITING)
        self.second, self.stamp = -1, ""  # the last asctime's second, as text
        self.pending = threading.Event()
        self.closing = threading.Event()
        self.writer = threading.Thread(target=self._write_batches, name="mockcrm-log", daemon=True)
        self.writer.start()

    def request(self, when: float, method: str, target: str, status: int, ms: float) -> None:
        """A request's line (api/hooks.request_line), queued without a LogRecord; the writer
        formats it as LOG_FORMAT formats the record `hooks.log.info` would make."""
        self.lines.append((when, method, target, status, ms))
        if not self.pending.is_set():
            self.pending.set()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # logging's contract: report, never raise into the request
            self.handleError(record)
            return
        if not self.pending.is_set():
            self.pending.set()

    def _write_batches(self) -> None:
        while True:
            self.pending.wait()
            self.closing.wait(self.BATCH_SECONDS)
            self.pending.clear()  # before draining: a line appended after it sets it again
            self._drain()
            if self.closing.is_set():
                return

    def _drain(self) -> None:
        batch = []
        while self.lines:
            line = self.lines.popleft()
            batch.append(line if isinstance(line, str) else self._request_text(*line))
        if batch:
            self.stream.write("\n".join(batch) + "\n")
            self.stream.flush()

    def _request_text(self, when: float, method: str, target: str, status: int, ms: float) -> str:
        seconds = int(when)
        if seconds != self.second:  # logging.Formatter.formatTime, once a second
            self.second, self.stamp = seconds, time.strftime(TIME_FORMAT, time.localtime(when))
        millis = int((when - seconds) * 1000)
        message = f"{method} {target} {status} {ms:.1f}ms"
        return f"{self.stamp},{millis:03d} INFO mockcrm.requests: {message}"

    def close(self) -> None:
        self.closing.set()
        self.pending.set()
        self.writer.join()
        self._drain()  # lines logged while the writer was finishing
        super().close()


@contextmanager
def _log_to_stderr() -> Iterator[None]:
    """One line per request on stderr (LineWriter). Like basicConfig, it leaves a logging set
    up already alone."""
    root = logging.getLogger()
    if root.handlers:
        yield
        return
    from mockcrm.api import hooks

    writer = LineWriter(sys.stderr)
    writer.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(writer)
    hooks.request_line = writer.request
    root.setLevel(logging.INFO)
    # What LOG_FORMAT never shows is not gathered per record (the logging HOWTO's
    # "Optimization": caller, thread, process): a quarter of a request's log line.
    saved = _record_extras(None, False, False, False)
    try:
        yield
    finally:
        hooks.request_line = None
        root.removeHandler(writer)
        writer.close()  # writes the lines still waiting
        _record_extras(*saved)


def _record_extras(
    srcfile: str | None, threads: bool, processes: bool, multiprocessing: bool
) -> tuple[str | None, bool, bool, bool]:
    """Set what every LogRecord gathers; answer what was set before."""
    before = (
        logging._srcfile,  # type: ignore[attr-defined]
        logging.logThreads,
        logging.logProcesses,
        logging.logMultiprocessing,
    )
    logging._srcfile = srcfile  # type: ignore[attr-defined]  # documented in the HOWTO
    logging.logThreads, logging.logProcesses = threads, processes
    logging.logMultiprocessing = multiprocessing
    return before


def export(settings: Settings, args: argparse.Namespace) -> int:
    """From a state file (flag or MOCKCRM_STATE_FILE), unless --seed asks for a fresh seed org."""
    from mockcrm.core import persistence  # lazy: `serve` imports this module too

    org_id = persistence.DEFAULT_ORG if args.org is None else args.org
    state: dict[str, Any] | None
    if settings.state_file and not args.seed:
        try:
            document = persistence.read(settings.state_file)
        except (OSError, persistence.StateFileError) as error:
            return fail(f"state file {settings.state_file}: {error}")
        state = persistence.org_state(document, org_id)
    else:
        from mockcrm.seed.loader import load_seed

        try:
            org = load_seed(settings.seed, settings.fake_rules, settings.fake_seed)
        except TooManyRules as error:
            return fail(f"--fake-rules {settings.fake_rules}: {error}")
        state = org.to_state() if org_id in (persistence.DEFAULT_ORG, org.id) else None
    if state is None:
        return fail(f"no org {org_id}")
    text = json.dumps(state, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
