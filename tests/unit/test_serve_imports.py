"""What `mockcrm serve` does before its first answer: the modules only writes, the engine,
validation, OAuth or a state file need are imported when first used, and URL builders are made
when a URL is first built. Behavioural checks (what is loaded, what is called), never timings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import url_for
from werkzeug.routing import Rule

from mockcrm.app import create_app
from mockcrm.settings import Settings

REPO = Path(__file__).resolve().parents[2]
# `mockcrm serve` up to its first /__admin/health answer, in a fresh interpreter: cli.serve runs
# for real, with waitress's server replaced by one that answers that request and returns.
SERVE_TO_FIRST_HEALTH = """
import json, sys
import waitress
from mockcrm import cli

class OneRequest:
    effective_host, effective_port = "127.0.0.1", 0

    def __init__(self, app, **options):
        self.app = app

    def run(self):
        answer = self.app.test_client().get("/__admin/health")
        assert answer.status_code == 200, answer.status_code

    def close(self):
        pass

waitress.create_server = OneRequest
assert cli.main(["serve", "--port", "0"]) == 0
print(json.dumps(sorted(sys.modules)))
"""
# Not needed to answer the first request: loaded by the requests (or options) that use them.
DEFERRED = (
    "faker",  # the rule generator (--fake-rules)
    "requests",  # webhook delivery (--deliver-webhooks)
    "mockcrm.seed.generator",
    "mockcrm.core.persistence",  # --state-file
    "mockcrm.core.oauth",  # /oauth/v2/*
    "mockcrm.api.admin_bodies",  # admin request bodies (marshmallow schemas)
    "mockcrm.api.admin_openapi",
    "mockcrm.crm.metadata",
    "mockcrm.crm.tags",
    "mockcrm.crm.users",
)


def _serve_modules() -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKCRM_")}
    done = subprocess.run(
        [sys.executable, "-c", SERVE_TO_FIRST_HEALTH],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_serving_the_first_health_check_imports_none_of_the_deferred_modules():
    loaded = _serve_modules()
    assert "mockcrm.app" in loaded and "waitress" in loaded  # it did serve
    assert sorted(m for m in DEFERRED if m in loaded) == []


@pytest.fixture
def builder_calls(monkeypatch) -> list[str]:
    """Every URL builder werkzeug generates (by rule), counted from here on."""
    calls: list[str] = []
    generate: Callable = Rule._compile_builder

    def counted(rule: Rule, *args, **kwargs):
        calls.append(rule.rule)
        return generate(rule, *args, **kwargs)

    monkeypatch.setattr(Rule, "_compile_builder", counted)
    return calls


def test_url_builders_are_generated_on_first_use_only(builder_calls):
    app = create_app(Settings())
    assert len(list(app.url_map.iter_rules())) > 50
    # Adding ~100 routes generated no builder (Flask's own static rule is made in Flask()).
    assert set(builder_calls) <= {"/static/<path:filename>"}
    builder_calls.clear()
    with app.test_request_context():
        assert url_for("admin.get_org", org_id="x") == "/__admin/orgs/x"
        assert url_for("records.get_record", module="Deals", record_id="1", a=2) == (
            "/crm/v8/Deals/1?a=2"
        )
        assert url_for("admin.get_org", org_id="y", _external=True) == (
            "http://localhost/__admin/orgs/y"
        )
    # Only the two rules used, once each (the second admin URL reuses its builder).
    assert sorted(builder_calls) == [
        "/__admin/orgs/<org_id>",
        "/crm/v8/<zoho_module:module>/<record_id>",
    ]


def test_requests_match_and_the_dashboard_builds_its_links(api):
    assert api.client.get("/__admin/health").status_code == 200
    page = api.client.get("/")
    assert page.status_code == 200
    assert "/sandbox/static/dashboard.css" in page.get_data(as_text=True)  # built by url_for


def test_seed_files_read_as_the_json_module_reads_them():
    """The loader reads seed files with orjson (faster start): the values are json's."""
    from mockcrm.seed import loader

    directory = loader.seed_dir("zylker")
    for path in sorted(directory.glob("*.json")):
        assert loader._read(directory, path.stem, None) == json.loads(path.read_text("utf-8"))
