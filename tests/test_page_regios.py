"""The Regio's page in the browser: create a region, find it in the overview's region picker,
open its share link, refuse a wrong edit link, change and delete it with the right one.

Runs on its own copy of the demo store and its own gunicorn (regions are written)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from test_page_vacatures import SCREENSHOTS, copy_store, serve

NAME = "Regio Testland <b>vet</b>"


@pytest.fixture(scope="module")
def server(demo_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("regios")
    url = copy_store(demo_store, workdir / "store.db")
    with serve(url, workdir) as base:
        yield base


def _choose(page: Any, label: str, text: str, option: str) -> None:
    field = page.get_by_role("textbox", name=label, exact=True)
    field.click()
    field.fill(text)
    page.get_by_role("option", name=option, exact=True).click()


@pytest.mark.browser
def test_create_share_edit_and_delete_a_region(server: str, page: Any) -> None:
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
    token = parse_qs(urlsplit(edit).query)["sleutel"][0]
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

    # A wrong key opens nothing; the right one opens the form for this region.
    page.goto(f"{server}/regios?bewerk={code}&sleutel=verkeerd")
    page.wait_for_selector("#reg-bad-link")
    assert page.locator("#reg-delete:visible").count() == 0
    page.goto(server + edit)
    page.wait_for_selector("#reg-delete:visible")
    assert page.input_value("#reg-name") == NAME
    page.fill("#reg-name", "Regio Testland")
    page.click("#reg-save")
    page.wait_for_selector("#reg-saved")
    page.wait_for_selector(f'#reg-table tr[data-code="{code}"] >> text=Regio Testland')

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
