"""create_app: wiring only (blueprints, hooks, error handlers). No business rules here."""

from __future__ import annotations

import logging

from flask import Flask, Response
from werkzeug.exceptions import (
    HTTPException,
    MethodNotAllowed,
    NotFound,
    RequestEntityTooLarge,
)

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
from mockcrm.api.wsgi import MockcrmFlask
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
