"""Business hours and holidays (/crm/v8/settings/business_hours, /settings/holidays).

Both take Zoho's `ZohoCRM.settings.business_hours.*` scopes. The views import their crm module
when first called: none is needed to start serving (tests/unit/test_serve_imports.py).
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from mockcrm.api.common import json_body, org_for, render, render_list, scope
from mockcrm.core.errors import ZohoError

bp = Blueprint("business_settings", __name__, url_prefix="/crm/v8")

BH = "business_hours"
HOLIDAYS = "holidays"


def _bh_result(write: str) -> Response:
    """A business hours write: Zoho answers it, and its field errors, as one object under
    `business_hours` (not the one-item array of other settings APIs)."""
    from mockcrm.crm import business_hours  # lazy: see the note at the top

    create = write == "CREATE"
    try:
        with org_for(scope(BH, write)) as org:
            body = json_body()
            if create:
                result = business_hours.create_business_hours(org, body)
            else:
                result = business_hours.update_business_hours(org, body)
    except ZohoError as error:
        if error.collection != BH:
            raise
        return render({BH: error.item()}, error.status)
    return render({BH: result}, 201 if create else 200)


@bp.get("/settings/business_hours")
def get_business_hours() -> Response:
    from mockcrm.crm import business_hours  # lazy: see the note at the top

    with org_for(scope(BH, "READ")) as org:
        found = business_hours.get_business_hours(org)
    return render({BH: found} if found else None)


@bp.post("/settings/business_hours")
def create_business_hours() -> Response:
    return _bh_result("CREATE")


@bp.put("/settings/business_hours")
def update_business_hours() -> Response:
    return _bh_result("UPDATE")


@bp.get("/settings/holidays")
def list_holidays() -> Response:
    from mockcrm.crm import holidays  # lazy: see the note at the top

    with org_for(scope(BH, "READ")) as org:
        chunk, info = holidays.list_holidays(org, request.args)
    return render_list(HOLIDAYS, chunk, info)


@bp.get("/settings/holidays/<holiday_id>")
def get_holiday(holiday_id: str) -> Response:
    from mockcrm.crm import holidays  # lazy: see the note at the top

    with org_for(scope(BH, "READ")) as org:
        found = holidays.get_holiday(org, holiday_id)
    # Zoho's getHoliday: 204 for an unknown id; its flat OAS wraps the one holiday with `info`.
    info = {"per_page": 200, "count": 1, "page": 1, "more_records": False}
    return render_list(HOLIDAYS, [found] if found else [], info)


@bp.post("/settings/holidays")
def create_holidays() -> Response:
    from mockcrm.crm import holidays  # lazy: see the note at the top

    with org_for(scope(BH, "CREATE")) as org:
        results, status = holidays.create_holidays(org, json_body())
    return render({HOLIDAYS: results}, status)


@bp.put("/settings/holidays")
def update_holidays() -> Response:
    from mockcrm.crm import holidays  # lazy: see the note at the top

    with org_for(scope(BH, "UPDATE")) as org:
        results, status = holidays.update_holidays(org, json_body())
    return render({HOLIDAYS: results}, status)


@bp.put("/settings/holidays/<holiday_id>")
def update_holiday(holiday_id: str) -> Response:
    from mockcrm.crm import holidays  # lazy: see the note at the top

    with org_for(scope(BH, "UPDATE")) as org:
        results, status = holidays.update_holidays(org, json_body(), holiday_id)
    return render({HOLIDAYS: results}, status)


@bp.delete("/settings/holidays/<holiday_id>")
def delete_holiday(holiday_id: str) -> Response:
    from mockcrm.crm import holidays  # lazy: see the note at the top

    with org_for(scope(BH, "DELETE")) as org:
        return render({HOLIDAYS: [holidays.delete_holiday(org, holiday_id)]})
