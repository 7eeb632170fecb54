"""Request bodies of the Tags API (`{"tags":[{name, color_code[, id]}]}`, and the mass delete's
`{"mass_delete":[{module, tags}]}`): shape and JSON types.

Lengths, the colour palette, special characters and duplicates are business rules (crm/tags.py).
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields

from mockcrm.crm.validation import ZohoSchema, identifier, text

# The tags API words a missing field "required field not found" (OAS tags.json examples).
REQUIRED = "MANDATORY_NOT_FOUND|required field not found|"


class CreateTagSchema(ZohoSchema):
    name = text(required=True, error_messages={"required": REQUIRED, "null": REQUIRED})
    color_code = text(allow_none=True)


class UpdateTagSchema(ZohoSchema):
    """PUT: a tag keeps what the item omits; `id` is required only in the bulk form."""

    id = identifier(error_messages={"null": REQUIRED})
    name = text(error_messages={"null": REQUIRED})
    color_code = text(allow_none=True)


class MergeTagSchema(ZohoSchema):
    """POST /tags/{id}/actions/merge: the one item names the tag merged into {id}."""

    conflict_id = text(required=True, error_messages={"required": REQUIRED, "null": REQUIRED})


# --- POST /settings/tags/actions/mass_delete (crm-oas v8.0 mass_delete_tags.yaml) ----------
# Its examples word a missing key "required field not found" and every malformed one "invalid
# data", naming what was expected (`expected_data_type`) or the array's limit (`maximum_length`).
INVALID = "INVALID_DATA|invalid data|"
NOT_OBJECT = f"{INVALID}expected_data_type=jsonobject"
MISSING = {"required": REQUIRED, "null": REQUIRED}


class _Batch(fields.List):
    """A JSON array of 1..`max_items` items, its size checked before its items (an empty or too
    long array is the error, whatever it holds)."""

    def __init__(self, inner: fields.Field, max_items: int) -> None:
        messages = {**MISSING, "invalid": f"{INVALID}expected_data_type=jsonarray"}
        super().__init__(inner, required=True, error_messages=messages)
        self.max_items = max_items

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, list) and not value:
            raise ValidationError(INVALID)
        if isinstance(value, list) and len(value) > self.max_items:
            raise ValidationError(f"{INVALID}maximum_length={self.max_items}")
        return super()._deserialize(value, attr, data, **kwargs)


class _MassDeleteObject(ZohoSchema):
    error_messages = {"type": NOT_OBJECT}  # noqa: RUF012


class MassDeleteModuleSchema(_MassDeleteObject):
    api_name = text(error_messages=MISSING, required=True)
    id = identifier(error_messages=MISSING, required=True)


class MassDeleteTagSchema(_MassDeleteObject):
    id = identifier(error_messages=MISSING, required=True)


class MassDeleteItemSchema(_MassDeleteObject):
    module = fields.Nested(MassDeleteModuleSchema, required=True, error_messages=MISSING)
    # 200 tags: the limit of Zoho's TagsArrayTooLong example and of its SDK (the OAS says 100).
    tags = _Batch(fields.Nested(MassDeleteTagSchema), max_items=200)


class MassDeleteSchema(ZohoSchema):
    # One module per call (Zoho's MassDeleteArrayTooLong example; the OAS says 100).
    mass_delete = _Batch(fields.Nested(MassDeleteItemSchema), max_items=1)
