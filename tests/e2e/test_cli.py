"""`mockcrm serve` and `mockcrm export` as real processes: the state file survives kill -9 and
SIGTERM, flags and MOCKCRM_* variables, --no-admin, the request log, refusing to start, and what
mockcrm/server.py does around granian (its own socket, its threads, the process environment)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from rules_helpers import RULES, VP_ALERT, deal_rule

from mockcrm.api.admin_guard import admin_exposure_error
from mockcrm.cli import BANNER_URL
from mockcrm.core import persistence
from mockcrm.core.faults import TOO_MANY_REQUESTS
from mockcrm.seed.loader import load_seed
from mockcrm.settings import Settings

REPO = Path(__file__).resolve().parents[2]
AUTH = {"Authorization": "Zoho-oauthtoken 1000.cli.test"}
STARTUP_LIMIT = 30.0  # seconds to wait for a process (a wait, not an assertion on speed)


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without MOCKCRM_* (so the tests' own settings never leak)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCKCRM_")}
    return {**env, **extra}


def mockcrm(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mockcrm", *args],
        cwd=REPO,
        env=env or clean_env(),
        capture_output=True,
        text=True,
        timeout=STARTUP_LIMIT,
    )


class Server:
    """One `python -m mockcrm serve` process; its stderr goes to a log file we can read."""

    def __init__(self, log: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.log = log
        with log.open("w") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "mockcrm", "serve", *args],
                cwd=REPO,
                env=env or clean_env(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.url = self._wait_for_banner()
        self._wait_until_serving()

    def _wait_for_banner(self) -> str:
        deadline = time.monotonic() + STARTUP_LIMIT
        while time.monotonic() < deadline:
            match = BANNER_URL.search(self.log.read_text())
            if match:
                return match.group(1)
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.kill()
        raise AssertionError(f"mockcrm did not start:\n{self.log.read_text()}")

    def _wait_until_serving(self) -> None:
        deadline = time.monotonic() + STARTUP_LIMIT
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/__admin/health", timeout=2)
                return
            except requests.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("mockcrm accepts no connections")

    def get(self, path: str, **kw) -> requests.Response:
        return requests.get(self.url + path, headers=kw.pop("headers", AUTH), timeout=10, **kw)

    def post(self, path: str, **kw) -> requests.Response:
        return requests.post(self.url + path, headers=kw.pop("headers", AUTH), timeout=10, **kw)

    def stop(self, signum: int) -> int:
        self.proc.send_signal(signum)
        return self.proc.wait(timeout=STARTUP_LIMIT)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=STARTUP_LIMIT)


@pytest.fixture
def servers(tmp_path: Path) -> Iterator:
    """Start servers with `servers(*args, env=...)`; every one is killed after the test."""
    started: list[Server] = []

    def start(*args: str, env: dict[str, str] | None = None) -> Server:
        server = Server(tmp_path / f"server-{len(started)}.log", *args, env=env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.kill()


def wait_for_save(path: Path, contains: str) -> dict:
    """The saver writes shortly after a change; wait (bounded) until the file shows it."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if path.exists() and contains in path.read_text():
            return persistence.read(path)
        time.sleep(0.1)
    raise AssertionError(f"{path} never contained {contains!r}")


def create_rule(server: Server, name: str) -> str:
    created = server.post(RULES, json={"workflow_rules": [deal_rule(name=name)]})
    assert created.status_code == 201, created.text
    return created.json()["workflow_rules"][0]["details"]["id"]


