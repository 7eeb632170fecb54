"""Org copies (Org.copy and the store's pickled templates) share no mutable data: a write to a
copy, however deep, never reaches the seed template or any other copy."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import Any

from mockcrm.core.store import Origin, Store
from mockcrm.crm.org import DATA_FIELDS, Org
from mockcrm.seed.loader import load_seed


def _containers(value: Any) -> Iterator[int]:
    """ids of every dict and list inside a JSON-like value."""
    stack = [value]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            yield id(cur)
            stack.extend(cur.values())
        elif isinstance(cur, list):
            yield id(cur)
            stack.extend(cur)


def _data(org: Org) -> dict[str, Any]:
    return {key: getattr(org, key) for key in DATA_FIELDS}


def _scribble(org: Org) -> None:
    """Change something at every level of every kind of data the org holds."""
    for key in DATA_FIELDS:
        value = getattr(org, key)
        for cur in _walk(value):
            if isinstance(cur, dict):
                cur["__scribbled__"] = True
            else:
                cur.append("__scribbled__")


def _walk(value: Any) -> list[Any]:
    out, stack = [], [value]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict | list):
            out.append(cur)
            stack.extend(cur.values() if isinstance(cur, dict) else cur)
    return out


def test_a_copy_shares_no_container_with_its_template():
    template = load_seed("zylker", 30, 2)
    for copied in (template.copy("1"), template.copy("2", frozen=template.frozen_data())):
        assert copied.rules == template.rules and copied.records == template.records
        assert not set(_containers(_data(template))) & set(_containers(_data(copied)))


def test_writes_to_a_store_org_never_leak_into_the_template_or_other_orgs():
    store = Store(seed_loader=load_seed)
    store.add_seed("zylker", load_seed("zylker"), default=True)
    template = store.templates[Origin("zylker")]
    before = pickle.loads(pickle.dumps(_data(template)))  # a deep copy
    first, second = store.create_org("zylker"), store.create_org("zylker")
    _scribble(first)
    _scribble(store.default_org())
    assert _data(template) == before
    assert _data(second) == before
    # New orgs and resets after the writes are still the pristine seed.
    assert _data(store.create_org("zylker")) == before
    store.reset(first.id)
    assert _data(store.org(first.id)) == before
    assert store.org(first.id) is not first
