"""Request bodies of the business hours and holidays APIs: shape and JSON types only.

Enums, time and date formats, lengths, duplicates and limits are business rules
(crm/business_hours.py, crm/holidays.py): Zoho words each of them its own way.
"""

from __future__ import annotations

from marshmallow import fields

from mockcrm.crm.validation import ZohoSchema, array, boolean, identifier, obj, text

# Both APIs word a missing field "required field not found" (OAS examples).
REQUIRED = "MANDATORY_NOT_FOUND|required field not found|"
_REQUIRED = {"required": REQUIRED, "null": REQUIRED}


class CustomTimingSchema(ZohoSchema):
    days = text(required=True, error_messages=_REQUIRED)
    # Required unless the item removes its day (`_delete: true`): checked in crm.
    business_timing = array(text(), allow_none=True)
    delete = fields.Raw(data_key="_delete", allow_none=True)


class BusinessHoursSchema(ZohoSchema):
    """POST; PUT loads it partially (what the body omits keeps its value)."""

    week_starts_on = text(required=True, error_messages=_REQUIRED)
    type = text(required=True, error_messages=_REQUIRED)
    business_days = array(text())
    same_as_everyday = boolean(allow_none=True)
    daily_timing = array(text(), allow_none=True)
    custom_timing = array(obj(CustomTimingSchema), allow_none=True)
    # Not in Zoho's request schema, but in its GET: accepted so a client can set the zone the
    # business timings are read in (calendar.py reads it).
    timezone = text()


class ShiftHourSchema(ZohoSchema):
    id = identifier(allow_none=True)
    name = text(allow_none=True)


class HolidaySchema(ZohoSchema):
    """One item of POST /settings/holidays; PUT loads it partially (plus `id` in bulk)."""

    name = text(required=True, error_messages=_REQUIRED)
    date = text(required=True, error_messages=_REQUIRED)
    type = text(required=True, error_messages=_REQUIRED)
    shift_hour = obj(ShiftHourSchema, allow_none=True)
    id = identifier(error_messages={"null": REQUIRED})
