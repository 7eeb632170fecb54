"""POST and GET /crm/v8/settings/tags/actions/mass_delete (Zoho's crm-oas v8.0
mass_delete_tags.yaml; its SDK's mass_delete_tags package): what a mass delete does (as DELETE
/settings/tags/{id}), the job's status, where the jobs are kept, and the OAuth scopes. Refused
requests: test_tag_mass_delete_refused.py.

Zoho's JSON spec of this family is not among the reference files tests/zoho_oas copies, so the
successful answers are compared whole instead of validated against it."""

from __future__ import annotations

import pytest
from mass_delete_helpers import (
    ADMIN,
    DEALS_ID,
    JSON,
    LEADS_ID,
    LOST_PRICING,
    NOWHERE,
    PINECREST,
    PRIORITY_RULES,
    REENGAGE,
    RULES,
    TAG_PATH,
    URL,
    body,
    completed,
    scheduled,
    status,
    tag_ids,
)
from tags_helpers import (  # noqa: F401 (frozen_clock is an autouse fixture)
    DEALS,
    ID,
    NOW,
    PRIORITY,
    TAGS,
    error,
    frozen_clock,
    rule_tags,
)

from mockcrm.core.store import Token
from mockcrm.crm import tag_mass_delete

# --- success -------------------------------------------------------------------------------


def test_mass_delete_deletes_the_tags_and_the_job_reads_completed(api, org):
    modified = org.records["Deals"][PINECREST]["Modified_Time"]
    job_id = scheduled(api.post(URL, json=body(LOST_PRICING, REENGAGE)))
    # Deleted at once, as DELETE /settings/tags/{id} deletes: gone from the module and records.
    assert LOST_PRICING not in tag_ids(api) and REENGAGE not in tag_ids(api)
    assert org.tag("Deals", tag_id=LOST_PRICING) is None
    assert org.records["Deals"][PINECREST]["Tag"] == []
    assert org.records["Deals"][PINECREST]["Modified_Time"] == modified
    count = api.get(f"{TAGS}/{LOST_PRICING}/actions/records_count", query_string=DEALS)
    assert count.json == error("TAG_ID_NOT_FOUND", "invalid tag id")
    resp = status(api, job_id)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == JSON
    assert resp.json == completed(job_id, 2)
    # A deleted tag is unknown to a second mass delete.
    again = api.post(URL, json=body(REENGAGE))
    assert again.status_code == 400
    assert again.json == error("INVALID_DATA", "tags not found", TAG_PATH)


def test_zoho_sample_request_shape_and_sdk_numbers(api, org):
    """The request sample's `name` beside `id` is accepted (and not matched); the SDK sends ids
    as numbers; an id listed twice is deleted and counted once."""
    sample = body(LOST_PRICING)
    sample["mass_delete"][0]["tags"][0]["name"] = "Priority"
    job_id = scheduled(api.post(URL, json=sample))
    assert status(api, job_id).json == completed(job_id, 1)
    numbers = {
        "mass_delete": [
            {
                "module": {"api_name": "Deals", "id": int(DEALS_ID)},
                "tags": [{"id": int(REENGAGE)}, {"id": REENGAGE}],
            }
        ]
    }
    job_id = scheduled(api.post(URL, json=numbers))
    assert status(api, job_id).json == completed(job_id, 1)
    assert org.tag("Deals", tag_id=REENGAGE) is None


def test_new_tags_on_records_of_another_module(api, org):
    names = [{"name": "Mass A"}, {"name": "Mass B"}, {"name": "Kept"}]
    created = api.post(TAGS, query_string={"module": "Leads"}, json={"tags": names})
    a, b, kept = (t["details"]["id"] for t in created.json["tags"])
    lead = next(iter(org.records["Leads"]))
    had = [t["id"] for t in org.records["Leads"][lead].get("Tag") or []]
    tagged = api.post(
        f"/crm/v8/Leads/{lead}/actions/add_tags", json={"tags": [{"id": a}, {"id": kept}]}
    )
    assert tagged.status_code == 200
    leads = {"api_name": "Leads", "id": LEADS_ID}
    job_id = scheduled(api.post(URL, json=body(b, a, module=leads)))
    assert status(api, job_id).json == completed(job_id, 2)
    assert [t["id"] for t in org.records["Leads"][lead]["Tag"]] == [*had, kept]
    assert {a, b} & set(tag_ids(api, "Leads")) == set() and kept in tag_ids(api, "Leads")


def test_a_tag_can_be_mass_deleted_once_no_rule_names_it(api, org):
    refused = api.post(URL, json=body(PRIORITY))
    assert refused.status_code == 400
    for rule_id in PRIORITY_RULES:
        assert api.delete(f"{RULES}/{rule_id}").status_code == 200
    assert not [r for r in org.rules if PRIORITY in str(rule_tags(org, r))]
    job_id = scheduled(api.post(URL, json=body(PRIORITY)))
    assert status(api, job_id).json == completed(job_id, 1)
    assert org.tag("Deals", tag_id=PRIORITY) is None


# --- the status of a job -------------------------------------------------------------------


