"""Optional webhook delivery (`--deliver-webhooks`): outbox webhooks whose URL is a loopback
address are really sent, after the request that queued them, outside the store lock (the
target may be mockcrm itself). Other addresses are never called."""

from __future__ import annotations

import ipaddress
import threading
from typing import Any
from urllib.parse import urlsplit

import requests

from mockcrm.core.store import Store
from mockcrm.crm.org import Org

TIMEOUT_SECONDS = 5


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def deliver_new(st: Store, org: Org, since: int) -> None:
    """Send the loopback webhooks the engine put in the outbox after position `since`."""
    entries = [e for e in org.outbox[since:] if e["type"] == "webhook" and is_loopback(e["url"])]
    for entry in entries:
        entry["delivery"] = {"status": "pending"}
        threading.Thread(target=_send, args=(st, org, entry), daemon=True).start()


def _send(st: Store, org: Org, entry: dict[str, Any]) -> None:
    try:
        resp = requests.request(
            entry["method"], entry["url"], headers=entry.get("headers") or {},
            data=entry.get("body"), timeout=TIMEOUT_SECONDS,
        )  # fmt: skip
        result: dict[str, Any] = {"status": "delivered", "status_code": resp.status_code}
        reason = None if resp.ok else f"http_{resp.status_code}"
    except requests.RequestException as error:
        result, reason = {"status": "failed", "error": type(error).__name__}, "connection_failed"
    with st.lock:
        result["time"] = org.now()
        if reason:
            result["status"] = "failed"
            org.webhook_failures.append(_failure(org, entry, reason))
        entry["delivery"] = result


def _failure(org: Org, entry: dict[str, Any], reason: str) -> dict[str, Any]:
    """A failed delivery in Zoho's webhook_failures shape (GET .../webhook_failures lists it)."""
    module = entry["record"]["module"]
    record = org.records.get(module, {}).get(entry["record"]["id"], {})
    return {
        "webhook": {"name": entry["action"]["name"], "id": entry["action"]["id"]},
        "entity_details": {
            "module": org.module_ref(module),
            "name": record.get("Deal_Name") or record.get("Last_Name") or entry["record"]["id"],
            "id": entry["record"]["id"],
        },
        "failure_time": org.now(),
        "failure_reason": reason,
        "id": org.ids.next(),
        "workflow_rule": dict(entry["rule"]),
    }
