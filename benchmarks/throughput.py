"""(3) Throughput over HTTP (mockcrm's server, concurrent keep-alive clients): mockcrm beside the
ceiling (bare Flask on the same server returning mockcrm's bytes) and moto server's EventBridge."""

from __future__ import annotations

import json
import math
import statistics
import sys
import tempfile
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

from benchmarks import load
from benchmarks.common import (
    ADMIN,
    AUTH,
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
from benchmarks.load import Workload

SECTION = "3 throughput"
JSON = {"Content-Type": "application/json"}
CREATE_BODY = json.dumps(rule_body("bench {g}", "{module}", "{action_type}", "{action_id}"))
UPDATE_BODY = json.dumps({"workflow_rules": [{"description": "benchmark run {g}"}]})
# Modules whose workflow rules can trigger on "create" (Calls cannot).
CREATE_MODULES = ("Leads", "Contacts", "Accounts", "Deals", "Tasks", "Products")
# New rules are active: each module keeps under Zoho's 75 active rules per module.
PER_MODULE = 50
# 150 generated rules on top of Zylker's 102, so a 200-rule page is full.
SERVED = ("--fake-rules", "150", "--fake-seed", "1")
# Writes are measured again on a server with more Python threads, for those who raise --threads
# (benchmarks/README.md, "What was changed"): granian hands the GIL on at every body read.
MORE_THREADS = 4
MORE_THREADS_WORKS = ("update", "create")
WRK_THREADS = 2  # load.run's default
AWS = {
    "Content-Type": "application/x-amz-json-1.1",
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/events/"
    "aws4_request, SignedHeaders=host, Signature=0",
}


def _create_modules(url: str) -> list[tuple[str, str, str]]:
    """(module, action type, action id) for creates: modules of a fresh isolated org with room
    for PER_MODULE more active rules, each with an e-mail or webhook action to associate. (Read
    from the server: its isolated orgs copy the seed it serves, generated rules included.)"""
    org_id, _ = _new_org(url)
    state = json.loads(http("GET", f"{url}{ADMIN}/orgs/{org_id}/state")[1])
    http("DELETE", f"{url}{ADMIN}/orgs/{org_id}")
    out = []
    for module, ids in state["rule_order"].items():
        if module not in CREATE_MODULES:
            continue
        rules = [state["rules"][i] for i in ids]
        if 75 - sum(r["status"]["active"] for r in rules) < PER_MODULE:
            continue
        actions = [
            a
            for r in rules
            for c in r["conditions"]
            for a in c["instant_actions"]["actions"]
            if a["type"] in ("webhooks", "email_notifications")
        ]
        if actions:
            out.append((module, actions[0]["type"], actions[0]["id"]))
    if not out:
        raise RuntimeError("no module has room for benchmark creates")
    return out


def run(results: Results, seconds: float, connections: int, rounds: int) -> None:
    """All three servers up at once; each round measures every workload on each, so the
    ratios compare runs made side by side. Figures are medians over the rounds."""
    print("(3) throughput", flush=True)
    port, more_port = free_port(), free_port()
    with ExitStack() as stack:
        mock = stack.enter_context(serve(mockcrm_cmd(port, *SERVED), port, ADMIN + "/health"))
        url = mock.url
        more_cmd = mockcrm_cmd(more_port, *SERVED, "--threads", str(MORE_THREADS))
        more = stack.enter_context(serve(more_cmd, more_port, ADMIN + "/health"))
        rules = json.loads(http("GET", url + RULES + "?per_page=200", headers=AUTH)[1])
        unlocked = [r["id"] for r in rules["workflow_rules"] if not r["lock"]["status"]]
        rule_id = unlocked[0]
        modules = _create_modules(url)
        works = {
            "GET rule by id": Workload("GET", f"{RULES}/{rule_id}", AUTH),
            "list page, per_page=50": Workload("GET", f"{RULES}?per_page=50", AUTH),
            "list page, per_page=200": Workload("GET", f"{RULES}?per_page=200", AUTH),
            "update": Workload("PUT", f"{RULES}/{rule_id}", {**AUTH, **JSON}, UPDATE_BODY),
            "create": Workload("POST", RULES, JSON, CREATE_BODY, modules),
        }
        create = works["create"]
        # The ceiling answers exactly mockcrm's bytes for each request.
        bodies = {}
        create.tokens, create.per_token = [_new_org(url)[1]], 10**9
        for name, work in works.items():
            headers, body = work.request(0)
            status, answer = http(work.method, url + work.path, body, headers)
            assert 200 <= status < 300, (name, status, answer)
            bodies[f"{work.method} {work.path}"] = {"status": status, "body": answer.decode()}
        # Both servers serve the same seed: the rule updated is there too.
        headers, body = works["update"].request(0)
        status, answer = http("PUT", more.url + works["update"].path, body, headers)
        assert status == 200, ("update, more threads", status, answer)
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        (tmp / "bodies.json").write_text(json.dumps(bodies))
        floor_port = free_port()
        floor_cmd = [sys.executable, "-m", "benchmarks.floor_app", str(floor_port)]
        floor_cmd.append(str(tmp / "bodies.json"))
        floor = stack.enter_context(serve(floor_cmd, floor_port, ADMIN + "/health"))
        moto = _moto_server(stack)
        rss_before = mock.rss_mb()
        ceiling: dict[str, list[float]] = {name: [] for name in works}
        mine: dict[str, list[float]] = {name: [] for name in works}
        peers: dict[str, list[float]] = {"ListRules": [], "PutRule": []}
        threaded: dict[str, list[float]] = {name: [] for name in MORE_THREADS_WORKS}
        orgs = 0
        for _ in range(rounds):
            for name, work in works.items():
                ceiling[name].append(_measure(floor.url, _plain(work), seconds, connections))
                servers = [(url, mine)]
                if name in MORE_THREADS_WORKS:
                    servers.append((more.url, threaded))
                for server_url, figures in servers:
                    if name != "create":
                        rps = _measure(server_url, work, seconds, connections, journal=True)
                        figures[name].append(rps)
                        continue
                    rate = max(ceiling[name] + figures[name])
                    rps, count = _measure_creates(server_url, work, rate, seconds, connections)
                    figures[name].append(rps)
                    orgs += count if server_url == url else 0
            for name, work in _moto_works(moto).items():
                peers[name].append(_measure(moto, work, seconds, connections))
        rss_after = mock.rss_mb()
    median = statistics.median
    _report(
        results,
        {k: median(v) for k, v in mine.items()},
        {k: median(v) for k, v in ceiling.items()},
        {k: median(v) if v else None for k, v in peers.items()},
    )
    for name, values in threaded.items():
        value = median(values)
        text = f"{value / median(ceiling[name]):.2f}x ceiling"
        if name == "create" and peers["PutRule"]:
            text += f", {value / median(peers['PutRule']):.1f}x moto PutRule"
        text += f"; {value / median(mine[name]):.2f}x the default server"
        note = "information; the targets are the default's"
        row = f"mockcrm --threads {MORE_THREADS}: {name}"
        results.add(SECTION, row, value, "req/s", ratio=text, note=note)
    note = f"{rss_before:.1f} MB before; {orgs} orgs created (and deleted) for the creates"
    results.add(SECTION, "server RSS after the throughput runs", rss_after, "MB", note=note)


def _moto_server(stack: ExitStack) -> str:
    """moto's URL, with 60 EventBridge rules; "" when moto is not installed."""
    port = free_port()
    cmd = moto_cmd(port)
    if cmd is None:
        return ""
    moto = stack.enter_context(serve(cmd, port, "/moto-api/"))
    put = {**AWS, "X-Amz-Target": "AWSEvents.PutRule"}
    for i in range(60):
        body = json.dumps({"Name": f"seed-{i}", "ScheduleExpression": "rate(5 minutes)"})
        assert http("POST", moto.url + "/", body.encode(), put)[0] == 200
    return moto.url


def _moto_works(url: str) -> dict[str, Workload]:
    if not url:
        return {}
    put = {**AWS, "X-Amz-Target": "AWSEvents.PutRule"}
    listing = {**AWS, "X-Amz-Target": "AWSEvents.ListRules"}
    return {
        "ListRules": Workload("POST", "/", listing, '{"Limit": 50}'),
        "PutRule": Workload(
            "POST", "/", put, '{"Name": "bench-{g}", "ScheduleExpression": "rate(5 minutes)"}'
        ),
    }


def _plain(work: Workload) -> Workload:
    """The same request for the ceiling app (which ignores tokens and names)."""
    return Workload(work.method, work.path, work.headers, work.body, work.modules or [])


def _measure_creates(
    url: str, work: Workload, rate: float, seconds: float, connections: int
) -> tuple[float, int]:
    """Creates into fresh orgs (names and rule limits start over), deleted afterwards so the
    server keeps one round's orgs: (req/s, orgs made). `rate` is the fastest figure so far."""
    # Enough orgs even if one wrk thread sent every request.
    quota = PER_MODULE * len(work.modules)
    count = (math.ceil(rate * seconds * 1.2 / quota) + 1) * WRK_THREADS
    created = [_new_org(url) for _ in range(count)]
    work.tokens, work.per_token = [token for _, token in created], quota
    try:
        return _measure(url, work, seconds, connections, journal=True), count
    finally:
        for org_id, _ in created:
            http("DELETE", f"{url}{ADMIN}/orgs/{org_id}")


def _new_org(url: str) -> tuple[str, str]:
    """A fresh isolated Zylker org: (org id, access token)."""
    status, answer = http("POST", url + ADMIN + "/orgs", b'{"seed":"zylker"}', JSON)
    assert status == 201, answer
    created = json.loads(answer)
    return created["org_id"], created["access_token"]


def _measure(
    url: str, work: Workload, seconds: float, connections: int, *, journal: bool = False
) -> float:
    """Requests per second; any failed answer stops the benchmark, saying what failed (with
    `journal`, the server is mockcrm and its request journal tells the failed answers)."""
    outcome = load.run(url, work, seconds, connections)
    if outcome.errors:
        why = outcome.detail + (f"; {_failed_answers(url)}" if journal else "")
        raise RuntimeError(f"{work.method} {work.path}: {outcome.errors} failed answers ({why})")
    return outcome.rps


def _failed_answers(url: str) -> str:
    """The failed answers in mockcrm's request journal (its newest --journal-size calls)."""
    status, answer = http("GET", f"{url}{ADMIN}/requests")
    if status != 200:
        return f"the journal answered {status}"
    seen: Counter[str] = Counter()
    for entry in json.loads(answer)["requests"]:
        if not 200 <= entry["status"] < 300:
            seen[f"{entry['status']} {json.dumps(entry['response_body'])[:300]}"] += 1
    found = "; ".join(f"{n} x {what}" for what, n in seen.most_common(3))
    return f"journal: {found or 'no failed answer'}"


def _report(
    results: Results,
    mine: dict[str, float],
    ceiling: dict[str, float],
    peers: dict[str, float | None],
) -> None:
    tool = "wrk" if load.uses_wrk() else "Python client"
    for name, value in ceiling.items():
        results.add(SECTION, f"ceiling (bare Flask, same bytes): {name}", value, "req/s", note=tool)
    for name, value in peers.items():
        unit = "req/s"
        if value is None:
            results.add(SECTION, f"moto {name}", None, unit, note="skipped: moto not installed")
        else:
            results.add(SECTION, f"moto EventBridge {name}", value, unit)
    targets = {
        "GET rule by id": (ceiling["GET rule by id"], 0.6, "of ceiling"),
        "list page, per_page=50": (peers["ListRules"], 6, "of moto ListRules"),
        "create": (peers["PutRule"], 4, "of moto PutRule"),
    }
    for name, value in mine.items():
        r_ceiling = ratio(value, ceiling[name])
        text = f"{r_ceiling:.2f}x ceiling" if r_ceiling else ""
        base, want, label = targets.get(name, (None, None, ""))
        met, target = None, ""
        if want is not None:
            target = f">= {want}x {label}"
            r = ratio(value, base)
            met = r is not None and r >= want
            if r is not None and label != "of ceiling":
                text += f", {r:.1f}x {label.removeprefix('of ')}"
        if name == "create":
            target += "; >= 0.5x ceiling POST"
            met = bool(met) and (r_ceiling or 0) >= 0.5
        results.add(SECTION, f"mockcrm: {name}", value, "req/s", ratio=text, target=target, met=met)
