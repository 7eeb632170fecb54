"""A schema's load, worked out once from its declared fields, for the bodies it can vouch for.

marshmallow's per-field machinery (missing checks, hooks, error collection, a nested `load` per
object) was a quarter of a rule create (~80 us of ~330 in-process). A plan walks the same
declared fields with plain type checks and gives what `schema.load` gives: the same keys, order
and values. Anything it cannot vouch for (a wrong type, a missing or null field that must be
there, a field kind or option it does not know) is a MISS: marshmallow loads that body, and
gives the result or the error (crm/validation.py translates it). The schemas stay the one
definition of what is valid; tests/unit/test_load_plan.py holds the plans to marshmallow's
results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import EXCLUDE, Schema, fields, missing, validate

from mockcrm.core.ids import id_text

MISS: Any = object()  # the plan cannot vouch for the value: marshmallow loads the body
Step = Callable[[Any], Any]  # a value as sent -> the value loaded, or MISS
_plans: dict[tuple[type, tuple[str, ...] | None], Step | None] = {}


def vouched(schema: Schema, data: Any) -> Any:
    """`schema.load(data)` for a body the schema's plan vouches for; MISS for any other."""
    key = _plan_key(schema)
    if key is None:
        return MISS
    step = _plans.get(key, MISS)
    if step is MISS:
        step = _plans[key] = _schema_step(schema, key[1])
    return MISS if step is None else step(data)


def _plan_key(schema: Schema) -> tuple[type, tuple[str, ...] | None] | None:
    """Plans are made per schema class and partial (top-level names only); an instance with any
    other load option of its own is marshmallow's."""
    if schema.many or schema.only is not None or schema.exclude or schema.load_only:
        return None
    if schema.dump_only or schema.unknown != EXCLUDE:
        return None
    partial = schema.partial
    if partial is None or partial is False:
        return type(schema), None
    if partial is True or isinstance(partial, str) or any("." in name for name in partial):
        return None  # a string is no collection of names to marshmallow: its own reading
    return type(schema), tuple(sorted(partial))


def _schema_step(schema: Schema, partial: tuple[str, ...] | None) -> Step | None:
    if any(schema._hooks.values()):  # pre/post-load processors, validators: marshmallow's
        return None
    entries = []
    for name, field in schema.load_fields.items():
        parts = _field_parts(field)
        if parts is None or field.load_default is not missing or "." in (field.attribute or ""):
            return None
        source = field.data_key if field.data_key is not None else name
        required = field.required and not (partial and name in partial)
        entries.append((source, field.attribute or name, required, *parts))

    def load(data: Any) -> Any:
        if type(data) is not dict:
            return MISS
        out = {}
        # The field steps are inlined here (one call per field less: a rule create loads 30).
        for source, target, required, allow_none, kind, limit in entries:
            value = data.get(source, MISS)
            if value is MISS:
                if required:
                    return MISS
                continue
            if value is None:
                if not allow_none:
                    return MISS
                out[target] = None
                continue
            loaded = kind(value)
            if loaded is MISS or (limit is not None and len(loaded) > limit):
                return MISS
            out[target] = loaded
        return out

    return load


def _field_parts(field: fields.Field) -> tuple[bool, Step, int | None] | None:
    """(allow_none, the step of its kind, its maximum length), or None: not planned."""
    if field.pre_load or field.post_load:
        return None
    kind = _kind_step(field)
    limit = _max_length(field.validators)
    if kind is None or limit is MISS:
        return None
    return field.allow_none, kind, limit


def _field_step(field: fields.Field) -> Step | None:
    """The field's deserialize (null handling, type, validators), or None: not planned."""
    parts = _field_parts(field)
    if parts is None:
        return None
    allow_none, kind, limit = parts

    def step(value: Any) -> Any:
        if value is None:
            return None if allow_none else MISS
        loaded = kind(value)
        if limit is not None and loaded is not MISS and len(loaded) > limit:
            return MISS
        return loaded

    return step


def _max_length(validators: list) -> Any:
    """The one validator plans check: a maximum length (None: no validator; MISS: others)."""
    if not validators:
        return None
    if len(validators) == 1 and type(validators[0]) is validate.Length:
        length = validators[0]
        if length.min is None and length.equal is None and length.max is not None:
            return length.max
    return MISS


def _kind_step(field: fields.Field) -> Step | None:
    from mockcrm.crm.validation import IdText  # the schemas' own kind: validation imports us

    kind = type(field)
    if kind is fields.String:
        return _text
    if kind is IdText:
        return _identifier
    if kind is fields.Integer and field.strict:
        return _integer
    if kind is fields.Boolean and field.truthy == {True} and field.falsy == {False}:
        return _boolean
    if kind is fields.Dict and field.key_field is None and field.value_field is None:
        return _mapping
    if kind is fields.Raw:
        return _raw
    if kind is fields.Nested and not field.many:
        return _nested_step(field)
    if kind is fields.List:
        inner = _field_step(field.inner)
        return None if inner is None else _list_step(inner)
    return None


def _nested_step(field: fields.Nested) -> Step | None:
    nested = field.schema
    if field.unknown not in (None, EXCLUDE) or _plan_key(nested) != (type(nested), None):
        return None
    return _schema_step(nested, None)


def _list_step(inner: Step) -> Step:
    def load(value: Any) -> Any:
        if type(value) is not list:
            return MISS
        out = []
        for each in value:
            loaded = inner(each)
            if loaded is MISS:
                return MISS
            out.append(loaded)
        return out

    return load


def _text(value: Any) -> Any:
    return value if type(value) is str else MISS


def _identifier(value: Any) -> Any:
    text = id_text(value)
    return MISS if text is None or (type(value) is not str and type(value) is not int) else text


def _integer(value: Any) -> Any:
    return value if type(value) is int else MISS


def _boolean(value: Any) -> Any:
    return value if value is True or value is False else MISS


def _mapping(value: Any) -> Any:
    return dict(value) if type(value) is dict else MISS


def _raw(value: Any) -> Any:
    return value
