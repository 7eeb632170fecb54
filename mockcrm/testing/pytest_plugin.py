"""mockcrm's pytest plugin (entry point `pytest11`, active once mockcrm is installed).

Fixtures:
- `mockcrm_server` (session): a live mockcrm on 127.0.0.1 and a free port, in a thread; `.url`,
  `.app`, `.store`, `.admin` (an AdminClient). Under pytest-xdist each worker has its own.
- `mockcrm_org` (function): a fresh isolated org on that server: `.org_id`, `.token` (reaches only
  this org), `.headers`, `.url`; deleted after the test. `@pytest.mark.mockcrm_org(seed="empty",
  fake_rules=20, fake_seed=1)` picks its seed.
- `mockcrm` (function): the harness bound to the server and the test's org: `reset()`,
  `snapshot(name)`, `restore(name)`, `requests(...)`, `count(...)`, `fault(...)`, `advance(...)`,
  `set_clock(now)`, `clock()`, `state()`.
- `mockcrm_inprocess` (function): a fresh app with Zoho's hosts routed to it, no socket
  (see mockcrm.testing.transport.mock_zoho).
- `mockcrm_settings` (session): the Settings both servers use; override it in a conftest.py.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from mockcrm.core.auth import ACCESS_TOKEN_LIFETIME
from mockcrm.settings import Settings
from mockcrm.testing.client import AdminClient, AdminError, OrgHandle
from mockcrm.testing.server import LiveServer
from mockcrm.testing.transport import MockZoho, mock_zoho

ORG_MARKER = "mockcrm_org"
CREATE_ORG = inspect.signature(AdminClient.create_org)  # the marker takes its arguments


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{ORG_MARKER}(seed='zylker', fake_rules=0, fake_seed=0): the seed of the test's "
        "mockcrm_org",
    )


class MockCRM:
    """The admin API scoped to one test's org. Faults it adds are removed after the test."""

    def __init__(self, admin: AdminClient, org: OrgHandle) -> None:
        self.admin = admin
        self.org = org
        self._faults: list[str] = []

    @property
    def url(self) -> str:
        return self.org.url

    @property
    def headers(self) -> dict[str, str]:
        return self.org.headers

    def reset(self) -> None:
        """The org back to its seed (its id and token stay valid)."""
        self.admin.reset(self.org.org_id)

    def snapshot(self, name: str) -> None:
        self.admin.snapshot(self.org.org_id, name)

    def restore(self, name: str) -> None:
        self.admin.restore(self.org.org_id, name)

    def state(self) -> dict[str, Any]:
        return self.admin.export_state(self.org.org_id)

    def requests(
        self, method: str | None = None, path: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """This org's journal entries, newest first; `path` matches a prefix."""
        return self.admin.requests(self.org.org_id, method, path, limit)

    def outbox(self, **filters: Any) -> list[dict[str, Any]]:
        """Emails and webhooks the workflow engine sent for this org (`rule_id=`, `record_id=`,
        `type="email"|"webhook"`), oldest first."""
        return self.admin.engine_log(self.org.org_id, "outbox", **filters)

    def executions(self, **filters: Any) -> list[dict[str, Any]]:
        """What each rule firing did (`rule_id=`, `record_id=`), oldest first."""
        return self.admin.engine_log(self.org.org_id, "executions", **filters)

    def schedule(self, **filters: Any) -> list[dict[str, Any]]:
        """Scheduled actions waiting for this org's clock."""
        return self.admin.engine_log(self.org.org_id, "schedule", **filters)

    def count(self, method: str | None = None, path: str | None = None) -> int:
        return self.admin.count(self.org.org_id, method, path)

    def fault(self, **spec: Any) -> str:
        """Inject a fault for this org's requests (`status`, `path`, `method`, `times`, ...)."""
        fault_id = self.admin.fault(**{"org_id": self.org.org_id, **spec})
        self._faults.append(fault_id)
        return fault_id

    def clear_faults(self) -> None:
        for fault_id in self._faults:
            try:
                self.admin.delete_fault(fault_id)
            except AdminError as error:
                if error.status != 404:  # a fault with `times` may be used up already
                    raise
        self._faults.clear()

    def advance(self, **units: int) -> dict[str, Any]:
        """Move this org's clock: `minutes=`, `hours=`, `days=` or `business_days=`."""
        return self.admin.advance(self.org.org_id, **units)

    def set_clock(self, now: datetime | str, freeze: bool | None = None) -> dict[str, Any]:
        """Set this org's clock (`freeze=True` stops it there); a naive datetime is UTC."""
        return self.admin.set_clock(self.org.org_id, now, freeze)

    def clock(self) -> dict[str, Any]:
        return self.admin.clock(self.org.org_id)

    def credits(self, daily_limit: int | None, used: int | None = None) -> dict[str, Any]:
        """Give this org a daily API-credit budget (None: unlimited)."""
        return self.admin.set_credits(self.org.org_id, daily_limit, used)

    def issue_token(
        self, scopes: list[str] | None = None, expires_in: int | None = ACCESS_TOKEN_LIFETIME
    ) -> str:
        """Another token for this org, e.g. with fewer scopes or a short life (None: never
        expires)."""
        return self.admin.issue_token(self.org.org_id, scopes, expires_in)


@pytest.fixture(scope="session")
def mockcrm_settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def mockcrm_server(mockcrm_settings: Settings) -> Iterator[LiveServer]:
    with LiveServer.start(settings=mockcrm_settings) as server:
        yield server


@pytest.fixture
def mockcrm_org(request: pytest.FixtureRequest, mockcrm_server: LiveServer) -> Iterator[OrgHandle]:
    org = mockcrm_server.admin.create_org(**_org_options(request.node))
    yield org
    try:
        mockcrm_server.admin.delete_org(org.org_id)
    except AdminError as error:
        if error.status != 404:  # the test may have deleted it itself
            raise


def _org_options(node: pytest.Item) -> dict[str, Any]:
    """The mockcrm_org markers' options, the closest winning per option (a method's
    fake_rules=3 keeps its class's seed="empty"); the seed may be given positionally."""
    options: dict[str, Any] = {}
    for marker in reversed(list(node.iter_markers(ORG_MARKER))):  # farthest first
        try:
            bound = CREATE_ORG.bind(None, *marker.args, **marker.kwargs)  # None: self
        except TypeError as error:
            raise pytest.UsageError(f"@pytest.mark.{ORG_MARKER}: {error}") from None
        options.update({k: v for k, v in bound.arguments.items() if k != "self"})
    return options


@pytest.fixture
def mockcrm(mockcrm_server: LiveServer, mockcrm_org: OrgHandle) -> Iterator[MockCRM]:
    helper = MockCRM(mockcrm_server.admin, mockcrm_org)
    yield helper
    helper.clear_faults()


@pytest.fixture
def mockcrm_inprocess(mockcrm_settings: Settings) -> Iterator[MockZoho]:
    from mockcrm.app import create_app

    with mock_zoho(create_app(mockcrm_settings)) as zoho:
        yield zoho
