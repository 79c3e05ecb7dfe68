"""The Vacatures page: one page of rows at a time, filters in the URL, the detail with its skill
spans, the export; hostile text stays text everywhere.

The browser tests run on a copy of the demo store with a few added rows (a vacancy titled
``<script>alert(1)</script>``, its duplicate posting with a ``javascript:`` URL, skill spans),
served by their own gunicorn, so the shared demo store stays untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from conftest import ROOT, _wait_for, free_port
from flask import Flask
from sqlalchemy import func, insert, select

from dashboard.cache import cache
from dashboard.queries import vacatures as vq
from data.settings import Settings
from data.store import OccupationClass, Skill, Vacancy, VacancyOccupation, VacancySkill
from data.store.session import session_scope

SCREENSHOTS = ROOT / "var" / "screenshots"
HOSTILE_TITLE = "<script>alert(1)</script>"
DUPLICATE_TITLE = "<img src=x onerror=alert(2)>"
TEXT = (
    "Wat vragen wij?\n"
    "Je werkt graag met Photoshop en hebt rijbewijs B. Kennis van SAP is een pré.\n\n"
    "Wat bieden wij?\n"
    "Een VCA-cursus op onze kosten. <b>Niet vet</b>"
)
SPANS = (  # surface, section, required
    ("Photoshop", "requirement", True),
    ("SAP", "requirement", False),
    ("VCA", "offer", False),
)


# --- A copy of the demo store with hostile rows, and a server for it ---------------------------


def add_hostile_vacancy(url: str) -> dict[str, Any]:
    """Insert a vacancy with a script title, skill spans and a duplicate posting."""
    with session_scope(url) as session:
        newest = session.execute(select(func.max(Vacancy.posted_at))).scalar_one()
        first_id = session.execute(select(func.max(Vacancy.id))).scalar_one() + 1
        occupation = session.execute(
            select(OccupationClass.code, OccupationClass.name)
            .where(OccupationClass.level == "beroepsgroep")
            .order_by(OccupationClass.code)
        ).first()
        assert occupation is not None
        common = {
            "employer": "=1+2 BV",
            "employer_norm": "1 2",
            "gemeente_code": "GM0193",
            "location_method": "naam_met_toevoeging",
            "posted_month": newest.replace(day=1),
            "education_level": "mbo 4",
            "level_min": 4,
            "level_max": 4,
            "hours_min": 32.0,
            "hours_max": 40.0,
            "contract_type": "vast",
            "sector": "M",
            "text": TEXT,
            "content_hash": "test",
            "cluster_id": first_id,
            "is_demo": True,
        }
        session.execute(
            insert(Vacancy),
            [
                {
                    **common,
                    "id": first_id,
                    "source": "Test Bron",
                    "source_id": "hostile-1",
                    "title": HOSTILE_TITLE,
                    "location_text": "Zwolle, OV, NL",
                    "posted_at": newest,
                    "url": "https://vacature.example.invalid/1?x=<b>",
                    "is_cluster_head": True,
                },
                {
                    **common,
                    "id": first_id + 1,
                    "source": "Test Bron 2",
                    "source_id": "hostile-2",
                    "title": DUPLICATE_TITLE,
                    "location_text": "<i>Zwolle</i>",
                    "posted_at": newest,
                    "url": "javascript:alert(3)",
                    "is_cluster_head": False,
                },
            ],
        )
        session.execute(
            insert(VacancyOccupation),
            [
                {
                    "vacancy_id": vid,
                    "occupation_code": occupation.code,
                    "score": 0.83,
                    "method": "test",
                }
                for vid in (first_id, first_id + 1)
            ],
        )
        spans = []
        for surface, section, required in SPANS:
            skill = Skill(key=f"test-{surface.lower()}", label_nl=surface, type="software")
            session.add(skill)
            session.flush()
            start = TEXT.index(surface)
            spans.append((start, start + len(surface), section, required))
            session.add(
                VacancySkill(
                    vacancy_id=first_id,
                    skill_id=skill.id,
                    start=start,
                    end=start + len(surface),
                    surface=surface,
                    section=section,
                    required=required,
                )
            )
    return {"id": first_id, "duplicate": first_id + 1, "spans": spans, "occupation": occupation}


@contextlib.contextmanager
def serve(url: str, workdir: Path) -> Iterator[str]:
    """The app on ``url``, served by gunicorn (two workers) on loopback, like ``live_server``."""
    port = free_port()
    env = {
        **os.environ,
        "REGIOKOMPAS_DATABASE_URL": url,
        "REGIOKOMPAS_CACHE_DIR": str(workdir / "cache"),
        "REGIOKOMPAS_CACHE_TYPE": "FileSystemCache",
    }
    log_path = workdir / "gunicorn.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
            + ["--graceful-timeout", "2", "--chdir", str(ROOT), "app:server"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            try:
                _wait_for(base + "/healthz", process)
            except (RuntimeError, TimeoutError) as error:
                log.flush()
                raise RuntimeError(f"{error}:\n{log_path.read_text()[-4000:]}") from error
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def hostile_store(demo_store_copy: Any) -> tuple[str, dict]:
    url = demo_store_copy("vacatures")
    return url, add_hostile_vacancy(url)


@pytest.fixture(scope="module")
def server(
    hostile_store: tuple[str, dict], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with serve(hostile_store[0], tmp_path_factory.mktemp("vacatures-server")) as base:
        yield base


@pytest.fixture
def app_context(hostile_store: tuple[str, dict]) -> Iterator[Settings]:
    settings = Settings(database_url=hostile_store[0], cache_type="SimpleCache")
    app = Flask("test-vacatures")
    app.config["REGIOKOMPAS_SETTINGS"] = settings
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})
    with app.app_context():
        yield settings


# --- Pure functions and queries, no browser ----------------------------------------------------


def test_periods() -> None:
    newest = dt.date(2026, 10, 1)
    assert vq.parse_period(None, newest) == vq.Period("12m", dt.date(2025, 11, 1), newest)
    assert vq.parse_period("1m", newest) == vq.Period("1m", newest, newest)
    assert vq.parse_period("24m", newest).first == dt.date(2024, 11, 1)
    assert vq.parse_period("alles", newest) == vq.Period("alles", None, None)
    assert vq.parse_period("2025-02", newest) == vq.Period(
        "2025-02", dt.date(2025, 2, 1), dt.date(2025, 2, 1)
    )
    assert vq.parse_period("2025-06:2025-01", newest).key == "12m"  # reversed: default
    assert vq.parse_period("2025-13", newest).key == "12m"
    assert vq.parse_period("12m", None) == vq.Period("12m", None, None)


def test_skill_segments_cover_the_text_once() -> None:
    text = "Nederlandse en Engelse taal, Photoshop"
    spans = [
        vq.Span(0, 27, "requirement", "Nederlands en Engels"),
        vq.Span(15, 22, "requirement", "Engels"),  # inside the first: left out
        vq.Span(29, 38, "nice", "Photoshop"),
        vq.Span(30, 99, "nice", "past the end"),
        vq.Span(5, 5, "nice", "empty"),
    ]
    segments = vq.skill_segments(text, spans)
    assert "".join(s.text for s in segments) == text
    assert [(s.text, s.kind) for s in segments if s.kind] == [
        ("Nederlandse en Engelse taal", "requirement"),
        ("Photoshop", "nice"),
    ]
    assert vq.skill_segments("", []) == []
    assert vq.skill_kind("offer", True) == "offered"
    assert vq.skill_kind("other", False) == "nice"


def test_only_web_addresses_become_links() -> None:
    assert vq.safe_url("HTTPS://example.invalid") == "HTTPS://example.invalid"
    for value in ("javascript:alert(1)", " data:text/html,x", "//evil.example", None, ""):
        assert vq.safe_url(value) is None


def test_filters_pages_and_export(app_context: Settings, hostile_store: tuple[str, dict]) -> None:
    _url, added = hostile_store
    everything, _ = vq.filter_from_params({"periode": "alles"})
    total = vq.vacancy_count(everything)
    first = vq.vacancy_page(everything)
    assert first.height == vq.PAGE_SIZE
    assert first["id"][0] == added["id"]  # newest first, then highest id
    assert first["postings"][0] == 2 and first["title"][0] == HOSTILE_TITLE
    assert first["gemeente"][0] == "Zwolle"
    second = vq.vacancy_page(everything, offset=vq.PAGE_SIZE)
    assert not set(first["id"]) & set(second["id"])
    assert added["duplicate"] not in vq.export_frame(everything)["vacature_id"].to_list()

    zwolle, _ = vq.filter_from_params({"regio": "AM36", "periode": "alles"})
    in_zwolle = vq.vacancy_count(zwolle)
    assert 0 < in_zwolle < total
    members = set(zwolle.gemeenten)
    assert set(vq.vacancy_page(zwolle)["gemeente_code"].to_list()) <= members

    by_title, _ = vq.filter_from_params({"q": "<SCRIPT>", "periode": "alles"})
    assert vq.vacancy_count(by_title) == 1
    percent, _ = vq.filter_from_params({"q": "%", "periode": "alles"})
    assert vq.vacancy_count(percent) == 0  # a literal percent sign, not a wildcard
    klasse = added["occupation"].code[:2]
    by_class, _ = vq.filter_from_params({"beroep": klasse, "periode": "alles"})
    assert set(vq.vacancy_page(by_class)["occupation_code"].str.slice(0, 2)) == {klasse}
    by_source, _ = vq.filter_from_params({"bron": "Test Bron", "periode": "alles"})
    assert vq.vacancy_page(by_source)["id"].to_list() == [added["id"]]
    nothing, _ = vq.filter_from_params({"bron": "Bestaat niet"})
    assert vq.vacancy_count(nothing) == 0 and vq.vacancy_page(nothing).is_empty()

    by_title_asc = vq.vacancy_page(everything, sort="title", descending=False)
    titles = by_title_asc["title"].to_list()
    assert titles == sorted(titles)

    capped = vq.export_frame(everything, cap=3)
    assert capped.height == 3 and "titel" in capped.columns

    detail = vq.vacancy_detail(added["id"])
    assert detail is not None
    assert detail.vacancy["text"] == TEXT
    assert detail.postings["url"].to_list() == ["javascript:alert(3)"]
    spans = vq.spans_of(detail.spans)
    assert [TEXT[s.start : s.end] for s in spans] == ["Photoshop", "SAP", "VCA"]
    assert [s.kind for s in spans] == ["requirement", "nice", "offered"]
    assert vq.vacancy_detail(10**12) is None


# --- In the browser ------------------------------------------------------------------------------


def _fail_on_dialog(page: Any) -> list[str]:
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


FIRST_TITLE = '.vac-grid .ag-row[row-index="0"] .ag-cell[col-id="title"]'


def _first_row(page: Any) -> Any:
    """The grid's first row, once its block has arrived (the grid first shows empty stubs)."""
    page.wait_for_function(
        "sel => { const c = document.querySelector(sel); return c && c.innerText.trim(); }",
        arg=FIRST_TITLE,
    )
    return page.locator('.vac-grid .ag-row[row-index="0"]').first


