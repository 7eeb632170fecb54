"""Isolation matrix (issue 6, deliverable 3): a token issued for org A can neither read nor change
anything of org B through any endpoint. Every CRM endpoint family is called with A's token
(a) addressed at B with `X-CRM-ORG: <B>` -> 401 INVALID_TOKEN, and (b) with B's own object ids in
the URL or body and no header -> exactly what A answers for an id that exists nowhere (so A
cannot even learn that the id exists elsewhere). Lists read with A's token never show B's
objects. With an admin token set, an org token is no admin credential on any admin route.
Afterwards B's exported state (and A's) is byte-identical to before."""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple

import pytest
from actions_helpers import entity_body
from rules_helpers import DEAL_LOST_ALERT, deal_rule

from mockcrm.api import admin
from mockcrm.app import create_app
from mockcrm.core.store import Store
from mockcrm.seed.loader import load_seed
from mockcrm.settings import Settings

V8 = "/crm/v8"
RULES = f"{V8}/settings/automation/workflow_rules"
AUTO = f"{V8}/settings/automation"
ADMIN_TOKEN = "adm-1s0lation"
MARK = "Bravo-only"  # in the name of every object org B creates
NOWHERE = "4876876000099999999"  # an id of the right shape that exists in no org
FROZEN = "2025-12-01T11:09:10+05:30"
INVALID_TOKEN = {
    "code": "INVALID_TOKEN",
    "details": {},
    "message": "invalid oauth token",
    "status": "error",
}
ADMIN_REFUSED = {
    "code": "AUTHENTICATION_FAILURE",
    "details": {"header_name": "X-Admin-Token"},
    "message": "Authentication failed",
    "status": "error",
}
HIJACK = "hijacked by A"
DEALS_REF = {"api_name": "Deals", "id": "4876876000000002181"}
A_DEAL = f"{V8}/Deals/4876876000005040001"  # a seed deal: every org has it, A's own


class Probe(NamedTuple):
    """One endpoint call. `{rule}`, `{deal}`, ... in the path or body are B's object ids."""

    method: str
    path: str
    body: Any = None


def _entity(kind: str, placeholder: str, put_without_id: bool) -> list[Probe]:
    base = f"{AUTO}/{kind}"
    out = [
        Probe("GET", base),
        Probe("GET", f"{base}/{{{placeholder}}}"),
        Probe("POST", base, {kind: [entity_body(kind, name=HIJACK)]}),
        Probe("PUT", f"{base}/{{{placeholder}}}", {kind: [{"name": HIJACK}]}),
        Probe("DELETE", f"{base}?ids={{{placeholder}}}"),
        Probe("DELETE", f"{base}/{{{placeholder}}}"),
    ]
    if put_without_id:
        out.append(Probe("PUT", base, {kind: [{"id": f"{{{placeholder}}}", "name": HIJACK}]}))
    return out


def _deal(**values: Any) -> dict[str, Any]:
    return {"data": [{"Deal_Name": HIJACK, "Stage": "Qualification", **values}]}


def _holiday(name: str) -> dict[str, Any]:
    return {"name": name, "date": "2026-06-01", "type": "business_holiday"}


