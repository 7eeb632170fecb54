"""The sandbox dashboard in a real headless Chromium: audit, rule detail, Try it, Activity.

Every page gets its data from mockcrm's HTTP API in the browser; these tests check what a
person sees, then cross-check it against the API. Screenshots go to tests/browser/artifacts/;
the audit page at 1280x800 is copied to docs/audit.png (the README shows it) when
MOCKCRM_UPDATE_SCREENSHOT=1."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import requests

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture (conftest.py) skips or fails with the reason
    expect = None

from mockcrm.settings import Settings
from mockcrm.testing import LiveServer, OrgHandle

ROOT = Path(__file__).parents[2]
KAIZEN = json.loads((ROOT / "tests/fixtures/kaizen_215_requests.json").read_text())
RULES = "/settings/automation/workflow_rules"
VP_ALERT = "VP Alert - High Value Deal"
VP_ALERT_ID = "4876876000016390024"
LOST_DEAL_RULE = "Lost Deal due to Pricing - Follow Up"
LOST_DEAL_TASK = "Lost Deal - Feedback"


def crm(org: OrgHandle, method: str, path: str, **kwargs: Any) -> requests.Response:
    """The public API as any client calls it, with the org's own token."""
    return requests.request(
        method, f"{org.url}/crm/v8{path}", headers=org.headers, timeout=30, **kwargs
    )


def rule_row(page, name: str):
    return page.locator("#rules-table tbody tr").filter(
        has=page.get_by_role("rowheader", name=name, exact=True)
    )


def test_audit_marks_vp_alert_never_executed(page):
    p = page.open("/")
    row = rule_row(p, VP_ALERT)
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text("Deals")
    expect(row.locator("td").nth(1)).to_have_text("Create or edit")
    expect(row.locator("td").nth(2)).to_have_text("Active")
    expect(row.locator("td.last-executed")).to_have_text("never")
    expect(row.locator("td").nth(4)).to_have_text("2")  # an email and a task
    # Summary and chart come from the same 102 seeded rules.
    expect(p.locator('[data-stat="total"]')).to_have_text("102")
    expect(p.locator("#rules-count")).to_have_text("Showing 102 of 102 rules.")
    deals_bar = p.locator('svg.bar-chart g.bar-row[data-module="Deals"]')
    expect(deals_bar.locator("text.bar-value")).to_have_text("27 (4 off)")
    expect(p.locator("svg.bar-chart desc")).to_contain_text("Deals: 23 active, 4 inactive")
    # Cross-check with the API: the page showed what a client gets.
    listed = requests.get(
        f"{page.url}/crm/v8{RULES}",
        params={"module": "Deals", "per_page": 200},
        headers={"Authorization": "Zoho-oauthtoken any"},
        timeout=30,
    ).json()["workflow_rules"]
    vp = next(r for r in listed if r["id"] == VP_ALERT_ID)
    assert vp["last_executed_time"] is None and vp["status"]["active"] is True
    shot = page.shot("audit-1280x800", full_page=False)
    if os.environ.get("MOCKCRM_UPDATE_SCREENSHOT") == "1":  # refresh the README's picture
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(shot, ROOT / "docs/audit.png")


def test_filters_by_module_status_name_and_never_executed(page):
    p = page.open("/")
    p.get_by_label("Module", exact=True).select_option("Tasks")
    expect(p.locator("#rules-count")).to_have_text("Showing 6 of 102 rules.")
    modules = p.locator("#rules-table tbody tr td:nth-of-type(1)").all_inner_texts()
    assert modules == ["Tasks"] * 6
    p.get_by_label("Status", exact=True).select_option("false")
    expect(p.locator("#rules-count")).to_have_text("Showing 1 of 102 rules.")
    expect(rule_row(p, "Status Changed - Status is Completed - Sync")).to_have_count(1)
    # Keyboard only: the reset button, then the checkbox with Space, then typing a name.
    p.get_by_role("button", name="Clear filters").focus()
    p.keyboard.press("Enter")
    expect(p.locator("#rules-count")).to_have_text("Showing 102 of 102 rules.")
    p.get_by_label("Module", exact=True).select_option("Deals")
    p.get_by_label("Never executed only", exact=True).focus()
    p.keyboard.press("Space")
    expect(p.get_by_label("Never executed only", exact=True)).to_be_checked()
    p.get_by_label("Name contains", exact=True).fill("vp alert")
    expect(p.locator("#rules-count")).to_have_text("Showing 1 of 102 rules.")
    expect(rule_row(p, VP_ALERT).locator("td.last-executed")).to_have_text("never")
    page.shot("filtered")


