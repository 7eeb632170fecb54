"""Related notes, create and read: POST / GET /crm/v8/{module}/{record_id}/Notes[/{note_id}]
(crm-oas v8.0 related_notes.yaml) over the seeded Zylker deals. Writes and the engine are in
test_related_notes_write.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from records_helpers import (  # noqa: F401 (frozen is an autouse fixture)
    NOW_ISO,
    PATRICIA,
    VP_DEAL,
    at,
    err,
    frozen,
    unchanged,
)
from related_notes_helpers import (
    DEAL_NOTES,
    DEALS_REF,
    DETAIL_KEYS,
    OTHER_DEAL,
    OTHER_NOTES,
    RELATED_INFO,
    VP_PARENT,
    add_note,
    at_minute,
    success,
    text_missing,
    top_error,
)

LEADS_REF = {"api_name": "Leads", "id": "4876876000000002175"}


def test_post_creates_notes_under_the_path_parent_as_zohos_example_answers(api, org):
    """Zoho's CreateNote body (its Parent_Id naming the path's record), a note without
    Parent_Id, the older `$se_module` form and a module named by id only: each is stored under
    the path's deal, in v8's shape, and answered as the YAML's SuccessfulCreation."""
    body = {
        "data": [
            {"Note_Title": "Contacted", "Note_Content": "Need to do further tracking",
             "Parent_Id": {"module": DEALS_REF, "id": VP_DEAL}},
            {"Note_Content": "No parent in the body"},
            {"Note_Title": "Older", "Parent_Id": {"id": int(VP_DEAL)}, "$se_module": "Deals"},
            {"Note_Title": "By id",
             "Parent_Id": {"module": {"id": DEALS_REF["id"]}, "id": VP_DEAL}},
        ]
    }  # fmt: skip
    resp = api.post(DEAL_NOTES, json=body)
    assert resp.status_code == 201, resp.json
    items = resp.json["data"]
    ids = [item["details"]["id"] for item in items]
    assert items == [success(i, "record added", NOW_ISO) for i in ids]
    assert all(list(item["details"]) == DETAIL_KEYS for item in items)
    assert resp.headers["Content-Type"] == "application/json;charset=UTF-8"
    for note_id, raw in zip(ids, body["data"], strict=True):
        stored = org.records["Notes"][note_id]
        assert stored["Parent_Id"] == VP_PARENT and "$se_module" not in stored
        assert (stored["Note_Title"], stored["Note_Content"]) == (
            raw.get("Note_Title"), raw.get("Note_Content"),
        )  # fmt: skip
        assert stored["Created_By"] == PATRICIA and stored["Owner"]["id"] == PATRICIA["id"]


def test_a_related_note_is_the_note_post_notes_makes(api, org):
    """One write path: the same note through POST /Notes and through the related path is stored
    alike (bar its id) and reads back alike through GET /Notes/{id}."""
    note = {"Note_Title": "Call", "Note_Content": "Asked for a quote"}
    direct = api.post("/crm/v8/Notes", json={"data": [{**note, "Parent_Id": VP_PARENT}]})
    related = api.post(DEAL_NOTES, json={"data": [note]})
    assert (direct.status_code, related.status_code) == (201, 201)
    # Zoho's answers to note writes carry no $approval_state, on either path.
    assert list(direct.json["data"][0]["details"]) == DETAIL_KEYS
    first, second = (r.json["data"][0]["details"]["id"] for r in (direct, related))
    strip = lambda rec: {k: v for k, v in rec.items() if k != "id"}  # noqa: E731
    assert strip(org.records["Notes"][first]) == strip(org.records["Notes"][second])
    read = [api.get(f"/crm/v8/Notes/{i}").json["data"][0] for i in (first, second)]
    assert strip(read[0]) == strip(read[1])


def test_post_answers_207_and_400_with_zohos_expected_field_missing(api, org):
    notes_before = len(org.records.get("Notes", {}))
    resp = api.post(DEAL_NOTES, json={"data": [{"Note_Title": "Kept"}, {"Note_Title": None}]})
    assert resp.status_code == 207
    kept = resp.json["data"][0]["details"]["id"]
    assert resp.json == {"data": [success(kept, "record added", NOW_ISO), text_missing(1)]}
    assert len(org.records["Notes"]) == notes_before + 1
    before = unchanged(org)
    empty = [{"Note_Title": "", "Note_Content": None}, {"Owner": {"id": PATRICIA["id"]}}]
    resp = api.post(DEAL_NOTES, json={"data": empty})
    assert resp.status_code == 400
    assert resp.json == {"data": [text_missing(0), text_missing(1)]}
    assert unchanged(org) == before


