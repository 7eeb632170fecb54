"""/crm/v8/settings/automation/workflow_rules and its reports."""

from __future__ import annotations

from flask import Blueprint, Response, request

from mockcrm.api.common import json_body, org_for, render, render_list, scope
from mockcrm.core.pagination import Page
from mockcrm.crm import reports, rule_list, rule_order, workflow_rules

bp = Blueprint("workflow_rules", __name__, url_prefix="/crm/v8/settings/automation/workflow_rules")
KEY = "workflow_rules"


def _scope(operation: str) -> str:
    return scope("workflow_rules", operation)


@bp.get("")
def list_rules() -> Response:
    with org_for(_scope("READ")) as org:
        page = Page.from_args(request.args)
        rules, info = page.slice(rule_list.list_rules(org, request.args))
        return render_list(KEY, rules, info)  # views of the org's rules: rendered under the lock


@bp.get("/<rule_id>")
def get_rule(rule_id: str) -> Response:
    with org_for(_scope("READ")) as org:
        return render({KEY: [rule_list.get_rule(org, rule_id)]})


@bp.post("")
def create_rule() -> Response:
    with org_for(_scope("CREATE")) as org:
        return render({KEY: [workflow_rules.create_rule(org, json_body())]}, 201)


@bp.put("")
def update_rules() -> Response:
    with org_for(_scope("UPDATE")) as org:
        return render({KEY: [workflow_rules.update_rule(org, None, json_body())]})


@bp.put("/<rule_id>")
def update_rule(rule_id: str) -> Response:
    with org_for(_scope("UPDATE")) as org:
        return render({KEY: [workflow_rules.update_rule(org, rule_id, json_body())]})


@bp.delete("")
def delete_rules() -> Response:
    with org_for(_scope("DELETE")) as org:
        results, status = workflow_rules.delete_rules(org, request.args.get("ids"))
    return render({KEY: results}, status)


@bp.delete("/<rule_id>")
def delete_rule(rule_id: str) -> Response:
    with org_for(_scope("DELETE")) as org:
        return render({KEY: [workflow_rules.delete_rule(org, rule_id)]})


@bp.put("/actions/reorder")
def reorder() -> Response:
    with org_for(_scope("UPDATE")) as org:
        results = rule_order.reorder(org, request.args.get("module"), json_body())
    return render({"reorder": results})


@bp.get("/actions/rules_count")
def rules_count() -> Response:
    with org_for(_scope("READ")) as org:
        return render({"rules_count": reports.rules_count(org)})


@bp.get("/actions/module_specific_count")
def module_specific_count() -> Response:
    with org_for(_scope("READ")) as org:
        counts = reports.module_specific_count(org, request.args.get("module"))
    return render({"module_specific_count": counts} if counts else None)


@bp.get("/actions/actions_count")
def actions_count() -> Response:
    with org_for(_scope("READ")) as org:
        return render({KEY: reports.actions_count(org, request.args.get("ids"))})


@bp.get("/<rule_id>/actions/usage")
def usage(rule_id: str) -> Response:
    with org_for(_scope("READ")) as org:
        return render({KEY: [reports.usage(org, rule_id, request.args)]})
