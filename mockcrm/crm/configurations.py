"""The workflow trigger/action catalogue per module, and the trigger categories.

One source of truth for `GET /crm/v8/workflow_configurations?module=X` and for rule validation
(which trigger a module has, which actions that trigger allows, per-type limits, scheduling).
The data is `seed_data/<org>/workflow_configurations.json` (see its `_notes` for the format);
this module only expands and indexes it. A `Catalogue` is shared by every org: it is never
mutated after `load()` and hands out copies.
"""

from __future__ import annotations

import json
import pathlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mockcrm.core.errors import param_invalid
from mockcrm.core.jsontext import clone

JSON = dict[str, Any]

# Every `execute_when.type` Zoho knows, in the order of Zoho's discriminator mapping (fact sheet
# §3.1): T1 simple (create .. voc_incoming_signal), T2 field update (.. rollup_summary_update),
# T3 section update, T4 date_or_datetime, T5 time offset (overdue .. recommendation_rebuy),
# T6 score, T7 mail_sent_replied_within; then `recommendation` (named in supported_values only).
# fmt: off
TRIGGER_TYPES: tuple[str, ...] = (
    "create", "edit", "create_or_edit", "delete", "cancel", "reschedule", "reassign",
    "anyaction", "deactivate", "activate", "marked_as_complete", "incoming_call_ring",
    "incoming_call_start", "incoming_call_createedit", "incoming_call_edit",
    "outgoing_call_ring", "outgoing_call_start", "outgoing_call_edit",
    "outgoing_call_createedit", "missed_call", "scheduled_call_createedit",
    "scheduled_call_edit", "email_received", "mail_sent", "mail_sent_clicked",
    "mail_sent_replied", "mail_sent_opened", "mail_sent_bounced", "fb_post_on_page",
    "fb_comment_on_page", "fb_like_on_post", "fb_send_message", "tw_mention_on",
    "tw_retweet_on_tweet", "tw_comment_on_tweet", "tw_send_message", "voc_incoming_signal",
    "field_update", "incoming_call_field_update", "outgoing_call_field_update",
    "scheduled_call_field_update", "stage_automation_field_update", "rollup_summary_update",
    "section_update", "incoming_call_section_update", "outgoing_call_section_update",
    "scheduled_call_section_update", "date_or_datetime", "overdue", "email_received_notreplied",
    "email_received_opened_notreplied", "mail_sent_opened_notreplied", "mail_sent_notreplied",
    "mail_sent_notopened", "recommendation_rebuy", "score_increase", "score_decrease",
    "score_update", "zia_scoring_rule", "mail_sent_replied_within", "recommendation",
)
# fmt: on

# Verbatim `details.supported_values` of Zoho's INVALID_DATA answer to an unknown trigger type
# (POST example in workflow_rules.yaml), duplicates and order kept. Treat as read-only.
# fmt: off
SUPPORTED_VALUES: list[str] = [
    "create", "edit", "create_or_edit", "delete", "field_update", "rollup_summary_update",
    "section_update", "date_or_datetime", "score_increase", "score_update", "score_decrease",
    "recommendation", "field_update", "score_increase", "score_decrease", "score_update",
    "scheduled_call_field_update", "scheduled_call_section_update", "scheduled_call_edit",
    "scheduled_call_createedit", "outgoing_call_ring", "outgoing_call_start",
    "outgoing_call_section_update", "outgoing_call_createedit", "outgoing_call_field_update",
    "outgoing_call_edit", "incoming_call_ring", "incoming_call_start", "incoming_call_edit",
    "incoming_call_field_update", "incoming_call_createedit", "incoming_call_section_update",
    "anyaction", "delete", "missed_call", "create", "reschedule", "cancel", "reassign",
    "delete", "overdue", "marked_as_complete", "anyaction", "email_received", "mail_sent",
    "mail_sent_clicked", "mail_sent_replied", "mail_sent_opened", "mail_sent_bounced",
    "email_received_notreplied", "email_received_opened_notreplied", "mail_sent_replied_within",
    "mail_sent_opened_notreplied", "mail_sent_notreplied", "mail_sent_notopened",
    "fb_post_on_page", "fb_comment_on_page", "fb_like_on_post", "fb_send_message",
    "tw_mention_on", "tw_retweet_on_tweet", "tw_comment_on_tweet", "tw_send_message",
]
# fmt: on

