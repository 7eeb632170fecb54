"""Shared fixtures: a fresh app per test over one loaded Zylker seed (loaded once per session)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient

from mockcrm.app import create_app
from mockcrm.core.store import Store
from mockcrm.crm.org import Org
from mockcrm.seed.loader import load_seed
from mockcrm.settings import Settings

AUTH = {"Authorization": "Zoho-oauthtoken 1000.test.token"}
RULES = "/crm/v8/settings/automation/workflow_rules"


@pytest.fixture(scope="session")
def zylker_seed() -> Org:
    return load_seed("zylker")


@pytest.fixture
def store(zylker_seed: Org) -> Store:
    st = Store(seed_loader=load_seed)
    st.add_seed("zylker", zylker_seed, default=True)
    st.default_org().clock.set(FROZEN_AT, freeze=True)
    return st


@pytest.fixture
def org(store: Store) -> Org:
    return store.default_org()


# Tests run on a frozen virtual clock, so "now" is the same instant throughout a test.
FROZEN_AT = datetime(2025, 12, 1, 5, 39, 10, tzinfo=UTC)


@pytest.fixture
def app(store: Store):
    return create_app(Settings(), store=store)


class Api:
    """The Flask test client with Zoho's auth header on every call."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def call(
        self, method: str, path: str, *, json: Any = None, headers: dict | None = None, **kw: Any
    ):
        return self.client.open(
            path, method=method, json=json, headers={**AUTH, **(headers or {})}, **kw
        )

    def get(self, path: str, **kw: Any):
        return self.call("GET", path, **kw)

    def post(self, path: str, **kw: Any):
        return self.call("POST", path, **kw)

    def put(self, path: str, **kw: Any):
        return self.call("PUT", path, **kw)

    def delete(self, path: str, **kw: Any):
        return self.call("DELETE", path, **kw)


@pytest.fixture
def api(app) -> Api:
    return Api(app.test_client())


def pytest_terminal_summary(terminalreporter) -> None:
    """Figures tests measured (`record_property("figure", "...")`), shown at the end of the run,
    also under xdist (user properties travel back from the workers)."""
    figures = [
        value
        for report in terminalreporter.stats.get("passed", [])
        for name, value in getattr(report, "user_properties", [])
        if name == "figure"
    ]
    if figures:
        terminalreporter.section("measured figures")
        for figure in figures:
            terminalreporter.line(figure)
