"""Evaluating Zoho criteria trees against records: rule conditions and field-update triggers.

Criteria arrive as criteria_rules.py stores them (fact sheet §3.3). Values are typed by the
field's `data_type`. Where Zoho documents no behaviour the choice made here is the one the README
lists under "Fidelity notes":
- text comparisons ignore case; `like` takes `%` / `*` as wildcards (whole value) and is a
  substring test without them;
- negative comparators (not_equal, not_like, not_contains, not_in, not_between, exclude_*) are
  the exact negation of their positive twin, so an empty field satisfies them;
- a list value (equal/not_equal/text comparators) is any-of / none-of; a list-valued field
  (multiselect, Tag, multi lookups) matches a scalar comparator when any element does;
- ordering comparators apply to numbers and dates only; a date value is the whole day in the
  org's time zone (`greater_than 2025-12-01` = from Dec 2 on), a datetime value is that second;
- relative dates use `now` in the org's time zone, weeks run Monday-Sunday, the fiscal year
  starts in January (Zoho's default), `${LAST_N_*}` / `${NEXT_N_*}` exclude the current period
  (as Zoho's spec says), `${AGEINDAYS}+n` / `${DUEINDAYS}+n` compare the age / days-until;
- relationship notation (`Deals__r.Stage`), unknown fields, merge fields of other modules or
  through lookups, and values that cannot be typed never match.
"""

from __future__ import annotations

import fnmatch
import operator
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from mockcrm.core.clock import parse_iso
from mockcrm.crm.date_values import predefined
from mockcrm.crm.org import Org

EMPTY, NOTEMPTY, ANYVALUE = "${EMPTY}", "${NOTEMPTY}", "${ANYVALUE}"
CURRENTUSER, CURRENTUSERROLE = "${CURRENTUSER}", "${CURRENTUSERROLE}"
NUMERIC = frozenset({"currency", "double", "integer", "percent", "bigint", "decimal", "long"})
TEMPORAL = frozenset({"date", "datetime"})
# Each negative comparator is the exact negation of its positive twin.
NEGATIONS = {f"not_{c}": c for c in ("equal", "like", "contains", "in", "between")}
TEXT_COMPARATORS = frozenset({"like", "contains", "starts_with", "ends_with"})
ORDER = {
    "less_than": operator.lt,
    "less_equal": operator.le,
    "greater_than": operator.gt,
    "greater_equal": operator.ge,
}
ORDERING = frozenset(ORDER)
SET_COMPARATORS = frozenset({"include_all", "include_any", "exclude_all", "exclude_any"})
# `${AGEINDAYS}+n` counts backwards: "age less than n" is "date later than n days ago".
MIRRORED = {
    "less_than": "greater_than",
    "less_equal": "greater_equal",
    "greater_than": "less_than",
    "greater_equal": "less_equal",
}
MERGE = re.compile(r"\$\{!?([A-Za-z0-9_]+)\.([A-Za-z0-9_.]+)\}")
UNRESOLVED = object()  # a merge/field reference that names nothing on this record
Span = tuple[datetime | None, datetime | None]  # [lo, hi); None = unbounded


class Context:
    """One record being evaluated. The time zone and today are worked out when a date criterion
    first needs them: most criteria compare picklists and numbers."""

    def __init__(self, org: Org, module: str, record: dict, now: datetime | None = None) -> None:
        self.org, self.module, self.record = org, module, record
        self._now = now

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.org.time_zone)

    @cached_property
    def today(self) -> date:
        return (self._now or self.org.instant()).astimezone(self.tz).date()

    def midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(), tzinfo=self.tz)


def matches(
    org: Org, module: str, criteria: dict | None, record: dict, *, now: datetime | None = None
) -> bool:
    """Whether `record` (GET shape) satisfies `criteria`; None criteria = every record."""
    if not criteria:
        return True
    return _evaluate(Context(org, module, record, now), criteria)


def field_update_matches(
    org: Org,
    module: str,
    criteria: dict,
    before: dict | None,
    after: dict,
    *,
    now: datetime | None = None,
) -> bool:
    """The field_update trigger: a criterion fires when its field changed between `before` and
    `after` (before None = the record was created: a field given a value changed) and the new
    value satisfies it; `${ANYVALUE}` = any change. In a group, AND needs every member satisfied
    and at least one member's field changed; OR needs one member changed and satisfied."""
    ctx = Context(org, module, after, now)
    return _trigger(ctx, criteria, before)[1]


def _evaluate(ctx: Context, criteria: dict) -> bool:
    if "group" in criteria:
        results = (_evaluate(ctx, member) for member in criteria.get("group") or [])
        return any(results) if _is_or(criteria) else all(results)
    return _simple(ctx, criteria)


def _is_or(criteria: dict) -> bool:
    return str(criteria.get("group_operator", "AND")).upper() == "OR"