@pytest.mark.browser
def test_hostile_text_stays_text_in_grid_detail_and_export(
    server: str, hostile_store: tuple[str, dict], page: Any
) -> None:
    _url, added = hostile_store
    dialogs = _fail_on_dialog(page)
    page.goto(server + "/vacatures?periode=alles")
    row = _first_row(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "vacatures-1366.png"), full_page=True)
    assert row.locator('[col-id="title"]').inner_text() == HOSTILE_TITLE
    assert row.locator('[col-id="place"]').inner_text() == "Zwolle"
    assert row.locator('[col-id="postings"]').inner_text() == "2"
    assert row.locator('[col-id="employer"]').inner_text() == "=1+2 BV"
    assert page.locator(".vac-grid script").count() == 0

    row.locator('[col-id="title"]').click()
    page.wait_for_selector("#vac-text mark")
    assert f"vacature={added['id']}" in page.url
    assert page.inner_text("#vac-detail-title") == HOSTILE_TITLE
    marks = page.locator("#vac-text mark")
    assert marks.all_inner_texts() == [TEXT[start:end] for start, end, _, _ in added["spans"]]
    assert [marks.nth(i).get_attribute("data-kind") for i in range(3)] == [
        "requirement",
        "nice",
        "offered",
    ]
    assert page.locator("#vac-text b").count() == 0  # "<b>Niet vet</b>" is text
    assert "<b>Niet vet</b>" in page.inner_text("#vac-text")
    assert page.locator(".vac-legend mark").count() == 3
    duplicates = page.locator("#vac-duplicates tbody tr")
    assert duplicates.count() == 1
    assert DUPLICATE_TITLE in duplicates.inner_text()
    assert page.locator('.vac-detail a[href^="javascript"]').count() == 0
    original = page.locator('.vac-detail a[rel="noopener nofollow"]')
    assert original.count() == 1
    assert original.get_attribute("href") == "https://vacature.example.invalid/1?x=<b>"
    assert "Zwolle, OV, NL" in page.inner_text("#vac-place")
    page.wait_for_timeout(300)  # let the drawer finish its transition
    page.screenshot(path=str(SCREENSHOTS / "vacatures-detail-1366.png"))

    # The back button closes the detail again; the grid keeps its rows.
    page.go_back()
    page.wait_for_selector("#vac-text", state="detached")
    assert "vacature=" not in page.url

    for fmt in ("csv", "xlsx"):
        href = page.get_attribute(f"#vac-export-{fmt}", "href")
        assert href and href.startswith(f"/api/v1/vacatures.{fmt}?")
    with urllib.request.urlopen(f"{server}/api/v1/vacatures.csv?periode=alles&q=bv") as response:
        csv = response.read().decode("utf-8-sig")
    exported = pl.read_csv(csv.encode(), separator=";", infer_schema=False)
    hostile = exported.filter(pl.col("vacature_id") == str(added["id"]))
    assert hostile["titel"].to_list() == [HOSTILE_TITLE]
    assert hostile["werkgever"].to_list() == ["'=1+2 BV"]  # formula-safe
    with urllib.request.urlopen(f"{server}/api/v1/vacatures.xlsx?bron=Test+Bron") as response:
        assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
        assert response.read(2) == b"PK"
    assert dialogs == []
    assert page.console_errors == []