def test_rule_detail_reads_criteria_and_toggles_status(page, isolated):
    p = page.open(f"/?org={isolated.org_id}")
    expect(p.get_by_label("Org", exact=True)).to_have_value(isolated.org_id)
    link = rule_row(p, VP_ALERT).get_by_role("link", name=VP_ALERT)
    link.focus()
    p.keyboard.press("Enter")  # keyboard navigation into the rule
    p.wait_for_url(re.compile(rf"/sandbox/rules/{VP_ALERT_ID}\?org={isolated.org_id}$"))
    p.wait_for_selector("body[data-loaded]")
    expect(p.get_by_role("heading", level=1)).to_have_text(VP_ALERT)
    expect(p.locator(".criteria")).to_have_text(
        "Criteria: Amount > 50,000 and Stage = Negotiation/Review"
    )
    expect(p.locator("#rule-facts")).to_contain_text("When a record is created or edited")
    expect(p.locator("#rule-facts")).to_contain_text("never")
    actions = p.locator(".condition ul.actions li").all_inner_texts()
    assert actions == ["Email VP Sales - High Value Deal Alert", "Task VP Review - High Value Deal"]
    expect(p.locator("#usage-window")).to_contain_text("Triggered 0 times.")
    # The usage window: 90 days ending at the org's clock.
    today = page_clock_date(isolated)
    expect(p.locator("#usage-window")).to_contain_text(f"to {today}")
    page.shot("rule")

    p.get_by_role("button", name="Deactivate rule").click()
    expect(p.locator("#status")).to_contain_text("workflow updated")
    expect(p.locator("#rule-status")).to_have_text("Inactive")
    assert rule_status(isolated, VP_ALERT_ID) is False
    p.get_by_role("button", name="Activate rule").click()
    expect(p.locator("#rule-status")).to_have_text("Active")
    assert rule_status(isolated, VP_ALERT_ID) is True


def _tagging_rule(org: OrgHandle, name: str, module: str, execute_when: dict, tag: str) -> str:
    """A rule that tags the record, made through the API: its id."""
    action = {"type": "add_tags", "details": {"tags": [{"name": tag}]}}
    body = {"workflow_rules": [{
        "name": name, "module": {"api_name": module}, "execute_when": execute_when,
        "conditions": [{"sequence_number": 1, "criteria_details": {"criteria": None},
                        "instant_actions": {"actions": [action]}}],
    }]}  # fmt: skip
    created = crm(org, "POST", RULES, json=body)
    assert created.status_code == 201, created.text
    return created.json()["workflow_rules"][0]["details"]["id"]


