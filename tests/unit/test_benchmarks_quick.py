"""The benchmark's quick mode runs end to end (every section, tiny counts). It checks that the
benchmark works and that every figure was measured; it asserts nothing about timing."""

from __future__ import annotations

import gc

from benchmarks import engine_bench
from benchmarks.__main__ import QUICK, SECTIONS, main
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
