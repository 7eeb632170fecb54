"""(2) Isolation cost: a fresh isolated Zylker org and a reset, in-process and over HTTP."""

from __future__ import annotations

import http.client
import json
import statistics
import time

from benchmarks.common import ADMIN, Results, free_port, median_ms, mockcrm_cmd, serve
from mockcrm.core.store import Store
from mockcrm.seed.loader import load_seed

SECTION = "2 isolation"


def _in_process(results: Results, runs: int) -> None:
    store = Store(seed_loader=load_seed)
    store.add_seed("zylker", load_seed("zylker"), default=True)
    times = []
    for _ in range(runs + 1):  # as a test suite's fixture does: each org deleted after its test
        start = time.perf_counter()
        org = store.create_org("zylker")
        times.append(time.perf_counter() - start)
        store.delete_org(org.id)
    ms = statistics.median(times[1:]) * 1000  # the first copy also pickles the template
    results.add(
        SECTION, "new Zylker org, in-process (store.create_org)", ms, "ms",
        target="<= 2 ms", met=ms <= 2,
    )  # fmt: skip
    org_id = store.create_org("zylker").id
    store.org(org_id).rules.clear()  # something to undo
    ms = median_ms(lambda: store.reset(org_id), runs)
    results.add(SECTION, "reset of an org, in-process (store.reset)", ms, "ms")


class Admin:
    """Keep-alive HTTP/1.1 calls to the admin API, as a test suite's session would make them."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method: str, path: str, body: object = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data else {}
        self.conn.request(method, ADMIN + path, body=data, headers=headers)
        answer = self.conn.getresponse()
        raw = answer.read()
        return answer.status, json.loads(raw) if raw else {}


def _over_http(results: Results, runs: int) -> None:
    port = free_port()
    with serve(mockcrm_cmd(port), port, ADMIN + "/health"):
        admin = Admin(port)
        ids: list[str] = []

        def create() -> None:
            status, body = admin.call("POST", "/orgs", {"seed": "zylker"})
            assert status == 201, body
            ids.append(body["org_id"])

        create()  # warm-up: the first copy also pickles the template
        ms = median_ms(create, runs, warmup=0)
        results.add(
            SECTION, "new Zylker org over HTTP (POST /__admin/orgs)", ms, "ms",
            target="<= 5 ms", met=ms <= 5,
        )  # fmt: skip

        def fixture_cycle() -> None:  # what the pytest plugin's mockcrm_org does per test
            create()
            status, _ = admin.call("DELETE", f"/orgs/{ids[-1]}")
            assert status in (200, 204), status

        ms = median_ms(fixture_cycle, runs, warmup=0)
        results.add(SECTION, "plugin fixture cycle over HTTP (create + delete)", ms, "ms")

        def reset() -> None:
            status, body = admin.call("POST", f"/orgs/{ids[0]}/reset")
            assert status == 200, body

        ms = median_ms(reset, runs, warmup=0)
        results.add(
            SECTION, "reset of an org over HTTP (POST /__admin/orgs/{id}/reset)", ms, "ms",
            target="<= 5 ms", met=ms <= 5,
        )  # fmt: skip


def run(results: Results, runs: int) -> None:
    print("(2) isolation", flush=True)
    _in_process(results, runs)
    _over_http(results, runs)
