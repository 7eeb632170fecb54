"""The admin API's error bodies and org factory, shared by test_admin.py and
test_admin_runtime.py (their `client` fixture is in tests/api/conftest.py)."""

from __future__ import annotations

ADMIN = "/__admin"


def err(code, message, details=None):
    return {"code": code, "details": details or {}, "message": message, "status": "error"}


def bad(api_name, message, **extra):
    return err(
        "INVALID_DATA", message, {"api_name": api_name, **extra, "json_path": f"$.{api_name}"}
    )


def not_found(key, value, what="org"):
    return err("NOT_FOUND", f"{what} not found", {key: value})


INVALID_TOKEN = err("INVALID_TOKEN", "invalid oauth token")


def new_org(client, **body):
    resp = client.post(f"{ADMIN}/orgs", json=body)
    assert resp.status_code == 201 and set(resp.json) == {"org_id", "access_token"}
    return resp.json["org_id"], {"Authorization": f"Zoho-oauthtoken {resp.json['access_token']}"}
