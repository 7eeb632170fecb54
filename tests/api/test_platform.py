"""Platform behaviour: JSON on every path, auth, versions, malformed bodies, 500s."""

from __future__ import annotations

import pytest
from rules_helpers import RULES

JSON_TYPE = "application/json;charset=UTF-8"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/crm/v8/settings/automation/workflow_rulez"),
        # A doubled slash matches nothing: Werkzeug would merge the slashes with an HTML 308
        # (POST /__admin//reset led to the reset-everything endpoint).
        ("POST", "/__admin//reset"),
        ("GET", "/crm/v8//org"),
        ("GET", "/crm//v8/Deals"),
    ],
)
def test_unknown_path_is_invalid_url_pattern(api, org, method, path):
    rules = dict(org.rules)
    resp = api.call(method, path)
    assert resp.status_code == 404 and resp.headers["Content-Type"] == JSON_TYPE
    assert resp.json == {
        "code": "INVALID_URL_PATTERN",
        "details": {},
        "message": "Please check if the URL trying to access is a correct one",
        "status": "error",
    }
    assert org.rules == rules


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PATCH", RULES),
        # Flask would answer OPTIONS itself (an empty text/html 200); no Zoho path takes it.
        *(
            ("OPTIONS", path)
            for path in (RULES, "/crm/v8/org", "/crm/v8/settings/tags", "/oauth/v2/token")
        ),
        ("OPTIONS", "/__admin/health"),
    ],
)
def test_wrong_method_is_invalid_request_method(api, method, path):
    resp = api.call(method, path)
    assert resp.status_code == 400 and resp.headers["Content-Type"] == JSON_TYPE
    assert resp.json == {
        "code": "INVALID_REQUEST_METHOD",
        "details": {},
        "message": "The http request method type is not a valid one",
        "status": "error",
    }


def test_options_on_records_is_the_records_wrong_method(api):
    resp = api.call("OPTIONS", "/crm/v8/Deals")
    assert resp.status_code == 400
    assert resp.json == {
        "data": [
            {
                "code": "INVALID_REQUEST_METHOD",
                "details": {"resource_path_index": 0},
                "message": "The HTTP request method type is not a valid one.",
                "status": "error",
            }
        ]
    }


def test_malformed_json_is_invalid_data(api, org):
    before = len(org.rules)
    resp = api.client.post(
        RULES,
        data="{not json",
        headers={"Authorization": "Zoho-oauthtoken t", "Content-Type": "application/json"},
    )
    assert resp.status_code == 400 and resp.headers["Content-Type"] == JSON_TYPE
    assert resp.json == {
        "code": "INVALID_DATA",
        "details": {},
        "message": "either the request body or parameters is in wrong format",
        "status": "error",
    }
    assert len(org.rules) == before


@pytest.mark.parametrize(
    "payload", [None, [], "x", {"workflow_rules": "x"}, {"workflow_rules": [5]}]
)
def test_body_shapes_never_500(api, payload):
    resp = api.post(RULES, json=payload)
    error = resp.json.get("workflow_rules", [resp.json])[0]
    assert (
        resp.status_code == 400 and error["status"] == "error" and error["code"] == "INVALID_DATA"
    )
    assert resp.headers["Content-Type"] == JSON_TYPE


def test_older_api_version_is_not_supported(api):
    resp = api.get("/crm/v7/settings/automation/workflow_rules")
    assert resp.status_code == 400
    assert resp.json == {
        "code": "API_NOT_SUPPORTED",
        "details": {"supported_version": 8},
        "message": "The api version 7 is not supported. Please use the version 8 or above.",
        "status": "error",
    }


@pytest.mark.parametrize("header", [None, "Bearer abc", "Zoho-oauthtoken "])
def test_missing_or_foreign_auth_is_authentication_failure(app, header):
    headers = {"Authorization": header} if header else {}
    resp = app.test_client().get(RULES, headers=headers)
    assert resp.status_code == 401
    assert resp.json == {
        "code": "AUTHENTICATION_FAILURE",
        "details": {},
        "message": "Authentication failed",
        "status": "error",
    }


def test_strict_mode_rejects_unknown_tokens(store):
    from mockcrm.app import create_app
    from mockcrm.settings import Settings

    client = create_app(Settings(auth="strict"), store=store).test_client()
    resp = client.get(RULES, headers={"Authorization": "Zoho-oauthtoken unknown"})
    assert resp.status_code == 401
    assert resp.json == {
        "code": "INVALID_TOKEN",
        "details": {},
        "message": "invalid oauth token",
        "status": "error",
    }


def test_issued_token_scopes_and_org_are_checked(api, store, org):
    from mockcrm.core.store import Token

    store.tokens["readonly"] = Token(
        "readonly", org.id, frozenset({"ZohoCRM.settings.workflow_rules.READ"})
    )
    headers = {"Authorization": "Zoho-oauthtoken readonly"}
    assert api.client.get(RULES, headers=headers).status_code == 200
    resp = api.client.delete(f"{RULES}/4876876000016390024", headers=headers)
    assert resp.status_code == 401
    assert resp.json == {
        "code": "OAUTH_SCOPE_MISMATCH",
        "details": {},
        "message": "invalid oauth scope to access this URL",
        "status": "error",
    }
    other = api.client.get(RULES, headers={**headers, "X-CRM-ORG": "123"})
    assert other.status_code == 401 and other.json["code"] == "INVALID_TOKEN"


def test_unexpected_exception_is_internal_error(api, monkeypatch):
    from mockcrm.crm import reports

    def boom(org):
        raise RuntimeError("bug")

    monkeypatch.setattr(reports, "rules_count", boom)
    resp = api.get(f"{RULES}/actions/rules_count")
    assert resp.status_code == 500 and resp.headers["Content-Type"] == JSON_TYPE
    assert resp.json == {
        "code": "INTERNAL_ERROR",
        "details": {},
        "message": "Internal Server Error",
        "status": "error",
    }


def test_no_content_has_no_body_and_no_content_type(api):
    resp = api.get(RULES, query_string={"module": "Deals", "page": 99})
    assert resp.status_code == 204 and resp.data == b""
    assert "Content-Type" not in resp.headers
