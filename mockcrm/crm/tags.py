"""The Tags API (/crm/v8/settings/tags): tags are per module, kept in `org.tags[module]`.

Writes answer per item, as Zoho does (201/200 all good, 207 mixed, 400 none): every item is
checked against the org *and* the items before it, then the accepted ones are applied together.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from mockcrm.core.errors import ZohoError, batch_status, field_error, invalid_body, success_item
from mockcrm.crm.checked import checked
from mockcrm.crm.org import Org
from mockcrm.crm.tag_rules import TAG_NAME_LENGTH, has_forbidden, tag_color

COLLECTION = "tags"
MAX_NAME = TAG_NAME_LENGTH
# Tags per module (`info.allowed_count` of Zoho's v8 example).
ALLOWED_PER_MODULE = 500
TAGGABLE_TYPES = frozenset({"default", "custom"})
# The merge action's success message: tags_actions.json names the 200 "tags merged
# successfully"; the wording is that of the sample response of Zoho's (Recruit) merge-tag doc.
MERGED = "tags merged successfully"


# --- request-level checks ----------------------------------------------------------------


def missing_module(put: bool = False) -> ZohoError:
    # Zoho words this one differently on PUT (tags.json examples).
    if put:
        return ZohoError(
            "REQUIRED_PARAM_MISSING",
            "One of the expected param is missing",
            {"param_name": "module"},
        )
    return ZohoError(
        "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", {"param": "module"}
    )


def tag_module(org: Org, module: str | None, *, put: bool = False) -> str:
    """The `module` parameter: known, and a module that has tags (not Notes, linking...)."""
    if not module:
        raise missing_module(put)
    found = org.modules.get(module)
    if found is None:
        raise ZohoError("INVALID_MODULE", "the module name given seems to be invalid")
    if not taggable(found):
        raise ZohoError("INVALID_MODULE", "the given module is not supported for this api")
    return module


def taggable(module: dict[str, Any]) -> bool:
    """A module that has tags (not Notes, linking modules...)."""
    return bool(
        module.get("api_supported", True)
        and module.get("status", "visible") != "system_hidden"
        and module.get("generated_type", "default") in TAGGABLE_TYPES
    )


def _items(body: Any) -> list[Any]:
    items = body.get(COLLECTION) if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise invalid_body(COLLECTION)
    return items


def _not_found(tag_id: str) -> ZohoError:
    return ZohoError("INVALID_DATA", "tags not found", {"id": tag_id})


# --- item checks -------------------------------------------------------------------------


def _item_error(code: str, message: str, api_name: str, path: str, **extra: Any) -> ZohoError:
    """A tag item's key `api_name`, the item at `path`."""
    return field_error(code, message, api_name, f"{path}.{api_name}", COLLECTION, **extra)


def _check_name(name: str, path: str) -> str:
    name = name.strip()
    if not name:
        raise _item_error("MANDATORY_NOT_FOUND", "required field not found", "name", path)
    if len(name) > MAX_NAME:
        raise _item_error("INVALID_DATA", "Invalid data", "name", path, maximum_length=MAX_NAME)
    if has_forbidden(name):
        raise _item_error(
            "INVALID_DATA", "special characters found in the given name", "name", path
        )
    return name


class _Names:
    """Tag names of one module, case-insensitive, as they stand after the accepted items."""

    def __init__(self, tags: list[dict[str, Any]]) -> None:
        self.owner = {t["name"].lower(): t["id"] for t in tags}

    def check(self, name: str, tag_id: str | None, path: str) -> None:
        holder = self.owner.get(name.lower())
        if holder is not None and holder != tag_id:
            raise _item_error("DUPLICATE_DATA", "duplicate data", "name", path, id=holder)

    def take(self, name: str, tag_id: str, old: str | None = None) -> None:
        if old is not None and self.owner.get(old.lower()) == tag_id:
            del self.owner[old.lower()]
        self.owner[name.lower()] = tag_id


# --- read --------------------------------------------------------------------------------


def list_tags(org: Org, module: str | None, my_tags: str | None) -> dict[str, Any]:
    """All tags of a module (an empty module answers `[]` with its info, not 204)."""
    name = tag_module(org, module)
    tags = org.tags.get(name, [])
    if my_tags == "true":
        tags = [t for t in tags if t["created_by"]["id"] == org.current_user_id]
    return {
        COLLECTION: copy.deepcopy(tags),
        "info": {"count": len(tags), "allowed_count": ALLOWED_PER_MODULE},
    }


# --- create ------------------------------------------------------------------------------


