"""Browser fixtures: a live mockcrm (mockcrm.testing.LiveServer) and Debian's headless Chromium
driven by Playwright's sync API.

Without Chromium or Playwright the tests skip with the reason, unless MOCKCRM_REQUIRE_BROWSER=1
(set by .ci/run): then they fail, so CI can never pass without having run them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mockcrm.testing import LiveServer, OrgHandle

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous: CI machines can be slow. These are upper bounds for waiting, never assertions.
WAIT_MS = 20_000


def _chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("MOCKCRM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"MOCKCRM_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(f"{reason} (install Debian's chromium and `pip install -e '.[test]'`)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = _chromium()
    if executable is None:
        _unavailable("no Chromium at /usr/bin/chromium or on PATH")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with LiveServer.start() as live:
        yield live


@pytest.fixture
def isolated(server: LiveServer) -> Iterator[OrgHandle]:
    """A fresh Zylker org of this test's own: tests that change state never meet."""
    handle = server.admin.create_org()
    try:
        yield handle
    finally:
        server.admin.delete_org(handle.org_id)


@pytest.fixture
def empty(server: LiveServer) -> Iterator[OrgHandle]:
    """An isolated org of Zylker's fields without rules or records: a page showing the default
    org's 102 rules would be wrong, and a test's deals are the only ones."""
    handle = server.admin.create_org(seed="empty")
    try:
        yield handle
    finally:
        server.admin.delete_org(handle.org_id)


class Page:
    """A Playwright page bound to the live server, collecting console errors and page errors."""

    def __init__(self, page: Any, url: str, name: str) -> None:
        self.page = page
        self.url = url
        self.name = name
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on(
            "console",
            lambda msg: self.errors.append(f"console: {msg.text}") if msg.type == "error" else None,
        )

    def open(self, path: str) -> Any:
        """Load a dashboard page and wait until its script says its data is in."""
        self.page.goto(self.url + path)
        self.page.wait_for_selector("body[data-loaded]", timeout=WAIT_MS)
        return self.page

    def answered(self, status: int) -> None:
        """The page got an expected `status`: Chromium logs every 4xx load as a console error,
        which would fail the test; this checks it is there and takes it off the list."""
        failed = f"Failed to load resource: the server responded with a status of {status} "
        assert any(failed in error for error in self.errors), self.errors
        self.errors[:] = [error for error in self.errors if failed not in error]

    def shot(self, label: str, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{self.name}-{label}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def page(browser: Any, server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(WAIT_MS)
    wrapped = Page(context.new_page(), server.url, request.node.name)
    try:
        yield wrapped
        assert wrapped.errors == [], wrapped.errors
    finally:
        context.close()
