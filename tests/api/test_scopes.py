"""The OAuth scope each CRM endpoint requires (Zoho's OAS `security` and fact sheets), and the two
auth modes with every 401 flavour (issue 4, deliverable 2)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

import pytest

from mockcrm.app import create_app
from mockcrm.settings import Settings

OAS_DIR = Path(__file__).resolve().parent.parent / "zoho_oas"
ID = "4876876000016390024"
WF = "ZohoCRM.settings.workflow_rules"
AA = "ZohoCRM.settings.automation_actions"
RULES = "/crm/v8/settings/automation/workflow_rules"
AUTOMATION = "/crm/v8/settings/automation"
MASS_DELETE = "/crm/v8/settings/tags/actions/mass_delete"
OPS = ("READ", "CREATE", "UPDATE", "DELETE")


class Endpoint(NamedTuple):
    method: str
    path: str
    scope: str
    oas: tuple[str, str] | None = None  # (spec file stem, OAS path) when Zoho's OAS has it
    also: str | None = None  # a second scope Zoho's security requires beside `scope`


def _actions(kind: str, spec: str | None, put_without_id: bool) -> list[Endpoint]:
    base = f"{AUTOMATION}/{kind}"
    listing = (spec, f"/settings/automation/{kind}") if spec else None
    single = (spec, f"/settings/automation/{kind}/{{id}}") if spec else None
    if spec == "webhooks":
        single = (spec, "/settings/automation/webhooks/{webhookId}")
    out = [
        Endpoint("GET", base, f"{AA}.READ", listing),
        Endpoint("GET", f"{base}/{ID}", f"{AA}.READ", single),
        Endpoint("POST", base, f"{AA}.CREATE", listing),
        Endpoint("PUT", f"{base}/{ID}", f"{AA}.UPDATE", single),
        Endpoint("DELETE", f"{base}?ids={ID}", f"{AA}.DELETE", listing),
        Endpoint("DELETE", f"{base}/{ID}", f"{AA}.DELETE", single),
    ]
    if put_without_id:
        # Zoho's OAS has no PUT on the tasks list; its docs do (fact sheet workflow §11).
        out.append(Endpoint("PUT", base, f"{AA}.UPDATE", listing if kind == "webhooks" else None))
    return out


def _records(module: str) -> list[Endpoint]:
    scope = f"ZohoCRM.modules.{module}"
    base = f"/crm/v8/{module}"
    return [
        Endpoint("GET", f"{base}?fields=Deal_Name", f"{scope}.READ", ("record", "/{module}")),
        Endpoint("GET", f"{base}/{ID}", f"{scope}.READ", ("record", "/{module}/{recordID}")),
        Endpoint("POST", base, f"{scope}.CREATE", ("record", "/{module}")),
        Endpoint("POST", f"{base}/upsert", f"{scope}.CREATE", ("record", "/{module}/upsert")),
        Endpoint("PUT", base, f"{scope}.UPDATE", ("record", "/{module}")),
        Endpoint("PUT", f"{base}/{ID}", f"{scope}.UPDATE", ("record", "/{module}/{recordID}")),
        Endpoint("DELETE", f"{base}?ids={ID}", f"{scope}.DELETE", ("record", "/{module}")),
        Endpoint("DELETE", f"{base}/{ID}", f"{scope}.DELETE", ("record", "/{module}/{recordID}")),
        Endpoint(
            "POST",
            f"{base}/{ID}/actions/clone",
            f"{scope}.CREATE",
            ("record", "/{module}/{recordID}/actions/clone"),
        ),  # fmt: skip
        # Tags on records: no OAS; the fact sheet (core §4.6) names the module's update scope.
        Endpoint("POST", f"{base}/{ID}/actions/add_tags", f"{scope}.UPDATE"),
        Endpoint("POST", f"{base}/actions/remove_tags", f"{scope}.UPDATE"),
        # Record count: not in tests/zoho_oas; the scopes are its record_count.yaml `security`.
        Endpoint("GET", f"{base}/actions/count", f"{scope}.READ"),
    ]


def _related_notes(module: str) -> list[Endpoint]:
    """Related notes: not in tests/zoho_oas; the scopes are related_notes.yaml's `security`,
    the notes scope of the operation beside the parent module's READ (checked in
    test_related_notes_need_the_parent_read_scope)."""
    base, notes = f"/crm/v8/{module}/{ID}/Notes", "ZohoCRM.modules.notes"
    parent = f"ZohoCRM.modules.{module}.READ"
    return [
        Endpoint(method, f"{base}{tail}", f"{notes}.{op}", also=parent)
        for method, tail, op in [
            ("GET", "", "READ"),
            ("GET", f"/{ID}", "READ"),
            ("POST", "", "CREATE"),
            ("PUT", "", "UPDATE"),
            ("PUT", f"/{ID}", "UPDATE"),
            ("DELETE", f"?ids={ID}", "DELETE"),
            ("DELETE", f"/{ID}", "DELETE"),
        ]
    ]


_WR = "/settings/automation/workflow_rules"
TABLE: list[Endpoint] = [
    Endpoint("GET", RULES, f"{WF}.READ", ("workflow_rules", _WR)),
    Endpoint("GET", f"{RULES}/{ID}", f"{WF}.READ", ("workflow_rules", f"{_WR}/{{id}}")),
    Endpoint("POST", RULES, f"{WF}.CREATE", ("workflow_rules", _WR)),
    Endpoint("PUT", RULES, f"{WF}.UPDATE", ("workflow_rules", _WR)),
    Endpoint("PUT", f"{RULES}/{ID}", f"{WF}.UPDATE", ("workflow_rules", f"{_WR}/{{id}}")),
    Endpoint("DELETE", f"{RULES}?ids={ID}", f"{WF}.DELETE", ("workflow_rules", _WR)),
    Endpoint("DELETE", f"{RULES}/{ID}", f"{WF}.DELETE", ("workflow_rules", f"{_WR}/{{id}}")),
    Endpoint(
        "PUT",
        f"{RULES}/actions/reorder?module=Deals",
        f"{WF}.UPDATE",
        ("workflow_rules", f"{_WR}/actions/reorder"),
    ),
    Endpoint(
        "GET",
        f"{RULES}/actions/actions_count?ids={ID}",
        f"{WF}.READ",
        ("workflow_rules", f"{_WR}/actions/actions_count"),
    ),
    Endpoint(
        "GET",
        f"{RULES}/actions/module_specific_count",
        f"{WF}.READ",
        ("workflow_rules", f"{_WR}/actions/module_specific_count"),
    ),
    Endpoint(
        "GET",
        f"{RULES}/actions/rules_count",
        f"{WF}.READ",
        ("workflow_rules", f"{_WR}/actions/rules_count"),
    ),
    Endpoint(
        "GET",
        f"{RULES}/{ID}/actions/usage",
        f"{WF}.READ",
        ("workflow_rules", f"{_WR}/{{workflowRuleId}}/actions/usage"),
    ),
    Endpoint(
        "GET",
        "/crm/v8/workflow_configurations?module=Deals",
        f"{WF}.READ",
        ("workflow_configurations", "/workflow_configurations"),
    ),
    *_actions("field_updates", "field_updates", put_without_id=False),
    *_actions("email_notifications", None, put_without_id=False),  # no OAS file from Zoho
    *_actions("tasks", "workflow_tasks", put_without_id=True),
    *_actions("webhooks", "webhooks", put_without_id=True),
    Endpoint(
        "GET",
        f"{AUTOMATION}/webhook_failures",
        f"{AA}.READ",
        ("webhooks", "/settings/automation/webhook_failures"),
    ),
    Endpoint(
        "GET",
        f"{AUTOMATION}/webhooks/actions/associated_modules",
        f"{AA}.READ",
        ("webhooks", "/settings/automation/webhooks/actions/associated_modules"),
    ),
    Endpoint(
        "GET",
        f"{AUTOMATION}/webhooks/actions/usage_reports",
        f"{AA}.READ",
        ("webhooks", "/settings/automation/webhooks/actions/usage_reports"),
    ),
    Endpoint(
        "GET",
        "/crm/v8/settings/modules",
        "ZohoCRM.settings.modules.READ",
        ("modules", "/settings/modules"),
    ),
    Endpoint(
        "GET",
        "/crm/v8/settings/modules/Deals",
        "ZohoCRM.settings.modules.READ",
        ("modules", "/settings/modules/{moduleIdentifier}"),
    ),
    Endpoint(
        "GET",
        "/crm/v8/settings/fields?module=Deals",
        "ZohoCRM.settings.fields.READ",
        ("fields", "/settings/fields"),
    ),
    Endpoint(
        "GET",
        f"/crm/v8/settings/fields/{ID}?module=Deals",
        "ZohoCRM.settings.fields.READ",
        ("fields", "/settings/fields/{fieldId}"),
    ),
    # Layouts and pipelines: Zoho's OAS files for them are not in tests/zoho_oas; the scopes are
    # their `security` (layouts.json, pipeline.json).
    Endpoint("GET", "/crm/v8/settings/layouts?module=Deals", "ZohoCRM.settings.layouts.READ"),
    Endpoint(
        "GET",
        "/crm/v8/settings/layouts/4876876000001002181?module=Deals",
        "ZohoCRM.settings.layouts.READ",
    ),
    Endpoint(
        "GET",
        "/crm/v8/settings/pipeline?layout_id=4876876000001002181",
        "ZohoCRM.settings.pipeline.READ",
    ),
    *[
        Endpoint(method, f"/crm/v8/settings/tags{tail}?module=Deals", scope, ("tags", oas))
        for method, tail, scope, oas in [
            ("GET", "", "ZohoCRM.settings.tags.READ", "/settings/tags"),
            ("POST", "", "ZohoCRM.settings.tags.CREATE", "/settings/tags"),
            ("PUT", "", "ZohoCRM.settings.tags.UPDATE", "/settings/tags"),
            ("PUT", f"/{ID}", "ZohoCRM.settings.tags.UPDATE", "/settings/tags/{id}"),
            ("DELETE", f"/{ID}", "ZohoCRM.settings.tags.DELETE", "/settings/tags/{id}"),
        ]
    ],
    # Tag actions: not in tests/zoho_oas/tags.json; the scopes are Zoho's merge-tags and
    # tag-record-count docs (the OAS security says only ZohoCRM.settings.tags.all).
    Endpoint(
        "GET",
        f"/crm/v8/settings/tags/{ID}/actions/records_count?module=Deals",
        "ZohoCRM.settings.tags.READ",
    ),
    Endpoint("POST", f"/crm/v8/settings/tags/{ID}/actions/merge", "ZohoCRM.settings.tags.CREATE"),
    # Tag mass delete: not in tests/zoho_oas; the scopes are its mass_delete_tags.yaml `security`.
    Endpoint("POST", MASS_DELETE, "ZohoCRM.settings.tags.DELETE"),
    Endpoint("GET", f"{MASS_DELETE}?job_id={ID}", "ZohoCRM.settings.tags.READ"),
    # Business hours and holidays: Zoho's OAS files for them are not in tests/zoho_oas; the
    # scopes are their `security` (business_hours.yaml, holidays.yaml).
    *[
        Endpoint(method, f"/crm/v8/settings/{tail}", f"ZohoCRM.settings.business_hours.{op}")
        for method, tail, op in [
            ("GET", "business_hours", "READ"),
            ("POST", "business_hours", "CREATE"),
            ("PUT", "business_hours", "UPDATE"),
            ("GET", "holidays", "READ"),
            ("POST", "holidays", "CREATE"),
            ("PUT", "holidays", "UPDATE"),
            ("GET", f"holidays/{ID}", "READ"),
            ("PUT", f"holidays/{ID}", "UPDATE"),
            ("DELETE", f"holidays/{ID}", "DELETE"),
        ]
    ],
    Endpoint("GET", "/crm/v8/users", "ZohoCRM.users.READ", ("users", "/users")),
    Endpoint("GET", f"/crm/v8/users/{ID}", "ZohoCRM.users.READ", ("users", "/users/{user}")),
    Endpoint("GET", "/crm/v8/org", "ZohoCRM.org.READ", ("org", "/org")),
    *_records("Deals"),
    *_related_notes("Deals"),
]
IDS = [f"{e.method} {e.path}" for e in TABLE]
RELATED = [e for e in TABLE if e.also]


def oas_scopes(spec: str, path: str, method: str) -> set[str]:
    """Every scope Zoho's OAS accepts for one operation (its `security` alternatives)."""
    operation = json.loads((OAS_DIR / f"{spec}.json").read_text())["paths"][path][method.lower()]
    return {
        scope for option in operation["security"] for scopes in option.values() for scope in scopes
    }


