"""The state file: a lossless round trip of orgs, origins, snapshots and tokens; atomic writes;
bad files refused without touching the store; the change counter the saver polls."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from lock_helpers import lock_states
from rules_helpers import RULES, VP_ALERT, deal_rule

from mockcrm.core import persistence
from mockcrm.core.persistence import Saver, StateFileError
from mockcrm.core.store import ORG_ID_BASE, Origin, Store
from mockcrm.crm.org import Org
from mockcrm.seed.loader import load_seed

ALL = frozenset({"ZohoCRM.ALL"})
FROZEN = datetime(2025, 12, 1, tzinfo=UTC)


def fresh_store(zylker_seed) -> Store:
    st = Store(seed_loader=load_seed)
    st.add_seed("zylker", zylker_seed, default=True)
    return st


def states(store: Store) -> dict:
    return {org_id: org.to_state() for org_id, org in store.orgs.items()}


def test_round_trip_restores_orgs_origins_snapshots_and_tokens(store, zylker_seed, tmp_path):
    default = store.default_org()
    del default.rules[VP_ALERT]
    isolated = store.create_org("empty", 3, 7)
    isolated.clock.set(datetime(2026, 2, 2, tzinfo=UTC), freeze=True)
    store.snapshot(isolated.id, "clean")
    access = store.issue_token(isolated.id, frozenset({"ZohoCRM.settings.ALL"}), 60, FROZEN)
    refresh = store.issue_token(isolated.id, ALL, None, FROZEN, refresh=True)
    path = tmp_path / "state.json"

    generation = persistence.save(store, path)

    assert generation == store.generation
    loaded = fresh_store(zylker_seed)
    persistence.load(loaded, path)
    assert states(loaded) == json.loads(json.dumps(states(store)))
    assert VP_ALERT not in loaded.default_org().rules
    assert loaded.default_org_id == store.default_org_id
    assert loaded.origins == {default.id: Origin("zylker"), isolated.id: Origin("empty", 3, 7)}
    assert loaded.snapshots == json.loads(json.dumps(store.snapshots))
    assert loaded.tokens == {access.value: access, refresh.value: refresh}
    assert loaded.org(isolated.id).clock.now() == datetime(2026, 2, 2, tzinfo=UTC)
    # The loaded store keeps working: restore, reset to the recorded seed, new org ids.
    assert loaded.restore(isolated.id, "clean") is True
    loaded.reset(isolated.id)
    assert len(loaded.org(isolated.id).rules) == 3
    assert int(loaded.create_org("zylker").id) == int(isolated.id) + 1


def test_the_document_has_the_documented_shape(store, tmp_path):
    org = store.create_org("zylker", 2, 1)
    token = store.issue_token(org.id, ALL, 3600, FROZEN)
    persistence.save(store, tmp_path / "s.json")

    document = json.loads((tmp_path / "s.json").read_text())

    assert sorted(document) == ["default_org_id", "orgs", "snapshots", "tokens", "version"]
    assert document["version"] == 1
    assert document["orgs"][org.id]["origin"] == {"seed": "zylker", "fake_rules": 2, "fake_seed": 1}
    assert document["orgs"][org.id]["state"] == json.loads(json.dumps(org.to_state()))
    assert document["tokens"] == [
        {
            "value": token.value,
            "org_id": org.id,
            "scopes": ["ZohoCRM.ALL"],
            "expires_at": "2025-12-01T01:00:00+00:00",
            "refresh": False,
            "revoked": False,
            "client": None,
            "granted_by": None,
        }
    ]
    assert (
        persistence.org_state(document, "default")
        == document["orgs"][store.default_org_id]["state"]
    )
    assert persistence.org_state(document, org.id)["id"] == org.id
    assert persistence.org_state(document, "123") is None


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(store, tmp_path):
    path = tmp_path / "state.json"
    persistence.save(store, path)
    before = path.read_bytes()
    store.default_org().info["unserialisable"] = object()

    with pytest.raises(TypeError):
        persistence.save(store, path)

    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not JSON"),
        ('{"version": 2, "orgs": {}}', "not a mockcrm state file of version 1"),
        ("[]", "not a mockcrm state file of version 1"),
        ('{"version": 1, "default_org_id": "9", "orgs": {}}', "no orgs or no default org"),
        ('{"version": 1, "default_org_id": "9", "orgs": {"9": {}}}', "malformed state file"),
    ],
)
def test_bad_files_are_refused_and_change_nothing(store, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    before = states(store)

    with pytest.raises(StateFileError, match=message):
        persistence.load(store, path)

    assert states(store) == before


def test_touch_bumps_the_generation(store):
    start = store.generation
    store.touch()
    store.touch()
    assert store.generation == start + 2


def test_writes_bump_the_generation_and_reads_do_not(api, store):
    start = store.generation
    assert api.get(RULES, query_string={"module": "Deals"}).status_code == 200
    assert store.generation == start
    created = api.post(RULES, json={"workflow_rules": [deal_rule()]})
    assert created.status_code == 201
    assert store.generation == start + 1
    # A refused write may still be "a change" as far as the saver knows: saving is cheap.
    assert api.post(RULES, json={"workflow_rules": "x"}).status_code == 400
    assert store.generation == start + 2


def test_saver_writes_only_when_the_generation_moved(store, tmp_path):
    path = tmp_path / "state.json"
    saver = Saver(store, path)
    assert saver.save() is True and path.exists()
    assert saver.save() is False
    store.default_org().rules.pop(VP_ALERT)
    store.touch()
    assert saver.save() is True
    assert VP_ALERT not in persistence.org_state(persistence.read(path), "default")["rules"]


def test_saver_thread_stop_writes_the_last_change(store, tmp_path):
    path = tmp_path / "state.json"
    saver = Saver(store, path, interval=3600).start()
    store.default_org().rules.pop(VP_ALERT)
    store.touch()

    saver.stop()

    assert VP_ALERT not in persistence.org_state(persistence.read(path), "default")["rules"]
    assert saver.saved_generation == store.generation


def test_isolated_org_ids_continue_after_the_loaded_ones(store, zylker_seed, tmp_path):
    for _ in range(3):
        store.create_org("empty")
    persistence.save(store, tmp_path / "s.json")
    loaded = fresh_store(zylker_seed)
    persistence.load(loaded, tmp_path / "s.json")
    assert loaded.create_org("empty").id == str(ORG_ID_BASE + 4)


def test_a_deleted_org_s_id_is_never_handed_out_again(store, zylker_seed, tmp_path):
    """Its tokens are kept (so they fail): a new org under its id would let them in."""
    kept = store.create_org("empty")
    gone = store.create_org("empty")
    token = store.issue_token(gone.id, ALL, None, FROZEN)
    store.delete_org(gone.id)
    persistence.save(store, tmp_path / "s.json")
    loaded = fresh_store(zylker_seed)
    persistence.load(loaded, tmp_path / "s.json")
    assert loaded.tokens[token.value].org_id == gone.id
    assert loaded.create_org("empty").id == str(int(gone.id) + 1) != kept.id


def test_a_revoked_token_stays_revoked_in_the_file(store, zylker_seed, tmp_path):
    token = store.issue_token(store.default_org_id, ALL, None, FROZEN)
    token.revoked = True
    persistence.save(store, tmp_path / "s.json")
    loaded = fresh_store(zylker_seed)
    persistence.load(loaded, tmp_path / "s.json")
    assert loaded.tokens[token.value].expired(datetime(1970, 1, 1, tzinfo=UTC))


def test_a_new_file_is_private_and_an_existing_file_keeps_its_mode(store, tmp_path):
    fresh, shared = tmp_path / "fresh.json", tmp_path / "shared.json"
    shared.write_text("{}")
    shared.chmod(0o644)

    persistence.save(store, fresh)
    persistence.save(store, shared)

    assert fresh.stat().st_mode & 0o777 == 0o600  # it holds access tokens
    assert shared.stat().st_mode & 0o777 == 0o644


def _copies(monkeypatch) -> list[str]:
    """The ids of the orgs whose state is copied for the file, in order."""
    copied: list[str] = []
    to_state = Org.to_state

    def counted(org, *args, **kwargs):
        copied.append(org.id)
        return to_state(org, *args, **kwargs)

    monkeypatch.setattr(Org, "to_state", counted)
    return copied


def test_the_saver_copies_only_the_orgs_changed_since_it_last_did(store, tmp_path, monkeypatch):
    """Copying every org at every change held the store lock for seconds with 100 orgs."""
    a, b = store.create_org("empty"), store.create_org("empty")
    store.snapshot(b.id, "clean")
    saver = Saver(store, tmp_path / "state.json")
    copied = _copies(monkeypatch)
    saver.save(force=True)
    assert sorted(copied) == sorted([store.default_org_id, a.id, b.id])
    copied.clear()
    a.rules["x"] = {"id": "x"}
    store.touch(a.id)
    saver.save()
    assert copied == [a.id]
    store.touch()  # an admin call: any org may have changed
    saver.save()
    assert sorted(copied[1:]) == sorted([store.default_org_id, a.id, b.id])
    store.delete_org(b.id)
    store.touch(b.id)
    copied.clear()
    saver.save()
    assert copied == []
    # What the saver wrote is what a full write of the store would write.
    fresh = tmp_path / "fresh.json"
    persistence.save(store, fresh)
    assert (tmp_path / "state.json").read_text() == fresh.read_text()
    assert persistence.read(fresh)["orgs"][a.id]["state"]["rules"]["x"] == {"id": "x"}
    assert b.id not in persistence.read(fresh)["orgs"]


def test_the_file_is_serialised_without_the_store_lock(store, tmp_path, monkeypatch):
    free = lock_states(monkeypatch, persistence, "_json", store.lock)
    persistence.save(store, tmp_path / "state.json")
    assert free and all(free)
