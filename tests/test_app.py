"""The app shell and the home page: served by real gunicorn, driven in headless Chromium."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


def test_health(live_server: str) -> None:
    with urllib.request.urlopen(live_server + "/healthz") as response:
        assert response.status == 200
        assert b'"database":"ok"' in response.read().replace(b" ", b"")


def test_language_switch_does_not_redirect_off_site(live_server: str) -> None:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(NoRedirect)
    for target, expected in (("/", "/"), ("https://evil.example/", "/"), ("//evil.example", "/")):
        try:
            opener.open(f"{live_server}/taal/en?next={target}")
        except urllib.error.HTTPError as redirect:
            assert redirect.code == 302
            assert redirect.headers["Location"] == expected
            assert "regiokompas_lang=en" in redirect.headers["Set-Cookie"]


@pytest.mark.browser
def test_home_page_shows_figures_and_demo_banner(live_server: str, page) -> None:
    page.goto(live_server + "/")
    page.wait_for_selector("#home-total")
    assert "Demodata (synthetisch)" in page.inner_text("#demo-banner")
    total = page.inner_text("#home-total")
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", total), total  # Dutch thousands separator
    assert int(total.replace(".", "")) > 0
    rows = page.locator("#home-regions-table tbody tr")
    assert rows.count() == 5
    first_region = rows.nth(0).locator("td").nth(1).text_content() or ""
    assert re.fullmatch(r"AM\d\d", first_region)
    page.wait_for_selector("#home-trend .main-svg")
    assert page.locator("#home-freshness tbody tr").count() >= 3  # the three demo sources
    assert page.get_attribute("html", "lang") == "nl"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "home-1366.png"), full_page=True)
    assert page.console_errors == []


@pytest.mark.browser
def test_home_page_in_english_and_on_a_phone(live_server: str, browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto(live_server + "/")
        page.wait_for_selector("#home-total")
        page.click("#language-link")
        page.wait_for_selector("text=The labour market at a glance")
        assert page.get_attribute("html", "lang") == "en"
        assert "Demodata (synthetisch)" in page.inner_text("#demo-banner")
        total = page.inner_text("#home-total")
        assert re.fullmatch(r"\d{1,3}(,\d{3})*", total), total
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page is {width}px wide on a 390px screen"
        page.screenshot(path=str(SCREENSHOTS / "home-390-en.png"), full_page=True)
        assert errors == []
    finally:
        context.close()


@pytest.mark.browser
def test_keyboard_reaches_navigation_and_skip_link(live_server: str, page) -> None:
    page.goto(live_server + "/")
    page.wait_for_selector("#home-total")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
