"""`mockcrm serve` writes its log lines from one writer thread: every line queued while serving
is on stderr, in order and in LOG_FORMAT, once serving ends, and the handler is removed."""

from __future__ import annotations

import logging

from mockcrm import cli


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