# THE endpoint list: every /crm route (test_matrix_covers_every_crm_route keeps it complete).
ENDPOINTS: list[Probe] = [
    # workflow rules
    Probe("GET", f"{RULES}?module=Deals"),
    Probe("GET", f"{RULES}/{{rule}}"),
    Probe("POST", RULES, {"workflow_rules": [deal_rule(name=HIJACK)]}),
    Probe("PUT", f"{RULES}/{{rule}}", {"workflow_rules": [{"name": HIJACK}]}),
    Probe("PUT", RULES, {"workflow_rules": [{"id": "{rule}", "name": HIJACK}]}),
    Probe("DELETE", f"{RULES}/{{rule}}"),
    Probe("DELETE", f"{RULES}?ids={{rule}}"),
    Probe(
        "PUT",
        f"{RULES}/actions/reorder?module=Deals",
        {"reorder": {"workflow_rules": [{"id": "{rule}", "module_specific_sequence": 1}]}},
    ),
    # reports
    Probe("GET", f"{RULES}/actions/rules_count"),
    Probe("GET", f"{RULES}/actions/module_specific_count?module=Deals"),
    Probe("GET", f"{RULES}/actions/actions_count?ids={{rule}}"),
    Probe("GET", f"{RULES}/{{rule}}/actions/usage"),
    # configurations
    Probe("GET", f"{V8}/workflow_configurations?module=Deals"),
    # automation actions
    *_entity("field_updates", "field_update", put_without_id=False),
    *_entity("email_notifications", "email", put_without_id=False),
    *_entity("tasks", "task", put_without_id=True),
    *_entity("webhooks", "webhook", put_without_id=True),
    Probe("GET", f"{AUTO}/webhook_failures?webhook_id={{webhook}}"),
    Probe("GET", f"{AUTO}/webhooks/actions/associated_modules"),
    Probe("GET", f"{AUTO}/webhooks/actions/usage_reports?group_by=date"),
    # metadata: modules, fields, tags, users, org
    Probe("GET", f"{V8}/settings/modules"),
    Probe("GET", f"{V8}/settings/modules/Deals"),
    Probe("GET", f"{V8}/settings/fields?module=Deals"),
    Probe("GET", f"{V8}/settings/fields/4876876000000002321?module=Leads"),
    Probe("GET", f"{V8}/settings/layouts?module=Deals"),
    Probe("GET", f"{V8}/settings/layouts/4876876000001002181?module=Deals"),
    Probe("GET", f"{V8}/settings/pipeline?layout_id=4876876000001002181"),
    Probe("GET", f"{V8}/settings/tags?module=Deals"),
    Probe("POST", f"{V8}/settings/tags?module=Deals", {"tags": [{"name": "hijacked"}]}),
    Probe("PUT", f"{V8}/settings/tags?module=Deals", {"tags": [{"id": "{tag}", "name": "hjk"}]}),
    Probe("PUT", f"{V8}/settings/tags/{{tag}}?module=Deals", {"tags": [{"name": "hjk"}]}),
    Probe("DELETE", f"{V8}/settings/tags/{{tag}}?module=Deals"),
    Probe("GET", f"{V8}/settings/tags/{{tag}}/actions/records_count?module=Deals"),
    # A's own "Priority" with B's tag as the conflict: B's tag must be unknown to A.
    Probe(
        "POST",
        f"{V8}/settings/tags/4876876000011037136/actions/merge",
        {"tags": [{"conflict_id": "{tag}"}]},
    ),
    # B's tag in A's mass delete, B's job in A's status read: unknown to A.
    Probe(
        "POST",
        f"{V8}/settings/tags/actions/mass_delete",
        {"mass_delete": [{"module": DEALS_REF, "tags": [{"id": "{tag}"}]}]},
    ),
    Probe("GET", f"{V8}/settings/tags/actions/mass_delete?job_id={{job}}"),
    # business hours and holidays
    Probe("GET", f"{V8}/settings/business_hours"),
    Probe("POST", f"{V8}/settings/business_hours", {"business_hours": {"type": "24_by_7"}}),
    Probe("PUT", f"{V8}/settings/business_hours", {"business_hours": {"type": "24_by_7"}}),
    Probe("GET", f"{V8}/settings/holidays"),
    Probe("GET", f"{V8}/settings/holidays/{{holiday}}"),
    Probe("POST", f"{V8}/settings/holidays", {"holidays": [_holiday(HIJACK)]}),
    Probe("PUT", f"{V8}/settings/holidays", {"holidays": [{"id": "{holiday}", "name": "hjk"}]}),
    Probe("PUT", f"{V8}/settings/holidays/{{holiday}}", {"holidays": [{"name": "hjk"}]}),
    Probe("DELETE", f"{V8}/settings/holidays/{{holiday}}"),
    Probe("GET", f"{V8}/users"),
    Probe("GET", f"{V8}/users/4876876000000327001"),
    Probe("GET", f"{V8}/org"),
    # records
    Probe("GET", f"{V8}/Deals?fields=Deal_Name"),
    Probe("GET", f"{V8}/Deals?fields=Deal_Name&ids={{deal}}"),
    Probe("GET", f"{V8}/Deals/{{deal}}"),
    Probe("POST", f"{V8}/Deals", _deal()),
    Probe("POST", f"{V8}/Deals/upsert", {**_deal(), "duplicate_check_fields": ["Deal_Name"]}),
    Probe("PUT", f"{V8}/Deals", {"data": [{"id": "{deal}", "Deal_Name": HIJACK}]}),
    Probe("PUT", f"{V8}/Deals/{{deal}}", {"data": [{"Deal_Name": HIJACK}]}),
    Probe("DELETE", f"{V8}/Deals?ids={{deal}}"),
    Probe("POST", f"{V8}/Deals/{{deal}}/actions/add_tags", {"tags": [{"name": "hijacked"}]}),
    Probe("POST", f"{V8}/Deals/actions/remove_tags", {"tags": [{"name": "x"}], "ids": ["{deal}"]}),
    Probe("DELETE", f"{V8}/Deals/{{deal}}"),
    Probe("GET", f"{V8}/Deals/actions/count"),
    Probe("POST", f"{V8}/Deals/{{deal}}/actions/clone"),
    # related notes: under B's deal, and B's note under A's own deal
    Probe("GET", f"{V8}/Deals/{{deal}}/Notes"),
    Probe("GET", f"{A_DEAL}/Notes"),
    Probe("GET", f"{V8}/Deals/{{deal}}/Notes/{{note}}"),
    Probe("GET", f"{A_DEAL}/Notes/{{note}}"),
    Probe("POST", f"{V8}/Deals/{{deal}}/Notes", {"data": [{"Note_Title": HIJACK}]}),
    Probe("PUT", f"{V8}/Deals/{{deal}}/Notes", {"data": [{"id": "{note}", "Note_Title": HIJACK}]}),
    Probe("PUT", f"{A_DEAL}/Notes", {"data": [{"id": "{note}", "Note_Title": HIJACK}]}),
    Probe("PUT", f"{V8}/Deals/{{deal}}/Notes/{{note}}", {"data": [{"Note_Title": HIJACK}]}),
    Probe("PUT", f"{A_DEAL}/Notes/{{note}}", {"data": [{"Note_Title": HIJACK}]}),
    Probe("DELETE", f"{V8}/Deals/{{deal}}/Notes?ids={{note}}"),
    Probe("DELETE", f"{A_DEAL}/Notes?ids={{note}}"),
    Probe("DELETE", f"{V8}/Deals/{{deal}}/Notes/{{note}}"),
    Probe("DELETE", f"{A_DEAL}/Notes/{{note}}"),
]
IDS = [f"{p.method} {p.path}" for p in ENDPOINTS]
PLACEHOLDER = re.compile(r"\{(rule|field_update|email|task|webhook|tag|deal|holiday|job|note)\}")
FOREIGN = [p for p in ENDPOINTS if PLACEHOLDER.search(p.path + json.dumps(p.body))]
LISTS = [p for p in ENDPOINTS if p.method == "GET" and p not in FOREIGN]


