"""The dashboard's HTTP surface without a browser: its only HTML routes, their headers, the
offline guarantee (no external URL), and Zoho's JSON 404 everywhere else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mockcrm.app import create_app
from mockcrm.sandbox import is_dashboard_path
from mockcrm.settings import Settings

SANDBOX = Path(__file__).parents[2] / "mockcrm/sandbox"
JSON_TYPE = "application/json;charset=UTF-8"
NOT_FOUND = {
    "code": "INVALID_URL_PATTERN",
    "details": {},
    "message": "Please check if the URL trying to access is a correct one",
    "status": "error",
}
PAGES = {
    "/": "audit.js",
    "/sandbox/rules/4876876000016390024": "rule.js",
    "/sandbox/try": "try.js",
    "/sandbox/activity": "activity.js",
}


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_html_with_their_script_and_a_strict_policy(client, path):
    resp = client.get(path)
    assert resp.status_code == 200
    assert resp.content_type == "text/html; charset=utf-8"
    html = resp.get_data(as_text=True)
    assert f'<script type="module" src="/sandbox/static/{PAGES[path]}"></script>' in html
    assert '<main id="main"' in html and 'data-org="default"' in html
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "mimetype"),
    [
        ("common.js", "text/javascript"),
        ("criteria.js", "text/javascript"),
        ("audit.js", "text/javascript"),
        ("rule.js", "text/javascript"),
        ("try.js", "text/javascript"),
        ("activity.js", "text/javascript"),
        ("dashboard.css", "text/css"),
    ],
)
def test_static_files_are_served_under_sandbox_static(client, name, mimetype):
    resp = client.get(f"/sandbox/static/{name}")
    assert resp.status_code == 200
    assert resp.mimetype == mimetype
    assert resp.get_data() == (SANDBOX / "static" / name).read_bytes()
    resp.close()


@pytest.mark.parametrize(
    "path",
    [
        "/sandbox",
        "/sandbox/",
        "/sandbox/nope",
        "/sandbox/rules/not-an-id",
        "/sandbox/static/nope.js",
        "/index.html",
        "/static/dashboard.css",
    ],
)
def test_other_paths_keep_zohos_json_404(client, path):
    resp = client.get(path)
    assert (resp.status_code, resp.content_type, resp.json) == (404, JSON_TYPE, NOT_FOUND)


def test_a_write_to_the_dashboard_is_zohos_wrong_method(client):
    resp = client.post("/")
    assert (resp.status_code, resp.content_type) == (400, JSON_TYPE)
    assert resp.json["code"] == "INVALID_REQUEST_METHOD"


def test_org_parameter_is_an_org_id_or_nothing(client):
    html = client.get("/?org=7000000000000000001").get_data(as_text=True)
    assert 'data-org="7000000000000000001"' in html
    assert 'href="/sandbox/try?org=7000000000000000001"' in html
    hostile = client.get('/?org="><script>alert(1)</script>').get_data(as_text=True)
    assert 'data-org="default"' in hostile
    assert "alert(1)" not in hostile


def test_ids_with_a_trailing_newline_are_not_ids(client):
    """`$` also matches before a final newline: the checks must take the whole value."""
    html = client.get("/?org=default%0A").get_data(as_text=True)
    assert 'data-org="default"' in html and 'href="/sandbox/try?org=default"' in html
    html = client.get("/sandbox/try?org=7000000000000000002%0A").get_data(as_text=True)
    assert 'data-org="default"' in html
    resp = client.get("/sandbox/rules/4876876000016390024%0A")
    assert (resp.status_code, resp.json) == (404, NOT_FOUND)


def test_admin_off_is_said_on_the_page(store):
    off = create_app(Settings(no_admin=True), store=store).test_client().get("/")
    assert off.status_code == 200
    assert "The admin API is off" in off.get_data(as_text=True)
    assert 'data-admin-on="false"' in off.get_data(as_text=True)
    on = create_app(Settings(), store=store).test_client().get("/")
    assert "The admin API is off" not in on.get_data(as_text=True)


def test_admin_token_field_only_when_the_server_has_one(store):
    guarded = create_app(Settings(admin_token="t"), store=store).test_client().get("/")
    html = guarded.get_data(as_text=True)
    assert '<label for="admin-token">Admin token</label>' in html
    assert 'data-admin-token-required="true"' in html
    # Submitted before (or without) the script, the token must not end up in the URL: a POST,
    # and no `name`, so the form carries nothing.
    form = re.search(r'<form [^>]*id="admin-token-form"[^>]*>', html).group()
    assert 'method="post"' in form
    field = re.search(r'<input id="admin-token"[^>]*>', html).group()
    assert "name=" not in field
    open_html = create_app(Settings(), store=store).test_client().get("/").get_data(as_text=True)
    assert 'id="admin-token"' not in open_html


def test_nothing_is_loaded_from_elsewhere():
    """Works offline: no URL of another origin in any template, script or stylesheet (the SVG
    namespace is a name, not a request)."""
    files = [*SANDBOX.glob("templates/sandbox/*.html"), *SANDBOX.glob("static/*")]
    assert len(files) == 12  # 5 templates, 6 scripts, 1 stylesheet
    for path in files:
        text = path.read_text().replace("http://www.w3.org/2000/svg", "")
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", text, re.I), path
        assert "innerHTML" not in text, path  # data goes in as text only


def test_pages_never_read_state_in_python():
    """The views render templates only: the data comes from the HTTP API in the browser."""
    views = (SANDBOX / "views.py").read_text()
    assert "store" not in views and "mockcrm.crm" not in views and "mockcrm.core" not in views


@pytest.mark.parametrize(
    ("path", "dashboard"),
    [
        ("/", True),
        ("/sandbox/try", True),
        ("/sandbox/static/common.js", True),
        ("/sandbox", False),
        ("/crm/v8/Deals", False),
        ("/__admin/orgs", False),
        ("/oauth/v2/token", False),
    ],
)
def test_dashboard_paths_are_told_apart_from_api_traffic(path, dashboard):
    assert is_dashboard_path(path) is dashboard


def test_dashboard_loads_are_neither_journaled_nor_faulted(app, store):
    client = app.test_client()
    spec = dict(method=None, path=None, org_id=None, delay_ms=0, probability=None, seed=None)
    store.faults.add(status=500, times=None, **spec)  # every path, every time
    for path in ("/", "/sandbox/try", "/sandbox/static/common.js", "/sandbox/nope"):
        assert client.get(path).status_code in (200, 404)
    assert store.journal.query() == []
