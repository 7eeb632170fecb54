"""What every benchmark section shares: medians, child processes, readiness, RSS, the table."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
V8 = "/crm/v8"
RULES = f"{V8}/settings/automation/workflow_rules"
ADMIN = "/__admin"
AUTH = {"Authorization": "Zoho-oauthtoken benchmark"}  # permissive auth: the default org


def rule_body(name: str, module: str, action_type: str, action_id: str) -> dict[str, Any]:
    """A new workflow rule (create trigger, no criteria) with one associated action: the body
    every benchmark's creates send (throughput fills it in as a wrk template)."""
    action = {"type": action_type, "id": action_id}
    condition = {
        "sequence_number": 1,
        "criteria_details": {"criteria": None},
        "instant_actions": {"actions": [action]},
    }
    rule = {
        "name": name,
        "module": {"api_name": module},
        "execute_when": {"type": "create", "details": {}},
        "conditions": [condition],
    }
    return {"workflow_rules": [rule]}


@dataclass
class Row:
    """One line of the results table: a figure, its unit, and optionally a ratio and target."""

    section: str
    name: str
    value: float | None
    unit: str
    note: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)

    def add(self, section: str, name: str, value: float | None, unit: str, **extra: Any) -> Row:
        row = Row(section, name, value, unit, **extra)
        self.rows.append(row)
        print(f"  {name}: {fmt(value)} {unit} {row.ratio} {row.note}".rstrip(), flush=True)
        return row

    def value(self, section: str, name: str) -> float | None:
        return next((r.value for r in self.rows if r.section == section and r.name == name), None)

    def markdown(self) -> str:
        lines = [
            "| section | measurement | median | unit | ratio | target | met |",
            "| --- | --- | ---: | --- | --- | --- | --- |",
        ]
        for r in self.rows:
            met = "" if r.met is None else ("yes" if r.met else "**no**")
            value = fmt(r.value) if r.value is not None else f"n/a ({r.note})"
            name = f"{r.name} ({r.note})" if r.note and r.value is not None else r.name
            lines.append(
                f"| {r.section} | {name} | {value} | {r.unit} | {r.ratio} | {r.target} | {met} |"
            )
        return "\n".join(lines)


def fmt(value: float | None) -> str:
    if value is None:
        return "n/a"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def median_ms(fn: Callable[[], Any], runs: int, warmup: int = 1) -> float:
    """Median wall time of `fn` in milliseconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(
    method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until_ok(
    url: str, proc: subprocess.Popen, timeout: float = 60.0, headers: dict[str, str] | None = None
) -> float:
    """Poll `url` until it answers 200; returns the time of that answer (perf_counter)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} exited with {proc.returncode}")
        try:
            probe = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(probe, timeout=1) as answer:
                if answer.status == 200:
                    return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.005)
    raise TimeoutError(f"{url} not ready after {timeout}s")


@dataclass
class Child:
    proc: subprocess.Popen
    url: str
    ready_s: float

    def rss_mb(self) -> float:
        return rss_mb(self.proc.pid)


@contextmanager
def serve(
    cmd: Sequence[str],
    port: int,
    health: str,
    env: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Iterator[Child]:
    """Start a server process, wait for its first 200 on `health`, stop it afterwards."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd),
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # so stop() reaches a wrapper's children (npx -> node/java)
    )
    try:
        url = f"http://127.0.0.1:{port}"
        ready = wait_until_ok(url + health, proc, headers=headers)
        yield Child(proc, url, ready - start)
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory (VmRSS) of a process, in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def mockcrm_cmd(port: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "mockcrm", "serve", "--port", str(port), *extra]


def moto_cmd(port: int) -> list[str] | None:
    """moto's server (the `bench` extra), or None when it is not installed."""
    try:
        import moto.server  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-m", "moto.server", "-p", str(port)]


def tool(name: str) -> str | None:
    return shutil.which(name)
