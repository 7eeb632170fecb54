"""mockcrm's benchmarks: `python -m benchmarks [--quick] [--npm-dir DIR] [--output FILE]`.

Five sections (see benchmarks/README.md): ready time, isolation cost, HTTP throughput, scale,
engine. Prints each figure as it is measured, then a Markdown table. `--quick` runs every
section with tiny counts (a smoke test: it asserts nothing about timing).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks import engine_bench, isolation, load, ready, scale, throughput
from benchmarks.common import Results

SECTIONS = ("ready", "isolation", "throughput", "scale", "engine")


@dataclass(frozen=True)
class Plan:
    runs: int  # repetitions behind each median (process starts, org copies, requests)
    seconds: float  # per throughput measurement
    rounds: int  # throughput rounds (median over them)
    connections: int
    sizes: tuple[int, ...]
    events: int
    queued: int
    wrk: bool = True  # use wrk when installed (else the Python client)


FULL = Plan(
    runs=7,
    seconds=3,
    rounds=3,
    connections=8,
    sizes=(100, 1000, 10_000),
    events=2000,
    queued=10_000,
)
QUICK = Plan(runs=1, seconds=1, rounds=1, connections=2, sizes=(100, 300), events=20, queued=100)


def main(argv: list[str] | None = None, plan: Plan | None = None) -> Results:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny counts, well under a minute")
    parser.add_argument("--only", choices=SECTIONS, action="append", help="run these sections")
    parser.add_argument(
        "--npm-dir",
        type=Path,
        default=os.environ.get("MOCKCRM_BENCH_NPM"),
        help="a folder with Prism and WireMock installed by npm (MOCKCRM_BENCH_NPM)",
    )
    parser.add_argument("--output", type=Path, help="also write the Markdown table here")
    args = parser.parse_args(argv)
    plan = plan or (QUICK if args.quick else FULL)
    only = set(args.only or SECTIONS)
    results = Results()
    load.USE_WRK = plan.wrk
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, plan {plan}", flush=True)
    if "ready" in only:
        ready.run(results, max(plan.runs, 1), args.npm_dir)
    if "isolation" in only:
        isolation.run(results, plan.runs * 10)
    if "throughput" in only:
        throughput.run(results, plan.seconds, plan.connections, plan.rounds)
    if "scale" in only:
        scale.run(results, list(plan.sizes), plan.runs * 3)
    if "engine" in only:
        engine_bench.run(results, plan.events, plan.queued, max(plan.runs // 2, 1))
    table = results.markdown()
    print("\n" + table)
    if args.output:
        args.output.write_text(table + "\n", encoding="utf-8")
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