@pytest.mark.browser
def test_region_filter_round_trips_through_the_url(server: str, page: Any) -> None:
    page.goto(server + "/vacatures")
    _first_row(page)
    national = page.inner_text("#vac-count")
    picker = page.get_by_role("textbox", name="Regio", exact=True)
    picker.click()
    picker.fill("Regio Zwolle")
    page.get_by_role("option", name="Regio Zwolle (AM36)").click()
    page.wait_for_url("**regio=AM36**")
    page.wait_for_function(
        "text => document.querySelector('#vac-count').innerText !== text", arg=national
    )
    regional = page.inner_text("#vac-count")
    assert "Regio Zwolle" in regional
    _first_row(page)
    places = set(page.locator('.vac-grid .ag-cell[col-id="place"]').all_inner_texts())
    assert "Zwolle" in places and "Amsterdam" not in places

    page.reload()
    _first_row(page)
    assert page.inner_text("#vac-count") == regional
    assert picker.input_value() == "Regio Zwolle (AM36)"

    page.go_back()
    page.wait_for_function(
        "text => document.querySelector('#vac-count').innerText !== text", arg=regional
    )
    assert "regio=AM36" not in page.url
    assert page.console_errors == []


@pytest.mark.browser
def test_phone_width_and_a_shared_detail_link(
    server: str, hostile_store: tuple[str, dict], browser: Any
) -> None:
    _url, added = hostile_store
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        dialogs = _fail_on_dialog(page)
        page.goto(f"{server}/vacatures")
        _first_row(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page is {width}px wide on a 390px screen"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "vacatures-390.png"), full_page=True)

        # A shared link opens the detail at once; Escape closes it and takes it out of the URL.
        page.goto(f"{server}/vacatures?vacature={added['id']}")
        page.wait_for_selector("#vac-text mark")
        assert page.inner_text("#vac-detail-title") == HOSTILE_TITLE
        page.keyboard.press("Escape")
        page.wait_for_selector("#vac-text", state="detached")
        page.wait_for_function("!location.search.includes('vacature=')")
        page.goto(f"{server}/vacatures?vacature=999999999")
        page.wait_for_selector("#vac-detail-missing")
        assert dialogs == []
        assert errors == []
    finally:
        context.close()
