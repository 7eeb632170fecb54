"""Record field values: typing and validating what a client writes, per the org's field metadata
(fact sheet core §3.4), into the GET shape mockcrm stores. The request body around the records
(`data`, `trigger`, ...) is checked in record_bodies.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from mockcrm.core.clock import DAY, iso, parse_day, parse_iso
from mockcrm.core.errors import ZohoError
from mockcrm.core.ids import id_text, is_digits
from mockcrm.crm.org import Org
from mockcrm.crm.tag_rules import TAG_NAME_LENGTH, TAGS_PER_RECORD, has_forbidden, tag_color

COLLECTION = "data"
T = TypeVar("T")
# Zoho's limits when a field's metadata carries no `length` (fact sheet §3.4, §5.2).
DEFAULT_LENGTH = {
    "text": 255,
    "textarea": 32000,
    "email": 100,
    "phone": 30,
    "website": 255,
    "picklist": 120,
}
# Digit limits of number fields (Zoho's custom-field help: integer "Maximum 9 digits", decimal
# and currency "Maximum 16 digits"). An integer field's metadata `length` may set fewer digits.
INTEGER_DIGITS = 9
DECIMAL_DIGITS = 16  # of the integer part: decimals are rounded to the field's places, not refused
DECIMAL_KINDS = frozenset({"currency", "double", "decimal"})
# Pipeline picklists take only their stages; other picklists accept new values (§3.4).
RESTRICTED_PICKLISTS = frozenset({"Stage", "Pipeline"})
# Keys of a record in a write that are not field values: its id, and the layout it is entered
# through (Zoho's own update example sends one; layouts are not modelled).
NOT_VALUES = frozenset({"id", "Layout"})
# Modules whose multi-module lookups show their module inside (Zoho's v8 GET of a note:
# `Parent_Id` {module, name, id}; a task's What_Id is {name, id} beside `$se_module`).
MODULE_IN_LOOKUP = frozenset({"Notes"})
# System fields mockcrm sets itself; a value a client sends for them is ignored, as Zoho does.
SYSTEM_FIELDS = frozenset({"Created_Time", "Modified_Time", "Created_By", "Modified_By"})
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
STRING_TYPES = frozenset(DEFAULT_LENGTH)


def error(code: str, message: str, details: dict[str, Any]) -> ZohoError:
    return ZohoError(code, message, details, collection=COLLECTION)


def at(api_name: str, path: str, **extra: Any) -> dict[str, Any]:
    return {**extra, "api_name": api_name, "json_path": path}


def type_error(api_name: str, path: str, expected: str) -> ZohoError:
    return error("INVALID_DATA", "invalid data", at(api_name, path, expected_data_type=expected))


def bad_value(api_name: str, path: str) -> ZohoError:
    message = f"The field value given for {api_name} is invalid"
    return error("INVALID_DATA", message, at(api_name, path))


def too_long(api_name: str, path: str, limit: int) -> ZohoError:
    return error("INVALID_DATA", "invalid data", at(api_name, path, maximum_length=limit))


def unknown_field(api_name: str, path: str) -> ZohoError:
    message = "the field api name given seems to be invalid"
    return error("INVALID_DATA", message, at(api_name, path))


def missing(api_name: str, path: str) -> ZohoError:
    return error("MANDATORY_NOT_FOUND", "required field not found", at(api_name, path))


def is_read_only(field: dict[str, Any]) -> bool:
    return bool(
        field.get("read_only") or field.get("field_read_only") or field["api_name"] in SYSTEM_FIELDS
    )


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def expected_type(field: dict[str, Any]) -> str:
    if field["api_name"] == "Tag" or field.get("json_type") == "jsonarray":
        return "jsonarray"
    if field["data_type"] in ("lookup", "ownerlookup"):
        return "jsonobject"
    return field["data_type"]


def lookup_module(value: Any) -> str | None:
    """The module a lookup value names itself, as v8 notes send their `Parent_Id`:
    `{"module": {"api_name": "Leads", "id": "..."}, "id": "..."}`."""
    module = value.get("module") if isinstance(value, dict) else None
    name = module.get("api_name") if isinstance(module, dict) else None
    return name if isinstance(name, str) else None


def note_parent(note: dict[str, Any]) -> tuple[str | None, str | None]:
    """The module and id of the record a note's `Parent_Id` names (its module inside the value,
    as v8 stores it, or in `$se_module`, the older form)."""
    ref = note.get("Parent_Id")
    module = note.get("$se_module") or lookup_module(ref)
    rid = ref.get("id") if isinstance(ref, dict) else None
    return (module if isinstance(module, str) else None), (rid if isinstance(rid, str) else None)


def display_name(org: Org, module: str, record: dict[str, Any]) -> str:
    """The `name` Zoho shows in a lookup to this record: Full_Name for people, else the
    module's first mandatory text field (Deal_Name, Account_Name, Subject, ...)."""
    names = org.fields_by_name(module)
    if "First_Name" in names and "Last_Name" in names:
        parts = [record.get("First_Name"), record.get("Last_Name")]
        return " ".join(p for p in parts if p)
    main = name_field(org, module)
    return str(record.get(main) or "") if main else ""