def test_state_survives_kill_9(servers, tmp_path):
    state = tmp_path / "state.json"
    first = servers("--port", "0", "--state-file", str(state))
    rule_id = create_rule(first, "Survives kill -9")
    isolated = first.post("/__admin/orgs", json={"seed": "empty"}, headers={})
    assert isolated.status_code == 201, isolated.text
    org_token = {"Authorization": f"Zoho-oauthtoken {isolated.json()['access_token']}"}
    wait_for_save(state, isolated.json()["org_id"])
    first.proc.kill()  # SIGKILL: no chance to save on the way out
    first.proc.wait(timeout=STARTUP_LIMIT)

    second = servers("--port", "0", "--state-file", str(state), "--seed", "empty")

    # The file wins over --seed, and the start-up line says so.
    assert f"mockcrm serving state file '{state}' on {second.url}" in second.log.read_text()
    assert "mockcrm serving seed" in first.log.read_text()
    got = second.get(f"{RULES}/{rule_id}")
    assert got.status_code == 200
    assert got.json()["workflow_rules"][0]["name"] == "Survives kill -9"
    # The isolated org and the token mockcrm issued for it came back too.
    rules_of_isolated = second.get(RULES, params={"module": "Deals"}, headers=org_token)
    assert rules_of_isolated.status_code == 204
    assert "loaded state from" in wait_for_log(second, "loaded state from")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_sigint_save_and_exit_cleanly(servers, tmp_path, signum):
    state = tmp_path / "state.json"
    server = servers("--port", "0", "--state-file", str(state))
    rule_id = create_rule(server, "Saved on the way out")

    assert server.stop(signum) == 0

    document = persistence.read(state)
    assert persistence.org_state(document, "default")["rules"][rule_id]["name"] == (
        "Saved on the way out"
    )
    assert f"{signal.Signals(signum).name}: saving and stopping" in server.log.read_text()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_new_state_file_is_written_at_start(servers, tmp_path):
    state = tmp_path / "fresh.json"
    servers("--port", "0", "--state-file", str(state), "--seed", "empty")
    document = persistence.read(state)
    assert persistence.org_state(document, "default")["rules"] == {}


def test_an_unreadable_state_file_is_refused_and_kept(tmp_path):
    state = tmp_path / "state.json"
    state.write_text("{not json")

    result = mockcrm("serve", "--port", "0", "--state-file", str(state))

    assert result.returncode == 2
    assert f"mockcrm: error: state file {state}: {state}: not JSON" in result.stderr
    assert state.read_text() == "{not json"


def test_one_log_line_per_request(servers):
    server = servers("--port", "0")
    server.get(RULES, params={"module": "Deals"})
    server.get(f"{RULES}/123")
    # Lines are written in batches (cli.LineWriter): wait, bounded, for the second one.
    log = wait_for_log(server, rf"mockcrm.requests: GET {RULES}/123 400 [\d.]+ms")
    assert re.search(rf"mockcrm.requests: GET {RULES}\?module=Deals 200 [\d.]+ms", log)


def wait_for_log(server: Server, pattern: str) -> str:
    deadline = time.monotonic() + 10
    while not re.search(pattern, log := server.log.read_text()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return log


def test_no_admin_turns_the_admin_api_off(servers):
    server = servers("--port", "0", "--no-admin")
    assert server.get("/__admin/health").status_code == 404
    assert server.get(RULES, params={"module": "Deals"}).status_code == 200


def test_environment_variables_set_the_flags(servers):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = clean_env(
        MOCKCRM_PORT=str(port), MOCKCRM_SEED="empty", MOCKCRM_AUTH="strict", MOCKCRM_NO_ADMIN="1"
    )

    server = servers(env=env)

    assert server.url == f"http://127.0.0.1:{port}"
    assert server.get("/__admin/health").status_code == 404
    unknown = server.get(RULES, params={"module": "Deals"})
    assert unknown.status_code == 401
    assert unknown.json() == {
        "code": "INVALID_TOKEN",
        "details": {},
        "message": "invalid oauth token",
        "status": "error",
    }
    assert "serving seed 'empty'" in server.log.read_text()


def test_flags_win_over_environment_variables(servers):
    server = servers("--port", "0", "--seed", "zylker", env=clean_env(MOCKCRM_SEED="empty"))
    assert server.get(f"{RULES}/{VP_ALERT}").status_code == 200


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MOCKCRM_AUTH": "loose"}, "auth must be one of ('permissive', 'strict')"),
        ({"MOCKCRM_SEED": "acme"}, "seed must be one of ('zylker', 'empty'), not 'acme'"),
        (
            {"MOCKCRM_PORT": "eighty"},
            "MOCKCRM_PORT: invalid literal for int() with base 10: 'eighty'",
        ),
        ({"MOCKCRM_PORT": "70000"}, "port must be within 0..65535, not 70000"),
    ],
)
def test_bad_environment_values_are_usage_errors(env, message):
    result = mockcrm("serve", env=clean_env(**env))
    assert result.returncode == 2
    assert result.stderr.endswith(f"mockcrm: error: {message}\n")


def test_an_exposed_admin_api_refuses_to_start():
    expected = admin_exposure_error(Settings(host="0.0.0.0"))
    assert expected

    result = mockcrm("serve", "--host", "0.0.0.0", "--port", "0")

    assert result.returncode == 2
    assert result.stderr.strip() == f"mockcrm: error: {expected}"


