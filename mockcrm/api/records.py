"""/crm/v8/{module} and /crm/v8/{module}/{id}: the Records API (fact sheet core §3).

The module segment is a catch-all, so it uses a converter that refuses the first segments other
resources own (settings, users, org, workflow_configurations, ...): their unknown paths stay
INVALID_URL_PATTERN and their wrong methods INVALID_REQUEST_METHOD."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Blueprint, Response, request
from werkzeug.routing import BaseConverter, Map, ValidationError

from mockcrm.api.common import json_body, not_modified, org_for, render, render_list
from mockcrm.core.auth import record_scope
from mockcrm.core.errors import ZohoError, invalid_request_method, invalid_url_pattern
from mockcrm.crm import engine, record_reads, records
from mockcrm.crm import record_tags as record_tags_api
from mockcrm.crm.org import Org
from mockcrm.crm.records import WriteResult

PREFIX = "/crm/v8/"
KEY = "data"
TAG_ACTIONS = frozenset({"add_tags", "remove_tags"})


class ModuleConverter(BaseConverter):
    """A module api_name; never a static first segment of another /crm/v8 route."""

    def to_python(self, value: str) -> str:
        if value in _owned_segments(self.map):
            raise ValidationError()
        return value


_segments_cache: dict[int, tuple[int, frozenset[str]]] = {}


def _owned_segments(url_map: Map) -> frozenset[str]:
    rules = list(url_map.iter_rules())
    cached = _segments_cache.get(id(url_map))
    if cached and cached[0] == len(rules):
        return cached[1]
    owned = set()
    for rule in rules:
        if rule.rule.startswith(PREFIX):
            first = rule.rule[len(PREFIX) :].split("/", 1)[0]
            if first and "<" not in first:
                owned.add(first)
    _segments_cache[id(url_map)] = (len(rules), frozenset(owned))
    return frozenset(owned)


bp = Blueprint("records", __name__)
bp.record_once(lambda state: state.app.url_map.converters.update(zoho_module=ModuleConverter))
MODULE = f"{PREFIX}<zoho_module:module>"


@contextmanager
def records_org(module: str, operation: str) -> Iterator[Org]:
    """Scope `ZohoCRM.modules.<module>.<op>` (`.ALL`, `modules.ALL`, `ZohoCRM.ALL` imply it);
    a mismatch reads "Unauthorized" on the records API, as in Zoho's examples."""
    try:
        with org_for(record_scope(module, operation)) as org:
            yield org
    except ZohoError as err:
        if err.code == "OAUTH_SCOPE_MISMATCH":
            raise ZohoError(err.code, "Unauthorized", status=err.status) from None
        raise


def written(org: Org, result: WriteResult) -> Response:
    """Answer a write after the workflow engine has run the rules it fires."""
    engine.fire(org, result.events, result.trigger)
    return render({KEY: result.items}, result.status)


@bp.get(MODULE)
def list_records(module: str) -> Response:
    with records_org(module, "READ") as org:
        listed = record_reads.list_records(
            org, module, request.args, request.headers.get("If-Modified-Since")
        )
    if listed is None:
        return not_modified()
    return render_list(KEY, *listed)


@bp.get(f"{MODULE}/<record_id>")
def get_record(module: str, record_id: str) -> Response:
    with records_org(module, "READ") as org:
        record = record_reads.get_record(org, module, record_id, request.args.get("fields"))
        since = request.headers.get("If-Modified-Since")
        if record is not None and record_reads.unchanged_since(org, module, record_id, since):
            return not_modified()
    return render(None if record is None else {KEY: [record]})


@bp.post(MODULE)
def insert_records(module: str) -> Response:
    with records_org(module, "CREATE") as org:
        return written(org, records.insert(org, module, json_body()))


@bp.post(f"{MODULE}/upsert")
def upsert_records(module: str) -> Response:
    with records_org(module, "CREATE") as org:
        return written(org, records.upsert(org, module, json_body()))


@bp.put(MODULE)
def update_records(module: str) -> Response:
    with records_org(module, "UPDATE") as org:
        since = request.headers.get("If-Unmodified-Since")
        return written(org, records.update(org, module, json_body(), None, since))


@bp.put(f"{MODULE}/<record_id>")
def update_record(module: str, record_id: str) -> Response:
    with records_org(module, "UPDATE") as org:
        since = request.headers.get("If-Unmodified-Since")
        return written(org, records.update(org, module, json_body(), record_id, since))


@bp.delete(MODULE)
def delete_records(module: str) -> Response:
    with records_org(module, "DELETE") as org:
        args = request.args
        return written(org, records.delete(org, module, args.get("ids"), args.get("wf_trigger")))


@bp.delete(f"{MODULE}/<record_id>")
def delete_record(module: str, record_id: str) -> Response:
    with records_org(module, "DELETE") as org:
        wf_trigger = request.args.get("wf_trigger")
        return written(org, records.delete_one(org, module, record_id, wf_trigger))


@bp.get(f"{MODULE}/actions/count")
def count_records(module: str) -> Response:
    """Zoho's Get Record Count (crm-oas v8.0/record_count); the module's READ scope."""
    with records_org(module, "READ") as org:
        return render(record_reads.count_records(org, module, request.args))


@bp.post(f"{MODULE}/actions/<action>")
@bp.post(f"{MODULE}/<record_id>/actions/<action>")
def record_actions(module: str, action: str, record_id: str | None = None) -> Response:
    """add_tags / remove_tags on one record or on the `ids` of the body; clone of one record."""
    if action == "clone" and record_id is not None:
        with records_org(module, "CREATE") as org:
            return written(org, records.clone(org, module, record_id, json_body()))
    if action not in TAG_ACTIONS:
        # actions/count is a GET: another method on it is a wrong method, as on every route.
        wrong_method = action == "count" and record_id is None
        raise invalid_request_method() if wrong_method else invalid_url_pattern()
    with records_org(module, "UPDATE") as org:
        status, answer = record_tags_api.change_tags(
            org, module, json_body(), record_id, add=action == "add_tags"
        )
    return render(answer, status)


@bp.route(MODULE, methods=["PATCH", "OPTIONS"])
@bp.route(f"{MODULE}/<record_id>", methods=["POST", "PATCH", "OPTIONS"])
def wrong_method(module: str, record_id: str | None = None) -> Response:
    """Records endpoints answer a wrong method in their own (data-wrapped) envelope."""
    raise ZohoError(
        "INVALID_REQUEST_METHOD",
        "The HTTP request method type is not a valid one.",
        {"resource_path_index": 0},
        collection=KEY,
    )
