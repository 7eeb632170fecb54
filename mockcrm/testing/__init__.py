"""Helpers for testing code against mockcrm: the admin client, a live server in a thread, the
in-process transport (`mock_zoho`), and the pytest plugin (mockcrm.testing.pytest_plugin)."""

from mockcrm.testing.client import AdminClient, AdminError, OrgHandle
from mockcrm.testing.server import LiveServer
from mockcrm.testing.transport import MockZoho, mock_zoho

__all__ = ["AdminClient", "AdminError", "LiveServer", "MockZoho", "OrgHandle", "mock_zoho"]
