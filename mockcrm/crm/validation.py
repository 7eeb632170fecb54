"""THE translator from marshmallow's errors to Zoho's codes, plus the field factories that make
marshmallow speak in translatable tokens ("CODE|message|expected type", or "CODE|message|key=value"
for any other detail)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from mockcrm.core.errors import ZohoError
from mockcrm.core.ids import id_text
from mockcrm.crm.load_plan import MISS, vouched

REQUIRED = "MANDATORY_NOT_FOUND|Required field is missing|"


def _type_error(expected: str) -> str:
    return f"INVALID_DATA|Invalid data type|{expected}"


class ZohoSchema(Schema):
    """Base schema: unknown keys are ignored (Zoho tolerates them), type errors are Zoho's."""

    class Meta:
        unknown = EXCLUDE

    error_messages = {"type": _type_error("jsonobject")}  # noqa: RUF012


def _messages(expected: str, kw: dict[str, Any]) -> dict[str, str]:
    """Zoho-token messages, with per-field overrides passed as `error_messages`."""
    base = {"required": REQUIRED, "invalid": _type_error(expected), "null": _type_error(expected)}
    return {**base, **kw.pop("error_messages", {})}


def text(
    *, required: bool = False, allow_none: bool = False, max_len: int | None = None, **kw: Any
):
    checks = [validate.Length(max=max_len, error=f"INVALID_DATA|value too long|{max_len}")]
    return fields.String(
        required=required,
        allow_none=allow_none,
        error_messages=_messages("text", kw),
        validate=checks if max_len else None,
        **kw,
    )


class IdText(fields.String):
    """An id: text, or a JSON number (Zoho's SDKs type ids as Longs and send numbers; Zoho
    accepts both). Booleans and other types stay type errors."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = id_text(value)
        return super()._deserialize(value if text is None else text, attr, data, **kwargs)


def identifier(*, required: bool = False, allow_none: bool = False, **kw: Any) -> fields.String:
    return IdText(
        required=required, allow_none=allow_none, error_messages=_messages("text", kw), **kw
    )


def integer(*, required: bool = False, allow_none: bool = False, **kw: Any) -> fields.Integer:
    return fields.Integer(
        required=required,
        allow_none=allow_none,
        strict=True,
        error_messages=_messages("integer", kw),
        **kw,
    )


def boolean(*, required: bool = False, allow_none: bool = False, **kw: Any) -> fields.Boolean:
    return fields.Boolean(
        required=required,
        allow_none=allow_none,
        truthy={True},
        falsy={False},
        error_messages=_messages("boolean", kw),
        **kw,
    )


def obj(schema: type[Schema], *, required: bool = False, allow_none: bool = False, **kw: Any):
    return fields.Nested(
        schema,
        required=required,
        allow_none=allow_none,
        error_messages=_messages("jsonobject", kw),
        **kw,
    )


def array(inner: fields.Field, *, required: bool = False, allow_none: bool = False, **kw: Any):
    return fields.List(
        inner,
        required=required,
        allow_none=allow_none,
        error_messages=_messages("jsonarray", kw),
        **kw,
    )


def any_value(*, required: bool = False, **kw: Any) -> fields.Raw:
    return fields.Raw(
        required=required, allow_none=True, error_messages=_messages("text", kw), **kw
    )


def json_path(root: str, path: list[str | int]) -> str:
    out = root
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _first_error(messages: Any, path: list[str | int]) -> tuple[list[str | int], str]:
    if isinstance(messages, list):
        if messages and isinstance(messages[0], str):
            return path, messages[0]
        # marshmallow never nests lists of dicts here, but be defensive
        return path, str(messages[0]) if messages else _type_error("text")
    assert isinstance(messages, Mapping)
    key, value = next(iter(messages.items()))
    return _first_error(value, path if key == "_schema" else [*path, key])


def translate(
    error: ValidationError, root: str, collection: str, top: str | None = None
) -> ZohoError:
    """The first of marshmallow's errors as Zoho's per-item error under `collection`."""
    path, token = _first_error(error.messages, [])
    code, message, extra = (
        (token.split("|", 2) + ["", ""])[:3]
        if "|" in token
        else ("INVALID_DATA", "invalid data", "")
    )
    names = [p for p in path if isinstance(p, str)]
    details: dict[str, Any] = {"api_name": names[-1] if names else collection}
    if "=" in extra:  # a detail the token names itself: "key=value" (digits: a number)
        key, value = extra.split("=", 1)
        details[key] = int(value) if value.isdigit() else value
    elif message == "Invalid data type" and extra:
        details["expected_data_type"] = extra
    elif message == "value too long" and extra:
        details["maximum_length"] = int(extra)
    # `top` addresses the record's own fields (Zoho writes `$.workflow_rules[*].name`).
    shallow = top and "details" not in path and not any(isinstance(p, int) for p in path)
    details["json_path"] = json_path(top if shallow else root, path)
    return ZohoError(code, message, details, collection=collection)


def load(
    schema: Schema, data: Any, root: str, collection: str, top: str | None = None
) -> dict[str, Any]:
    loaded = vouched(schema, data)  # a valid body, without marshmallow's machinery
    if loaded is not MISS:
        return loaded
    try:
        return schema.load(data)
    except ValidationError as error:
        raise translate(error, root, collection, top) from None
