"""GET modules, fields, users and org: the metadata clients (and the official SDK) read first."""

from __future__ import annotations

import pytest
from oas import validate_response

from mockcrm.core.store import Token

MODULES = "/crm/v8/settings/modules"
FIELDS = "/crm/v8/settings/fields"
USERS = "/crm/v8/users"
ORG = "/crm/v8/org"
JSON_TYPE = "application/json;charset=UTF-8"
PATRICIA = "4876876000000327001"
DEALS_ID = "4876876000000002181"
STAGE_ID = "4876876000000002565"
ZOHO_STAGES = [
    "Qualification",
    "Needs Analysis",
    "Value Proposition",
    "Identify Decision Makers",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Closed Won",
    "Closed Lost",
    "Closed-Lost to Competition",
]


def error(code: str, message: str, details: dict | None = None) -> dict:
    return {"code": code, "details": details or {}, "message": message, "status": "error"}


# --- modules -----------------------------------------------------------------------------


def test_modules_list_validates_and_carries_what_the_sdk_reads(api, org):
    resp = api.get(MODULES)
    assert resp.status_code == 200 and resp.headers["Content-Type"] == JSON_TYPE
    validate_response("modules", "getModules", 200, resp.json)
    modules = resp.json["modules"]
    assert [m["api_name"] for m in modules] == list(org.modules)  # menu order
    deals = next(m for m in modules if m["api_name"] == "Deals")
    assert deals["id"] == DEALS_ID and deals["api_supported"] is True
    assert deals["generated_type"] == "default" and deals["singular_label"] == "Deal"
    events = next(m for m in modules if m["api_name"] == "Events")
    assert events["module_name"] == "Meetings" and events["plural_label"] == "Meetings"
    assert deals["profiles"] == [
        {"name": "Administrator", "id": "4876876000000026011"},
        {"name": "Standard", "id": "4876876000000026014"},
    ]
    assert deals["profile_count"] == 2
    assert deals["modified_by"] == {"name": "Zayyan Kalita", "id": "4876876000000298001"}
    leads = next(m for m in modules if m["api_name"] == "Leads")
    assert leads["convertable"] is True and deals["convertable"] is False


def test_modules_status_filter(api):
    resp = api.get(MODULES, query_string={"status": "system_hidden"})
    assert resp.status_code == 200
    validate_response("modules", "getModules", 200, resp.json)
    notes = resp.json["modules"]
    assert [m["api_name"] for m in notes] == ["Notes"] and notes[0]["show_as_tab"] is False
    both = api.get(MODULES, query_string={"status": "visible,system_hidden"}).json["modules"]
    assert len(both) == 18
    assert api.get(MODULES, query_string={"status": "user_hidden"}).status_code == 204


def test_modules_bad_status_is_zoho_invalid_data(api):
    resp = api.get(MODULES, query_string={"status": "visible,hidden"})
    assert resp.status_code == 400
    assert resp.json == error(
        "INVALID_DATA",
        "The status given is invalid.",
        {
            "index": 1,
            "supported_values": [
                "visible",
                "user_hidden",
                "system_hidden",
                "scheduled_for_deletion",
            ],
            "param_name": "status",
        },
    )


@pytest.mark.parametrize("feature", ["", "functions"])
def test_modules_feature_name_is_checked_not_applied(api, feature):
    """modules.json: an empty feature_name is a 400 with empty details; mockcrm models no
    features, so a named one filters nothing."""
    resp = api.get(MODULES, query_string={"feature_name": feature})
    if feature:
        assert resp.status_code == 200 and len(resp.json["modules"]) == 18
        return
    assert resp.status_code == 400
    validate_response("modules", "getModules", 400, resp.json)
    assert resp.json == error("INVALID_DATA", "invalid data")


