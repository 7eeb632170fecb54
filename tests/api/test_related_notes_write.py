"""Related notes, update, delete and the engine: PUT / DELETE
/crm/v8/{module}/{record_id}/Notes[/{note_id}] (crm-oas v8.0 related_notes.yaml), the parent
path's errors on every route, and the parent's rules triggered by Notes."""

from __future__ import annotations

import pytest
from records_helpers import (  # noqa: F401 (frozen is an autouse fixture)
    NOW_ISO,
    VP_DEAL,
    at,
    err,
    frozen,
    unchanged,
)
from related_notes_helpers import (
    COMPETITOR_MAIL,
    DEAL_NOTES,
    DEALS_REF,
    NOTE_RULE,
    OTHER_NOTES,
    add_note,
    at_minute,
    note_rule,
    runs,
    success,
    text_missing,
    top_error,
)

NOWHERE = "4876876000099999999"
ID_INVALID = "the id given seems to be invalid"


def test_bulk_put_updates_the_parents_notes(api, org):
    first, second = add_note(api, title="One"), add_note(api, title="Two")
    later = at_minute(org, 30)
    body = {"data": [
        {"id": first, "Note_Title": "Follow-up Completed",
         "Note_Content": "Customer requested additional information"},
        {"id": int(second), "Note_Content": "Discussed project requirements"},
    ]}  # fmt: skip
    resp = api.put(DEAL_NOTES, json=body)
    assert resp.status_code == 200
    assert resp.json == {"data": [success(i, "record updated", NOW_ISO, later)
                                  for i in (first, second)]}  # fmt: skip
    notes = org.records["Notes"]
    assert (notes[first]["Note_Title"], notes[second]["Note_Title"]) == (
        "Follow-up Completed",
        "Two",
    )
    assert notes[second]["Note_Content"] == "Discussed project requirements"
    assert notes[first]["Parent_Id"]["id"] == VP_DEAL


def test_bulk_put_answers_per_note(api, org):
    mine, theirs = add_note(api, title="Mine"), add_note(api, OTHER_NOTES, title="Theirs")
    body = {"data": [
        {"id": mine, "Note_Title": "Changed"},
        {"id": mine, "Note_Title": None},  # neither text
        {"Note_Title": "No id"},
        {"id": theirs, "Note_Title": "Hijacked"},  # another deal's note: not one of this deal's
        {"id": NOWHERE, "Note_Title": "Unknown"},
        {"id": mine, "Parent_Id": {"module": DEALS_REF, "id": "4876876000005040002"},
         "Note_Title": "Moved"},
    ]}  # fmt: skip
    resp = api.put(DEAL_NOTES, json=body)
    assert resp.status_code == 207
    invalid_id = {"code": "INVALID_DATA", "message": ID_INVALID, "status": "error"}
    assert resp.json["data"][1:] == [
        text_missing(1),
        err("MANDATORY_NOT_FOUND", "required field not found", at("id", "$.data[2].id"), False),
        {**invalid_id, "details": at("id", "$.data[3].id")},
        {**invalid_id, "details": at("id", "$.data[4].id")},
        err("INVALID_DATA", "The field value given for Parent_Id is invalid",
            at("Parent_Id", "$.data[5].Parent_Id"), False),
    ]  # fmt: skip
    assert resp.json["data"][0]["code"] == "SUCCESS"
    notes = org.records["Notes"]
    assert (notes[mine]["Note_Title"], notes[theirs]["Note_Title"]) == ("Changed", "Theirs")
    assert notes[mine]["Parent_Id"]["id"] == VP_DEAL
    before = unchanged(org)
    resp = api.put(DEAL_NOTES, json={"data": [{"id": theirs, "Note_Title": "Hijacked"}]})
    assert resp.status_code == 400
    assert resp.json == {"data": [{**invalid_id, "details": at("id", "$.data[0].id")}]}
    assert unchanged(org) == before


def test_put_one_note(api, org):
    note, theirs = add_note(api), add_note(api, OTHER_NOTES)
    later = at_minute(org, 5)
    same_parent = {"Parent_Id": {"module": DEALS_REF, "id": VP_DEAL}}
    resp = api.put(f"{DEAL_NOTES}/{note}", json={"data": [{"Note_Title": "New", **same_parent}]})
    assert (resp.status_code, resp.json) == (
        200, {"data": [success(note, "record updated", NOW_ISO, later)]},
    )  # fmt: skip
    before = unchanged(org)
    for other in (theirs, NOWHERE, "12ab"):
        resp = api.put(f"{DEAL_NOTES}/{other}", json={"data": [{"Note_Title": "x"}]})
        assert (resp.status_code, resp.json) == (
            400, err("INVALID_DATA", ID_INVALID, {"resource_path_index": 3}),
        )  # fmt: skip
    resp = api.put(f"{DEAL_NOTES}/{note}", json={"data": [{"Note_Content": ""}]})
    assert (resp.status_code, resp.json) == (400, {"data": [text_missing(0)]})
    resp = api.put(f"{DEAL_NOTES}/{note}", json={"data": [{"Note_Title": "a"}] * 2})
    message = "count of records in your request exceeds the limit"
    limit = {"maximum_length": 1, "api_name": "data"}
    assert (resp.status_code, resp.json) == (400, err("LIMIT_EXCEEDED", message, limit))
    resp = api.put(
        f"{DEAL_NOTES}/{note}", json={"data": [{"Note_Title": "b"}]},
        headers={"If-Unmodified-Since": NOW_ISO},
    )  # fmt: skip
    message = "record updated time has already passed if-unmodified-since time"
    assert (resp.status_code, resp.json) == (412, top_error("ALREADY_MODIFIED", message, {}))
    assert unchanged(org) == before


