"""Request bodies of the Tags API (`{"tags":[{name, color_code[, id]}]}`): shape and JSON types.

Lengths, the colour palette, special characters and duplicates are business rules (crm/tags.py).
"""

from __future__ import annotations

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
