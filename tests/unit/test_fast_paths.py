"""The request path's fast paths keep their behaviour: orjson rendering writes what the standard
library would, the journal parses bodies only when read (and the same way as before), schema
instances are reused without leaking state between requests."""

from __future__ import annotations

import json
import random

import pytest

from mockcrm.api.common import to_json
from mockcrm.core.journal import MAX_BODY_CHARS, REDACTED, Journal, capped
from mockcrm.core.jsontext import MAX_JSON_DEPTH, dumps_canonical, parse_json


def _stdlib(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def test_rendering_is_byte_identical_to_the_standard_library():
    value = {
        "workflow_rules": [
            {"name": "Überprüfung ✓ 日本", "amount": 45000.0, "ratio": 0.1, "n": -3, "ok": True},
            {"empty": None, "nested": {"list": [1, 2.5, 'x"y\\z\n']}, "emoji": "😀"},
        ],
        "info": {"per_page": 200, "more_records": False},
    }
    assert to_json(value) == _stdlib(value)


def test_values_orjson_refuses_are_written_by_the_standard_library():
    big = {"id": 2**70, "keys": {1: "a"}}
    assert to_json(big) == _stdlib(big)


def _entry(journal: Journal, request_raw: bytes | None, response_raw: bytes | None):
    return journal.record(
        time=None,
        org_id="1",
        method="POST",
        path="/crm/v8/x",
        query="",
        status=200,
        duration_ms=1.0,
        headers_raw={"HTTP_AUTHORIZATION": "Zoho-oauthtoken secret"},
        request_raw=capped(request_raw),
        response_raw=capped(response_raw),
    )


def test_journal_parses_and_redacts_bodies_when_read():
    journal = Journal()
    entry = _entry(journal, b'{"refresh_token":"secret","tags":[{"name":"A"}]}', b"")
    assert isinstance(entry.request_raw, bytes)  # kept as sent until read
    assert entry.request_body == {"refresh_token": REDACTED, "tags": [{"name": "A"}]}
    assert entry.response_body is None
    form = _entry(journal, b"grant_type=refresh_token&refresh_token=abc", None)
    assert form.request_body == f"grant_type=refresh_token&refresh_token={REDACTED}"
    listed = form.as_dict()
    assert listed["request_body"] == form.request_body and "request_raw" not in listed
    assert listed["request_headers"] == {"Authorization": REDACTED}


def test_journal_keeps_a_long_body_as_its_text_prefix():
    text = '{"description":"' + "é" * 30_000 + '"}'
    entry = _entry(Journal(), text.encode(), None)
    assert entry.request_raw == text[:MAX_BODY_CHARS].encode()  # the prefix only, as bytes
    assert entry.request_body == text[:MAX_BODY_CHARS]  # unparseable prefix: kept as text


def test_reused_rule_schema_carries_nothing_from_one_request_to_the_next(api):
    rules = "/crm/v8/settings/automation/workflow_rules"
    bad = api.post(rules, json={"workflow_rules": [{"name": "No module"}]})
    assert bad.status_code == 400 and bad.json["workflow_rules"][0]["code"] == "MANDATORY_NOT_FOUND"
    again = api.post(rules, json={"workflow_rules": [{"name": "No module"}]})
    assert again.json == bad.json


def test_execution_order_view_reads_as_the_ordered_list(org):
    from mockcrm.crm.rule_list import ExecutionOrder

    for module in (None, "Deals", "Leads"):
        expected = org.ordered_rules(module)
        view = ExecutionOrder(org, module)
        assert len(view) == len(expected) and list(view) == expected
        for start, stop, step in [(0, 50, 1), (40, 90, 1), (100, 300, 1), (0, 0, 1), (5, 60, 7)]:
            assert view[start:stop:step] == expected[start:stop:step]
        assert view[-1] is expected[-1] and view[3] is expected[3]


def test_clone_is_a_deep_copy_of_json_like_data():
    from mockcrm.core.jsontext import clone

    value = {"a": [{"b": 1.5, "c": None}], "d": "é", "e": True}
    copied = clone(value)
    assert copied == value and copied is not value and copied["a"][0] is not value["a"][0]


def test_an_update_leaves_no_shared_state_with_the_previous_rule(api, org):
    rule_id = "4876876000016390024"
    before = org.rules[rule_id]
    answer = api.put(f"/crm/v8/settings/automation/workflow_rules/{rule_id}",
                     json={"workflow_rules": [{"description": "changed"}]})  # fmt: skip
    assert answer.status_code == 200
    after = org.rules[rule_id]
    assert after["description"] == "changed" and before["description"] != "changed"
    for key in ("module", "lock", "created_by", "execute_when", "conditions"):
        assert after[key] == before[key] and after[key] is not before[key]


def _random_json(rng: random.Random, depth: int = 0) -> object:
    kind = rng.randrange(8 if depth < 4 else 5)
    if kind == 0:
        return rng.choice([None, True, False])
    if kind == 1:
        return rng.randint(-(2**63), 2**63 - 1)
    if kind == 2:
        return rng.uniform(-1e6, 1e6)
    if kind in (3, 4):
        return "".join(rng.choice('aZ09 "\\\n/é✓😀') for _ in range(rng.randrange(12)))
    if kind == 5:
        return [_random_json(rng, depth + 1) for _ in range(rng.randrange(5))]
    return {f"k{rng.randrange(9)}": _random_json(rng, depth + 1) for _ in range(rng.randrange(5))}


def test_parsing_gives_the_values_of_the_standard_library():
    """orjson parses; on every body the value is the one json.loads gives, type for type."""
    rng = random.Random(7)
    for _ in range(300):
        text = json.dumps(_random_json(rng), ensure_ascii=rng.random() < 0.5)
        assert repr(parse_json(text.encode())) == repr(json.loads(text))
        assert repr(parse_json(text)) == repr(json.loads(text))


@pytest.mark.parametrize(
    "raw",
    [
        b'{"id": 123456789012345678901234567890}',  # orjson: a float; json: the exact integer
        b'{"name": "\\ud800"}',  # a lone surrogate, which orjson refuses
        "\ufeff".encode() + b'{"a": 1}',  # a byte-order mark: orjson refuses it
    ],
)
def test_bodies_orjson_refuses_or_misreads_are_parsed_by_the_standard_library(raw):
    assert repr(parse_json(raw)) == repr(json.loads(raw))


@pytest.mark.parametrize("digits", [18, 19, 20, 21, 40])
def test_integers_beyond_64_bits_are_parsed_by_the_standard_library(digits):
    """orjson reads an integer beyond 64 bits as a float: a run of 20 digits, or 19 after a
    minus sign (found with every digit read as 0), sends the body to the standard library."""
    for lead in "1239":
        number = lead + "9" * (digits - 1)
        for text in (f'{{"id": {number}}}', f"[-{number}, 1.5e3]", f'{{"n": "{number}"}}'):
            assert repr(parse_json(text.encode())) == repr(json.loads(text))
            assert repr(parse_json(text)) == repr(json.loads(text))


@pytest.mark.parametrize(
    "raw", [b'{"amount": NaN}', b'{"cap": Infinity}', b"[-Infinity]", b"[1e400]", b"[-1e400]"]
)
def test_what_json_has_not_is_refused_by_both_parsers(raw):
    """RFC 8259 has no NaN or Infinity, and 1e400 is beyond a double: stored, they would read
    back as null (the standard library alone accepts them)."""
    with pytest.raises(ValueError):
        parse_json(raw)
    with pytest.raises(ValueError):
        parse_json(raw.decode())


def test_depth_is_refused_beyond_the_limit_and_counted_only_when_it_could_be():
    deep = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert parse_json(deep) is not None
    for text in ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), "[" * 5000 + "]" * 5000):
        with pytest.raises(ValueError, match="nested too deeply"):
            parse_json(text)
    # Many brackets in strings, shallow structure: walked, and accepted.
    assert parse_json(json.dumps({"text": "[{" * 300})) == {"text": "[{" * 300}


