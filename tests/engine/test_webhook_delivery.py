"""--deliver-webhooks: loopback webhooks are really sent; failures land in webhook_failures."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from mockcrm.api.delivery import is_loopback
from mockcrm.app import create_app
from mockcrm.settings import Settings

WEBHOOK = "4876876000016390771"  # Premium Lead Alert (Leads), used by "Premium Lead - Notify ..."
AUTH = {"Authorization": "Zoho-oauthtoken t"}
RULES = "/crm/v8/settings/automation/workflow_rules"


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[str, str, bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        _Receiver.received.append((self.command, self.path, body))
        self.send_response(200 if "accept" in self.path else 500)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def receiver():
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    _Receiver.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _wait(predicate, seconds: float = 10.0) -> bool:
    """Wait for an event (not a timing assertion): delivery happens on another thread."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


# "Premium Lead - Notify Sales Ops" (create_or_edit): Annual_Revenue >= 1,000,000 AND Industry
# "Large Enterprise" -> the Premium Lead Alert webhook.
PREMIUM = {"Last_Name": "Premium", "Company": "Big Co", "Annual_Revenue": 2_000_000,
           "Industry": "Large Enterprise"}  # fmt: skip


@pytest.mark.parametrize("path", ["/accept", "/reject"])
def test_loopback_webhooks_are_sent_when_enabled(store, org, receiver, path):
    org.entities["webhooks"][WEBHOOK]["url"] = receiver + path
    client = create_app(Settings(deliver_webhooks=True), store=store).test_client()
    failures_before = len(org.webhook_failures)
    client.post("/crm/v8/Leads", json={"data": [PREMIUM]}, headers=AUTH)
    hooks = _sent(org, WEBHOOK)
    assert hooks, "no premium-lead webhook fired"
    assert _wait(lambda: all(h["delivery"]["status"] != "pending" for h in hooks))
    assert len(_Receiver.received) == len(hooks)
    assert {m for m, _, _ in _Receiver.received} == {hooks[0]["method"]}
    if path == "/accept":
        assert {h["delivery"]["status_code"] for h in hooks} == {200}
        assert len(org.webhook_failures) == failures_before
    else:
        assert {h["delivery"]["status"] for h in hooks} == {"failed"}
        new = org.webhook_failures[failures_before:]
        assert [f["failure_reason"] for f in new] == ["http_500"] * len(hooks)
        assert new[0]["webhook"] == {"name": "Premium Lead Alert", "id": WEBHOOK}


def test_nothing_is_sent_by_default_or_to_other_hosts(store, org, receiver):
    org.entities["webhooks"][WEBHOOK]["url"] = receiver + "/accept"
    client = create_app(Settings(), store=store).test_client()
    client.post("/crm/v8/Leads", json={"data": [PREMIUM]}, headers=AUTH)
    assert [e for e in org.outbox if e["action"]["id"] == WEBHOOK]
    assert all("delivery" not in e for e in org.outbox)
    assert _Receiver.received == []
    assert is_loopback("http://127.0.0.1:9/x") and is_loopback("http://localhost/x")
    assert is_loopback("http://[::1]/x") and not is_loopback("https://example.com/x")
    assert not is_loopback("http://10.0.0.1/x")


SCHEDULED_HOOK = "4876876000009610274"  # queued 1 business day after a new Value Proposition deal
VALUE_PROPOSITION = {
    "Deal_Name": "Later",
    "Stage": "Value Proposition",
    "Reason_For_Loss__s": "Missed Follow Ups",
    "Closing_Date": "2026-03-01",
}


def test_webhooks_a_call_that_then_fails_ran_are_sent(store, org, receiver):
    """The engine runs what is due before the call's own work: a call that then fails (here an
    unknown rule id) still leaves its webhooks run, and they are delivered."""
    org.entities["webhooks"][SCHEDULED_HOOK]["url"] = receiver + "/accept"
    client = create_app(Settings(deliver_webhooks=True), store=store).test_client()
    created = client.post("/crm/v8/Deals", json={"data": [VALUE_PROPOSITION]}, headers=AUTH)
    assert created.status_code == 201
    org.clock.advance(timedelta(days=3))  # the org's clock, not an admin call (which delivers)
    failed = client.get(f"{RULES}/1234567890123456789", headers=AUTH)
    assert failed.status_code == 400 and failed.json["code"] == "INVALID_DATA"
    (hook,) = _sent(org, SCHEDULED_HOOK)
    assert _wait(lambda: hook["delivery"]["status"] != "pending")
    assert hook["delivery"]["status_code"] == 200


def _sent(org, webhook_id: str) -> list[dict]:
    return [e for e in org.outbox if e["type"] == "webhook" and e["action"]["id"] == webhook_id]


@pytest.mark.parametrize("move", ["advance", "set"])
def test_webhooks_a_clock_move_runs_are_sent(store, org, receiver, move):
    """Scheduled webhooks that the admin clock makes due are delivered like a CRM call's."""
    org.entities["webhooks"][SCHEDULED_HOOK]["url"] = receiver + "/accept"
    client = create_app(Settings(deliver_webhooks=True), store=store).test_client()
    created = client.post("/crm/v8/Deals", json={"data": [VALUE_PROPOSITION]}, headers=AUTH)
    assert created.status_code == 201 and _sent(org, SCHEDULED_HOOK) == []
    if move == "advance":
        resp = client.post("/__admin/clock/advance", json={"days": 3})
    else:
        resp = client.put("/__admin/clock", json={"now": "2025-12-05T12:00:00+05:30"})
    assert "4876876000012100058" in [r["rule"]["id"] for r in resp.json["ran"]]
    hooks = _sent(org, SCHEDULED_HOOK)
    assert len(hooks) == 1
    assert _wait(lambda: hooks[0]["delivery"]["status"] != "pending")
    assert hooks[0]["delivery"]["status_code"] == 200
    assert [(m, p) for m, p, _ in _Receiver.received] == [(hooks[0]["method"], "/accept")]