_RECORD_ACTION = (
    "create",
    "edit",
    "create_or_edit",
    "delete",
    "field_update",
    "section_update",
    "rollup_summary_update",
)
_ACTIVITY = ("overdue", "marked_as_complete", "anyaction", "reschedule", "cancel", "reassign")
_FIXED: dict[str, str] = {
    **dict.fromkeys(_RECORD_ACTION, "record_action"),
    **dict.fromkeys(_ACTIVITY, "activity"),
    "date_or_datetime": "date",
    "zia_scoring_rule": "score",
    "missed_call": "calls",
    "activate": "users",
    "deactivate": "users",
    "recommendation": "recommendation",
    "recommendation_rebuy": "recommendation",
    "voc_incoming_signal": "voc",
    "stage_automation_field_update": "stage_automation",
}
_PREFIXES: dict[str, str] = {
    "score_": "score",
    "incoming_call_": "calls",
    "outgoing_call_": "calls",
    "scheduled_call_": "calls",
    "email_": "email",
    "mail_": "email",
    "fb_": "social",
    "tw_": "social",
}


def trigger_category(trigger_type: str) -> str | None:
    """The category of a trigger type, for the PUT rule "the type may change only within its
    category" (design.md §2); None for a type Zoho does not know.

    - record_action: create, edit, create_or_edit, delete, field_update, section_update,
      rollup_summary_update (also for Calls' `delete`: one category per type, module-agnostic)
    - date: date_or_datetime
    - score: score_increase, score_decrease, score_update, zia_scoring_rule
    - calls: incoming_call_*, outgoing_call_*, scheduled_call_*, missed_call
    - email: email_*, mail_* (incl. the time-offset and replied_within variants)
    - activity: overdue, marked_as_complete, anyaction, reschedule, cancel, reassign
    - social: fb_*, tw_*
    - users: activate, deactivate
    - recommendation: recommendation, recommendation_rebuy
    - voc: voc_incoming_signal
    - stage_automation: stage_automation_field_update (undocumented; kept apart, so no switch)
    """
    if trigger_type not in TRIGGER_TYPES:
        return None
    if trigger_type in _FIXED:
        return _FIXED[trigger_type]
    for prefix, category in _PREFIXES.items():
        if trigger_type.startswith(prefix):
            return category
    return None  # pragma: no cover - every TRIGGER_TYPES entry is covered above


_MODULE_REF_KEYS = ("singular_label", "plural_label", "api_name", "name", "id")


MISSING: Any = object()


@dataclass(frozen=True)
class TriggerRules:
    """A trigger entry's checks for rule writes: the actions it takes, and whether it takes
    scheduled actions."""

    actions: frozenset[str]
    scheduled_actions_supported: bool


