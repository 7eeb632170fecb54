"""Copy what the tests need from ``../shared/reference`` into the repo (design.md §6).

Run by hand after the reference material changes; the output is committed so the tests
never read ``../shared``::

    python scripts/copy_reference.py [--shared ../shared]

Writes:
- ``tests/zoho_oas/<name>.json``: Zoho's JSON specs, structure only (prose and examples removed);
- ``tests/zoho_oas/examples/<name>.json``: example values from Zoho's annotated YAML specs;
- ``tests/fixtures/kaizen_215_requests.json``: the Kaizen request bodies, unchanged.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

import yaml  # dev extra only: the tests read the JSON this script writes

REPO = Path(__file__).resolve().parent.parent

SPEC_NAMES = (
    "workflow_rules",
    "workflow_configurations",
    "field_updates",
    "workflow_tasks",
    "webhooks",
    "tags",
    "modules",
    "fields",
    "record",
    "org",
    "users",
)
YAML_NAMES = (
    "workflow_rules",
    "workflow_configurations",
    "field_updates",
    "workflow_tasks",
    "webhooks",
)
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

STRIPPED_KEYS = frozenset({"description", "summary", "example", "examples"})

# Objects whose keys are names chosen by the spec author (a property literally called
# "description", a schema called "Summary", a status code...), never OAS/JSON Schema keywords.
NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "dependentSchemas",
        "dependentRequired",
        "$defs",
        "definitions",
        "schemas",
        "parameters",
        "responses",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "paths",
        "webhooks",
        "content",
        "encoding",
        "variables",
        "mapping",
    }
)


def _is_annotation(key: str) -> bool:
    return key in STRIPPED_KEYS or key.startswith("x-zs-llm-")


def strip_prose(node: Any, *, is_name_map: bool = False) -> Any:
    """Return ``node`` without description/summary/example(s)/x-zs-llm-* annotation keys."""
    if isinstance(node, list):
        return [strip_prose(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if is_name_map:
            out[key] = strip_prose(value)
        elif _is_annotation(key):
            continue
        elif key == "scopes" and isinstance(value, dict):
            # OAuth scope values are prose; the scope names are the facts.
            out[key] = dict.fromkeys(value, "")
        else:
            out[key] = strip_prose(value, is_name_map=key in NAME_MAPS and isinstance(value, dict))
    return out


def _example_values(media: dict[str, Any]) -> dict[str, Any]:
    examples: dict[str, Any] = {}
    for name, example in (media.get("examples") or {}).items():
        if "value" not in example:
            raise ValueError(f"example {name!r} has no inline value: {sorted(example)}")
        examples[name] = example["value"]
    if "example" in media:
        examples["default"] = media["example"]
    return examples


def _json_media(content: dict[str, Any], where: str) -> dict[str, Any]:
    others = [ctype for ctype, media in content.items() if ctype != "application/json" and media]
    if others:
        # The output format has no content-type level; fail loudly rather than drop examples.
        raise ValueError(f"{where}: unexpected content types {others}")
    return content.get("application/json") or {}


def extract_examples(doc: dict[str, Any]) -> dict[str, Any]:
    """Map operationId -> {method, path, requests, responses} of example values."""
    operations: dict[str, Any] = {}
    for path, item in doc["paths"].items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            op_id = op["operationId"]
            where = f"{method.upper()} {path} ({op_id})"
            body = op.get("requestBody") or {}
            responses: dict[str, Any] = {}
            for status, response in op.get("responses", {}).items():
                if "$ref" in response:
                    raise ValueError(f"{where}: response $ref not supported: {response['$ref']}")
                values = _example_values(_json_media(response.get("content") or {}, where))
                if values:
                    responses[str(status)] = values
            operations[op_id] = {
                # Kept so tests can map the YAML operationIds onto the JSON specs' ones,
                # which differ for several operations (e.g. createWebhooks vs postWebhooks).
                "method": method.upper(),
                "path": path,
                "requests": _example_values(_json_media(body.get("content") or {}, where)),
                "responses": responses,
            }
            _check_llm_examples(op, operations[op_id], where)
    return operations


def _check_llm_examples(op: dict[str, Any], extracted: dict[str, Any], where: str) -> None:
    """x-zs-llm-examples only name regular examples; fail if one ever carries its own body."""
    media = _json_media((op.get("requestBody") or {}).get("content") or {}, where)
    known = set(extracted["requests"])
    for status in extracted["responses"].values():
        known |= set(status)
    for names in (op.get("x-zs-llm-examples"), media.get("x-zs-llm-examples")):
        if names is None:
            continue
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError(f"{where}: x-zs-llm-examples is not a list of names: {names!r}")
        missing = set(names) - known
        if missing:
            raise ValueError(f"{where}: x-zs-llm-examples names unknown examples {missing}")


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # indent=1 keeps one value per line: larger than compact JSON but reviewable in diffs.
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=REPO.parent / "shared",
        help="the shared directory (default: <repo>/../shared)",
    )
    args = parser.parse_args(argv)
    oas_src = args.shared / "reference" / "zoho-oas" / "v8.0"
    if not oas_src.is_dir():
        parser.error(f"{oas_src} not found; pass --shared")
    oas_dst = REPO / "tests" / "zoho_oas"

    for name in SPEC_NAMES:
        doc = json.loads((oas_src / f"{name}.json").read_text(encoding="utf-8"))
        write_json(oas_dst / f"{name}.json", strip_prose(doc))
        print(f"spec      {name}: {len(doc['paths'])} paths")

    for name in YAML_NAMES:
        with (oas_src / name / f"{name}.yaml").open(encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
        examples = extract_examples(doc)
        write_json(oas_dst / "examples" / f"{name}.json", examples)
        count = sum(
            len(op["requests"]) + sum(len(v) for v in op["responses"].values())
            for op in examples.values()
        )
        print(f"examples  {name}: {len(examples)} operations, {count} examples")

    fixture = REPO / "tests" / "fixtures" / "kaizen_215_requests.json"
    fixture.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(args.shared / "reference" / "kaizen-215-requests.json", fixture)
    print(f"fixture   {fixture.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
