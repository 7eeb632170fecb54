"""Tags on records (fact sheet core §4.6): `POST /{module}/{id}/actions/add_tags` and
`remove_tags`, for one record or for the `ids` a bulk body names.

The request's tags are checked first (an id must be a tag of the module; a name follows the Tags
API's rules), then each record's new tag list is written as the records API writes a `Tag` list
(record_values: ids, or names that create the tag), so the two APIs agree. Adding or removing
tags changes the record's Modified_Time and fires no workflow rule (Zoho documents no tag trigger).
"""

from __future__ import annotations

from typing import Any

from mockcrm.core.clock import parse_iso
from mockcrm.core.errors import ZohoError, batch_status, param_missing, success_item
from mockcrm.core.ids import id_text, is_id
from mockcrm.core.pagination import id_list
from mockcrm.crm.org import Org
from mockcrm.crm.record_values import COLLECTION, typed_record
from mockcrm.crm.records import edit_values, module_of
from mockcrm.crm.tag_rules import TAG_NAME_LENGTH, TAGS_PER_RECORD, has_forbidden, tag_color

MAX_IDS = 500  # records per bulk call (Zoho's docs)
MAX_TAGS = 10  # tags per call
MESSAGE = "tags updated successfully"


def _invalid(api_name: str, path: str, message: str = "invalid data", **extra: Any) -> ZohoError:
    return ZohoError("INVALID_DATA", message, {**extra, "api_name": api_name, "json_path": path})


def change_tags(
    org: Org, module: str, body: Any, record_id: str | None, *, add: bool
) -> tuple[int, dict[str, Any]]:
    """(status, response body) of an add_tags / remove_tags call; a bulk call answers per record
    (200 all, 207 mixed, 400 none) with Zoho's `locked_count` (no record is ever locked here)."""
    module = module_of(org, module, COLLECTION)
    if org.field(module, "Tag") is None:  # Notes, linking modules...: no tags
        raise ZohoError("INVALID_MODULE", "the given module is not supported for this api")
    if not isinstance(body, dict):
        raise ZohoError("INVALID_DATA", "either the request body or parameters is in wrong format")
    tags = _requested_tags(org, module, body.get("tags"))
    over_write = body.get("over_write", False)
    if not isinstance(over_write, bool):
        raise _invalid(
            "over_write", "$.over_write", "Invalid data type", expected_data_type="boolean"
        )
    records = org.records.get(module, {})
    if record_id is not None:
        if not is_id(record_id) or record_id not in records:
            message = "the id given seems to be invalid"
            raise ZohoError("INVALID_DATA", message, {"resource_path_index": 1})
        item = _write(org, module, records[record_id], tags, add, over_write)
        item["details"] = {"modifiedTime": _modified(org, records[record_id]), **item["details"]}
        return 200, {COLLECTION: [item]}
    items = []
    for rid in _bulk_ids(body.get("ids")):
        if rid not in records:
            unknown = ZohoError("INVALID_DATA", "the id given seems to be invalid", {"id": rid})
            items.append(unknown.item())
            continue
        try:
            items.append(_write(org, module, records[rid], tags, add, over_write))
        except ZohoError as failed:  # this record only (its tag limit): the others still apply
            items.append({**failed.item(), "details": {**failed.details, "id": rid}})
    return batch_status(items), {COLLECTION: items, "locked_count": "0"}


def _requested_tags(org: Org, module: str, tags: Any) -> list[dict[str, str]]:
    """`[{"id"} | {"name"[, "color_code"]}]`: an id must be a tag of the module (it wins over a
    name); a colour given with a name is checked as the Tags API checks it and colours the tag
    the name creates (an existing tag keeps its own)."""
    if not isinstance(tags, list) or not tags:
        raise ZohoError(
            "MANDATORY_NOT_FOUND",
            "required field not found",
            {"api_name": "tags", "json_path": "$.tags"},
        )
    if len(tags) > MAX_TAGS:
        raise _invalid("tags", "$.tags", maximum_length=MAX_TAGS)
    wanted = []
    for i, tag in enumerate(tags):
        path = f"$.tags[{i}]"
        if not isinstance(tag, dict):
            raise _invalid("tags", path, "Invalid data type", expected_data_type="jsonobject")
        tag_id, name = id_text(tag.get("id")), tag.get("name")
        if tag_id is not None:
            if org.tag(module, tag_id=tag_id) is None:
                raise _invalid("id", f"{path}.id")
            wanted.append({"id": tag_id})
        elif isinstance(name, str) and name.strip():
            name = name.strip()
            if len(name) > TAG_NAME_LENGTH:
                raise _invalid(
                    "name", f"{path}.name", "Invalid data", maximum_length=TAG_NAME_LENGTH
                )
            if has_forbidden(name):
                raise _invalid("name", f"{path}.name", "special characters found in the given name")
            # Request-level here: every record would refuse it.
            color = tag_color(tag.get("color_code"), f"{path}.color_code", None)
            wanted.append({"name": name} if color is None else {"name": name, "color_code": color})
        else:
            raise ZohoError(
                "MANDATORY_NOT_FOUND",
                "required field not found",
                {"api_name": "name", "json_path": f"{path}.name"},
            )
    return wanted


def _bulk_ids(raw: Any) -> list[str]:
    """`ids` of a bulk body: a list (or comma text) of 1-500 record ids."""
    if raw is None or raw == [] or raw == "":
        raise param_missing("ids")
    if isinstance(raw, list):
        ids = [id_text(value) for value in raw]
        if any(rid is None for rid in ids):
            raise _invalid("ids", "$.ids", "Invalid data type", expected_data_type="jsonarray")
        if len(ids) > MAX_IDS:
            raise _invalid("ids", "$.ids", maximum_length=MAX_IDS)
        return list(dict.fromkeys(rid for rid in ids if rid is not None))
    if isinstance(raw, str):
        return id_list(raw, MAX_IDS)
    raise _invalid("ids", "$.ids", "Invalid data type", expected_data_type="jsonarray")


def _write(
    org: Org, module: str, record: dict, tags: list[dict[str, str]], add: bool, over_write: bool
) -> dict[str, Any]:
    current = [{"id": t["id"]} for t in record.get("Tag") or []]
    if add:
        new = tags if over_write else current + tags
    else:
        ids = {t["id"] for t in tags if "id" in t}
        names = {t["name"].lower() for t in tags if "name" in t}
        new = [
            {"id": t["id"]}
            for t in record.get("Tag") or []
            if t["id"] not in ids and t["name"].lower() not in names
        ]
    try:
        values, typer = typed_record(org, module, {"Tag": new}, 0, record)
    except ZohoError as err:
        if err.details.get("api_name") != "Tag" or "maximum_length" not in err.details:
            raise
        # More tags than a record holds: named as the add_tags per-call limit is, on `tags`.
        raise _invalid("tags", "$.tags", maximum_length=TAGS_PER_RECORD) from None
    typer.create_tags(values)
    if values["Tag"] != record.get("Tag"):
        edit_values(org, module, record, values)  # no event: adding tags fires no rule
    tagged = [dict(t) for t in record.get("Tag") or []]
    item = success_item(record["id"], MESSAGE)
    item["details"]["tags"] = tagged
    return item


def _modified(org: Org, record: dict[str, Any]) -> str:
    """The v8 example's `modifiedTime`: "Tue, 30 Dec 2025 03:42 PM" in the org's time zone."""
    return parse_iso(record["Modified_Time"]).strftime("%a, %d %b %Y %I:%M %p")
