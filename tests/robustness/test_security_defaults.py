"""Security defaults (issue 6): loopback bind unless told otherwise, the admin API guarded when
exposed, webhook delivery off by default and loopback-only when on, and no secrets in the
request log or the journal (OAuth secrets travel in query strings and form bodies)."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from mockcrm.api import delivery
from mockcrm.api.admin_guard import admin_exposure_error
from mockcrm.app import create_app
from mockcrm.cli import BANNER_URL, build_parser
from mockcrm.core.journal import REDACTED, redact_body, redact_query
from mockcrm.settings import Settings

REPO = Path(__file__).resolve().parents[2]
TOKEN_URL = "/oauth/v2/token"
REVOKE_URL = "/oauth/v2/token/revoke"
RULES = "/crm/v8/settings/automation/workflow_rules"
SECRET = "S3CRET-client-secret"
REFRESH = "1000.R3FRESH.token"
GRANT = "1000.GR4NT.code"
ADMIN_SECRET = "adm1n-t0ken"
STARTUP_LIMIT = 30.0  # seconds to wait for the process (a wait, not a speed assertion)


# --- bind address ------------------------------------------------------------------------------


def test_the_body_limit_has_a_flag_and_a_variable():
    assert build_parser().parse_args(["serve", "--max-body-bytes", "10"]).max_body_bytes == 10
    assert Settings.from_env(env={"MOCKCRM_MAX_BODY_BYTES": "2048"}).max_body_bytes == 2048


def test_the_default_host_is_loopback():
    assert Settings().host == "127.0.0.1"
    args = build_parser().parse_args(["serve"])
    assert args.host is None  # no flag: the setting (or MOCKCRM_HOST) decides
    assert Settings.from_env(env={}, host=args.host).host == "127.0.0.1"
    assert Settings.from_env(env={"MOCKCRM_HOST": "0.0.0.0"}).host == "0.0.0.0"
    assert Settings.from_env(env={"MOCKCRM_HOST": "0.0.0.0"}, host="::1").host == "::1"


def test_a_served_process_binds_loopback_and_logs_no_secrets(tmp_path):
    """`mockcrm serve` with no host: 127.0.0.1; its request log redacts OAuth secrets; behind
    the server a body over --max-body-bytes is Zoho's JSON 413."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKCRM_")}
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mockcrm", "serve", "--port", "0", "--max-body-bytes", "4096"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        host, port = _banner(proc, log)
        assert host == "127.0.0.1"
        base = f"http://{host}:{port}"
        query = {"grant_type": "refresh_token", "client_secret": SECRET, "refresh_token": REFRESH}
        requests.post(base + TOKEN_URL, params={"client_id": "1000.ID", **query}, timeout=10)
        requests.post(base + REVOKE_URL, params={"token": REFRESH}, timeout=10)
        huge = requests.post(
            base + RULES,
            data=b"x" * 4097,
            headers={"Authorization": "Zoho-oauthtoken t", "Content-Type": "application/json"},
            timeout=10,
        )
        assert huge.status_code == 413
        assert huge.headers["Content-Type"] == "application/json;charset=UTF-8"
        # Chunked (a generator body: no Content-Length): refused too, not read cut short.
        streamed = requests.post(
            base + RULES,
            data=iter([b"x" * 4000, b"x" * 97]),
            headers={"Authorization": "Zoho-oauthtoken t", "Content-Type": "application/json"},
            timeout=10,
        )
        assert streamed.status_code == 413, streamed.text
        assert streamed.json() == huge.json()
        # Without an admin token, a rebound DNS name reaches no admin call (api/admin_guard.py).
        rebound = {"Host": f"attacker.example:{port}"}
        assert requests.get(base + "/__admin/orgs", headers=rebound, timeout=10).status_code == 403
        assert requests.get(base + "/__admin/orgs", timeout=10).status_code == 200
        assert huge.json() == {
            "code": "LIMIT_EXCEEDED",
            "details": {},
            "message": "request size exceeded",
            "status": "error",
        }
        text = _wait_for(log, REVOKE_URL)
    finally:
        proc.kill()
        proc.wait(timeout=STARTUP_LIMIT)
    assert SECRET not in text and REFRESH not in text
    assert (
        f"POST {TOKEN_URL}?client_id=1000.ID&grant_type=refresh_token"
        f"&client_secret={REDACTED}&refresh_token={REDACTED} 200" in text  # Zoho: 200 + error
    )
    assert f"POST {REVOKE_URL}?token={REDACTED} " in text


