"""A live mockcrm on 127.0.0.1 and a free port, served from a daemon thread of this process.

The pytest plugin's `mockcrm_server` is one of these; any test runner can use it directly:

    with LiveServer.start() as server:
        requests.get(server.url + "/crm/v8/org", headers=...)
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from mockcrm.testing.client import AdminClient

if TYPE_CHECKING:
    from flask import Flask

    from mockcrm.core.store import Store
    from mockcrm.settings import Settings


class QuietHandler(WSGIRequestHandler):
    """mockcrm logs each request itself (logger `mockcrm.requests`); werkzeug's line is noise."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@dataclass
class LiveServer:
    url: str
    app: Flask
    admin: AdminClient
    _server: BaseWSGIServer
    _thread: threading.Thread

    @property
    def store(self) -> Store:
        """The server's state, for assertions that the admin API doesn't cover."""
        return self.app.extensions["mockcrm.store"]

    @classmethod
    @contextmanager
    def start(
        cls, app: Flask | None = None, settings: Settings | None = None
    ) -> Iterator[LiveServer]:
        """Serve `app` (default: `create_app(settings)`) until the block ends."""
        if app is None:
            from mockcrm.app import create_app

            app = create_app(settings)
        admin_token = app.config["MOCKCRM_SETTINGS"].admin_token
        # Port 0: the OS picks a free port, so parallel workers never collide.
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
        thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name="mockcrm-live", daemon=True
        )
        thread.start()
        url = f"http://127.0.0.1:{server.server_port}"
        live = cls(url, app, AdminClient(url, admin_token=admin_token), server, thread)
        try:
            yield live
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)
            live.admin.session.close()