def _trigger(ctx: Context, criteria: dict, before: dict | None) -> tuple[bool, bool]:
    """(satisfied by the new values, satisfied and fired by a change)."""
    if "group" in criteria:
        parts = [_trigger(ctx, member, before) for member in criteria.get("group") or []]
        if _is_or(criteria):
            return any(s for s, _ in parts), any(f for _, f in parts)
        satisfied = all(s for s, _ in parts)
        return satisfied, satisfied and any(f for _, f in parts)
    api_name = _api_name(criteria)
    if _field(ctx, api_name) is None:
        return False, False
    changed = _changed(before, ctx.record, api_name)
    if criteria.get("comparator") == ANYVALUE:
        return changed, changed
    satisfied = _simple(ctx, criteria)
    return satisfied, satisfied and changed


def _changed(before: dict | None, after: dict, api_name: str) -> bool:
    new = _canonical(after.get(api_name))
    if before is None:
        return new is not None
    return _canonical(before.get(api_name)) != new


def _canonical(value: Any) -> Any:
    """A value for change detection: lookups by id, lists as sets, empties as None."""
    if _is_empty(value):
        return None
    if isinstance(value, dict):
        return value.get("id", repr(sorted(value.items())))
    if isinstance(value, list):
        return frozenset(str(_canonical(v)) for v in value)
    return value


def _api_name(criteria: dict) -> str | None:
    ref = criteria.get("field")
    return ref.get("api_name") if isinstance(ref, dict) else None


def _field(ctx: Context, api_name: str | None) -> dict | None:
    # Relationship notation (Deals__r.Stage) reads another module's records: never matches.
    if not api_name or "." in api_name:
        return None
    return ctx.org.field(ctx.module, api_name)


def _simple(ctx: Context, criteria: dict) -> bool:
    api_name = _api_name(criteria)
    field = _field(ctx, api_name)
    if field is None:
        return False
    return resolved_compare(ctx, field, api_name, criteria)


def resolved_compare(ctx: Context, field: dict, api_name: Any, criteria: dict) -> bool:
    """A simple criterion whose field is known: resolve its value(s), then compare."""
    values: list[Any] = []
    for value in _as_list(criteria.get("value")):
        resolved = _resolve(ctx, criteria.get("type"), value)
        if resolved is UNRESOLVED:
            return False
        # Another field's multiselect value stands for each of its options.
        values.extend(_as_list(resolved) if value is not resolved else [resolved])
    return _compare(ctx, field, criteria.get("comparator"), ctx.record.get(api_name), values)


def _resolve(ctx: Context, value_type: str | None, value: Any) -> Any:
    """The criterion value itself, or for `field` / `merge_field` the record's value it names."""
    if value_type == "field":
        name = value.get("api_name") if isinstance(value, dict) else value
        whole = MERGE.fullmatch(name) if isinstance(name, str) else None
        return _merge(ctx, whole) if whole else _own_value(ctx, name)
    if value_type == "merge_field" and isinstance(value, str):
        whole = MERGE.fullmatch(value)
        if whole:
            return _merge(ctx, whole)
        parts = [_merge(ctx, m) for m in MERGE.finditer(value)]
        if UNRESOLVED in parts:
            return UNRESOLVED
        texts = iter(_text(p) for p in parts)
        return MERGE.sub(lambda _m: next(texts), value)
    return value


def _merge(ctx: Context, token: re.Match) -> Any:
    module, api_name = token.group(1), token.group(2)
    return _own_value(ctx, api_name) if module == ctx.module else UNRESOLVED


def _own_value(ctx: Context, api_name: Any) -> Any:
    if not isinstance(api_name, str) or _field(ctx, api_name) is None:
        return UNRESOLVED
    return ctx.record.get(api_name)


def _compare(ctx: Context, field: dict, comparator: Any, raw: Any, values: list) -> bool:
    kind = field["data_type"]
    if kind == "boolean" and raw is None:
        raw = False  # an unticked checkbox
    if len(values) == 1 and values[0] in (EMPTY, NOTEMPTY):
        want_empty = (values[0] == EMPTY) != (comparator in NEGATIONS)
        return _is_empty(raw) == want_empty
    if comparator in NEGATIONS:
        return not _compare(ctx, field, NEGATIONS[comparator], raw, values)
    items = raw if isinstance(raw, list) else ([] if _is_empty(raw) else [raw])
    if comparator in SET_COMPARATORS:
        hits = [any(_equal(ctx, field, item, v) for item in items) for v in values]
        return {
            "include_all": all(hits),
            "include_any": any(hits),
            "exclude_all": not any(hits),
            "exclude_any": not all(hits),
        }[comparator]
    if comparator in ("equal", "in"):
        return any(_equal(ctx, field, item, v) for item in items for v in values)
    if comparator in TEXT_COMPARATORS:
        return any(_text_match(comparator, item, v) for item in items for v in values)
    if comparator in ORDERING and len(values) == 1:
        return any(_order(ctx, field, comparator, item, values[0]) for item in items)
    if comparator == "between" and len(values) == 2:
        return any(_between(ctx, field, item, values[0], values[1]) for item in items)
    return False