def all_oas_scopes() -> set[str]:
    found: set[str] = set()
    for spec in OAS_DIR.glob("*.json"):
        for operations in json.loads(spec.read_text())["paths"].values():
            for operation in operations.values():
                for option in operation.get("security", []) if isinstance(operation, dict) else []:
                    for scopes in option.values():
                        found.update(scopes)
    return found


def accepted(required: str) -> set[str]:
    """What Zoho documents as meeting `required`, besides the `.ALL` scopes above it."""
    parts = required.split(".")
    out = {required}
    if len(parts) == 4 and parts[1] == "modules":
        resource, op = parts[2:]
        out.add(f"ZohoCRM.modules.{op}")  # OAS: the generic record scope of each operation
        if op in ("CREATE", "UPDATE"):
            out.add(f"ZohoCRM.modules.{resource}.WRITE")  # docs: WRITE beside CREATE/UPDATE
    return out


def wrong_scopes(required: str) -> frozenset[str]:
    """Every concrete scope Zoho documents or mockcrm checks, except those meeting `required`:
    the other operations of the same resource, and every operation of every other resource."""
    families = {e.scope.rsplit(".", 1)[0] for e in TABLE}
    every = all_oas_scopes() | {f"{f}.{op}" for f in families for op in (*OPS, "WRITE")}
    right = {s.lower() for s in accepted(required)}
    return frozenset(s for s in every if not s.endswith(".ALL") and s.lower() not in right)