def test_modules_if_modified_since(api):
    # The SDK refreshes its field cache with an ISO If-Modified-Since; unchanged -> 304.
    later = api.get(MODULES, headers={"If-Modified-Since": "2025-01-01T00:00:00+05:30"})
    assert later.status_code == 304 and later.data == b""
    earlier = api.get(MODULES, headers={"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})
    assert earlier.status_code == 200 and len(earlier.json["modules"]) == 18
    junk = api.get(MODULES, headers={"If-Modified-Since": "yesterday"})
    assert junk.status_code == 200


def test_users_if_modified_since(api, org):
    """Only users modified after the time; none is Zoho's 304 with no body."""
    times = sorted({u["Modified_Time"] for u in org.users})
    later = api.get("/crm/v8/users", headers={"If-Modified-Since": times[-1]})
    assert later.status_code == 304 and later.data == b""
    newer = {u["id"] for u in org.users if u["Modified_Time"] > times[0]}
    resp = api.get("/crm/v8/users", headers={"If-Modified-Since": times[0]})
    assert resp.status_code == 200
    assert {u["id"] for u in resp.json["users"]} == newer and newer
    validate_response("users", "getUsers", 200, resp.json)


@pytest.mark.parametrize("identifier", ["Deals", DEALS_ID])
def test_module_by_api_name_or_id(api, identifier):
    resp = api.get(f"{MODULES}/{identifier}")
    assert resp.status_code == 200
    validate_response("modules", "getModuleByApiName", 200, resp.json)
    assert [m["api_name"] for m in resp.json["modules"]] == ["Deals"]


@pytest.mark.parametrize("identifier", ["Deal", "deals", "4876876000000009999"])
def test_unknown_module_by_name(api, identifier):
    resp = api.get(f"{MODULES}/{identifier}")
    assert resp.status_code == 400
    assert resp.json == error(
        "INVALID_MODULE",
        "the module name given seems to be invalid",
        {"resource_path_index": 2},
    )


# --- fields ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "module", ["Leads", "Contacts", "Accounts", "Deals", "Tasks", "Calls", "Events", "Notes"]
)
def test_fields_validate_for_every_seeded_module(api, org, module):
    resp = api.get(FIELDS, query_string={"module": module})
    assert resp.status_code == 200
    validate_response("fields", "getFields", 200, resp.json)
    got = [(f["api_name"], f["id"], f["data_type"], f["json_type"]) for f in resp.json["fields"]]
    seeded = [(f["api_name"], f["id"], f["data_type"], f["json_type"]) for f in org.fields[module]]
    assert got == seeded


def test_deals_fields_type_record_values(api):
    fields = {
        f["api_name"]: f for f in api.get(FIELDS, query_string={"module": "Deals"}).json["fields"]
    }
    stage = fields["Stage"]
    assert stage["id"] == STAGE_ID and stage["data_type"] == "picklist"
    assert stage["system_mandatory"] is True
    assert [v["display_value"] for v in stage["pick_list_values"]] == ZOHO_STAGES
    # The value records carry (actual_value) may differ from the label, as in Zoho.
    decision = stage["pick_list_values"][3]
    assert decision["actual_value"] == "Id. Decision Makers"
    assert decision["reference_value"] == "Identify Decision Makers"
    account = fields["Account_Name"]["lookup"]
    assert account["module"] == {
        "api_name": "Accounts",
        "crypt": False,
        "id": "4876876000000002177",
    }
    assert fields["Amount"]["currency"] == {"rounding_option": "normal", "precision": 2}
    assert fields["Amount"]["decimal_place"] == 2 and fields["Amount"]["lookup"] == {}
    assert fields["Tag"]["json_type"] == "jsonarray" and fields["Tag"]["ui_type"] == 209
    assert fields["Deal_Name"]["pick_list_values"] == []


def test_multi_module_lookup_names_modules(api):
    fields = api.get(FIELDS, query_string={"module": "Calls"}).json["fields"]
    what = next(f for f in fields if f["api_name"] == "What_Id")
    assert what["lookup"] == {}
    assert what["multi_module_lookup"]["modules"] == [
        {"api_name": "Leads", "module_name": "Leads", "id": "4876876000000002175"},
        {"api_name": "Accounts", "module_name": "Accounts", "id": "4876876000000002177"},
        {"api_name": "Deals", "module_name": "Deals", "id": "4876876000000002181"},
    ]


def test_field_by_id(api):
    resp = api.get(f"{FIELDS}/{STAGE_ID}", query_string={"module": "Deals"})
    assert resp.status_code == 200
    validate_response("fields", "getFieldsWithID", 200, resp.json)
    assert [f["api_name"] for f in resp.json["fields"]] == ["Stage"]
    other = api.get(f"{FIELDS}/{STAGE_ID}", query_string={"module": "Leads"})
    assert other.status_code == 400
    assert other.json == error(
        "INVALID_DATA", "the id given seems to be invalid", {"resource_path_index": 2}
    )


def test_fields_type_filter_and_empty_modules(api):
    assert api.get(FIELDS, query_string={"module": "Deals", "type": "all"}).status_code == 200
    assert api.get(FIELDS, query_string={"module": "Deals", "type": "unused"}).status_code == 204
    # A module the seed has no fields for answers 204 (the SDK caches it as "no fields").
    empty = api.get(FIELDS, query_string={"module": "Campaigns"})
    assert empty.status_code == 204 and empty.data == b""
    bad = api.get(FIELDS, query_string={"module": "Deals", "type": "some"})
    assert bad.status_code == 400
    assert bad.json == error(
        "INVALID_DATA", "The value provided to the param is Invalid", {"param_name": "type"}
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {},
            error(
                "REQUIRED_PARAM_MISSING",
                "One of the expected parameter is missing",
                {"param_name": "module"},
            ),
        ),
        (
            {"module": "Deal"},
            error("INVALID_MODULE", "the module name given seems to be invalid", {}),
        ),
    ],
)
def test_fields_module_errors(api, query, expected):
    resp = api.get(FIELDS, query_string=query)
    assert resp.status_code == 400 and resp.json == expected