def _equal(ctx: Context, field: dict, item: Any, value: Any) -> bool:
    kind = field["data_type"]
    if isinstance(item, dict):
        return _lookup_equal(ctx, item, value)
    if kind in NUMERIC:
        left, right = _number(item), _number(value)
        return left is not None and left == right
    if kind == "boolean":
        return _boolean(value) is not None and _boolean(item) == _boolean(value)
    if kind in TEMPORAL:
        return _order(ctx, field, "greater_equal", item, value) and _order(
            ctx, field, "less_equal", item, value
        )
    if kind in ("picklist", "multiselectpicklist"):
        return _text(item).casefold() == _picklist_value(field, value)
    return not isinstance(value, dict) and _text(item).casefold() == _text(value).casefold()


def _lookup_equal(ctx: Context, item: dict, value: Any) -> bool:
    """A lookup matches by id, by name, or the acting user (`${CURRENTUSER}`) / their role."""
    if isinstance(value, dict):
        if value.get("id") == CURRENTUSERROLE:
            return _same_role(ctx, item.get("id"))
        if value.get("id") not in (None, ""):
            return _lookup_equal(ctx, item, value["id"])
        value = value.get("name")
    if value == CURRENTUSER:
        return item.get("id") == ctx.org.current_user_id
    if isinstance(value, int | str) and not isinstance(value, bool):
        text = str(value)
        return item.get("id") == text or _text(item.get("name")).casefold() == text.casefold()
    return False


def _same_role(ctx: Context, user_id: Any) -> bool:
    user, me = ctx.org.user(str(user_id)), ctx.org.user(ctx.org.current_user_id)
    role = (user or {}).get("role") or {}
    return bool(role) and role.get("id") == ((me or {}).get("role") or {}).get("id")


def _text_match(comparator: str, item: Any, value: Any) -> bool:
    if isinstance(value, dict | list) or value is None:
        return False
    text, pattern = _text(item).casefold(), _text(value).casefold()
    if comparator == "starts_with":
        return text.startswith(pattern)
    if comparator == "ends_with":
        return text.endswith(pattern)
    if comparator == "like" and ("%" in pattern or "*" in pattern):
        glob = "".join("*" if c in "%*" else f"[{c}]" if c in "?[]" else c for c in pattern)
        return fnmatch.fnmatchcase(text, glob)
    return pattern in text


def _order(ctx: Context, field: dict, comparator: str, item: Any, value: Any) -> bool:
    kind = field["data_type"]
    if kind in NUMERIC:
        left, right = _number(item), _number(value)
        return left is not None and right is not None and ORDER[comparator](left, right)
    try:
        return _order_in_time(ctx, field, comparator, item, value)
    except (OverflowError, ValueError):  # a date beyond the calendar (year 0 or 10000)
        return False


def _order_in_time(ctx: Context, field: dict, comparator: str, item: Any, value: Any) -> bool:
    instant = _instant(ctx, item) if field["data_type"] in TEMPORAL else None
    span = _span(ctx, field, value) if instant else None
    if instant is None or span is None:
        return False
    if isinstance(value, str) and value.startswith("${AGEINDAYS}"):
        comparator = MIRRORED[comparator]
    # A date value is a stretch of time: before its start, before its end, from its end on,
    # from its start on. An open end (None) is beyond every instant.
    lo, hi = span
    bound = lo if comparator in ("less_than", "greater_equal") else hi
    if bound is None:
        return comparator in ("less_equal", "greater_equal")
    return instant < bound if comparator.startswith("less") else instant >= bound


def _between(ctx: Context, field: dict, item: Any, low: Any, high: Any) -> bool:
    return _order(ctx, field, "greater_equal", item, low) and _order(
        ctx, field, "less_equal", item, high
    )


def _picklist_value(field: dict, value: Any) -> str:
    """The actual value a criterion names, by actual value first, else by display value."""
    wanted = _text(value).casefold()
    options = field.get("pick_list_values") or []
    for key in ("actual_value", "display_value"):
        for option in options:
            if _text(option.get(key)).casefold() == wanted:
                return _text(option.get("actual_value")).casefold()
    return wanted


def _span(ctx: Context, field: dict, value: Any) -> Span | None:
    """The stretch of time a date criterion value stands for."""
    if not isinstance(value, str):
        return None
    period = predefined(ctx.today, value)
    if period is not None:
        lo, hi = period
        return (ctx.midnight(lo) if lo else None, ctx.midnight(hi) if hi else None)
    instant = _instant(ctx, value)
    if instant is None:
        return None
    if len(value) == 10 or field["data_type"] == "date":
        day = ctx.midnight(instant.astimezone(ctx.tz).date())
        # The calendar's last day (a "never" sentinel, 9999-12-31) has no day after: open end.
        after = ctx.midnight(day.date() + timedelta(days=1)) if day.date() < date.max else None
        return day, after
    return instant, instant + timedelta(seconds=1)


def _instant(ctx: Context, value: Any) -> datetime | None:
    """A record's date (its midnight in the org's zone) or datetime as an aware instant."""
    if not isinstance(value, str):
        return None
    try:
        if len(value) == 10:
            return ctx.midnight(date.fromisoformat(value))
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=ctx.tz) if parsed.tzinfo is None else parse_iso(value)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    return {"true": True, "false": False}.get(str(value).strip().lower())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return _text(value.get("name"))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}
