"""The Records API's write request body (fact sheet core §3.5-§3.7): `data` (at most
MAX_RECORDS records), `trigger` and the feature-execution keys. These are request-level checks: a
problem fails the whole request before any record is typed (in the top-level envelope, except
where Zoho's examples wrap it in `data[]`). Separate from record_values.py, which types the values
of one record."""

from __future__ import annotations

from typing import Any

from mockcrm.core.errors import ZohoError
from mockcrm.crm.record_values import at, error, missing, type_error

MAX_RECORDS = 100
TRIGGERS = ("approval", "workflow", "blueprint", "pathfinder", "orchestration")
# Zoho's supported values for the feature-execution keys (createRecords InvalidSupportedValue).
FEATURES = {
    "apply_feature_execution": (
        "layout_rules",
        "range_validation",
        "assignment_rules",
        "function_validation_rule",
        "criteria_validation_rule",
        "global_map_dependency",
        "territory_subordinates",
    ),
    "skip_feature_execution": ("cadences",),
}


def top(err: ZohoError) -> ZohoError:
    """The same error in the top-level envelope (request-level problems)."""
    return ZohoError(err.code, err.message, err.details, err.status)


def parse_body(body: Any, limit: int = MAX_RECORDS) -> tuple[list[Any], list[str] | None]:
    """`{"data": [...], "trigger": [...]}`; a request-level problem fails the whole request.

    `limit` is 1 for the single-record form (`PUT /{module}/{id}`): it updates one record, and
    Zoho documents only 200/400 for it, never a per-item 207."""
    if not isinstance(body, dict):
        raise ZohoError("INVALID_DATA", "either the request body or parameters is in wrong format")
    if "data" not in body:
        raise top(missing("data", "$.data"))
    data = body["data"]
    if not isinstance(data, list) or not data:
        raise top(type_error("data", "$.data", "jsonarray"))
    if len(data) > limit:
        # Item-wrapped, as in Zoho's only example (OAS updateRecord "LimitExceededError"); its
        # 400 schema (RecordsErrorResponse) lists LIMIT_EXCEEDED among the `data[]` item codes.
        message = "count of records in your request exceeds the limit"
        raise error("LIMIT_EXCEEDED", message, {"maximum_length": limit, "api_name": "data"})
    return data, _trigger(body)


def _unsupported(api_name: str, path: str, supported: tuple[str, ...]) -> ZohoError:
    return error(
        "INVALID_DATA", "invalid data", at(api_name, path, supported_values=list(supported))
    )


def _trigger(body: dict[str, Any]) -> list[str] | None:
    """`trigger` absent: every automation runs (None); `[]`: none; else only those listed."""
    trigger = body.get("trigger")
    if "trigger" in body:
        if not isinstance(trigger, list):
            raise type_error("trigger", "$.trigger", "jsonarray")
        for i, kind in enumerate(trigger):
            if kind not in TRIGGERS:
                raise _unsupported("trigger", f"$.trigger[{i}]", TRIGGERS)
    for key, supported in FEATURES.items():
        value = body.get(key, [])
        if not isinstance(value, list):
            raise type_error(key, f"$.{key}", "jsonarray")
        for i, item in enumerate(value):
            if not isinstance(item, dict) or item.get("name") not in supported:
                raise _unsupported("name", f"$.{key}[{i}].name", supported)
    return None if trigger is None else list(trigger)
