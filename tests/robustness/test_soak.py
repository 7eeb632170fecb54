"""Soak (issue 6, deliverable 4), bounded for CI: 8,000 in-process requests of the workload
benchmarks/soak.py runs 100,000 times against a live server (reads, record writes that fire
rules, settings writes). Once the capped logs are full, the second half of the run must not
grow memory: Python's allocated-block count (sys.getallocatedblocks, after a full collection)
and the process's RSS are compared after each half. The request journal, the execution log and
the outbox stay at their caps (made small here so the run fills them); webhook_failures is
capped too. No durations are measured."""

from __future__ import annotations

import gc
import importlib.util
import re
import socket
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from mockcrm.api import delivery
from mockcrm.app import create_app
from mockcrm.crm import engine
from mockcrm.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("soak_workload", ROOT / "benchmarks" / "soak.py")
soak = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(soak)

WARM_UP, HALF = 2_000, 3_000  # requests: fill the caps, then two measured halves
CAP = 200  # executions and outbox for this run (the real caps are 10,000)
JOURNAL = 200
# An allocation that survives every few requests (a log entry, a run-once mark, a cache key)
# adds thousands of blocks over a half; a flat server moves by a handful.
MAX_BLOCK_GROWTH = 200
MAX_RSS_GROWTH_KB = 8 * 1024  # C-level growth guard; RSS moves in pages and arenas
AUTH = {"Authorization": "Zoho-oauthtoken t"}
WEBHOOK = "4876876000016390771"  # Premium Lead Alert (Leads), fired by a seeded Leads rule
PREMIUM = {"Last_Name": "Premium", "Company": "Big Co", "Annual_Revenue": 2_000_000,
           "Industry": "Large Enterprise"}  # fmt: skip


def _rss_kb() -> int:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))


def _memory() -> tuple[int, int]:
    gc.collect()
    return sys.getallocatedblocks(), _rss_kb()


@pytest.fixture
def small_caps(monkeypatch):
    monkeypatch.setattr(engine, "MAX_EXECUTIONS", CAP)
    monkeypatch.setattr(engine, "MAX_OUTBOX", CAP)


