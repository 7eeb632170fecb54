"""Schemathesis over Zoho's own OpenAPI files, against an in-process mockcrm (WSGI, no socket).

For every operation of a spec: one valid request and Zoho's documented request examples
(tests/zoho_oas/examples) sent to real Zylker objects, then ``EXAMPLES`` requests drawn by
Hypothesis in each of schemathesis' generation modes (positive: what the spec allows;
negative: what it forbids), part of them "anchored" (path ids, ``module``, ``ids`` naming
objects the seed really has, so bodies reach the validators instead of stopping at an unknown
id; tests/fuzz/fuzz_bodies.py). Every response is checked:

- ``not_a_server_error``: no 5xx;
- Zoho's envelope: every body (all but 204/304) is JSON, either ``{code, details, message,
  status}`` or ``{<collection>: [...] | {...}, "info"?: {...}}`` whose per-item results carry
  ``{code, details, message, status}`` too;
- schema conformance of successful (2xx) bodies with ``oas.validate_response`` (the one
  ``DEVIATIONS`` list). Error bodies are not judged by the JSON error schemas: they are
  narrower than what Zoho returns (see tests/oas.py); tests/api compares them with Zoho's
  examples instead.

The store is reset to the seed before each operation and mode, so fuzzed writes never pile up.
Generation is derandomized; schemathesis iterates some sets, so counts may differ by a few
requests between runs (string hashing differs per process).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemathesis
from fuzz_bodies import EXTRA_QUERY, anchors, valid_bodies
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from oas import validate_response
from schemathesis.checks import not_a_server_error

from mockcrm.app import create_app
from mockcrm.core.store import Store
from mockcrm.settings import Settings

OAS_DIR = Path(__file__).resolve().parent.parent / "zoho_oas"
# Every spec scripts/copy_reference.py copied, so the two never list them apart.
SPECS = tuple(sorted(path.stem for path in OAS_DIR.glob("*.json")))
AUTH = {"Authorization": "Zoho-oauthtoken fuzz"}
# The specs' paths are relative to https://zohoapis.{dc}/crm/{version}: only the path counts
# with the WSGI transport, so any host does.
BASE_URL = "http://mockcrm.test/crm/v8"
# Requests per operation and generation mode; bounded so the 11 specs take well under a
# minute of CPU. MOCKCRM_FUZZ_EXAMPLES raises it for a longer local run.
EXAMPLES = int(os.environ.get("MOCKCRM_FUZZ_EXAMPLES", "10"))
# CI draws derandomized cases; MOCKCRM_FUZZ_SEED=<n> explores other ones locally.
SEED = os.environ.get("MOCKCRM_FUZZ_SEED")
ENVELOPE_KEYS = {"code", "details", "message", "status"}
NO_BODY = (204, 304)


@dataclass
class FuzzRun:
    """What fuzzing one spec did: requests sent, statuses seen, and what failed."""

    spec: str
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def load_schema(spec: str) -> Any:
    raw = json.loads((OAS_DIR / f"{spec}.json").read_text(encoding="utf-8"))
    raw["servers"] = [{"url": BASE_URL}]
    return schemathesis.openapi.from_dict(raw, config=schemathesis.Config())


def documented_bodies(spec: str, method: str, path: str) -> list[Any]:
    """Zoho's own request examples for an operation (tests/zoho_oas/examples), if any."""
    file = OAS_DIR / "examples" / f"{spec}.json"
    if not file.exists():
        return []
    route = (method.upper(), re.sub(r"\{[^}]*\}", "{}", path))
    return [
        body
        for op in json.loads(file.read_text(encoding="utf-8")).values()
        if (op["method"].upper(), re.sub(r"\{[^}]*\}", "{}", op["path"])) == route
        for body in op.get("requests", {}).values()
    ]


def fixed_parameters(operation: Any, values: dict[str, str]) -> dict[str, dict[str, str]]:
    """The operation's path and query parameters that have an anchor value."""
    path = {p.name: values[p.name] for p in operation.path_parameters if p.name in values}
    query = {p.name: values[p.name] for p in operation.query if p.name in values}
    query |= EXTRA_QUERY.get((operation.method.upper(), operation.path), {})
    return {"path_parameters": path, "query": query}


def case_strategy(operation: Any, mode: Any, values: dict[str, str]) -> st.SearchStrategy:
    """Free cases, or cases whose anchored parameters name real objects."""
    free = operation.as_strategy(generation_mode=mode)
    fixed = fixed_parameters(operation, values)
    if not any(fixed.values()):
        return free
    return st.one_of(free, operation.as_strategy(generation_mode=mode, **fixed))