def create_tags(org: Org, module: str | None, body: Any) -> tuple[list[dict[str, Any]], int]:
    name = tag_module(org, module)
    items = _items(body)
    existing = org.tags.get(name, [])
    names = _Names(existing)
    results: list[dict[str, Any]] = []
    accepted: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        path = f"$.tags[{i}]"
        try:
            data = checked("tags", "CreateTagSchema", item, path, COLLECTION)
            tag_name = _check_name(data["name"], path)
            color = tag_color(data.get("color_code"), f"{path}.color_code", COLLECTION)
            names.check(tag_name, None, path)
            if len(existing) + len(accepted) >= ALLOWED_PER_MODULE:
                raise ZohoError("LICENSE_LIMIT_EXCEEDED", "tags edition limit exceeded")
        except ZohoError as error:
            results.append(error.item())
            continue
        tag = new_tag(org, tag_name, color)
        names.take(tag_name, tag["id"])
        accepted.append(tag)
        results.append(_success(tag, "tags created successfully"))
    org.tags.setdefault(name, []).extend(accepted)
    return results, batch_status(results, 201)


def new_tag(org: Org, name: str, color: str | None = None) -> dict[str, Any]:
    """A tag in Zoho's shape, made by the acting user now (not yet added to a module)."""
    now, actor = org.now(), org.actor()
    return {
        "created_time": now,
        "modified_time": now,
        "name": name,
        "modified_by": dict(actor),
        "id": org.ids.next(),
        "created_by": dict(actor),
        "color_code": color,
    }


def _success(tag: dict[str, Any], message: str) -> dict[str, Any]:
    return {
        "code": "SUCCESS",
        "details": copy.deepcopy(tag),
        "message": message,
        "status": "success",
    }


# --- update ------------------------------------------------------------------------------