def job_error(message: str, job_id: str) -> dict:
    return {"mass_delete": [error("INVALID_DATA", message, {"job_id": job_id})]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Zoho's two examples of getMassDeleteTagsStatus.
        ({"job_id": "null"}, job_error("invalid data", "null")),
        (
            {"job_id": "999999999999999999"},
            job_error("job details not found", "999999999999999999"),
        ),
        # Not an int64 id: "invalid data", as "null" is.
        ({"job_id": "abc"}, job_error("invalid data", "abc")),
        ({"job_id": "-1"}, job_error("invalid data", "-1")),
        ({"job_id": "²"}, job_error("invalid data", "²")),
        ({"job_id": "9" * 20}, job_error("invalid data", "9" * 20)),
        ({"job_id": NOWHERE}, job_error("job details not found", NOWHERE)),
        # No job_id: the OAS's REQUIRED_PARAM_MISSING.
        (
            {},
            error(
                "REQUIRED_PARAM_MISSING",
                "One of the expected parameter is missing",
                {"param_name": "job_id"},
            ),
        ),
        (
            {"job_id": ""},
            error(
                "REQUIRED_PARAM_MISSING",
                "One of the expected parameter is missing",
                {"param_name": "job_id"},
            ),
        ),
    ],
)
def test_status_errors(api, query, expected):
    resp = api.get(URL, query_string=query)
    assert resp.status_code == 400
    assert resp.headers["Content-Type"] == JSON
    assert resp.json == expected


def test_only_the_newest_hundred_jobs_are_kept(api, org):
    old = [
        {**completed(f"48768760000{n:08d}", 1)["mass_delete"][0]}
        for n in range(tag_mass_delete.JOB_LIMIT)
    ]
    org.engine[tag_mass_delete.JOBS] = list(old)
    job_id = scheduled(api.post(URL, json=body(REENGAGE)))
    jobs = org.engine[tag_mass_delete.JOBS]
    assert len(jobs) == 100 and jobs[-1]["job_id"] == job_id
    assert status(api, old[0]["job_id"]).json == job_error(
        "job details not found", old[0]["job_id"]
    )
    assert status(api, old[1]["job_id"]).json == completed(old[1]["job_id"], 1)
    assert status(api, job_id).json == completed(job_id, 1)


def test_jobs_travel_with_snapshots_and_state(api, client, org):
    job_id = scheduled(api.post(URL, json=body(REENGAGE)))
    assert client.post(f"{ADMIN}/snapshots", json={"name": "after"}).status_code == 201
    exported = client.get(f"{ADMIN}/state").json
    assert client.post(f"{ADMIN}/reset").status_code == 200
    assert status(api, job_id).json == job_error("job details not found", job_id)
    assert REENGAGE in tag_ids(api)
    assert client.post(f"{ADMIN}/snapshots/after/restore").status_code == 200
    assert status(api, job_id).json == completed(job_id, 1)
    assert client.post(f"{ADMIN}/reset").status_code == 200
    assert client.put(f"{ADMIN}/state", json=exported).status_code == 200
    assert status(api, job_id).json == completed(job_id, 1)
    assert REENGAGE not in tag_ids(api)


@pytest.mark.parametrize("jobs", [{"1": 2}, [1], [{"status": "COMPLETED"}], "jobs"])
def test_a_state_with_broken_jobs_is_refused(api, client, org, jobs):
    state = client.get(f"{ADMIN}/state").json
    before = org.to_state()
    state["engine"][tag_mass_delete.JOBS] = jobs
    resp = client.put(f"{ADMIN}/state", json=state)
    assert resp.status_code == 400
    assert resp.json["details"] == {"api_name": "state", "json_path": "$"}
    assert org.to_state() == before
    assert status(api, NOWHERE).status_code == 400


# --- scopes --------------------------------------------------------------------------------

TAG_SCOPES = {f"ZohoCRM.settings.tags.{op}" for op in ("READ", "CREATE", "UPDATE", "DELETE")}


@pytest.mark.parametrize(
    ("method", "needed", "ok"),
    [("POST", "ZohoCRM.settings.tags.DELETE", 202), ("GET", "ZohoCRM.settings.tags.READ", 200)],
)
def test_scopes_of_mass_delete(api, store, org, method, needed, ok):
    job_id = scheduled(api.post(URL, json=body(LOST_PRICING)))
    store.tokens["no"] = Token("no", org.id, frozenset(TAG_SCOPES - {needed}))
    store.tokens["ok"] = Token("ok", org.id, frozenset({needed}))
    store.tokens["all"] = Token("all", org.id, frozenset({"ZohoCRM.settings.tags.ALL"}))
    before = org.to_state()

    def send(token: str, tag_id: str = REENGAGE):
        headers = {"Authorization": f"Zoho-oauthtoken {token}"}
        if method == "GET":
            return api.client.get(URL, query_string={"job_id": job_id}, headers=headers)
        return api.client.post(URL, json=body(tag_id), headers=headers)

    refused = send("no")
    # Zoho's OAuthScopeMismatch examples of both operations: the call's method and URL.
    assert refused.status_code == 401
    assert refused.json == error(
        "OAUTH_SCOPE_MISMATCH",
        "invalid oauth scope to access this URL",
        {"method": method, "url": URL},
    )
    assert org.to_state() == before
    assert send("ok").status_code == ok
    created = api.post(TAGS, query_string=DEALS, json={"tags": [{"name": "For ALL"}]})
    assert send("all", created.json["tags"][0]["details"]["id"]).status_code == ok
