"""`mockcrm serve`'s process set-up: log lines written by one writer thread (every line queued
while serving is on stderr, in order and in LOG_FORMAT, once serving ends, and the handler is
removed), glibc's malloc arenas limited, and the collector's full collections made rarer."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterator

import pytest

from mockcrm import cli
from mockcrm.settings import Settings


def test_lines_queued_while_serving_are_written_in_order_when_serving_ends(capsys, monkeypatch):
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])  # as in a fresh `mockcrm serve` process
    monkeypatch.setattr(root, "level", logging.WARNING)
    with cli._log_to_stderr():
        assert len(root.handlers) == 1
        for n in range(200):
            logging.getLogger("mockcrm.requests").info("GET /crm/v8/x/%d 200 0.1ms", n)
    assert root.handlers == []
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 200
    assert lines[0].endswith(" INFO mockcrm.requests: GET /crm/v8/x/0 200 0.1ms")
    assert lines[-1].endswith("GET /crm/v8/x/199 200 0.1ms")


def test_a_logging_set_up_already_is_left_alone(monkeypatch):
    root = logging.getLogger()
    mine = logging.NullHandler()
    monkeypatch.setattr(root, "handlers", [mine])
    with cli._log_to_stderr():
        assert root.handlers == [mine]
    assert root.handlers == [mine]


def test_lines_reach_the_stream_while_serving_without_waiting_for_the_end(capsys, monkeypatch):
    """The writer wakes on the first line and writes the batch: a line logged now is on stderr
    well before serving ends (bounded wait: the batch is BATCH_SECONDS)."""
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", logging.WARNING)
    with cli._log_to_stderr():
        for n in range(3):
            logging.getLogger("mockcrm.requests").info("GET /crm/v8/x/%d 200 0.1ms", n)
        written = ""
        deadline = time.monotonic() + 10
        while written.count("\n") < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
            written += capsys.readouterr().err
        assert written.splitlines()[-1].endswith("GET /crm/v8/x/2 200 0.1ms")
        # Idle again: later lines start a new batch.
        logging.getLogger("mockcrm.requests").info("GET /crm/v8/x/late 200 0.1ms")
        while "late" not in written and time.monotonic() < deadline:
            time.sleep(0.01)
            written += capsys.readouterr().err
        assert written.count("\n") == 4


def test_a_line_that_cannot_be_formatted_is_reported_and_serving_goes_on(capsys, monkeypatch):
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", logging.WARNING)
    monkeypatch.setattr(logging, "raiseExceptions", True)
    with cli._log_to_stderr():
        logging.getLogger("mockcrm.requests").info("%d ms", "not a number")
        logging.getLogger("mockcrm.requests").info("GET /after 200 0.1ms")
    err = capsys.readouterr().err
    assert "--- Logging error ---" in err
    assert err.splitlines()[-1].endswith("GET /after 200 0.1ms")


def test_lines_waiting_on_a_blocked_stream_are_bounded(monkeypatch):
    """A stderr nobody reads blocks the writer: lines waiting for it stop growing at
    MAX_WAITING (the oldest dropped), so a long run cannot fill memory with them."""
    import threading

    release = threading.Event()

    class Blocked:
        def write(self, text: str) -> None:
            release.wait(10)

        def flush(self) -> None:
            pass

    monkeypatch.setattr(cli.LineWriter, "MAX_WAITING", 50)
    writer = cli.LineWriter(Blocked())  # type: ignore[arg-type]
    writer.setFormatter(logging.Formatter("%(message)s"))
    record = logging.LogRecord("mockcrm.requests", logging.INFO, __file__, 1, "GET /x", (), None)
    for _ in range(500):
        writer.handle(record)
    assert len(writer.lines) <= 50
    release.set()
    writer.close()


def test_serving_limits_glibc_to_two_malloc_arenas_unless_the_environment_chooses(monkeypatch):
    import ctypes

    calls = []

    class Libc:
        def mallopt(self, param: int, value: int) -> int:
            calls.append((param, value))
            return 1

    monkeypatch.setattr(ctypes, "CDLL", lambda name: Libc())
    monkeypatch.setattr(cli.sys, "platform", "linux")
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    cli._limit_malloc_arenas()
    assert calls == [(cli.M_ARENA_MAX, 2)]
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    cli._limit_malloc_arenas()
    assert calls == [(cli.M_ARENA_MAX, 2)]  # the environment's choice stands


def test_without_glibc_serving_goes_on(monkeypatch):
    import ctypes

    def no_glibc(name: str) -> None:
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(ctypes, "CDLL", no_glibc)
    monkeypatch.setattr(cli.sys, "platform", "linux")
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    cli._limit_malloc_arenas()  # no exception


def test_records_gather_only_what_the_format_shows_while_serving(monkeypatch):
    """Caller, thread and process are not gathered per record while mockcrm logs (LOG_FORMAT
    shows none of them); the process's settings come back when serving ends."""
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", logging.WARNING)
    before = (logging._srcfile, logging.logThreads, logging.logProcesses)
    with cli._log_to_stderr():
        record = logging.getLogger("mockcrm.requests").makeRecord(
            "mockcrm.requests", logging.INFO, "(unknown file)", 0, "GET /x", (), None
        )
        assert (logging._srcfile, logging.logThreads, logging.logProcesses) == (None, False, False)
        assert record.threadName is None and record.process is None
    assert (logging._srcfile, logging.logThreads, logging.logProcesses) == before


