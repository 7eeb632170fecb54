"""Concurrency (issue 6, deliverable 3): 16 threads send 4,000 mixed writes and reads over real
sockets to a live mockcrm (werkzeug, one thread per request) across 4 orgs, each org reached with
its own issued token. Zero 5xx; every id a create acknowledged is unique in its org; and each
org's exported state equals the model built from the acknowledged (2xx) writes alone: workflow
rules, Deals tags, Deals records and field-update entities, by id and name."""

from __future__ import annotations

import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests
from actions_helpers import entity_body
from rules_helpers import DEAL_LOST_ALERT, deal_rule

from mockcrm.testing import LiveServer

THREADS = 16
OPS_PER_THREAD = 250  # 16 x 250 = 4,000 operations
ORGS = 4
V8 = "/crm/v8"
RULES = f"{V8}/settings/automation/workflow_rules"
FIELD_UPDATES = f"{V8}/settings/automation/field_updates"
TAGS = f"{V8}/settings/tags"
DEALS = f"{V8}/Deals"
# Each thread keeps at most this many live objects of a kind (Deals allows 125 rules per org).
MAX_LIVE = 3


@dataclass
class Model:
    """What one thread's acknowledged writes say its objects are: kind -> {id: name}."""

    live: dict[str, dict[str, str]] = field(
        default_factory=lambda: {"rule": {}, "tag": {}, "deal": {}, "field_update": {}}
    )
    created: list[str] = field(default_factory=list)  # every id a create acknowledged
    statuses: Counter = field(default_factory=Counter)
    unexpected: list[tuple[str, str, int, str]] = field(default_factory=list)


class Worker:
    """One thread: a deterministic random mix of CRUD on its own objects and reads."""

    def __init__(self, url: str, org: Any, number: int, shared: dict[str, list[str]]) -> None:
        self.url, self.org, self.n = url, org, number
        self.session = requests.Session()
        self.session.headers.update(org.headers)
        self.rng = random.Random(number)
        self.model = Model()
        self.shared = shared  # ids other threads of the same org created (for cross reads)
        self.seq = 0

    def call(self, method: str, path: str, ok: tuple[int, ...], **kw: Any) -> requests.Response:
        resp = self.session.request(method, self.url + path, timeout=60, **kw)
        self.model.statuses[resp.status_code] += 1
        if resp.status_code not in ok:
            self.model.unexpected.append((method, path, resp.status_code, resp.text[:300]))
        return resp

    def name(self, kind: str) -> str:
        self.seq += 1
        return f"{kind} t{self.n} n{self.seq}"

    def created(self, kind: str, resp: requests.Response, key: str, name: str) -> None:
        if resp.status_code == 201:
            new_id = resp.json()[key][0]["details"]["id"]
            self.model.live[kind][new_id] = name
            self.model.created.append(new_id)
            self.shared.setdefault(kind, []).append(new_id)

    def pick(self, kind: str) -> str | None:
        live = self.model.live[kind]
        return self.rng.choice(sorted(live)) if live else None

    # -- the operations ---------------------------------------------------------------------

    def rule_op(self) -> None:
        rid, live = self.pick("rule"), self.model.live["rule"]
        roll = self.rng.random()
        if rid is None or (roll < 0.4 and len(live) < MAX_LIVE):
            name = self.name("Rule")
            rule = deal_rule(name=name)
            rule["conditions"][0]["instant_actions"]["actions"] = [
                {"type": "email_notifications", "id": DEAL_LOST_ALERT}
            ]
            resp = self.call("POST", RULES, (201,), json={"workflow_rules": [rule]})
            self.created("rule", resp, "workflow_rules", name)
        elif roll < 0.7:
            name = self.name("Rule")
            resp = self.call(
                "PUT", f"{RULES}/{rid}", (200,), json={"workflow_rules": [{"name": name}]}
            )
            if resp.status_code == 200:
                live[rid] = name
        elif roll < 0.85:
            resp = self.call("DELETE", f"{RULES}/{rid}", (200,))
            if resp.status_code == 200:
                del live[rid]
        else:
            resp = self.call("GET", f"{RULES}/{rid}", (200,))
            assert resp.json()["workflow_rules"][0]["name"] == live[rid]

    def tag_op(self) -> None:
        tid, live = self.pick("tag"), self.model.live["tag"]
        roll = self.rng.random()
        if tid is None or (roll < 0.4 and len(live) < MAX_LIVE):
            name = f"g{self.n}n{self.seq + 1}"  # tag names: at most 25 characters
            self.seq += 1
            resp = self.call(
                "POST", f"{TAGS}?module=Deals", (201,), json={"tags": [{"name": name}]}
            )
            self.created("tag", resp, "tags", name)
        elif roll < 0.7:
            name = f"g{self.n}r{self.seq + 1}"
            self.seq += 1
            resp = self.call(
                "PUT", f"{TAGS}/{tid}?module=Deals", (200,), json={"tags": [{"name": name}]}
            )
            if resp.status_code == 200:
                live[tid] = name
        elif roll < 0.85:
            resp = self.call("DELETE", f"{TAGS}/{tid}?module=Deals", (200,))
            if resp.status_code == 200:
                del live[tid]
        else:
            self.call("GET", f"{TAGS}?module=Deals", (200,))

    def deal_op(self) -> None:
        did, live = self.pick("deal"), self.model.live["deal"]
        roll = self.rng.random()
        if did is None or (roll < 0.4 and len(live) < MAX_LIVE):
            name = self.name("Deal")
            body = {"data": [{"Deal_Name": name, "Stage": "Qualification", "Amount": 5000}]}
            self.created("deal", self.call("POST", DEALS, (201,), json=body), "data", name)
        elif roll < 0.7:
            name = self.name("Deal")
            resp = self.call("PUT", f"{DEALS}/{did}", (200,), json={"data": [{"Deal_Name": name}]})
            if resp.status_code == 200:
                live[did] = name
        elif roll < 0.85:
            resp = self.call("DELETE", f"{DEALS}/{did}", (200,))
            if resp.status_code == 200:
                del live[did]
        else:
            resp = self.call("GET", f"{DEALS}/{did}", (200,))
            assert resp.json()["data"][0]["Deal_Name"] == live[did]

    def field_update_op(self) -> None:
        fid, live = self.pick("field_update"), self.model.live["field_update"]
        roll = self.rng.random()
        if fid is None or (roll < 0.4 and len(live) < MAX_LIVE):
            name = self.name("FU")
            body = {"field_updates": [entity_body("field_updates", name=name)]}
            resp = self.call("POST", FIELD_UPDATES, (201,), json=body)
            self.created("field_update", resp, "field_updates", name)
        elif roll < 0.7:
            name = self.name("FU")
            body = {"field_updates": [{"name": name}]}
            resp = self.call("PUT", f"{FIELD_UPDATES}/{fid}", (200,), json=body)
            if resp.status_code == 200:
                live[fid] = name
        elif roll < 0.85:
            resp = self.call("DELETE", f"{FIELD_UPDATES}/{fid}", (200,))
            if resp.status_code == 200:
                del live[fid]
        else:
            self.call("GET", f"{FIELD_UPDATES}/{fid}", (200,))

    def read_op(self) -> None:
        """Lists, and by-id reads of what other threads created (maybe deleted meanwhile)."""
        roll = self.rng.random()
        if roll < 0.3:
            self.call("GET", f"{RULES}?module=Deals&per_page=200", (200,))
        elif roll < 0.5:
            self.call("GET", f"{DEALS}?fields=Deal_Name,Amount&per_page=200", (200,))
        elif roll < 0.6:
            self.call("GET", f"{FIELD_UPDATES}?per_page=200", (200,))
        elif roll < 0.8 and self.shared.get("rule"):
            rid = self.rng.choice(self.shared["rule"][-20:])
            self.call("GET", f"{RULES}/{rid}", (200, 400))  # 400: deleted by its owner
        elif self.shared.get("deal"):
            did = self.rng.choice(self.shared["deal"][-20:])
            self.call("GET", f"{DEALS}/{did}", (200, 204))  # 204: deleted by its owner
        else:
            self.call("GET", f"{RULES}/actions/rules_count", (200,))

    def run(self) -> Model:
        ops = [self.rule_op, self.tag_op, self.deal_op, self.field_update_op, self.read_op]
        weights = [2, 1, 3, 1, 3]
        for op in self.rng.choices(ops, weights, k=OPS_PER_THREAD):
            op()
        self.session.close()
        return self.model


