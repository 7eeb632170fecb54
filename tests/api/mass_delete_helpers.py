"""What the tag mass delete tests share (test_tag_mass_delete.py, test_tag_mass_delete_refused.py):
the URL, seed ids and the request and answer shapes."""

from __future__ import annotations

from tags_helpers import DEALS, ID, NOW, TAGS  # noqa: F401 (DEALS: re-exported for the tests)

URL = f"{TAGS}/actions/mass_delete"
ADMIN = "/__admin/orgs/default"
JSON = "application/json;charset=UTF-8"
DEALS_ID, LEADS_ID, NOTES_ID = "4876876000000002181", "4876876000000002175", "4876876000000002197"
DEALS_REF = {"api_name": "Deals", "id": DEALS_ID}
# Seed Deals tags no workflow rule names (the seed's other tags are in rules' tag actions).
LOST_PRICING = "4876876000016794071"  # on one Deal, PINECREST
REENGAGE = "4876876000016794075"  # on no record
PINECREST = "4876876000005040008"
LEADS_HOT = "4876876000011037084"
NOWHERE = "4876876000099999999"
# The seed rules whose add_tags / remove_tags actions name Priority.
PRIORITY_RULES = ("4876876000012100124", "4876876000012100092")
RULES = "/crm/v8/settings/automation/workflow_rules"
# The first tag of a request, as its errors name it.
TAG_PATH = {"api_name": "id", "json_path": "$.mass_delete[0].tags[0].id"}


def body(*tag_ids, module=None) -> dict:
    module = DEALS_REF if module is None else module
    return {"mass_delete": [{"module": module, "tags": [{"id": t} for t in tag_ids]}]}


def status(api, job_id):
    return api.get(URL, query_string={"job_id": job_id})


def settled_state(api, org) -> dict:
    """The org's state once the engine's first clock scan (run by any first call) is behind."""
    assert api.get("/crm/v8/org").status_code == 200
    return org.to_state()


def tag_ids(api, module: str = "Deals") -> list[str]:
    return [t["id"] for t in api.get(TAGS, query_string={"module": module}).json["tags"]]


def scheduled(resp) -> str:
    """The job id of a 202 answer, checked whole."""
    assert resp.status_code == 202, resp.json
    assert resp.headers["Content-Type"] == JSON
    job_id = resp.json["details"]["job_id"]
    assert ID.fullmatch(job_id)
    # Code SCHEDULED: what the OAS describes and the SDK expects (the sample's "202" is the
    # HTTP status); message and shape as Zoho's 202 sample.
    assert resp.json == {
        "code": "SCHEDULED",
        "details": {"job_id": job_id},
        "message": "Mass delete job scheduled successfully",
        "status": "success",
    }
    return job_id


def completed(job_id: str, count: int) -> dict:
    return {
        "mass_delete": [
            {
                "job_id": job_id,
                "status": "COMPLETED",
                "created_time": NOW,
                "total_count": count,
                "deleted_count": count,
                "failed_count": 0,
            }
        ]
    }