def test_post_notes_keeps_the_same_rules(api, org):
    """POST /crm/v8/Notes now refuses a note with neither text, as notes.yaml's example does."""
    before = unchanged(org)
    resp = api.post("/crm/v8/Notes", json={"data": [{"Parent_Id": VP_PARENT}]})
    assert (resp.status_code, resp.json) == (400, {"data": [text_missing(0)]})
    assert unchanged(org) == before


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ({"Parent_Id": {"module": DEALS_REF, "id": OTHER_DEAL}},
         at("Parent_Id", "$.data[0].Parent_Id")),
        ({"Parent_Id": {"module": LEADS_REF, "id": VP_DEAL}},
         at("Parent_Id", "$.data[0].Parent_Id")),
        ({"Parent_Id": {"module": {"api_name": "Deals", "id": LEADS_REF["id"]}, "id": VP_DEAL}},
         at("Parent_Id", "$.data[0].Parent_Id")),
        ({"Parent_Id": {"module": {}, "id": VP_DEAL}}, at("Parent_Id", "$.data[0].Parent_Id")),
        ({"Parent_Id": None}, at("Parent_Id", "$.data[0].Parent_Id")),
        ({"Parent_Id": OTHER_DEAL}, at("Parent_Id", "$.data[0].Parent_Id")),
        ({"Parent_Id": {"id": VP_DEAL}, "$se_module": "Leads"},
         at("$se_module", "$.data[0].$se_module")),
    ],
    ids=["other-record", "other-module", "other-module-id", "no-module", "null", "bare-other-id",
         "se-module"],
)  # fmt: skip
def test_a_body_parent_other_than_the_paths_is_refused(api, org, note, expected):
    """The path names the parent: a body naming another is the records API's INVALID_DATA."""
    before = unchanged(org)
    resp = api.post(DEAL_NOTES, json={"data": [{"Note_Title": "Moved", **note}]})
    assert resp.status_code == 400
    message = "invalid data" if "$se_module" in note else (
        "The field value given for Parent_Id is invalid"
    )  # fmt: skip
    assert resp.json == err("INVALID_DATA", message, expected)
    assert unchanged(org) == before


def test_post_body_errors_are_the_records_apis(api, org):
    before = unchanged(org)
    resp = api.post(DEAL_NOTES, json={"data": [{"Note_Title": "x"}] * 101})
    limit = {"maximum_length": 100, "api_name": "data"}
    message = "count of records in your request exceeds the limit"
    assert (resp.status_code, resp.json) == (400, err("LIMIT_EXCEEDED", message, limit))
    resp = api.post(DEAL_NOTES, json={"data": [{"Note_Title": 5}]})
    expected = at("Note_Title", "$.data[0].Note_Title", expected_data_type="text")
    assert resp.json == err("INVALID_DATA", "invalid data", expected)
    resp = api.post(DEAL_NOTES, json={})
    missing = top_error("MANDATORY_NOT_FOUND", "required field not found", at("data", "$.data"))
    assert (resp.status_code, resp.json) == (400, missing)
    assert unchanged(org) == before


# --------------------------------------------------------------------------- reads
def test_list_is_the_parents_notes_oldest_first_with_zohos_info(api, org):
    stamps, ids = [], []
    for minute in (0, 5, 10):
        stamps.append(at_minute(org, minute))
        ids.append(add_note(api, title=f"Note {minute}"))
    add_note(api, OTHER_NOTES, title="Another deal's")
    # A note POST /Notes put on the deal is one of its notes too.
    stamps.append(at_minute(org, 15))
    body = {"data": [{"Note_Content": "Direct", "Parent_Id": {"module": DEALS_REF, "id": VP_DEAL}}]}
    ids.append(api.post("/crm/v8/Notes", json=body).json["data"][0]["details"]["id"])
    resp = api.get(DEAL_NOTES)
    assert resp.status_code == 200
    assert resp.json["info"] == {**RELATED_INFO, "count": 4}
    assert list(resp.json["info"]) == list(RELATED_INFO)  # the YAML's keys, in its order
    rows = resp.json["data"]
    assert [r["id"] for r in rows] == ids
    assert [r["Created_Time"] for r in rows] == stamps
    # Every field, as GET /Notes/{id} shows the note.
    assert rows[0] == api.get(f"/crm/v8/Notes/{ids[0]}").json["data"][0]
    assert rows[0]["Parent_Id"] == VP_PARENT and rows[0]["Note_Title"] == "Note 0"


