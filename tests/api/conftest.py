"""Fixtures of the tests/api files beyond tests/conftest.py's (which stay there)."""

from __future__ import annotations

import pytest


@pytest.fixture
def client(app):
    """A raw Flask test client: no Zoho Authorization header is added (unlike `api`)."""
    return app.test_client()
