"""Automation-action entities: field updates, email notifications, tasks and webhooks.

One generic service (list, get, create, update, delete, bulk delete) over `org.entities[kind]`;
the kinds differ only in their `Kind` entry: schema, builder (the checks that need the org),
Zoho's messages and list conventions (list parameters and list items: crm/action_lists.py).
`associated` is never stored: an entity is associated exactly while some workflow rule's
associate action names it."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from mockcrm.core.errors import (
    ZohoError,
    batch_status,
    field_error,
    invalid_body,
    invalid_url_id,
    success_item,
)
from mockcrm.core.pagination import id_list
from mockcrm.crm.action_builders import build_email_notification, build_field_update, build_task
from mockcrm.crm.action_lists import (
    filtered,
    in_order,
    inner_details,
    list_item,
    with_inner_details,
)
from mockcrm.crm.action_locks import check_editable, deletable, locked_action, task_locked
from mockcrm.crm.checked import checked
from mockcrm.crm.org import Org
from mockcrm.crm.webhook_builder import WEBHOOK_FEATURES, build_webhook

MAX_BULK_DELETE = 10
IN_USE = "is associated with at least one of Approval Process/Workflow Rules/Blueprint"
# Kept from the stored entity on update; everything else is rebuilt from the merged request.
BOOKKEEPING = ("lock_status", "editable", "deletable", "source", "created_by", "created_time")
Builder = Callable[[Org, "Kind", dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Kind:
    """What distinguishes one entity API from another."""

    key: str  # collection key = org.entities kind = rule action type
    # A schema class of crm/schemas/actions.py, by name: marshmallow loads with the first write.
    schema: str
    build: Builder  # validated request (or stored entity merged with a PUT) -> stored keys
    messages: Mapping[str, str]
    feature_types: frozenset[str]  # accepted by the list's feature_type filter
    feature_type_message: str = "the given feature name is invalid"
    filter_param: str = "filter"
    sort_by: str = "modified_time"
    newest_first: bool = True  # default list order (by created_time) in Zoho's examples
    list_keys: tuple[str, ...] | None = None  # None: list items are the full entity
    slim_refs: tuple[str, ...] = ()  # refs trimmed to {api_name, id} in list items
    inner_details: frozenset[str] | None = None  # accepted include_inner_details values
    info_extra: Mapping[str, Any] = field(default_factory=dict)
    bulk_limit_message: str | None = None  # webhooks word the ids limit differently
    read_only_edit_per_item: bool = False
    # A PUT of a locked entity, where Zoho documents its own answer (else the read-only one).
    locked_edit: Callable[[], ZohoError] | None = None
    read_only_delete_by: str = "resource_path_index"
    # GET of an unknown id: 204 where Zoho's spec documents it (field updates, webhooks), else
    # 400 INVALID_DATA (tasks' InvalidTaskIdResponse; e-mail notifications have no spec).
    unknown_id_no_content: bool = False
    # A bulk delete of one id that fails answers flat, as the DELETE by id does (Zoho's tasks
    # spec: "single-ID errors" are flat, "multiple IDs all fail" is the array).
    single_bulk_delete_flat: bool = False

    @property
    def root(self) -> str:
        return f"$.{self.key}[0]"

    @property
    def top(self) -> str:
        return f"$.{self.key}[*]"

    def error(self, code: str, message: str, api_name: str | None, path: str | None, **extra):
        """A per-item error under this kind's collection."""
        return field_error(code, message, api_name, path, self.key, **extra)

    def dependent(self, code: str, message: str, api_name: str, path: str, on: tuple[str, str]):
        """A per-item error of a key that depends on another: `on` is (its api_name, json_path)."""
        return self.error(
            code, message, api_name, path, dependee={"api_name": on[0], "json_path": on[1]}
        )


# --- reading ------------------------------------------------------------------------------


