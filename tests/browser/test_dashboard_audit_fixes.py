"""The dashboard against the org it shows: which org its calls reach, that they leave the org
under test alone, the tokens it mints, and the edges the dashboard audit found (stale tokens,
hidden tabs, big orgs, bad input, unknown ids, guarded and disabled admin APIs)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import requests

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture (conftest.py) skips or fails with the reason
    expect = None

from mockcrm.settings import Settings
from mockcrm.testing import LiveServer

RULES_PATH = "/crm/v8/settings/automation/workflow_rules"
VP_ALERT_ID = "4876876000016390024"
ADMIN_TOKEN = "sandbox-secret"
TOKEN_KEY = "mockcrm.sandbox.token.{}"


def crm_requests(p: Any) -> list[Any]:
    """Every /crm/v8 request the page sends from now on (appended as they go)."""
    seen: list[Any] = []
    p.on("request", lambda req: seen.append(req) if "/crm/v8/" in req.url else None)
    return seen


# -- 3, 4: every CRM call names its org and marks itself as the dashboard's ----------------------


def test_crm_calls_name_the_org_and_say_they_are_the_dashboards(page, server, isolated):
    seen = crm_requests(page.page)
    for path in ("/", f"/sandbox/rules/{VP_ALERT_ID}", "/sandbox/try"):
        page.open(f"{path}?org={isolated.org_id}")
    page.open("/")  # the default org: its real id, which its tokens carry
    assert seen
    by_org = {req.headers.get("x-crm-org") for req in seen}
    assert by_org == {isolated.org_id, server.store.default_org_id}
    assert {req.headers.get("x-mockcrm-dashboard") for req in seen} == {"1"}


@pytest.mark.parametrize("stale", ["unknown", "another org's"])
def test_a_stale_cached_token_never_reaches_another_org(page, server, empty, stale):
    """After a restart the tab's cached token is unknown (permissive auth would send it to the
    default org), or, with ids reused, one of another org: the page still shows its own org."""
    planted = "gone-with-the-restart" if stale == "unknown" else server.admin.issue_token("default")
    p = page.open("/")
    p.evaluate(
        "([k, v]) => sessionStorage.setItem(k, v)", [TOKEN_KEY.format(empty.org_id), planted]
    )
    page.open(f"/?org={empty.org_id}")
    expect(p.locator('[data-stat="total"]')).to_have_text("0")  # not the default org's 102
    p.goto(f"{page.url}/sandbox/try?org={empty.org_id}")
    p.wait_for_selector("body[data-loaded]")
    p.get_by_label("Deal name", exact=True).fill("Stale-token deal")
    p.get_by_role("button", name="Create deal").click()
    expect(p.locator("#deal-result")).to_contain_text("record added")
    deal_id = p.get_by_label("Deal to edit", exact=True).input_value()
    assert deal_id in server.store.orgs[empty.org_id].records["Deals"]
    assert deal_id not in server.store.org().records["Deals"]
    used = p.evaluate("(k) => sessionStorage.getItem(k)", TOKEN_KEY.format(empty.org_id))
    if stale != "unknown":  # refused (INVALID_TOKEN), then re-issued for this org
        assert used != planted and server.store.tokens[used].org_id == empty.org_id
        page.answered(401)


def test_dashboard_calls_leave_faults_credits_and_journal_alone(page, server, isolated):
    org_id = isolated.org_id
    fault_id = server.admin.fault(status=429, path=RULES_PATH, org_id=org_id, times=1)
    try:
        server.admin.set_credits(org_id, daily_limit=5)
        for path in ("/", f"/sandbox/rules/{VP_ALERT_ID}", "/sandbox/try"):
            page.open(f"{path}?org={org_id}")
        assert [f["id"] for f in server.admin.faults()] == [fault_id]  # still waiting
        assert server.admin.credits(org_id)["used"] == 0
        assert server.admin.requests(org_id=org_id) == []
    finally:  # used up (without the header) or still there
        if any(f["id"] == fault_id for f in server.admin.faults()):
            server.admin.delete_fault(fault_id)


# -- 5: tokens the dashboard mints live an hour; an expired one is re-issued ---------------------


def test_minted_tokens_expire_and_are_reissued(page, server, isolated):
    issued = []
    page.page.on(
        "request",
        lambda req: (
            issued.append(req.post_data_json) if req.url.endswith("/__admin/tokens") else None
        ),
    )
    p = page.open(f"/sandbox/rules/{VP_ALERT_ID}?org={isolated.org_id}")
    assert issued == [{"org_id": isolated.org_id, "expires_in": 3600}]
    key = TOKEN_KEY.format(isolated.org_id)
    first = p.evaluate("(k) => sessionStorage.getItem(k)", key)
    token = server.store.tokens[first]
    clock = server.store.orgs[isolated.org_id].clock.now()
    assert timedelta(minutes=59) < token.expires_at - clock <= timedelta(hours=1)
    server.admin.advance(isolated.org_id, hours=2)  # the org's clock passes the token's hour
    page.open(f"/sandbox/rules/{VP_ALERT_ID}?org={isolated.org_id}")
    expect(p.get_by_role("heading", level=1)).to_have_text("VP Alert - High Value Deal")
    assert len(issued) == 2 and p.evaluate("(k) => sessionStorage.getItem(k)", key) != first
    page.answered(401)  # the expired token, refused once


# -- 7: Activity fetches the latest 50 only, and polls nothing while hidden ----------------------

# Counts the page's fetches as they are made (synchronously, unlike network events), on <html>.
COUNT_FETCHES = """
const realFetch = window.fetch;
let fetches = 0;
window.fetch = (...args) => {
  document.documentElement.dataset.fetches = String((fetches += 1));
  return realFetch(...args);
};
"""
SET_VISIBILITY = """(state) => {
  Object.defineProperty(document, 'visibilityState', {value: state, configurable: true});
  document.dispatchEvent(new Event('visibilitychange'));
}"""


def test_activity_asks_for_the_latest_only_and_rests_while_hidden(page, isolated):
    p = page.page
    admin_urls: list[str] = []
    p.on("request", lambda req: admin_urls.append(req.url) if "/__admin/orgs/" in req.url else None)
    p.add_init_script(COUNT_FETCHES)
    p.clock.install()
    p.clock.pause_at("2030-01-01T00:00:00Z")  # page timers run only when the test says so
    page.open(f"/sandbox/activity?org={isolated.org_id}")
    logs = {re.sub(r".*/orgs/[^/]+", "", url) for url in admin_urls}
    assert logs == {"/outbox?limit=50", "/executions?limit=50"}

    fetches = p.locator("html")
    before = int(fetches.get_attribute("data-fetches"))
    p.evaluate(SET_VISIBILITY, "hidden")
    p.clock.run_for(60_000)  # 30 polling periods: a hidden tab polls nothing
    expect(fetches).to_have_attribute("data-fetches", str(before))
    p.evaluate(SET_VISIBILITY, "visible")  # back in view: refreshed at once (3 logs)
    expect(fetches).to_have_attribute("data-fetches", str(before + 3))


# -- 8: the chart keeps its value labels inside the drawing --------------------------------------

LABEL_OVERFLOW = """() => {
  const svg = document.querySelector('svg.bar-chart');
  const width = svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text.bar-value')]
    .map(t => ({text: t.textContent, over: t.getBBox().x + t.getBBox().width - width}))
    .filter(t => t.over > 0);
}"""


def test_chart_labels_fit_when_modules_have_hundreds_of_rules(page, server):
    big = server.admin.create_org(fake_rules=619, fake_seed=1)  # 120 rules (50 off) per module
    try:
        p = page.open(f"/?org={big.org_id}")
        expect(p.locator('svg.bar-chart g[data-module="Leads"] text.bar-value')).to_have_text(
            "120 (50 off)"
        )
        assert p.evaluate(LABEL_OVERFLOW) == []
        p.set_viewport_size({"width": 420, "height": 800})
        page.open(f"/?org={big.org_id}")
        assert p.evaluate(LABEL_OVERFLOW) == []
    finally:
        server.admin.delete_org(big.org_id)


# -- 9: Try it refuses an Amount it cannot send as a number --------------------------------------


def test_try_it_refuses_an_amount_that_is_not_a_finite_number(page, isolated):
    p = page.open(f"/sandbox/try?org={isolated.org_id}")
    p.get_by_label("Deal name", exact=True).fill("Amount deal")
    p.get_by_label("Amount", exact=True).fill("1000")
    p.get_by_role("button", name="Create deal").click()
    expect(p.locator("#deal-result")).to_contain_text("record added")
    deal_id = p.get_by_label("Deal to edit", exact=True).input_value()
    writes = []
    p.on("request", lambda req: writes.append(req) if req.method in ("POST", "PUT") else None)

    amount = p.get_by_label("Amount", exact=True)
    amount.fill("1e400")  # JSON would send Infinity as null, clearing the Amount
    p.get_by_role("button", name="Save changes").click()
    result = p.locator("#deal-result")
    expect(result).to_have_text("Amount must be a finite number: nothing was sent.")
    expect(result).to_have_class("result error")
    amount.fill("")
    amount.focus()
    p.keyboard.type("1e")  # not a number: the input reads "" (badInput), which clears on edit
    result.evaluate("e => { e.textContent = '' }")
    p.get_by_role("button", name="Save changes").click()
    expect(result).to_have_text("Amount must be a finite number: nothing was sent.")
    assert writes == []
    record = requests.get(
        f"{isolated.url}/crm/v8/Deals/{deal_id}", headers=isolated.headers, timeout=30
    ).json()["data"][0]
    assert record["Amount"] == 1000


# -- 13: an unknown rule id --------------------------------------------------------------------


def test_an_unknown_rule_id_is_said_not_found(page, isolated):
    p = page.page
    p.goto(f"{page.url}/sandbox/rules/1234567890123456789?org={isolated.org_id}")
    expect(p.locator("#status")).to_have_text("Rule 1234567890123456789 not found in this org.")
    expect(p.get_by_role("button", name="Change status")).to_be_disabled()
    page.answered(400)


# -- 17: the org picker shows the org id first -------------------------------------------------


def test_org_picker_shows_the_org_id_first(page, isolated):
    p = page.open(f"/?org={isolated.org_id}")
    picker = p.get_by_label("Org", exact=True)
    label = picker.locator(f'option[value="{isolated.org_id}"]').inner_text()
    assert label.startswith(f"{isolated.org_id} · ")
    expect(picker).to_have_attribute("title", label)
    expect(picker.locator('option[value="default"]')).to_have_text(re.compile(r"^Default org · "))
    # The closed select is wide enough to show the id (isolated orgs share the seed's name).
    id_fits = p.evaluate(
        """(id) => {
          const select = document.getElementById('org-select');
          const ctx = document.createElement('canvas').getContext('2d');
          ctx.font = getComputedStyle(select).font;
          return ctx.measureText(id + ' · ').width < select.clientWidth;
        }""",
        isolated.org_id,
    )
    assert id_fits


# -- 6, 15: a server guarded by --admin-token --------------------------------------------------


@pytest.fixture(scope="module")
def guarded() -> Iterator[LiveServer]:
    with LiveServer.start(settings=Settings(admin_token=ADMIN_TOKEN)) as live:
        yield live


def test_guarded_server_asks_for_its_token_then_says_a_wrong_one_is_refused(browser, guarded):
    context = browser.new_context()
    try:
        p = context.new_page()
        p.goto(guarded.url + "/")
        expect(p.locator("#status")).to_have_text(
            "This server needs its admin token: enter it above."
        )
        p.get_by_label("Admin token", exact=True).fill("not-the-token")
        p.get_by_role("button", name="Use token").click()
        expect(p.locator("#status")).to_have_text(
            "The admin API refused the admin token: enter the server's admin token above."
        )
    finally:
        context.close()


def test_admin_token_never_goes_into_the_url_without_javascript(browser, guarded):
    context = browser.new_context(java_script_enabled=False)
    try:
        p = context.new_page()
        p.goto(guarded.url + "/")
        sent: list[Any] = []
        p.on("request", lambda req: sent.append(req) if req.is_navigation_request() else None)
        p.get_by_label("Admin token", exact=True).fill(ADMIN_TOKEN)
        with p.expect_navigation():
            p.keyboard.press("Enter")
        [submit] = sent
        assert submit.method == "POST"  # a no-JS submit: no query string, no token in the body
        assert ADMIN_TOKEN not in submit.url and "admin_token" not in submit.url
        assert ADMIN_TOKEN not in (submit.post_data or "")
        assert ADMIN_TOKEN not in p.url
    finally:
        context.close()


# -- 16: --no-admin disables what could only fail ----------------------------------------------


def test_no_admin_disables_try_it_forms_and_the_live_toggle(browser):
    with LiveServer.start(settings=Settings(no_admin=True)) as bare:
        context = browser.new_context()
        try:
            p = context.new_page()
            p.goto(bare.url + "/sandbox/try")
            expect(p.get_by_role("alert")).to_contain_text("The admin API is off")
            for name in ("Create deal", "Advance clock"):
                expect(p.get_by_role("button", name=name)).to_be_disabled()
            for label in ("Deal name", "Amount", "Stage", "Advance by", "Unit"):
                expect(p.get_by_label(label, exact=True)).to_be_disabled()
            p.goto(bare.url + "/sandbox/activity")
            expect(p.get_by_role("button", name="Pause live updates")).to_be_disabled()
            expect(p.locator("#live-state")).to_have_text("Off: the admin API is off")
        finally:
            context.close()