def test_rules_describe_activity_call_and_section_triggers(page, isolated):
    overdue = {"type": "overdue", "details": {"period": "days", "unit": 1}}
    rule_id = _tagging_rule(isolated, "Overdue follow-up", "Tasks", overdue, "Escalated")
    p = page.open(f"/sandbox/rules/{rule_id}?org={isolated.org_id}")
    expect(p.locator("#rule-facts")).to_contain_text(
        "Overdue: 1 day after the task's due date, unless it is complete by then"
    )
    # A trigger without a name of its own is spelled out from its api name.
    logged = {"type": "outgoing_call_createedit"}
    _tagging_rule(isolated, "Call logged", "Calls", logged, "Callback")
    p = page.open(f"/?org={isolated.org_id}")
    expect(rule_row(p, "Overdue follow-up")).to_contain_text("Overdue")
    expect(rule_row(p, "Call logged")).to_contain_text("Outgoing call create or edit")
    interested = {
        "field": {"api_name": "Call_Result"},
        "comparator": "equal",
        "value": "Interested",
    }
    result = {"type": "incoming_call_field_update", "details": {"criteria": interested}}
    rule_id = _tagging_rule(isolated, "Call result", "Calls", result, "Callback")
    p = page.open(f"/sandbox/rules/{rule_id}?org={isolated.org_id}")
    expect(p.locator("#rule-facts")).to_contain_text(
        "Incoming call field update: When a field is updated: Call Result = Interested"
    )
    section = {"type": "section_update", "details": {"section_ids": ["4876876000002002181"]}}
    rule_id = _tagging_rule(isolated, "Deal details edited", "Deals", section, "Priority")
    p = page.open(f"/sandbox/rules/{rule_id}?org={isolated.org_id}")
    expect(p.locator("#rule-facts")).to_contain_text(
        "Section update: When a field of its section is edited (once per record)"
    )


def test_a_deal_from_the_form_fires_vp_alert(page, server, isolated):
    p = page.open(f"/sandbox/try?org={isolated.org_id}")
    p.get_by_label("Deal name", exact=True).fill("Browser deal")
    p.get_by_label("Amount", exact=True).fill("60000")
    p.get_by_label("Stage", exact=True).select_option("Negotiation/Review")
    p.get_by_role("button", name="Create deal").click()
    expect(p.locator("#deal-result")).to_contain_text("record added")
    deal_id = p.get_by_label("Deal to edit", exact=True).input_value()
    assert deal_id.isdigit()
    fired = p.locator("#fired-table tbody tr").filter(
        has=p.get_by_role("rowheader", name=VP_ALERT, exact=True)
    )
    expect(fired).to_have_count(1)
    expect(fired).to_contain_text("Condition 1 matched")
    expect(fired).to_contain_text("VP Sales - High Value Deal Alert (success)")
    expect(fired).to_contain_text("VP Review - High Value Deal (success)")
    page.shot("fired")
    # What the page showed is what the admin API and the records API hold.
    executions = server.admin.call(
        "GET", f"/orgs/{isolated.org_id}/executions", params={"record_id": deal_id}
    )["executions"]
    vp = [e for e in executions if e["rule"]["id"] == VP_ALERT_ID]
    assert [e["condition"]["sequence_number"] for e in vp] == [1]
    record = crm(isolated, "GET", f"/Deals/{deal_id}").json()["data"][0]
    assert (record["Deal_Name"], record["Amount"], record["Stage"]) == (
        "Browser deal",
        60000,
        "Negotiation/Review",
    )


