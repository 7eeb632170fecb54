"""The builders of the automation-action entities (field updates, email notifications, tasks;
webhooks in crm/webhook_builder.py): per kind, the checks that need the org (modules, fields,
Zoho's per-kind rules) on a validated request, returning the stored (GET-by-id) keys; and the
module lookups the kinds share. No marshmallow here: serving and reads import this module, the
schemas (crm/schemas/actions.py) are loaded by the first write."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockcrm.core.ids import id_text, is_digits
from mockcrm.crm import merge_fields
from mockcrm.crm.action_values import check_value
from mockcrm.crm.org import Org
from mockcrm.crm.record_values import is_read_only
from mockcrm.crm.rule_errors import AMBIGUOUS
from mockcrm.crm.triggers import UNIT_RANGES

if TYPE_CHECKING:
    from mockcrm.crm.actions import Kind

NOT_SUPPORTED_KEY = "This key is not supported for this particular action"
# Zoho's GET shapes name Deals by its internal module name.
INTERNAL_MODULE_NAMES = {"Deals": "Potentials"}
TASK_MAPPING_TYPES = frozenset({"static", "merge_field", "execution_time"})
TASK_PERIODS = frozenset({"days", "business_days"})
MAX_TASK_DAYS = UNIT_RANGES["days"][1]  # mockcrm's bound: Zoho documents none
DATE_TYPES = frozenset({"date", "datetime"})  # the fields an execution_time value can fill
TASK_CREATE_FEATURES = frozenset(
    {"workflow", "approval_process", "Blueprint", "kiosks", "scoring_rule", "case_escalation_rule"}
)


def _lookup(ref: dict, by_name, by_id) -> tuple[dict | None, bool]:
    """(found, ambiguous): when both `api_name` and `id` are sent they must name one object."""
    named = by_name(ref["api_name"]) if ref.get("api_name") else None
    by_key = by_id(ref["id"]) if ref.get("id") else None
    if ref.get("api_name") and ref.get("id"):
        if named and by_key and named["id"] != by_key["id"]:
            return None, True
        return (named if named and by_key else None), False
    return named or by_key, False


def _ambiguity(kind: Kind, message: str, path: str):
    pairs = [("id", f"{path}.id"), ("api_name", f"{path}.api_name")]
    due = [{"api_name": a, "json_path": p} for a, p in pairs]
    return kind.error("AMBIGUITY_DURING_PROCESSING", message, None, None, ambiguity_due_to=due)


def _expected(kind: Kind, path: str):
    fields = [{"api_name": k, "json_path": f"{path}.{k}"} for k in ("api_name", "id")]
    return kind.error(
        "EXPECTED_FIELD_MISSING", "Specify atleast one field", None, None, expected_fields=fields
    )


def resolve_module(org: Org, kind: Kind, ref: dict, path: str) -> dict[str, Any]:
    if not (ref.get("api_name") or ref.get("id")):
        raise _expected(kind, path)
    module, ambiguous = _lookup(ref, org.modules.get, org.module_by_id)
    if module is not None:
        return module
    code, message = kind.messages["module_code"], kind.messages["module_message"]
    if code == "AMBIGUITY_DURING_PROCESSING" or ambiguous:
        raise _ambiguity(
            kind, message if code == "AMBIGUITY_DURING_PROCESSING" else AMBIGUOUS, path
        )
    raise kind.error(code, message, "id", f"{path}.id")


def module_ref(module: dict[str, Any], full: bool = False) -> dict[str, str]:
    if not full:
        return {"api_name": module["api_name"], "id": module["id"]}
    return {
        "singular_label": module["singular_label"],
        "plural_label": module["plural_label"],
        "api_name": module["api_name"],
        "moduleName": INTERNAL_MODULE_NAMES.get(module["api_name"], module["module_name"]),
        "id": module["id"],
    }


def related_module_ref(org: Org, kind: Kind, data: dict) -> dict[str, str] | None:
    ref = data.get("related_module")
    if not ref:
        return None
    return module_ref(resolve_module(org, kind, ref, f"{kind.root}.related_module"))


def check_supported(
    kind: Kind, data: dict, key: str, values: tuple[str, ...], path: str | None = None
) -> None:
    """`data[key]`, if sent, is one of `values` (`path`: where it is, if not a top-level key)."""
    if data.get(key) is not None and data[key] not in values:
        where = path or f"{kind.top}.{key}"
        raise kind.error("INVALID_DATA", "Invalid data", key, where, supported_values=list(values))


def _field(org: Org, kind: Kind, module: str, ref: dict, path: str) -> dict[str, Any]:
    fields = org.fields.get(module, [])
    if not (ref.get("api_name") or ref.get("id")):
        raise _expected(kind, path)
    found, ambiguous = _lookup(
        ref,
        lambda api: org.field(module, api),
        lambda fid: next((f for f in fields if f["id"] == fid), None),
    )
    if found is not None and not is_read_only(found):  # Zoho offers no read-only field here
        return found
    if kind.key == "field_updates":
        raise _ambiguity(kind, "The field api name seems to be invalid", path)
    if ambiguous:
        raise _ambiguity(kind, AMBIGUOUS, path)
    key = "id" if ref.get("id") else "api_name"
    raise kind.error("INVALID_DATA", "the fieldId given seems to be invalid", key, f"{path}.{key}")


def _field_ref(found: dict[str, Any], sent: dict) -> dict[str, Any]:
    ref = {"api_name": found["api_name"], "id": found["id"]}
    # ui_type is not in the fields metadata; keep the one a stored entity carries.
    return {"ui_type": sent["ui_type"], **ref} if isinstance(sent.get("ui_type"), int) else ref


def _picklist(kind: Kind, found: dict, value: Any, path: str, field_path: str) -> None:
    values = [v["actual_value"] for v in found.get("pick_list_values") or []]
    if values and isinstance(value, str) and value not in values:
        raise kind.dependent(
            "DEPENDENT_MISMATCH",
            "Dependent Field is not matching",
            "value",
            path,
            ("field", field_path),
        )


def build_field_update(org: Org, kind: Kind, data: dict[str, Any]) -> dict[str, Any]:
    root = kind.root
    module = resolve_module(org, kind, data["module"], f"{root}.module")
    api = module["api_name"]
    found = _field(org, kind, api, data["field"], f"{root}.field")
    check_supported(kind, data, "type", ("static",))
    check_supported(kind, data, "feature_type", ("workflow",))
    check_supported(kind, data, "update_type", ("overwrite", "append"))
    _picklist(kind, found, data["value"], f"{root}.value", f"{root}.field")
    check_value(org, kind, api, found, data["value"], f"{kind.top}.value")
    owner = found["data_type"] == "ownerlookup"
    if not owner:
        # Owner-only options (Zoho: related_records / apply_assignment_threshold NOT_ALLOWED).
        for key in ("related_records", "apply_assignment_threshold"):
            if data.get(key):
                raise kind.error("NOT_ALLOWED", NOT_SUPPORTED_KEY, key, f"{root}.{key}")
    else:
        _owner_options(kind, data)
    dependents = data.get("dependent_fields") or []
    if found["api_name"] == "Pipeline" and not dependents:
        raise kind.dependent(
            "DEPENDENT_FIELD_MISSING",
            "Dependent Field missing",
            "dependent_fields",
            f"{root}.dependent_fields",
            ("field", f"{root}.field"),
        )
    resolved = []
    for i, dep in enumerate(dependents):
        dpath = f"{root}.dependent_fields[{i}]"
        dfield = _field(org, kind, api, dep["field"], f"{dpath}.field")
        _picklist(kind, dfield, dep["value"], f"{dpath}.value", f"{dpath}.field")
        check_value(org, kind, api, dfield, dep["value"], f"{kind.top}.dependent_fields[*].value")
        resolved.append({"field": _field_ref(dfield, dep["field"]), "value": dep["value"]})
    built = {
        "name": data["name"],
        "module": module_ref(module, full=True),
        "related_module": related_module_ref(org, kind, data),
        "field": _field_ref(found, data["field"]),
        "value": data["value"],
        "type": "static",
        "update_type": data.get("update_type") or "overwrite",
        "notify": bool(data.get("notify", False)),
        "apply_assignment_threshold": bool(data.get("apply_assignment_threshold", False)),
        # An Owner update keeps its list, even empty: a later PUT merges it and needs it.
        "related_records": data.get("related_records") if owner else None,
        "feature_type": data.get("feature_type") or "workflow",
    }
    if resolved:
        built["dependent_fields"] = resolved
    return built


def _owner_options(kind: Kind, data: dict[str, Any]) -> None:
    """An Owner update says whether to notify the new owner, which related records move with
    the record and whether assignment thresholds apply (fact sheet §12a; Zoho's examples)."""
    field = ("field", f"{kind.root}.field")
    for key in ("notify", "related_records", "apply_assignment_threshold"):
        if data.get(key) is None:
            # Zoho's example addresses notify without the item's index.
            path = f"$.{kind.key}.{key}" if key == "notify" else f"{kind.root}.{key}"
            raise kind.dependent(
                "DEPENDENT_FIELD_MISSING", "Dependent Field missing", key, path, field
            )


def build_task(org: Org, kind: Kind, data: dict[str, Any]) -> dict[str, Any]:
    root = kind.root
    if not isinstance(data.get("notify", False), bool):
        # Zoho's InvalidDataNotifyValueResponse. Its text also names an omitted notify, but the
        # request schema does not require it and the Kaizen requests never send it: absent is
        # false.
        raise kind.error(
            "INVALID_DATA", "please specify notify value", "notify", f"{root}.notify",
            expected_data_type="boolean",
        )  # fmt: skip
    module = resolve_module(org, kind, data["module"], f"{root}.module")
    mappings = [
        _mapping(org, kind, module["api_name"], m, f"{root}.field_mappings[{i}]")
        for i, m in enumerate(data["field_mappings"])
    ]
    if not any(m["field"]["api_name"] == "Subject" for m in mappings):
        raise kind.error(
            "REQUIRED_DATA_NOT_FOUND",
            "The required data missing",
            "api_name",
            f"{root}.field_mappings",
            sub_json_path="field.api_name",
            value="Subject",
        )
    feature = data.get("feature_type") or "workflow"
    if feature not in TASK_CREATE_FEATURES:
        raise kind.error(
            "INVALID_DATA",
            "the given feature name is invalid",
            "feature_type",
            f"{root}.feature_type",
        )
    return {
        "name": data["name"],
        "module": module_ref(module, full=True),
        "related_module": related_module_ref(org, kind, data),
        "field_mappings": mappings,
        "notify": bool(data.get("notify", False)),
        "feature_type": feature,
    }


def _mapping(org: Org, kind: Kind, module: str, mapping: dict, path: str) -> dict[str, Any]:
    """One field mapping of a task of `module`'s records."""
    found = _field(org, kind, "Tasks", mapping["field"], f"{path}.field")
    mtype, value = mapping["type"], mapping["value"]
    if mtype not in TASK_MAPPING_TYPES:
        raise kind.error("INVALID_DATA", "The type given is invalid", "type", f"{path}.type")
    if mtype == "execution_time" and found["data_type"] not in DATE_TYPES:
        raise kind.dependent(
            "DEPENDENT_MISMATCH",
            "Dependent Field is not matching",
            "type",
            f"{path}.type",
            ("id", f"{path}.field.id"),
        )
    if mtype == "merge_field" and not merge_fields.is_template(org, module, value):
        raise kind.error(
            "INVALID_DATA", "Unsupported mergefield provided", "value", f"{path}.value"
        )
    if (mtype == "execution_time") != isinstance(value, dict):
        raise kind.dependent(
            "DEPENDENT_MISMATCH",
            "Type and value is mismatched",
            "value",
            f"{path}.value",
            ("type", f"{path}.type"),
        )
    display = value
    if mtype == "static":
        check_value(org, kind, "Tasks", found, value, f"{path}.value")
    if mtype == "execution_time":
        period = value.get("period")  # a list here must not reach the frozenset lookup
        checks = (
            ("period", isinstance(period, str) and period in TASK_PERIODS, "Invalid date Period"),
            ("sign", value.get("sign") in ("plus", "minus"), "please specify valid due date"),
            ("unit", _task_unit_ok(value.get("unit")), "The given value seems to be invalid"),
        )
        for key, ok, message in checks:
            if not ok:
                raise kind.error("INVALID_DATA", message, key, f"{path}.value.{key}")
        days = "business day(s)" if value["period"] == "business_days" else "day(s)"
        display = f"Trigger Date {value['sign']} {value['unit']} {days}"
    return {
        "display_value": display,
        "field": {"api_name": found["api_name"], "id": found["id"]},
        "type": mtype,
        "value": value,
    }


def _task_unit_ok(unit: Any) -> bool:
    """Digits (Zoho sends a string), at most as many days as a scheduled action may wait."""
    text = str(unit if unit is not None else "")
    return is_digits(text) and int(text) <= MAX_TASK_DAYS


def build_email_notification(org: Org, kind: Kind, data: dict[str, Any]) -> dict[str, Any]:
    root = kind.root
    module = resolve_module(org, kind, data["module"], f"{root}.module")
    check_supported(kind, data, "feature_type", ("workflow",))
    recipients = data["recipients"]
    if not recipients.get("to"):
        raise kind.error(
            "MANDATORY_NOT_FOUND", "Required field is missing", "to", f"{root}.recipients.to"
        )
    for group in ("cc", "bcc"):
        if recipients.get(group) and not data.get("bulk_email"):  # Zoho: bulk e-mails only
            raise kind.error("NOT_ALLOWED", NOT_SUPPORTED_KEY, group, f"{root}.recipients.{group}")
    for group in ("to", "cc", "bcc"):
        for k, entry in enumerate(recipients.get(group) or []):
            _check_user(org, kind, entry, f"{root}.recipients.{group}[{k}]")
    for key in ("from_address", "reply_to_address"):
        _check_user(org, kind, data.get(key), f"{root}.{key}")
    sender = data.get("from_address") or {"resource": {"id": org.current_user_id}, "type": "user"}
    return {
        "name": data["name"],
        "module": module_ref(module),
        "related_module": related_module_ref(org, kind, data),
        "template": {"name": data["template"].get("name") or "", "id": data["template"]["id"]},
        "from_address": sender,
        "reply_to_address": data.get("reply_to_address") or sender,
        "recipients": {k: v for k, v in recipients.items() if v is not None},
        "bulk_email": bool(data.get("bulk_email", False)),
        "feature_type": data.get("feature_type") or "workflow",
    }


def _check_user(org: Org, kind: Kind, address: Any, path: str) -> None:
    """A `user` address names a user of the org (Zoho's "Invalid User ID", as for rules)."""
    if not isinstance(address, dict) or address.get("type") != "user":
        return
    resource = address.get("resource")
    user_id = id_text(resource.get("id")) if isinstance(resource, dict) else None
    if user_id is None or org.user(user_id) is None:
        raise kind.error("INVALID_DATA", "Invalid User ID", "id", f"{path}.resource.id")
