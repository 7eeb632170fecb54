"""Optional webhook delivery (`--deliver-webhooks`): outbox webhooks whose URL is a loopback
address are really sent, after the request that queued them, outside the store lock (the
target may be mockcrm itself). Other addresses are never called."""

from __future__ import annotations

import ipaddress
import threading
from typing import Any
from urllib.parse import urlsplit

from mockcrm.core.store import Store
from mockcrm.crm import engine
from mockcrm.crm.org import Org

TIMEOUT_SECONDS = 5
# webhook_failures keeps the newest failures only, like the engine's outbox and executions.
MAX_WEBHOOK_FAILURES = 10_000


def __getattr__(name: str) -> Any:
    """`delivery.requests` still works (tests patch it) though requests is imported lazily."""
    if name == "requests":
        import requests

        return requests
    raise AttributeError(name)


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
    new = org.outbox[since:]
    if len(org.outbox) >= engine.MAX_OUTBOX:
        # A full outbox drops its oldest entries, which shifts positions: the new webhooks are
        # the ones no delivery has looked at yet (every loopback webhook gets a "delivery").
        new = [e for e in org.outbox if "delivery" not in e]
    entries = [e for e in new if e["type"] == "webhook" and is_loopback(e["url"])]
    for entry in entries:
        entry["delivery"] = {"status": "pending"}
        threading.Thread(target=_send, args=(st, org, entry), daemon=True).start()


def _send(st: Store, org: Org, entry: dict[str, Any]) -> None:
    # Imported on first delivery: requests costs start-up time a plain `serve` never needs.
    import requests

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
            del org.webhook_failures[:-MAX_WEBHOOK_FAILURES]
        entry["delivery"] = result
        st.touch(org.id)  # org state: the state-file saver writes it


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