def name_field(org: Org, module: str) -> str | None:
    """The module's name field: its first mandatory text field (else its first text field)."""
    return derived(org, module, _name_field)


def derived(org: Org, module: str, build: Callable[[list[dict[str, Any]]], T]) -> T:
    """`build(the module's fields)`, kept while the module's field list is unchanged (records
    are typed and named many times a second; field metadata changes when the seed loads)."""
    fields = org.fields.get(module)
    memos = org.runtime.setdefault("fields_derived", {})
    memo = memos.get((module, build))
    if memo is None or memo[0] is not fields or memo[1] != len(fields or ()):
        memo = memos[(module, build)] = (fields, len(fields or ()), build(fields or []))
    return memo[2]


def _mandatory(fields: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(f["api_name"] for f in fields if f.get("system_mandatory")))


def _name_field(fields: list[dict[str, Any]]) -> str | None:
    texts = [f for f in fields if f["data_type"] == "text"]
    texts = [f for f in texts if f["api_name"] != "Tag"]
    main = next((f for f in texts if f.get("system_mandatory")), texts[0] if texts else None)
    return main["api_name"] if main else None


class ValueTyper:
    """Types one record's values for `module`; collects tags to create when the record applies."""

    def __init__(self, org: Org, module: str) -> None:
        self.org = org
        self.module = module
        self.new_tags: list[str] = []
        self.new_colors: dict[str, str | None] = {}  # a new tag's colour, by its name

    def value(self, field: dict[str, Any], value: Any, path: str) -> Any:
        api, kind = field["api_name"], field["data_type"]
        if value is None and kind == "ownerlookup":
            raise bad_value(api, path)  # a record always has an owner
        if value is None:
            return [] if api == "Tag" else None
        if api == "Tag":
            return self._tags(value, path)
        if kind in STRING_TYPES:
            return self._string(field, value, path)
        if kind == "multiselectpicklist":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise type_error(api, path, expected_type(field))
            return list(value)
        if kind in ("integer", "bigint"):
            number = self._integer(field, value, path)
            if api == "Probability" and not 0 <= number <= 100:
                raise error("INVALID_DATA", "Given Probability is not valid", at(api, path))
            return number
        if kind in ("currency", "double", "percent", "decimal"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise type_error(api, path, kind)
            if kind in DECIMAL_KINDS and abs(value) >= 10**DECIMAL_DIGITS:
                raise bad_value(api, path)
            return value
        if kind == "boolean":
            if not isinstance(value, bool):
                raise type_error(api, path, kind)
            return value
        if kind == "date":
            return self._date(api, value, path)
        if kind == "datetime":
            return self._datetime(api, value, path)
        if kind == "ownerlookup":
            user = self.org.user(self._ref_id(field, value, path))
            if user is None or user.get("status") != "active":
                raise bad_value(api, path)
            return {"name": user["full_name"], "id": user["id"], "email": user["email"]}
        # Other kinds (subform, multi-select lookups, ...) are kept as sent.
        return value

    def lookup(self, field: dict[str, Any], value: Any, path: str, se_module: Any) -> Any:
        """A lookup names a record of its module (or, multi-module, of `$se_module`, or of the
        value's own `module`, as v8 notes send `Parent_Id`: then stored with it, as a note's
        always is, as Zoho's GET of a note shows it)."""
        api = field["api_name"]
        if value is None:
            return None
        rid = self._ref_id(field, value, path)
        if "multi_module_lookup" in field:
            allowed = [m["api_name"] for m in field["multi_module_lookup"]["modules"]]
            target = se_module if se_module in allowed else None
        else:
            target = field.get("lookup", {}).get("module", {}).get("api_name")
        record = self.org.records.get(target or "", {}).get(rid)
        if record is None:
            raise bad_value(api, path)
        ref = {"name": display_name(self.org, target or "", record), "id": rid}
        named = lookup_module(value) is not None or self.module in MODULE_IN_LOOKUP
        if "multi_module_lookup" in field and named:
            return {"module": self.org.module_ref(target or ""), **ref}
        return ref

    # ------------------------------------------------------------------ per kind
    def _string(self, field: dict[str, Any], value: Any, path: str) -> str:
        api, kind = field["api_name"], field["data_type"]
        if not isinstance(value, str):
            raise type_error(api, path, kind)
        limit = field.get("length") or DEFAULT_LENGTH[kind]
        if len(value) > limit:
            raise too_long(api, path, limit)
        if kind == "email" and value and not EMAIL.fullmatch(value):
            raise bad_value(api, path)
        if kind == "picklist" and api in RESTRICTED_PICKLISTS:
            return self._pick(field, value, path)
        return value

    def _pick(self, field: dict[str, Any], value: str, path: str) -> str:
        """Stage and Pipeline store the option's actual_value; its display_value is accepted."""
        for option in field.get("pick_list_values", []):
            if value in (option["actual_value"], option["display_value"]):
                return option["actual_value"]
        raise bad_value(field["api_name"], path)

    def _integer(self, field: dict[str, Any], value: Any, path: str) -> int:
        api, kind = field["api_name"], field["data_type"]
        if kind == "bigint" and isinstance(value, str) and is_digits(value.lstrip("-")):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise type_error(api, path, kind)
        if kind == "integer" and abs(value) >= 10 ** (field.get("length") or INTEGER_DIGITS):
            raise bad_value(api, path)  # more digits than the field holds (the sign is no digit)
        return value

    def _date(self, api: str, value: Any, path: str) -> str:
        if not isinstance(value, str):
            raise type_error(api, path, "date")
        if parse_day(value) is None:
            raise bad_value(api, path)
        return value

    def _datetime(self, api: str, value: Any, path: str) -> str:
        """ISO 8601 with an offset; stored in the org's time zone, as Zoho returns it."""
        if not isinstance(value, str):
            raise type_error(api, path, "datetime")
        try:
            if not DAY.match(value) or "T" not in value:
                raise ValueError(value)
            when = parse_iso(value)
            if not re.search(r"(Z|[+-]\d{2}:\d{2})$", value):
                raise ValueError(value)
        except ValueError:
            raise bad_value(api, path) from None
        return iso(when, self.org.time_zone)

    def _ref_id(self, field: dict[str, Any], value: Any, path: str) -> str:
        """`{"id": "..."}` (name ignored) or a bare id string."""
        api = field["api_name"]
        rid = value.get("id") if isinstance(value, dict) else value
        if isinstance(value, dict) and rid is None:
            raise bad_value(api, path)
        rid = id_text(rid)
        if rid is None:
            raise type_error(api, path, "jsonobject")
        return rid

    def _tags(self, value: Any, path: str) -> list[dict[str, Any]]:
        """`[{"name": ...}]` or `[{"id": ...}]`; an unknown name becomes a new tag (as in Zoho)."""
        if not isinstance(value, list):
            raise type_error("Tag", path, "jsonarray")
        out: list[dict[str, Any]] = []
        for i, item in enumerate(value):
            where = f"{path}[{i}]"
            if not isinstance(item, dict):
                raise type_error("Tag", where, "jsonobject")
            tag_id, name = id_text(item.get("id")), item.get("name")
            if tag_id is not None:
                tag = self.org.tag(self.module, tag_id=tag_id)
                if tag is None:
                    raise bad_value("id", f"{where}.id")
                ref = {"name": tag["name"], "id": tag["id"], "color_code": tag["color_code"]}
            elif isinstance(name, str) and name.strip():
                if len(name) > TAG_NAME_LENGTH:
                    raise too_long("name", f"{where}.name", TAG_NAME_LENGTH)
                if has_forbidden(name):  # a new name creates the tag: the Tags API's rules
                    message = "special characters found in the given name"
                    raise error("INVALID_DATA", message, at("name", f"{where}.name"))
                color = tag_color(item.get("color_code"), f"{where}.color_code", COLLECTION)
                ref = self._tag_by_name(name.strip(), color)
            else:
                raise missing("name", f"{where}.name")
            if all(t["name"].lower() != ref["name"].lower() for t in out):
                out.append(ref)
        if len(out) > TAGS_PER_RECORD:  # counted once duplicates are merged, as they are stored
            raise too_long("Tag", path, TAGS_PER_RECORD)
        return out

    def _tag_by_name(self, name: str, color: str | None = None) -> dict[str, Any]:
        """An existing tag keeps its colour; a new one takes the `color` given with its name."""
        for tag in self.org.tags.get(self.module, []):
            if tag["name"].lower() == name.lower():
                return {"name": tag["name"], "id": tag["id"], "color_code": tag["color_code"]}
        # Names are compared without case, as the Tags API does: "Alpha" and "ALPHA" in one
        # write are one new tag, spelt (and coloured) as first given.
        pending = next((n for n in self.new_tags if n.lower() == name.lower()), None)
        if pending is None:
            pending = name
            self.new_tags.append(name)
            self.new_colors[name] = color
        # The id is given when the record applies (a failed write must allocate nothing).
        return {"name": pending, "id": None, "color_code": self.new_colors[pending]}

    def create_tags(self, values: dict[str, Any]) -> None:
        """Create the record's new tags in the module and fill their ids into `values`."""
        if not self.new_tags:
            return
        created: dict[str, str] = {}
        now = self.org.now()
        for name in self.new_tags:
            tag = {
                "id": self.org.ids.next(),
                "name": name,
                "color_code": self.new_colors.get(name),
                "created_time": now,
                "modified_time": now,
                "created_by": self.org.actor(),
                "modified_by": self.org.actor(),
            }
            self.org.tags.setdefault(self.module, []).append(tag)
            created[name] = tag["id"]
        for ref in values.get("Tag") or []:
            if ref["id"] is None:
                ref["id"] = created[ref["name"]]


def typed_record(
    org: Org, module: str, raw: Any, index: int, existing: dict[str, Any] | None
) -> tuple[dict[str, Any], ValueTyper]:
    """One body record -> the values to store (`existing` is None on insert). Raises the
    record's first error; changes nothing."""
    root = f"$.data[{index}]"
    if not isinstance(raw, dict):
        raise type_error("data", root, "jsonobject")
    fields = org.fields_by_name(module)  # read-only: the org's own index
    typer = ValueTyper(org, module)
    values: dict[str, Any] = {}
    se_module = raw.get("$se_module", (existing or {}).get("$se_module"))
    for key, value in raw.items():
        path = f"{root}.{key}"
        if key == "$se_module":
            if not isinstance(value, str) or value not in org.modules:
                raise error("INVALID_DATA", "invalid data", at(key, path))
            values[key] = value
            continue
        if key in NOT_VALUES or key.startswith("$"):
            continue  # ids, layouts and `$` keys ($approved, $append_values, ...) are not values
        fld = fields.get(key)
        if fld is None:
            if fields:
                raise unknown_field(key, path)
            values[key] = value  # a module without field metadata keeps what it is sent
        elif is_read_only(fld):
            continue
        elif fld.get("system_mandatory") and is_empty(value):
            raise missing(key, path)
        elif fld["data_type"] == "lookup":
            target = se_module or lookup_module(value)
            if "multi_module_lookup" in fld and value is not None and target is None:
                raise missing("$se_module", f"{root}.$se_module")
            values[key] = typer.lookup(fld, value, path, target)
        else:
            values[key] = typer.value(fld, value, path)
    if existing is None:
        for api_name in derived(org, module, _mandatory):
            if is_empty(raw.get(api_name)):
                raise missing(api_name, f"{root}.{api_name}")
    return values, typer
