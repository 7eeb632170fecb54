"""In-process mode: `requests` calls to Zoho's real hosts reach the app with no socket."""

from __future__ import annotations

import socket

import pytest
import requests
from oas import validate_response
from requests.adapters import HTTPAdapter

from mockcrm.app import create_app
from mockcrm.testing.transport import FlaskAdapter, MockZoho, is_zoho_url, mock_zoho

AUTH = {"Authorization": "Zoho-oauthtoken 1000.inprocess.token"}
ORG_URL = "https://www.zohoapis.com/crm/v8/org"
TAGS_URL = "https://www.zohoapis.com/crm/v8/settings/tags"
CRM_HOSTS = [
    "https://www.zohoapis.com",
    "https://www.zohoapis.eu",
    "https://www.zohoapis.in",
    "https://www.zohoapis.com.au",
    "https://www.zohoapis.jp",
    "https://www.zohoapis.com.cn",
    "https://www.zohoapis.ca",
    "https://www.zohoapis.sa",
    "https://sandbox.zohoapis.com",
    "https://developer.zohoapis.eu",
]
ACCOUNTS_HOSTS = [
    "https://accounts.zoho.com",
    "https://accounts.zoho.eu",
    "https://accounts.zoho.in",
    "https://accounts.zoho.com.au",
    "https://accounts.zoho.jp",
    "https://accounts.zoho.com.cn",
    "https://accounts.zohocloud.ca",
    "https://accounts.zoho.sa",
]


class NoSocket(AssertionError):
    pass


