"""(1) Ready time: process start to the first 200 on the health URL, for mockcrm and its peers."""

from __future__ import annotations

import compileall
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.common import (
    AUTH,
    REPO,
    RULES,
    Results,
    free_port,
    http,
    mockcrm_cmd,
    moto_cmd,
    ratio,
    rule_body,
    serve,
)

SECTION = "1 ready"
JSON = {**AUTH, "Content-Type": "application/json"}
# `mockcrm serve` serves the Zylker seed: its Deals webhook is what the first write associates.
SEED_WEBHOOKS = REPO / "seed_data" / "zylker" / "webhooks.json"
# Prism mocks one of Zoho's own OpenAPI files (the structure-only copy the tests use).
PRISM_SPEC = REPO / "tests" / "zoho_oas" / "workflow_rules.json"


def _median_ready(
    cmd: Callable[[int], list[str] | None],
    health: str,
    runs: int,
    headers: dict[str, str] | None = None,
    first_calls: list[float] | None = None,
    first_writes: list[float] | None = None,
) -> float | None:
    """Median ready time; with `first_calls`, also times each start's first CRM API call (a
    read: what start-up deferred to the first read), appended there; with `first_writes`, then
    its first write (what reads defer to it: marshmallow, the schemas, the translator)."""
    times = []
    for run in range(runs):
        port = free_port()
        command = cmd(port)
        if command is None:
            return None
        with serve(command, port, health, headers=headers) as child:
            times.append(child.ready_s)
            if first_calls is not None:
                start = time.perf_counter()
                status, _ = http("GET", f"{child.url}{RULES}?module=Deals", headers=AUTH)
                assert status == 200, status
                first_calls.append(time.perf_counter() - start)
            if first_writes is not None:
                body = _create_rule_body(f"ready write {run + 1}")
                start = time.perf_counter()
                status, answer = http("POST", f"{child.url}{RULES}", body, headers=JSON)
                assert status == 201, (status, answer)
                first_writes.append(time.perf_counter() - start)
    return statistics.median(times)


def _create_rule_body(name: str) -> bytes:
    """A new Deals rule (a fresh name) associating the seed's Deals webhook."""
    webhooks = json.loads(SEED_WEBHOOKS.read_text("utf-8"))
    webhook = next(w for w in webhooks if w["module"]["api_name"] == "Deals")
    return json.dumps(rule_body(name, "Deals", "webhooks", webhook["id"])).encode()


def _npm_bin(npm_dir: Path | None, name: str) -> Path | None:
    if npm_dir is None:
        return None
    path = npm_dir / "node_modules" / ".bin" / name
    return path if path.exists() else None


def _compile_bytecode() -> None:
    """Start-up as installed: pip (and so the Docker image) writes .pyc files at install time,
    but an editable checkout under PYTHONDONTWRITEBYTECODE (set on these machines) would compile
    every mockcrm module again at each start, a cost no installed copy pays. Flask's and moto's
    site-packages are compiled already."""
    for folder in ("mockcrm", "benchmarks"):
        compileall.compile_dir(REPO / folder, quiet=1)


def run(results: Results, runs: int, npm_dir: Path | None) -> dict[str, float]:
    print("(1) ready time", flush=True)
    _compile_bytecode()
    floor = _median_ready(
        lambda p: [sys.executable, "-m", "benchmarks.floor_app", str(p)], "/__admin/health", runs
    )
    results.add(SECTION, "bare Flask on granian (floor)", floor and floor * 1000, "ms")
    first_calls: list[float] = []
    first_writes: list[float] = []
    mine = _median_ready(
        mockcrm_cmd, "/__admin/health", runs, first_calls=first_calls, first_writes=first_writes
    )
    assert mine is not None
    floor_ratio = ratio(mine, floor)
    results.add(
        SECTION,
        "mockcrm serve (Zylker seed)",
        mine * 1000,
        "ms",
        ratio=f"{floor_ratio:.2f}x floor" if floor_ratio else "",
        target="<= 500 ms and <= 1.5x floor",
        met=mine <= 0.5 and (floor_ratio or 0) <= 1.5,
    )
    results.add(
        SECTION,
        "mockcrm: its first API call after ready (list Deals rules)",
        statistics.median(first_calls) * 1000,
        "ms",
    )
    results.add(
        SECTION,
        "mockcrm: its first write after ready (create a rule)",
        statistics.median(first_writes) * 1000,
        "ms",
    )
    moto = _median_ready(moto_cmd, "/moto-api/", runs)
    _peer(results, "moto_server", moto, mine, "not installed: pip install -e '.[bench]'")
    prism = _npm_bin(npm_dir, "prism")
    prism_ready = _median_ready(
        lambda p: [str(prism), "mock", "-p", str(p), str(PRISM_SPEC)] if prism else None,
        "/settings/automation/workflow_rules",
        runs,
        {"Authorization": "Bearer benchmark"},  # Prism checks the spec's OAuth2 scheme
    )
    _peer(results, "Prism (npm, mocking Zoho's OAS)", prism_ready, mine, "no --npm-dir")
    wiremock = _npm_bin(npm_dir, "wiremock")
    wiremock_ready = _median_ready(
        lambda p: [str(wiremock), "--port", str(p)] if wiremock else None,
        "/__admin/health",
        runs,
    )
    _peer(results, "WireMock (npm jar, Java 17)", wiremock_ready, mine, "no --npm-dir")
    return {"mockcrm": mine, "floor": floor or 0.0}


def _peer(results: Results, name: str, seconds: float | None, mine: float, missing: str) -> None:
    if seconds is None:
        results.add(SECTION, name, None, "ms", note=f"skipped: {missing}")
        return
    results.add(SECTION, name, seconds * 1000, "ms", ratio=f"mockcrm {mine / seconds:.2f}x")
