"""The request journal (capped, filtered, redacted) and fault matching (times, probability)."""

from __future__ import annotations

from mockcrm.core.faults import Faults, status_error, too_many_requests
from mockcrm.core.journal import REDACTED, Journal, redact


def _record(journal: Journal, n: int, org: str = "1", method: str = "GET") -> None:
    journal.record(time=None, org_id=org, method=method, path=f"/crm/v8/x/{n}", query="",
                   status=200, duration_ms=1.0)  # fmt: skip


def test_journal_is_a_ring_buffer_newest_first():
    journal = Journal(capacity=3)
    for n in range(5):
        _record(journal, n)
    assert len(journal) == 3
    assert [e.path for e in journal.query()] == ["/crm/v8/x/4", "/crm/v8/x/3", "/crm/v8/x/2"]
    assert [e.id for e in journal.query(limit=1)] == [5]


def test_journal_filters_and_clear():
    journal = Journal()
    _record(journal, 1, org="a")
    _record(journal, 2, org="b", method="POST")
    assert [e.org_id for e in journal.query(org_id="b")] == ["b"]
    assert [e.method for e in journal.query(method="post")] == ["POST"]
    assert len(journal.query(path="/crm/v8/x/1")) == 1
    journal.clear()
    assert journal.query() == []


def test_redaction():
    assert redact({"Authorization": "Zoho-oauthtoken t", "X-CRM-ORG": "1"}) == {
        "Authorization": REDACTED, "X-CRM-ORG": "1"}  # fmt: skip


def test_fault_times_and_matching():
    faults = Faults()
    fault = faults.add(method="GET", path="/crm/v8/settings", status=429, times=2)
    assert faults.take("POST", "/crm/v8/settings/x", None) is None
    assert faults.take("GET", "/crm/v8/other", None) is None
    assert faults.take("GET", "/crm/v8/settings/x", None) is fault
    assert faults.take("GET", "/crm/v8/settings/x", None) is fault
    assert faults.take("GET", "/crm/v8/settings/x", None) is None
    assert faults.list() == []


def test_fault_probability_is_seeded():
    def fired(seed: int) -> list[bool]:
        faults = Faults()
        faults.add(status=500, probability=0.5, seed=seed)
        return [faults.take("GET", "/", None) is not None for _ in range(20)]

    assert fired(1) == fired(1) and 0 < sum(fired(1)) < 20 and fired(1) != fired(2)


def test_fault_bodies_are_zoho_shaped():
    assert too_many_requests().body()["code"] == "TOO_MANY_REQUESTS"
    assert too_many_requests().status == 429
    assert status_error(500).body() == {
        "code": "INTERNAL_ERROR",
        "details": {},
        "message": "Internal Server Error",
        "status": "error",
    }
