"""The README's curl examples are real: each URL they call answers 200 from the seeded org."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

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
