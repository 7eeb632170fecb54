"""Webhook checks beyond the schema: date patterns, the raw body's length, the authentication
type's path, and what each HTTP method may send. Errors as Zoho's examples show them."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from actions_helpers import BASE, create, entity_body, refused, wrap
from oas import zoho_example

DEFAULT_FORMATS = {"date_format": "yyyy-MM-dd", "datetime_format": "yyyy-MM-dd'T'HH:mm:ssXXX"}


def _hook(**overrides: Any) -> dict[str, Any]:
    return entity_body("webhooks", **overrides)


def _example(name: str) -> dict[str, Any]:
    """Zoho's example, its per-item error in the array mockcrm always answers with (some of
    Zoho's schema-level examples show the bare object)."""
    body = zoho_example("webhooks", "createWebhooks", 400, name)
    item = body["webhooks"]
    return {"webhooks": item if isinstance(item, list) else [item]}


def _formats(**overrides: str) -> dict[str, str]:
    return {**DEFAULT_FORMATS, "time_zone": "Asia/Kolkata", **overrides}


@pytest.mark.parametrize(
    ("example", "item"),
    [
        ("InvalidDataResponse6", _hook(date_time_format=_formats(date_format="bogus"))),
        ("InvalidDataResponse6", _hook(date_time_format=_formats(date_format="yyyy-MM-dd HH"))),
        ("InvalidDataResponse6", _hook(date_time_format=_formats(date_format="dd/MM"))),
        ("InvalidDataResponse8", _hook(date_time_format=_formats(datetime_format="yyyy-MM-dd"))),
        ("InvalidDataResponse8", _hook(date_time_format=_formats(datetime_format="'T HH:mm"))),
        ("InvalidDataResponse8", _hook(date_time_format=_formats(datetime_format="dd.MM.yyyy Q"))),
        (
            "Error400Response11",
            _hook(body={"type": "raw", "format": "Text", "raw_data_content": "x" * 501}),
        ),
        ("Error400Response23", _hook(authentication={"type": "connection"})),
    ],
)
def test_refused_as_zohos_examples(api, org, example, item):
    assert refused(api, org, "webhooks", item) == _example(example)


@pytest.mark.parametrize(
    ("date_format", "datetime_format"),
    [
        ("dd/MM/yyyy", "dd/MM/yyyy hh:mm a"),
        ("MM-dd-yyyy", "MM-dd-yyyy HH:mm:ss z"),
        ("EEE, d MMM yyyy", "yyyy-MM-dd'T'HH:mm:ss.SSSZ"),
        ("dd-mmmm-yyyy", "dd-mm-yyyy H:M:S"),  # Zoho's getWebhookById example (no Java patterns)
    ],
)
def test_java_date_patterns_are_accepted_and_kept(api, org, date_format, datetime_format):
    formats = _formats(date_format=date_format, datetime_format=datetime_format)
    new = create(api, "webhooks", date_time_format=formats)
    assert org.entities["webhooks"][new]["date_time_format"] == formats


def test_raw_body_of_500_characters_is_accepted(api, org):
    body = {"type": "raw", "format": "Text", "raw_data_content": "x" * 500}
    new = create(api, "webhooks", body=body)
    assert org.entities["webhooks"][new]["body"]["raw_data_content"] == "x" * 500


def _method_mismatch(key: str) -> dict[str, Any]:
    details = {
        "api_name": "http_method",
        "dependee": {"api_name": key, "json_path": f"$.webhooks[0].{key}"},
        "json_path": "$.webhooks[0].http_method",
    }
    message = "Invalid value provided for the given http method"
    return {
        "webhooks": [
            {
                "code": "DEPENDENT_MISMATCH",
                "details": details,
                "message": message,
                "status": "error",
            }
        ]
    }


PARAMS = {"custom_parameters": [{"name": "source", "value": "crm"}]}


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_get_and_delete_send_no_body(api, org, method):
    assert refused(api, org, "webhooks", _hook(http_method=method)) == _method_mismatch("body")
    headers = None if method == "GET" else PARAMS  # headers go with all methods but GET
    new = create(
        api, "webhooks", http_method=method, body=None, headers=headers, url_parameters=PARAMS
    )
    assert org.entities["webhooks"][new]["url_parameters"]["custom_parameters"] == [
        {"name": "source", "value": "crm"}
    ]


def test_get_sends_no_headers(api, org):
    """Zoho's method table: headers with POST, PUT and DELETE; its example of GET with headers."""
    item = _hook(http_method="GET", body=None)
    expected = zoho_example("webhooks", "updateWebhooks", 400, "DependentMismatchResponse2")
    assert refused(api, org, "webhooks", item) == _method_mismatch("headers") == expected


@pytest.mark.parametrize("name", ["HOST", "host", " Host "])
def test_host_header_is_restricted(api, org, name):
    """Zoho: "Restricted header name: HOST is not allowed"; its message enum names the error,
    no example shows the body."""
    item = _hook(headers={"custom_parameters": [{"name": name, "value": "evil.example"}]})
    assert refused(api, org, "webhooks", item) == {
        "webhooks": [
            {
                "code": "INVALID_DATA",
                "details": {
                    "api_name": "name",
                    "json_path": "$.webhooks[0].headers.custom_parameters[0].name",
                },
                "message": "restricted parameter name found",
                "status": "error",
            }
        ]
    }


def test_module_parameters_of_api_names_and_other_modules_are_accepted(api, org):
    params = [
        {"name": "ln", "value": "${!Leads.Last_Name}"},
        {"name": "id", "value": "${!Leads.Id}"},
        {"name": "acct", "value": "${!Accounts.Account_Name}"},  # another module: unchecked
    ]
    new = create(api, "webhooks", headers={"module_parameters": params})
    assert org.entities["webhooks"][new]["headers"]["module_parameters"] == params


def test_body_type_none_is_accepted(api, org):
    """Zoho's body types are form_data, raw and none ("No body content")."""
    new = create(api, "webhooks", body={"type": "none", "raw_data_content": "ignored"})
    assert org.entities["webhooks"][new]["body"] == {"type": "none", "format": None}


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_post_and_put_send_no_url_parameters(api, org, method):
    item = _hook(http_method=method, url_parameters=PARAMS)
    assert refused(api, org, "webhooks", item) == _method_mismatch("url_parameters")


def test_update_checks_the_method_against_the_stored_body(api, org):
    new = create(api, "webhooks")
    before = copy.deepcopy(org.entities["webhooks"][new])
    item = {"http_method": "GET"}
    resp = api.put(f"{BASE}/webhooks/{new}", json=wrap("webhooks", item))
    assert resp.status_code == 400
    assert resp.json == _method_mismatch("body")
    assert org.entities["webhooks"][new] == before
