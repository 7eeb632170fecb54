"""The admin API's request bodies, checked by THE translator (crm/validation.py) and reported in
the admin API's flat error envelope (it has no Zoho collection to wrap errors in)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import ValidationError, fields, pre_load, validate, validates_schema

from mockcrm.api.admin_common import DEFAULT
from mockcrm.api.common import json_body
from mockcrm.core.auth import ACCESS_TOKEN_LIFETIME, ALL_SCOPES
from mockcrm.core.clock import CLOCK_MAX, CLOCK_MIN, CLOCK_RANGE_MESSAGE, parse_iso
from mockcrm.core.errors import ZohoError
from mockcrm.crm.validation import REQUIRED, ZohoSchema, array, boolean, integer, load
from mockcrm.seed.loader import SEED_NAMES
from mockcrm.settings import MAX_FAKE_RULES

MAX_DELAY_MS = 60_000  # a delay holds a server thread: keep it bounded
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
ADVANCE_UNITS = ("minutes", "hours", "days", "business_days")


def _string(*, validate_with: Any = None, **kw: Any) -> fields.String:
    bad = "INVALID_DATA|Invalid data type|text"
    messages = {"required": REQUIRED, "invalid": bad, "null": bad}
    return fields.String(validate=validate_with, error_messages=messages, **kw)


def _range(low: int | None = None, high: int | None = None) -> validate.Range:
    bounds = f"{'' if low is None else low}..{'' if high is None else high}"
    return validate.Range(
        min=low, max=high, error=f"INVALID_DATA|the value must be within {bounds}|"
    )


def _one_of(options: tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(
        options, error=f"INVALID_DATA|the value must be one of {', '.join(options)}|"
    )


MAX_ADVANCE_BUSINESS_DAYS = 10_000  # ~40 years: the business-day walk is a loop
MAX_TOKEN_SECONDS = 10 * 366 * 24 * 3600  # ten years: an expiry the clock can still hold


class IsoDateTime(fields.Field):
    """An ISO-8601 instant; without an offset it is UTC."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kw: Any) -> datetime:
        try:
            return parse_iso(value)
        except (TypeError, ValueError):
            raise ValidationError("INVALID_DATA|Invalid data type|datetime") from None


class StrictNumber(fields.Float):
    """A JSON number, strict as the integer fields are: "0.5" is refused, not read as 0.5."""

    def _validated(self, value: Any) -> float:
        if not isinstance(value, int | float):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class OrgSpec(ZohoSchema):
    seed = _string(load_default="zylker", validate_with=_one_of(SEED_NAMES))
    fake_rules = integer(load_default=0, validate=_range(0, MAX_FAKE_RULES))
    fake_seed = integer(load_default=0)


class SnapshotSpec(ZohoSchema):
    # No "/", ".", "..": a name is a segment of the restore URL, where an encoded slash is a
    # slash and a dot segment is removed (by clients, and by servers from %2E).
    name = _string(
        required=True,
        validate_with=[
            validate.Length(1, 100, error="INVALID_DATA|the name must have 1 to 100 characters|"),
            validate.Regexp(
                r"^(?!\.\.?\Z)[^/]*\Z",
                error="INVALID_DATA|the name must not contain / nor be . or ..|",
            ),
        ],
    )


class FaultSpec(ZohoSchema):
    method = _string(allow_none=True, validate_with=_one_of(METHODS))
    path = _string(allow_none=True)
    org_id = _string(allow_none=True)
    status = integer(allow_none=True, validate=_range(400, 599))
    delay_ms = integer(load_default=0, validate=_range(0, MAX_DELAY_MS))
    times = integer(allow_none=True, validate=_range(1))
    probability = StrictNumber(
        load_default=1.0,
        validate=_range(0, 1),
        error_messages={
            "invalid": "INVALID_DATA|Invalid data type|double",
            "null": "INVALID_DATA|Invalid data type|double",
        },
    )
    seed = integer(allow_none=True)

    @validates_schema
    def _does_something(self, data: dict, **_: Any) -> None:
        # A fault with neither would match and do nothing, hiding every later fault.
        if data.get("status") is None and not data.get("delay_ms"):
            raise ValidationError("MANDATORY_NOT_FOUND|one of status, delay_ms is required|")

    @pre_load
    def _upper_method(self, data: Any, **_: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("method"), str):
            return {**data, "method": data["method"].upper()}
        return data


class CreditsSpec(ZohoSchema):
    daily_limit = integer(required=True, allow_none=True, validate=_range(0))
    used = integer(load_default=None, allow_none=True, validate=_range(0))


class ClockSpec(ZohoSchema):
    now = IsoDateTime(
        required=True,
        validate=validate.Range(
            min=CLOCK_MIN, max=CLOCK_MAX, error=f"INVALID_DATA|{CLOCK_RANGE_MESSAGE}|"
        ),
        error_messages={"required": REQUIRED, "null": "INVALID_DATA|Invalid data type|datetime"},
    )
    org_id = _string(load_default=DEFAULT)
    freeze = boolean(load_default=None, allow_none=True)


class AdvanceSpec(ZohoSchema):
    minutes = integer(load_default=0, validate=_range(0))
    hours = integer(load_default=0, validate=_range(0))
    days = integer(load_default=0, validate=_range(0))
    business_days = integer(load_default=0, validate=_range(0, MAX_ADVANCE_BUSINESS_DAYS))
    org_id = _string(load_default=DEFAULT)

    @validates_schema(pass_original=True)
    def _one_unit(self, data: dict, original: Any, **_: Any) -> None:
        if not any(unit in original for unit in ADVANCE_UNITS):
            raise ValidationError(
                f"MANDATORY_NOT_FOUND|one of {', '.join(ADVANCE_UNITS)} is required|"
            )


class TokenSpec(ZohoSchema):
    org_id = _string(load_default=DEFAULT)
    scopes = array(_string(), load_default=lambda: sorted(ALL_SCOPES))
    expires_in = integer(
        load_default=ACCESS_TOKEN_LIFETIME, allow_none=True, validate=_range(1, MAX_TOKEN_SECONDS)
    )


def parse_body(schema: type[ZohoSchema]) -> dict[str, Any]:
    """The body checked by THE translator, its error re-enveloped flat (admin has no collection)."""
    data = json_body()
    try:
        return load(schema(), {} if data is None else data, "$", "body")
    except ZohoError as error:
        raise ZohoError(error.code, error.message, error.details) from None
