"""The static values of field updates (`value`, `dependent_fields[].value`) and of task field
mappings, checked when the entity is saved against the field they are written to: a value the
engine could not write is refused then, as Zoho refuses it, instead of failing every time a rule
runs it. The check is the engine's own write, dry: the value as the engine converts it
(engine_records.coerce) typed by the records API (record_values.typed_record). Only text fields
are stricter than the engine, which writes any JSON value into them as text: Zoho's examples
refuse a non-text value there ("Invalid data type", `expected_data_type` "text")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockcrm.core.errors import ZohoError
from mockcrm.crm.engine_records import coerce
from mockcrm.crm.org import Org
from mockcrm.crm.record_values import STRING_TYPES, expected_type, typed_record

if TYPE_CHECKING:
    from mockcrm.crm.actions import Kind


def check_value(org: Org, kind: Kind, module: str, field: dict[str, Any], value: Any, path: str):
    """Raise `kind`'s error for `value` at `path` unless the engine can write it to `field`."""
    messages = kind.messages
    data_type = expected_type(field)  # the Tag field is text that holds a list
    if data_type in STRING_TYPES and not (value is None or isinstance(value, str)):
        raise _type_error(kind, path, "text")
    if data_type == "multiselectpicklist" and not _is_multiselect(value):
        raise _type_error(kind, path, "jsonarray")
    try:
        typed_record(org, module, {field["api_name"]: coerce(field, value)}, 0, {})
    except ZohoError as refused:
        details = refused.details
        if "expected_data_type" in details:
            raise _type_error(kind, path, details["expected_data_type"]) from None
        if "maximum_length" in details:
            raise kind.error(
                "INVALID_DATA",
                messages["value_too_long"],
                "value",
                path,
                maximum_length=details["maximum_length"],
            ) from None
        if refused.code == "MANDATORY_NOT_FOUND":
            raise kind.error(
                "MANDATORY_NOT_FOUND", messages["value_missing"], "value", path
            ) from None
        raise kind.error("INVALID_DATA", messages["value_invalid"], "value", path) from None


def _type_error(kind: Kind, path: str, expected: str) -> ZohoError:
    return kind.error(
        "INVALID_DATA", kind.messages["value_type"], "value", path, expected_data_type=expected
    )


def _is_multiselect(value: Any) -> bool:
    """`"a;b"` (how Zoho stores it) or `["a", "b"]`; null clears the field."""
    if value is None or isinstance(value, str):
        return True
    return isinstance(value, list) and all(isinstance(item, str) for item in value)