def test_kaizen_step6_scheduled_task_runs_after_30_business_days(page, server, isolated):
    created = crm(isolated, "POST", RULES, json=KAIZEN["step6_post"])
    assert created.status_code == 201, created.text
    rule_id = created.json()["workflow_rules"][0]["details"]["id"]

    p = page.open(f"/sandbox/try?org={isolated.org_id}")
    p.get_by_label("Deal name", exact=True).fill("Kaizen lost deal")
    p.get_by_label("Amount", exact=True).fill("45000")
    p.get_by_label("Stage", exact=True).select_option("Negotiation/Review")
    p.get_by_role("button", name="Create deal").click()
    expect(p.locator("#deal-result")).to_contain_text("record added")
    # The new deal stays selected: edit it to Closed Lost for Price.
    expect(p.get_by_role("button", name="Save changes")).to_be_visible()
    p.get_by_label("Stage", exact=True).select_option("Closed Lost")
    p.get_by_label("Reason for loss", exact=True).select_option("Price")
    p.get_by_role("button", name="Save changes").click()
    expect(p.locator("#deal-result")).to_contain_text("record updated")
    deal_id = p.get_by_label("Deal to edit", exact=True).input_value()

    fired = p.locator("#fired-table tbody tr").filter(
        has=p.get_by_role("rowheader", name=LOST_DEAL_RULE, exact=True)
    )
    expect(fired).to_have_count(1)
    expect(fired).to_contain_text("Condition 1 matched; 1 scheduled")
    waiting = p.locator("#schedule-table tbody tr").filter(
        has=p.get_by_role("rowheader", name=LOST_DEAL_RULE, exact=True)
    )
    expect(waiting).to_contain_text(LOST_DEAL_TASK)
    expect(waiting).to_contain_text(deal_id)
    page.shot("scheduled")

    p.get_by_label("Advance by", exact=True).fill("30")
    p.get_by_label("Unit", exact=True).select_option("business_days")
    p.get_by_role("button", name="Advance clock").click()
    expect(p.locator("#clock-result")).to_contain_text("Advanced 30 business days")
    ran = p.locator("#ran-table tbody tr").filter(
        has=p.get_by_role("rowheader", name=LOST_DEAL_RULE, exact=True)
    )
    expect(ran).to_have_count(1)
    expect(ran).to_contain_text(f"{LOST_DEAL_TASK} (success)")
    expect(
        p.locator("#schedule-table tbody tr").filter(
            has=p.get_by_role("rowheader", name=LOST_DEAL_RULE, exact=True)
        )
    ).to_have_count(0)
    expect(p.locator("#fired-table")).to_contain_text("Scheduled actions ran")
    page.shot("scheduled-ran")
    # The task exists as a Tasks record, linked to the deal.
    [execution] = [
        e
        for e in server.admin.call(
            "GET", f"/orgs/{isolated.org_id}/executions", params={"rule_id": rule_id}
        )["executions"]
        if e["scheduled"]
    ]
    task_id = execution["actions"][0]["detail"]["task_id"]
    task = crm(isolated, "GET", f"/Tasks/{task_id}").json()["data"][0]
    assert task["Subject"] == LOST_DEAL_TASK
    assert task["What_Id"]["id"] == deal_id


def test_activity_shows_journal_outbox_and_executions_live(page, isolated):
    p = page.open(f"/sandbox/activity?org={isolated.org_id}")
    expect(p.locator("#outbox-table")).to_contain_text("Nothing sent yet.")
    # A client (not the page) creates a high-value deal: the page picks it up by polling.
    body = {
        "data": [
            {
                "Deal_Name": "Live deal",
                "Amount": 90000,
                "Stage": "Negotiation/Review",
                "Closing_Date": "2026-03-31",
            }
        ]
    }
    assert crm(isolated, "POST", "/Deals", json=body).status_code == 201
    journal = p.locator("#journal-table tbody tr").filter(has_text="/crm/v8/Deals")
    expect(journal.first).to_contain_text("POST")
    expect(journal.first).to_contain_text("201")
    sent = p.locator("#outbox-table tbody tr").filter(
        has=p.get_by_role("rowheader", name=VP_ALERT, exact=True)
    )
    expect(sent).to_have_count(1)
    expect(sent).to_contain_text("VP Sales - High Value Deal Alert")
    expect(
        p.locator("#executions-table tbody tr").filter(
            has=p.get_by_role("rowheader", name=VP_ALERT, exact=True)
        )
    ).to_contain_text("condition 1 matched")
    # The bodies of a journaled call open on demand and stay open across refreshes.
    journal.first.get_by_text("Bodies").click()
    expect(journal.first.locator("pre")).to_contain_text('"Deal_Name": "Live deal"')
    page.shot("activity")
    # Pause and resume: the toggle is a real button, usable from the keyboard.
    toggle = p.get_by_role("button", name="Pause live updates")
    toggle.focus()
    p.keyboard.press("Enter")
    expect(p.locator("#live-state")).to_have_text("Paused")
    p.get_by_role("button", name="Resume live updates").click()
    crm(isolated, "GET", "/Deals", params={"fields": "Deal_Name"})
    expect(
        p.locator("#journal-table tbody tr").filter(has_text="/crm/v8/Deals?fields=Deal_Name")
    ).to_have_count(1)


