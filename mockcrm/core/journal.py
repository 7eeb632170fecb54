"""The request journal: a capped ring buffer, so a long-running sandbox never grows unbounded."""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Mapping
from typing import Any, NamedTuple
from urllib.parse import unquote_plus

from werkzeug.datastructures import EnvironHeaders

from mockcrm.core.jsontext import parse_json

REDACTED = "[redacted]"
SECRET_HEADERS = frozenset({"authorization", "x-admin-token", "cookie"})
# OAuth parameters that carry a secret (query strings and form bodies of /oauth/v2/token...).
SECRET_PARAMS = frozenset(
    {"client_secret", "refresh_token", "access_token", "code", "token", "password", "id_token"}
)
# JSON keys that carry one (token responses). Not `code`/`token`: every Zoho result has a `code`.
SECRET_KEYS = frozenset({"client_secret", "refresh_token", "access_token", "password", "id_token"})


# Bodies are journaled up to this many characters (a longer one is kept as its text prefix).
MAX_BODY_CHARS = 10_000
# UTF-8 needs at most 4 bytes a character: this many bytes always hold MAX_BODY_CHARS of them.
MAX_BODY_BYTES = MAX_BODY_CHARS * 4


class Entry(NamedTuple):
    """One API call. Headers and bodies are kept as received and named, parsed and redacted
    only when read: most entries are never read, and parsing every response cost more than
    serving it."""

    id: int
    time: str | None
    org_id: str | None
    method: str
    path: str
    query: str
    status: int
    duration_ms: float
    headers_raw: dict[str, Any] | None = None  # the environ's header keys (header_keys)
    request_raw: bytes | None = None
    response_raw: bytes | None = None

    @property
    def request_headers(self) -> dict[str, str]:
        """As werkzeug names them (`request.headers`), secrets redacted."""
        return redact(EnvironHeaders(self.headers_raw)) if self.headers_raw else {}

    @property
    def request_body(self) -> Any:
        return body_of(self.request_raw)

    @property
    def response_body(self) -> Any:
        return body_of(self.response_raw)

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self._asdict().items() if not k.endswith("_raw")}
        out["request_headers"] = self.request_headers
        return {**out, "request_body": self.request_body, "response_body": self.response_body}


# Keys a WSGI environ has besides headers (PEP 3333's, the server's, werkzeug's): a set
# difference drops them before the header test runs on what is left (which is what decides).
NOT_HEADERS = frozenset(
    {
        "GATEWAY_INTERFACE", "PATH_INFO", "QUERY_STRING", "RAW_URI", "REMOTE_ADDR", "REMOTE_PORT",
        "REQUEST_METHOD", "REQUEST_URI", "SCRIPT_NAME", "SERVER_NAME", "SERVER_PORT",
        "SERVER_PROTOCOL", "SERVER_SOFTWARE", "wsgi.errors", "wsgi.input", "wsgi.input_terminated",
        "wsgi.multiprocess", "wsgi.multithread", "wsgi.run_once", "wsgi.url_scheme",
        "wsgi.version", "werkzeug.request",
    }
)  # fmt: skip


def header_keys(environ: Mapping[str, Any]) -> dict[str, Any]:
    """The keys of a WSGI environ that werkzeug reads headers from (Entry.request_headers)."""
    return {
        k: environ[k]
        for k in environ.keys() - NOT_HEADERS
        if k.startswith("HTTP_") or k in ("CONTENT_TYPE", "CONTENT_LENGTH")
    }


def capped(raw: bytes | None) -> bytes | None:
    """What a journal entry keeps of a body: the bytes of its first MAX_BODY_CHARS characters
    (decoded only when the body is longer than that, which is rare)."""
    if not raw or len(raw) <= MAX_BODY_CHARS:
        return raw
    return raw[:MAX_BODY_BYTES].decode("utf-8", "replace")[:MAX_BODY_CHARS].encode()


def body_of(raw: bytes | None) -> Any:
    """A body as journaled: JSON parsed, anything else as text (OAuth's form bodies); secrets
    (client_secret, refresh_token...) redacted either way."""
    if raw is None:
        return None
    text = raw.decode("utf-8", "replace")[:MAX_BODY_CHARS]
    try:
        return redact_body(parse_json(text)) if text else None
    except ValueError:
        return redact_query(text)


def redact(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: REDACTED if k.lower() in SECRET_HEADERS else v for k, v in headers.items()}


def redact_query(query: str) -> str:
    """A query string (or form body) with the values of secret parameters replaced, the rest
    kept byte for byte, so the log and the journal still show what was asked."""
    pairs = []
    for pair in query.split("&"):
        key, sep, _ = pair.partition("=")
        secret = bool(sep) and unquote_plus(key).strip().lower() in SECRET_PARAMS
        pairs.append(f"{key}={REDACTED}" if secret else pair)
    return "&".join(pairs)


def redact_body(body: Any) -> Any:
    """A journaled JSON body with the values of secret keys replaced (a copy; never the org's)."""
    if isinstance(body, dict):
        return {
            k: REDACTED if str(k).lower() in SECRET_KEYS else redact_body(v)
            for k, v in body.items()
        }
    if isinstance(body, list):
        return [redact_body(item) for item in body]
    return body


class Journal:
    def __init__(self, capacity: int = 1000) -> None:
        self.capacity = capacity
        self._entries: deque[Entry] = deque(maxlen=capacity)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def record(self, **values: Any) -> Entry:
        with self._lock:
            entry = Entry(id=next(self._ids), **values)
            self._entries.append(entry)
        return entry

    def query(
        self,
        org_id: str | None = None,
        method: str | None = None,
        path: str | None = None,
        limit: int | None = None,
    ) -> list[Entry]:
        """Matching entries, newest first. `path` matches a prefix."""
        with self._lock:
            entries = list(self._entries)
        found = [
            e
            for e in reversed(entries)
            if (org_id is None or e.org_id == org_id)
            and (method is None or e.method == method.upper())
            and (path is None or e.path.startswith(path))
        ]
        return found[:limit] if limit is not None else found

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