def _banner(proc: subprocess.Popen, log: Path) -> tuple[str, str]:
    deadline = time.monotonic() + STARTUP_LIMIT
    while time.monotonic() < deadline:
        match = BANNER_URL.search(log.read_text())
        if match:
            host, port = match.group(1).removeprefix("http://").rsplit(":", 1)
            return host, port
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"mockcrm did not start:\n{log.read_text()}")


def _wait_for(log: Path, needle: str) -> str:
    """The log line is written after the response is sent: wait (bounded) until it is there."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        text = log.read_text()
        if needle in text:
            return text
        time.sleep(0.05)
    raise AssertionError(f"{needle!r} never logged:\n{log.read_text()}")


# --- the admin API -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "refused"),
    [
        (Settings(), False),
        (Settings(host="0.0.0.0"), True),
        (Settings(host="10.1.2.3"), True),
        (Settings(host="0.0.0.0", admin_token=ADMIN_SECRET), False),
        (Settings(host="0.0.0.0", no_admin=True), False),
    ],
)
def test_an_exposed_admin_api_needs_a_token(settings, refused):
    assert bool(admin_exposure_error(settings)) is refused


def test_with_a_token_every_admin_call_needs_it(store):
    client = create_app(Settings(admin_token=ADMIN_SECRET), store=store).test_client()
    refused = client.post("/__admin/reset")
    assert refused.status_code == 401
    assert refused.json == {
        "code": "AUTHENTICATION_FAILURE",
        "details": {"header_name": "X-Admin-Token"},
        "message": "Authentication failed",
        "status": "error",
    }
    assert client.get("/__admin/orgs", headers={"X-Admin-Token": ADMIN_SECRET}).status_code == 200


# --- webhook delivery --------------------------------------------------------------------------

WEBHOOK = "4876876000016390771"  # Premium Lead Alert, fired by "Premium Lead - Notify Sales Ops"
PREMIUM = {
    "Last_Name": "Premium",
    "Company": "Big Co",
    "Annual_Revenue": 2_000_000,
    "Industry": "Large Enterprise",
}


@pytest.fixture
def sends(monkeypatch) -> list[str]:
    """Every URL delivery tries to call (nothing leaves the process)."""
    calls: list[str] = []

    def fake(method: str, url: str, **kw) -> requests.Response:
        calls.append(url)
        resp = requests.Response()
        resp.status_code = 200
        return resp

    monkeypatch.setattr(delivery.requests, "request", fake)
    return calls


def fire_premium_webhook(store, org, settings: Settings, url: str) -> list[dict]:
    org.entities["webhooks"][WEBHOOK]["url"] = url
    client = create_app(settings, store=store).test_client()
    resp = client.post(
        "/crm/v8/Leads", json={"data": [PREMIUM]}, headers={"Authorization": "Zoho-oauthtoken t"}
    )
    assert resp.status_code == 201
    fired = [e for e in org.outbox if e["type"] == "webhook" and e["action"]["id"] == WEBHOOK]
    assert fired
    return fired


def test_webhook_delivery_is_off_by_default(store, org, sends):
    assert Settings().deliver_webhooks is False
    assert build_parser().parse_args(["serve"]).deliver_webhooks is None
    fired = fire_premium_webhook(store, org, Settings(), "http://127.0.0.1:9/hook")
    assert all("delivery" not in e for e in fired)
    assert sends == []


def test_when_on_only_loopback_webhooks_are_sent(store, org, sends):
    fired = fire_premium_webhook(
        store, org, Settings(deliver_webhooks=True), "https://hooks.example.com/x"
    )
    assert all("delivery" not in e for e in fired)
    assert sends == []


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8080/x", True),
        ("http://127.9.9.9/x", True),
        ("http://localhost/x", True),
        ("http://[::1]:81/x", True),
        ("http://localhost.example.com/x", False),
        ("http://127.0.0.1.nip.io/x", False),
        ("http://127.0.0.1@example.com/x", False),  # userinfo, not the host
        ("http://10.0.0.1/x", False),
        ("http://169.254.169.254/latest/meta-data", False),
        ("file:///etc/passwd", False),
        ("not a url", False),
    ],
)
def test_the_loopback_check(url, loopback):
    assert delivery.is_loopback(url) is loopback


# --- no secrets in logs ------------------------------------------------------------------------


def test_secret_query_values_are_redacted_and_the_rest_kept():
    query = (
        "grant_type=refresh_token&client_id=1000.ID&client_secret=abc%2Fdef&refresh_token=r"
        "&Code=c&token=t&access_token=a&password=p&module=Deals&scope=A%2CB&flag&=x"
    )
    assert redact_query(query) == (
        f"grant_type=refresh_token&client_id=1000.ID&client_secret={REDACTED}"
        f"&refresh_token={REDACTED}&Code={REDACTED}&token={REDACTED}&access_token={REDACTED}"
        f"&password={REDACTED}&module=Deals&scope=A%2CB&flag&=x"
    )
    assert redact_query("") == ""
    assert redact_query("client%5Fsecret=x") == f"client%5Fsecret={REDACTED}"


def test_secret_json_keys_are_redacted_but_zoho_codes_kept():
    body = {
        "access_token": "a",
        "refresh_token": "r",
        "nested": [{"client_secret": "s", "code": "SUCCESS", "token": "kept"}],
    }
    assert redact_body(body) == {
        "access_token": REDACTED,
        "refresh_token": REDACTED,
        "nested": [{"client_secret": REDACTED, "code": "SUCCESS", "token": "kept"}],
    }
    assert body["access_token"] == "a"  # a copy: never the caller's data


def test_the_oauth_flow_leaves_no_secret_in_the_log_or_journal(app, store, org, caplog):
    """A full grant -> tokens -> CRM call -> refresh -> revoke: the secrets, the grant code and
    every token handed out appear in neither the request log nor the journal."""
    client = app.test_client()
    caplog.set_level(logging.INFO, logger="mockcrm.requests")
    consent = client.get(
        "/oauth/v2/auth",
        query_string={
            "client_id": "1000.ID",
            "response_type": "code",
            "redirect_uri": "https://app.example/cb",
            "scope": "ZohoCRM.settings.ALL",
            "access_type": "offline",
        },
    )
    code = re.search(r"code=([^&]+)", consent.headers["Location"]).group(1)
    form = {
        "client_id": "1000.ID",
        "client_secret": SECRET,
        "redirect_uri": "https://app.example/cb",
    }
    issued = client.post(TOKEN_URL, data={**form, "grant_type": "authorization_code", "code": code})
    assert issued.status_code == 200, issued.json
    access, refresh = issued.json["access_token"], issued.json["refresh_token"]
    auth = {"Authorization": f"Zoho-oauthtoken {access}", "X-Admin-Token": ADMIN_SECRET}
    assert client.get(RULES, query_string={"module": "Deals"}, headers=auth).status_code == 200
    renewed = client.post(
        TOKEN_URL,
        query_string={**form, "grant_type": "refresh_token", "refresh_token": refresh},
    )
    assert renewed.status_code == 200, renewed.json
    revoke = client.post(REVOKE_URL, query_string={"token": refresh})
    assert revoke.status_code == 200

    secrets = [SECRET, code, access, refresh, renewed.json["access_token"], ADMIN_SECRET]
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "mockcrm.requests")
    journal = json.dumps([e.as_dict() for e in store.journal.query()])
    for secret in secrets:
        assert secret not in logged
        assert secret not in journal
    # ... while what was asked stays readable.
    assert f"POST {REVOKE_URL}?token={REDACTED} 200" in logged
    (grant,) = [e for e in store.journal.query(path=TOKEN_URL) if e.query == "" and e.status == 200]
    assert grant.request_body.startswith(f"client_id=1000.ID&client_secret={REDACTED}&")
    assert grant.request_body.endswith(f"&grant_type=authorization_code&code={REDACTED}")
    assert grant.response_body["access_token"] == REDACTED
    assert grant.response_body["api_domain"] == issued.json["api_domain"]
    (call,) = store.journal.query(path=RULES)
    assert call.request_headers["Authorization"] == REDACTED
    assert call.request_headers["X-Admin-Token"] == REDACTED
    assert call.query == "module=Deals"


def test_a_path_cannot_forge_a_log_line(api, caplog):
    caplog.set_level(logging.INFO, logger="mockcrm.requests")
    api.get("/crm/v8/x%0aGET%20/forged%20200%200.1ms")
    (record,) = [r for r in caplog.records if r.name == "mockcrm.requests"]
    assert "\n" not in record.getMessage()
    assert re.fullmatch(
        r"GET /crm/v8/x\\x0aGET /forged 200 0\.1ms 400 [\d.]+ms", record.getMessage()
    )
