"""Metadata clients read first: modules, fields, layouts, pipelines, tags, users and the org
(/crm/v8/...)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from flask import Blueprint, Response, request

from mockcrm.api.common import json_body, not_modified, org_for, render, render_list, scope
from mockcrm.core.errors import ZohoError
from mockcrm.core.pagination import Page
from mockcrm.crm.org import Org

# The views import their crm module (metadata, layouts, tags, tag_mass_delete, users) when first
# called: none is needed to start serving.

bp = Blueprint("metadata", __name__, url_prefix="/crm/v8")

USERS_READ = "ZohoCRM.users.READ"
ORG_READ = "ZohoCRM.org.READ"


@bp.get("/settings/modules")
def list_modules() -> Response:
    from mockcrm.crm import metadata  # lazy: see the note at the top

    with org_for(scope("modules", "READ")) as org:
        args = request.args
        modules = metadata.list_modules(
            org, args.get("status"), request.headers.get("If-Modified-Since"),
            args.get("feature_name"),
        )  # fmt: skip
    if modules is None:
        return not_modified()
    return render({"modules": modules} if modules else None)


@bp.get("/settings/modules/<identifier>")
def get_module(identifier: str) -> Response:
    from mockcrm.crm import metadata  # lazy: see the note at the top

    with org_for(scope("modules", "READ")) as org:
        return render({"modules": [metadata.get_module(org, identifier)]})


@bp.get("/settings/fields")
def list_fields() -> Response:
    from mockcrm.crm import metadata  # lazy: see the note at the top

    with org_for(scope("fields", "READ")) as org:
        fields = metadata.list_fields(org, request.args.get("module"), request.args.get("type"))
    return render({"fields": fields} if fields else None)


@bp.get("/settings/fields/<field_id>")
def get_field(field_id: str) -> Response:
    from mockcrm.crm import metadata  # lazy: see the note at the top

    with org_for(scope("fields", "READ")) as org:
        return render({"fields": [metadata.get_field(org, request.args.get("module"), field_id)]})


@bp.get("/settings/layouts")
def list_layouts() -> Response:
    from mockcrm.crm import layouts  # lazy: see the note at the top

    with org_for(scope("layouts", "READ")) as org:
        args = request.args
        found = layouts.list_layouts(org, args.get("module"), args.get("mode"))
    return render({"layouts": found} if found else None)


@bp.get("/settings/layouts/<layout_id>")
def get_layout(layout_id: str) -> Response:
    from mockcrm.crm import layouts  # lazy: see the note at the top

    with org_for(scope("layouts", "READ")) as org:
        args = request.args
        found = layouts.get_layout(org, args.get("module"), layout_id, args.get("mode"))
    return render({"layouts": [found]} if found else None)


@bp.get("/settings/pipeline")
def list_pipelines() -> Response:
    from mockcrm.crm import layouts  # lazy: see the note at the top

    with org_for(scope("pipeline", "READ")) as org:
        pipelines = layouts.list_pipelines(org, request.args.get("layout_id"))
    return render({"pipeline": pipelines} if pipelines else None)


@bp.get("/settings/tags")
def list_tags() -> Response:
    from mockcrm.crm import tags  # lazy: see the note at the top

    with org_for(scope("tags", "READ")) as org:
        return render(tags.list_tags(org, request.args.get("module"), request.args.get("my_tags")))


@bp.post("/settings/tags")
def create_tags() -> Response:
    from mockcrm.crm import tags  # lazy: see the note at the top

    with org_for(scope("tags", "CREATE")) as org:
        results, status = tags.create_tags(org, request.args.get("module"), json_body())
    return render({"tags": results}, status)


@bp.put("/settings/tags")
def update_tags() -> Response:
    from mockcrm.crm import tags  # lazy: see the note at the top

    with org_for(scope("tags", "UPDATE")) as org:
        results, status = tags.update_tags(org, request.args.get("module"), json_body())
    return render({"tags": results}, status)


@bp.put("/settings/tags/<tag_id>")
def update_tag(tag_id: str) -> Response:
    from mockcrm.crm import tags  # lazy: see the note at the top

    with org_for(scope("tags", "UPDATE")) as org:
        results, status = tags.update_tags(
            org, request.args.get("module"), json_body(), tag_id=tag_id
        )
    return render({"tags": results}, status)


@bp.delete("/settings/tags/<tag_id>")
def delete_tag(tag_id: str) -> Response:
    from mockcrm.crm import tags  # lazy: see the note at the top

    with org_for(scope("tags", "DELETE")) as org:
        return render({"tags": [tags.delete_tag(org, tag_id, request.args.get("module"))]})


@bp.get("/settings/tags/<tag_id>/actions/records_count")
def tag_records_count(tag_id: str) -> Response:
    from mockcrm.crm import tags  # lazy: see the note at the top

    with org_for(scope("tags", "READ")) as org:
        return render(tags.records_count(org, tag_id, request.args.get("module")))


@bp.post("/settings/tags/<tag_id>/actions/merge")
def merge_tags(tag_id: str) -> Response:
    from mockcrm.crm import tags  # lazy: see the note at the top

    # Zoho's docs: merging needs tags.CREATE (the scope their OAUTH_SCOPE_MISMATCH names).
    with org_for(scope("tags", "CREATE")) as org:
        return render({"tags": [tags.merge_tags(org, tag_id, json_body())]})


MASS_DELETE = "/settings/tags/actions/mass_delete"


@contextmanager
def _mass_delete_org(operation: str) -> Iterator[Org]:
    """Zoho's examples of these two operations give a scope mismatch the call's method and URL
    as details (other APIs' examples show none)."""
    try:
        with org_for(scope("tags", operation)) as org:
            yield org
    except ZohoError as err:
        if err.code == "OAUTH_SCOPE_MISMATCH":
            details = {"method": request.method, "url": request.path}
            raise replace(err, details=details) from None
        raise


@bp.post(MASS_DELETE)
def mass_delete_tags() -> Response:
    from mockcrm.crm import tag_mass_delete  # lazy: see the note at the top

    with _mass_delete_org("DELETE") as org:
        body, status = tag_mass_delete.mass_delete(org, json_body())
    return render(body, status)


@bp.get(MASS_DELETE)
def mass_delete_tags_status() -> Response:
    from mockcrm.crm import tag_mass_delete  # lazy: see the note at the top

    with _mass_delete_org("READ") as org:
        return render(tag_mass_delete.job_status(org, request.args.get("job_id")))


@bp.get("/users")
def list_users() -> Response:
    from mockcrm.crm import users  # lazy: see the note at the top

    with org_for(USERS_READ) as org:
        page = Page.from_args(request.args)
        args, since = request.args, request.headers.get("If-Modified-Since")
        found = users.list_users(org, args.get("type"), args.get("ids"), since, args.get("type__s"))
        if found is None:
            return not_modified()
        chunk, info = page.slice(found)
    return render_list("users", chunk, info)


@bp.get("/users/<user_id>")
def get_user(user_id: str) -> Response:
    from mockcrm.crm import users  # lazy: see the note at the top

    with org_for(USERS_READ) as org:
        user = users.get_user(org, user_id)
    return render({"users": [user]} if user else None)


@bp.get("/org")
def get_org() -> Response:
    from mockcrm.crm import users  # lazy: see the note at the top

    with org_for(ORG_READ) as org:
        return render({"org": [users.org_view(org)]})
