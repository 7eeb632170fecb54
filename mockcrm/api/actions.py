"""/crm/v8/settings/automation/{field_updates,email_notifications,tasks,webhooks} (one blueprint
factory over the generic entity service) and the webhook extras."""

from __future__ import annotations

from flask import Blueprint, Response, request

from mockcrm.api.common import json_body, org_for, render, render_list, scope
from mockcrm.core.pagination import Page
from mockcrm.crm import actions, webhook_reports
from mockcrm.crm.actions import KINDS, Kind

bp = Blueprint("automation_actions", __name__, url_prefix="/crm/v8/settings/automation")
# Zoho documents PUT with the id in the body only for tasks and webhooks.
PUT_WITHOUT_ID = frozenset({"tasks", "webhooks"})


def _scope(operation: str) -> str:
    return scope("automation_actions", operation)


def entity_blueprint(kind: Kind, *, put_without_id: bool) -> Blueprint:
    """list, get, create, update, delete and bulk delete of one entity kind."""
    ebp = Blueprint(kind.key, __name__, url_prefix=f"/{kind.key}")
    key = kind.key

    @ebp.get("")
    def list_entities() -> Response:
        with org_for(_scope("READ")) as org:
            page = Page.from_args(request.args)
            items, info = page.slice(actions.list_entities(org, kind, request.args))
            return render_list(key, items, actions.list_info(kind, info))

    @ebp.get("/<entity_id>")
    def get_entity(entity_id: str) -> Response:
        with org_for(_scope("READ")) as org:
            entity = actions.get_entity(org, kind, entity_id, request.args)
            return render(None if entity is None else {key: [entity]})

    @ebp.post("")
    def create_entity() -> Response:
        with org_for(_scope("CREATE")) as org:
            return render({key: [actions.create_entity(org, kind, json_body())]}, 201)

    @ebp.put("/<entity_id>")
    def update_entity(entity_id: str) -> Response:
        with org_for(_scope("UPDATE")) as org:
            return render({key: [actions.update_entity(org, kind, entity_id, json_body())]})

    if put_without_id:

        @ebp.put("")
        def update_entities() -> Response:
            with org_for(_scope("UPDATE")) as org:
                return render({key: [actions.update_entity(org, kind, None, json_body())]})

    @ebp.delete("/<entity_id>")
    def delete_entity(entity_id: str) -> Response:
        with org_for(_scope("DELETE")) as org:
            return render({key: [actions.delete_entity(org, kind, entity_id)]})

    @ebp.delete("")
    def delete_entities() -> Response:
        with org_for(_scope("DELETE")) as org:
            results, status = actions.delete_entities(org, kind, request.args.get("ids"))
        return render({key: results}, status)

    return ebp


@bp.get("/webhook_failures")
def webhook_failures() -> Response:
    with org_for(_scope("READ")) as org:
        page = Page.from_args(request.args)
        rows, info = page.slice(webhook_reports.webhook_failures(org, request.args))
    return render_list("webhook_failures", rows, info)


@bp.get("/webhooks/actions/associated_modules")
def associated_modules() -> Response:
    with org_for(_scope("READ")) as org:
        modules = webhook_reports.associated_modules(org)
    return render({"associated_modules": modules} if modules else None)


@bp.get("/webhooks/actions/usage_reports")
def usage_reports() -> Response:
    with org_for(_scope("READ")) as org:
        page = Page.from_args(request.args)
        rows, info = page.slice(webhook_reports.usage_reports(org, request.args))
    return render_list("data_usage", rows, {"max_limit": 2500, **info})


for _kind in KINDS.values():
    bp.register_blueprint(entity_blueprint(_kind, put_without_id=_kind.key in PUT_WITHOUT_ID))
