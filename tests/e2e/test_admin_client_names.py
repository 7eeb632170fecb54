"""The Python admin client restores a snapshot whatever characters its name has (it once put the
name into the URL unquoted: `?`, `#` and `%41` reached another snapshot or none)."""

from __future__ import annotations

import pytest
import requests

from mockcrm.testing.client import AdminClient


@pytest.mark.parametrize("name", ["a?b", "a#b", "%41", "with space", "é"])
def test_restore_by_any_name(live_url, name):
    admin = AdminClient(live_url)
    org_id = admin.call("POST", "/orgs", json={"seed": "zylker"})["org_id"]
    try:
        admin.snapshot(org_id, name)
        assert admin.restore(org_id, name) == {"org_id": org_id, "name": name}
    finally:
        admin.call("DELETE", f"/orgs/{org_id}")


def test_a_name_with_a_slash_is_refused(live_url):
    resp = requests.post(
        f"{live_url}/__admin/orgs/default/snapshots", json={"name": "a/b"}, timeout=10
    )
    assert resp.status_code == 400
    assert resp.json() == {
        "code": "INVALID_DATA",
        "details": {"api_name": "name", "json_path": "$.name"},
        "message": "the name must not contain /",
        "status": "error",
    }