def test_canonical_text_is_equal_for_equal_values_whatever_their_key_order():
    assert dumps_canonical({"b": 1, "a": [1, {"y": 2, "x": 3}]}) == dumps_canonical(
        {"a": [1, {"x": 3, "y": 2}], "b": 1}
    )
    assert dumps_canonical({"a": 1}) != dumps_canonical({"a": 1.5})
    # NaN (accepted in bodies, as the standard library parses them) is not a null.
    assert dumps_canonical({"value": float("nan")}) != dumps_canonical({"value": None})


def test_query_parameters_read_as_werkzeug_reads_them():
    """request.args is QueryArgs: get() of a missing parameter answers the default without
    raising werkzeug's BadRequestKeyError; present ones, lists and types are unchanged."""
    from mockcrm.api.wsgi import QueryArgs
    from mockcrm.app import create_app

    app = create_app()
    with app.test_request_context("/x?module=Deals&ids=1&ids=2&page=3&page=x"):
        from flask import request

        assert isinstance(request.args, QueryArgs)
        assert request.args.get("module") == "Deals"
        assert request.args.get("missing") is None
        assert request.args.get("missing", "dflt") == "dflt"
        assert request.args.getlist("ids") == ["1", "2"]
        assert request.args.get("page", type=int) == 3
        assert request.args.get("ids", type=int) == 1
        with pytest.raises(KeyError):
            request.args["missing"]
    empty = QueryArgs()
    assert empty.get("page", 1, type=int) == 1


