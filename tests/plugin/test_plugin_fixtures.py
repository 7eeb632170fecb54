"""The pytest plugin's fixtures as a user's suite uses them: a live server per worker, a fresh
isolated org per test, and the `mockcrm` harness helper (CI runs this module with -n 4)."""

from __future__ import annotations

import re

import pytest
import requests
from oas import validate_response

from mockcrm.core.faults import TOO_MANY_REQUESTS
from mockcrm.testing import AdminError, OrgHandle
from mockcrm.testing.pytest_plugin import _org_options

TAGS = "/crm/v8/settings/tags"
RULES = "/crm/v8/settings/automation/workflow_rules"
DEALS = {"module": "Deals"}


def error(code: str, message: str, details: dict | None = None) -> dict:
    return {"code": code, "details": details or {}, "message": message, "status": "error"}


def tag_names(org: OrgHandle) -> list[str]:
    resp = requests.get(org.url + TAGS, params=DEALS, headers=org.headers)
    assert resp.status_code == 200, resp.text
    return [tag["name"] for tag in resp.json()["tags"]]


def add_tag(org: OrgHandle, name: str, headers: dict | None = None) -> requests.Response:
    body = {"tags": [{"name": name}]}
    return requests.post(org.url + TAGS, params=DEALS, json=body, headers=headers or org.headers)


# --- mockcrm_server and mockcrm_org ---------------------------------------------------------------


def test_server_is_live_on_a_free_loopback_port(mockcrm_server):
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", mockcrm_server.url)
    health = requests.get(mockcrm_server.url + "/__admin/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert mockcrm_server.store is mockcrm_server.app.extensions["mockcrm.store"]


def test_org_fixture_is_an_isolated_org_with_its_own_token(mockcrm_server, mockcrm_org):
    assert re.fullmatch(r"7\d{18}", mockcrm_org.org_id)
    assert mockcrm_org.url == mockcrm_server.url
    assert mockcrm_org.headers == {"Authorization": f"Zoho-oauthtoken {mockcrm_org.token}"}
    assert mockcrm_org.org_id != mockcrm_server.store.default_org_id
    resp = requests.get(mockcrm_org.url + "/crm/v8/org", headers=mockcrm_org.headers)
    assert resp.status_code == 200
    validate_response("org", "getOrganization", 200, resp.json())
    assert resp.json()["org"][0]["id"] == mockcrm_org.org_id


@pytest.mark.parametrize("run", ["first", "second"])
def test_each_test_writes_to_its_own_org(mockcrm_server, mockcrm_org, run):
    # Both runs create the same tag: had they shared an org, one would get DUPLICATE_DATA.
    assert add_tag(mockcrm_org, "Isolated").status_code == 201
    assert tag_names(mockcrm_org).count("Isolated") == 1
    default = mockcrm_server.store.default_org()
    assert default.tag("Deals", name="Isolated") is None


def test_an_org_token_reaches_no_other_org(mockcrm_server, mockcrm_org):
    other = mockcrm_server.admin.create_org()
    try:
        assert add_tag(mockcrm_org, "Mine only").status_code == 201
        assert "Mine only" not in tag_names(other)
        asked_for_other = {**mockcrm_org.headers, "X-CRM-ORG": other.org_id}
        resp = requests.get(mockcrm_org.url + TAGS, params=DEALS, headers=asked_for_other)
        assert resp.status_code == 401
        assert resp.json() == error("INVALID_TOKEN", "invalid oauth token")
    finally:
        mockcrm_server.admin.delete_org(other.org_id)


@pytest.mark.mockcrm_org(seed="empty")
def test_marker_picks_the_seed(mockcrm_org):
    resp = requests.get(mockcrm_org.url + RULES, params=DEALS, headers=mockcrm_org.headers)
    assert (resp.status_code, resp.content) == (204, b"")
    assert "Priority" in tag_names(mockcrm_org)  # the empty seed keeps Zylker's metadata


@pytest.mark.mockcrm_org(seed="empty", fake_rules=3, fake_seed=7)
def test_marker_passes_the_generator_options(mockcrm_server, mockcrm_org):
    assert len(mockcrm_server.store.orgs[mockcrm_org.org_id].rules) == 3
    [item] = [o for o in mockcrm_server.admin.orgs() if o["org_id"] == mockcrm_org.org_id]
    assert (item["seed"], item["fake_rules"], item["fake_seed"]) == ("empty", 3, 7)


@pytest.mark.mockcrm_org("empty")
def test_marker_takes_the_seed_positionally(mockcrm_server, mockcrm_org):
    """It was read from keywords only: a positional seed was dropped for Zylker, silently."""
    [item] = [o for o in mockcrm_server.admin.orgs() if o["org_id"] == mockcrm_org.org_id]
    assert item["seed"] == "empty"


@pytest.mark.mockcrm_org(seed="empty", fake_seed=7)
class TestMarkersMerge:
    @pytest.mark.mockcrm_org(fake_rules=3)
    def test_the_closest_wins_per_option(self, mockcrm_server, mockcrm_org):
        [item] = [o for o in mockcrm_server.admin.orgs() if o["org_id"] == mockcrm_org.org_id]
        assert (item["seed"], item["fake_rules"], item["fake_seed"]) == ("empty", 3, 7)


class _Marked:
    """A test item with these mockcrm_org markers, closest first (as pytest iterates them)."""

    def __init__(self, *marks: pytest.MarkDecorator) -> None:
        self.marks = [m.mark for m in marks]

    def iter_markers(self, name: str):
        return iter(self.marks)


def test_a_marker_with_unknown_options_is_a_usage_error():
    with pytest.raises(pytest.UsageError) as refused:
        _org_options(_Marked(pytest.mark.mockcrm_org(seeds="empty")))
    assert str(refused.value) == (
        "@pytest.mark.mockcrm_org: got an unexpected keyword argument 'seeds'"
    )
    assert _org_options(_Marked(pytest.mark.mockcrm_org("empty", 2))) == {
        "seed": "empty",
        "fake_rules": 2,
    }


# --- the mockcrm helper ---------------------------------------------------------------------------


def test_journal_holds_this_orgs_requests_newest_first(mockcrm_org, mockcrm):
    tag_names(mockcrm_org)
    assert add_tag(mockcrm_org, "Journaled").status_code == 201
    entries = mockcrm.requests()
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("POST", TAGS, 201),
        ("GET", TAGS, 200),
    ]
    post = entries[0]
    assert post["org_id"] == mockcrm_org.org_id
    assert post["query"] == "module=Deals"
    assert post["request_body"] == {"tags": [{"name": "Journaled"}]}
    assert post["request_headers"]["Authorization"] == "[redacted]"
    assert post["response_body"]["tags"][0]["code"] == "SUCCESS"
    assert mockcrm.requests(method="post") == [post]
    assert mockcrm.requests(path="/crm/v8/settings", limit=1) == [post]
    assert (mockcrm.count(), mockcrm.count(method="GET"), mockcrm.count(path=RULES)) == (2, 1, 0)