def _fill(probe: Probe, ids: dict[str, str]) -> tuple[str, Any]:
    def sub(text: str) -> str:
        return PLACEHOLDER.sub(lambda m: ids[m.group(1)], text)

    body = None if probe.body is None else json.loads(sub(json.dumps(probe.body)))
    return sub(probe.path), body


class World(NamedTuple):
    client: Any
    store: Store
    a: dict[str, str]  # org_id, access_token
    b: dict[str, str]
    b_ids: dict[str, str]  # placeholder -> id of B's own object


def _auth(org: dict[str, str], **extra: str) -> dict[str, str]:
    return {"Authorization": f"Zoho-oauthtoken {org['access_token']}", **extra}


def _created(resp, key: str) -> str:
    assert resp.status_code == 201, resp.json
    return resp.json[key][0]["details"]["id"]


def _populate_b(client, b: dict[str, str]) -> dict[str, str]:
    """B's own objects (ids no other org holds), every name carrying MARK."""
    h = _auth(b)
    ids = {}
    for placeholder, kind in [
        ("field_update", "field_updates"),
        ("email", "email_notifications"),
        ("task", "tasks"),
        ("webhook", "webhooks"),
    ]:
        body = {kind: [entity_body(kind, name=f"{MARK} {kind}")]}
        ids[placeholder] = _created(client.post(f"{AUTO}/{kind}", json=body, headers=h), kind)
    rule = deal_rule(name=f"{MARK} rule")
    rule["conditions"][0]["instant_actions"]["actions"] = [
        {"type": "email_notifications", "id": DEAL_LOST_ALERT}
    ]
    resp = client.post(RULES, json={"workflow_rules": [rule]}, headers=h)
    ids["rule"] = _created(resp, "workflow_rules")
    resp = client.post(
        f"{V8}/settings/tags?module=Deals", json={"tags": [{"name": f"{MARK} tag"}]}, headers=h
    )
    ids["tag"] = _created(resp, "tags")
    resp = client.post(
        f"{V8}/settings/tags?module=Deals", json={"tags": [{"name": f"{MARK} gone"}]}, headers=h
    )
    gone = {"mass_delete": [{"module": DEALS_REF, "tags": [{"id": _created(resp, "tags")}]}]}
    resp = client.post(f"{V8}/settings/tags/actions/mass_delete", json=gone, headers=h)
    assert resp.status_code == 202, resp.json
    ids["job"] = resp.json["details"]["job_id"]
    resp = client.post(
        f"{V8}/settings/holidays", json={"holidays": [_holiday(f"{MARK} holiday")]}, headers=h
    )
    ids["holiday"] = _created(resp, "holidays")
    deal = {"data": [{"Deal_Name": f"{MARK} deal", "Stage": "Qualification"}]}
    ids["deal"] = _created(client.post(f"{V8}/Deals", json=deal, headers=h), "data")
    note = {"data": [{"Note_Title": f"{MARK} note", "Note_Content": MARK}]}
    resp = client.post(f"{V8}/Deals/{ids['deal']}/Notes", json=note, headers=h)
    ids["note"] = _created(resp, "data")
    return ids