def test_hooks_and_views_are_checked_for_coroutines_once():
    from mockcrm.app import create_app

    app = create_app()

    def view() -> str:
        return "x"

    assert app.ensure_sync(view) is view
    assert app.ensure_sync(view) is view
    assert list(app._sync_funcs) == [view]


def test_shared_strings_is_an_equal_copy_with_each_string_once():
    from mockcrm.core.jsontext import shared_strings

    value = {"a": ["Deals", "x" * 3, {"module": "Deals"}], "n": 1, "none": None, "f": 1.5}
    value["b"] = "".join(["De", "als"])  # equal to "Deals", another object
    assert value["b"] is not value["a"][0]
    shared = shared_strings(value)
    assert shared == value
    assert shared["b"] is shared["a"][0] is shared["a"][2]["module"]
    assert shared["a"] is not value["a"]  # a copy: the input is left as it was
    assert value["b"] is not value["a"][0]


def test_an_isolated_org_from_the_compact_template_has_the_template_s_data(store):
    from mockcrm.crm.org import DATA_FIELDS

    created = store.create_org("zylker")
    again = store.create_org("zylker")
    template = store.templates[store.origins[created.id]]
    for name in DATA_FIELDS:
        assert getattr(created, name) == getattr(template, name), name
    created.rules[next(iter(created.rules))]["name"] = "changed in one org"
    assert again.rules != created.rules  # independent copies


def test_journaled_headers_are_werkzeug_s_headers_of_the_request_redacted():
    """Entries keep the environ's header keys (journal.header_keys) and name them when read."""
    from werkzeug.datastructures import EnvironHeaders
    from werkzeug.test import EnvironBuilder

    from mockcrm.core.journal import header_keys, redact

    environ = EnvironBuilder(
        path="/crm/v8/x",
        method="POST",
        data=b'{"a": 1}',
        content_type="application/json",
        headers={"Authorization": "Zoho-oauthtoken secret", "X-CRM-ORG": "1", "Cookie": "c=1"},
    ).get_environ()
    environ["werkzeug.request"] = object()  # what a Request adds: never kept
    kept = header_keys(environ)
    assert sorted(kept) == [
        "CONTENT_LENGTH", "CONTENT_TYPE", "HTTP_AUTHORIZATION", "HTTP_COOKIE", "HTTP_HOST",
        "HTTP_X_CRM_ORG",
    ]  # fmt: skip
    entry = Journal().record(
        time=None, org_id="1", method="POST", path="/crm/v8/x", query="", status=200,
        duration_ms=1.0, headers_raw=kept,
    )  # fmt: skip
    assert entry.request_headers == redact(EnvironHeaders(environ))
    assert entry.request_headers == {
        "Content-Type": "application/json",
        "Content-Length": "8",
        "Authorization": REDACTED,
        "X-Crm-Org": "1",
        "Cookie": REDACTED,
        "Host": "localhost",
    }
