"""GET /__admin/openapi.json: the admin API described from its own route table and body schemas
(never written by hand, so it cannot drift from what the routes accept)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from marshmallow import Schema, fields, validate

import mockcrm
from mockcrm.api import admin_bodies

JSON = dict[str, Any]
PATH_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
ERROR = {
    "type": "object",
    "required": ["code", "details", "message", "status"],
    "properties": {
        "code": {"type": "string"},
        "details": {"type": "object"},
        "message": {"type": "string"},
        "status": {"const": "error"},
    },
}


def field_schema(field: fields.Field) -> JSON:
    """JSON Schema of one marshmallow field, with its validators' bounds and choices."""
    if isinstance(field, fields.Nested):
        out: JSON = body_schema(
            field.nested if isinstance(field.nested, type) else type(field.nested)
        )
    elif isinstance(field, fields.List):
        out = {"type": "array", "items": field_schema(field.inner)}
    elif isinstance(field, fields.Boolean):
        out = {"type": "boolean"}
    elif isinstance(field, fields.Integer):
        out = {"type": "integer"}
    elif isinstance(field, fields.Number):
        out = {"type": "number"}
    elif isinstance(field, fields.String):
        out = {"type": "string"}
    elif isinstance(field, fields.Dict):
        out = {"type": "object"}
    elif type(field).__name__ == "IsoDateTime":
        out = {"type": "string", "format": "date-time"}
    else:
        out = {}
    for check in _validators(field):
        if isinstance(check, validate.Range):
            out.update(
                {k: v for k, v in (("minimum", check.min), ("maximum", check.max)) if v is not None}
            )
        elif isinstance(check, validate.OneOf):
            out["enum"] = list(check.choices)
        elif isinstance(check, validate.Length):
            out.update(
                {
                    k: v
                    for k, v in (("minLength", check.min), ("maxLength", check.max))
                    if v is not None
                }
            )
    if field.allow_none and "type" in out:
        out["type"] = [out["type"], "null"]
    return out


def _validators(field: fields.Field) -> Iterable[Any]:
    return field.validators if hasattr(field, "validators") else []


def body_schema(schema: type[Schema]) -> JSON:
    instance = schema()
    props = {f.data_key or name: field_schema(f) for name, f in instance.fields.items()}
    required = [f.data_key or name for name, f in instance.fields.items() if f.required]
    out: JSON = {"type": "object", "properties": props}
    if required:
        out["required"] = required
    return out


def document(prefix: str, routes: Iterable[tuple[str, str, Callable[..., Any]]]) -> JSON:
    paths: JSON = {}
    for method, rule, handler in routes:
        path = prefix + PATH_PARAM.sub(r"{\1}", rule)
        doc = (handler.__doc__ or handler.__name__.replace("_", " ")).strip().splitlines()[0]
        operation: JSON = {
            "operationId": handler.__name__,
            "summary": doc,
            "responses": {
                "default": {"description": "JSON answer", "content": {"application/json": {
                    "schema": {"type": "object"}}}},
                "4XX": {"description": "admin error", "content": {"application/json": {
                    "schema": ERROR}}},
            },
        }  # fmt: skip
        params = PATH_PARAM.findall(rule)
        if params:
            operation["parameters"] = [
                {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                for p in params
            ]
        schema = getattr(handler, "body_schema", None)  # a class name in admin_bodies
        if schema is not None:
            operation["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": body_schema(getattr(admin_bodies, schema))}}}  # fmt: skip
        paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "mockcrm admin API", "version": mockcrm.__version__},
        "paths": paths,
        "components": {"securitySchemes": {"adminToken": {
            "type": "apiKey", "in": "header", "name": "X-Admin-Token"}}},
    }  # fmt: skip
