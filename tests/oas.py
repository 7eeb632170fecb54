"""Check mockcrm responses against Zoho's OpenAPI files copied into ``tests/zoho_oas``.

    from oas import validate_response, zoho_example

    validate_response("workflow_rules", "getWorkflowRules", 200, resp.get_json())
    body = zoho_example("workflow_rules", "deleteWorkflowRules", 400, "MultipleErrorResponse")

Operation ids: Zoho's JSON specs (schemas) and annotated YAML specs (examples) name several
operations differently (``postWebhooks`` vs ``createWebhooks``). Every function here accepts
either name; they are matched through the operation's method and path.

Judge only *successful* responses by the schemas: the JSON error schemas are narrower than
what Zoho returns (see the reference README); compare error bodies with ``zoho_example``.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

OAS_DIR = Path(__file__).resolve().parent / "zoho_oas"
EXAMPLES_DIR = OAS_DIR / "examples"
MAX_REPORTED_ERRORS = 10

# Documented, reasoned departures from Zoho's JSON schemas. An error is ignored when its
# instance path starts with ``path_pattern`` ("/"-separated, "*" = any one key or index) for
# that spec and operation ("*" = every operation of the spec) and, if the entry names a
# ``keyword``, the failing schema keyword is that one. For an unexpected or missing property
# the property's own path is matched, so "workflow_rules/*/foo" also covers an extra "foo".
_SAMPLE_SIZED = (
    "maxItems here is the size of the sample the JSON schema was generated from; Zoho's later "
    "YAML spec (crm-oas ff5c91b) allows more (e.g. 200 per page for lists, 10 ids per bulk call)"
)


_NULL_IN_ZOHO = "Zoho's own example {} returns null here; the YAML spec allows null"


def _deviation(spec: str, op: str, path: str, keyword: str, reason: str) -> dict[str, str]:
    return {
        "spec": spec,
        "operation_id": op,
        "path_pattern": path,
        "keyword": keyword,
        "reason": reason,
    }


DEVIATIONS: list[dict[str, str]] = [
    *(
        _deviation(spec, op, path, "maxItems", _SAMPLE_SIZED)
        for spec, op, path in (
            ("workflow_rules", "getWorkflowRules", "workflow_rules/*/conditions"),
            ("workflow_rules", "getWorkflowRuleById", "workflow_rules/*/conditions"),
            ("workflow_configurations", "getWorkflowConfigurations", "workflow_configurations"),
            ("field_updates", "getFieldUpdates", "field_updates"),
            ("field_updates", "getFieldUpdateById", "field_updates/*"),
            ("field_updates", "deleteFieldUpdates", "field_updates"),
            ("workflow_tasks", "getTasks", "tasks"),
            ("workflow_tasks", "getTaskById", "tasks/*"),
            ("workflow_tasks", "deleteTasks", "tasks"),
            ("webhooks", "getWebhooks", "webhooks"),
            ("webhooks", "getWebhookById", "webhooks/*"),
            ("webhooks", "deleteWebhooks", "webhooks"),
            ("webhooks", "getWebhookFailures", "webhook_failures"),
            ("webhooks", "getUsageReports", "data_usage"),
            ("webhooks", "getAssociatedModules", "associated_modules"),
        )
    ),
    *(
        _deviation("webhooks", op, path, keyword, _NULL_IN_ZOHO.format(f"{op} 200 {example}"))
        for op, path, keyword, example in (
            ("getWebhooks", "webhooks/*/lock_status/message", "type", "Success200Paginated"),
            ("getWebhookById", "webhooks/*/lock_status/message", "type", "Success200"),
            ("getWebhookById", "webhooks/*/body/format", "enum", "Success200"),
            ("getWebhookById", "webhooks/*/url_parameters", "type", "Success200"),
        )
    ),
    *(
        _deviation(
            "field_updates",
            op,
            path,
            "additionalProperties",
            "include_inner_details adds field metadata this JSON schema predates: Zoho's YAML "
            "FieldDetails has field_label and data_type; getFieldUpdateById's text also names "
            "enable_colour_code, pick_list_values.colour_code and display_value, which no schema "
            "places (README, Fidelity notes)",
        )
        for op in ("getFieldUpdates", "getFieldUpdateById")
        for item in ("field_updates/*", "field_updates/*/dependent_fields/*")
        for path in (
            *(
                f"{item}/field/{key}"
                for key in ("field_label", "data_type", "enable_colour_code", "pick_list_values")
            ),
            f"{item}/display_value",
        )
    ),
    *(
        _deviation(
            "record",
            "getRecords",
            f"info/{key}",
            "type",
            "Zoho's getRecords example returns previous_page_token null, and the record list "
            "info keys are string-or-null (fact sheet core §3.2): null when there is no page",
        )
        for key in ("next_page_token", "previous_page_token", "page_token_expiry")
    ),
    *(
        _deviation(
            "tags",
            "postTags",
            path,
            keyword,
            "Zoho's postTags 207 schema admits only DUPLICATE_DATA item errors (and needs one), "
            "but Zoho's create-tag doc lists MANDATORY_NOT_FOUND, INVALID_DATA (too long, wrong "
            "type, special characters) and MAPPING_MISMATCH items in a 207 (fact sheet core §4.3)",
        )
        for path, keyword in (
            ("tags", "contains"),
            ("tags/*/code", "enum"),
            ("tags/*/message", "enum"),
            ("tags/*/details", "required"),
            ("tags/*/details", "additionalProperties"),
        )
    ),
    *(
        _deviation(
            "record",
            "upsertRecords",
            f"data/*/{key}",
            "additionalProperties",
            "Zoho's upsert docs (Upsert_Records_158) show action and duplicate_field on each "
            "result, and the official SDK's record SuccessResponse reads them",
        )
        for key in ("action", "duplicate_field")
    ),
]

# jsonschema checks "date-time" only when an optional package is installed; check the shape
# Zoho uses (2024-05-20T10:15:00+05:30) ourselves so results don't depend on the environment.
FORMAT_CHECKER = FormatChecker(formats=())
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@FORMAT_CHECKER.checks("date-time")
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or _DATE_TIME.fullmatch(value) is not None


@FORMAT_CHECKER.checks("date")
def _is_date(value: object) -> bool:
    return not isinstance(value, str) or _DATE.fullmatch(value) is not None


# Zoho's users/org e-mail patterns use Unicode property classes that Python's `re` lacks.
_UNICODE_CLASSES = {r"\p{L}": r"\w", r"\p{N}": r"\d", r"\p{M}": "\u0300-\u036f"}


def _python_patterns(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _python_patterns(v) for k, v in node.items()}
        if isinstance(out.get("pattern"), str):
            for prop, plain in _UNICODE_CLASSES.items():
                out["pattern"] = out["pattern"].replace(prop, plain)
        return out
    if isinstance(node, list):
        return [_python_patterns(v) for v in node]
    return node


@cache
def _spec(spec: str) -> dict[str, Any]:
    return _python_patterns(json.loads((OAS_DIR / f"{spec}.json").read_text(encoding="utf-8")))


@cache
def _examples(spec: str) -> dict[str, Any]:
    path = EXAMPLES_DIR / f"{spec}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


@cache
def _registry(spec: str) -> Registry:
    return Registry().with_resource(_uri(spec), Resource(_spec(spec), specification=DRAFT202012))


def _uri(spec: str) -> str:
    return f"urn:zoho-oas:{spec}"


def _route(method: str, path: str) -> tuple[str, str]:
    # Path parameter names differ between the renditions ({id} vs {webhookId}).
    return method.upper(), re.sub(r"\{[^}]*\}", "{}", path)


@cache
def _spec_operations(spec: str) -> dict[str, tuple[tuple[str, str], str]]:
    """operationId -> (route, JSON pointer of the operation) for the JSON spec."""
    ops: dict[str, tuple[tuple[str, str], str]] = {}
    for path, item in _spec(spec)["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and "operationId" in op:
                pointer = f"/paths/{_escape(path)}/{method}"
                ops[op["operationId"]] = (_route(method, path), pointer)
    return ops


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def _route_of(spec: str, operation_id: str) -> tuple[str, str] | None:
    if operation_id in _spec_operations(spec):
        return _spec_operations(spec)[operation_id][0]
    example_op = _examples(spec).get(operation_id)
    return _route(example_op["method"], example_op["path"]) if example_op else None


def _known_ids(spec: str) -> list[str]:
    return sorted(set(_spec_operations(spec)) | set(_examples(spec)))


def _schema_operation(spec: str, operation_id: str) -> tuple[str, str]:
    """(canonical JSON operationId, JSON pointer) of an operation named in either rendition."""
    route = _route_of(spec, operation_id)
    for op_id, (op_route, pointer) in _spec_operations(spec).items():
        if op_route == route:
            return op_id, pointer
    if route is None:
        raise KeyError(f"{spec}: unknown operation {operation_id!r}; known: {_known_ids(spec)}")
    raise AssertionError(f"{spec}: {operation_id} ({' '.join(route)}) has no JSON schema at all")


def _resolve(spec: str, pointer: str) -> Any:
    node: Any = _spec(spec)
    for segment in pointer.lstrip("/").split("/"):
        segment = segment.replace("~1", "/").replace("~0", "~")
        node = node[int(segment)] if isinstance(node, list) else node[segment]
    return node


def _response_schema_pointer(spec: str, op_pointer: str, status: int | str) -> str:
    responses = _resolve(spec, op_pointer)["responses"]
    pointer = f"{op_pointer}/responses/{status}"
    response = responses.get(str(status))
    while isinstance(response, dict) and "$ref" in response:
        pointer = response["$ref"].removeprefix("#")
        response = _resolve(spec, pointer)
    media = (response or {}).get("content", {}).get("application/json", {})
    if "schema" not in media:
        with_schema = [
            code
            for code, resp in responses.items()
            if "schema" in resp.get("content", {}).get("application/json", {}) or "$ref" in resp
        ]
        raise AssertionError(
            f"{spec}: {op_pointer} documents no JSON schema for status {status}; "
            f"statuses with one: {with_schema}"
        )
    return f"{pointer}/content/{_escape('application/json')}/schema"


def _matches(path: Sequence[object], pattern: str) -> bool:
    parts = pattern.strip("/").split("/")
    if len(parts) > len(path):
        return False
    return all(part in ("*", str(seg)) for part, seg in zip(parts, path, strict=False))


def _error_paths(error: ValidationError) -> list[tuple[object, ...]]:
    """Instance paths an error is about, down to the offending property where there is one."""
    base = tuple(error.absolute_path)
    instance, schema = error.instance, error.schema
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        props = schema.get("properties", {}) if isinstance(schema, dict) else {}
        patterns = schema.get("patternProperties", {}) if isinstance(schema, dict) else {}
        extra = [
            key
            for key in instance
            if key not in props and not any(re.search(p, key) for p in patterns)
        ]
        return [(*base, key) for key in extra] or [base]
    if error.validator == "required" and isinstance(instance, dict):
        missing = [key for key in error.validator_value if key not in instance]
        return [(*base, key) for key in missing] or [base]
    return [base]


def _excused(error: ValidationError, deviations: list[dict[str, str]]) -> bool:
    rules = [
        d["path_pattern"]
        for d in deviations
        if d.get("keyword", error.validator) == error.validator
    ]
    return all(any(_matches(path, rule) for rule in rules) for path in _error_paths(error))


def _unexcused(
    errors: Iterable[ValidationError], deviations: list[dict[str, str]]
) -> list[ValidationError]:
    """Errors left once deviations are applied; a oneOf/anyOf passes if one branch is excused."""
    left = []
    for error in errors:
        if deviations and _excused(error, deviations):
            continue
        if error.validator in ("oneOf", "anyOf") and error.context and deviations:
            branches: dict[object, list[ValidationError]] = {}
            for sub in error.context:
                branches.setdefault(sub.relative_schema_path[0], []).append(sub)
            if any(not _unexcused(subs, deviations) for subs in branches.values()):
                continue
        left.append(error)
    return left


def _describe(error: ValidationError) -> str:
    text = f"at /{'/'.join(map(str, error.absolute_path))} ({error.validator}): "
    text += _short(error.message)
    if error.context:
        # A failed oneOf says only "not valid under any"; show the most plausible leaf.
        best = best_match(error.context)
        while best.context:
            best = best_match(best.context)
        text += f"\n      best branch: /{'/'.join(map(str, best.absolute_path))}: "
        text += _short(best.message)
    return text


def _short(message: str, keep: int = 120) -> str:
    # Messages quote the whole instance first and state the problem last; keep both ends.
    if len(message) <= 2 * keep + 5:
        return message
    return f"{message[:keep]} ... {message[-keep:]}"


def validate_response(spec: str, operation_id: str, status: int, body: object) -> None:
    """Assert that ``body`` matches the JSON schema Zoho documents for this response."""
    canonical, op_pointer = _schema_operation(spec, operation_id)
    pointer = _response_schema_pointer(spec, op_pointer, status)
    validator = Draft202012Validator(
        {"$ref": f"{_uri(spec)}#{pointer}"},
        registry=_registry(spec),
        format_checker=FORMAT_CHECKER,
    )
    deviations = [
        dev
        for dev in DEVIATIONS
        if dev["spec"] == spec
        and (
            dev["operation_id"] == "*"
            or _schema_operation(spec, dev["operation_id"])[0] == canonical
        )
    ]
    errors = _unexcused(validator.iter_errors(body), deviations)
    if errors:
        errors.sort(key=lambda e: list(map(str, e.absolute_path)))
        lines = [_describe(e) for e in errors[:MAX_REPORTED_ERRORS]]
        more = len(errors) - MAX_REPORTED_ERRORS
        if more > 0:
            lines.append(f"... and {more} more")
        raise AssertionError(
            f"{spec} {operation_id} {status}: body does not match Zoho's schema "
            f"({len(errors)} error(s)):\n  - " + "\n  - ".join(lines)
        )


def _example_operation(spec: str, operation_id: str) -> dict[str, Any]:
    examples = _examples(spec)
    if operation_id in examples:
        return examples[operation_id]
    route = _route_of(spec, operation_id)
    for op in examples.values():
        if _route(op["method"], op["path"]) == route:
            return op
    raise KeyError(f"{spec}: no examples for {operation_id!r}; known: {sorted(examples)}")


def example_names(spec: str, operation_id: str, status: int | str) -> list[str]:
    """Names of Zoho's example bodies for one response status (empty if none)."""
    return list(_example_operation(spec, operation_id)["responses"].get(str(status), {}))