def test_export_from_a_state_file(servers, tmp_path):
    state = tmp_path / "state.json"
    server = servers("--port", "0", "--state-file", str(state))
    rule_id = create_rule(server, "Exported rule")
    document = wait_for_save(state, "Exported rule")

    result = mockcrm("export", "--state-file", str(state))

    assert result.returncode == 0, result.stderr
    exported = json.loads(result.stdout)
    assert exported == persistence.org_state(document, "default")
    assert exported["rules"][rule_id]["name"] == "Exported rule"
    by_env = mockcrm("export", env=clean_env(MOCKCRM_STATE_FILE=str(state)))
    assert json.loads(by_env.stdout) == exported
    admin = server.get("/__admin/orgs/default/state", headers={})
    assert admin.status_code == 200 and admin.json() == exported


def test_export_of_a_seed_to_a_file(tmp_path):
    out = tmp_path / "zylker.json"

    result = mockcrm("export", "--seed", "zylker", "--output", str(out))

    assert result.returncode == 0 and result.stdout == ""
    expected = json.loads(json.dumps(load_seed("zylker").to_state()))
    assert json.loads(out.read_text()) == expected
    by_id = mockcrm("export", "--seed", "empty", "--org", expected["id"])
    assert json.loads(by_id.stdout)["rules"] == {}


def test_export_of_an_unknown_org_fails(tmp_path):
    result = mockcrm("export", "--seed", "zylker", "--org", "123")
    assert result.returncode == 2
    assert result.stderr == "mockcrm: error: no org 123\n"
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--port", "70000"), "port must be within 0..65535, not 70000"),
        (("--journal-size", "-1"), "journal-size must be at least 0, not -1"),
        (
            ("--fake-rules", "5000"),
            "--fake-rules 5000: every module has reached its workflow rule limit",
        ),
    ],
)
def test_bad_values_are_usage_errors(args, message):
    """Exit 2 with one line, never a traceback (these were exit 1, or a port wrapped mod 65536)."""
    result = mockcrm("serve", "--port", "0", *args)
    assert result.returncode == 2
    assert result.stderr.endswith(f"mockcrm: error: {message}\n")
    assert "Traceback" not in result.stderr


def test_a_taken_port_is_a_clean_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = mockcrm("serve", "--port", str(port))

    assert result.returncode == 2
    assert f"mockcrm: error: cannot listen on 127.0.0.1:{port}: " in result.stderr
    assert "Traceback" not in result.stderr


def test_a_running_server_s_port_is_not_shared(servers):
    """mockcrm binds its socket itself: granian's own binding (SO_REUSEPORT) would let a second
    server share the port and take half its requests."""
    first = servers("--port", "0")
    port = first.url.rsplit(":", 1)[1]

    result = mockcrm("serve", "--port", port)

    assert result.returncode == 2
    assert f"mockcrm: error: cannot listen on 127.0.0.1:{port}: Address already in use" in (
        result.stderr
    )
    assert first.get("/__admin/health").status_code == 200
    # granian's own start-up lines stay out of mockcrm's log: the banner is mockcrm's.
    assert "granian" not in first.log.read_text().lower()


def _answered_while_delayed(server: Server, fault: dict) -> tuple[list[dict], requests.Response]:
    """A request held 2 s by an injected fault, then a second request sent while it waits: the
    journal (oldest first; entries are recorded as requests finish, on the server, so no
    client-side timing decides the order) and the delayed request's answer."""
    fault = {"path": RULES, "delay_ms": 2000, "times": 1, **fault}
    assert requests.post(server.url + "/__admin/faults", json=fault, timeout=10).status_code == 201
    answers: list[requests.Response] = []
    delayed = threading.Thread(target=lambda: answers.append(server.get(RULES, params={"a": 1})))
    delayed.start()
    deadline = time.monotonic() + STARTUP_LIMIT
    while _fault_waiting(server) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.get(RULES, params={"module": "Deals"}).status_code == 200
    delayed.join()
    journal = requests.get(server.url + "/__admin/requests", timeout=10).json()["requests"]
    return list(reversed(journal)), answers[0]


def _fault_waiting(server: Server) -> bool:
    """Whether the one-time fault is still there (it goes once a request takes it)."""
    return bool(requests.get(server.url + "/__admin/faults", timeout=10).json()["faults"])


