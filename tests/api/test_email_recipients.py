"""E-mail notification addresses: users named must exist, cc and bcc only for bulk e-mails."""

from __future__ import annotations

from typing import Any

import pytest
from actions_helpers import PATRICIA, create, entity_body, refused

NOBODY = "4876876000000999999"
ME = {"type": "user", "resource": {"id": PATRICIA}}


def _error(code: str, message: str, api_name: str, path: str) -> dict[str, Any]:
    details = {"api_name": api_name, "json_path": f"$.email_notifications[0].{path}"}
    item = {"code": code, "details": details, "message": message, "status": "error"}
    return {"email_notifications": [item]}


def _nobody(key: str = "id") -> dict[str, Any]:
    return {"type": "user", "resource": {key: NOBODY}}


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"recipients": {"to": [ME, _nobody()]}}, "recipients.to[1].resource.id"),
        ({"recipients": {"to": [{"type": "user"}]}}, "recipients.to[0].resource.id"),
        (
            {"bulk_email": True, "recipients": {"to": [ME], "bcc": [_nobody()]}},
            "recipients.bcc[0].resource.id",
        ),
        ({"from_address": _nobody()}, "from_address.resource.id"),
        ({"reply_to_address": _nobody()}, "reply_to_address.resource.id"),
    ],
)
def test_an_unknown_user_is_refused_as_for_rules(api, org, overrides, path):
    item = entity_body("email_notifications", **overrides)
    assert refused(api, org, "email_notifications", item) == _error(
        "INVALID_DATA", "Invalid User ID", "id", path
    )


@pytest.mark.parametrize("group", ["cc", "bcc"])
def test_cc_and_bcc_need_a_bulk_email(api, org, group):
    recipients = {"to": [ME], group: [ME]}
    item = entity_body("email_notifications", recipients=recipients)
    expected = _error(
        "NOT_ALLOWED",
        "This key is not supported for this particular action",
        group,
        f"recipients.{group}",
    )
    assert refused(api, org, "email_notifications", item) == expected
    new = create(api, "email_notifications", recipients=recipients, bulk_email=True)
    assert org.entities["email_notifications"][new]["recipients"][group] == [ME]


def test_user_ids_may_be_numbers_and_other_kinds_are_not_users(api, org):
    """Zoho's SDK sends ids as JSON numbers; merge fields and literal addresses name no user."""
    merged = {"type": "merge_field", "details": {"api_name": "${!Leads.Owner}"}}
    to = [{"type": "user", "resource": {"id": int(PATRICIA)}}, merged]
    new = create(api, "email_notifications", recipients={"to": to})
    assert org.entities["email_notifications"][new]["recipients"]["to"] == to
