"""Whether an automation-action entity may be edited or deleted, and Zoho's answer when not.

Two things forbid it: read-only entities (`editable` / `deletable` false, e.g. made by an
extension) and locked ones (`lock_status.locked`: "True when the action is locked and cannot be
edited or deleted", Zoho's LockStatus schema; only a custom seed or a state import makes one).
Zoho documents a locked edit's own answer for field updates and tasks (each kind's `locked_edit`
in crm/actions.py); no locked delete is shown for any kind, so a locked entity is refused as a
read-only one is (the kind's NOT_ALLOWED delete answer)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockcrm.core.errors import ZohoError

if TYPE_CHECKING:
    from mockcrm.crm.actions import Kind


def is_locked(entity: dict[str, Any]) -> bool:
    return bool((entity.get("lock_status") or {}).get("locked"))


def check_editable(kind: Kind, entity: dict[str, Any], in_body: bool) -> None:
    """Raise the kind's answer for a PUT of `entity` (`in_body`: the id came in the body).
    A locked entity gets the locked answer even when it is also read-only, as Zoho's example
    of a locked task is (`editable: false`); kinds without one answer as for read-only."""
    locked = is_locked(entity)
    if locked and kind.locked_edit is not None:
        raise kind.locked_edit()
    if entity["editable"] and not locked:
        return
    message = kind.messages["read_only_edit"]
    if in_body or kind.read_only_edit_per_item:
        raise kind.error("NOT_ALLOWED", message, "id", f"{kind.root}.id")
    raise ZohoError("NOT_ALLOWED", message, {"resource_path_index": 3})


def deletable(entity: dict[str, Any]) -> bool:
    return bool(entity["deletable"]) and not is_locked(entity)


def locked_action() -> ZohoError:
    """updateFieldUpdateById › 403 LockedActionNoPermissionPostman (also e-mail notifications,
    which have no spec and share the field updates' "action" wording)."""
    return ZohoError("NO_PERMISSION", "Insufficient privileges to edit locked action", {}, 403)


def task_locked() -> ZohoError:
    """updateWorkflowTaskById / updateWorkflowTask › 401 LockedTaskAuthorizationErrorResponse:
    per item, with no details (a PUT carries one task, so the array has one item)."""
    return ZohoError(
        "AUTHORIZATION_ERROR",
        "Insufficient privileges to perform this operation",
        {},
        401,
        collection="tasks",
    )