def rule_actions(org: Org) -> Iterator[dict[str, Any]]:
    """Every action of every rule (instant and scheduled), as stored."""
    for rule in org.rules.values():
        for cond in rule["conditions"]:
            yield from (cond.get("instant_actions") or {}).get("actions") or []
            for group in cond.get("scheduled_actions") or []:
                yield from group.get("actions") or []


def associated_ids(org: Org, kind: str) -> set[str]:
    return {a["id"] for a in rule_actions(org) if a["type"] == kind}


def list_entities(org: Org, kind: Kind, args: Mapping[str, str]) -> list[dict[str, Any]]:
    items = filtered(org, kind, list(org.entities.get(kind.key, {}).values()), args)
    wanted = inner_details(kind, args)
    used = associated_ids(org, kind.key)
    return [
        with_inner_details(org, list_item(kind, e, e["id"] in used), wanted)
        for e in in_order(kind, items, args)
    ]


def list_info(kind: Kind, info: dict[str, Any]) -> dict[str, Any]:
    return {**info, **kind.info_extra}


def get_entity(
    org: Org, kind: Kind, entity_id: str, args: Mapping[str, str]
) -> dict[str, Any] | None:
    """The entity as GET shows it; None (204) for an unknown id where Zoho answers so."""
    wanted = inner_details(kind, args)
    entity = org.entity(kind.key, entity_id)
    if entity is None and kind.unknown_id_no_content:
        return None
    if entity is None:
        raise invalid_url_id()
    # A view sharing the entity's values: the caller renders it while the store lock is held.
    view = {**entity, "associated": entity_id in associated_ids(org, kind.key)}
    return with_inner_details(org, view, wanted)


# --- writing --------------------------------------------------------------------------------


def _load(kind: Kind, body: Any, update: bool) -> dict[str, Any]:
    """The one entity of the body, checked against the kind's schema (PUT: partially)."""
    return checked(
        "actions", kind.schema, _one(kind, body), kind.root, kind.key, kind.top, partial=update
    )


def _one(kind: Kind, body: Any) -> dict[str, Any]:
    items = body.get(kind.key) if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise invalid_body(kind.key)
    if len(items) > 1:
        raise ZohoError(
            "LIMIT_EXCEEDED",
            "too many records",
            {"api_name": kind.key, "limit": 1, "json_path": f"$.{kind.key}"},
        )
    if not isinstance(items[0], dict):
        raise kind.error(
            "INVALID_DATA",
            "Invalid data type",
            kind.key,
            kind.root,
            expected_data_type="jsonobject",
        )
    return items[0]


def create_entity(org: Org, kind: Kind, body: Any) -> dict[str, Any]:
    data = _load(kind, body, update=False)
    built = kind.build(org, kind, data)
    now, actor = org.now(), org.actor()
    entity = {
        "id": org.ids.next(),
        **built,
        "lock_status": {"locked": False},
        "editable": True,
        "deletable": True,
        "source": "crm",
        "created_by": actor,
        "created_time": now,
        "modified_by": actor,
        "modified_time": now,
    }
    org.entities.setdefault(kind.key, {})[entity["id"]] = entity
    return success_item(entity["id"], kind.messages["created"])