def token_for(store, org, scopes) -> dict[str, str]:
    token = store.issue_token(org.id, frozenset(scopes), 3600, org.clock.now())
    return {"Authorization": f"Zoho-oauthtoken {token.value}"}


def call(client, endpoint: Endpoint, headers: dict[str, str]):
    body = None if endpoint.method in ("GET", "DELETE") else {}
    return client.open(endpoint.path, method=endpoint.method, json=body, headers=headers)


def crm_error(code: str, message: str) -> dict:
    return {"code": code, "details": {}, "message": message, "status": "error"}


def mismatch_for(endpoint: Endpoint) -> dict:
    """Records answer "Unauthorized", settings "invalid oauth scope to access this URL"; the tag
    mass delete's details name the call's method and URL (its examples)."""
    message = "invalid oauth scope to access this URL"
    if endpoint.scope.startswith("ZohoCRM.modules."):
        message = "Unauthorized"
    body = crm_error("OAUTH_SCOPE_MISMATCH", message)
    if endpoint.path.startswith(MASS_DELETE):
        body["details"] = {"method": endpoint.method, "url": MASS_DELETE}
    return body


# -- the table itself ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint", [e for e in TABLE if e.oas], ids=lambda e: f"{e.method} {e.path}"
)
def test_table_matches_zoho_oas(endpoint):
    assert endpoint.scope in oas_scopes(*endpoint.oas, endpoint.method)