def test_bulk_delete_removes_only_the_parents_notes(api, org):
    first, second = add_note(api), add_note(api)
    theirs = add_note(api, OTHER_NOTES)
    resp = api.delete(DEAL_NOTES, query_string={"ids": f"{first},{theirs},{NOWHERE}"})
    assert resp.status_code == 207
    assert resp.json == {"data": [
        {"code": "SUCCESS", "details": {"id": first}, "message": "record deleted",
         "status": "success"},
        *[{"code": "INVALID_DATA", "details": {"id": i}, "message": "record not deleted",
           "status": "error"} for i in (theirs, NOWHERE)],
    ]}  # fmt: skip
    assert first not in org.records["Notes"] and theirs in org.records["Notes"]
    resp = api.delete(DEAL_NOTES, query_string={"ids": second})
    assert (resp.status_code, resp.json["data"][0]["details"]) == (200, {"id": second})
    before = unchanged(org)
    resp = api.delete(DEAL_NOTES, query_string={"ids": theirs})
    assert resp.status_code == 400 and resp.json["data"][0]["message"] == "record not deleted"
    resp = api.delete(DEAL_NOTES)
    missing = top_error(
        "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", {"param_name": "ids"}
    )
    assert (resp.status_code, resp.json) == (400, missing)
    assert unchanged(org) == before


def test_delete_one_note(api, org):
    note, theirs = add_note(api), add_note(api, OTHER_NOTES)
    before = unchanged(org)
    for other, message in ((theirs, "record not deleted"), (NOWHERE, "record not deleted"),
                           ("12ab", "invalid record id")):  # fmt: skip
        resp = api.delete(f"{DEAL_NOTES}/{other}")
        expected = top_error("INVALID_DATA", message, {"resource_path_index": 3})
        assert (resp.status_code, resp.json) == (400, expected)
    assert unchanged(org) == before
    resp = api.delete(f"{DEAL_NOTES}/{note}")
    assert (resp.status_code, resp.json) == (200, {"data": [
        {"code": "SUCCESS", "details": {"id": note}, "message": "record deleted",
         "status": "success"}]})  # fmt: skip
    assert note not in org.records["Notes"]


# --------------------------------------------------------------------------- the parent path
ROUTES = [
    ("GET", "", None),
    ("GET", f"/{NOWHERE}", None),
    ("POST", "", {"data": [{"Note_Title": "x"}]}),
    ("PUT", "", {"data": [{"id": NOWHERE, "Note_Title": "x"}]}),
    ("PUT", f"/{NOWHERE}", {"data": [{"Note_Title": "x"}]}),
    ("DELETE", f"?ids={NOWHERE}", None),
    ("DELETE", f"/{NOWHERE}", None),
]
PARENTS = [
    ("Nope", VP_DEAL, "INVALID_MODULE", "the module name given seems to be invalid", 0),
    ("Campaigns", VP_DEAL, "INVALID_DATA", "the related name given seems to be invalid", 2),
    ("Notes", VP_DEAL, "INVALID_DATA", "the related name given seems to be invalid", 2),
    ("Deals", NOWHERE, "INVALID_DATA", "the related id given seems to be invalid", 1),
    ("Deals", "12ab", "INVALID_DATA", "the related id given seems to be invalid", 1),
    ("Leads", VP_DEAL, "INVALID_DATA", "the related id given seems to be invalid", 1),
]


@pytest.mark.parametrize(("method", "tail", "body"), ROUTES, ids=[f"{m}{t}" for m, t, _ in ROUTES])
@pytest.mark.parametrize(
    ("module", "record", "code", "message", "index"),
    PARENTS,
    ids=[f"{p[0]}-{p[1][-4:]}" for p in PARENTS],
)
def test_the_parent_must_exist_and_take_notes(api, org, method, tail, body, module, record, code,
                                              message, index):  # fmt: skip
    """An unknown module, a module whose records take no notes (Campaigns has no Parent_Id
    lookup in the org's metadata; a note is no parent), an unknown record: Zoho's related-list
    errors at that path segment, on every route, and nothing changes."""
    before = unchanged(org)
    resp = api.call(method, f"/crm/v8/{module}/{record}/Notes{tail}", json=body)
    expected = top_error(code, message, {"resource_path_index": index})
    assert (resp.status_code, resp.json) == (400, expected)
    assert unchanged(org) == before


