"""PUT .../workflow_rules/actions/reorder: move rules within a module's execution order."""

from __future__ import annotations

from typing import Any

from mockcrm.core.errors import ZohoError, param_missing, success_item
from mockcrm.crm.org import Org
from mockcrm.crm.rule_errors import COLLECTION

MAX_ITEMS = 10


def reorder(org: Org, module: str | None, body: Any) -> list[dict[str, Any]]:
    """Move the named rules to the given 1-based positions of the module's execution order."""
    if not module:
        raise param_missing("module", "required param not found")
    if module not in org.modules:
        raise ZohoError("INVALID_MODULE", "Invalid Module", {"param_name": "module"})
    wrapper = body.get("reorder") if isinstance(body, dict) else None
    items = wrapper.get(COLLECTION) if isinstance(wrapper, dict) else None
    path = f"$.reorder.{COLLECTION}"
    if not isinstance(items, list) or not items:
        raise _reorder_error(
            "INVALID_DATA", "Invalid data type", COLLECTION, path, expected_data_type="jsonarray"
        )
    if len(items) > MAX_ITEMS:
        raise _reorder_error(
            "INVALID_DATA", "Invalid data", COLLECTION, path, maximum_length=MAX_ITEMS
        )
    order = org.rule_order.get(module, [])
    moves: dict[int, str] = {}
    for k, item in enumerate(items):
        ipath = f"{path}[{k}]"
        fields = item if isinstance(item, dict) else {}
        absent = [key for key in ("id", "module_specific_sequence") if key not in fields]
        if absent:
            key = absent[0]
            raise _reorder_error(
                "MANDATORY_NOT_FOUND", "The required data missing", key, f"{ipath}.{key}"
            )
        rid, seq = item["id"], item["module_specific_sequence"]
        if rid not in order:
            raise _reorder_error("INVALID_DATA", "Invalid process id", "id", f"{ipath}.id")
        if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= len(order):
            raise _reorder_error(
                "INVALID_DATA",
                "Invalid sequence number is given",
                "module_specific_sequence",
                f"{ipath}.module_specific_sequence",
            )
        if rid in moves.values():
            raise _reorder_error("INVALID_DATA", "duplicate data", "id", f"{ipath}.id")
        if seq in moves:
            raise _reorder_error(
                "INVALID_DATA",
                "duplicate data",
                "module_specific_sequence",
                f"{ipath}.module_specific_sequence",
            )
        moves[seq] = rid
    rest = iter(r for r in order if r not in moves.values())
    org.rule_order[module] = [
        moves[p] if p in moves else next(rest) for p in range(1, len(order) + 1)
    ]
    return [success_item(item["id"], "rules reordered successfully") for item in items]


def _reorder_error(code: str, message: str, api_name: str, path: str, **extra: Any) -> ZohoError:
    details = {"api_name": api_name, **extra, "json_path": path}
    return ZohoError(code, message, details, collection="reorder")
