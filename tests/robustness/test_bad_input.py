"""The bad-input catalogue (issue 6): garbage bodies, wrong types at every level of a rule, odd
ids, pages and query strings, huge and deep bodies, injection-looking strings, over every
endpoint family. A refused request answers a Zoho-shaped 4xx (JSON, never HTML) and leaves the
org's exported state byte-identical; what Zoho accepts (unknown keys, unicode names, JSON sent
without a JSON content type) is accepted and stored exactly."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from badinput_bodies import RULE_TYPES, SPREAD
from badinput_helpers import (
    CRITERIA,
    DEAL_NAME,
    DEALS,
    TAGS,
    TOO_LARGE,
    Case,
    assert_refused,
    assert_zoho_json,
    deep_arrays,
    exported,
    no_collection,
    post_criteria,
    raw,
    rule_invalid,
    top,
)
from badinput_params import IDS_AND_PAGES, OTHER_TYPES
from oas import validate_response
from rules_helpers import RULES, VP_ALERT, body, condition, deal_rule

from mockcrm.app import create_app
from mockcrm.core.jsontext import MAX_JSON_DEPTH, parse_json
from mockcrm.crm.criteria_rules import MAX_CRITERIA_DEPTH
from mockcrm.settings import Settings

CATALOGUE = SPREAD + RULE_TYPES + OTHER_TYPES + IDS_AND_PAGES


@pytest.fixture
def settled(api):
    """A first call: the engine notes the (frozen) clock in org state on a test's first call,
    which is not the change these tests look for."""
    assert api.get("/crm/v8/org").status_code == 200
    return api


# --- the catalogue -----------------------------------------------------------------------------


def test_the_catalogue_is_large_and_unique():
    ids = [case.id for case in CATALOGUE]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 30


@pytest.mark.parametrize("case", CATALOGUE, ids=lambda case: case.id)
def test_bad_input_is_refused_and_changes_nothing(settled, store, org, case):
    assert_refused(settled, store, org, case)


# --- huge bodies -------------------------------------------------------------------------------


def test_a_body_over_the_default_limit_is_zohos_413(settled, store, org):
    limit = Settings().max_body_bytes
    assert limit == 5 * 1024 * 1024
    case = Case("huge", "POST", RULES, 413, TOO_LARGE, raw(b" " * (limit + 1)))
    assert_refused(settled, store, org, case)


@pytest.mark.parametrize(
    ("method", "path", "content_type"),
    [
        ("POST", RULES, "application/json"),
        ("PUT", f"{RULES}/{VP_ALERT}", "application/json"),
        ("GET", "/crm/v8/org", "application/json"),  # a body nobody reads is still refused
        ("POST", "/crm/v8/no/such/path", "application/json"),
        ("POST", "/oauth/v2/token", "application/x-www-form-urlencoded"),
    ],
)
def test_the_limit_is_configurable_and_exact(store, org, method, path, content_type):
    _refused_over_1024_bytes(
        store,
        org,
        path,
        lambda client, auth: client.open(
            path, method=method, data=b"x" * 1025, content_type=content_type, headers=auth
        ),
    )


CHUNKED = {"Transfer-Encoding": "chunked"}


@pytest.mark.parametrize("size", [1025, 5000])
def test_a_streamed_body_over_the_limit_is_refused_not_cut_short(store, org, size):
    """A chunked body (no Content-Length; the server ends the stream, as granian does): werkzeug
    would hand over its first 1,024 bytes; it is Zoho's 413 and changes nothing."""
    text = json.dumps(body(deal_rule(name="Streamed " + "x" * size)))
    _refused_over_1024_bytes(
        store,
        org,
        RULES,
        lambda client, auth: client.post(
            RULES,
            input_stream=io.BytesIO(text.encode()),
            content_type="application/json",
            headers={**auth, **CHUNKED},
            environ_overrides={"wsgi.input_terminated": True},
        ),
    )


def _refused_over_1024_bytes(store, org, path: str, send: Any) -> None:
    """`send(client, auth)` sends a body over a 1,024-byte limit: Zoho's 413, nothing changed,
    and the journal keeps no body."""
    client = create_app(Settings(max_body_bytes=1024), store=store).test_client()
    auth = {"Authorization": "Zoho-oauthtoken 1000.test.token"}
    client.get("/crm/v8/org", headers=auth)
    before = exported(store, org)

    resp = send(client, auth)

    assert resp.status_code == 413
    assert_zoho_json(resp)
    assert resp.json == TOO_LARGE
    assert exported(store, org) == before
    (entry,) = store.journal.query(path=path, limit=1)
    assert entry.status == 413 and entry.request_body is None