@pytest.mark.parametrize(
    ("method", "path"),
    [("PATCH", DEAL_NOTES), ("POST", f"{DEAL_NOTES}/{NOWHERE}"), ("PATCH", f"{DEAL_NOTES}/1")],
)
def test_a_wrong_method_is_zohos_invalid_request_method(api, method, path):
    resp = api.call(method, path, json={"data": [{"Note_Title": "x"}]})
    message = "The http request method type is not a valid one"
    assert (resp.status_code, resp.json) == (400, top_error("INVALID_REQUEST_METHOD", message, {}))


def test_a_note_on_another_modules_record(api, org):
    """Any module the Notes Parent_Id lookup names takes notes: a lead's."""
    lead = "4876876000005030001"
    resp = api.post(f"/crm/v8/Leads/{lead}/Notes", json={"data": [{"Note_Title": "Called"}]})
    assert resp.status_code == 201
    note = org.records["Notes"][resp.json["data"][0]["details"]["id"]]
    leads = {"api_name": "Leads", "id": "4876876000000002175"}
    assert note["Parent_Id"] == {"module": leads, "name": "Kavya Menon", "id": lead}
    assert api.get(f"/crm/v8/Leads/{lead}/Notes").json["data"][0]["id"] == note["id"]


# --------------------------------------------------------------------------- the engine
def test_a_related_note_fires_the_parents_note_rules_as_post_notes_does(api, org):
    """The seed's "Deal Note Added - Notify Owner" runs for the deal, naming the note, and
    e-mails as it does for POST /Notes; `"trigger": []` fires nothing, as on the records API."""
    direct = api.post("/crm/v8/Notes", json={"data": [{
        "Note_Title": "Direct", "Parent_Id": {"module": DEALS_REF, "id": VP_DEAL}}]})  # fmt: skip
    first = direct.json["data"][0]["details"]["id"]
    note = add_note(api)
    (by_post, by_related) = runs(org, NOTE_RULE, VP_DEAL)
    assert by_related["related_record"] == {"module": "Notes", "id": note}
    assert by_related["event"] == "create" and by_related["record"] == {
        "module": "Deals", "id": VP_DEAL}  # fmt: skip
    assert by_post["related_record"] == {"module": "Notes", "id": first}
    same = ("event", "scheduled", "rule", "record", "condition")
    assert {k: by_post[k] for k in same} == {k: by_related[k] for k in same}
    mails = [m for m in org.outbox if m["rule"]["id"] == NOTE_RULE]
    assert len(mails) == 2 and mails[0]["to"] == mails[1]["to"]
    resp = api.post(DEAL_NOTES, json={"data": [{"Note_Title": "Quiet"}], "trigger": []})
    assert resp.status_code == 201 and len(runs(org, NOTE_RULE, VP_DEAL)) == 2


def test_related_edits_and_deletes_fire_the_parents_note_rules(api, org):
    tag = {"type": "add_tags", "details": {"tags": [{"name": "Finance Review"}]}}
    edited = note_rule(api, "Note edited", "edit", tag, repeat=True)
    mail = {"type": "email_notifications", "id": COMPETITOR_MAIL}
    deleted = note_rule(api, "Note deleted", "delete", mail)
    first, second, third = add_note(api), add_note(api), add_note(api)
    assert api.put(f"{DEAL_NOTES}/{first}", json={"data": [{"Note_Title": "x"}]}).status_code == 200
    resp = api.put(DEAL_NOTES, json={"data": [{"id": second, "Note_Title": "y"}]})
    assert resp.status_code == 200
    assert [r["related_record"]["id"] for r in runs(org, edited, VP_DEAL)] == [first, second]
    assert api.delete(f"{DEAL_NOTES}/{first}").status_code == 200
    assert api.delete(DEAL_NOTES, query_string={"ids": second}).status_code == 200
    quiet = api.delete(DEAL_NOTES, query_string={"ids": third, "wf_trigger": "false"})
    assert quiet.status_code == 200
    fired = runs(org, deleted, VP_DEAL)
    assert [(r["event"], r["related_record"]["id"]) for r in fired] == [
        ("delete", first), ("delete", second)]  # fmt: skip
    assert "Finance Review" in [t["name"] for t in org.records["Deals"][VP_DEAL]["Tag"]]
    mails = [m["record"]["id"] for m in org.outbox if m["rule"]["id"] == deleted]
    assert mails == [VP_DEAL, VP_DEAL]
