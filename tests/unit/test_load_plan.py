"""crm/load_plan.py: a plan gives what `schema.load` gives (keys, order, values) for every body it
vouches for, and vouches for no body marshmallow refuses. Bodies: the seed's rules and action
entities, a valid body made from each schema's declared fields, and each of those with every
value replaced by a wrong one, removed, or joined by an unknown key."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from marshmallow import Schema, ValidationError, fields

from mockcrm.crm import load_plan, validation
from mockcrm.crm.load_plan import MISS, vouched
from mockcrm.seed.loader import load_seed

SCHEMA_MODULES = ("mockcrm.crm.schemas.rules", "mockcrm.crm.schemas.actions",
                  "mockcrm.crm.schemas.tags", "mockcrm.crm.schemas.business_settings",
                  "mockcrm.api.admin_bodies")  # fmt: skip
WRONG = (None, 0, 7, True, False, "", "s", 1.5, [], [1], [None], {}, {"x": 1}, "x" * 1001,
         12345678901234567890)  # fmt: skip
# Schemas marshmallow always loads: hooks (admin_bodies) or field kinds of their own.
UNPLANNED = {"MassDeleteSchema", "MassDeleteItemSchema", "OrgSpec", "SnapshotSpec", "FaultSpec",
             "CreditsSpec", "ClockSpec", "AdvanceSpec", "TokenSpec"}  # fmt: skip
ACTION_SCHEMAS = {
    "field_updates": "FieldUpdateSchema",
    "tasks": "TaskSchema",
    "webhooks": "WebhookSchema",
    "email_notifications": "EmailNotificationSchema",
}


def _schemas() -> list[tuple[str, Schema]]:
    out = []
    for name in SCHEMA_MODULES:
        module = importlib.import_module(name)
        for attr, cls in vars(module).items():
            if isinstance(cls, type) and issubclass(cls, Schema) and cls.__module__ == name:
                out.append((attr, cls()))
                if name.endswith("actions") or attr == "RuleUpdateSchema":  # PUT's reading
                    out.append((f"{attr} (partial)", cls(partial=tuple(cls._declared_fields))))
    return out


SCHEMAS = _schemas()


def _valid(field: fields.Field, full: bool) -> Any:
    """A value `field` loads. `full`: every optional key of nested objects too."""
    if isinstance(field, fields.Nested):
        return _valid_body(field.schema, full)
    if isinstance(field, fields.List):
        return [_valid(field.inner, full), _valid(field.inner, not full)]
    if isinstance(field, fields.Boolean):
        return True
    if isinstance(field, fields.Integer):
        return 3
    if isinstance(field, fields.Float):
        return 2.5
    if isinstance(field, fields.Dict):
        return {"k": [1]}
    if isinstance(field, fields.String):
        return "text"
    return {"any": ["value"]}


def _valid_body(schema: Schema, full: bool) -> dict[str, Any]:
    return {
        (f.data_key or name): _valid(f, full)
        for name, f in schema.load_fields.items()
        if full or f.required
    }


def _variants(body: Any) -> Iterator[Any]:
    """`body` with one value at any depth wrong, removed, or beside an unknown key."""
    yield body
    if isinstance(body, dict):
        yield {**body, "unknown_key": 1}
        for key, value in body.items():
            yield {k: v for k, v in body.items() if k != key}
            for wrong in WRONG:
                yield {**body, key: wrong}
            for inner in _variants(value):
                if inner is not value:
                    yield {**body, key: inner}
    elif isinstance(body, list):
        for at, value in enumerate(body):
            for inner in _variants(value):
                if inner is not value:
                    yield [*body[:at], inner, *body[at + 1 :]]


def _shape(value: Any) -> Any:
    """A value with its dicts' key order and its scalars' types made comparable."""
    if isinstance(value, dict):
        return [(k, _shape(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return (type(value), value)


def _marshmallow(schema: Schema, body: Any) -> Any:
    try:
        return schema.load(body)
    except ValidationError:
        return MISS


def _seed_bodies(name: str) -> list[Any]:
    org = load_seed("zylker")
    if name.startswith("Rule"):
        return [org.rules[rule_id] for rule_id in list(org.rules)[:6]]
    for kind, schema in ACTION_SCHEMAS.items():
        if name.startswith(schema):
            return list(org.entities[kind].values())[:4]
    return []


@pytest.mark.parametrize(("name", "schema"), SCHEMAS, ids=[n for n, _ in SCHEMAS])
def test_a_plan_loads_what_marshmallow_loads(name: str, schema: Schema) -> None:
    planned = name.split(" ")[0] not in UNPLANNED
    made = [_valid_body(schema, True), _valid_body(schema, False), *_seed_bodies(name)]
    # The made bodies are valid for every planned schema (an admin body's checks may refuse them).
    bases = [b for b in made if not planned or _marshmallow(schema, b) is not MISS]
    assert len(bases) == len(made) or not planned
    vouched_for = refused = 0
    for base in bases:
        for body in [*_variants(base), *WRONG]:
            expected, loaded = _marshmallow(schema, body), vouched(schema, body)
            if loaded is MISS:
                refused += expected is MISS
                continue
            vouched_for += 1
            assert expected is not MISS, body  # a body marshmallow refuses is never vouched for
            assert _shape(loaded) == _shape(expected), body
    if not planned:
        assert vouched_for == 0
    else:
        assert vouched(schema, bases[0]) is not MISS  # the plan takes valid bodies
        assert vouched_for > len(bases) and refused > 0


def test_loaded_values_are_the_bodys_own_or_copies_as_marshmallow_makes_them() -> None:
    schema = importlib.import_module("mockcrm.crm.schemas.rules").RuleCreateSchema()
    body = _valid_body(schema, True)
    loaded = vouched(schema, body)
    assert loaded is not body and loaded["conditions"] is not body["conditions"]
    details = body["execute_when"]["details"]
    assert loaded["execute_when"]["details"] == details  # a Dict field: a copy, as marshmallow's
    assert loaded["execute_when"]["details"] is not details
    raw = body["conditions"][0]["criteria_details"]["criteria"]
    assert loaded["conditions"][0]["criteria_details"]["criteria"] is raw  # Raw: as sent


def test_validation_load_takes_the_plan_first_and_marshmallow_for_the_rest(monkeypatch) -> None:
    schema = importlib.import_module("mockcrm.crm.schemas.rules").RuleCreateSchema()
    calls = []
    monkeypatch.setattr(schema, "load", lambda data: calls.append(data) or {"from": "marshmallow"})
    body = _valid_body(schema, False)
    assert validation.load(schema, body, "$", "workflow_rules") == vouched(schema, body)
    assert calls == []
    assert validation.load(schema, {"name": 1}, "$", "workflow_rules") == {"from": "marshmallow"}
    assert calls == [{"name": 1}]


def test_an_instance_with_load_options_of_its_own_is_marshmallows() -> None:
    cls = importlib.import_module("mockcrm.crm.schemas.rules").LockSchema
    assert vouched(cls(only=("status",)), {"status": True}) is MISS
    assert vouched(cls(partial=True), {"status": True}) is MISS
    assert vouched(cls(partial="status"), {}) is MISS  # not the names s, t, a, u: marshmallow's
    assert vouched(cls(), {"status": True}) == {"status": True}
    assert load_plan._plan_key(cls(partial=("status",))) == (cls, ("status",))
