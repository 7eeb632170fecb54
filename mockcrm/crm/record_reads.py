"""The Records API's reads (fact sheet core §3.1-§3.3): list a module's records and get one, in
Zoho's GET shape, with the `fields` parameter and page/per_page or page_token pagination.
Separate from records.py, which holds the writes and the RecordEvents they yield."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from mockcrm.core.clock import iso, parse_header_time, parse_iso
from mockcrm.core.errors import ZohoError, param_invalid, param_missing
from mockcrm.core.ids import is_id
from mockcrm.core.pagination import Page, id_list
from mockcrm.crm.org import Org
from mockcrm.crm.record_bodies import MAX_RECORDS
from mockcrm.crm.records import APPROVED, module_of

MAX_FIELDS = 50
DISCRETE_LIMIT = 2000
SORT_BY = ("id", "Created_Time", "Modified_Time")
# `fields` may name these keys too (fact sheet core §3.1); every mockcrm record is approved.
SPECIAL_KEYS = {"$approval_state": APPROVED}
# A related list's `info` (crm-oas v8.0 related_notes getNotes: additionalProperties false).
RELATED_INFO = (
    "page",
    "per_page",
    "count",
    "more_records",
    "next_page_token",
    "previous_page_token",
    "page_token_expiry",
)


def present(org: Org, module: str, record: dict[str, Any], names: list[str] | None = None):
    """A record in Zoho's GET shape: `id` plus every field (null when unset) or the named ones."""
    if names is None:
        names = [f["api_name"] for f in org.fields.get(module, [])]
        names += [k for k in record if k not in names and k != "id"]
    out: dict[str, Any] = {"id": record["id"]}
    for name in names:
        out[name] = record.get(name, [] if name == "Tag" else SPECIAL_KEYS.get(name))
    return out


def _field_names(org: Org, module: str, raw: str | None, required: bool) -> list[str] | None:
    """The `fields` parameter: ≤50 names; names the module does not have are left out."""
    if raw is None or not raw.strip():
        if required:
            raise param_missing("fields", "required param is missing")
        return None
    names = list(dict.fromkeys(n.strip() for n in raw.split(",") if n.strip()))
    if len(names) > MAX_FIELDS:
        raise ZohoError(
            "LIMIT_EXCEEDED", "limit exceeded", {"limit": MAX_FIELDS, "param_name": "fields"}
        )
    known = org.fields_by_name(module)  # read-only: the org's own index
    return [n for n in names if n in known or n in SPECIAL_KEYS or not known]


def list_records(
    org: Org, module: str, args: Mapping[str, str], if_modified_since: str | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]] | None:
    """A page of records; None when none changed since `If-Modified-Since` (Zoho's 304)."""
    module = module_of(org, module)
    names = _field_names(org, module, args.get("fields"), required=True)
    sort_by, sort_order = _sorting(args)
    if args.get("converted", "false") not in ("false", "true", "both"):
        raise param_invalid("converted")
    if args.get("cvid") is not None:
        # mockcrm has no custom views, so no cvid is valid.
        raise ZohoError("INVALID_DATA", "invalid data", {"param_name": "cvid"})
    since = parse_header_time(if_modified_since)
    query = [module, args.get("fields", ""), sort_by, sort_order, args.get("ids", "")]
    query += [since.isoformat()] if since else []
    page, offset = _position(org, args, query)
    records = list(org.records.get(module, {}).values())
    if args.get("ids") is not None:
        wanted = set(id_list(args.get("ids"), MAX_RECORDS))
        records = [r for r in records if r["id"] in wanted]
    if args.get("converted") == "true":
        records = []  # mockcrm records are never converted
    if since is not None:
        records = [r for r in records if parse_iso(r["Modified_Time"]) > since]
        if not records:
            return None
    return _paged(org, module, records, names, (sort_by, sort_order), page, offset, query)


