"""Users and the org as Zoho's GET APIs show them; the seed keeps only the facts."""

from __future__ import annotations

import copy
from typing import Any

from mockcrm.core.clock import parse_header_time, parse_iso
from mockcrm.core.errors import ZohoError, param_invalid
from mockcrm.crm.org import Org

USER_TYPES = (
    "CurrentUser", "DeletedUsers", "DeactiveUsers", "NotConfirmedUsers", "ConfirmedUsers",
    "ActiveUsers", "AdminUsers", "ActiveConfirmedAdmins", "ActiveConfirmedUsers",
    "DeveloperUsers", "AllUsers", "AllActiveUsers", "ActiveLiteUser",
)  # fmt: skip
MAX_USER_IDS = 100
# users.json's `type__s` filter values.
USER_KINDS = ("Regular User", "Sandbox Developer User", "Team User")
# Keys Zoho's get-users sample shows on every user that the seed need not carry (DOC v7 sample,
# values verbatim; `Reporting_To` from users.json: a user id, or null when nobody is set).
USER_DEFAULTS: dict[str, Any] = {
    "Reporting_To": None,
    "customize_info": {
        "notes_desc": None, "show_right_panel": None, "bc_view": None, "show_home": False,
        "show_detail_view": True, "show_left_panel": True, "unpin_recent_item": None,
    },
    "theme": {
        "normal_tab": {"font_color": "#FFFFFF", "background": "#222222"},
        "selected_tab": {"font_color": "#FFFFFF", "background": "#222222"},
        "new_background": None, "background": "#F3F0EB", "screen": "fixed", "type": "default",
    },
}  # fmt: skip


# --- users -------------------------------------------------------------------------------


def _is_admin(user: dict[str, Any]) -> bool:
    return user.get("profile", {}).get("name") == "Administrator"


def _active(user: dict[str, Any]) -> bool:
    return user.get("status", "active") == "active"


def _confirmed(user: dict[str, Any]) -> bool:
    return bool(user.get("confirm", True))


# Zoho's `type` filters, over the keys a user carries (status, confirm, profile, type__s).
USER_FILTERS = {
    "DeletedUsers": lambda u: u.get("status") == "deleted",
    "DeactiveUsers": lambda u: u.get("status") in ("inactive", "disabled"),
    "NotConfirmedUsers": lambda u: not _confirmed(u),
    "ConfirmedUsers": _confirmed,
    "ActiveUsers": _active,
    "AdminUsers": _is_admin,
    "ActiveConfirmedAdmins": lambda u: _active(u) and _confirmed(u) and _is_admin(u),
    "ActiveConfirmedUsers": lambda u: _active(u) and _confirmed(u),
    "DeveloperUsers": lambda u: bool(u.get("sandboxDeveloper")),
    "AllUsers": lambda u: True,
    "AllActiveUsers": _active,
    "ActiveLiteUser": lambda u: _active(u) and u.get("type__s") == "Lite User",
}


def list_users(
    org: Org,
    user_type: str | None,
    ids: str | None,
    if_modified_since: str | None = None,
    kind: str | None = None,
) -> list[dict[str, Any]] | None:
    """`type=CurrentUser` is the user the token acts as; no `type` lists every user; `kind` is
    the `type__s` filter. With `If-Modified-Since`, only users modified after it; None when
    there are none (Zoho's 304)."""
    if user_type is not None and user_type not in USER_TYPES:
        raise param_invalid("type")
    if kind is not None and kind not in USER_KINDS:
        raise param_invalid("type__s")
    users = org.users
    if kind is not None:
        users = [u for u in users if u.get("type__s", "Regular User") == kind]
    if user_type == "CurrentUser":
        users = [u for u in users if u["id"] == org.current_user_id]
    elif user_type is not None:
        users = [u for u in users if USER_FILTERS[user_type](u)]
    if ids is not None:
        wanted = [i.strip() for i in ids.split(",") if i.strip()]
        if len(wanted) > MAX_USER_IDS:
            raise ZohoError(
                "INVALID_DATA",
                "Ids maximum length exceeded",
                {"maximum_length": MAX_USER_IDS, "param_name": "ids"},
            )
        users = [u for u in users if u["id"] in wanted]
    since = parse_header_time(if_modified_since)
    if since is not None:
        users = [u for u in users if parse_iso(u["Modified_Time"]) > since]
        if not users:
            return None
    return [user_view(u) for u in users]


def get_user(org: Org, user_id: str) -> dict[str, Any] | None:
    """An unknown user is Zoho's 204 (the spec documents only 200 and 204 here)."""
    user = org.user(user_id)
    return user_view(user) if user else None


def user_view(user: dict[str, Any]) -> dict[str, Any]:
    """A user as GET /users shows it: the seed's keys, then Zoho's defaults for the rest."""
    view = copy.deepcopy(user)
    for key, default in USER_DEFAULTS.items():
        view.setdefault(key, copy.deepcopy(default))
    return view


# --- org ---------------------------------------------------------------------------------

ORG_DEFAULTS: dict[str, Any] = {
    "country": None,
    "hierarchy_preferences": {"type": "Role_Hierarchy", "strictly_reporting": False},
    "photo_id": None,
    "city": None,
    "description": None,
    "type": "production",
    "mc_status": False,
    "gapps_enabled": False,
    "lite_users_enabled": False,
    "domain_name": None,
    "translation_enabled": False,
    "street": None,
    "alias": None,
    "currency": "US Dollar - USD",
    "deletable_org_account": False,
    "id": None,
    "state": None,
    "fax": None,
    "employee_count": None,
    "zip": None,
    "created_time": None,
    "website": None,
    "currency_symbol": "$",
    "mobile": None,
    "currency_locale": "USD",
    "primary_zuid": None,
    "zia_portal_id": None,
    "time_zone": None,
    "zgid": None,
    "country_code": None,
    "license_details": {
        "paid_expiry": None,
        "users_license_purchased": 0,
        "trial_type": None,
        "trial_expiry": None,
        "paid": False,
        "paid_type": "free",
        "portal_users_license_purchased": 0,
    },
    "phone": None,
    "company_name": None,
    "privacy_settings": False,
    "primary_email": None,
    "hipaa_compliance_enabled": False,
    "iso_code": "USD",
}


def org_view(org: Org) -> dict[str, Any]:
    """GET /org: only Zoho's keys (org.json also holds business hours and mock bookkeeping)."""
    info = org.info
    view = {key: copy.deepcopy(info.get(key, default)) for key, default in ORG_DEFAULTS.items()}
    view["license_details"] = {**ORG_DEFAULTS["license_details"], **view["license_details"]}
    # An org created from a seed under another id/name reports its own identity.
    view.update(id=org.id, company_name=org.name, time_zone=org.time_zone)
    return view
