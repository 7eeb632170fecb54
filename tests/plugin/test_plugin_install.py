"""The plugin as a user gets it: installed with the package (entry point `pytest11`, no conftest),
under pytest-xdist, and cleaning up after each test. Each case runs pytest in a subprocess, in a
directory outside this repo, so none of the repo's configuration helps."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

README_EXAMPLE = Path(__file__).with_name("test_readme_example.py")

TEARDOWN_CHECK = """
SEEN = {}


def test_leaves_an_org_a_fault_and_a_snapshot(mockcrm_org, mockcrm):
    SEEN["org_id"] = mockcrm_org.org_id
    mockcrm.fault(status=500)
    mockcrm.snapshot("left behind")


def test_the_fixtures_cleaned_up(mockcrm_server):
    assert SEEN["org_id"] not in [o["org_id"] for o in mockcrm_server.admin.orgs()]
    assert mockcrm_server.admin.faults() == []
    assert SEEN["org_id"] not in mockcrm_server.store.snapshots
"""


# A user's conftest.py may override `mockcrm_settings`: here strict auth and an admin token.
STRICT_CONFTEST = """
import pytest

from mockcrm.settings import Settings


@pytest.fixture(scope="session")
def mockcrm_settings():
    return Settings(auth="strict", admin_token="s3cret")
"""

STRICT_CHECK = """
import requests


def test_settings_reach_both_servers(mockcrm_server, mockcrm_org, mockcrm_inprocess):
    unknown = {"Authorization": "Zoho-oauthtoken 1000.unknown"}
    strict = requests.get(mockcrm_server.url + "/crm/v8/org", headers=unknown)
    assert (strict.status_code, strict.json()["code"]) == (401, "INVALID_TOKEN")
    assert requests.get(mockcrm_org.url + "/crm/v8/org", headers=mockcrm_org.headers).ok
    no_admin_token = requests.get(mockcrm_server.url + "/__admin/orgs")
    assert no_admin_token.status_code == 401
    in_process = requests.get("https://www.zohoapis.com/crm/v8/org", headers=unknown)
    assert in_process.status_code == 401
    assert mockcrm_inprocess.admin.create_org().org_id
"""


def run_pytest(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # Plugins unrelated to mockcrm that a dev machine may have (not the project's) stay out.
    quiet = ["-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:benchmark"]
    command = [sys.executable, "-m", "pytest", *quiet, *args, str(directory)]
    return subprocess.run(command, cwd=directory, capture_output=True, text=True, timeout=300)


def test_readme_example_runs_under_xdist_from_the_installed_plugin(tmp_path):
    shutil.copy(README_EXAMPLE, tmp_path / "test_example.py")
    result = run_pytest(tmp_path, "-n", "4")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout


def test_fixtures_remove_the_org_and_its_faults_after_each_test(tmp_path):
    (tmp_path / "test_teardown.py").write_text(TEARDOWN_CHECK, encoding="utf-8")
    result = run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_settings_override_applies_to_the_servers_and_their_admin_clients(tmp_path):
    (tmp_path / "conftest.py").write_text(STRICT_CONFTEST, encoding="utf-8")
    (tmp_path / "test_strict.py").write_text(STRICT_CHECK, encoding="utf-8")
    result = run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