def _pick(examples: dict[str, Any], name: str | None, what: str) -> object:
    if name is None:
        if len(examples) != 1:
            raise KeyError(f"{what}: {len(examples)} examples, pass a name: {list(examples)}")
        name = next(iter(examples))
    if name not in examples:
        raise KeyError(f"{what}: no example {name!r}; available: {list(examples)}")
    # Callers may edit the body; keep the cached copy intact.
    return copy.deepcopy(examples[name])


def zoho_example(
    spec: str, operation_id: str, status: int | str, name: str | None = None
) -> object:
    """One of Zoho's documented response bodies (a fresh copy)."""
    responses = _example_operation(spec, operation_id)["responses"]
    if str(status) not in responses:
        raise KeyError(
            f"{spec} {operation_id}: no examples for status {status}; have {list(responses)}"
        )
    return _pick(responses[str(status)], name, f"{spec} {operation_id} {status}")


def zoho_request_example(spec: str, operation_id: str, name: str | None = None) -> object:
    """One of Zoho's documented request bodies (a fresh copy)."""
    requests = _example_operation(spec, operation_id)["requests"]
    return _pick(requests, name, f"{spec} {operation_id} request")


def described_trigger_types(spec: str = "workflow_rules") -> frozenset[str]:
    """The `execute_when` types Zoho's schema describes (its oneOf branches). The catalogue has
    more (call ring and start, social, signals, ...): no schema can check a rule of those."""
    schemas = _spec(spec)["components"]["schemas"]

    def resolved(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = schemas[node["$ref"].rsplit("/", 1)[-1]]
        return node

    branches = schemas["ExecuteWhenNestedSchema"]["oneOf"]
    return frozenset(t for b in branches for t in resolved(b)["properties"]["type"]["enum"])
