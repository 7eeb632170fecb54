"""`execute_when`: validate a trigger against the module's catalogue and normalise its details."""

from __future__ import annotations

import copy
import re
from typing import Any

from mockcrm.core.ids import id_text, is_digits
from mockcrm.crm.configurations import SUPPORTED_VALUES, TRIGGER_TYPES
from mockcrm.crm.criteria_rules import normalise_criteria
from mockcrm.crm.org import Org
from mockcrm.crm.rule_errors import ROOT, TOP, invalid, missing, rule_error

PATH = f"{ROOT}.execute_when"
FIELD_UPDATE_TYPES = frozenset(
    [
        "field_update",
        "incoming_call_field_update",
        "outgoing_call_field_update",
        "scheduled_call_field_update",
        "stage_automation_field_update",
        "rollup_summary_update",
    ]
)
SECTION_TYPES = frozenset(
    [
        "section_update",
        "incoming_call_section_update",
        "outgoing_call_section_update",
        "scheduled_call_section_update",
    ]
)
SCORE_TYPES = frozenset({"score_increase", "score_decrease", "score_update", "zia_scoring_rule"})
# The kinds of call the Calls triggers name (`<kind>_createedit`, `<kind>_edit`, ...).
CALL_KINDS = ("scheduled_call", "outgoing_call", "incoming_call")
# The edit-like triggers: an edit (or a create) of the record, once per record without `repeat`.
EDIT_TYPES = frozenset(
    {"edit", "create_or_edit"}
    | {f"{kind}_{when}" for kind in CALL_KINDS for when in ("edit", "createedit")}
)
# The triggers whose stored `details` carry `repeat` (Zoho's GET schema: edit-like, date,
# section and field update triggers). Sent with another trigger, `repeat` is checked and
# dropped: Zoho shows it on no create, delete, missed call, activity, score or e-mail trigger.
REPEAT_TYPES = frozenset(
    EDIT_TYPES
    | {"date_or_datetime", "stage_automation_field_update"}
    | SECTION_TYPES
    | (FIELD_UPDATE_TYPES - {"rollup_summary_update"})
)
DATE_PERIODS = frozenset(
    ["minutes", "hours", "days", "weeks", "months", "years", "b_hours", "b_days"]
)
# Allowed `unit` per `execute_after.period` (Zoho's spec; below 5 minutes needs a paid feature).
UNIT_RANGES = {
    "minutes": (5, 180),
    "hours": (0, 99),
    "days": (0, 2000),
    "weeks": (0, 100),
    "months": (0, 24),
    "years": (0, 10),
    "business_hours": (0, 99),
    "business_days": (0, 2000),
}
# A date trigger's offset: as far either side as a scheduled action may wait (mockcrm's bound; Zoho
# documents none, and a date beyond the calendar never fires anyway).
DATE_UNIT_LIMITS = {
    **{period: high for period, (_, high) in UNIT_RANGES.items()},
    "b_hours": UNIT_RANGES["business_hours"][1],
    "b_days": UNIT_RANGES["business_days"][1],
}
# Triggers a time after an event (fact sheet §3.1 T5 and T7): `period` and a positive `unit`.
OFFSET_TYPES = frozenset(
    [
        "overdue",
        "email_received_notreplied",
        "email_received_opened_notreplied",
        "mail_sent_opened_notreplied",
        "mail_sent_notreplied",
        "mail_sent_notopened",
        "recommendation_rebuy",
        "mail_sent_replied_within",
    ]
)
OFFSET_PERIODS = ("days", "hours")
TIME_OF_DAY = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


def resolve_module(org: Org, ref: Any, path: str, api_name: str = "module") -> str:
    """A module reference (`{api_name,id}` or, as Kaizen sends it, a plain api_name) -> api_name."""
    if isinstance(ref, str):
        ref = {"api_name": ref}
    if isinstance(ref, dict) and not (ref.get("api_name") or ref.get("id")):
        expected = [{"api_name": k, "json_path": f"{path}.{k}"} for k in ("api_name", "id")]
        raise rule_error(
            "EXPECTED_FIELD_MISSING",
            "Specify atleast one field",
            None,
            None,
            expected_fields=expected,
        )
    if not isinstance(ref, dict):
        raise invalid(api_name, path, "the module name given seems to be invalid")
    # A list or object as api_name is no module name (and must not reach a dict lookup).
    name = ref.get("api_name") if isinstance(ref.get("api_name"), str) else ""
    module = org.modules.get(name) or org.module_by_id(ref.get("id") or "")
    if module is None or (ref.get("id") and ref["id"] != module["id"]):
        raise invalid(api_name, path, "the module name given seems to be invalid")
    if ref.get("api_name") and ref["api_name"] != module["api_name"]:
        raise invalid(api_name, path, "the module name given seems to be invalid")
    return module["api_name"]


