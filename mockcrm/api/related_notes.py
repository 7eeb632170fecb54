"""/crm/v8/{module}/{record_id}/Notes[/{note_id}]: Zoho's related notes (crm-oas v8.0
related_notes.yaml). Thin: crm/related_notes.py checks the parent and hands each write to the
records API's own write path; the answer is rendered after the engine has run, as for
POST /crm/v8/Notes (a note fires its parent's rules triggered by Notes)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Blueprint, Response, current_app, request

from mockcrm.api.common import json_body, render, render_list, store
from mockcrm.api.records import KEY, MODULE, ModuleConverter, records_org, written
from mockcrm.core.auth import authenticate, has_scope, record_scope
from mockcrm.core.errors import ZohoError
from mockcrm.crm import related_notes
from mockcrm.crm.org import Org

NOTES = f"{MODULE}/<record_id>/Notes"
NOTE = f"{NOTES}/<note_id>"

bp = Blueprint("related_notes", __name__)
# The module segment is the records API's catch-all: it never takes another resource's first
# segment (settings, users, ...), whichever blueprint is registered first.
bp.record_once(lambda state: state.app.url_map.converters.update(zoho_module=ModuleConverter))


@contextmanager
def notes_org(parent_module: str, operation: str) -> Iterator[Org]:
    """Zoho's security for these paths: the parent module's READ scope and the notes scope of
    the operation (`ZohoCRM.modules.notes.<op>`), both. The parent's is checked first, before
    org_for charges the call, so a refused call costs nothing; both mismatches read
    "Unauthorized", as on the records API."""
    st, strict = store(), current_app.config["MOCKCRM_SETTINGS"].auth == "strict"
    with st.lock:  # as org_for authenticates: the headers from the WSGI environ, under the lock
        principal = authenticate(st, request.environ, strict=strict, now=lambda o: o.clock.now())
    if not has_scope(principal.scopes, record_scope(parent_module, "READ")):
        raise ZohoError("OAUTH_SCOPE_MISMATCH", "Unauthorized", status=401)
    with records_org(related_notes.NOTES, operation) as org:
        yield org


@bp.get(NOTES)
def list_notes(module: str, record_id: str) -> Response:
    with notes_org(module, "READ") as org:
        return render_list(KEY, *related_notes.list_notes(org, module, record_id, request.args))


@bp.get(NOTE)
def get_note(module: str, record_id: str, note_id: str) -> Response:
    with notes_org(module, "READ") as org:
        fields = request.args.get("fields")
        note = related_notes.get_note(org, module, record_id, note_id, fields)
    return render(None if note is None else {KEY: [note]})


@bp.post(NOTES)
def create_notes(module: str, record_id: str) -> Response:
    with notes_org(module, "CREATE") as org:
        return written(org, related_notes.create(org, module, record_id, json_body()))


@bp.put(NOTES)
def update_notes(module: str, record_id: str) -> Response:
    with notes_org(module, "UPDATE") as org:
        since = request.headers.get("If-Unmodified-Since")
        result = related_notes.update(org, module, record_id, json_body(), None, since)
        return written(org, result)


@bp.put(NOTE)
def update_note(module: str, record_id: str, note_id: str) -> Response:
    with notes_org(module, "UPDATE") as org:
        since = request.headers.get("If-Unmodified-Since")
        result = related_notes.update(org, module, record_id, json_body(), note_id, since)
        return written(org, result)


@bp.delete(NOTES)
def delete_notes(module: str, record_id: str) -> Response:
    with notes_org(module, "DELETE") as org:
        args = request.args
        result = related_notes.delete(
            org, module, record_id, args.get("ids"), args.get("wf_trigger")
        )
        return written(org, result)


@bp.delete(NOTE)
def delete_note(module: str, record_id: str, note_id: str) -> Response:
    with notes_org(module, "DELETE") as org:
        wf_trigger = request.args.get("wf_trigger")
        return written(org, related_notes.delete_one(org, module, record_id, note_id, wf_trigger))