def test_table_covers_every_crm_route(app):
    """A new /crm route needs its scope here: add it to TABLE."""
    urls = app.url_map.bind("localhost")
    covered = {(urls.match(e.path.split("?")[0], e.method)[0], e.method) for e in TABLE}
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/crm/") and rule.endpoint != "records.wrong_method"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - covered == set()


# -- every endpoint: wrong scope refused, documented scope accepted --------------------------


@pytest.mark.parametrize("endpoint", TABLE, ids=IDS)
def test_wrong_scope_is_refused(client_for, store, org, endpoint):
    headers = token_for(store, org, wrong_scopes(endpoint.scope))
    before = org.to_state()
    resp = call(client_for(), endpoint, headers)
    assert resp.status_code == 401
    assert resp.json == mismatch_for(endpoint)
    assert store.default_org().to_state() == before


@pytest.mark.parametrize("endpoint", TABLE, ids=IDS)
def test_documented_scope_gets_through(client_for, store, org, endpoint):
    scopes = {endpoint.scope, endpoint.also} - {None}
    resp = call(client_for(), endpoint, token_for(store, org, scopes))
    assert resp.status_code not in (401, 404), resp.json  # 404: no such route


@pytest.mark.parametrize("endpoint", RELATED, ids=[f"{e.method} {e.path}" for e in RELATED])
def test_related_notes_need_the_parent_read_scope(client_for, store, org, endpoint):
    """Every notes scope, every other operation on the parent module, the parent READ of other
    modules: without the parent's own READ the call is refused and changes nothing."""
    module = endpoint.also.split(".")[2]
    scopes = {f"ZohoCRM.modules.notes.{op}" for op in (*OPS, "ALL")}
    scopes |= {f"ZohoCRM.modules.{module}.{op}" for op in ("CREATE", "UPDATE", "DELETE")}
    scopes |= {"ZohoCRM.modules.Leads.READ", "ZohoCRM.settings.ALL"}
    before = org.to_state()
    resp = call(client_for(), endpoint, token_for(store, org, scopes))
    assert resp.status_code == 401
    assert resp.json == mismatch_for(endpoint)
    assert store.default_org().to_state() == before