def test_fault_answers_zohos_429_then_recovers(mockcrm_org, mockcrm):
    fault_id = mockcrm.fault(path=TAGS, status=429, times=1)
    assert fault_id
    throttled = requests.get(mockcrm_org.url + TAGS, params=DEALS, headers=mockcrm_org.headers)
    assert throttled.status_code == 429
    assert throttled.json() == error("TOO_MANY_REQUESTS", TOO_MANY_REQUESTS)
    assert "Priority" in tag_names(mockcrm_org)  # used up after one hit
    assert [e["status"] for e in mockcrm.requests(path=TAGS)] == [200, 429]


def test_fault_touches_only_this_org(mockcrm_server, mockcrm_org, mockcrm):
    mockcrm.fault(status=500)  # every request of this org, until the test ends
    other = mockcrm_server.admin.create_org()
    try:
        assert "Priority" in tag_names(other)
        failed = requests.get(mockcrm_org.url + TAGS, params=DEALS, headers=mockcrm_org.headers)
        assert failed.status_code == 500
        assert failed.json() == error("INTERNAL_ERROR", "Internal Server Error")
        mockcrm.clear_faults()
        assert "Priority" in tag_names(mockcrm_org)
    finally:
        mockcrm_server.admin.delete_org(other.org_id)


def test_advance_moves_only_this_orgs_clock(mockcrm_server, mockcrm_org, mockcrm):
    start = mockcrm.set_clock("2025-12-05T10:00:00+05:30", freeze=True)  # a Friday
    assert start.pop("ran") == []  # nothing of this org was due
    assert start == {
        "org_id": mockcrm_org.org_id,
        "now": "2025-12-05T10:00:00+05:30",
        "time_zone": "Asia/Kolkata",
        "frozen": True,
    }
    created = add_tag(mockcrm_org, "Friday").json()["tags"][0]["details"]
    assert created["created_time"] == "2025-12-05T10:00:00+05:30"
    assert mockcrm.advance(days=1, hours=2)["now"] == "2025-12-06T12:00:00+05:30"
    # Saturday + 1 business day: rolls to Monday's opening, then one more = Tuesday 09:00.
    assert mockcrm.advance(business_days=1)["now"] == "2025-12-09T09:00:00+05:30"
    assert mockcrm.clock()["now"] == "2025-12-09T09:00:00+05:30"
    created = add_tag(mockcrm_org, "Tuesday").json()["tags"][0]["details"]
    assert created["created_time"] == "2025-12-09T09:00:00+05:30"
    assert mockcrm_server.admin.clock()["frozen"] is False  # the default org's clock runs on


