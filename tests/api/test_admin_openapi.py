"""GET /__admin/openapi.json: generated from the admin route table, a valid OpenAPI 3.1 document
whose body schemas accept what the routes accept and reject what they refuse."""

from __future__ import annotations

import jsonschema
from openapi_spec_validator import validate

from mockcrm.api.admin import PREFIX, ROUTES


def _spec(api) -> dict:
    resp = api.get("/__admin/openapi.json")
    assert resp.status_code == 200
    return resp.json


def test_document_is_valid_openapi_and_lists_every_route(api):
    spec = _spec(api)
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    listed = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    expected = {
        (method, PREFIX + rule.replace("<", "{").replace(">", "}")) for method, rule, _ in ROUTES
    }
    assert listed == expected and len(listed) == len(ROUTES)
    org = spec["paths"]["/__admin/orgs/{org_id}/reset"]["post"]
    assert org["parameters"] == [
        {"name": "org_id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]


def test_body_schemas_match_what_the_routes_accept(api):
    spec = _spec(api)

    def body(path: str, method: str = "post") -> dict:
        return spec["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]

    orgs = body("/__admin/orgs")
    assert orgs["properties"]["seed"]["enum"] == ["zylker", "empty"]
    jsonschema.validate({"seed": "empty", "fake_rules": 3}, orgs)
    for bad in ({"seed": "acme"}, {"fake_rules": -1}, {"fake_rules": "x"}):
        try:
            jsonschema.validate(bad, orgs)
        except jsonschema.ValidationError:
            assert api.post("/__admin/orgs", json=bad).status_code == 400
        else:
            raise AssertionError(f"{bad} should not validate")
    faults = body("/__admin/faults")
    assert faults["properties"]["status"]["minimum"] == 400
    assert faults["properties"]["status"]["maximum"] == 599
    assert "requestBody" not in spec["paths"]["/__admin/health"]["get"]
    assert "requestBody" not in spec["paths"]["/__admin/openapi.json"]["get"]
    assert "org_id" in body("/__admin/tokens")["properties"]  # POST /tokens takes a TokenSpec
    assert body("/__admin/clock", "put")["properties"]["now"]["format"] == "date-time"
