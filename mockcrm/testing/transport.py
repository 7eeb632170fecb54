"""In-process mode: `requests` calls to Zoho's real hosts reach a mockcrm app with no socket.

Like moto's decorator: code that talks to `https://www.zohoapis.com` and `https://accounts.zoho.com`
(any data centre) runs unchanged inside `with mock_zoho():` or under `@mock_zoho()`.
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Iterable, Mapping
from http.client import responses as REASONS
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

if TYPE_CHECKING:
    from flask import Flask

    from mockcrm.core.store import Store
    from mockcrm.testing.client import AdminClient

# Zoho's data centres: the CRM API host suffix and its accounts (OAuth) host.
DATA_CENTRES: dict[str, str] = {
    "com": "accounts.zoho.com",  # US
    "eu": "accounts.zoho.eu",
    "in": "accounts.zoho.in",
    "com.au": "accounts.zoho.com.au",
    "jp": "accounts.zoho.jp",
    "com.cn": "accounts.zoho.com.cn",
    "ca": "accounts.zohocloud.ca",
    "sa": "accounts.zoho.sa",
}
# Production, sandbox and developer environments share a DC's suffix (Zoho's SDK DataCenter).
API_HOSTS = frozenset(
    f"{env}.zohoapis.{tld}" for tld in DATA_CENTRES for env in ("www", "sandbox", "developer")
)
# accounts.zoho.ca also answers for Canada besides zohocloud.ca.
ACCOUNTS_HOSTS = frozenset(DATA_CENTRES.values()) | {"accounts.zoho.ca"}
ZOHO_HOSTS = API_HOSTS | ACCOUNTS_HOSTS
HOP_HEADERS = frozenset({"transfer-encoding", "content-length", "connection"})
# Where the in-process AdminClient points: never a real host, so it can't leak to the network.
INPROCESS_URL = "http://mockcrm.inprocess"


def is_zoho_url(url: str) -> bool:
    """True for https URLs whose host is exactly one of Zoho's (not a look-alike suffix)."""
    parts = urlsplit(url)
    return parts.scheme == "https" and (parts.hostname or "").lower() in ZOHO_HOSTS


class FlaskAdapter(BaseAdapter):
    """A `requests` transport adapter that hands each request to a Flask app's test client."""

    def __init__(self, app: Flask) -> None:
        super().__init__()
        self.app = app

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        # A full URL keeps the scheme and Host the client used (request.host_url sees them).
        client = self.app.test_client()
        served = client.open(
            request.url or "/",
            method=request.method or "GET",
            # The body is whole here: its length is recomputed, never sent chunked.
            headers=[(k, v) for k, v in request.headers.items() if k.lower() not in HOP_HEADERS],
            data=_body_bytes(request.body),
        )
        try:
            return _build_response(request, served.status_code, served.headers, served.data)
        finally:
            served.close()

    def close(self) -> None:
        """Nothing to release: no sockets, no pool."""


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):  # a file object
        return _body_bytes(body.read())
    if isinstance(body, Iterable):  # a generator: chunked upload
        return b"".join(_body_bytes(chunk) for chunk in body)
    raise TypeError(f"unsupported request body type {type(body).__name__}")


def _build_response(
    request: requests.PreparedRequest, status: int, headers: Any, data: bytes
) -> requests.Response:
    """What `HTTPAdapter.build_response` makes from a socket, made from the app's answer."""
    response = requests.Response()
    response.status_code = status
    response.headers = CaseInsensitiveDict(headers.items())
    response.encoding = get_encoding_from_headers(response.headers)
    response.reason = REASONS.get(status, "")
    response.raw = io.BytesIO(data)  # read by `iter_content` for stream=True callers too
    response.url = request.url or ""
    response.request = request
    response.connection = None
    return response


class MockZoho(contextlib.ContextDecorator):
    """Routes every `requests` call for Zoho's hosts to `app`, on every Session, while active.

    `requests.Session.get_adapter` is patched (as requests-mock does) rather than `__init__`, so
    sessions created before the block starts (module-level clients, the SDK's) are covered too.
    """

    def __init__(self, app: Flask | None = None) -> None:
        if app is None:
            from mockcrm.app import create_app

            app = create_app()
        self.app = app
        self.adapter = FlaskAdapter(app)
        self._admin: AdminClient | None = None

    @property
    def store(self) -> Store:
        return self.app.extensions["mockcrm.store"]

    @property
    def admin(self) -> AdminClient:
        """The admin API of this app, in process (works inside and outside the block)."""
        if self._admin is None:
            from mockcrm.testing.client import AdminClient

            session = requests.Session()
            session.mount(INPROCESS_URL, self.adapter)
            admin_token = self.app.config["MOCKCRM_SETTINGS"].admin_token
            self._admin = AdminClient(INPROCESS_URL, admin_token=admin_token, session=session)
        return self._admin

    def __enter__(self) -> MockZoho:
        _activate(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _deactivate(self)


def mock_zoho(app: Flask | None = None) -> MockZoho:
    """`with mock_zoho() as zoho:` or `@mock_zoho()`: Zoho's URLs reach `app` (a fresh one by
    default, Zylker seed, permissive auth)."""
    return MockZoho(app)


# The active mocks, innermost last; the patch is installed while the stack is non-empty.
_ACTIVE: list[MockZoho] = []
_LOCK = threading.Lock()
_ORIGINAL_GET_ADAPTER = requests.Session.get_adapter


def _get_adapter(self: requests.Session, url: str) -> BaseAdapter:
    with _LOCK:
        active = _ACTIVE[-1] if _ACTIVE else None
    if active is not None and is_zoho_url(url):
        return active.adapter
    return _ORIGINAL_GET_ADAPTER(self, url)


def _activate(mock: MockZoho) -> None:
    with _LOCK:
        if not _ACTIVE:
            requests.Session.get_adapter = _get_adapter  # type: ignore[method-assign]
        _ACTIVE.append(mock)


def _deactivate(mock: MockZoho) -> None:
    with _LOCK:
        # Remove this mock's latest entry (not necessarily the top, if exits interleave).
        for index in range(len(_ACTIVE) - 1, -1, -1):
            if _ACTIVE[index] is mock:
                del _ACTIVE[index]
                break
        if not _ACTIVE:
            requests.Session.get_adapter = _ORIGINAL_GET_ADAPTER  # type: ignore[method-assign]
