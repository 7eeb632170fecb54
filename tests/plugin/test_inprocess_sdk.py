"""Zoho's official Python SDK, configured for Zoho's real US data centre, runs against mockcrm in
process: its token refresh at accounts.zoho.com and its CRM calls never open a socket."""

from __future__ import annotations

import socket

from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
from zohocrmsdk.src.com.zoho.api.authenticator.store.file_store import FileStore
from zohocrmsdk.src.com.zoho.api.logger import Logger
from zohocrmsdk.src.com.zoho.crm.api import record as sdk_record
from zohocrmsdk.src.com.zoho.crm.api.dc import USDataCenter
from zohocrmsdk.src.com.zoho.crm.api.header_map import HeaderMap
from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
from zohocrmsdk.src.com.zoho.crm.api.parameter_map import ParameterMap
from zohocrmsdk.src.com.zoho.crm.api.sdk_config import SDKConfig

VP_DEAL = 4876876000005040001


def test_sdk_with_zohos_production_urls(mockcrm_inprocess, monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    token = OAuthToken(
        client_id="1000.CLIENT", client_secret="secret", refresh_token="1000.any.refresh"
    )
    Initializer.initialize(
        environment=USDataCenter.PRODUCTION(),
        token=token,
        store=FileStore(str(tmp_path / "tokens.csv")),
        sdk_config=SDKConfig(auto_refresh_fields=False, pick_list_validation=False),
        resource_path=str(tmp_path),
        logger=Logger.get_instance(level=Logger.Levels.INFO, file_path=str(tmp_path / "sdk.log")),
    )
    params = ParameterMap()
    params.add(sdk_record.GetRecordsParam.fields, "Deal_Name,Amount")
    resp = sdk_record.RecordOperations("Deals").get_records(params, HeaderMap())
    assert resp.get_status_code() == 200, resp.get_object()
    deals = {deal.get_id(): deal for deal in resp.get_object().get_data()}
    assert deals[VP_DEAL].get_key_value("Deal_Name") == "Orbit Logistics - Fleet Tracking Suite"
    journal = mockcrm_inprocess.store.journal
    hosts = {(e.path.split("/")[1], e.request_headers["Host"]) for e in journal.query()}
    assert hosts == {("oauth", "accounts.zoho.com"), ("crm", "www.zohoapis.com")}
    assert [e.path for e in journal.query(method="POST")] == ["/oauth/v2/token"]
    assert [e.status for e in journal.query(path="/crm/v8/Deals")] == [200]
    issued = mockcrm_inprocess.store.tokens[token.get_access_token()]
    assert issued.org_id == mockcrm_inprocess.store.default_org_id
