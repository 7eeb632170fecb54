"""crm/engine_actions.py: the actions that leave the CRM (e-mail notifications and webhooks go to
the outbox), the action types only recorded as invoked, actions on deleted records, and merge
field rendering, on seeded Zylker records and the frozen clock (2025-12-01T11:09:10+05:30).
Record-changing actions: test_engine_actions.py."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from engine_actions_helpers import (
    DEAL,
    LEAD,
    NOW,
    RULE,
    assert_failed,
    associate,
    inline,
    run,
    state,
)

from mockcrm.crm import merge_fields
from mockcrm.crm.org import Org

OPTED_OUT_LEAD = "4876876000005030004"


# --------------------------------------------------------------------------- e-mail
def test_email_notification_goes_to_the_outbox(org: Org) -> None:
    outcome = run(org, associate("email_notifications", "4876876000016794062"))
    [entry] = org.outbox
    assert (outcome.status, outcome.detail, outcome.events) == (
        "success",
        {"outbox_id": entry["id"]},
        [],
    )
    assert entry == {
        "id": entry["id"],
        "type": "email",
        "time": NOW,
        "rule": RULE,
        "action": {"id": "4876876000016794062", "name": "n", "type": "email_notifications"},
        "record": {"module": "Deals", "id": DEAL},
        "from": "patricia.boyle@zylker.com",
        "to": ["neel.sama@zylker.com", "patricia.boyle@zylker.com"],
        "cc": [],
        "bcc": [],
        "reply_to": "patricia.boyle@zylker.com",
        "subject": "Deal Lost Alert",
        "template": {"id": "4876876000008700004", "name": "Deal Lost Alert"},
    }
    assert len(entry["id"]) == 19


def test_email_recipients_roles_literals_and_duplicates(org: Org) -> None:
    entity = copy.deepcopy(org.entities["email_notifications"]["4876876000016794062"])
    entity["id"] = "4876876000099000040"
    entity["recipients"] = {
        "to": [
            {"type": "role", "resource": {"id": "4876876000000026008"}, "details": None},
            {"type": "user", "resource": {"id": "4876876000000298001"}, "details": None},
        ],
        "cc": [{"type": "email", "resource": None, "details": {"email": "ops@zylker.example"}}],
        "bcc": [{"type": "merge_field", "details": {"api_name": "${!Deals.Owner}"}}],
    }
    org.entities["email_notifications"][entity["id"]] = entity
    run(org, associate("email_notifications", entity["id"]))
    [entry] = org.outbox
    assert entry["to"] == ["zayyan.kalita@zylker.com", "gaurika.suri@zylker.com"]
    assert (entry["cc"], entry["bcc"]) == (["ops@zylker.example"], ["patricia.boyle@zylker.com"])


def test_email_to_the_record_address_respects_opt_out(org: Org) -> None:
    welcome = associate("email_notifications", "4876876000009610134")  # to ${!Leads.Email}
    run(org, welcome, "Leads", LEAD)
    assert org.outbox[0]["to"] == ["kavya@brightline.example.com"]
    assert_failed(org, welcome, {"reason": "no recipient"}, "Leads", OPTED_OUT_LEAD)


# --------------------------------------------------------------------------- webhooks
def test_webhook_request_goes_to_the_outbox(org: Org) -> None:
    outcome = run(org, associate("webhooks", "4876876000016390771"), "Leads", LEAD)
    [entry] = org.outbox
    assert outcome.detail == {"outbox_id": entry["id"]}
    assert entry == {
        "id": entry["id"],
        "type": "webhook",
        "time": NOW,
        "rule": RULE,
        "action": {"id": "4876876000016390771", "name": "n", "type": "webhooks"},
        "record": {"module": "Leads", "id": LEAD},
        "url": "https://hooks.zylker.com/crm/premium-lead",
        "method": "POST",
        "headers": {"X-Zylker-Source": "zoho-crm", "Content-Type": "application/json"},
        "body": '{"id":"4876876000005030001","company":"Brightline Analytics",'
        '"annual_revenue":"750000"}',
        "authentication": {"type": "general"},
    }


def webhook_entity(org: Org, **changes: Any) -> str:
    entity = copy.deepcopy(org.entities["webhooks"]["4876876000016390771"])
    entity.update(id="4876876000099000050", **changes)
    org.entities["webhooks"][entity["id"]] = entity
    return entity["id"]


def test_webhook_json_values_are_escaped(org: Org) -> None:
    org.records["Leads"][LEAD]["Company"] = 'Bright "line"'
    run(org, associate("webhooks", "4876876000016390771"), "Leads", LEAD)
    assert '"company":"Bright \\"line\\""' in org.outbox[0]["body"]


def test_webhook_form_data_headers_and_url_parameters(org: Org) -> None:
    params = {
        "module_parameters": [{"name": "email", "value": "${!Leads.Email}"}],
        "custom_parameters": [{"name": "src", "value": "crm ${static}"}],
    }
    who = "${Leads.First Name} ${Leads.Last Name}"
    form = {"type": "form_data", "form_data_content": {
        "module_parameters": [{"name": "company", "value": "${Leads.Company}"}],
        "user_defined_parameter": {"name": "who", "value": who},
    }}  # fmt: skip
    post = webhook_entity(org, url="https://h.example/${!Leads.Id}", headers=params, body=form)
    run(org, associate("webhooks", post), "Leads", LEAD)
    entry = org.outbox[-1]
    assert (entry["url"], entry["method"]) == (f"https://h.example/{LEAD}", "POST")
    assert entry["headers"] == {
        "email": "kavya@brightline.example.com",
        "src": "crm ${static}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    assert entry["body"] == "company=Brightline+Analytics&who=Kavya+Menon"
    get = webhook_entity(
        org, http_method="GET", url="https://h.example/x?a=1", url_parameters=params
    )
    run(org, associate("webhooks", get), "Leads", LEAD)
    entry = org.outbox[-1]
    assert (
        entry["url"]
        == "https://h.example/x?a=1&email=kavya%40brightline.example.com&src=crm+%24%7Bstatic%7D"
    )
    assert (entry["method"], entry["body"]) == ("GET", None)
    assert "Content-Type" not in entry["headers"]


# --------------------------------------------------------------------------- others, gone records
@pytest.mark.parametrize(
    "kind", ["functions", "flow", "circuits", "slack_notifications", "convert"]
)
def test_other_actions_are_recorded_as_invoked(org: Org, kind: str) -> None:
    before = state(org)
    outcome = run(org, inline(kind, {}))
    assert (outcome.status, outcome.detail, outcome.events) == ("success", {"invoked": True}, [])
    assert state(org) == before


@pytest.mark.parametrize(
    "action",
    [
        associate("field_updates", "4876876000009610064"),
        associate("tasks", "4876876000016794047"),
        associate("email_notifications", "4876876000016794062"),
        associate("webhooks", "4876876000009610274"),
        inline("functions", {}),
    ],
)
def test_a_record_deleted_before_its_action_fails(org: Org, action: dict) -> None:
    del org.records["Deals"][DEAL]
    assert_failed(org, action, {"reason": "record not found"})


def test_a_deleted_record_still_gets_its_delete_trigger_mail_and_webhook(org: Org) -> None:
    last = org.records["Leads"].pop(LEAD)
    mail = run(
        org, associate("email_notifications", "4876876000009610148"), "Leads", LEAD, record=last
    )
    hook = run(org, associate("webhooks", "4876876000009610288"), "Leads", LEAD, record=last)
    assert (mail.status, hook.status) == ("success", "success")
    assert (
        org.outbox[1]["body"]
        == f'{{"id":"{LEAD}","last_name":"Menon","company":"Brightline Analytics"}}'
    )
    update = run(org, associate("field_updates", "4876876000009610001"), "Leads", LEAD, record=last)
    assert update.detail == {"reason": "record not found"}


# --------------------------------------------------------------------------- merge fields
def test_merge_fields_render_by_api_name_or_label(org: Org) -> None:
    deal = org.records["Deals"][DEAL]
    deal["Amount"] = 45000.0
    template = (
        "${Deals.Deal Name}|${Deals.Deal_Name}|${!Deals.Amount}|${Deals.Deal Owner}|"
        "${Deals.Account_Name}|${Deals.Tag}|${Deals.Id}|${Deals.Description}|${Leads.Company}|"
        "${Deals.Nope}"
    )
    assert merge_fields.render(org, "Deals", deal, template) == (
        "Orbit Logistics - Fleet Tracking Suite|Orbit Logistics - Fleet Tracking Suite|45000|"
        f"Patricia Boyle|Orbit Logistics|Priority, Large Deal|{DEAL}||${{Leads.Company}}|"
    )
    assert merge_fields.value(org, "Deals", deal, "${!Deals.Owner}")["email"] == (
        "patricia.boyle@zylker.com"
    )
    assert merge_fields.value(org, "Deals", deal, "${Leads.Company}") is merge_fields.MISSING
    assert [merge_fields.text(v) for v in (True, False, 2.5, None, ["a", "b"])] == [
        "true",
        "false",
        "2.5",
        "",
        "a, b",
    ]


def test_xml_and_html_merge_values_are_escaped_as_xml_sax_escapes_them():
    from xml.sax.saxutils import escape

    from mockcrm.crm.engine_outbox import _markup_escape

    for text in ("a&b<c>d", "&amp;", "<<>>&&", "plain", "\"quotes' stay"):
        assert _markup_escape(text) == escape(text)
