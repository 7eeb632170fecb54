"""mockcrm's Flask: the app, request, response, session and URL-rule classes create_app uses.
Each does less per request than Flask's own for the same answer (benchmarks/README.md, "What
was changed"), and leaves Flask and werkzeug every case it does not vouch for."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import NullSession, SessionInterface
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import Rule


class LazyBuilderRule(Rule):
    """A URL rule whose url_for builder is generated the first time a URL is built from it.

    Werkzeug generates (ast + compile) two builder functions for every rule as it is added: with
    ~100 routes that was most of create_app's time, yet only url_for (the dashboard's links)
    ever builds a URL, from a handful of rules. Matching requests never uses the builders.
    It overrides werkzeug's private Rule._compile_builder: tests/unit/test_serve_imports.py fails
    if a werkzeug release renames it (the routes would still work, only eagerly)."""

    def _compile_builder(self, *args: Any, **kwargs: Any) -> Callable[..., tuple[str, str]]:
        compile_builder = super()._compile_builder
        built: list[Callable[..., tuple[str, str]]] = []

        def build(rule: Rule, /, **values: Any) -> tuple[str, str]:
            if not built:  # two threads may both compile: the same function, harmless
                built.append(compile_builder(*args, **kwargs).__get__(rule, None))
            return built[0](**values)

        return build


class QueryArgs(ImmutableMultiDict[str, str]):
    """request.args whose get() of a missing parameter returns the default without raising:
    werkzeug's raises and catches a BadRequestKeyError (an HTTPException, costly to build) for
    each one, and a list request asks for a dozen optional parameters it was not sent."""

    def get(self, key: str, default: Any = None, type: Any = None) -> Any:  # noqa: A002
        if key not in self:
            return default
        return super().get(key, default, type)


class MockcrmRequest(Request):
    parameter_storage_class = QueryArgs

    def get_data(  # type: ignore[override]
        self, cache: bool = True, as_text: bool = False, parse_form_data: bool = False
    ) -> bytes | str:
        """werkzeug's get_data, reading a body already in memory at once: mockcrm's server
        hands over a BytesIO (server.PREREAD_BYTES), as Flask's test client does, and wrapping
        it in werkzeug's stream to read it cost ~6 us of a ~200 us rule create. Anything else
        (a limit exceeded, a chunked or short body, a stream, a read begun or uncached) is
        werkzeug's to read or refuse, but a streamed body longer than the limit is refused, where
        werkzeug would hand over its first `limit` bytes."""
        limit = self.max_content_length
        if (
            cache
            and not parse_form_data
            and not self.shallow
            and getattr(self, "_cached_data", None) is None
            and "stream" not in self.__dict__  # werkzeug's (a cached property) has read from it
        ):
            body = whole_body(self.environ, limit)
            if body is not None:
                self._cached_data = body
                return body.decode(errors="replace") if as_text else body
        data = super().get_data(cache, False, parse_form_data)
        # A streamed (chunked) body: werkzeug reads it up to the limit and stops there, silently,
        # so a longer one would read as cut short. More input is Zoho's 413.
        if (
            limit is not None
            and len(data) >= limit
            and self.content_length is None
            and self.environ["wsgi.input"].read(1)
        ):
            self._cached_data = None
            raise RequestEntityTooLarge()
        return data.decode(errors="replace") if as_text else data


def whole_body(environ: dict[str, Any], limit: int | None) -> bytes | None:
    """The body of known length, read from an in-memory input within `limit`; None (nothing
    read) when werkzeug's stream must read it: it enforces the limit and a client's short body."""
    stream = environ.get("wsgi.input")
    length = environ.get("CONTENT_LENGTH")
    if (
        type(stream) is not io.BytesIO
        or not isinstance(length, str)
        or not (length.isdecimal() and length.isascii())
        or "wsgi.input_terminated" in environ
        or "HTTP_TRANSFER_ENCODING" in environ
        or (limit is not None and int(length) > limit)
    ):
        return None
    size = int(length)
    body = stream.read(size)
    if len(body) < size:  # the client sent less than it said: werkzeug's 400
        stream.seek(-len(body), io.SEEK_CUR)
        return None
    return body


class NoSessions(SessionInterface):
    """mockcrm keeps no cookie sessions (its APIs take tokens, the dashboard keeps none): every
    request shares one read-only NullSession, where Flask's default interface looked for a
    signing key and built a new one per request (~2.5 us)."""

    null_session = NullSession()

    def open_session(self, app: Flask, request: Request) -> NullSession:
        return self.null_session

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        return None


class MockcrmResponse(Response):
    """Flask's response, whose WSGI call hands over a body of bytes as it is. werkzeug's call
    copied the headers to look for Location and Content-Location, re-added Content-Length and
    wrapped the body in a closing iterator (~8 us of a ~180 us rule create), which mockcrm's
    server then read back through granian's iterator wrapper, not as one string. A body that
    is not one bytes string, a header to rewrite, an empty answer (HEAD, 1xx, 204, 304), a
    passthrough or a close callback are werkzeug's."""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        body = self.response
        status = self.status_code
        if (
            type(body) is list
            and len(body) == 1
            and type(body[0]) is bytes
            and status >= 200
            and status not in (204, 304)
            and not self.direct_passthrough
            and not self._on_close
            and environ.get("REQUEST_METHOD") != "HEAD"
        ):
            headers = self.headers.to_wsgi_list()
            names = {name.lower() for name, _ in headers}
            if "location" not in names and "content-location" not in names:
                if "content-length" not in names and self.automatically_set_content_length:
                    headers.append(("Content-Length", str(len(body[0]))))
                start_response(self.status, headers)
                return [body[0]]
        return super().__call__(environ, start_response)


class MockcrmFlask(Flask):
    """Flask, with its per-call coroutine check done once per function.

    Flask passes every hook and view through ensure_sync on every request, which asks inspect
    whether it is a coroutine function: five times a request here, about a tenth of a GET's
    own work. mockcrm has no async views, and the answer for a function never changes."""

    url_rule_class = LazyBuilderRule
    request_class = MockcrmRequest
    response_class = MockcrmResponse
    session_interface = NoSessions()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        sync = self._sync_funcs.get(func)
        if sync is None:
            sync = self._sync_funcs[func] = super().ensure_sync(func)
        return sync

    @functools.cached_property
    def _sync_funcs(self) -> dict[Callable[..., Any], Callable[..., Any]]:
        return {}