def _names(objects: dict[str, dict], key: str = "name") -> dict[str, str]:
    return {oid: obj[key] for oid, obj in objects.items()}


def test_many_threads_many_orgs_no_5xx_no_lost_write():
    with LiveServer.start() as server:
        orgs = [server.admin.create_org() for _ in range(ORGS)]
        baseline = {o.org_id: server.admin.export_state(o.org_id) for o in orgs}
        shared: dict[str, dict[str, list[str]]] = {o.org_id: {} for o in orgs}
        workers = [
            Worker(server.url, orgs[n % ORGS], n, shared[orgs[n % ORGS].org_id])
            for n in range(THREADS)
        ]
        start = threading.Barrier(THREADS)

        def go(worker: Worker) -> Model:
            start.wait()  # all threads begin together
            return worker.run()

        with ThreadPoolExecutor(THREADS) as pool:
            models = list(pool.map(go, workers))
        finals = {o.org_id: server.admin.export_state(o.org_id) for o in orgs}

    statuses = sum((m.statuses for m in models), Counter())
    assert sum(statuses.values()) == THREADS * OPS_PER_THREAD == 4000
    assert [s for s in statuses if s >= 500] == []
    unexpected = [u for m in models for u in m.unexpected]
    assert unexpected == [], Counter((m, p.split("?")[0][:60], s) for m, p, s, _ in unexpected)
    for org in orgs:
        mine = [m for w, m in zip(workers, models, strict=True) if w.org is org]
        created = [i for m in mine for i in m.created]
        assert len(created) == len(set(created)), "an id was handed out twice"
        before, after = baseline[org.org_id], finals[org.org_id]
        assert not set(created) & set(json_ids(before)), "a new id collides with a seed id"

        def expected(kind: str, seed: dict[str, str], mine=mine) -> dict[str, str]:
            out = dict(seed)
            for m in mine:
                out.update(m.live[kind])
            return out

        assert _names(after["rules"]) == expected("rule", _names(before["rules"]))
        deal_rules = [r for r, v in after["rules"].items() if v["module"]["api_name"] == "Deals"]
        assert sorted(after["rule_order"]["Deals"]) == sorted(deal_rules)
        assert {t["id"]: t["name"] for t in after["tags"]["Deals"]} == expected(
            "tag", {t["id"]: t["name"] for t in before["tags"]["Deals"]}
        )
        assert _names(after["records"]["Deals"], "Deal_Name") == expected(
            "deal", _names(before["records"]["Deals"], "Deal_Name")
        )
        assert _names(after["entities"]["field_updates"]) == expected(
            "field_update", _names(before["entities"]["field_updates"])
        )


def json_ids(state: dict[str, Any]) -> list[str]:
    """Every object id of an org's exported state (rules, tags, entities, records)."""
    ids = list(state["rules"])
    ids += [t["id"] for tags in state["tags"].values() for t in tags]
    ids += [i for kind in state["entities"].values() for i in kind]
    ids += [i for records in state["records"].values() for i in records]
    return ids