def test_memory_stays_flat_once_the_logs_are_full(small_caps):
    app = create_app(Settings(journal_size=JOURNAL))
    store = app.extensions["mockcrm.store"]
    client = app.test_client()
    created = client.post("/__admin/orgs", json={"seed": "empty"}).json
    org = store.org(created["org_id"])
    headers = {"Authorization": f"Zoho-oauthtoken {created['access_token']}"}
    sent = [0]

    def send(method: str, path: str, body: Any) -> tuple[int, Any]:
        resp = client.open(path, method=method, json=body, headers=headers)
        sent[0] += 1
        assert resp.status_code < 500, (method, path, resp.status_code, resp.json)
        return resp.status_code, resp.json

    work = soak.Workload(send)
    work.setup()
    baseline = {"records": len(org.records.get("Deals", {})), "tags": len(org.tags["Deals"])}
    cycles = iter(range(10**9))

    def run(requests: int) -> None:
        for _ in range(requests // soak.CYCLE):
            work.cycle(next(cycles))

    run(WARM_UP)
    assert len(store.journal) == JOURNAL
    assert len(org.executions) == len(org.outbox) == CAP
    run(HALF)
    first = _memory()
    run(HALF)
    second = _memory()

    assert sent[0] == 5 + WARM_UP + 2 * HALF  # setup + 8,000
    block_growth, rss_growth = second[0] - first[0], second[1] - first[1]
    assert block_growth <= MAX_BLOCK_GROWTH, (first, second)
    assert rss_growth <= MAX_RSS_GROWTH_KB, (first, second)
    # The caps held, though every half produced far more than they keep.
    fired = sum(d["trigger_count"] for u in org.usage.values() for d in u["days"].values())
    assert fired == 3 * (WARM_UP + 2 * HALF) // soak.CYCLE > 10 * CAP
    assert len(store.journal) == JOURNAL
    assert len(org.executions) == len(org.outbox) == CAP
    # The org's data is back to its size: only logs ran, and they are capped.
    assert len(org.records.get("Deals", {})) == baseline["records"]
    assert len(org.tags["Deals"]) == baseline["tags"]
    assert all(marks == [] for marks in org.engine.get("fired", {}).values())


# -- the caps themselves ---------------------------------------------------------------------


def test_outbox_keeps_the_newest_entries(store, org, monkeypatch):
    monkeypatch.setattr(engine, "MAX_OUTBOX", 3)
    client = create_app(Settings(), store=store).test_client()
    fired = []
    for n in range(4):
        lead = {**PREMIUM, "Last_Name": f"Premium {n}"}
        resp = client.post("/crm/v8/Leads", json={"data": [lead]}, headers=AUTH)
        assert resp.status_code == 201
        fired += [e["id"] for e in org.outbox if e["id"] not in fired]
    assert len(fired) > 3
    assert [e["id"] for e in org.outbox] == fired[-3:]


def test_executions_keep_the_newest_entries(store, org, monkeypatch):
    monkeypatch.setattr(engine, "MAX_EXECUTIONS", 2)
    client = create_app(Settings(), store=store).test_client()
    for n in range(3):
        lead = {**PREMIUM, "Last_Name": f"Premium {n}"}
        assert client.post("/crm/v8/Leads", json={"data": [lead]}, headers=AUTH).status_code == 201
    last = max(org.records["Leads"].values(), key=lambda r: int(r["id"]))
    assert len(org.executions) == 2
    assert org.executions[-1]["record"]["id"] == last["id"]


def test_deleted_records_leave_no_run_once_marks(store, org):
    """Without `repeat` an edit rule runs once per record; the mark goes with the record."""
    client = create_app(Settings(), store=store).test_client()
    resp = client.post("/crm/v8/Leads", json={"data": [PREMIUM]}, headers=AUTH)
    lead_id = resp.json["data"][0]["details"]["id"]
    marks = [k for keys in org.engine["fired"].values() for k in keys]
    assert lead_id in marks, "the seeded create_or_edit rules mark the record"
    org.engine["fired"]["4876876000099999999"] = ["gone rule's mark"]  # a rule deleted since
    assert client.delete(f"/crm/v8/Leads/{lead_id}", headers=AUTH).status_code == 200
    marks = [k for keys in org.engine["fired"].values() for k in keys]
    assert not [k for k in marks if k.startswith(lead_id)]
    assert "4876876000099999999" not in org.engine["fired"]


def _closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/hook"  # refused once closed


def _wait(predicate, seconds: float = 20.0) -> bool:
    """Wait for an event (not a timing assertion): delivery happens on other threads."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_delivery_with_a_full_outbox_and_capped_failures(store, org, monkeypatch):
    """A full outbox shifts positions: every new loopback webhook is still sent (here: refused,
    so each one fails), and webhook_failures keeps only its newest entries."""
    # A premium lead adds 6 outbox entries (its webhook 4th): from the second lead on, each
    # request pushes 4 old entries out, so the new webhook is no longer at position `since`.
    monkeypatch.setattr(engine, "MAX_OUTBOX", 8)
    monkeypatch.setattr(delivery, "MAX_WEBHOOK_FAILURES", 3)
    org.entities["webhooks"][WEBHOOK]["url"] = _closed_port()
    client = create_app(Settings(deliver_webhooks=True), store=store).test_client()
    hooks: list[dict] = []
    for n in range(5):
        lead = {**PREMIUM, "Last_Name": f"Premium {n}"}
        assert client.post("/crm/v8/Leads", json={"data": [lead]}, headers=AUTH).status_code == 201
        seen = {id(h) for h in hooks}
        new = [e for e in org.outbox if e["type"] == "webhook" and id(e) not in seen]
        assert len(new) == 1 and "delivery" in new[0]
        assert len(org.outbox) == min(6 * (n + 1), 8)
        hooks += new
    lock = store.lock
    assert _wait(lambda: all(h["delivery"]["status"] == "failed" for h in hooks))
    with lock:
        failures = list(org.webhook_failures)
    assert len(hooks) == 5 and len(failures) == 3
    assert {f["failure_reason"] for f in failures} == {"connection_failed"}