@pytest.fixture
def no_socket(monkeypatch):
    """Any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise NoSocket("a socket was opened")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_crm_call_reaches_the_app_without_a_socket(mockcrm_inprocess, no_socket):
    resp = requests.get(ORG_URL, headers=AUTH)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/json;charset=UTF-8"
    validate_response("org", "getOrganization", 200, resp.json())
    org = mockcrm_inprocess.store.default_org()
    assert resp.json()["org"][0]["id"] == org.id
    assert resp.url == ORG_URL
    assert resp.request.url == ORG_URL


@pytest.mark.parametrize("host", CRM_HOSTS)
def test_every_data_centre_is_routed(mockcrm_inprocess, no_socket, host):
    resp = requests.get(host + "/crm/v8/settings/tags", params={"module": "Deals"}, headers=AUTH)
    assert resp.status_code == 200
    assert resp.json()["info"] == {"count": 7, "allowed_count": 500}
    entry = mockcrm_inprocess.store.journal.query(limit=1)[0]
    assert (entry.method, entry.path, entry.query) == (
        "GET",
        "/crm/v8/settings/tags",
        "module=Deals",
    )


@pytest.mark.parametrize("host", ACCOUNTS_HOSTS)
def test_every_accounts_host_is_routed(host):
    assert is_zoho_url(host + "/oauth/v2/token")


@pytest.mark.parametrize(
    "url",
    [
        "http://www.zohoapis.com/crm/v8/org",  # Zoho is https only
        "https://www.zohoapis.com.evil.test/crm/v8/org",
        "https://zohoapis.com.example.org/",
        "https://accounts.zoho.com.example.org/oauth/v2/token",
        "https://example.org/crm/v8/org",
        "https://www.zoho.com/crm/",
    ],
)
def test_other_hosts_keep_the_real_transport(mockcrm_inprocess, url):
    assert not is_zoho_url(url)
    assert isinstance(requests.Session().get_adapter(url), HTTPAdapter)


def test_a_write_changes_the_apps_state_and_is_journaled(mockcrm_inprocess, no_socket):
    body = {"tags": [{"name": "In-process", "color_code": None}]}
    resp = requests.post(TAGS_URL, params={"module": "Deals"}, json=body, headers=AUTH)
    assert resp.status_code == 201
    validate_response("tags", "postTags", 201, resp.json())
    created = resp.json()["tags"][0]
    assert (created["code"], created["message"]) == ("SUCCESS", "tags created successfully")
    org = mockcrm_inprocess.store.default_org()
    assert org.tag("Deals", name="In-process")["id"] == created["details"]["id"]
    entry = mockcrm_inprocess.store.journal.query(method="POST", limit=1)[0]
    assert entry.request_body == body
    assert entry.request_headers["Authorization"] == "[redacted]"


def test_zoho_errors_and_empty_answers_come_through(mockcrm_inprocess, no_socket):
    missing = requests.get("https://www.zohoapis.com/crm/v8/org")
    assert missing.status_code == 401
    assert missing.json() == {
        "code": "AUTHENTICATION_FAILURE",
        "details": {},
        "message": "Authentication failed",
        "status": "error",
    }
    empty = requests.get("https://www.zohoapis.eu/crm/v8/users/1", headers=AUTH)
    assert (empty.status_code, empty.content) == (204, b"")
    assert "Content-Type" not in empty.headers


def test_streamed_responses_can_be_read_in_chunks(mockcrm_inprocess, no_socket):
    resp = requests.get(ORG_URL, headers=AUTH, stream=True)
    chunks = list(resp.iter_content(chunk_size=64))
    assert len(chunks) > 1
    assert b"".join(chunks) == requests.get(ORG_URL, headers=AUTH).content


def test_sessions_created_before_the_block_are_routed_too(no_socket):
    session = requests.Session()
    with mock_zoho() as zoho:
        assert session.get(ORG_URL, headers=AUTH).status_code == 200
        assert zoho.store.journal.query(path="/crm/v8/org")


def test_the_patch_is_gone_after_the_block():
    before = requests.Session.get_adapter
    with mock_zoho():
        assert isinstance(requests.Session().get_adapter(ORG_URL), FlaskAdapter)
    assert requests.Session.get_adapter is before
    assert isinstance(requests.Session().get_adapter(ORG_URL), HTTPAdapter)


def test_nested_mocks_route_to_the_innermost_app(no_socket):
    with mock_zoho() as outer:
        with mock_zoho() as inner:
            requests.get(ORG_URL, headers=AUTH)
        requests.get(ORG_URL + "?outer", headers=AUTH)
    assert [e.query for e in inner.store.journal.query()] == [""]
    assert [e.query for e in outer.store.journal.query()] == ["outer"]


def test_each_mock_has_its_own_state(no_socket):
    body = {"tags": [{"name": "Only here"}]}
    with mock_zoho() as first:
        assert requests.post(TAGS_URL + "?module=Deals", json=body, headers=AUTH).ok
    with mock_zoho() as second:
        assert requests.get(TAGS_URL + "?module=Deals", headers=AUTH).json()["info"]["count"] == 7
    assert first.store.default_org().tag("Deals", name="Only here") is not None
    assert second.store.default_org().tag("Deals", name="Only here") is None


zoho = MockZoho(create_app())


@zoho
def fetch_org_id() -> str:
    return requests.get(ORG_URL, headers=AUTH).json()["org"][0]["id"]


def test_mock_zoho_works_as_a_decorator(no_socket):
    assert fetch_org_id() == zoho.store.default_org().id
    assert isinstance(requests.Session().get_adapter(ORG_URL), HTTPAdapter)


def test_token_endpoint_on_zohos_accounts_host(mockcrm_inprocess, no_socket):
    """A refresh-token grant at accounts.zoho.com, then the CRM call at the answered api_domain."""
    grant = {
        "grant_type": "refresh_token",
        "client_id": "1000.CLIENT",
        "client_secret": "secret",
        "refresh_token": "1000.never.issued",  # permissive: stands for the default org
    }
    resp = requests.post("https://accounts.zoho.com/oauth/v2/token", data=grant)
    assert resp.status_code == 200
    body = resp.json()
    assert set(body) == {"access_token", "scope", "api_domain", "token_type", "expires_in"}
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 3600)
    assert body["api_domain"] == "https://www.zohoapis.com"  # as Zoho's accounts server answers
    headers = {"Authorization": f"Zoho-oauthtoken {body['access_token']}"}
    org = requests.get(body["api_domain"] + "/crm/v8/org", headers=headers)
    assert org.status_code == 200
    assert org.json()["org"][0]["id"] == mockcrm_inprocess.store.default_org_id
    bad = requests.post("https://accounts.zoho.eu/oauth/v2/token", data={"grant_type": "password"})
    assert (bad.status_code, bad.json()) == (200, {"error": "unsupported_grant_type"})


def test_isolated_org_through_the_in_process_admin(mockcrm_inprocess, no_socket):
    org = mockcrm_inprocess.admin.create_org(seed="empty")
    assert org.url == "http://mockcrm.inprocess"
    rules = "https://www.zohoapis.com/crm/v8/settings/automation/workflow_rules?module=Deals"
    assert requests.get(rules, headers=org.headers).status_code == 204
    assert requests.get(rules, headers=AUTH).status_code == 200  # the default org has rules
    grant = {
        "grant_type": "client_credentials",
        "client_id": "1000.CLIENT",
        "client_secret": "secret",
        "soid": f"ZohoCRM.{org.org_id}",
        "scope": "ZohoCRM.settings.workflow_rules.READ",
    }
    token = requests.post("https://accounts.zoho.in/oauth/v2/token", data=grant).json()
    headers = {"Authorization": f"Zoho-oauthtoken {token['access_token']}"}
    assert requests.get(rules, headers=headers).status_code == 204
    assert [e["org_id"] for e in mockcrm_inprocess.admin.requests(limit=1)] == [org.org_id]
    mockcrm_inprocess.admin.delete_org(org.org_id)