@pytest.fixture(params=["permissive", "strict"])
def world(request) -> World:
    store = Store(seed_loader=load_seed)
    store.add_seed("zylker", load_seed("zylker"), default=True)
    settings = Settings(auth=request.param, admin_token=ADMIN_TOKEN)
    client = create_app(settings, store=store).test_client()
    adm = {"X-Admin-Token": ADMIN_TOKEN}
    a, b = (client.post("/__admin/orgs", json={}, headers=adm).json for _ in range(2))
    for org in (a, b):
        # Frozen clocks: no virtual time passes, so an untouched org exports identically.
        resp = client.put(
            "/__admin/clock", json={"org_id": org["org_id"], "now": FROZEN, "freeze": True},
            headers=adm,
        )  # fmt: skip
        assert resp.status_code == 200
    b_ids = _populate_b(client, b)
    # B's ids exist in B only (ids are per org; A has created nothing, so none of them are A's).
    a_state = store.export_state(a["org_id"])
    a_state.pop("ids")  # the allocator's next id: A would hand out the same ids (ids are per org)
    a_ids = json.dumps(a_state)
    assert not [i for i in b_ids.values() if i in a_ids]
    for org in (a, b):  # one call each, so the engine's first clock scan is behind us
        assert client.get(f"{V8}/org", headers=_auth(org)).status_code == 200
    return World(client, store, a, b, b_ids)


def _exports(w: World) -> tuple[str, str]:
    return tuple(json.dumps(w.store.export_state(o["org_id"]), sort_keys=True) for o in (w.a, w.b))


