"""What every admin handler shares: the `default` org name, org lookup (404 NOT_FOUND in Zoho's
flat envelope), and the body-schema marker and parser.

Separate from api/admin.py (the route table) so that view modules beside it (admin_engine.py)
can use these helpers without importing the table that imports them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mockcrm.api.common import store
from mockcrm.core.errors import ZohoError, param_invalid
from mockcrm.core.ids import is_digits
from mockcrm.crm.org import Org

# The body schemas (admin_bodies, marshmallow) are imported by the handlers that use them: they
# are not needed to start serving, or to answer /health.

DEFAULT = "default"  # names the default org wherever an org id is expected


def takes(schema: str) -> Any:
    """Mark a handler with the body schema it parses (a class name in admin_bodies): the admin
    OpenAPI document reads it."""

    def mark(handler: Any) -> Any:
        handler.body_schema = schema
        return handler

    return mark


def locks_itself(handler: Any) -> Any:
    """Mark a handler that takes the store lock itself, around its changes only (the route
    table runs every other handler wholly under it)."""
    handler.locks_itself = True
    return handler


def parsed_body(schema: str) -> dict[str, Any]:
    """The request body, checked by admin_bodies' schema of that name."""
    from mockcrm.api import admin_bodies  # lazy: see the note at the top

    return admin_bodies.parse_body(getattr(admin_bodies, schema))


# --- errors: Zoho's flat envelope -------------------------------------------------------------


def not_found(what: str, key: str, value: str) -> ZohoError:
    return ZohoError("NOT_FOUND", f"{what} not found", {key: value}, status=404)


def limit_of(args: Mapping[str, str]) -> int | None:
    """The `limit` query parameter of the journal and the engine's logs: a count from 1, or
    None when absent (everything)."""
    limit = args.get("limit")
    if limit is None:
        return None
    if not is_digits(limit) or int(limit) < 1:
        raise param_invalid("limit")
    return int(limit)


# --- lookups ----------------------------------------------------------------------------------


def org_id_of(raw: str) -> str:
    """The id of the org `raw` names (an org id or `default`), or 404 NOT_FOUND."""
    st = store()
    org_id = st.default_org_id if raw == DEFAULT else raw
    if org_id not in st.orgs:
        raise not_found("org", "org_id", raw)
    return org_id


def org_of(raw: str) -> Org:
    return store().orgs[org_id_of(raw)]
