"""page/per_page parsing and Zoho's `info` block (an empty page is rendered as 204)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from mockcrm.core.errors import ZohoError, param_invalid, param_missing

T = TypeVar("T")
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class Page:
    page: int = 1
    per_page: int = MAX_PER_PAGE

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Page:
        return cls(_int_param(args, "page", 1, None), _int_param(args, "per_page", 1, MAX_PER_PAGE))

    def slice(self, items: Sequence[T]) -> tuple[list[T], dict[str, Any]]:
        start = (self.page - 1) * self.per_page
        chunk = list(items[start : start + self.per_page])
        info = {
            "per_page": self.per_page,
            "count": len(chunk),
            "page": self.page,
            "more_records": start + self.per_page < len(items),
        }
        return chunk, info


def _int_param(args: Mapping[str, str], name: str, low: int, high: int | None) -> int:
    raw = args.get(name)
    if raw is None:
        return low if name == "page" else (high or low)
    try:
        value = int(raw)
    except ValueError:
        raise param_invalid(name) from None
    if value < low or (high is not None and value > high):
        raise param_invalid(name)
    return value


def id_list(raw: str | None, limit: int) -> list[str]:
    """The `ids=a,b,c` parameter of bulk calls: mandatory, at most `limit` ids."""
    if not raw:
        raise param_missing("ids")
    ids = [i.strip() for i in raw.split(",") if i.strip()]
    if not ids:
        raise param_missing("ids")
    if len(ids) > limit:
        raise ZohoError(
            "INVALID_DATA",
            "Ids maximum length exceeded",
            {"maximum_length": limit, "param_name": "ids"},
        )
    return ids


def name_filter(raw: str, param: str, max_length: int | None = None) -> str:
    """Zoho's one list filter (rules and action entities): the JSON criterion
    `{"field": {"api_name": "name"}, "comparator": "contains", "value": "..."}` -> the value."""
    try:
        crit = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: absurdly deep JSON
        raise param_invalid(param) from None
    field = crit.get("field") if isinstance(crit, dict) else None
    ok = (
        isinstance(field, dict)
        and field.get("api_name") == "name"
        and crit.get("comparator") == "contains"
        and isinstance(crit.get("value"), str)
        and (max_length is None or len(raw) <= max_length)
    )
    if not ok:
        raise param_invalid(param)
    return crit["value"]
