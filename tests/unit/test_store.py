"""Store lifecycle without HTTP: isolated orgs, reset, snapshots, state round trip, tokens."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from mockcrm.core.store import MAX_LOADED_TEMPLATES, ORG_ID_BASE, Origin, Store
from mockcrm.seed.loader import load_seed

VP_ALERT = "4876876000016390024"


@pytest.fixture
def store(zylker_seed) -> Store:
    st = Store(seed_loader=load_seed)
    st.add_seed("zylker", zylker_seed, default=True)
    return st


def test_isolated_orgs_do_not_share_data(store):
    a, b = store.create_org("zylker"), store.create_org("zylker")
    assert a.id != b.id and int(a.id) > ORG_ID_BASE
    del a.rules[VP_ALERT]
    assert VP_ALERT in b.rules and VP_ALERT in store.default_org().rules
    empty = store.create_org("empty")
    assert not empty.rules and empty.modules == a.modules


def test_fake_rules_are_deterministic(store):
    one, two = store.create_org("zylker", 20, 3), store.create_org("zylker", 20, 3)
    base = len(store.default_org().rules)
    assert len(one.rules) == base + 20 and sorted(one.rules) == sorted(two.rules)
    other = store.create_org("zylker", 20, 4)
    assert [r["name"] for r in other.rules.values()] != [r["name"] for r in one.rules.values()]


def test_loaded_templates_are_bounded_and_reloaded_when_needed(store):
    """A suite that varies fake_seed per test must not grow the process: at most
    MAX_LOADED_TEMPLATES templates besides the registered seed, the least recently used out."""
    first = store.create_org("zylker", 2, 0)
    expected = first.to_state()
    for fake_seed in range(1, MAX_LOADED_TEMPLATES + 5):
        store.delete_org(store.create_org("zylker", 2, fake_seed).id)
    assert len(store.templates) == MAX_LOADED_TEMPLATES + 1
    assert Origin("zylker") in store.templates and Origin("zylker", 2, 0) not in store.templates
    assert len(store._frozen) <= MAX_LOADED_TEMPLATES + 1
    first.rules.clear()
    store.reset(first.id)  # its template was evicted: loaded again, the same
    assert store.org(first.id).to_state() == expected


def test_deleting_an_org_drops_its_faults(store):
    org = store.create_org("zylker")
    store.faults.add(org_id=org.id, status=500)
    everywhere = store.faults.add(status=503)
    store.delete_org(org.id)
    assert store.faults.list() == [everywhere]


def test_reset_restores_the_seed_and_keeps_the_org_id(store):
    org = store.create_org("zylker")
    org.rules.clear()
    store.reset(org.id)
    assert store.org(org.id).rules and store.org(org.id).id == org.id
    store.default_org().rules.clear()
    store.reset()
    assert VP_ALERT in store.default_org().rules


def test_snapshot_restore_and_state_round_trip(store):
    org = store.create_org("zylker")
    org.clock.set(datetime(2026, 1, 5, tzinfo=UTC), freeze=True)
    store.snapshot(org.id, "before")
    del store.org(org.id).rules[VP_ALERT]
    assert store.restore(org.id, "before") is True
    assert VP_ALERT in store.org(org.id).rules
    assert store.org(org.id).clock.now() == datetime(2026, 1, 5, tzinfo=UTC)
    assert store.restore(org.id, "nope") is False
    state = json.loads(json.dumps(store.export_state(org.id)))
    other = store.create_org("empty")
    store.import_state(other.id, state)
    imported = store.org(other.id)
    assert imported.rules == store.org(org.id).rules and imported.id == other.id
    assert imported.ids.state() == store.org(org.id).ids.state()
    assert json.loads(json.dumps(store.export_state(other.id))) == {**state, "id": other.id}


def test_delete_org_keeps_its_tokens_failing_and_never_deletes_the_default(store, app):
    org = store.create_org("zylker")
    token = store.issue_token(org.id, frozenset({"ZohoCRM.ALL"}), 3600, org.clock.now())
    assert token.value.startswith("1000.") and token.expires_at > org.clock.now()
    assert store.delete_org(org.id) is True and store.org(org.id) is None
    resp = app.test_client().get(
        "/crm/v8/settings/automation/workflow_rules",
        headers={"Authorization": f"Zoho-oauthtoken {token.value}"},
    )
    assert resp.status_code == 401 and resp.json["code"] == "INVALID_TOKEN"
    assert store.delete_org(store.default_org_id) is False
    assert store.delete_org("123") is False


def test_issued_token_expires_on_the_org_clock(store, app):
    org = store.default_org()
    token = store.issue_token(org.id, frozenset({"ZohoCRM.ALL"}), 60, org.clock.now())
    client = app.test_client()
    headers = {"Authorization": f"Zoho-oauthtoken {token.value}"}
    url = "/crm/v8/settings/automation/workflow_rules/actions/rules_count"
    assert client.get(url, headers=headers).status_code == 200
    org.clock.advance(timedelta(seconds=61))
    resp = client.get(url, headers=headers)
    assert resp.status_code == 401 and resp.json["code"] == "INVALID_TOKEN"


def test_a_served_seed_with_fake_rules_does_not_leak_into_plain_orgs(zylker_seed):
    from mockcrm.app import create_app
    from mockcrm.settings import Settings

    app = create_app(Settings(fake_rules=10, fake_seed=2))
    st = app.extensions["mockcrm.store"]
    base = len(zylker_seed.rules)
    assert len(st.default_org().rules) == base + 10
    assert len(st.create_org("zylker").rules) == base
    assert len(st.create_org("zylker", 10, 2).rules) == base + 10
    st.reset(st.default_org_id)
    assert len(st.default_org().rules) == base + 10
