"""Merge fields: `${Deals.Amount}`, `${!Deals.Owner}`, `${Deals.Deal Name}` in templates, webhook
URLs/bodies/headers and action field mappings, rendered from one record.

A placeholder names the record's module and one of its fields, by api name or by field label
(`${Deals.Deal_Name}` = `${Deals.Deal Name}`); the `!` prefix Zoho uses in webhooks and e-mail
recipients means the same field. `Id` is the record id. Lookups and owners render as their
`name`, multi-selects and tags as names joined with ", ", booleans as true/false, whole numbers
without a decimal point, empty values as "". A placeholder of another module (or `${CURRENTTIME}`-
style system tokens) is left as written: mockcrm does not follow lookups inside merge fields."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from mockcrm.crm.org import Org

PLACEHOLDER = re.compile(r"\$\{!?([A-Za-z][A-Za-z0-9_]*)\.([^{}]+?)\}")
ID_NAMES = frozenset({"id", "Id", "ID", "Record Id", "Record_Id"})
MISSING = object()
SYSTEM_TOKEN = re.compile(r"\$\{[A-Z][A-Z_]*\}")  # ${CURRENTTIME}, ${CURRENTDATE}, ...


def field_api_name(org: Org, module: str, name: str) -> str | None:
    """The api name a merge field names: api name first, then the field label (any case)."""
    name = name.strip()
    if name in ID_NAMES:
        return "id"
    # Answers are kept per module while its field list is unchanged (merge fields are resolved
    # for every e-mail and webhook the engine sends).
    fields = org.fields.get(module, [])
    memos = org.runtime.setdefault("merge_names", {})
    memo = memos.get(module)
    if memo is None or memo[0] is not fields or memo[1] != len(fields) or len(memo[2]) > 1000:
        memo = memos[module] = (fields, len(fields), {})
    if name not in memo[2]:
        memo[2][name] = _lookup(fields, name)
    return memo[2][name]


def _lookup(fields: list[dict[str, Any]], name: str) -> str | None:
    for fld in fields:
        if fld["api_name"] == name:
            return name
    folded = name.casefold()
    for fld in fields:
        labels = (fld.get("field_label"), fld.get("display_label"), fld["api_name"])
        if any(isinstance(label, str) and label.casefold() == folded for label in labels):
            return fld["api_name"]
    return None


def value(org: Org, module: str, record: dict[str, Any], token: str) -> Any:
    """The stored value one placeholder names (typed: an Owner is `{name, id, email}`), None for
    an empty or unknown field of the record's module, MISSING when it names something else."""
    match = PLACEHOLDER.fullmatch(token.strip())
    if match is None or match.group(1) != module:
        return MISSING
    api = field_api_name(org, module, match.group(2))
    return record.get(api) if api else None


def text(val: Any) -> str:
    """A stored value as the text Zoho puts in a template."""
    if val is None or val is MISSING:
        return ""
    if isinstance(val, bool):
        return "true" if val else "false"
    if isinstance(val, float) and val.is_integer():
        return str(int(val))
    if isinstance(val, dict):
        return str(val.get("name") or val.get("id") or "")
    if isinstance(val, list):
        return ", ".join(t for t in (text(v) for v in val) if t)
    return str(val)


def render(
    org: Org,
    module: str,
    record: dict[str, Any],
    template: str,
    escape: Callable[[str], str] | None = None,
) -> str:
    """`template` with each placeholder of `module` replaced by the record's value (through
    `escape`, e.g. JSON string escaping for a JSON body); other placeholders stay as written."""

    def one(match: re.Match[str]) -> str:
        val = value(org, module, record, match.group(0))
        if val is MISSING:
            return match.group(0)
        out = text(val)
        return escape(out) if escape else out

    return PLACEHOLDER.sub(one, template)


def single(template: Any) -> bool:
    """True when `template` is exactly one placeholder (its typed value can be used as is)."""
    return isinstance(template, str) and PLACEHOLDER.fullmatch(template.strip()) is not None


def is_template(org: Org, module: str, value: Any) -> bool:
    """Text with at least one placeholder, each a system token, a field of `module` (its own
    records' fields are known) or a field of another module (reached through a lookup)."""
    if not isinstance(value, str):
        return False
    placeholders = PLACEHOLDER.findall(value)
    if not placeholders and not SYSTEM_TOKEN.search(value):
        return False
    return all(
        named != module or field_api_name(org, module, name) is not None
        for named, name in placeholders
    )
