"""The benchmark's quick mode runs end to end (every section, tiny counts). It checks that the
benchmark works and that every figure was measured; it asserts nothing about timing."""

from __future__ import annotations

import gc
import http.server
import json
import re
import threading

import pytest

from benchmarks import engine_bench, load, throughput
from benchmarks.__main__ import QUICK, SECTIONS, main
from benchmarks.common import ADMIN, AUTH, RULES, free_port, mockcrm_cmd, serve
from benchmarks.load import Workload
from benchmarks.load import _wrk_script as wrk_script
from mockcrm import cli

TINY = QUICK.__class__(
    runs=1, seconds=0.2, rounds=1, connections=2, sizes=(100,), events=4, queued=10, wrk=False
)


def test_quick_mode_measures_every_section(tmp_path):
    table = tmp_path / "table.md"
    results = main(["--quick", "--output", str(table)], plan=TINY)
    sections = {row.section.split()[1] for row in results.rows}
    assert sections == set(SECTIONS)
    # Only peers that are not installed may lack a figure; mockcrm's own are all measured.
    missing = [r.name for r in results.rows if r.value is None]
    assert all(not name.startswith("mockcrm") and "ceiling" not in name for name in missing)
    assert all(r.value is not None for r in results.rows if r.section != "1 ready"
               and not r.name.startswith("moto"))  # fmt: skip
    assert table.read_text().startswith("| section | measurement |")


def test_write_templates_number_names_and_rotate_tokens():
    work = Workload(
        "POST", "/x", {}, '{"name": "n {g}", "m": "{module}", "a": "{action_id}"}',
        modules=[("Deals", "webhooks", "1"), ("Leads", "webhooks", "2")],
        tokens=["t0", "t1"], per_token=2,
    )  # fmt: skip
    headers, body = work.request(3)
    assert body == b'{"name": "n 3", "m": "Leads", "a": "2"}'
    assert headers["Authorization"] == "Zoho-oauthtoken t1"
    assert work.request(99)[0]["Authorization"] == "Zoho-oauthtoken t1"  # the last org
    script = wrk_script(work, 2)
    assert "local g = n * 2 + tid" in script and "[==[t1]==]" in script


def test_engine_floor_keeps_the_rules_firing_without_actions():
    run = engine_bench.events_per_second(
        20, engine_bench.without_actions(engine_bench.deals_org(100))
    )
    assert run.actions == 0
    assert run.firings >= 20 * 40 and run.matched >= 20 * 10  # the rules still fire and match


def test_the_engine_runs_under_serves_gc_thresholds_then_the_process_gets_its_own_back():
    kept = gc.get_threshold()
    seen = []
    with engine_bench.collector(cli.GC_THRESHOLDS):
        seen.append(gc.get_threshold())
    assert seen == [(700, 10, 100)] and gc.get_threshold() == kept


def test_a_plan_without_wrk_drives_the_python_client(monkeypatch):
    """Plan.wrk=False holds even where wrk is installed (CI installs it). Each connection
    makes one request at least, even when the time is up before it starts (a loaded machine:
    CI once measured 0 req/s)."""
    served = []

    class Ok(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            served.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(load, "USE_WRK", False)
    monkeypatch.setattr(load, "tool", lambda name: "/usr/bin/wrk")  # as if installed
    try:
        outcome = load.run(f"http://127.0.0.1:{server.server_port}", Workload("GET", "/"), 0, 2)
    finally:
        server.shutdown()
    assert outcome.tool == "python" and outcome.errors == 0 and outcome.rps > 0
    assert served == ["/", "/"]


def test_a_failed_answer_stops_the_benchmark_saying_what_failed(monkeypatch):
    """The failed answers are named from mockcrm's journal, not just counted."""
    monkeypatch.setattr(load, "USE_WRK", False)
    port = free_port()
    with serve(mockcrm_cmd(port), port, ADMIN + "/health") as server:
        bad_rule = Workload("POST", RULES, {**AUTH, "Content-Type": "application/json"}, "{}")
        with pytest.raises(RuntimeError) as failed:
            throughput._measure(server.url, bad_rule, 0.1, 1, journal=True)
    found = re.fullmatch(
        rf"POST {RULES}: (\d+) failed answers \((\d+) x status 400; journal: (\d+) x 400 (.*)\)",
        str(failed.value),
    )
    assert found and found[1] == found[2] == found[3], str(failed.value)
    assert json.loads(found[4]) == {
        "code": "INVALID_DATA",
        "details": {"api_name": "workflow_rules", "json_path": "$.workflow_rules"},
        "message": "invalid data",
        "status": "error",
    }
