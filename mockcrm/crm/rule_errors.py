"""Error builders of the rule modules: every rule error is per-item under `workflow_rules`."""

from __future__ import annotations

from typing import Any

from mockcrm.core.errors import ZohoError, field_error

COLLECTION = "workflow_rules"
ROOT = "$.workflow_rules[0]"
# Zoho's examples address the rule's own fields as `[*]` and anything nested as `[0]`.
TOP = "$.workflow_rules[*]"


AMBIGUOUS = "Ambiguity while processing the request"


def rule_error(code: str, message: str, api_name: str | None, path: str | None, **extra: Any):
    return field_error(code, message, api_name, path, COLLECTION, **extra)


def invalid(api_name: str, path: str, message: str = "invalid data", **extra: Any) -> ZohoError:
    return rule_error("INVALID_DATA", message, api_name, path, **extra)


def missing(api_name: str, path: str, message: str = "Required field is missing") -> ZohoError:
    return rule_error("MANDATORY_NOT_FOUND", message, api_name, path)


def dependent_missing(dependee: str, dependee_path: str, api_name: str, path: str) -> ZohoError:
    dep = {"api_name": dependee, "json_path": dependee_path}
    return rule_error(
        "DEPENDENT_FIELD_MISSING", "Dependent Field missing", api_name, path, dependee=dep
    )


def not_allowed(api_name: str, path: str, message: str) -> ZohoError:
    return rule_error("NOT_ALLOWED", message, api_name, path)


def ambiguity(message: str, *pairs: tuple[str, str]) -> ZohoError:
    due = [{"api_name": a, "json_path": p} for a, p in pairs]
    return rule_error("AMBIGUITY_DURING_PROCESSING", message, None, None, ambiguity_due_to=due)


def limit_exceeded(api_name: str, limit: int, path: str, message: str) -> ZohoError:
    return rule_error("LIMIT_EXCEEDED", message, api_name, path, limit=limit)