def test_a_request_line_reads_as_the_logging_record_of_it_would(capsys, monkeypatch):
    """While `mockcrm serve` owns the logging, hooks hand request lines to the writer without a
    LogRecord (cli.LineWriter.request); the text is what LOG_FORMAT makes of hooks.log's
    record for the same request, and the shortcut goes when serving ends."""
    from mockcrm.api import hooks

    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", logging.WARNING)
    when = 1764567550.0429  # 2025-12-01T05:39:10.042Z
    with cli._log_to_stderr():
        assert hooks.request_line is not None
        hooks.request_line(when, "GET", "/crm/v8/x?a=1", 200, 1.25)
        hooks.request_line(when + 1.5, "POST", "/crm/v8/y", 201, 12.0)
    assert hooks.request_line is None
    record = logging.LogRecord(
        "mockcrm.requests", logging.INFO, __file__, 1, "%s %s %s %.1fms",
        ("GET", "/crm/v8/x?a=1", 200, 1.25), None,
    )  # fmt: skip
    record.created, record.msecs = when, int((when - int(when)) * 1000)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == logging.Formatter(cli.LOG_FORMAT).format(record)
    assert lines[0].endswith(",042 INFO mockcrm.requests: GET /crm/v8/x?a=1 200 1.2ms")
    assert lines[1].endswith(",542 INFO mockcrm.requests: POST /crm/v8/y 201 12.0ms")


@pytest.fixture
def gc_thresholds() -> Iterator[None]:
    """The test process's collector thresholds, restored after the test."""
    kept = gc.get_threshold()
    gc.set_threshold(*cli.PYTHON_GC_THRESHOLDS)
    yield
    gc.set_threshold(*kept)


def test_serving_runs_full_collections_at_most_every_100_younger_ones(gc_thresholds, monkeypatch):
    seen = []
    monkeypatch.setattr(cli, "_limit_malloc_arenas", lambda: None)
    monkeypatch.setattr(cli, "_serve", lambda settings, app: seen.append(gc.get_threshold()) or 0)
    assert cli.serve(Settings(seed="empty")) == 0
    assert seen == [(700, 10, 100)]


def test_thresholds_the_process_chose_are_left_alone(gc_thresholds):
    gc.set_threshold(5000, 20, 20)
    cli.tune_gc()
    assert gc.get_threshold() == (5000, 20, 20)
