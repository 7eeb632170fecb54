"""Zoho's official Python SDK (zohocrmsdk8-0) configured as in production — client id/secret plus
a refresh token or a grant token, no preset access token — gets its access token from mockcrm's
/oauth/v2/token and then reads Deals. The server runs in strict auth mode, so only a token that
mockcrm issued can succeed."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from werkzeug.serving import make_server
from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
from zohocrmsdk.src.com.zoho.api.authenticator.store.file_store import FileStore
from zohocrmsdk.src.com.zoho.api.logger import Logger
from zohocrmsdk.src.com.zoho.crm.api import record as sdk_record
from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
from zohocrmsdk.src.com.zoho.crm.api.header_map import HeaderMap
from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
from zohocrmsdk.src.com.zoho.crm.api.parameter_map import ParameterMap
from zohocrmsdk.src.com.zoho.crm.api.sdk_config import SDKConfig

from mockcrm.app import create_app
from mockcrm.core.store import Store
from mockcrm.seed.loader import load_seed
from mockcrm.settings import Settings

CLIENT_ID = "1000.SDKCLIENT"
CLIENT_SECRET = "sdk-secret"
REDIRECT = "https://app.example/oauth/callback"
SCOPES = "ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.READ,ZohoCRM.org.READ"
VP_DEAL = 4876876000005040001


class Server:
    def __init__(self, url: str, store: Store) -> None:
        self.url = url
        self.store = store

    def grant_code(self) -> str:
        """The one-time consent a user does in the browser: mockcrm redirects with a code."""
        resp = requests.get(
            f"{self.url}/oauth/v2/auth",
            params={
                "client_id": CLIENT_ID,
                "response_type": "code",
                "redirect_uri": REDIRECT,
                "scope": SCOPES,
                "access_type": "offline",
            },
            allow_redirects=False,
            timeout=10,
        )
        assert resp.status_code == 302
        query = dict(parse_qsl(urlsplit(resp.headers["Location"]).query))
        assert query["accounts-server"] == self.url
        return query["code"]

    def token_requests(self) -> list[dict]:
        return [e.as_dict() for e in self.store.journal.query(path="/oauth/v2/token")]


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """A strict-mode mockcrm of this module's own, so the test can look at its token store."""
    import threading

    store = Store(seed_loader=load_seed)
    store.add_seed("zylker", load_seed("zylker"), default=True)
    http = make_server(
        "127.0.0.1", 0, create_app(Settings(auth="strict"), store=store), threaded=True
    )
    thread = threading.Thread(target=http.serve_forever, name="mockcrm-oauth", daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{http.server_port}", store)
    finally:
        http.shutdown()
        thread.join(timeout=10)


def initialize(server: Server, token: OAuthToken, home) -> None:
    environment = DataCenter.Environment(server.url, server.url + "/oauth/v2/token", server.url)
    Initializer.initialize(
        environment=environment,
        token=token,
        store=FileStore(str(home / "tokens.csv")),
        sdk_config=SDKConfig(auto_refresh_fields=False, pick_list_validation=False),
        resource_path=str(home),
        logger=Logger.get_instance(level=Logger.Levels.INFO, file_path=str(home / "sdk.log")),
    )


def read_deals() -> dict[int, sdk_record.Record]:
    params = ParameterMap()
    params.add(sdk_record.GetRecordsParam.fields, "Deal_Name,Amount")
    resp = sdk_record.RecordOperations("Deals").get_records(params, HeaderMap())
    assert resp.get_status_code() == 200, resp.get_object()
    wrapper = resp.get_object()
    assert isinstance(wrapper, sdk_record.ResponseWrapper)
    return {deal.get_id(): deal for deal in wrapper.get_data()}


def access_tokens(store: Store) -> list:
    return [t for t in store.tokens.values() if not t.refresh]


def test_sdk_refreshes_its_access_token_from_mockcrm(server, tmp_path):
    consent = requests.post(
        f"{server.url}/oauth/v2/token",
        data={
            "grant_type": "authorization_code",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uri": REDIRECT,
            "code": server.grant_code(),
        },
        timeout=10,
    ).json()
    refresh_token = consent["refresh_token"]
    before = {t.value for t in access_tokens(server.store)}

    token = OAuthToken(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, refresh_token=refresh_token
    )
    initialize(server, token, tmp_path)
    deals = read_deals()
    assert len(deals) == 8
    assert deals[VP_DEAL].get_key_value("Deal_Name") == "Orbit Logistics - Fleet Tracking Suite"

    # The SDK asked mockcrm's accounts server once, with the refresh-token grant and a form body.
    (grant,) = [r for r in server.token_requests() if "refresh_token=" in str(r["request_body"])]
    assert grant["method"] == "POST" and grant["status"] == 200
    assert "grant_type=refresh_token" in grant["request_body"]
    (issued,) = [t for t in access_tokens(server.store) if t.value not in before]
    assert token.get_access_token() == issued.value
    assert issued.scopes == server.store.tokens[refresh_token].scopes
    assert token.get_api_domain() == server.url  # api_domain from the token response


def test_sdk_exchanges_a_grant_token(server, tmp_path):
    token = OAuthToken(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        grant_token=server.grant_code(),
        redirect_url=REDIRECT,
    )
    initialize(server, token, tmp_path)
    assert VP_DEAL in read_deals()
    held = server.store.tokens[token.get_refresh_token()]
    assert held.refresh is True
    assert server.store.tokens[token.get_access_token()].scopes == held.scopes
