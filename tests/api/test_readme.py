"""The README is the front door: its curl examples answer 200 from the seeded org, and it
lists every admin route and every `mockcrm serve` flag and variable."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path
from urllib.parse import urlsplit

from mockcrm.api.admin import PREFIX, ROUTES
from mockcrm.cli import build_parser
from mockcrm.settings import Settings

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
CURL = re.compile(r"curl [^\n]*?-H '([^']+)'[^\n]*?\\?\n?\s*'(http://127\.0\.0\.1:8080[^']+)'")


def test_readme_curl_examples_answer(app):
    calls = CURL.findall(README)
    assert len(calls) >= 2
    client = app.test_client()
    for header, url in calls:
        name, value = header.split(": ", 1)
        parts = urlsplit(url)
        resp = client.get(parts.path, query_string=parts.query, headers={name: value})
        assert resp.status_code == 200, (url, resp.json)
        assert resp.headers["Content-Type"] == "application/json;charset=UTF-8"


def test_readme_pytest_example_is_a_real_test_file():
    example = (Path(__file__).parents[1] / "plugin" / "test_readme_example.py").read_text()
    assert f"```python\n{example}```" in README


def test_readme_test_command_is_what_ci_runs():
    ci = (Path(__file__).parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    command = "pip install -e '.[test]' && python -m pytest -n 4"
    assert command in README
    assert command.replace("pip install -e", "pip install -q -e") in ci


def _table_rows() -> list[str]:
    """README's table rows, with optional segments (`faults[/{id}]`) written both ways."""
    rows = [line for line in README.splitlines() if line.startswith("|")]
    return [
        variant
        for row in rows
        for variant in (re.sub(r"\[[^]]*\]", "", row), row.replace("[", "").replace("]", ""))
    ]


def test_readme_lists_every_admin_route():
    names = {"<org_id>": "{org}", "<name>": "{name}", "<fault_id>": "{id}"}
    rows = _table_rows()
    missing = []
    for method, rule, _ in ROUTES:
        path = PREFIX + rule
        for flask_name, readme_name in names.items():
            path = path.replace(flask_name, readme_name)
        if not any(re.search(rf"{re.escape(path)}(?![\w/.])", r) and method in r for r in rows):
            missing.append(f"{method} {path}")
    assert missing == []


def test_readme_lists_every_serve_flag_and_variable():
    options = vars(build_parser().parse_args(["serve"])).keys() - {"command"}
    flags = {"--" + option.replace("_", "-") for option in options}
    table = "\n".join(r for r in _table_rows() if r.startswith("| `--"))
    assert sorted(f for f in flags if f"`{f}" not in table) == []
    variables = {f"MOCKCRM_{f.name.upper()}" for f in fields(Settings)}
    assert sorted(v for v in variables if v not in table) == []