class Catalogue:
    """The expanded, indexed catalogue. Read-only after `load()`; every getter returns a copy
    (`trigger_rules`: an immutable value, shared)."""

    def __init__(self, actions: dict[str, JSON], modules: dict[str, JSON]) -> None:
        # modules[m] = {"triggers": {type: entry}, "related": {mod: {"name", "triggers"}},
        #               "actions": [api_name, ...]}  (dicts keep Zoho's order)
        self._actions = actions
        self._modules = modules
        self._trigger_rules: dict[tuple[str, str, str | None], TriggerRules | None] = {}

    @classmethod
    def load(cls, path: pathlib.Path) -> Catalogue:
        data = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
        return cls.from_data(data)

    @classmethod
    def from_data(cls, data: JSON) -> Catalogue:
        """Expand the compact format; raises ValueError on a dangling reference."""
        actions = {a["api_name"]: a for a in data["actions"]}
        sets: dict[str, list[str]] = data["action_sets"]
        templates: dict[str, JSON] = data["triggers"]
        trigger_sets: dict[str, list[str]] = data["trigger_sets"]
        related_defs: dict[str, JSON] = data["related_modules"]
        _check(actions, (a for names in sets.values() for a in names), "action")
        for t in templates.values():
            _check(actions, [*t.get("only", []), *t.get("exclude", [])], "action")
        _check(templates, (t for names in trigger_sets.values() for t in names), "trigger")

        def expand(set_names: list[str], allowed: list[str]) -> dict[str, JSON]:
            _check(trigger_sets, set_names, "trigger set")
            out: dict[str, JSON] = {}
            for api_name in (t for s in set_names for t in trigger_sets[s]):
                if api_name in out:
                    raise ValueError(f"trigger {api_name!r} listed twice")
                tpl = templates[api_name]
                names = [a for a in allowed if a not in tpl.get("exclude", [])]
                if "only" in tpl:
                    names = [a for a in names if a in tpl["only"]]
                out[api_name] = {
                    "api_name": api_name,
                    "deprecated": bool(tpl.get("deprecated", False)),
                    "name": tpl["name"],
                    "scheduled_actions_supported": bool(tpl["scheduled_actions_supported"]),
                    "actions": names,
                }
            return out

        modules: dict[str, JSON] = {}
        for module, spec in data["modules"].items():
            _check(sets, [spec["actions"]], "action set")
            _check(related_defs, spec.get("related", []), "related module")
            own = sets[spec["actions"]]
            triggers = expand(spec["trigger_sets"], own)
            related: dict[str, JSON] = {}
            for rel in spec.get("related", []):
                rdef = related_defs[rel]
                kept = [a for a in own if a not in rdef.get("exclude", [])]
                rel_triggers = expand(rdef["trigger_sets"], kept)
                related[rel] = {"name": rdef["name"], "triggers": rel_triggers}
            groups = [triggers, *(r["triggers"] for r in related.values())]
            used = {a for g in groups for t in g.values() for a in t["actions"]}
            modules[module] = {
                "triggers": triggers,
                "related": related,
                "actions": [a for a in actions if a in used],
            }
        return cls(actions, modules)

    def modules(self) -> list[str]:
        """Modules with a primary configuration (a related-only module such as Notes is not)."""
        return list(self._modules)

    def has_module(self, module: str) -> bool:
        return module in self._modules

    def related_modules(self, module: str) -> list[str]:
        mod = self._modules.get(module)
        return list(mod["related"]) if mod else []

    def trigger(
        self, module: str, trigger_type: str, trigger_module: str | None = None
    ) -> JSON | None:
        """The trigger entry for a rule on `module`; with a different `trigger_module`, the
        entry among that related module's triggers. None if the module lacks it."""
        entry = self._trigger(module, trigger_type, trigger_module)
        return clone(entry) if entry is not None else None

    def trigger_rules(
        self, module: str, trigger_type: str, trigger_module: str | None
    ) -> TriggerRules | None:
        """What rule writes check of `trigger`'s entry, immutable and made once (every rule
        write asks; a copy of the entry was ~3% of a create). None if the module lacks it."""
        key = (module, trigger_type, trigger_module)
        rules = self._trigger_rules.get(key, MISSING)
        if rules is MISSING:
            entry = self._trigger(module, trigger_type, trigger_module)
            rules = self._trigger_rules[key] = (
                None
                if entry is None
                else TriggerRules(frozenset(entry["actions"]), entry["scheduled_actions_supported"])
            )
        return rules

    def _trigger(self, module: str, trigger_type: str, trigger_module: str | None) -> JSON | None:
        mod = self._modules.get(module)
        if mod is None:
            return None
        if trigger_module is None or trigger_module == module:
            source = mod["triggers"]
        elif trigger_module in mod["related"]:
            source = mod["related"][trigger_module]["triggers"]
        else:
            return None
        return source.get(trigger_type)

    def action(self, module: str, action_type: str) -> JSON | None:
        """The `actions` entry (limit, limit_per_action, supported_in_scheduled_action, ...) of an
        action type available on `module`; None if the module offers no such action."""
        mod = self._modules.get(module)
        if mod is None or action_type not in mod["actions"]:
            return None
        return dict(self._actions[action_type])

    def response(self, module: str, module_refs: dict[str, dict]) -> JSON:
        """The value of "workflow_configurations" for GET /workflow_configurations?module=X.

        `module_refs` maps each related module's api_name to its org-specific reference
        (singular_label, plural_label, api_name, name, id). Unknown module -> INVALID_MODULE.
        """
        mod = self._modules.get(module)
        if mod is None:
            raise param_invalid("module", code="INVALID_MODULE")
        related = []
        for rel, rdef in mod["related"].items():
            if rel not in module_refs:
                raise KeyError(f"module_refs lacks the related module {rel!r}")
            ref = {k: module_refs[rel][k] for k in _MODULE_REF_KEYS if k in module_refs[rel]}
            related.append(
                {
                    "api_name": rel,
                    "module": ref,
                    "name": rdef["name"],
                    "triggers": _trigger_list(rdef["triggers"]),
                }
            )
        return {
            "related_triggers_details": related,
            "triggers": _trigger_list(mod["triggers"]),
            "actions": [dict(self._actions[a]) for a in mod["actions"]],
        }


def _trigger_list(triggers: dict[str, JSON]) -> list[JSON]:
    return clone(list(triggers.values()))


def _check(known: dict[str, Any], names: Iterable[str], kind: str) -> None:
    for name in names:
        if name not in known:
            raise ValueError(f"workflow_configurations: unknown {kind} {name!r}")