@pytest.fixture
def client_for(store):
    def make(mode: str = "strict"):
        return create_app(Settings(auth=mode), store=store).test_client()

    return make


# -- the scope hierarchy ---------------------------------------------------------------------

RULES_LIST = TABLE[0]
DEALS_CREATE = next(e for e in TABLE if e.method == "POST" and e.path == "/crm/v8/Deals")
DEALS_READ = next(e for e in TABLE if e.method == "GET" and e.path.startswith("/crm/v8/Deals?"))
DEAL_NOTES = next(e for e in RELATED if e.method == "GET")
DEAL_NOTE_CREATE = next(e for e in RELATED if e.method == "POST")
ORG = next(e for e in TABLE if e.path == "/crm/v8/org")


@pytest.mark.parametrize(
    ("endpoint", "scopes", "ok"),
    [
        (RULES_LIST, {f"{WF}.ALL"}, True),
        (RULES_LIST, {"ZohoCRM.settings.ALL"}, True),
        (RULES_LIST, {"ZohoCRM.ALL"}, True),
        (RULES_LIST, {"zohocrm.settings.workflow_rules.read"}, True),
        (RULES_LIST, {f"{AA}.ALL", "ZohoCRM.modules.ALL"}, False),
        (DEALS_READ, {"ZohoCRM.modules.ALL"}, True),
        (DEALS_READ, {"ZohoCRM.modules.deals.ALL"}, True),
        (DEALS_READ, {"ZohoCRM.modules.READ"}, True),
        (DEALS_READ, {"ZohoCRM.settings.ALL", "ZohoCRM.modules.leads.ALL"}, False),
        (DEALS_READ, {"ZohoCRM.modules.custom.READ"}, False),
        (DEALS_CREATE, {"ZohoCRM.modules.Deals.WRITE"}, True),
        (DEALS_CREATE, {"ZohoCRM.modules.CREATE"}, True),
        (DEALS_CREATE, {"ZohoCRM.modules.READ"}, False),
        (DEAL_NOTES, {"ZohoCRM.modules.ALL"}, True),
        (DEAL_NOTES, {"ZohoCRM.modules.notes.ALL", "ZohoCRM.modules.deals.ALL"}, True),
        (DEAL_NOTES, {"ZohoCRM.modules.READ"}, True),
        (DEAL_NOTES, {"ZohoCRM.modules.Notes.READ", "ZohoCRM.modules.Deals.READ"}, True),
        (DEAL_NOTES, {"ZohoCRM.modules.notes.ALL"}, False),
        (DEAL_NOTES, {"ZohoCRM.modules.Deals.ALL", "ZohoCRM.modules.notes.CREATE"}, False),
        (DEAL_NOTE_CREATE, {"ZohoCRM.modules.notes.WRITE", "ZohoCRM.modules.Deals.READ"}, True),
        (DEAL_NOTE_CREATE, {"ZohoCRM.modules.notes.READ", "ZohoCRM.modules.Deals.ALL"}, False),
        (ORG, {"ZohoCRM.org.ALL"}, True),
        (ORG, {"ZohoCRM.users.ALL", "ZohoCRM.settings.ALL"}, False),
    ],
)
def test_scope_hierarchy(client_for, store, org, endpoint, scopes, ok):
    resp = call(client_for(), endpoint, token_for(store, org, scopes))
    if ok:
        assert resp.status_code not in (401, 404), resp.json
    else:
        assert resp.status_code == 401 and resp.json == mismatch_for(endpoint)


