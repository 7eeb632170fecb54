"""Many threads creating and updating rules at once: unique ids, no 500, no lost write."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from rules_helpers import RULES, body, deal_rule

# Each rule is deactivated right away: Deals allows 75 active and 125 rules in all.
THREADS, PER_THREAD = 8, 10


def test_parallel_creates_and_updates(app, org):
    before = len(org.rules)

    def worker(n: int) -> list[tuple[str, int, int]]:
        client = app.test_client()
        headers = {"Authorization": "Zoho-oauthtoken t"}
        out = []
        for i in range(PER_THREAD):
            created = client.post(
                RULES, json=body(deal_rule(name=f"T{n} rule {i}")), headers=headers
            )
            rid = created.json["workflow_rules"][0]["details"]["id"]
            updated = client.put(
                f"{RULES}/{rid}",
                json=body({"description": f"by {n}/{i}", "status": {"active": False}}),
                headers=headers,
            )
            out.append((rid, created.status_code, updated.status_code))
        return out

    with ThreadPoolExecutor(THREADS) as pool:
        results = [r for chunk in pool.map(worker, range(THREADS)) for r in chunk]
    ids = [rid for rid, _, _ in results]
    assert {(c, u) for _, c, u in results} == {(201, 200)}
    assert len(set(ids)) == THREADS * PER_THREAD
    assert len(org.rules) == before + THREADS * PER_THREAD
    for n in range(THREADS):
        for i in range(PER_THREAD):
            rid = ids[n * PER_THREAD + i]
            assert org.rules[rid]["name"] == f"T{n} rule {i}"
            assert org.rules[rid]["description"] == f"by {n}/{i}"
            assert org.rules[rid]["status"] == {"active": False}
    assert set(ids) <= set(org.rule_order["Deals"])
    assert len(org.rule_order["Deals"]) == len(set(org.rule_order["Deals"]))
