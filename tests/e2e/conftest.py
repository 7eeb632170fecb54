"""A live mockcrm on 127.0.0.1 (a free port) in a daemon thread, for clients that need a socket."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from mockcrm.app import create_app
from mockcrm.settings import Settings


@pytest.fixture(scope="session")
def live_url() -> Iterator[str]:
    """Base URL of a threaded werkzeug server serving `create_app()` with the Zylker seed."""
    server = make_server("127.0.0.1", 0, create_app(Settings()), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="mockcrm-live", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