def test_a_streamed_body_within_the_limit_is_read(store, org):
    text = json.dumps(body(deal_rule(name="Streamed within the limit")))
    client = create_app(Settings(max_body_bytes=len(text)), store=store).test_client()
    resp = client.post(
        RULES,
        input_stream=io.BytesIO(text.encode()),
        content_type="application/json",
        headers={"Authorization": "Zoho-oauthtoken 1000.test.token", **CHUNKED},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert resp.status_code == 201
    validate_response("workflow_rules", "postWorkflowRule", 201, resp.json)


def test_a_body_at_the_limit_is_read(store, org):
    text = json.dumps(body(deal_rule(name="At the limit")))
    client = create_app(Settings(max_body_bytes=len(text)), store=store).test_client()
    auth = {"Authorization": "Zoho-oauthtoken 1000.test.token"}
    resp = client.post(RULES, data=text, content_type="application/json", headers=auth)
    assert resp.status_code == 201
    validate_response("workflow_rules", "postWorkflowRule", 201, resp.json)


def test_zero_means_no_limit(store):
    client = create_app(Settings(max_body_bytes=0), store=store).test_client()
    resp = client.post(
        RULES,
        data=" " * (Settings().max_body_bytes + 1),
        content_type="application/json",
        headers={"Authorization": "Zoho-oauthtoken 1000.test.token"},
    )
    assert resp.status_code == 400  # read, then found empty
    assert resp.json == no_collection("workflow_rules")


def test_the_admin_api_is_not_limited(store, org):
    """An exported org is often larger than any API body; importing it back must work."""
    client = create_app(Settings(max_body_bytes=1024), store=store).test_client()
    state = store.export_state(org.id)
    text = json.dumps(state)
    assert len(text) > 1024
    resp = client.put(f"/__admin/orgs/{org.id}/state", data=text, content_type="application/json")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]


# --- deep nesting ------------------------------------------------------------------------------


def test_json_depth_is_checked_without_recursion():
    assert parse_json(deep_arrays(MAX_JSON_DEPTH)) is not None
    for text in (deep_arrays(MAX_JSON_DEPTH + 1), deep_arrays(100_000), '{"a":' * 50_000):
        with pytest.raises(ValueError):
            parse_json(text)


def nested_criteria(groups: int) -> dict[str, Any]:
    criteria: dict[str, Any] = {"field": DEAL_NAME, "comparator": "equal", "value": "last"}
    for i in range(groups):
        leaf = {"field": DEAL_NAME, "comparator": "equal", "value": str(i)}
        criteria = {"group_operator": "AND", "group": [leaf, criteria]}
    return criteria


def test_criteria_nest_up_to_the_limit(settled):
    resp = settled.post(RULES, **post_criteria(nested_criteria(MAX_CRITERIA_DEPTH)))
    assert resp.status_code == 201, resp.json
    validate_response("workflow_rules", "postWorkflowRule", 201, resp.json)
    rule_id = resp.json["workflow_rules"][0]["details"]["id"]
    stored = settled.get(f"{RULES}/{rule_id}").json["workflow_rules"][0]
    assert stored["conditions"][0]["criteria_details"]["criteria"]["group_operator"] == "AND"


def test_criteria_nested_deeper_are_invalid_data(settled, store, org):
    path = CRITERIA + ".group[1]" * MAX_CRITERIA_DEPTH + ".group"
    case = Case(
        "deeper",
        "POST",
        RULES,
        400,
        rule_invalid("group", path),
        post_criteria(nested_criteria(MAX_CRITERIA_DEPTH + 1)),
    )
    assert_refused(settled, store, org, case)


# --- what Zoho accepts -------------------------------------------------------------------------


def created_rule(api, rule: dict[str, Any], **kw: Any) -> dict[str, Any]:
    resp = api.post(RULES, **(kw or {"json": body(rule)}))
    assert resp.status_code == 201, resp.json
    validate_response("workflow_rules", "postWorkflowRule", 201, resp.json)
    rule_id = resp.json["workflow_rules"][0]["details"]["id"]
    return api.get(f"{RULES}/{rule_id}").json["workflow_rules"][0]