def normalise_trigger(org: Org, module: str, trigger_type: str, details: dict | None) -> dict:
    """A validated `execute_when` in the stored (GET) shape."""
    if trigger_type not in TRIGGER_TYPES:
        raise invalid("type", f"{TOP}.execute_when.type", supported_values=list(SUPPORTED_VALUES))
    details = copy.deepcopy(details) if details else {}
    dpath = f"{PATH}.details"
    trigger_module = module
    if details.get("trigger_module") is not None:
        trigger_module = resolve_module(
            org, details["trigger_module"], f"{dpath}.trigger_module", "trigger_module"
        )
        if trigger_module != module and trigger_module not in org.catalogue.related_modules(module):
            raise invalid("trigger_module", f"{dpath}.trigger_module")
    if org.catalogue.trigger_rules(module, trigger_type, trigger_module) is None:
        names = _trigger_names(org, module, trigger_module)
        raise invalid("type", f"{TOP}.execute_when.type", supported_values=names)
    out: dict[str, Any] = {"trigger_module": org.module_ref(trigger_module)}
    if "repeat" in details:
        repeat = _flag(details, "repeat", dpath)
        if trigger_type in REPEAT_TYPES:
            out["repeat"] = repeat
    if trigger_type in FIELD_UPDATE_TYPES:
        if details.get("criteria") is None:
            raise missing("criteria", f"{dpath}.criteria")
        out["criteria"] = normalise_criteria(
            org, trigger_module, details["criteria"], f"{dpath}.criteria", trigger=True
        )
        if "match_all" in details:
            out["match_all"] = _flag(details, "match_all", dpath)
    elif trigger_type in SECTION_TYPES:
        ids = details.get("section_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 10:
            raise missing("section_ids", f"{dpath}.section_ids")
        # Section ids are int64s, as strings (or numbers, as Zoho's SDK sends ids).
        texts = [id_text(i) for i in ids]
        if not all(text is not None and is_digits(text) for text in texts):
            raise invalid("section_ids", f"{dpath}.section_ids")
        out["section_ids"] = texts
    elif trigger_type == "date_or_datetime":
        out.update(_date_details(org, trigger_module, details, dpath))
    elif trigger_type in SCORE_TYPES:
        out.update(_score_details(details, dpath))
    elif trigger_type in OFFSET_TYPES:
        out.update(_offset_details(details, dpath))
    return {"type": trigger_type, "details": out}


def _flag(details: dict, key: str, dpath: str) -> bool:
    if not isinstance(details[key], bool):
        raise invalid(key, f"{dpath}.{key}", "Invalid data type", expected_data_type="boolean")
    return details[key]


def _integer_unit(details: dict, dpath: str) -> int:
    unit = details.get("unit")
    if not isinstance(unit, int) or isinstance(unit, bool):
        raise invalid("unit", f"{dpath}.unit", "Invalid data type", expected_data_type="integer")
    return unit


def _positive_unit(details: dict, dpath: str) -> int:
    if details.get("unit") is None:
        raise missing("unit", f"{dpath}.unit")
    unit = _integer_unit(details, dpath)
    if unit < 1:
        raise invalid("unit", f"{dpath}.unit")
    return unit


def _offset_details(details: dict, dpath: str) -> dict[str, Any]:
    """`period` (days or hours) and a positive `unit` after the event."""
    period = details.get("period")
    if period is None:
        raise missing("period", f"{dpath}.period")
    if period not in OFFSET_PERIODS:
        raise invalid("period", f"{dpath}.period", supported_values=list(OFFSET_PERIODS))
    return {"period": period, "unit": _positive_unit(details, dpath)}


def _date_details(org: Org, module: str, details: dict, dpath: str) -> dict[str, Any]:
    field_ref = details.get("field")
    if not isinstance(field_ref, dict) or not field_ref.get("api_name"):
        raise missing("field", f"{dpath}.field")
    field = org.field(module, field_ref["api_name"])
    if field is None or field.get("data_type") not in ("date", "datetime"):
        raise invalid("field", f"{dpath}.field")
    if not isinstance(details.get("period"), str) or details["period"] not in DATE_PERIODS:
        raise invalid("period", f"{dpath}.period")
    if abs(_integer_unit(details, dpath)) > DATE_UNIT_LIMITS[details["period"]]:
        raise invalid("unit", f"{dpath}.unit")
    out = {
        "field": {"api_name": field["api_name"], "id": field["id"]},
        "period": details["period"],
        "unit": details["unit"],
    }
    for key in ("execute_at", "recur_cycle"):
        if details.get(key) is not None:
            out[key] = details[key]
    execute_at = out.get("execute_at")
    if execute_at is not None and (
        not isinstance(execute_at, str) or not TIME_OF_DAY.fullmatch(execute_at)
    ):
        raise invalid("execute_at", f"{dpath}.execute_at")
    if out.get("recur_cycle") not in (None, "once", "monthly", "yearly"):
        raise invalid("recur_cycle", f"{dpath}.recur_cycle")
    return out


def _score_details(details: dict, dpath: str) -> dict[str, Any]:
    kind = details.get("type")
    if kind is None:
        raise missing("type", f"{dpath}.type")
    if kind not in ("All_Rules", "Selective_Rules"):
        raise invalid("type", f"{dpath}.type")
    out: dict[str, Any] = {"type": kind}
    if kind == "Selective_Rules":
        rules = details.get("rules")
        if not isinstance(rules, list) or not 1 <= len(rules) <= 50:
            raise missing("rules", f"{dpath}.rules")
        out["rules"] = copy.deepcopy(rules)
    return out


def _trigger_names(org: Org, module: str, trigger_module: str) -> list[str]:
    catalogue = org.catalogue
    return [t for t in TRIGGER_TYPES if catalogue.trigger_rules(module, t, trigger_module)]