# -- auth modes: every 401 flavour -------------------------------------------------------------

AUTH_FAILURE = crm_error("AUTHENTICATION_FAILURE", "Authentication failed")
INVALID_TOKEN = crm_error("INVALID_TOKEN", "invalid oauth token")
MODES = ["permissive", "strict"]
RULES_COUNT = f"{RULES}/actions/rules_count"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer 1000.abc"}, {"Authorization": "Zoho-oauthtoken "}],
    ids=["missing", "bearer", "empty"],
)
def test_no_usable_header_is_authentication_failure(client_for, mode, headers):
    resp = client_for(mode).get(RULES_COUNT, headers=headers)
    assert resp.status_code == 401 and resp.json == AUTH_FAILURE


def test_permissive_unknown_token_reaches_the_default_org_with_all_scopes(client_for, org):
    client = client_for("permissive")
    headers = {"Authorization": "Zoho-oauthtoken 1000.never.issued"}
    for endpoint in (RULES_LIST, DEALS_CREATE, ORG):
        assert call(client, endpoint, headers).status_code != 401
    resp = client.get("/crm/v8/org", headers=headers)
    assert resp.json["org"][0]["id"] == org.id


def test_permissive_unknown_token_follows_x_crm_org(client_for, store):
    other = store.create_org("zylker")
    headers = {"Authorization": "Zoho-oauthtoken 1000.never.issued", "X-CRM-ORG": other.id}
    resp = client_for("permissive").get("/crm/v8/org", headers=headers)
    assert resp.status_code == 200 and resp.json["org"][0]["id"] == other.id


def test_strict_unknown_token_is_invalid(client_for, store):
    other = store.create_org("zylker")
    for extra in ({}, {"X-CRM-ORG": other.id}):
        headers = {"Authorization": "Zoho-oauthtoken 1000.never.issued", **extra}
        resp = client_for("strict").get(RULES_COUNT, headers=headers)
        assert resp.status_code == 401 and resp.json == INVALID_TOKEN


@pytest.mark.parametrize("mode", MODES)
def test_issued_token_reaches_only_its_org(client_for, store, org, mode):
    other = store.create_org("zylker")
    headers = token_for(store, other, {"ZohoCRM.org.READ"})
    client = client_for(mode)
    resp = client.get("/crm/v8/org", headers=headers)
    assert resp.status_code == 200 and resp.json["org"][0]["id"] == other.id
    same = client.get("/crm/v8/org", headers={**headers, "X-CRM-ORG": other.id})
    assert same.status_code == 200
    elsewhere = client.get("/crm/v8/org", headers={**headers, "X-CRM-ORG": org.id})
    assert elsewhere.status_code == 401 and elsewhere.json == INVALID_TOKEN


@pytest.mark.parametrize("mode", MODES)
def test_expired_issued_token_is_invalid(client_for, store, org, mode):
    token = store.issue_token(org.id, frozenset({"ZohoCRM.ALL"}), 60, org.clock.now())
    headers = {"Authorization": f"Zoho-oauthtoken {token.value}"}
    client = client_for(mode)
    assert client.get(RULES_COUNT, headers=headers).status_code == 200
    org.clock.advance(timedelta(seconds=60))
    resp = client.get(RULES_COUNT, headers=headers)
    assert resp.status_code == 401 and resp.json == INVALID_TOKEN


@pytest.mark.parametrize("mode", MODES)
def test_refresh_token_is_refused_on_the_crm_api(client_for, store, org, mode):
    token = store.issue_token(
        org.id, frozenset({"ZohoCRM.ALL"}), None, org.clock.now(), refresh=True
    )
    resp = client_for(mode).get(
        RULES_COUNT, headers={"Authorization": f"Zoho-oauthtoken {token.value}"}
    )
    assert resp.status_code == 401 and resp.json == INVALID_TOKEN


@pytest.mark.parametrize("mode", MODES)
def test_issued_token_scopes_are_checked_in_both_modes(client_for, store, org, mode):
    headers = token_for(store, org, {f"{WF}.READ"})
    client = client_for(mode)
    assert client.get(RULES_COUNT, headers=headers).status_code == 200
    resp = client.get(f"{AUTOMATION}/field_updates", headers=headers)
    assert resp.status_code == 401
    assert resp.json == crm_error("OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL")