def update_entity(org: Org, kind: Kind, entity_id: str | None, body: Any) -> dict[str, Any]:
    """PUT: the sent keys replace the stored ones (arrays such as field_mappings wholesale);
    the merged entity is validated as a whole before anything changes."""
    data = _load(kind, body, update=True)
    in_body = entity_id is None
    if in_body:
        entity_id = data.get("id")
        if not entity_id:
            raise kind.error(
                "MANDATORY_NOT_FOUND", "Required field is missing", "id", f"{kind.root}.id"
            )
        if org.entity(kind.key, entity_id) is None:
            raise kind.error("INVALID_DATA", "The ID given is invalid", "id", f"{kind.root}.id")
    current = org.entity(kind.key, entity_id)
    if current is None:
        raise invalid_url_id()
    check_editable(kind, current, in_body)
    data.pop("id", None)
    built = kind.build(org, kind, {**copy.deepcopy(current), **data})
    if built["module"]["api_name"] != current["module"]["api_name"]:
        # Rules reference entities of their own module; Zoho documents no module move.
        raise kind.error("NOT_ALLOWED", "module cannot be updated", "module", f"{kind.top}.module")
    if built["module"]["id"] == current["module"]["id"]:
        built["module"] = copy.deepcopy(current["module"])
    entity = {
        "id": entity_id,
        **built,
        **{k: copy.deepcopy(current[k]) for k in BOOKKEEPING},
        "modified_by": org.actor(),
        "modified_time": org.now(),
    }
    org.entities[kind.key][entity_id] = entity
    if entity["name"] != current["name"]:
        _rename_in_rules(org, kind.key, entity_id, entity["name"])
    return success_item(entity_id, kind.messages["updated"])


def _rename_in_rules(org: Org, kind: str, entity_id: str, name: str) -> None:
    """Rules show an associate action under the entity's current name."""
    for action in rule_actions(org):
        if action["type"] == kind and action["id"] == entity_id:
            action["name"] = name


def delete_entity(org: Org, kind: Kind, entity_id: str) -> dict[str, Any]:
    entity = org.entity(kind.key, entity_id)
    if entity is None:
        raise invalid_url_id()
    if not deletable(entity):
        by = kind.read_only_delete_by
        detail = {"id": entity_id} if by == "id" else {"resource_path_index": 3}
        raise ZohoError("NOT_ALLOWED", kind.messages["read_only_delete"], detail)
    if entity_id in associated_ids(org, kind.key):
        raise ZohoError("NOT_ALLOWED", kind.messages["in_use_by_id"], {"resource_path_index": 3})
    del org.entities[kind.key][entity_id]
    return success_item(entity_id, kind.messages["deleted"])


def delete_entities(org: Org, kind: Kind, raw_ids: str | None) -> tuple[list[dict], int]:
    """Bulk delete: per-id results and the HTTP status (200 all, 207 mixed, 400 none)."""
    count = len([i for i in (raw_ids or "").split(",") if i.strip()])
    if kind.bulk_limit_message and count > MAX_BULK_DELETE:
        raise ZohoError(
            "INVALID_DATA", kind.bulk_limit_message, {"param_name": "ids", "limit": MAX_BULK_DELETE}
        )
    used = associated_ids(org, kind.key)
    results = []
    for eid in id_list(raw_ids, MAX_BULK_DELETE):
        entity = org.entity(kind.key, eid)
        if entity is None:
            err = ZohoError("INVALID_DATA", "the id given seems to be invalid", {"id": eid})
        elif not deletable(entity):
            err = ZohoError("NOT_ALLOWED", kind.messages["read_only_delete"], {"id": eid})
        elif eid in used:
            err = ZohoError("NOT_ALLOWED", kind.messages["in_use"], {"id": eid})
        else:
            del org.entities[kind.key][eid]
            results.append(success_item(eid, kind.messages["bulk_deleted"]))
            continue
        if kind.single_bulk_delete_flat and len(id_list(raw_ids, MAX_BULK_DELETE)) == 1:
            raise ZohoError(err.code, err.message, {"resource_path_index": 3})
        results.append(err.item())
    return results, batch_status(results)


# --- the kinds -------------------------------------------------------------------------------