def test_org_picker_lists_isolated_orgs(page, isolated):
    p = page.open("/")
    picker = p.get_by_label("Org", exact=True)
    expect(picker.locator(f'option[value="{isolated.org_id}"]')).to_have_count(1)
    picker.select_option(isolated.org_id)
    p.get_by_role("button", name="Switch").click()
    p.wait_for_url(re.compile(rf"\?org={isolated.org_id}$"))
    p.wait_for_selector(f'body[data-loaded="{isolated.org_id}"]')
    expect(p.get_by_role("link", name="Try it")).to_have_attribute(
        "href", f"/sandbox/try?org={isolated.org_id}"
    )


def test_pages_are_accessible_by_structure(page, isolated):
    """Landmarks, one h1, a label for every control, scoped header cells, a skip link."""
    for path in ("/", f"/sandbox/rules/{VP_ALERT_ID}", "/sandbox/try", "/sandbox/activity"):
        p = page.open(f"{path}?org={isolated.org_id}")
        report = p.evaluate(
            """() => ({
              landmarks: ['header', 'nav', 'main', 'footer']
                .filter(t => !document.querySelector(t)),
              h1: document.querySelectorAll('h1').length,
              unlabeled: [...document.querySelectorAll('input, select, textarea')]
                .filter(e => !e.labels || e.labels.length === 0).map(e => e.id || e.name),
              unscoped: [...document.querySelectorAll('thead th')]
                .filter(th => th.getAttribute('scope') !== 'col').length,
              clickableDivs: document.querySelectorAll('div[onclick], span[onclick]').length,
            })"""
        )
        assert report == {
            "landmarks": [],
            "h1": 1,
            "unlabeled": [],
            "unscoped": 0,
            "clickableDivs": 0,
        }, (path, report)
    # The first Tab lands on the skip link, which becomes visible with a focus outline.
    p = page.open("/")
    p.keyboard.press("Tab")
    skip = p.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    assert skip.bounding_box()["x"] >= 0


def test_narrow_window_has_no_sideways_scroll(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        p = context.new_page()
        for path in ("/", "/sandbox/try", "/sandbox/activity"):
            p.goto(server.url + path)
            p.wait_for_selector("body[data-loaded]")
            overflow = p.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, (path, overflow)
        p.goto(server.url + "/")
        p.wait_for_selector("body[data-loaded]")
        (Path(__file__).parent / "artifacts").mkdir(exist_ok=True)
        p.screenshot(path=str(Path(__file__).parent / "artifacts/narrow-audit.png"))
    finally:
        context.close()


def test_admin_token_is_asked_for_and_used(browser):
    with LiveServer.start(settings=Settings(admin_token="sandbox-secret")) as guarded:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        try:
            p = context.new_page()
            p.goto(guarded.url + "/")
            expect(p.locator("#status")).to_contain_text("needs its admin token")
            p.get_by_label("Admin token", exact=True).fill("sandbox-secret")
            p.get_by_role("button", name="Use token").click()
            p.wait_for_selector("body[data-loaded]")
            expect(rule_row(p, VP_ALERT).locator("td.last-executed")).to_have_text("never")
            # The token lives in this tab's sessionStorage only.
            stored = p.evaluate("() => sessionStorage.getItem('mockcrm.sandbox.adminToken')")
            assert stored == "sandbox-secret"
            assert p.evaluate("() => localStorage.length") == 0
        finally:
            context.close()


def test_admin_off_says_so(browser):
    with LiveServer.start(settings=Settings(no_admin=True)) as bare:
        context = browser.new_context()
        try:
            p = context.new_page()
            p.goto(bare.url + "/")
            expect(p.get_by_role("alert")).to_contain_text("The admin API is off")
            expect(p.get_by_role("alert")).to_contain_text("--no-admin")
        finally:
            context.close()


# -- helpers -----------------------------------------------------------------------------------


def rule_status(org: OrgHandle, rule_id: str) -> bool:
    return crm(org, "GET", f"{RULES}/{rule_id}").json()["workflow_rules"][0]["status"]["active"]


def page_clock_date(org: OrgHandle) -> str:
    clock = requests.get(f"{org.url}/__admin/clock", params={"org_id": org.org_id}, timeout=30)
    return clock.json()["now"][:10]
