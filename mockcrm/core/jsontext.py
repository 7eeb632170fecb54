"""The one JSON parser for request bodies (and the journal's copies of them), the one deep
copy of JSON-like data and the one canonical text form of a JSON value."""

from __future__ import annotations

import json
import pickle
from typing import Any, TypeVar

# Deeper than any Zoho body (a rule with MAX_CRITERIA_DEPTH nested criteria groups is ~60).
MAX_JSON_DEPTH = 100
T = TypeVar("T")


def parse_json(raw: bytes | str) -> Any:
    """JSON text -> value. ValueError when malformed or nested deeper than MAX_JSON_DEPTH:
    CPython's parser raises RecursionError on very deep input, and a merely deep value would
    blow the stack later (deepcopy, rendering), so depth is refused here, once."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if _depth_exceeds(value, MAX_JSON_DEPTH):
        raise ValueError("nested too deeply")
    return value


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Iterative (the point is not to recurse): is any array/object nested deeper than limit?"""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in item)
    return False


def clone(value: T) -> T:
    """A deep copy of JSON-like data (dicts, lists, strings, numbers...): a pickle round trip is
    several times faster than copy.deepcopy, which writes of every request pay."""
    return pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def dumps_canonical(value: Any) -> str:
    """A stable text form of a JSON value, to compare criteria and actions for duplicates."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
