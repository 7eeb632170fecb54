"""Soak: a long-running mockcrm under many requests keeps its memory flat.

    python benchmarks/soak.py --requests 100000 [--clients 4] [--report-every 10000]

Starts `python -m mockcrm serve --port 0 --seed empty` (granian, as in production use) as a
child process, creates an org with three Deals rules (on create: an e-mail and a webhook; on
edit: a webhook; on delete: an e-mail), then `--clients` threads send the workload below until
`--requests` requests are answered. Every `--report-every` requests it prints requests/s, the
server's resident memory (VmRSS of the child) and the lengths of the request journal, the
execution log and the outbox. Those three are capped (journal: `--journal-size`, executions and
outbox: 10,000 each), so once they are full the server's memory stops growing. Any 5xx, or any
answer other than the expected status, stops the run with exit code 1.

The workload (`Workload`) is also what tests/robustness/test_soak.py runs in-process in CI.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# (method, path, JSON body) -> (status, parsed JSON or None)
Send = Callable[[str, str, Any], tuple[int, Any]]

V8 = "/crm/v8"
RULES = f"{V8}/settings/automation/workflow_rules"
AUTOMATION = f"{V8}/settings/automation"
DEALS = {"api_name": "Deals"}
CYCLE = 10  # requests per Workload.cycle()


class UnexpectedAnswer(AssertionError):
    pass


def expect(send: Send, method: str, path: str, status: int, body: Any = None) -> Any:
    got, answer = send(method, path, body)
    if got != status:
        raise UnexpectedAnswer(f"{method} {path} -> {got} (expected {status}): {answer}")
    return answer


def _rule(name: str, trigger: str, actions: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "workflow_rules": [
            {
                "name": name,
                "module": DEALS,
                "execute_when": {"type": trigger, "details": {}},
                "conditions": [
                    {
                        "sequence_number": 1,
                        "criteria_details": {"criteria": None},
                        "instant_actions": {"actions": actions},
                    }
                ],
            }
        ]
    }


class Workload:
    """Reads, record writes that fire rules, and settings writes; the org's data stays the same
    size (every Deal and tag created in a cycle is deleted in it), so only unbounded logs could
    make memory grow."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.rule_id = ""

    def setup(self) -> None:
        """The entities and rules the cycles fire (run once per org)."""
        mail = {
            "name": "Soak mail",
            "module": DEALS,
            "template": {"name": "Soak template", "id": "4876876000008700001"},
            "recipients": {"to": [{"type": "user", "resource": {"id": "4876876000000327001"}}]},
        }
        hook = {
            "name": "Soak hook",
            "url": "https://hooks.example.com/soak",  # never called (delivery is off)
            "http_method": "POST",
            "module": DEALS,
            "feature_type": "workflow",
            "authentication": {"type": "general"},
            "body": {"type": "raw", "format": "JSON", "raw_data_content": '{"id":"${!Deals.Id}"}'},
        }
        ids = {}
        for kind, item in (("email_notifications", mail), ("webhooks", hook)):
            answer = expect(self.send, "POST", f"{AUTOMATION}/{kind}", 201, {kind: [item]})
            ids[kind] = answer[kind][0]["details"]["id"]
        email = {"type": "email_notifications", "id": ids["email_notifications"]}
        webhook = {"type": "webhooks", "id": ids["webhooks"]}
        for name, trigger, actions in (
            ("Soak create", "create", [email, webhook]),
            ("Soak edit", "edit", [webhook]),
            ("Soak delete", "delete", [email]),
        ):
            answer = expect(self.send, "POST", RULES, 201, _rule(name, trigger, actions))
            self.rule_id = self.rule_id or answer["workflow_rules"][0]["details"]["id"]

    def cycle(self, n: int) -> None:
        """CYCLE requests: 5 writes (3 fire rules), 5 reads."""
        s = self.send
        deal = {"Deal_Name": f"Soak deal {n}", "Stage": "Qualification", "Amount": 1000}
        answer = expect(s, "POST", f"{V8}/Deals", 201, {"data": [deal]})
        deal_id = answer["data"][0]["details"]["id"]
        expect(s, "PUT", f"{V8}/Deals/{deal_id}", 200, {"data": [{"Amount": 2000 + n}]})
        expect(s, "GET", f"{V8}/Deals/{deal_id}", 200)
        expect(s, "GET", f"{RULES}?module=Deals", 200)
        expect(s, "GET", f"{V8}/Deals?fields=Deal_Name,Amount", 200)
        tags = f"{V8}/settings/tags?module=Deals"
        answer = expect(s, "POST", tags, 201, {"tags": [{"name": f"soak{n}"}]})
        tag_id = answer["tags"][0]["details"]["id"]
        expect(s, "DELETE", f"{V8}/settings/tags/{tag_id}?module=Deals", 200)
        described = {"workflow_rules": [{"description": f"run {n}"}]}
        expect(s, "PUT", f"{RULES}/{self.rule_id}", 200, described)
        expect(s, "DELETE", f"{V8}/Deals/{deal_id}", 200)
        expect(s, "GET", f"{V8}/org", 200)