# --- users -------------------------------------------------------------------------------


def test_users_list(api, org):
    resp = api.get(USERS)
    assert resp.status_code == 200
    validate_response("users", "getUsers", 200, resp.json)
    assert [u["id"] for u in resp.json["users"]] == [u["id"] for u in org.users]
    assert resp.json["info"] == {"per_page": 200, "count": 7, "page": 1, "more_records": False}


def test_current_user_is_the_acting_user(api):
    resp = api.get(USERS, query_string={"type": "CurrentUser"})
    assert resp.status_code == 200
    validate_response("users", "getUsers", 200, resp.json)
    (user,) = resp.json["users"]
    assert user["id"] == PATRICIA and user["full_name"] == "Patricia Boyle"
    assert user["role"] == {"name": "CEO", "id": "4876876000000026005"}


def test_user_type_filters(api, org):
    admins = api.get(USERS, query_string={"type": "AdminUsers"}).json["users"]
    assert {u["id"] for u in admins} == {
        u["id"] for u in org.users if u["profile"]["name"] == "Administrator"
    }
    assert 0 < len(admins) < len(org.users)
    org.users[1]["status"] = "inactive"
    active = api.get(USERS, query_string={"type": "ActiveUsers"}).json["users"]
    assert org.users[1]["id"] not in {u["id"] for u in active} and len(active) == 6
    inactive = api.get(USERS, query_string={"type": "DeactiveUsers"}).json["users"]
    assert [u["id"] for u in inactive] == [org.users[1]["id"]]
    assert api.get(USERS, query_string={"type": "DeletedUsers"}).status_code == 204


def test_users_type__s_filter(api, org):
    """users.json's `type__s` filter: the seed's users are all Regular Users."""
    regular = api.get(USERS, query_string={"type__s": "Regular User"})
    assert regular.status_code == 200 and len(regular.json["users"]) == 7
    validate_response("users", "getUsers", 200, regular.json)
    org.users[2]["type__s"] = "Team User"
    team = api.get(USERS, query_string={"type__s": "Team User"}).json["users"]
    assert [u["id"] for u in team] == [org.users[2]["id"]]
    assert api.get(USERS, query_string={"type__s": "Sandbox Developer User"}).status_code == 204
    both = {"type__s": "Regular User", "type": "AdminUsers"}
    admins = api.get(USERS, query_string=both).json["users"]
    assert {u["id"] for u in admins} == {
        u["id"] for u in org.users[:2] + org.users[3:] if u["profile"]["name"] == "Administrator"
    }