@pytest.mark.parametrize("content_type", ["text/plain", None])
def test_json_without_a_json_content_type_is_parsed(settled, content_type):
    """Zoho parses JSON whatever the Content-Type (its curl samples send none)."""
    text = json.dumps(body(deal_rule(name=f"Sent as {content_type}")))
    stored = created_rule(settled, {}, data=text, content_type=content_type)
    assert stored["name"] == f"Sent as {content_type}"


def test_unknown_keys_are_ignored(settled, org):
    rule = deal_rule(name="With extras", colour="blue", conditions=[condition(bogus=[1])])
    resp = settled.post(RULES, json={**body(rule), "extra": {"a": 1}})
    assert resp.status_code == 201
    validate_response("workflow_rules", "postWorkflowRule", 201, resp.json)
    stored = org.rules[resp.json["workflow_rules"][0]["details"]["id"]]
    assert "colour" not in stored and "bogus" not in stored["conditions"][0]

    tag = settled.post(f"{TAGS}?module=Deals", json={"tags": [{"name": "Extra", "shade": 1}]})
    assert tag.status_code == 201
    validate_response("tags", "postTags", 201, tag.json)
    assert "shade" not in org.tag("Deals", name="Extra")


@pytest.mark.parametrize(
    "name",
    [
        "Café règle 日本語 Ünïcödé",
        "Tab\there",  # control characters: Zoho is silent; kept verbatim
        "Line\nbreak",
        "Nul\u0000byte",
    ],
    ids=["unicode", "tab", "newline", "nul"],
)
def test_unicode_and_control_characters_in_names_round_trip(settled, name):
    assert created_rule(settled, deal_rule(name=f"{name} ☃🚀"))["name"] == f"{name} ☃🚀"
    tag = settled.post(f"{TAGS}?module=Deals", json={"tags": [{"name": name[:25]}]})
    assert tag.status_code == 201
    validate_response("tags", "postTags", 201, tag.json)
    assert tag.json["tags"][0]["details"]["name"] == name[:25]


def test_sql_looking_strings_are_plain_text(settled, org):
    before = set(org.rules)
    name = "'; DROP TABLE rules; --"
    assert created_rule(settled, deal_rule(name=name))["name"] == name
    assert before < set(org.rules)  # nothing else went anywhere

    deal = "Robert'); DROP TABLE Deals;--"
    resp = settled.post(DEALS, json={"data": [{"Deal_Name": deal, "Stage": "Qualification"}]})
    assert resp.status_code == 201
    validate_response("record", "createRecords", 201, resp.json)
    assert org.records["Deals"][resp.json["data"][0]["details"]["id"]]["Deal_Name"] == deal


def test_a_script_in_a_filter_value_is_only_searched_for(settled):
    script = '{"field":{"api_name":"name"},"comparator":"contains","value":"<script>"}'
    assert settled.get(RULES, query_string={"module": "Deals", "filter": script}).status_code == 204


def test_a_page_past_the_end_is_no_content(settled):
    assert settled.get(RULES, query_string="page=99999999999999999999").status_code == 204


# --- repeated query parameters: the first one counts (as Zoho's servlet getParameter) -------


def test_repeated_module_uses_the_first(settled):
    first = settled.get(RULES, query_string="module=Deals&module=Leads")
    only = settled.get(RULES, query_string="module=Deals")
    assert first.status_code == 200
    validate_response("workflow_rules", "getWorkflowRules", 200, first.json)
    assert first.json == only.json
    assert {r["module"]["api_name"] for r in first.json["workflow_rules"]} == {"Deals"}


def test_repeated_paging_uses_the_first(settled):
    one = settled.get(DEALS, query_string="fields=Deal_Name&per_page=1&per_page=200")
    assert one.status_code == 200
    validate_response("record", "getRecords", 200, one.json)
    assert len(one.json["data"]) == 1 and one.json["info"]["per_page"] == 1
    assert settled.get(RULES, query_string="page=2&page=1").status_code == 204


def test_a_repeated_ids_param_cannot_sneak_in_a_delete(settled, store, org):
    case = Case(
        "repeated-ids",
        "DELETE",
        f"{RULES}?ids=123&ids={VP_ALERT}",
        400,
        {"workflow_rules": [top("INVALID_DATA", "the id given seems to be invalid", id="123")]},
    )
    assert_refused(settled, store, org, case)
    assert VP_ALERT in org.rules