def test_matrix_covers_every_crm_route(world):
    """A new /crm route must be added to ENDPOINTS."""
    urls = world.client.application.url_map.bind("localhost")
    covered = {
        (urls.match(p.path.split("?")[0].format(**world.b_ids), p.method)[0], p.method)
        for p in ENDPOINTS
    }
    routes = {
        (rule.endpoint, method)
        for rule in world.client.application.url_map.iter_rules()
        if rule.rule.startswith("/crm/") and rule.endpoint != "records.wrong_method"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - covered == set()


def test_a_token_addressed_at_b_is_an_invalid_token_everywhere(world):
    before = _exports(world)
    header = _auth(world.a, **{"X-CRM-ORG": world.b["org_id"]})
    for probe in ENDPOINTS:
        path, body = _fill(probe, world.b_ids)
        resp = world.client.open(path, method=probe.method, json=body, headers=header)
        assert (probe, resp.status_code, resp.json) == (probe, 401, INVALID_TOKEN)
    assert _exports(world) == before


def test_b_ids_with_a_token_are_ids_a_never_heard_of(world):
    """B's ids answer exactly like an id that exists nowhere: 204, 400 or 404, nothing changes."""
    before = _exports(world)
    nowhere = dict.fromkeys(world.b_ids, NOWHERE)
    for probe in FOREIGN:
        answers = []
        for ids in (world.b_ids, nowhere):
            path, body = _fill(probe, ids)
            resp = world.client.open(path, method=probe.method, json=body, headers=_auth(world.a))
            text = resp.get_data(as_text=True)
            for value in ids.values():
                text = text.replace(value, "<id>")
            answers.append((resp.status_code, text))
        assert answers[0] == answers[1], probe
        assert answers[0][0] in (204, 400, 404), (probe, answers[0])
        assert MARK not in answers[0][1]
    assert _exports(world) == before


def test_a_lists_never_show_b_objects(world):
    before = _exports(world)
    for probe in LISTS:
        resp = world.client.get(probe.path, headers=_auth(world.a))
        assert resp.status_code in (200, 204), probe
        assert MARK not in resp.get_data(as_text=True), probe
        assert not [i for i in world.b_ids.values() if i in resp.get_data(as_text=True)], probe
    assert _exports(world) == before


def _admin_calls(org_id: str) -> list[tuple[str, str]]:
    """Every admin route of the one ROUTES table, org-scoped ones aimed at `org_id`."""
    out = []
    for method, rule, _ in admin.ROUTES:
        path = admin.PREFIX + rule.replace("<org_id>", org_id)
        out.append((method, path.replace("<name>", "clean").replace("<fault_id>", "1")))
    return out


def test_an_org_token_is_no_admin_credential(world):
    before = _exports(world)
    orgs_before = sorted(world.store.orgs)
    token = world.a["access_token"]
    attempts = [
        {"Authorization": f"Zoho-oauthtoken {token}"},
        {"X-Admin-Token": token},
        {"Authorization": f"Bearer {token}"},
    ]
    calls = _admin_calls(world.b["org_id"]) + _admin_calls(world.a["org_id"])
    refused = 0
    for method, path in calls:
        for headers in attempts:
            body = {"org_id": world.b["org_id"], "name": "clean", "scopes": ["ZohoCRM.ALL"]}
            resp = world.client.open(path, method=method, json=body, headers=headers)
            if path in admin.OPEN_PATHS:
                # Health and readiness probes reveal nothing about any org.
                assert resp.status_code == 200 and world.b["org_id"] not in resp.text
                continue
            assert (method, path, resp.status_code, resp.json) == (
                method, path, 401, ADMIN_REFUSED,
            )  # fmt: skip
            refused += 1
    assert refused == 3 * (len(calls) - 2 * len(admin.OPEN_PATHS))
    assert _exports(world) == before
    assert sorted(world.store.orgs) == orgs_before
    # Not vacuous: the admin token itself reads B's state.
    resp = world.client.get(
        f"/__admin/orgs/{world.b['org_id']}/state", headers={"X-Admin-Token": ADMIN_TOKEN}
    )
    assert resp.status_code == 200 and MARK in resp.text
