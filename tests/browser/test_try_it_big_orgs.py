"""Try it in big orgs (dashboard audit finding 14): the schedule table names its rules without
downloading every rule of the org, and the Deal picker pages back to the oldest deal."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture (conftest.py) skips or fails with the reason
    expect = None

from mockcrm.testing import OrgHandle

RULES_PATH = "/crm/v8/settings/automation/workflow_rules"
WEB_LEAD_RULE = ("4876876000011040016", "New Web Lead - Assign and Follow Up")
HIGH_VALUE_RULE = ("4876876000013248001", "High Value Lead Rule")
WEB_LEAD = {"Last_Name": "Web", "Lead_Source": "Web Download"}  # queues one task group
HIGH_VALUE_LEAD = {"Last_Name": "Rich", "Annual_Revenue": 2_000_000}  # queues one email group


def crm_requests(p: Any) -> list[str]:
    """The path and query of every /crm/v8 GET the page sends from now on."""
    seen: list[str] = []

    def note(req: Any) -> None:
        if "/crm/v8/" in req.url and req.method == "GET":
            parts = urlsplit(req.url)
            seen.append(f"{parts.path}?{parts.query}" if parts.query else parts.path)

    p.on("request", note)
    return seen


def post(org: OrgHandle, module: str, records: list[dict[str, Any]]) -> None:
    for start in range(0, len(records), 100):  # the records API takes 100 per call
        resp = requests.post(
            f"{org.url}/crm/v8/{module}",
            json={"data": records[start : start + 100]},
            headers=org.headers,
            timeout=60,
        )
        assert resp.status_code == 201, resp.text


# -- the schedule names its rules: one GET per rule it names, none of the rule list ----------


def schedule_rows(p: Any, name: str) -> Any:
    return p.locator("#schedule-table tbody tr").filter(
        has=p.get_by_role("rowheader", name=name, exact=True)
    )


def test_schedule_names_its_rules_reading_each_named_rule_once(page, isolated):
    post(isolated, "Leads", [WEB_LEAD, WEB_LEAD])
    seen = crm_requests(page.page)
    p = page.open(f"/sandbox/try?org={isolated.org_id}")
    web_id, web_name = WEB_LEAD_RULE
    expect(schedule_rows(p, web_name)).to_have_count(2)
    expect(schedule_rows(p, web_name).first.get_by_role("link")).to_have_attribute(
        "href", f"/sandbox/rules/{web_id}?org={isolated.org_id}"
    )
    rule_reads = [path for path in seen if path.startswith(RULES_PATH)]
    assert rule_reads == [f"{RULES_PATH}/{web_id}"]  # not the list of every rule

    # One more entry of a known rule and one of a rule not met yet: the schedule is read again
    # when the clock moves, and only the new rule is asked for.
    post(isolated, "Leads", [WEB_LEAD, HIGH_VALUE_LEAD])
    p.get_by_label("Advance by", exact=True).fill("1")
    p.get_by_label("Unit", exact=True).select_option("minutes")
    p.get_by_role("button", name="Advance clock").click()
    high_id, high_name = HIGH_VALUE_RULE
    expect(schedule_rows(p, high_name)).to_have_count(1)
    expect(schedule_rows(p, web_name)).to_have_count(3)
    expect(p.locator("#schedule-count")).to_have_text(
        "4 scheduled action groups waiting for the clock."
    )
    rule_reads = [path for path in seen if path.startswith(RULES_PATH)]
    assert rule_reads == [f"{RULES_PATH}/{web_id}", f"{RULES_PATH}/{high_id}"]


def test_a_rule_that_cannot_be_read_shows_its_id_and_is_asked_for_again(page, isolated):
    post(isolated, "Leads", [WEB_LEAD])
    web_id, web_name = WEB_LEAD_RULE
    seen = crm_requests(page.page)
    refused: list[str] = []

    def refuse_once(route: Any) -> None:
        if refused:
            route.continue_()
            return
        refused.append(route.request.url)
        route.fulfill(status=400, json={"code": "INVALID_DATA", "status": "error"})

    p = page.page
    p.route(f"**{RULES_PATH}/{web_id}", refuse_once)
    page.open(f"/sandbox/try?org={isolated.org_id}")
    expect(schedule_rows(p, web_id)).to_have_count(1)  # named by its id, not left blank
    page.answered(400)
    p.get_by_label("Unit", exact=True).select_option("minutes")
    p.get_by_role("button", name="Advance clock").click()
    expect(schedule_rows(p, web_name)).to_have_count(1)
    assert [path for path in seen if path.startswith(RULES_PATH)] == [f"{RULES_PATH}/{web_id}"] * 2


# -- the Deal picker pages back to the oldest deal ---------------------------------------------


def deals(count: int) -> list[dict[str, Any]]:
    return [
        {"Deal_Name": f"Deal {n:04d}", "Stage": "Qualification", "Amount": n} for n in range(count)
    ]


def deal_pages(seen: list[str]) -> list[str]:
    """How each list of deals was asked for: `page=N` or `page_token`."""
    asked = []
    for path in seen:
        if path.startswith("/crm/v8/Deals?"):
            query = parse_qs(urlsplit(path).query)
            assert query["per_page"] == ["200"]
            assert (query["sort_by"], query["sort_order"]) == (["Modified_Time"], ["desc"])
            asked.append(f"page={query['page'][0]}" if "page" in query else "page_token")
    return asked


def test_deal_picker_pages_back_to_the_oldest_deal(page, empty):
    post(empty, "Deals", deals(2050))  # past the 2000 records Zoho serves by page number
    seen = crm_requests(page.page)
    p = page.open(f"/sandbox/try?org={empty.org_id}")
    picker = p.get_by_label("Deal to edit", exact=True)
    listed = p.locator("#deal-listed")
    older = p.get_by_role("button", name="Older deals")
    expect(picker.locator("option")).to_have_count(201)  # "New deal" and the newest page
    expect(listed).to_have_text("The 200 most recently modified deals are listed.")
    assert deal_pages(seen) == ["page=1"]
    page.shot("first-page")

    for shown in range(400, 2001, 200):
        older.click()
        expect(listed).to_have_text(f"The {shown} most recently modified deals are listed.")
    older.click()
    expect(listed).to_have_text("All 2050 deals are listed.")
    expect(older).to_be_hidden()
    expect(picker.locator("option")).to_have_count(2051)
    assert deal_pages(seen) == [f"page={n}" for n in range(1, 11)] + ["page_token"]

    oldest = picker.locator("option").filter(has_text=re.compile(r"^Deal 0000 · "))
    deal_id = oldest.get_attribute("value")
    picker.select_option(deal_id)
    expect(p.get_by_label("Deal name", exact=True)).to_have_value("Deal 0000")
    p.get_by_label("Amount", exact=True).fill("123")
    p.get_by_role("button", name="Save changes").click()
    expect(p.locator("#deal-result")).to_contain_text("record updated")
    record = requests.get(
        f"{empty.url}/crm/v8/Deals/{deal_id}", headers=empty.headers, timeout=30
    ).json()["data"][0]
    assert (record["Deal_Name"], record["Amount"]) == ("Deal 0000", 123)


def test_a_saved_deal_not_on_the_newest_page_stays_selected(page, server, empty):
    # A frozen clock: every deal has the same Modified_Time, so the newest page is the highest
    # ids, and the oldest deal stays last when it is saved.
    now = server.admin.clock(empty.org_id)["now"]
    server.admin.set_clock(empty.org_id, now, freeze=True)
    post(empty, "Deals", deals(201))
    seen = crm_requests(page.page)
    p = page.open(f"/sandbox/try?org={empty.org_id}")
    picker = p.get_by_label("Deal to edit", exact=True)
    p.get_by_role("button", name="Older deals").click()
    expect(p.locator("#deal-listed")).to_have_text("All 201 deals are listed.")
    oldest = picker.locator("option").last
    expect(oldest).to_have_text(re.compile(r"^Deal 0000 · "))
    deal_id = oldest.get_attribute("value")
    picker.select_option(deal_id)
    p.get_by_label("Amount", exact=True).fill("7")
    p.get_by_role("button", name="Save changes").click()
    expect(p.locator("#deal-result")).to_contain_text("record updated")

    # The list starts again from the newest page, and the saved deal is listed and selected.
    expect(picker).to_have_value(deal_id)
    expect(p.get_by_role("button", name="Save changes")).to_be_visible()
    expect(picker.locator("option")).to_have_count(202)
    expect(picker.locator("option").nth(1)).to_have_text(f"Deal 0000 · Qualification · {deal_id}")
    assert deal_pages(seen) == ["page=1", "page=2", "page=1"]
    fields = "Deal_Name,Amount,Stage,Reason_For_Loss__s,Closing_Date"
    assert f"/crm/v8/Deals/{deal_id}?fields={fields}" in seen  # the saved deal, read by id


def test_an_older_page_asked_for_before_a_save_is_not_added_after_it(page, empty):
    post(empty, "Deals", deals(450))
    p = page.page
    held: list[Any] = []  # the third page's request, answered only when the test says so
    p.route(re.compile(r"/crm/v8/Deals\?.*&page=3$"), lambda route: held.append(route))
    page.open(f"/sandbox/try?org={empty.org_id}")
    picker = p.get_by_label("Deal to edit", exact=True)
    listed = p.locator("#deal-listed")
    older = p.get_by_role("button", name="Older deals")
    older.click()
    expect(listed).to_have_text("The 400 most recently modified deals are listed.")
    older.click()
    expect(older).to_be_disabled()  # waiting for the third page
    p.get_by_label("Deal name", exact=True).fill("Saved meanwhile")
    p.get_by_role("button", name="Create deal").click()
    expect(p.locator("#deal-result")).to_contain_text("record added")
    expect(listed).to_have_text("The 200 most recently modified deals are listed.")

    [third] = held
    third.continue_()
    expect(older).to_be_enabled()  # the third page came and was left out of the new list
    expect(listed).to_have_text("The 200 most recently modified deals are listed.")
    expect(picker.locator("option")).to_have_count(201)
    expect(picker.locator("option").nth(1)).to_contain_text("Saved meanwhile")