def update_tags(
    org: Org, module: str | None, body: Any, tag_id: str | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Bulk PUT (`id` in each item) or PUT /tags/{id} (one item, the id from the URL)."""
    name = tag_module(org, module, put=True)
    if tag_id is not None and org.tag(name, tag_id=tag_id) is None:
        raise _not_found(tag_id)
    items = _items(body)
    if tag_id is not None:
        items = items[:1]
    names = _Names(org.tags.get(name, []))
    planned: dict[str, dict[str, Any]] = {}  # tag id -> its new state
    outcomes: list[str | dict[str, Any]] = []  # a tag id (accepted) or an error item
    for i, item in enumerate(items):
        path = f"$.tags[{i}]"
        try:
            data = checked("tags", "UpdateTagSchema", item, path, COLLECTION)
            target_id = tag_id or data.get("id")
            if not target_id:
                raise _item_error("MANDATORY_NOT_FOUND", "required field not found", "id", path)
            current = planned.get(target_id) or org.tag(name, tag_id=target_id)
            if current is None:
                raise _item_error("INVALID_DATA", "ID of the tag is invalid", "id", path)
            new = dict(current)
            if "name" in data:
                new["name"] = _check_name(data["name"], path)
                names.check(new["name"], target_id, path)
            if "color_code" in data:
                new["color_code"] = tag_color(data["color_code"], f"{path}.color_code", COLLECTION)
        except ZohoError as error:
            outcomes.append(error.item())
            continue
        names.take(new["name"], target_id, current["name"])
        new.update(modified_time=org.now(), modified_by=org.actor())
        planned[target_id] = new
        outcomes.append(target_id)
    for tag_state in planned.values():
        _apply_update(org, name, tag_state)
    results = [
        _success(planned[o], "tags updated successfully") if isinstance(o, str) else o
        for o in outcomes
    ]
    return results, batch_status(results, 200)


def _apply_update(org: Org, module: str, new: dict[str, Any]) -> None:
    tag = org.tag(module, tag_id=new["id"])
    assert tag is not None  # planned only for existing tags
    tag.update(new)
    # Copies of the tag live in rules' tag actions and in records' Tag field.
    for ref in _references(org, module, tag["id"]):
        ref["name"] = tag["name"]
        if "color_code" in ref:
            ref["color_code"] = tag["color_code"]


def _references(org: Org, module: str, tag_id: str) -> Iterator[dict[str, Any]]:
    for details in _rule_tag_details(org, module):
        yield from (t for t in details.get("tags", []) if t.get("id") == tag_id)
    for record in org.records.get(module, {}).values():
        yield from (t for t in _record_tags(record) if t.get("id") == tag_id)


def _rule_tag_details(org: Org, module: str) -> Iterator[dict[str, Any]]:
    """The details of every add_tags / remove_tags action (any rule) on `module`'s tags."""
    for rule in org.rules.values():
        for action in _rule_actions(rule):
            if action.get("type") in ("add_tags", "remove_tags"):
                details = action.get("details") or {}
                if (details.get("module") or {}).get("api_name", module) == module:
                    yield details


def _record_tags(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in record.get("Tag") or [] if isinstance(t, dict)]


def named_by_rules(org: Org, module: str, tag_id: str) -> bool:
    """Whether a workflow rule's add_tags / remove_tags action names the tag."""
    details = _rule_tag_details(org, module)
    return any(t.get("id") == tag_id for d in details for t in d.get("tags") or [])


def _rule_actions(rule: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for condition in rule.get("conditions") or []:
        yield from (condition.get("instant_actions") or {}).get("actions") or []
        for group in condition.get("scheduled_actions") or []:
            yield from group.get("actions") or []


# --- delete ------------------------------------------------------------------------------


def delete_tag(org: Org, tag_id: str, module: str | None) -> dict[str, Any]:
    """DELETE /tags/{id}: `module` is optional; without it the id is looked up in every module.

    The tag leaves the records that carry it; rules that name it keep their copy (Zoho
    documents nothing here, and a rule is only changed through the rules API).
    """
    owner = tag_owner(org, tag_id, [tag_module(org, module)] if module else list(org.tags))
    if owner is None:
        raise _not_found(tag_id)
    org.tags[owner] = [t for t in org.tags[owner] if t["id"] != tag_id]
    for record in org.records.get(owner, {}).values():
        if any(t.get("id") == tag_id for t in _record_tags(record)):
            record["Tag"] = [t for t in _record_tags(record) if t.get("id") != tag_id]
    return success_item(tag_id, "tags deleted successfully")


def tag_owner(org: Org, tag_id: str, modules: list[str]) -> str | None:
    """The module (of `modules`) that has the tag: calls without `module` look in all."""
    return next((m for m in modules if org.tag(m, tag_id=tag_id) is not None), None)


# --- actions: records_count and merge (crm-oas v8.0 tags_actions.json) ---------------------


def records_count(org: Org, tag_id: str, module: str | None) -> dict[str, str]:
    """GET /tags/{id}/actions/records_count: how many of the module's records carry the tag.

    `count` is a string, as Zoho's v8 spec types it (the SDKs read it as it comes). A missing
    `module` is worded as on PUT (the spec's `param_name` body); an id that is not a tag of the
    module, whatever its shape, is the spec's TAG_ID_NOT_FOUND."""
    name = tag_module(org, module, put=True)
    if org.tag(name, tag_id=tag_id) is None:
        raise ZohoError("TAG_ID_NOT_FOUND", "invalid tag id")
    records = org.records.get(name, {}).values()
    count = sum(any(t.get("id") == tag_id for t in _record_tags(r)) for r in records)
    return {"count": str(count)}


def merge_tags(org: Org, tag_id: str, body: Any) -> dict[str, Any]:
    """POST /tags/{id}/actions/merge `{"tags":[{"conflict_id"}]}`: the conflict tag is merged
    into tag {id} (Zoho: "if Tag A is merged into Tag B, all records previously linked to Tag A
    will now display Tag B"). {id} survives; the conflict tag is deleted and what named it
    (records, rules' tag actions) names the survivor, as a rename rewrites their copies: no
    record write (Modified_Time stays, no rule fires). Everything is checked before any change."""
    module = tag_owner(org, tag_id, list(org.tags))  # the action takes no `module`
    if module is None:
        raise _not_found(tag_id)  # as DELETE /tags/{id} answers an unknown id
    items = _items(body)
    if len(items) > 1:  # one conflict per call (the spec's maxItems 1): never merge only some
        raise ZohoError(
            "INVALID_DATA",
            "invalid data",
            {"api_name": COLLECTION, "json_path": "$.tags", "maximum_length": 1},
        )
    path = "$.tags[0]"
    conflict_id = checked("tags", "MergeTagSchema", items[0], path, COLLECTION)["conflict_id"]
    if not conflict_id.strip():
        raise _item_error("MANDATORY_NOT_FOUND", "required field not found", "conflict_id", path)
    conflict = org.tag(module, tag_id=conflict_id)
    if conflict is None or conflict_id == tag_id:  # unknown, another module's, or {id} itself
        details = {"api_name": "conflict_id", "json_path": f"{path}.conflict_id"}
        raise ZohoError("INVALID_DATA", "invalid tag id", details)
    survivor = org.tag(module, tag_id=tag_id)
    assert survivor is not None  # tag_owner found it
    for record in org.records.get(module, {}).values():
        tags = _record_tags(record)
        if any(t.get("id") == conflict_id for t in tags):
            record["Tag"] = _retagged(tags, conflict_id, survivor)
    for details in _rule_tag_details(org, module):
        tags = details.get("tags") or []
        if any(t.get("id") == conflict_id for t in tags):
            details["tags"] = _retagged(tags, conflict_id, survivor)
    org.tags[module] = [t for t in org.tags[module] if t["id"] != conflict_id]
    survivor.update(modified_time=org.now(), modified_by=org.actor())
    # The spec's success details are the survivor without its name (additionalProperties false).
    details = {k: copy.deepcopy(v) for k, v in survivor.items() if k != "name"}
    return {"code": "SUCCESS", "details": details, "message": MERGED, "status": "success"}


def _retagged(
    refs: list[dict[str, Any]], gone: str, survivor: dict[str, Any]
) -> list[dict[str, Any]]:
    """`refs` with the merged-away tag replaced, in place, by the survivor (in the shape of the
    copy it replaces, as a rename rewrites it), or dropped where the survivor already is."""
    have = any(t.get("id") == survivor["id"] for t in refs)
    out = []
    for ref in refs:
        if ref.get("id") != gone:
            out.append(ref)
        elif not have:
            have = True
            new = {**ref, "id": survivor["id"], "name": survivor["name"]}
            if "color_code" in ref:
                new["color_code"] = survivor["color_code"]
            out.append(new)
    return out
