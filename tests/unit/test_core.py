"""Core machinery without HTTP: ids, clock, pagination, scopes, errors, settings."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from mockcrm.core.auth import has_scope
from mockcrm.core.clock import Clock, iso
from mockcrm.core.errors import ZohoError
from mockcrm.core.ids import IdAllocator, all_ids, is_id
from mockcrm.core.pagination import Page
from mockcrm.settings import Settings


def test_ids_start_above_existing_and_are_19_digits():
    alloc = IdAllocator.above("4876876", ["4876876000016794075", "123", "4876876000000002181"])
    first, second = alloc.next(), alloc.next()
    assert is_id(first) and int(first) > 4876876000016794075 and int(second) == int(first) + 1
    assert alloc.clone().next() == str(int(second) + 1)


def test_ids_from_many_threads_are_unique_and_state_is_the_next_one():
    alloc = IdAllocator("4876876", 4876876000000000001)
    with ThreadPoolExecutor(8) as pool:
        batches = list(pool.map(lambda _: [alloc.next() for _ in range(5000)], range(8)))
    taken = sorted(int(i) for batch in batches for i in batch)
    assert taken == list(range(4876876000000000001, 4876876000000040001))
    assert alloc.state() == 4876876000000040001  # peeking takes nothing
    assert alloc.next() == "4876876000000040001" and alloc.clone().state() == 4876876000000040002


def test_all_ids_walks_nested_values():
    assert set(all_ids({"a": [{"id": "4876876000016794075"}], "4876876000000000001": 1})) == {
        "4876876000016794075",
        "4876876000000000001",
    }


def test_clock_frozen_set_and_advance():
    start = datetime(2025, 12, 1, 5, 39, 10, tzinfo=UTC)
    clock = Clock(start)
    assert iso(clock.now(), "Asia/Kolkata") == "2025-12-01T11:09:10+05:30"
    clock.advance(timedelta(days=1))
    assert clock.now() == start + timedelta(days=1)
    live = Clock()
    live.set(datetime(2030, 1, 1, tzinfo=UTC))
    assert not live.frozen and live.now().year == 2030


def test_page_slices_and_reports_more_records():
    items = list(range(5))
    assert Page(1, 2).slice(items) == (
        [0, 1],
        {"per_page": 2, "count": 2, "page": 1, "more_records": True},
    )
    assert Page(3, 2).slice(items)[1]["more_records"] is False
    with pytest.raises(ZohoError) as err:
        Page.from_args({"per_page": "500"})
    assert err.value.details == {"param_name": "per_page"}


@pytest.mark.parametrize(
    ("granted", "ok"),
    [
        ({"ZohoCRM.settings.workflow_rules.READ"}, True),
        ({"ZohoCRM.settings.workflow_rules.ALL"}, True),
        ({"ZohoCRM.settings.ALL"}, True),
        ({"ZohoCRM.ALL"}, True),
        ({"ZohoCRM.settings.workflow_rules.CREATE"}, False),
        ({"ZohoCRM.modules.ALL"}, False),
    ],
)
def test_scope_hierarchy(granted, ok):
    assert has_scope(frozenset(granted), "ZohoCRM.settings.workflow_rules.READ") is ok


def test_error_envelopes():
    err = ZohoError("INVALID_DATA", "invalid data", {"api_name": "x"})
    assert err.body() == {
        "code": "INVALID_DATA",
        "details": {"api_name": "x"},
        "message": "invalid data",
        "status": "error",
    }
    assert err.wrapped("workflow_rules").body() == {"workflow_rules": [err.item()]}


def test_settings_from_env_and_overrides():
    s = Settings.from_env({"MOCKCRM_PORT": "9000", "MOCKCRM_AUTH": "strict"}, host="0.0.0.0")
    assert (s.port, s.auth, s.host) == (9000, "strict", "0.0.0.0")
    with pytest.raises(ValueError):
        Settings.from_env({"MOCKCRM_AUTH": "none"})


@pytest.mark.parametrize(
    ("env", "flags", "message"),
    [
        ({}, {"port": 70000}, "port must be within 0..65535, not 70000"),
        ({"MOCKCRM_PORT": "65536"}, {}, "port must be within 0..65535, not 65536"),
        ({}, {"threads": 0}, "threads must be at least 1, not 0"),
        ({}, {"journal_size": -1}, "journal-size must be at least 0, not -1"),
        ({}, {"max_body_bytes": -1}, "max-body-bytes must be at least 0, not -1"),
        ({}, {"fake_rules": -3}, "fake-rules must be within 0..10000, not -3"),
        ({}, {"fake_rules": 10_001}, "fake-rules must be within 0..10000, not 10001"),
        (
            {"MOCKCRM_NO_ADMIN": "maybe"},
            {},
            "MOCKCRM_NO_ADMIN: 'maybe' is not one of 1, true, yes, on, 0, false, no, off",
        ),
        (
            {"MOCKCRM_PORT": "x"},
            {},
            "MOCKCRM_PORT: invalid literal for int() with base 10: 'x'",
        ),
    ],
)
def test_settings_out_of_range_are_refused_not_wrapped(env, flags, message):
    """A port of 70000 bound 4464, --threads 0 ran one thread, MOCKCRM_NO_ADMIN=maybe was off."""
    with pytest.raises(ValueError) as refused:
        Settings.from_env(env, **flags)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("word", "value"), [("Yes", True), ("on", True), ("0", False), ("", False)]
)
def test_settings_booleans_from_env(word, value):
    assert Settings.from_env({"MOCKCRM_DELIVER_WEBHOOKS": word}).deliver_webhooks is value


def test_an_org_pinned_at_one_instant_answers_that_time_until_the_block_ends(org):
    before, at = org.now(), org.instant()
    with org.at_one_instant():
        org.clock.advance(timedelta(hours=1))
        with org.at_one_instant():  # nested: the outer instant holds
            org.clock.advance(timedelta(hours=1))
            assert (org.now(), org.instant()) == (before, at)
        assert (org.now(), org.instant()) == (before, at)
    assert org.instant() == at + timedelta(hours=2)
    assert org.now() == iso(at + timedelta(hours=2), org.time_zone)
    with pytest.raises(ZeroDivisionError), org.at_one_instant():
        1 / 0  # noqa: B018
    org.clock.advance(timedelta(hours=1))
    assert org.instant() == at + timedelta(hours=3)  # unpinned after an error too
