"""The one JSON parser for request bodies (and the journal's copies of them), the one deep
copy of JSON-like data and the one canonical text form of a JSON value."""

from __future__ import annotations

import json
import math
import pickle
from typing import Any, TypeVar

import orjson

# Deeper than any Zoho body (a rule with MAX_CRITERIA_DEPTH nested criteria groups is ~60).
MAX_JSON_DEPTH = 100
T = TypeVar("T")
# orjson reads an integer beyond 64 bits as a float: 20 digits may exceed them, and so may 19
# after a minus sign (below -2**63). Runs are found with every digit read as 0 (bytes.translate
# and substring searches, in C: a regex took 3.6 us of a rule create's 300-byte body, this 0.4).
DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
LONG_DIGITS = b"0" * 20
LONG_NEGATIVE = b"-" + b"0" * 19


def parse_json(raw: bytes | str) -> Any:
    """JSON text -> value. ValueError when malformed or nested deeper than MAX_JSON_DEPTH:
    CPython's parser raises RecursionError on very deep input, and a merely deep value would
    blow the stack later (deepcopy, rendering), so depth is refused here, once.

    orjson parses (several times faster). The standard library parses what orjson refuses
    and it accepts (lone surrogates, a BOM, depth past 1024), and any text with a run of 20
    digits (19 after a minus sign), which orjson would read as a float where it is an exact
    integer: the values are exactly those of the standard library. NaN, Infinity and numbers
    beyond a double (1e400) are not JSON (RFC 8259): both parsers refuse them, so no value
    stored reads back as null."""
    try:
        value = _loads(raw)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if _openers(raw) > MAX_JSON_DEPTH and _depth_exceeds(value, MAX_JSON_DEPTH):
        raise ValueError("nested too deeply")
    return value


def _loads(raw: bytes | str) -> Any:
    text = (raw if isinstance(raw, bytes) else raw.encode()).translate(DIGITS_AS_ZERO)
    if LONG_DIGITS not in text and LONG_NEGATIVE not in text:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass  # perhaps one the standard library accepts
    return json.loads(raw, parse_constant=_not_json, parse_float=_finite)


def _not_json(token: str) -> Any:
    raise ValueError(f"{token} is not JSON")


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise ValueError(f"{text} is beyond a double")
    return number


def _openers(raw: bytes | str) -> int:
    """An upper bound of the nesting depth, counted in C: most bodies need no walk at all."""
    if isinstance(raw, str):
        return raw.count("[") + raw.count("{")
    return raw.count(b"[") + raw.count(b"{")


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


def shared_strings(value: T) -> T:
    """A copy of JSON-like data in which equal strings are one object. Pickled, each string is
    then written once and referred to after: a seed template's pickle shrinks by a third and
    loads (a new isolated org) about 20% faster. Strings are immutable, so sharing them is
    invisible."""
    memo: dict[str, str] = {}

    def walk(item: Any) -> Any:
        if isinstance(item, str):
            return memo.setdefault(item, item)
        if isinstance(item, dict):
            return {
                memo.setdefault(k, k) if isinstance(k, str) else k: walk(v) for k, v in item.items()
            }
        if isinstance(item, list):
            return [walk(v) for v in item]
        return item

    return walk(value)


def dumps_canonical(value: Any) -> str:
    """A stable text form of a JSON value, to compare criteria and actions for duplicates.
    The standard library's, not orjson's: orjson writes NaN and Infinity as null, which would
    make them duplicates of a null."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
