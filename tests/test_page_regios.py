"""The Regio's page in the browser: create a region, find it in the overview's region picker,
open its share link, refuse a wrong edit link, change and delete it with the right one; the
edit token never reaches the server in a URL (so never the access log); region creation is
rate limited per client address.

Runs on its own copies of the demo store and its own gunicorns (regions are written)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from test_page_vacatures import SCREENSHOTS

NAME = "Regio Testland <b>vet</b>"


@pytest.fixture(scope="module")
def server(demo_store_copy: Callable[[str], str], app_servers: Any) -> str:
    return str(app_servers.start(demo_store_copy("regios")))


def _choose(page: Any, label: str, text: str, option: str) -> None:
    field = page.get_by_role("textbox", name=label, exact=True)
    field.click()
    field.fill(text)
    page.get_by_role("option", name=option, exact=True).click()


@pytest.mark.browser
def test_create_share_edit_and_delete_a_region(server: str, page: Any, app_servers: Any) -> None:
    page.goto(server + "/regios")
    page.wait_for_selector("#reg-save")
    assert page.locator("#reg-list-empty").count() == 1
    page.wait_for_selector("#reg-map .main-svg")  # the map picker (geometry in ../shared/geo)

    # Nothing filled in: the form says what is missing and stores nothing.
    page.click("#reg-save")
    page.wait_for_selector("#reg-error")
    assert "Geef de regio een naam." in page.inner_text("#reg-form")
    assert "Kies minstens één gemeente." in page.inner_text("#reg-form")

    page.fill("#reg-name", NAME)
    _choose(
        page,
        "Alle gemeenten van een provincie, arbeidsmarktregio of COROP-gebied",
        "Regio Zwolle",
        "Regio Zwolle (AM36, 16 gemeenten)",
    )
    page.click("#reg-add-group")
    page.wait_for_function("document.querySelector('#reg-count').innerText.startsWith('16 ')")
    _choose(page, "Gemeenten", "Amsterd", "Amsterdam")
    page.wait_for_function("document.querySelector('#reg-count').innerText.startsWith('17 ')")
    page.click("#reg-save")
    page.wait_for_selector("#reg-saved")
    assert NAME in page.inner_text("#reg-saved")
    share = page.get_attribute("#reg-share-url", "href") or ""
    edit = page.get_attribute("#reg-edit-url", "href") or ""
    code = parse_qs(urlsplit(share).query)["regio"][0]
    assert re.fullmatch(r"eigen-regio-testland-b-vet-b-[0-9a-f]{4}", code)
    assert "sleutel" not in urlsplit(edit).query  # the token travels in the fragment only
    token = parse_qs(urlsplit(edit).fragment)["sleutel"][0]
    assert len(token) >= 32
    row = page.locator(f'#reg-table tr[data-code="{code}"]')
    row.wait_for()
    assert NAME in row.inner_text() and "17" in row.inner_text()
    assert row.get_by_role("link", name=f"Bewerk of verwijder {NAME}").count() == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "regios-1366.png"), full_page=True)

    # After a reload the overview's region picker offers it; the share link shows it.
    page.goto(server + "/")
    page.wait_for_selector("#home-total")
    _choose(page, "Regio", "Testland", NAME)
    page.wait_for_url(f"**regio={code}**")
    page.goto(server + share)
    page.wait_for_selector("#home-total")
    assert page.get_by_role("textbox", name="Regio", exact=True).input_value() == NAME
    assert NAME in page.inner_text(".rk-lead")
    with_amsterdam = page.inner_text("#home-total")

    # A wrong key opens nothing; the right one opens the form for this region.
    page.goto(f"{server}/regios?bewerk={code}#sleutel=verkeerd")
    page.wait_for_selector("#reg-bad-link")
    assert page.locator("#reg-delete:visible").count() == 0
    page.goto(server + edit)
    page.wait_for_selector("#reg-delete:visible")
    assert page.input_value("#reg-name") == NAME
    assert page.inner_text("#reg-title") == f"Regio bewerken: {NAME}"
    assert page.inner_text("#reg-count").startswith("17 ")
    page.fill("#reg-name", "Regio Testland")
    # The skip link changes the fragment too; the open form and what was typed stay.
    page.evaluate("document.querySelector('.rk-skip-link').click()")
    page.wait_for_function("location.hash === '#main'")
    page.wait_for_timeout(500)  # room for a (wrong) callback to redraw the form
    assert page.input_value("#reg-name") == "Regio Testland"
    assert page.locator("#reg-delete:visible").count() == 1
    page.click("#reg-clear")  # then only Regio Zwolle again: Amsterdam leaves the region
    page.wait_for_function("document.querySelector('#reg-count').innerText.startsWith('0 ')")
    _choose(
        page,
        "Alle gemeenten van een provincie, arbeidsmarktregio of COROP-gebied",
        "Regio Zwolle",
        "Regio Zwolle (AM36, 16 gemeenten)",
    )
    page.click("#reg-add-group")
    page.wait_for_function("document.querySelector('#reg-count').innerText.startsWith('16 ')")
    page.click("#reg-save")
    page.wait_for_selector("#reg-saved")
    page.wait_for_selector(f'#reg-table tr[data-code="{code}"] >> text=Regio Testland')

    # The next request for the region shows its new gemeenten (the cache forgot the old ones).
    page.goto(server + share)
    page.wait_for_selector("#home-total")
    assert "Regio Testland" in page.inner_text(".rk-lead")
    without_amsterdam = page.inner_text("#home-total")
    assert int(without_amsterdam.replace(".", "")) < int(with_amsterdam.replace(".", ""))
    page.goto(server + edit)
    page.wait_for_selector("#reg-delete:visible")

    page.click("#reg-delete")
    page.wait_for_selector("#reg-confirm-delete")
    assert "Regio Testland" in page.inner_text("#reg-confirm-text")
    page.click("#reg-confirm-delete")
    page.wait_for_selector("#reg-deleted")
    page.wait_for_selector("#reg-list-empty")
    page.goto(server + share)  # the share link of a deleted region shows the whole country
    page.wait_for_selector("#home-total")
    assert "Regio Testland" not in page.inner_text(".rk-lead")
    assert token not in page.url
    assert page.console_errors == []
    # gunicorn logged every page request, the edit links included, but never the token.
    log = app_servers.logs[server].read_text(encoding="utf-8", errors="replace")
    assert f"GET /regios?bewerk={code} " in log
    assert token not in log
    assert "sleutel" not in log


def _create(page: Any, name: str) -> None:
    page.fill("#reg-name", name)
    _choose(page, "Gemeenten", "Zwol", "Zwolle")
    page.wait_for_function("document.querySelector('#reg-count').innerText.startsWith('1 ')")
    page.click("#reg-save")


@pytest.mark.browser
def test_region_creation_is_rate_limited_across_workers(
    demo_store_copy: Callable[[str], str], app_servers: Any, redis_url: str, page: Any
) -> None:
    """Two new regions an hour from one address: the third is refused and not stored, and
    editing stays possible. Counted in Redis, so both gunicorn workers share the count."""
    base = app_servers.start(
        demo_store_copy("regios-limit"),
        cache_type="RedisCache",
        cache_redis_url=redis_url,
        region_create_limit="2 per hour",
    )
    page.goto(base + "/regios")
    page.wait_for_selector("#reg-save")
    for number in (1, 2):
        _create(page, f"Regio {number}")
        page.wait_for_selector("#reg-saved")
        page.wait_for_selector(f"#reg-table tr >> text=Regio {number}")
        page.reload()  # a new page (and perhaps the other worker) each time
        page.wait_for_selector("#reg-save")
    _create(page, "Regio 3")
    page.wait_for_selector("#reg-limited")
    assert "2 per hour" in page.inner_text("#reg-limited")
    assert page.input_value("#reg-name") == "Regio 3"  # the form keeps what was typed
    page.reload()
    page.wait_for_selector("#reg-table")
    assert page.locator("#reg-table tbody tr").count() == 2
    assert page.console_errors == []
