"""The matching page (/matchen) in a real browser on its own server: skills typed or found in a
pasted text give open vacancies with the skills they lack, and nothing entered reaches the
store, the URL or the server's log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, inspect, select, table, text

from data.store.session import engine_for

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "var" / "screenshots"
MARKER = "Zq7-privé-merkteken"


@pytest.mark.filterwarnings("ignore:Flask-Caching")
def test_highlighted_marks_spans_as_text(demo_store: str) -> None:
    from app import create_app
    from data.settings import Settings

    create_app(Settings(database_url=demo_store, cache_type="NullCache"))
    from dashboard.pages.matchen import highlighted

    parts = highlighted("VCA en <b>Excel</b>", [(0, 3), (10, 15), (1, 2)])
    assert parts[0].children == "VCA" and parts[1] == " en <b>"
    assert parts[2].children == "Excel" and parts[3] == "</b>"


def _row_counts(url: str) -> dict[str, int]:
    engine = engine_for(url)
    with engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(table(name))).scalar_one()
            for name in inspect(engine).get_table_names()
        }


@pytest.fixture(scope="module")
def matching_server(demo_store_copy: Any, app_servers: Any) -> tuple[str, str, Path]:
    url = demo_store_copy("matchen")
    base = app_servers.start(url)
    return base, url, app_servers.logs[base]


@pytest.mark.browser
def test_matching_stores_and_logs_nothing(matching_server: Any, page: Any) -> None:
    base, url, log = matching_server
    before = _row_counts(url)
    page.goto(base + "/matchen")
    page.wait_for_selector("#matchen-empty", timeout=60_000)

    # Skills typed in the picker.
    picker = page.get_by_role("textbox", name="Vaardigheden", exact=True)
    for name in ("Excel", "VCA"):
        picker.click()
        picker.fill(name)
        page.get_by_role("option", name=name, exact=True).click()
    page.keyboard.press("Escape")
    page.click("#matchen-button")
    page.wait_for_selector("#matchen-list li", timeout=60_000)
    first = page.locator("#matchen-list li").first
    assert "Je hebt:" in first.inner_text()
    assert page.locator(".rk-match-missing").count() >= 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "matchen-1366.png"), full_page=True)

    # A pasted text: the skills found are shown as chips and marked in the text.
    page.fill("#matchen-text", f"{MARKER}: ik heb een VCA-diploma en werk graag met Excel.")
    page.click("#matchen-button")
    page.wait_for_selector("#matchen-found .rk-skill-chip", timeout=60_000)
    chips = page.text_content("#matchen-found") or ""
    assert "VCA" in chips and "Excel" in chips
    assert page.locator("#matchen-preview mark").count() >= 2
    page.wait_for_selector("#matchen-list li", timeout=60_000)

    assert MARKER not in page.url and "excel" not in page.url.lower()
    assert _row_counts(url) == before
    engine = engine_for(url)
    with engine.connect() as connection:
        for name in inspect(engine).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{name}"')):
                assert MARKER not in repr(row), name
    assert MARKER not in log.read_text(errors="replace")
    assert page.console_errors == []