def test_users_carry_zohos_display_keys(api, org):
    """Keys of Zoho's get-users sample that the seed leaves out come from the sample; a seed's
    own value wins."""
    org.users[1]["Reporting_To"] = PATRICIA
    listed = api.get(USERS).json["users"]
    patricia, second = listed[0], listed[1]
    assert patricia["Reporting_To"] is None and second["Reporting_To"] == PATRICIA
    assert patricia["theme"]["normal_tab"] == {"font_color": "#FFFFFF", "background": "#222222"}
    assert patricia["customize_info"]["show_detail_view"] is True
    single = api.get(f"{USERS}/{PATRICIA}").json["users"][0]
    assert single == patricia
    single["theme"]["type"] = "changed"  # each answer is its own copy
    assert api.get(f"{USERS}/{PATRICIA}").json["users"][0]["theme"]["type"] == "default"
    assert "theme" not in org.users[0]  # views, not seed edits


def test_users_paging_and_ids(api, org):
    page = api.get(USERS, query_string={"per_page": 3, "page": 2}).json
    assert [u["id"] for u in page["users"]] == [u["id"] for u in org.users[3:6]]
    assert page["info"] == {"per_page": 3, "count": 3, "page": 2, "more_records": True}
    wanted = f"{org.users[2]['id']},{PATRICIA}"
    picked = api.get(USERS, query_string={"ids": wanted}).json["users"]
    assert {u["id"] for u in picked} == {org.users[2]["id"], PATRICIA}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {"type": "Everyone"},
            error(
                "INVALID_DATA", "The value provided to the param is Invalid", {"param_name": "type"}
            ),
        ),
        (
            {"type__s": "Admin User"},
            error(
                "INVALID_DATA",
                "The value provided to the param is Invalid",
                {"param_name": "type__s"},
            ),
        ),
        (
            {"per_page": "201"},
            error(
                "INVALID_DATA",
                "The value provided to the param is Invalid",
                {"param_name": "per_page"},
            ),
        ),
        (
            {"ids": ",".join(str(n) for n in range(101))},
            error(
                "INVALID_DATA",
                "Ids maximum length exceeded",
                {"maximum_length": 100, "param_name": "ids"},
            ),
        ),
    ],
)
def test_users_parameter_errors(api, query, expected):
    resp = api.get(USERS, query_string=query)
    assert resp.status_code == 400 and resp.json == expected


def test_single_user(api):
    resp = api.get(f"{USERS}/{PATRICIA}")
    assert resp.status_code == 200
    validate_response("users", "getSingleUser", 200, resp.json)
    assert [u["email"] for u in resp.json["users"]] == ["patricia.boyle@zylker.com"]
    missing = api.get(f"{USERS}/4876876000000999999")
    assert missing.status_code == 204 and missing.data == b""


# --- org ---------------------------------------------------------------------------------


def test_org(api, org):
    resp = api.get(ORG)
    assert resp.status_code == 200
    validate_response("org", "getOrganization", 200, resp.json)
    (info,) = resp.json["org"]
    assert info["id"] == org.id == "4876876000000020005"
    assert info["company_name"] == "Zylker Cloud Services"
    assert info["time_zone"] == "Asia/Kolkata" and info["primary_zuid"] == "60029871"
    assert info["license_details"]["paid_type"] == "enterprise"
    # Zoho's sample: the currency's name and code; iso_code and currency_locale the bare code.
    assert info["currency"] == "US Dollar - USD" and info["iso_code"] == "USD"
    # Mock bookkeeping and business hours (a separate API) never leak into /org.
    assert not {"current_user_id", "id_prefix", "business_hours", "holidays"} & set(info)


# --- scopes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "granted", "other"),
    [
        (MODULES, "ZohoCRM.settings.modules.READ", "ZohoCRM.settings.fields.READ"),
        (f"{FIELDS}?module=Deals", "ZohoCRM.settings.fields.READ", "ZohoCRM.users.READ"),
        (USERS, "ZohoCRM.users.READ", "ZohoCRM.org.READ"),
        (ORG, "ZohoCRM.org.READ", "ZohoCRM.users.ALL"),
        (ORG, "ZohoCRM.org.ALL", "ZohoCRM.settings.ALL"),
    ],
)
def test_scopes(api, store, org, path, granted, other):
    store.tokens["ok"] = Token("ok", org.id, frozenset({granted}))
    store.tokens["no"] = Token("no", org.id, frozenset({other}))
    ok = api.client.get(path, headers={"Authorization": "Zoho-oauthtoken ok"})
    assert ok.status_code == 200
    refused = api.client.get(path, headers={"Authorization": "Zoho-oauthtoken no"})
    assert refused.status_code == 401
    assert refused.json == error("OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL")