def test_snapshot_and_restore(mockcrm_org, mockcrm):
    mockcrm.snapshot("before")
    assert add_tag(mockcrm_org, "Temporary").status_code == 201
    assert "Temporary" in tag_names(mockcrm_org)
    mockcrm.restore("before")
    assert "Temporary" not in tag_names(mockcrm_org)  # and the org's token still works
    with pytest.raises(AdminError) as missing:
        mockcrm.restore("never taken")
    assert missing.value.status == 404
    assert missing.value.body == error("NOT_FOUND", "snapshot not found", {"name": "never taken"})


def test_reset_returns_the_org_to_its_seed(mockcrm_org, mockcrm):
    assert add_tag(mockcrm_org, "Gone after reset").status_code == 201
    mockcrm.reset()
    assert "Gone after reset" not in tag_names(mockcrm_org)
    assert mockcrm.state()["id"] == mockcrm_org.org_id


def test_issued_token_carries_only_its_scopes(mockcrm_org, mockcrm):
    reader = {
        "Authorization": "Zoho-oauthtoken " + mockcrm.issue_token(["ZohoCRM.settings.tags.READ"])
    }
    resp = requests.get(mockcrm_org.url + TAGS, params=DEALS, headers=reader)
    assert resp.status_code == 200
    refused = add_tag(mockcrm_org, "Not allowed", headers=reader)
    assert refused.status_code == 401
    assert refused.json() == error("OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL")
    assert "Not allowed" not in tag_names(mockcrm_org)


def test_issued_tokens_live_an_hour_or_for_ever(mockcrm_org, mockcrm):
    """expires_in=None is the admin API's null (never); it was dropped, giving an hour."""
    hour, ever = mockcrm.issue_token(), mockcrm.issue_token(expires_in=None)
    mockcrm.advance(hours=2)
    for token, status in ((hour, 401), (ever, 200)):
        auth = {"Authorization": f"Zoho-oauthtoken {token}"}
        assert (
            requests.get(mockcrm_org.url + TAGS, params=DEALS, headers=auth).status_code == status
        )


def test_credit_budget_throttles_until_the_next_window(mockcrm_org, mockcrm):
    mockcrm.credits(daily_limit=1)
    assert "Priority" in tag_names(mockcrm_org)
    spent = requests.get(mockcrm_org.url + TAGS, params=DEALS, headers=mockcrm_org.headers)
    assert spent.status_code == 429
    assert spent.json() == error("TOO_MANY_REQUESTS", TOO_MANY_REQUESTS)
    mockcrm.advance(days=1)
    assert "Priority" in tag_names(mockcrm_org)


def test_engine_outbox_and_executions_helpers(mockcrm_org, mockcrm):
    import requests

    rule = "4876876000013248001"  # High Value Lead Rule: create, emails "High revenue Lead added"
    body = {"data": [{"Last_Name": "Rao", "Company": "Acme", "Annual_Revenue": 5_000_000}]}
    resp = requests.post(f"{mockcrm_org.url}/crm/v8/Leads", json=body, headers=mockcrm_org.headers)
    lead = resp.json()["data"][0]["details"]["id"]
    runs = mockcrm.executions(rule_id=rule, record_id=lead)
    assert len(runs) == 1 and runs[0]["record"] == {"module": "Leads", "id": lead}
    sent = mockcrm.outbox(rule_id=rule, record_id=lead)
    assert [m["type"] for m in sent] == ["email"] * len(sent)
    assert mockcrm.outbox(record_id="4876876999999999999") == []
