"""The dashboard's four pages. Views only render templates: no data is read here."""

from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.exceptions import NotFound

from mockcrm.settings import Settings

PREFIX = "/sandbox"
# An org id as the admin API names it: "default" or a numeric id. Anything else falls back to
# the default org, so a hand-edited URL can never inject text into the page's data attributes.
# Checked with fullmatch: `$` would also accept a trailing newline ("default\n").
ORG_ID = re.compile(r"default|[0-9]{1,25}")
RULE_ID = re.compile(r"[0-9]{1,25}")
# Everything comes from this origin: no CDN, no inline script, works offline.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def is_dashboard_path(path: str) -> bool:
    """The dashboard's own pages and files: like /__admin, not API traffic (no journal, no
    faults), so the Activity page shows what clients sent, not the page loading itself."""
    return path == "/" or path.startswith(f"{PREFIX}/")


bp = Blueprint(
    "sandbox",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path=f"{PREFIX}/static",
)


def _page(name: str, active: str, **context: object) -> str:
    """templates/sandbox/<name>.html with its script static/<name>.js."""
    settings: Settings = current_app.config["MOCKCRM_SETTINGS"]
    raw = request.args.get("org", "default")
    return render_template(
        f"sandbox/{name}.html",
        script=f"{name}.js",
        active=active,
        org=raw if ORG_ID.fullmatch(raw) else "default",
        admin_on=not settings.no_admin,
        admin_token_required=bool(settings.admin_token),
        **context,
    )


@bp.get("/")
def audit() -> str:
    return _page("audit", "audit")


@bp.get(f"{PREFIX}/rules/<rule_id>")
def rule(rule_id: str) -> str:
    if not RULE_ID.fullmatch(rule_id):
        raise NotFound()  # the app's handler answers Zoho's JSON 404
    return _page("rule", "audit", rule_id=rule_id)


@bp.get(f"{PREFIX}/try")
def try_it() -> str:
    return _page("try", "try")


@bp.get(f"{PREFIX}/activity")
def activity() -> str:
    return _page("activity", "activity")


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