@pytest.mark.parametrize("threads", [(), ("--threads", "4")], ids=["default", "4 threads"])
def test_a_delayed_request_holds_no_thread(servers, threads):
    """The server answers a delayed request later, from its timer thread: the one request thread
    (the default) serves the next request meanwhile. The delayed request is recorded once, as it
    was answered, with its wait in its duration."""
    server = servers("--port", "0", *threads)

    journal, answer = _answered_while_delayed(server, {})

    assert [entry["query"] for entry in journal] == ["module=Deals", "a=1"]
    assert answer.status_code == 200
    assert [r["module"]["api_name"] for r in answer.json()["workflow_rules"]][:1] == ["Leads"]
    assert journal[1]["status"] == 200
    assert journal[1]["duration_ms"] >= 2000
    assert journal[0]["duration_ms"] < 2000


def test_a_delayed_fault_status_is_answered_after_the_delay(servers):
    server = servers("--port", "0")

    journal, answer = _answered_while_delayed(server, {"status": 429})

    assert [entry["query"] for entry in journal] == ["module=Deals", "a=1"]
    assert answer.status_code == 429
    assert answer.json() == {
        "code": "TOO_MANY_REQUESTS",
        "details": {},
        "message": TOO_MANY_REQUESTS,
        "status": "error",
    }
    assert journal[1]["status"] == 429
    assert journal[1]["duration_ms"] >= 2000


def test_a_delayed_request_uses_up_one_of_its_fault_s_times(servers):
    """The request's second run keeps the fault its first run took: it takes no other."""
    server = servers("--port", "0")
    fault = {"path": RULES, "delay_ms": 200, "times": 2}
    assert requests.post(server.url + "/__admin/faults", json=fault, timeout=10).status_code == 201

    assert server.get(RULES).status_code == 200

    faults = requests.get(server.url + "/__admin/faults", timeout=10).json()["faults"]
    assert [(f["hits"], f["times"]) for f in faults] == [(1, 1)]


def test_a_delayed_write_reads_its_body_and_takes_effect_once(servers):
    server = servers("--port", "0")
    fault = {"method": "POST", "path": RULES, "delay_ms": 300, "times": 1}
    assert requests.post(server.url + "/__admin/faults", json=fault, timeout=10).status_code == 201

    rule_id = create_rule(server, "Delayed create")

    stored = server.get(f"{RULES}/{rule_id}")
    assert stored.status_code == 200
    assert stored.json()["workflow_rules"][0]["name"] == "Delayed create"
    journal = requests.get(server.url + "/__admin/requests", timeout=10).json()["requests"]
    posts = [entry for entry in journal if entry["method"] == "POST"]
    assert len(posts) == 1
    assert posts[0]["status"] == 201
    assert posts[0]["duration_ms"] >= 300
    assert posts[0]["request_body"]["workflow_rules"][0]["name"] == "Delayed create"


def test_a_chunked_body_is_read_and_a_bodiless_get_journals_none(servers):
    """The hooks read a body only when the request has a length or is chunked."""
    server = servers("--port", "0")
    body = json.dumps({"workflow_rules": [deal_rule(name="Chunked create")]}).encode()

    created = requests.post(
        server.url + RULES, data=iter([body[:40], body[40:]]), headers=AUTH, timeout=10
    )  # a generator body: requests sends it chunked, without Content-Length

    assert created.status_code == 201, created.text
    assert server.get(RULES, params={"module": "Deals"}).status_code == 200
    journal = requests.get(server.url + "/__admin/requests", timeout=10).json()["requests"]
    get, post = journal[0], journal[1]
    assert post["request_headers"].get("Transfer-Encoding") == "chunked"
    assert post["request_body"]["workflow_rules"][0]["name"] == "Chunked create"
    assert get["method"] == "GET" and get["request_body"] is None


def test_the_process_environment_is_not_read_as_request_headers(servers):
    server = servers("--port", "0", env=clean_env(HTTP_X_PROBE="from the process"))

    server.get(RULES, params={"module": "Deals"}, headers={**AUTH, "X-Sent": "by the client"})

    journal = requests.get(server.url + "/__admin/requests", timeout=10).json()["requests"]
    headers = journal[0]["request_headers"]
    assert headers["X-Sent"] == "by the client"
    assert "X-Probe" not in headers