def test_list_sorts_pages_and_projects_fields(api, org):
    ids = []
    for minute in (0, 5, 10):
        at_minute(org, minute)
        ids.append(add_note(api, title=f"Note {minute}"))
    at_minute(org, 20)
    resp = api.put(f"/crm/v8/Notes/{ids[0]}", json={"data": [{"Note_Content": "later"}]})
    assert resp.status_code == 200
    by_modified = api.get(DEAL_NOTES, query_string={"sort_by": "Modified_Time"})
    assert [r["id"] for r in by_modified.json["data"]] == [ids[1], ids[2], ids[0]]
    newest = api.get(DEAL_NOTES, query_string={"sort_by": "id", "sort_order": "desc"})
    assert [r["id"] for r in newest.json["data"]] == ids[::-1]
    titles = api.get(DEAL_NOTES, query_string={"fields": "Note_Title,Nope"})
    assert titles.json["data"] == [
        {"id": i, "Note_Title": f"Note {m}"} for i, m in zip(ids, (0, 5, 10), strict=True)
    ]
    first = api.get(DEAL_NOTES, query_string={"per_page": 2, "fields": "Note_Title"})
    info = first.json["info"]
    assert [r["id"] for r in first.json["data"]] == ids[:2]
    token = info["next_page_token"]
    assert isinstance(token, str) and token
    assert info == {**RELATED_INFO, "per_page": 2, "count": 2, "more_records": True,
                    "next_page_token": token,
                    "page_token_expiry": "2025-12-02T11:29:10+05:30"}  # fmt: skip
    second = api.get(DEAL_NOTES, query_string={"per_page": 2, "page": 2, "fields": "Note_Title"})
    assert second.json["data"] == [{"id": ids[2], "Note_Title": "Note 10"}]
    assert second.json["info"] == {**RELATED_INFO, "page": 2, "per_page": 2}
    by_token = api.get(
        DEAL_NOTES, query_string={"per_page": 2, "page_token": token, "fields": "Note_Title"}
    )
    assert by_token.json == second.json


@pytest.mark.parametrize(
    ("params", "code", "message", "details"),
    [
        ({"per_page": 201}, "INVALID_DATA", "The value provided to the param is Invalid",
         {"param_name": "per_page"}),
        ({"page": 0}, "INVALID_DATA", "The value provided to the param is Invalid",
         {"param_name": "page"}),
        ({"page": 11}, "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
         "You can only get the first 2000 records without using page_token param", {"limit": 2000}),
        ({"sort_by": "Note_Title"}, "INVALID_DATA", "invalid data",
         {"param_name": "sort_by", "supported_values": ["id", "Created_Time", "Modified_Time"]}),
        ({"sort_order": "up"}, "INVALID_DATA", "The value provided to the param is Invalid",
         {"param_name": "sort_order"}),
        ({"fields": ",".join(f"f{i}" for i in range(51))}, "LIMIT_EXCEEDED", "limit exceeded",
         {"limit": 50, "param_name": "fields"}),
        ({"page_token": "bm9wZQ=="}, "TOKEN_BOUND_DATA_MISMATCH",
         "The page_token given seems to be invalid or input param is added or altered or deleted",
         {"param_name": "page_token"}),
    ],
    ids=["per-page", "page", "discrete", "sort-by", "sort-order", "fields", "token"],
)  # fmt: skip
def test_list_parameter_errors_are_the_records_lists(api, params, code, message, details):
    add_note(api)
    resp = api.get(DEAL_NOTES, query_string=params)
    assert (resp.status_code, resp.json) == (400, top_error(code, message, details))