# fmt: off
_FEATURE_TYPES = frozenset({
    "workflow", "approval_process", "blueprint", "blueprint_transition", "blueprint_state",
    "review_process", "orchestration", "assignment_rules", "kiosk", "pathfinder",
    "connected_workflows", "commandcenter_service",
})
_TASK_FEATURE_TYPES = _FEATURE_TYPES - {"kiosk"} | {
    "kiosks", "scoring_rule", "case_escalation_rule", "cadences",
}
_WEBHOOK_LIST_KEYS = (
    "created_time", "lock_status", "editable", "module", "related_module", "deletable",
    "description", "source", "created_by", "url", "feature_type", "http_method",
    "modified_time", "name", "modified_by", "id",
)
_FIELD_UPDATE_INNER_DETAILS = frozenset({
    "field_label", "enable_colour_code", "pick_list_values.colour_code", "data_type",
    "display_value",
})
# fmt: on


def _messages(label: str, created: str, deleted: str, **more: str) -> dict[str, str]:
    """Zoho's message set of one kind (YAML examples); `more` overrides the defaults."""
    base = {
        "created": f"{created} created successfully",
        "updated": f"{created} updated successfully",
        "deleted": deleted,
        "bulk_deleted": deleted,
        "in_use": f"This {label} {IN_USE}",
        "in_use_by_id": f"This {label} {IN_USE}",
        "read_only_delete": f"{label} can not be deleted",
        "read_only_edit": "Insufficient privileges to edit action",
        "module_code": "INVALID_DATA",
        "module_message": "the module name given seems to be invalid",
        # A static value the field cannot take (crm/action_values.py): Zoho's field update
        # examples; tasks override them with their own.
        "value_type": "Invalid data type",
        "value_too_long": "Invalid data",
        "value_missing": "Required field is missing",
        "value_invalid": "Invalid data",
    }
    return {**base, **more}


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            "field_updates",
            "FieldUpdateSchema",
            build_field_update,
            _messages(
                "field update",
                "fieldupdate",
                "field update deleted successfully",
                module_code="AMBIGUITY_DURING_PROCESSING",
                module_message="The given moduleid seems to be invalid",
            ),
            _FEATURE_TYPES,
            slim_refs=("module", "field"),
            inner_details=_FIELD_UPDATE_INNER_DETAILS,
            unknown_id_no_content=True,
            locked_edit=locked_action,
        ),
        Kind(
            "email_notifications",
            "EmailNotificationSchema",
            build_email_notification,
            _messages(
                "email notification",
                "email notification",
                "email notification deleted successfully",
            ),
            _FEATURE_TYPES,
            filter_param="filters",
            # No spec: their read-only answer is the field updates' one, so is the locked one.
            locked_edit=locked_action,
        ),
        Kind(
            "tasks",
            "TaskSchema",
            build_task,
            _messages(
                "task",
                "task",
                "task deleted successfully",
                in_use=f"the specified task {IN_USE}",
                in_use_by_id=f"Task {IN_USE}",
                read_only_delete="Insufficient privileges to delete action",
                read_only_edit="Insufficient privileges to edit Read only task",
                module_code="INVALID_MODULE",
                value_type="data type not supported",
                value_too_long="The length of the value exceeded the max limit",
                value_missing="mandatory field is not given",
                value_invalid="The given value seems to be invalid",
            ),
            _TASK_FEATURE_TYPES,
            newest_first=False,
            single_bulk_delete_flat=True,
            locked_edit=task_locked,
        ),
        Kind(
            "webhooks",
            "WebhookSchema",
            build_webhook,
            _messages(
                "webhook",
                "webhook",
                "Webhook is deleted",
                read_only_delete="Insufficient privileges to delete Read only webhook",
                read_only_edit="Insufficient privileges to edit Read only webhook",
                module_message="the module id given seems to be invalid",
            ),
            WEBHOOK_FEATURES,
            feature_type_message="The value provided to the param is Invalid",
            filter_param="filters",
            sort_by="Modified_Time",
            list_keys=_WEBHOOK_LIST_KEYS,
            info_extra={"max_limit": 200},
            bulk_limit_message="Bulk deletion of records limit reached",
            read_only_edit_per_item=True,
            read_only_delete_by="id",
            unknown_id_no_content=True,
        ),
    )
}
