"""create_app: wiring only (blueprints, hooks, error handlers). No business rules here."""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import NullSession, SessionInterface
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import (
    HTTPException,
    MethodNotAllowed,
    NotFound,
    RequestEntityTooLarge,
)
from werkzeug.routing import Rule

from mockcrm.api import (
    actions,
    business_settings,
    configurations,
    hooks,
    metadata,
    records,
    related_notes,
    workflow_rules,
)
from mockcrm.api.admin import bp as admin_bp
from mockcrm.api.common import render_error
from mockcrm.api.oauth import bp as oauth_bp
from mockcrm.core.errors import (
    ZohoError,
    internal_error,
    invalid_request_method,
    invalid_url_pattern,
)
from mockcrm.core.journal import Journal
from mockcrm.core.store import Store
from mockcrm.sandbox import bp as sandbox_bp
from mockcrm.seed.loader import load_seed
from mockcrm.settings import Settings

log = logging.getLogger("mockcrm")


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
        werkzeug's to read or refuse."""
        if (
            cache
            and not parse_form_data
            and not self.shallow
            and getattr(self, "_cached_data", None) is None
            and "stream" not in self.__dict__  # werkzeug's (a cached property) has read from it
        ):
            body = whole_body(self.environ, self.max_content_length)
            if body is not None:
                self._cached_data = body
                return body.decode(errors="replace") if as_text else body
        return super().get_data(cache, as_text, parse_form_data)  # type: ignore[call-overload]


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


class MockcrmFlask(Flask):
    """Flask, with its per-call coroutine check done once per function.

    Flask passes every hook and view through ensure_sync on every request, which asks inspect
    whether it is a coroutine function: five times a request here, about a tenth of a GET's
    own work. mockcrm has no async views, and the answer for a function never changes."""

    url_rule_class = LazyBuilderRule
    request_class = MockcrmRequest
    session_interface = NoSessions()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        sync = self._sync_funcs.get(func)
        if sync is None:
            sync = self._sync_funcs[func] = super().ensure_sync(func)
        return sync

    @functools.cached_property
    def _sync_funcs(self) -> dict[Callable[..., Any], Callable[..., Any]]:
        return {}


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    settings = settings or Settings()
    app = MockcrmFlask("mockcrm", static_folder=None)  # no /static route: nothing to serve
    app.config["MOCKCRM_SETTINGS"] = settings
    # Werkzeug refuses larger bodies with RequestEntityTooLarge: _http_error words it as Zoho.
    app.config["MAX_CONTENT_LENGTH"] = max(settings.max_body_bytes, 0) or None
    # No route answers OPTIONS: Flask's automatic answer is an empty text/html 200; Zoho's
    # paths take their methods only, so OPTIONS is INVALID_REQUEST_METHOD like any other.
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    # A doubled slash is not merged with an HTML 308 redirect: the path matches nothing (404).
    app.url_map.merge_slashes = False
    if store is None:
        store = Store(seed_loader=load_seed, journal=Journal(settings.journal_size))
        seed = load_seed(settings.seed, settings.fake_rules, settings.fake_seed)
        store.add_seed(settings.seed, seed, default=True, fake_rules=settings.fake_rules,
                       fake_seed=settings.fake_seed)  # fmt: skip
    app.extensions["mockcrm.store"] = store
    app.register_blueprint(workflow_rules.bp)
    app.register_blueprint(configurations.bp)
    app.register_blueprint(actions.bp)
    app.register_blueprint(metadata.bp)
    app.register_blueprint(business_settings.bp)
    app.register_blueprint(oauth_bp)
    if not settings.no_admin:
        app.register_blueprint(admin_bp)
    app.register_blueprint(sandbox_bp)  # the dashboard at / (HTML; says so if admin is off)
    # /crm/v8/{module} last: the static /crm/v8 routes above must win.
    app.register_blueprint(records.bp)
    app.register_blueprint(related_notes.bp)  # /crm/v8/{module}/{id}/Notes: records' module rule
    hooks.install(app)
    app.register_error_handler(ZohoError, render_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    return app


def _http_error(error: HTTPException) -> Response:
    if isinstance(error, MethodNotAllowed):
        return render_error(invalid_request_method())
    if isinstance(error, NotFound):
        return render_error(invalid_url_pattern())
    if isinstance(error, RequestEntityTooLarge):
        # Zoho documents no size limit for JSON APIs: the core fact sheet's recommended body.
        return render_error(ZohoError("LIMIT_EXCEEDED", "request size exceeded", status=413))
    return render_error(
        ZohoError(
            "INVALID_REQUEST",
            "unable to process your request. please "
            "verify whether you have entered proper method name, parameter "
            "and parameter values.",
            status=error.code or 400,
        )
    )


def _unexpected(error: Exception) -> Response:
    log.exception("unexpected error", exc_info=error)
    return render_error(internal_error())