def test_a_records_list_page_token_is_no_related_lists(api):
    add_note(api)
    add_note(api)
    listed = api.get("/crm/v8/Notes", query_string={"fields": "Note_Title", "per_page": 1})
    token = listed.json["info"]["next_page_token"]
    resp = api.get(DEAL_NOTES, query_string={"fields": "Note_Title", "per_page": 1,
                                             "page_token": token})  # fmt: skip
    assert resp.status_code == 400 and resp.json["code"] == "TOKEN_BOUND_DATA_MISMATCH"


def test_a_record_without_notes_is_204(api):
    add_note(api, OTHER_NOTES)
    resp = api.get(DEAL_NOTES)
    assert (resp.status_code, resp.data) == (204, b"")
    assert "Content-Type" not in resp.headers


def test_get_one_note_of_the_parent(api):
    note = add_note(api, title="Mine", Note_Content="Body")
    other = add_note(api, OTHER_NOTES)
    resp = api.get(f"{DEAL_NOTES}/{note}")
    assert resp.status_code == 200
    assert resp.json == api.get(f"/crm/v8/Notes/{note}").json
    assert resp.json["data"][0]["Parent_Id"] == VP_PARENT
    some = api.get(f"{DEAL_NOTES}/{note}", query_string={"fields": "Note_Content"})
    assert some.json == {"data": [{"id": note, "Note_Content": "Body"}]}
    for unknown in (other, "4876876000099999999"):  # another record's note: none of its own
        assert api.get(f"{DEAL_NOTES}/{unknown}").status_code == 204
    resp = api.get(f"{DEAL_NOTES}/12ab")
    expected = top_error(
        "INVALID_DATA", "the id given seems to be invalid", {"resource_path_index": 3}
    )
    assert (resp.status_code, resp.json) == (400, expected)


def test_orgs_see_only_their_own_notes(api, store):
    """Every org holds the seed's deal: a note on one org's copy is no note of the other's."""
    other = store.create_org("zylker")
    elsewhere = {"X-CRM-ORG": other.id}
    resp = api.post(DEAL_NOTES, json={"data": [{"Note_Title": "Other org"}]}, headers=elsewhere)
    assert resp.status_code == 201
    note = resp.json["data"][0]["details"]["id"]
    assert note in other.records["Notes"]
    assert api.get(DEAL_NOTES).status_code == 204
    assert api.get(f"{DEAL_NOTES}/{note}").status_code == 204
    listed = api.get(DEAL_NOTES, headers=elsewhere)
    assert [r["id"] for r in listed.json["data"]] == [note]


class _Answer:
    """What the README's `requests` calls read of an answer: `.json()` and `.status_code`."""

    def __init__(self, response) -> None:
        self.status_code = response.status_code
        self._body = response.get_json(silent=True)

    def json(self):
        return self._body


class _Requests:
    """`requests`, sent to the Flask test client (the README's URLs name a local server)."""

    def __init__(self, client) -> None:
        self.client = client

    def _call(self, method: str, url: str, json=None, params=None, headers=None) -> _Answer:
        path = url.removeprefix("http://127.0.0.1:8080")
        sent = self.client.open(
            path, method=method, json=json, query_string=params, headers=headers
        )
        return _Answer(sent)

    def get(self, url: str, **kw) -> _Answer:
        return self._call("GET", url, **kw)

    def post(self, url: str, **kw) -> _Answer:
        return self._call("POST", url, **kw)

    def put(self, url: str, **kw) -> _Answer:
        return self._call("PUT", url, **kw)

    def delete(self, url: str, **kw) -> _Answer:
        return self._call("DELETE", url, **kw)


def test_readmes_related_notes_example_runs(app, org):
    """README's Python example (create, update, list, delete a deal's notes) runs as written,
    its own asserts included, and leaves the deal without notes."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("**Related notes.**", 1)[1]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    shim = _Requests(app.test_client())
    namespace = {"__name__": "readme_example", "requests": shim}
    code = compile(example.replace("import requests\n", ""), "README.md", "exec")
    exec(code, namespace)  # the example's own asserts check its answers
    assert [n["Note_Content"] for n in namespace["notes"]] == ["Quote sent"]
    deal = namespace["base"].split("/")[-2]
    assert deal in org.records["Deals"]
    assert not [n for n in org.records.get("Notes", {}).values() if n["Parent_Id"]["id"] == deal]
