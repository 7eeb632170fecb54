"""The Python admin client restores a snapshot whatever characters its name has (it once put the
name into the URL unquoted: `?`, `#` and `%41` reached another snapshot or none)."""

from __future__ import annotations

import pytest
import requests

from mockcrm.testing.client import AdminClient


@pytest.mark.parametrize("name", ["a?b", "a#b", "%41", "with space", "é", "...", ".a"])
def test_restore_by_any_name(live_url, name):
    admin = AdminClient(live_url)
    org_id = admin.call("POST", "/orgs", json={"seed": "zylker"})["org_id"]
    try:
        admin.snapshot(org_id, name)
        assert admin.restore(org_id, name) == {"org_id": org_id, "name": name}
    finally:
        admin.call("DELETE", f"/orgs/{org_id}")


@pytest.mark.parametrize("name", ["a/b", ".", ".."])
def test_a_name_no_url_can_restore_is_refused(live_url, name):
    """A slash splits the URL's segment, and "." / ".." segments are removed before routing."""
    resp = requests.post(
        f"{live_url}/__admin/orgs/default/snapshots", json={"name": name}, timeout=10
    )
    assert resp.status_code == 400
    assert resp.json() == {
        "code": "INVALID_DATA",
        "details": {"api_name": "name", "json_path": "$.name"},
        "message": "the name must not contain / nor be . or ..",
        "status": "error",
    }
