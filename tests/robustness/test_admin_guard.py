"""Who may call the admin API (api/admin_guard.py): no page of another origin (a plain form POST
reset every org), and, on a loopback server without an admin token, loopback host names only
(DNS rebinding). Non-browser clients send neither Origin nor Sec-Fetch-Site and pass."""

from __future__ import annotations

import pytest

from mockcrm.api.admin_guard import LOOPBACK_ONLY
from mockcrm.app import create_app
from mockcrm.settings import Settings

CROSS_ORIGIN = {
    "code": "NO_PERMISSION",
    "details": {},
    "message": "cross-origin admin calls are refused",
    "status": "error",
}
FOREIGN_HOST = {
    "code": "NO_PERMISSION",
    "details": {"header_name": "Host"},
    "message": "the admin API answers loopback host names only",
    "status": "error",
}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example", **FORM},
        {"Origin": "http://localhost:3000", **FORM},  # another local dev server
        {"Origin": "null", **FORM},
        {"Sec-Fetch-Site": "cross-site", **FORM},
        {"Sec-Fetch-Site": "same-site", "Content-Type": "text/plain"},
    ],
)
def test_a_cross_origin_browser_call_changes_nothing(store, org, headers):
    client = create_app(Settings(), store=store).test_client()
    org.rules.clear()
    resp = client.post("/__admin/reset", headers=headers)
    assert resp.status_code == 403 and resp.json == CROSS_ORIGIN
    assert org.rules == {} and store.orgs[org.id] is org  # not reset
    resp = client.post("/__admin/faults", data='{"status":503}', headers=headers)
    assert resp.status_code == 403 and store.faults.list() == []


@pytest.mark.parametrize(
    "headers",
    [
        {},  # curl, requests, the Python AdminClient
        {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"},  # the dashboard
        {"Sec-Fetch-Site": "none"},  # a URL typed in the address bar
        # the dashboard behind a proxy that does not pass Host on
        {"Origin": "https://sandbox.example", "X-Forwarded-Host": "sandbox.example"},
    ],
)
def test_mockcrm_s_own_pages_and_other_clients_pass(store, org, headers):
    client = create_app(Settings(), store=store).test_client()
    resp = client.post("/__admin/faults", json={"status": 503}, headers=headers)
    assert resp.status_code == 201


def test_the_health_probes_stay_open(app):
    resp = app.test_client().get("/__admin/health", headers={"Sec-Fetch-Site": "cross-site"})
    assert resp.status_code == 200


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1:8080", True),
        ("localhost:8080", True),
        ("[::1]:8080", True),
        ("127.0.0.2", True),
        ("mockcrm.localhost:8080", True),
        ("sandbox.test:8080", True),  # the name it was bound to
        ("attacker.example:8080", False),
        ("10.0.0.5:8080", False),
        ("[bad", False),
    ],
)
def test_a_loopback_server_without_a_token_answers_loopback_names_only(store, host, allowed):
    app = create_app(Settings(), store=store)
    app.config[LOOPBACK_ONLY] = "sandbox.test"  # as `mockcrm serve --host sandbox.test` sets it
    resp = app.test_client().get("/__admin/orgs", headers={"Host": host})
    if allowed:
        assert resp.status_code == 200
    else:
        assert resp.status_code == 403 and resp.json == FOREIGN_HOST


def test_in_process_apps_answer_any_host(store):
    """mock_zoho's AdminClient calls its app under a made-up host: no socket, no rebinding."""
    resp = (
        create_app(Settings(), store=store)
        .test_client()
        .get("/__admin/orgs", headers={"Host": "mockcrm.inprocess"})
    )
    assert resp.status_code == 200
