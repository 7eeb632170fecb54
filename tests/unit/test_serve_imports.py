"""What `mockcrm serve` does before its first answer: the modules only writes, the engine,
validation, OAuth or a state file need are imported when first used, and URL builders are made
when a URL is first built; reads never load marshmallow (writes validate with it). Behavioural
checks (what is loaded, what is called), never timings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import url_for
from werkzeug.routing import Rule

from mockcrm.app import create_app
from mockcrm.settings import Settings

REPO = Path(__file__).resolve().parents[2]
# `mockcrm serve` up to its first /__admin/health answer, in a fresh interpreter: cli.serve runs
# for real (granian imported, the socket bound), with the serving loop replaced by one request.
SERVE_TO_FIRST_HEALTH = """
import json, sys
from mockcrm import cli, server

def one_request(app, sock, threads, on_stop=None):
    from werkzeug.test import Client

    answer = Client(app).get("/__admin/health")
    assert answer.status_code == 200, answer.status_code
    sock.close()

server.serve = one_request
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
    "mockcrm.crm.layouts",
    "mockcrm.crm.business_hours",
    "mockcrm.crm.holidays",
    "marshmallow",  # request-body validation: writes only (its import compiles big regexes)
    "mockcrm.crm.validation",
    "xml.sax",  # not needed at all: webhook XML bodies escape with engine_outbox._markup_escape
    "urllib.request",
)
# Loaded by the first write, never by a read.
WRITE_ONLY = (
    "marshmallow",
    "mockcrm.crm.validation",
    "mockcrm.crm.schemas.rules",
    "mockcrm.crm.schemas.actions",
    "mockcrm.crm.schemas.tags",
    "mockcrm.crm.schemas.business_settings",
)
# In a fresh interpreter: read-only API calls through the Flask test client, then one write;
# reports the statuses and the modules loaded after the reads and after the write.
READS_THEN_A_WRITE = """
import json, sys
from mockcrm.app import create_app
from mockcrm.settings import Settings

client = create_app(Settings()).test_client()
auth = {"Authorization": "Zoho-oauthtoken reader"}
rules = "/crm/v8/settings/automation/workflow_rules"
listed = client.get(rules, query_string={"module": "Deals"}, headers=auth)
webhooks = client.get("/crm/v8/settings/automation/webhooks", headers=auth)
reads = [
    listed,
    client.get(f"{rules}/{listed.json['workflow_rules'][0]['id']}", headers=auth),
    webhooks,
    client.get("/crm/v8/Deals", query_string={"fields": "Deal_Name"}, headers=auth),
    client.get("/crm/v8/settings/modules", headers=auth),
    client.get("/crm/v8/settings/fields", query_string={"module": "Deals"}, headers=auth),
    client.get("/crm/v8/settings/tags", query_string={"module": "Deals"}, headers=auth),
]
after_reads = sorted(sys.modules)
webhook = next(w for w in webhooks.json["webhooks"] if w["module"]["api_name"] == "Deals")
action = {"type": "webhooks", "id": webhook["id"]}
condition = {
    "sequence_number": 1,
    "criteria_details": {"criteria": None},
    "instant_actions": {"actions": [action]},
}
rule = {
    "name": "first write",
    "module": {"api_name": "Deals"},
    "execute_when": {"type": "create", "details": {}},
    "conditions": [condition],
}
created = client.post(rules, json={"workflow_rules": [rule]}, headers=auth)
print(json.dumps({
    "reads": [r.status_code for r in reads],
    "after_reads": after_reads,
    "created": created.status_code,
    "after_write": sorted(sys.modules),
}))
"""


def _fresh(script: str) -> Any:
    """Run `script` in a fresh interpreter (no MOCKCRM_* settings): the JSON value of its last
    output line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKCRM_")}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def _serve_modules() -> set[str]:
    return set(_fresh(SERVE_TO_FIRST_HEALTH))


def test_serving_the_first_health_check_imports_none_of_the_deferred_modules():
    loaded = _serve_modules()
    assert "mockcrm.app" in loaded and "granian.server.mt" in loaded  # it did serve
    assert sorted(m for m in DEFERRED if m in loaded) == []


def test_reads_never_load_marshmallow_and_the_first_write_does():
    seen = _fresh(READS_THEN_A_WRITE)
    assert seen["reads"] == [200] * 7
    # The reads ran their crm code (rules, entities, records, metadata, tags), and none of it
    # loaded marshmallow, its schemas or the translator.
    read_code = {"workflow_rules", "actions", "records", "metadata", "tags"}
    assert {f"mockcrm.crm.{name}" for name in read_code} <= set(seen["after_reads"])
    assert [m for m in WRITE_ONLY if m in seen["after_reads"]] == []
    assert seen["created"] == 201
    assert sorted(m for m in WRITE_ONLY if m in seen["after_write"]) == [
        "marshmallow",
        "mockcrm.crm.schemas.rules",
        "mockcrm.crm.validation",
    ]


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


def test_the_server_module_loads_without_the_app():
    """benchmarks/floor_app.py serves a bare Flask app through mockcrm.server: importing it (and
    the package) must not load mockcrm's app, or the floor's start-up would carry mockcrm's.
    `mockcrm.create_app` still works, loaded when first asked for."""
    seen = _fresh(
        "import json, sys\n"
        "import mockcrm, mockcrm.server\n"
        "before = 'mockcrm.app' in sys.modules\n"
        "create_app = mockcrm.create_app\n"
        "print(json.dumps([before, 'mockcrm.app' in sys.modules, create_app.__module__]))\n"
    )
    assert seen == [False, True, "mockcrm.app"]
