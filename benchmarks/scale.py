"""(4) Scale: orgs of 100, 1,000 and 10,000 rules. Each size is measured in its own process
(`python -m benchmarks.scale SIZE RUNS` prints one JSON line), so RSS belongs to that size only.

The generator honours Zoho's limits (125 rules per module, 7 modules with fields here), so it
makes at most a few hundred rules: beyond that its rules are copied under new ids and names.
Zoho's own limits (2,500 rules per org, 125 per module) are lifted in the measuring process so
creates at 10,000 rules are real creates, not LIMIT_EXCEEDED answers."""

from __future__ import annotations

import copy
import gc
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import (
    ADMIN,
    AUTH,
    REPO,
    RULES,
    Results,
    free_port,
    median_ms,
    rss_mb,
    rule_body,
    serve,
)

SECTION = "4 scale"
GENERATED = 600  # what the generator is asked for at most; the rest are copies
# Pages that are full at every size (Zylker has 102 rules, 27 of them Deals), so the sizes are
# compared on the same amount of content: the growth measured is the org's, not the page's.
PAGE = 100
DEALS_PER_PAGE = 20
DEALS_PAGE = f"{RULES}?module=Deals&per_page={DEALS_PER_PAGE}"


def build_org(size: int) -> Any:
    from mockcrm.seed.loader import load_seed

    org = load_seed("zylker")
    fake = max(0, min(size - len(org.rules), GENERATED))
    org = load_seed("zylker", fake, 1) if fake else org
    base = list(org.rules.values())
    n = 0
    while len(org.rules) < size:
        rule = copy.deepcopy(base[n % len(base)])
        rule["id"] = org.ids.next()
        rule["name"] = f"{rule['name']} #{n}"
        org.rules[rule["id"]] = rule
        org.rule_order[rule["module"]["api_name"]].append(rule["id"])
        n += 1
    return org


def measure(size: int, runs: int) -> dict[str, float]:
    from mockcrm.app import create_app
    from mockcrm.core import persistence
    from mockcrm.core.store import Store
    from mockcrm.crm import reports
    from mockcrm.seed.loader import load_seed
    from mockcrm.settings import Settings

    for key in ("total_rules_limit", "total_rules_limit_per_module", "active_rules_limit"):
        reports.LIMITS[key] = 10**9
    reports.LIMITS["active_rules_limit_per_module"] = 10**9
    store = Store(seed_loader=load_seed)
    store.add_seed("zylker", build_org(size), default=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "state.json"
        persistence.save(store, path)
        del store
        gc.collect()
        start = time.perf_counter()
        store = Store(seed_loader=load_seed)
        persistence.load(store, path)
        load_s = time.perf_counter() - start
    gc.collect()
    app = create_app(Settings(), store=store)
    client = app.test_client()
    org = store.default_org()
    rss = rss_mb()
    deals = org.rule_order["Deals"]
    target = next(i for i in reversed(deals) if not org.rules[i]["lock"]["status"])
    action = next(
        a
        for i in deals
        for c in org.rules[i]["conditions"]
        for a in c["instant_actions"]["actions"]
        if a["type"] == "webhooks"
    )
    counter = iter(range(10**9))

    def call(method: str, path: str, body: Any = None, status: int = 200) -> None:
        answer = client.open(path, method=method, json=body, headers=AUTH)
        assert answer.status_code == status, (path, answer.status_code, answer.data[:300])

    def create() -> None:
        body = rule_body(f"scale {next(counter)}", "Deals", "webhooks", action["id"])
        call("POST", RULES, body, 201)

    def update() -> None:
        body = {"workflow_rules": [{"description": f"scale {next(counter)}"}]}
        call("PUT", f"{RULES}/{target}", body)

    figures = {
        "rules": len(org.rules),
        "load_ms": load_s * 1000,
        "rss_mb": rss,
        "list_ms": median_ms(lambda: call("GET", f"{RULES}?per_page={PAGE}"), runs),
        "list_deals_ms": median_ms(lambda: call("GET", DEALS_PAGE), runs),
        "get_ms": median_ms(lambda: call("GET", f"{RULES}/{target}"), runs),
        "create_ms": median_ms(create, runs),
        "update_ms": median_ms(update, runs),
    }
    # A frozen clock (as in the test fixtures) skips the date-trigger scan of every request.
    org.clock.set(org.clock.now(), freeze=True)
    figures["get_frozen_ms"] = median_ms(lambda: call("GET", f"{RULES}/{target}"), runs)
    figures["list_frozen_ms"] = median_ms(lambda: call("GET", f"{RULES}?per_page={PAGE}"), runs)
    return figures


def _child(size: int, runs: int) -> dict[str, float]:
    cmd = [sys.executable, "-m", "benchmarks.scale", str(size), str(runs)]
    out = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def idle_rss() -> float:
    """RSS of a real `mockcrm serve` with the Zylker seed, once it answers its health check."""
    from benchmarks.common import mockcrm_cmd

    port = free_port()
    with serve(mockcrm_cmd(port), port, ADMIN + "/health") as child:
        time.sleep(0.5)
        return child.rss_mb()


def run(results: Results, sizes: list[int], runs: int) -> None:
    print("(4) scale", flush=True)
    rss = idle_rss()
    results.add(SECTION, "idle RSS, mockcrm serve (Zylker)", rss, "MB", target="<= 60 MB",
                met=rss <= 60)  # fmt: skip
    figures = {size: _child(size, runs) for size in sizes}
    small = figures[min(sizes)]
    labels = {
        "list_ms": f"list page (per_page={PAGE})",
        "list_deals_ms": f"list page (module=Deals, per_page={DEALS_PER_PAGE})",
        "get_ms": "get rule by id",
        "create_ms": "create rule",
        "update_ms": "update rule",
        "get_frozen_ms": "get rule by id, frozen clock",
        "list_frozen_ms": f"list page (per_page={PAGE}), frozen clock",
        "load_ms": "load (state file)",
        "rss_mb": "RSS after load",
    }
    for size, got in figures.items():
        for key, label in labels.items():
            unit = "MB" if key == "rss_mb" else "ms"
            extra: dict[str, Any] = {}
            if size == max(sizes) and key.startswith(("list", "get")):
                r = got[key] / small[key]
                extra = {"ratio": f"{r:.2f}x at {min(sizes):,}", "target": "<= 2x", "met": r <= 2}
            if size == max(sizes) and key == "rss_mb":
                extra = {"target": "< 200 MB", "met": got[key] < 200}
            results.add(SECTION, f"{int(got['rules']):,} rules: {label}", got[key], unit, **extra)


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]), int(sys.argv[2]))))