def envelope_problem(body: Any) -> str | None:
    """Why ``body`` is not in a Zoho envelope, or None when it is."""
    if not isinstance(body, dict) or not body:
        return "not a JSON object"
    if "code" in body or "status" in body:
        return _status_item_problem(body)
    collections = {key: value for key, value in body.items() if key != "info"}
    if not collections:
        return "only 'info'"
    for key, value in collections.items():
        if not isinstance(value, list | dict):
            return f"'{key}' is {type(value).__name__}, not a collection"
        items = value if isinstance(value, list) else []
        for item in items:
            if not isinstance(item, dict):
                return f"'{key}' holds a {type(item).__name__}"
            if "status" in item and "code" in item and (problem := _status_item_problem(item)):
                return f"'{key}' item: {problem}"
    if "info" in body and not isinstance(body["info"], dict):
        return "'info' is not an object"
    return None


def _status_item_problem(item: dict[str, Any]) -> str | None:
    # Extra keys are Zoho's too (upsert results add `action` and `duplicate_field`).
    if missing := ENVELOPE_KEYS - set(item):
        return f"result keys {sorted(item)} lack {sorted(missing)}"
    if item["status"] not in ("success", "error"):
        return f"status {item['status']!r}"
    if not isinstance(item["code"], str) or not isinstance(item["message"], str):
        return "code/message not strings"
    if not isinstance(item["details"], dict):
        return "details not an object"
    return None


def check(spec: str, case: Any, response: Any) -> None:
    """The three checks; raises AssertionError (or schemathesis' failure) with the reason."""
    case.validate_response(response, checks=[not_a_server_error])
    status = response.status_code
    if status in NO_BODY:
        assert not response.content, f"{status} with a body"
        return
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.startswith("application/json"), f"{status} Content-Type {content_type!r}"
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"{status}: body is not JSON: {response.content[:200]!r}") from None
    problem = envelope_problem(body)
    assert problem is None, f"{status}: not a Zoho envelope ({problem}): {_short(body)}"
    if 200 <= status < 300:
        validate_response(spec, case.operation.definition.raw["operationId"], status, body)


def _short(body: Any) -> str:
    text = json.dumps(body, ensure_ascii=False)
    return text if len(text) <= 400 else text[:400] + "..."


def _fresh_store() -> tuple[Any, Store]:
    app = create_app(Settings())
    return app, app.extensions["mockcrm.store"]


def fuzz_spec(spec: str, examples: int = EXAMPLES) -> FuzzRun:
    """Fuzz every operation of one spec; failures are collected, not raised."""
    run = FuzzRun(spec)
    schema = load_schema(spec)
    app, store = _fresh_store()
    for result in schema.get_all_operations():
        operation = result.ok()
        store.reset()
        values = anchors(store.default_org(), spec)
        # Valid bodies and Zoho's documented ones, sent to real objects: they reach the success
        # paths (created/updated bodies judged by the schema) that random bodies rarely reach.
        route = (operation.method.upper(), operation.path)
        bodies = valid_bodies(spec, values).get(route, [])
        for body in bodies + documented_bodies(spec, operation.method, operation.path):
            case = operation.Case(body=body, **fixed_parameters(operation, values))
            _send(run, app, case)
        for mode in generation_modes(operation):
            store.reset()
            _fuzz_operation(run, app, operation, case_strategy(operation, mode, values), examples)
    return run


def generation_modes(operation: Any) -> list[Any]:
    """Positive always; negative where there is a body or a query to make invalid (a lone
    unconstrained path string cannot be, and Hypothesis would search long to find that out)."""
    modes = [schemathesis.GenerationMode.POSITIVE]
    if operation.body or list(operation.query):
        modes.append(schemathesis.GenerationMode.NEGATIVE)
    return modes


def _send(run: FuzzRun, app: Any, case: Any) -> None:
    response = case.call(app=app, headers=AUTH)
    run.requests += 1
    run.statuses[response.status_code] += 1
    try:
        check(run.spec, case, response)
    except (AssertionError, BaseExceptionGroup) as error:  # schemathesis' FailureGroup
        run.failures.append(_describe(case, response, error))


def _fuzz_operation(run: FuzzRun, app: Any, operation: Any, strategy: Any, examples: int) -> None:
    last_failure: list[str] = []

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=SEED is None,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        print_blob=False,
    )
    @given(strategy)
    def send(case: Any) -> None:
        response = case.call(app=app, headers=AUTH)
        run.requests += 1
        run.statuses[response.status_code] += 1
        try:
            check(run.spec, case, response)
        except (AssertionError, BaseExceptionGroup) as error:  # schemathesis' FailureGroup
            last_failure[:] = [_describe(case, response, error)]
            raise

    if SEED is not None:
        send = seed(int(SEED))(send)
    try:
        send()
    except Unsatisfiable:
        # Negative mode: the operation has nothing that can be made invalid (e.g. no params).
        return
    except (AssertionError, BaseExceptionGroup):
        run.failures.append(last_failure[0] if last_failure else f"{operation.label}: crashed")


def _describe(case: Any, response: Any, error: BaseException) -> str:
    body = response.content[:300].decode("utf-8", "replace")
    lines = str(error).strip().splitlines() or [type(error).__name__]
    reason = "\n    ".join(lines[:12])
    return (
        f"{case.operation.label} -> {response.status_code}: {reason}\n"
        f"    {case.as_curl_command(headers=AUTH)}\n    body: {body}"
    )
