"""Tag mass delete (crm-oas v8.0 mass_delete_tags.yaml): `POST /settings/tags/actions/mass_delete`
schedules a job that deletes tags of one module, `GET ...?job_id=` reads the job's status.

Zoho runs the job in the background; mockcrm has no workers, so the whole request is checked
first (a refused one changes nothing), then every tag is deleted at once, as `DELETE
/settings/tags/{id}` deletes it (crm/tags.py), and the job is kept, completed, in
`org.engine["tag_mass_delete_jobs"]` (newest last, the newest JOB_LIMIT): snapshots, exports and
imports carry it.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from mockcrm.core.errors import ZohoError, field_error, param_missing
from mockcrm.core.ids import ID_LENGTH, is_digits
from mockcrm.crm import tags
from mockcrm.crm.checked import checked
from mockcrm.crm.org import Org

KEY = "mass_delete"
JOBS = "tag_mass_delete_jobs"
JOB_LIMIT = 100
SCHEDULED = "Mass delete job scheduled successfully"


def _error(code: str, message: str, api_name: str, path: str) -> ZohoError:
    """A top-level error naming one key of the body, as every example of the POST is."""
    return field_error(code, message, api_name, path, None)


# --- POST: check everything, then delete -------------------------------------------------


def mass_delete(org: Org, body: Any) -> tuple[dict[str, Any], int]:
    """The 202 answer: `{"code":"SCHEDULED","details":{"job_id"},...}` (the code Zoho's OAS
    describes and its SDK expects; the sample's `"202"` is the HTTP status)."""
    try:
        data = checked("tags", "MassDeleteSchema", body if isinstance(body, dict) else {}, "$", KEY)
    except ZohoError as error:  # the schema's errors are per-item; these are top-level
        raise replace(error, collection=None) from None
    (item,) = data[KEY]  # one module per call: the schema allows no more
    module = _module(org, item["module"], f"$.{KEY}[0].module")
    doomed = _tag_ids(org, module, item["tags"], f"$.{KEY}[0].tags")
    for tag_id in doomed:
        tags.delete_tag(org, tag_id, module)
    job = {
        "job_id": org.ids.next(),
        "status": "COMPLETED",
        "created_time": org.now(),
        "total_count": len(doomed),
        "deleted_count": len(doomed),
        "failed_count": 0,
    }
    jobs = org.engine.setdefault(JOBS, [])
    jobs.append(job)
    del jobs[:-JOB_LIMIT]
    details = {"job_id": job["job_id"]}
    return {"code": "SCHEDULED", "details": details, "message": SCHEDULED, "status": "success"}, 202


def _module(org: Org, ref: dict[str, str], path: str) -> str:
    """The module `{api_name, id}` names: both must name the same taggable module."""
    named, by_id = org.modules.get(ref["api_name"]), org.module_by_id(ref["id"])
    if named is not None and by_id is not None and named["id"] != by_id["id"]:
        due = [{"api_name": key, "json_path": f"{path}.{key}"} for key in ("id", "api_name")]
        raise ZohoError(
            "AMBIGUITY_DURING_PROCESSING", "ambiguous module identifiers", {"ambiguity_due_to": due}
        )
    if named is None:
        message = "the module name given seems to be invalid"
        raise _error("INVALID_DATA", message, "api_name", f"{path}.api_name")
    if by_id is None:
        raise _error("INVALID_DATA", "the id given seems to be invalid", "id", f"{path}.id")
    if not tags.taggable(named):
        message = "the given module is not supported for this api"
        raise _error("INVALID_DATA", message, "api_name", f"{path}.api_name")
    return named["api_name"]


def _tag_ids(org: Org, module: str, items: list[dict[str, str]], path: str) -> list[str]:
    """The distinct ids of the tags to delete, each a tag of `module` that no workflow rule's
    tag action names; the first that is not is the error (Zoho's examples)."""
    every = list(org.tags)
    ids: list[str] = []
    for i, item in enumerate(items):
        tag_id, where = item["id"], f"{path}[{i}].id"
        owner = tags.tag_owner(org, tag_id, every)
        if owner is None:
            raise _error("INVALID_DATA", "tags not found", "id", where)
        if owner != module:
            raise _error("INVALID_DATA", "one of the tags seems not found.", "id", where)
        if tags.named_by_rules(org, module, tag_id):
            raise _error("NOT_ALLOWED", "tags has been associated to features", "id", where)
        if tag_id not in ids:
            ids.append(tag_id)
    return ids


# --- GET: a job's status -----------------------------------------------------------------


def job_status(org: Org, job_id: str | None) -> dict[str, Any]:
    """`{"mass_delete":[job]}`; errors about the id come in that envelope too (Zoho's
    examples), a missing id at the top level (its OAS's REQUIRED_PARAM_MISSING)."""
    if not job_id:
        raise param_missing("job_id")
    if not is_digits(job_id) or len(job_id) > ID_LENGTH:  # not an int64 id ("null", "abc")
        raise ZohoError("INVALID_DATA", "invalid data", {"job_id": job_id}, collection=KEY)
    job = next((j for j in org.engine.get(JOBS) or [] if j["job_id"] == job_id), None)
    if job is None:
        message = "job details not found"
        raise ZohoError("INVALID_DATA", message, {"job_id": job_id}, collection=KEY)
    return {KEY: [copy.deepcopy(job)]}