def list_related(
    org: Org,
    module: str,
    records: list[dict[str, Any]],
    args: Mapping[str, str],
    key: list[str],
    sort: tuple[str, str],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A page of a record's related list (crm-oas v8.0 related_notes getNotes): `records` of
    `module`, `fields` optional (every field when absent), `sort` the list's default order;
    pages as the records list's, `info` with the related list's keys only. `key` names the list
    in its page tokens (a token of another list or parent is refused)."""
    names = _field_names(org, module, args.get("fields"), required=False)
    sort = _sorting(args, sort)
    query = [*key, args.get("fields", ""), *sort]
    page, offset = _position(org, args, query)
    data, info = _paged(org, module, records, names, sort, page, offset, query)
    return data, {name: info[name] for name in RELATED_INFO}


def _sorting(args: Mapping[str, str], default: tuple[str, str] = ("id", "desc")) -> tuple[str, str]:
    sort_by = args.get("sort_by", default[0])
    if sort_by not in SORT_BY:
        raise ZohoError(
            "INVALID_DATA",
            "invalid data",
            {"param_name": "sort_by", "supported_values": list(SORT_BY)},
        )
    sort_order = args.get("sort_order", default[1])
    if sort_order not in ("asc", "desc"):
        raise param_invalid("sort_order")
    return sort_by, sort_order


def _paged(
    org: Org,
    module: str,
    records: list[dict[str, Any]],
    names: list[str] | None,
    sort: tuple[str, str],
    page: Page,
    offset: int,
    query: list[str],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One page of `records` in Zoho's GET shape, sorted, and the records list's `info`."""
    sort_by, sort_order = sort
    records = sorted(
        records, key=lambda r: (str(r.get(sort_by) or ""), r["id"]), reverse=sort_order == "desc"
    )
    chunk = records[offset : offset + page.per_page]
    more = offset + page.per_page < len(records)
    info = {
        "call": False,
        "per_page": page.per_page,
        "next_page_token": _token(query, page.per_page, offset + page.per_page) if more else None,
        "count": len(chunk),
        "sort_by": sort_by,
        "page": page.page,
        "page_token_expiry": iso(org.clock.now() + timedelta(days=1), org.time_zone)
        if more
        else None,
        "sort_order": sort_order,
        "email": False,
        "more_records": more,
        "previous_page_token": None,
    }
    return [present(org, module, r, names) for r in chunk], info


def _position(org: Org, args: Mapping[str, str], query: list[str]) -> tuple[Page, int]:
    """page/per_page (first 2000 records), or a page_token handed out by an earlier page."""
    page = Page.from_args(args)
    token = args.get("page_token")
    if token is None:
        if page.page * page.per_page > DISCRETE_LIMIT:
            raise ZohoError(
                "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
                "You can only get the first 2000 records without using page_token param",
                {"limit": DISCRETE_LIMIT},
            )
        return page, (page.page - 1) * page.per_page
    if args.get("page") is not None:
        raise ZohoError(
            "AMBIGUITY_DURING_PROCESSING",
            "ambiguity while processing the request",
            {"ambiguity_due_to": ["page", "page_token"]},
        )
    try:
        saved = json.loads(base64.urlsafe_b64decode(token.encode()))
        per_page, offset = int(saved["per_page"]), int(saved["offset"])
        same = saved["query"] == query
    except (ValueError, KeyError, TypeError, binascii.Error):
        same = False
    if not same or per_page != page.per_page:
        raise ZohoError(
            "TOKEN_BOUND_DATA_MISMATCH",
            "The page_token given seems to be invalid or input param is added or altered "
            "or deleted",
            {"param_name": "page_token"},
        )
    return Page(offset // per_page + 1, per_page), offset


def _token(query: list[str], per_page: int, offset: int) -> str:
    text = json.dumps({"query": query, "per_page": per_page, "offset": offset})
    return base64.urlsafe_b64encode(text.encode()).decode()


def get_record(
    org: Org, module: str, record_id: str, fields_param: str | None = None
) -> dict[str, Any] | None:
    """One record, all fields (or `fields`); None (204) for a well-formed unknown id."""
    module = module_of(org, module)
    if not is_id(record_id):
        raise ZohoError(
            "INVALID_DATA", "the id given seems to be invalid", {"resource_path_index": 1}
        )
    names = _field_names(org, module, fields_param, required=False)
    record = org.records.get(module, {}).get(record_id)
    return None if record is None else present(org, module, record, names)


def unchanged_since(org: Org, module: str, record_id: str, if_modified_since: str | None) -> bool:
    """The record was last modified at or before `If-Modified-Since` (Zoho answers 304)."""
    since = parse_header_time(if_modified_since)
    record = org.records.get(module, {}).get(record_id)
    return since is not None and record is not None and parse_iso(record["Modified_Time"]) <= since


# --------------------------------------------------------------------------- record count
# GET /{module}/actions/count (crm-oas v8.0/record_count): `cvid` or one of the search params.
SEARCH_PARAMS = ("criteria", "email", "phone", "word")
# Filters mockcrm cannot apply as Zoho would (no custom views; Zoho's search matches words, not
# values): refused, each with the spec's InvalidDataInvalidParam answer.
UNCOUNTABLE = ("cvid", *SEARCH_PARAMS, "filters", "cross_filters")
LEADS_ONLY = ("converted", "approved")  # "apply only to the Leads module"
TRI_STATE = ("true", "false", "both")


def _count_refused(param: str) -> ZohoError:
    return ZohoError("INVALID_DATA", "invalid data", {"param_name": param})


def count_records(org: Org, module: str, args: Mapping[str, str]) -> dict[str, int]:
    """`{"count": N}`: how many records the module holds (Leads: `converted` / `approved` too;
    mockcrm records are never converted and always approved)."""
    known = org.modules.get(module)
    if known is None or known.get("api_supported") is False:
        # The spec's example of this API names path index 1 (the records API's others say 0).
        message = "the module name given seems to be invalid"
        raise ZohoError("INVALID_MODULE", message, {"resource_path_index": 1})
    searched = [name for name in SEARCH_PARAMS if name in args]
    if "cvid" in args and searched:
        raise ZohoError(
            "AMBIGUITY_DURING_PROCESSING",
            "Please use either Cvid or Search Params. Combination of both the params is not "
            "allowed",
            {"ambiguity_due_to": [{"param_name": "cvid"}, {"param_name": searched[0]}]},
        )
    for name in UNCOUNTABLE:
        if name in args:
            raise _count_refused(name)
    for name in LEADS_ONLY:
        if args.get(name, "both") not in TRI_STATE:
            raise _count_refused(name)
    count = len(org.records.get(module, {}))
    if module == "Leads" and (args.get("converted") == "true" or args.get("approved") == "false"):
        count = 0
    return {"count": count}