# --------------------------------------------------------------------------- the manual run


def _start_server(journal_size: int) -> tuple[subprocess.Popen, str]:
    cmd = [sys.executable, "-m", "mockcrm", "serve", "--port", "0", "--seed", "empty"]
    cmd += ["--journal-size", str(journal_size)]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:
        found = re.search(r"serving seed '\w+' on (http://\S+)", line)
        if found:
            # One log line per request follows: keep draining it, or the server would block.
            threading.Thread(target=proc.stderr.read, daemon=True).start()
            return proc, found.group(1)
    raise SystemExit(f"mockcrm did not start (exit code {proc.wait()})")


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--report-every", type=int, default=10_000)
    parser.add_argument("--journal-size", type=int, default=1000)
    args = parser.parse_args(argv)

    import requests

    proc, url = _start_server(args.journal_size)
    try:
        admin = requests.Session()
        created = admin.post(f"{url}/__admin/orgs", json={"seed": "empty"}, timeout=30).json()
        org_id, token = created["org_id"], created["access_token"]
        local = threading.local()

        def send(method: str, path: str, body: Any) -> tuple[int, Any]:
            if not hasattr(local, "session"):
                local.session = requests.Session()
                local.session.headers["Authorization"] = f"Zoho-oauthtoken {token}"
            resp = local.session.request(method, url + path, json=body, timeout=60)
            return resp.status_code, resp.json() if resp.content else None

        first = Workload(send)
        first.setup()
        rule_id = first.rule_id
        cycles = args.requests // CYCLE
        done, lock, errors = [0], threading.Lock(), []
        next_cycle = iter(range(cycles))

        def client() -> None:
            work = Workload(send)
            work.rule_id = rule_id
            while not errors:
                with lock:
                    n = next(next_cycle, None)
                if n is None:
                    return
                try:
                    work.cycle(n)
                except Exception as error:  # noqa: BLE001 (reported below, stops the run)
                    errors.append(error)
                with lock:
                    done[0] += CYCLE

        def lengths() -> str:
            journal = admin.get(f"{url}/__admin/requests/count", timeout=60).json()["count"]
            logs = [
                len(admin.get(f"{url}/__admin/orgs/{org_id}/{kind}", timeout=60).json()[kind])
                for kind in ("executions", "outbox")
            ]
            return f"journal {journal:>5}  executions {logs[0]:>6}  outbox {logs[1]:>6}"

        print(f"mockcrm {url} (pid {proc.pid}), {args.clients} clients, {args.requests} requests")
        print(f"{'requests':>9}  {'req/s':>7}  {'RSS MB':>7}  lengths")
        print(f"{0:>9}  {'':>7}  {_rss_mb(proc.pid):>7.1f}  {lengths()}", flush=True)
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        started = last_time = time.monotonic()
        last_done, mark = 0, args.report_every
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            time.sleep(0.05)
            if done[0] >= mark or not any(t.is_alive() for t in threads):
                now, count = time.monotonic(), done[0]
                rate = (count - last_done) / (now - last_time)
                line = f"{count:>9}  {rate:>7.0f}  {_rss_mb(proc.pid):>7.1f}  {lengths()}"
                print(line, flush=True)
                last_time, last_done, mark = now, count, count + args.report_every
        if errors:
            print(f"FAILED: {errors[0]}", file=sys.stderr)
            return 1
        total = time.monotonic() - started
        print(f"{done[0]} requests in {total:.0f} s: {done[0] / total:.0f} requests/s, no 5xx")
        return 0
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    raise SystemExit(main())
