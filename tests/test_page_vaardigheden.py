"""The skill explorer (/vaardigheden), its embed and API views: the figures as pure functions,
the view on the demo store, and the pages in a real browser (the two-click Zwolle/Photoshop
question, URL state, phone width, escaping, exports)."""

from __future__ import annotations

import datetime as dt
import io
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from flask import Flask

from dashboard import figures_vaardigheden as figures
from dashboard import queries
from dashboard.cache import cache
from dashboard.components.embed import BUTTON, CODE, selector
from dashboard.queries import vaardigheden as vq
from data.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "var" / "screenshots"
EVIL = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'


def _areas() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "code": ["GM0193", "GM0166", "GM0148"],
            "name": ["Zwolle", EVIL, "Dalfsen"],
            "skill": [12, 3, 0],
            "total": [100, 30, 0],
            "share": [0.12, 0.1, None],
            "lift": [2.0, 1.6, None],
            "small": [False, True, True],
            "highlight": [True, False, False],
        }
    )


def test_ranked_bars_escape_names_and_skip_areas_without_vacancies() -> None:
    figure = figures.ranked_bars(_areas(), "nl")
    bar = figure.data[0]
    assert list(bar.x) == [0.1, 0.12]  # highest on top, the empty area left out
    assert "&lt;script&gt;alert(1)&lt;/script&gt; (GM0166)" in bar.y
    assert all("<script>" not in str(label) for label in bar.y)
    assert figure.layout.separators == ",."


def test_choropleth_draws_only_areas_with_geometry_and_outlines_the_chosen() -> None:
    square = {"type": "Polygon", "coordinates": [[[6, 52], [6.1, 52], [6.1, 52.1], [6, 52]]]}
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": code, "geometry": square, "properties": {}}
            for code in ("GM0193", "GM0148")
        ],
    }
    figure = figures.choropleth(_areas(), geojson, "en")
    locations = [list(trace.locations) for trace in figure.data]
    assert ["GM0148"] in locations  # no vacancies: grey
    assert ["GM0193"] in locations  # a value
    assert figure.data[-1].marker.line.width == 3  # the outline of the chosen gemeente
    assert all("GM0166" not in loc for loc in locations)  # no geometry: not drawn


def test_share_trend_has_region_and_national_lines() -> None:
    trend = pl.DataFrame(
        {
            "month": [dt.date(2026, 9, 1), dt.date(2026, 10, 1)],
            "share": [0.1, 0.2],
            "national_share": [0.05, 0.06],
        }
    )
    figure = figures.share_trend(trend, "Regio Zwolle", "nl")
    assert [trace.name for trace in figure.data] == ["Regio Zwolle", "Nederland"]
    assert figure.data[0].customdata[1] == "20,0%"


@pytest.fixture
def demo_context(demo_store: str) -> Iterator[Any]:
    app = Flask("vaardigheden-test")
    app.config["REGIOKOMPAS_SETTINGS"] = Settings(database_url=demo_store, cache_type="NullCache")
    cache.init_app(app, config={"CACHE_TYPE": "NullCache"})
    with app.app_context():
        yield app


@pytest.mark.filterwarnings("ignore:Flask-Caching")
def test_skill_view_of_regio_zwolle_adds_up(demo_context: Any) -> None:
    region = queries.region("AM36")
    view = vq.skill_view("photoshop", region)
    assert view is not None
    assert view.scope.level == "gemeente"
    assert "GM0193" in view.areas["code"].to_list()  # Zwolle, even without vacancies
    assert set(view.areas["code"].to_list()) == set(region.gemeenten)
    assert view.vacancies == view.areas["skill"].sum()
    assert view.total == view.areas["total"].sum()
    if view.total:
        assert view.share == pytest.approx(view.vacancies / view.total)
    if view.share is not None and view.national_share:
        assert view.lift == pytest.approx(view.share / view.national_share)
    assert view.trend.height == 24
    national = vq.skill_view("photoshop", queries.region("NL"))
    assert national is not None and national.scope.level == "arbeidsmarktregio"
    assert national.areas.height == 35
    assert national.lift == pytest.approx(1.0)
    # A gemeente is shown among the gemeenten of its arbeidsmarktregio, outlined.
    zwolle = vq.skill_view("photoshop", queries.region("GM0193"))
    assert zwolle is not None and zwolle.scope.highlight == ("GM0193",)
    assert zwolle.areas.height == len(region.gemeenten)
    assert vq.skill_view("no-such-skill", region) is None


@pytest.mark.filterwarnings("ignore:Flask-Caching")
def test_skill_options_search_aliases_and_english(demo_context: Any) -> None:
    options = {o["value"]: o for o in vq.skill_options("nl")}
    assert options["heftruck"]["label"] == "Heftruckcertificaat"
    assert "forklift" in options["heftruck"]["search"]
    assert "photoshop cc" in options["photoshop"]["search"]


# --- A copy of the demo store with hostile names, served by its own gunicorn --------------------


@pytest.fixture(scope="module")
def hostile_server(demo_store_copy: Any, app_servers: Any) -> str:
    from sqlalchemy import func, select

    from data.store import Skill, Vacancy, VacancySkill, session_scope

    url = demo_store_copy("vaardigheden")
    with session_scope(url) as session:
        newest = session.execute(select(func.max(Vacancy.posted_at))).scalar_one()
        photoshop = session.execute(select(Skill.id).where(Skill.key == "photoshop")).scalar_one()
        odd = Skill(key="formule", label_nl=FORMULA, label_en=FORMULA, type="software")
        session.add(odd)
        session.flush()
        for index, employer in enumerate((EVIL, FORMULA)):
            vacancy = Vacancy(
                source="test",
                source_id=f"evil-{index}",
                title=EVIL,
                employer=employer,
                gemeente_code="GM0193",
                posted_at=newest,
                posted_month=newest.replace(day=1),
                content_hash=f"evil{index}",
                is_cluster_head=True,
            )
            session.add(vacancy)
            session.flush()
            for skill_id in (photoshop, odd.id):
                session.add(
                    VacancySkill(
                        vacancy_id=vacancy.id,
                        skill_id=skill_id,
                        start=0,
                        end=9,
                        surface="photoshop",
                        section="requirement",
                        required=True,
                    )
                )
    return str(app_servers.start(url))


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.status, dict(response.headers), response.read()


def test_api_views_and_formula_safe_csv(hostile_server: str) -> None:
    query = "vaardigheid=photoshop&regio=AM36"
    status, _, body = _get(f"{hostile_server}/api/v1/vaardigheid.json?{query}")
    assert status == 200 and b'"GM0193"' in body
    status, _, body = _get(f"{hostile_server}/api/v1/vaardigheid_trend.csv?{query}")
    assert status == 200 and body.count(b"\n") == 25
    status, headers, body = _get(f"{hostile_server}/api/v1/samen_gevraagd.csv?{query}")
    text = body.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ";=HYPERLINK" not in text
    status, _, body = _get(f"{hostile_server}/api/v1/samen_gevraagd.xlsx?{query}")
    assert status == 200
    with zipfile.ZipFile(io.BytesIO(body)) as workbook:
        xml = "".join(workbook.read(name).decode("utf-8") for name in workbook.namelist())
    assert "HYPERLINK" in xml and ">=HYPERLINK" not in xml  # stored as text, quote-prefixed
    try:
        _get(f"{hostile_server}/api/v1/vaardigheid.json?vaardigheid=nope")
    except urllib.error.HTTPError as error:
        assert error.code == 400
    else:  # pragma: no cover
        raise AssertionError("an unknown skill must be refused")


def test_embed_is_framable_only_by_the_configured_parents(hostile_server: str) -> None:
    status, headers, body = _get(f"{hostile_server}/embed/vaardigheid?vaardigheid=photoshop")
    assert status == 200
    assert "frame-ancestors" in headers["Content-Security-Policy"]
    _, page_headers, _ = _get(f"{hostile_server}/vaardigheden")
    assert page_headers["Content-Security-Policy"] == "frame-ancestors 'self'"


@pytest.mark.browser
def test_employer_names_show_as_text(hostile_server: str, page: Any) -> None:
    page.goto(hostile_server + "/vaardigheden?vaardigheid=photoshop&regio=AM36")
    page.wait_for_selector("#vaardigheden-employers-table", timeout=60_000)
    table = page.inner_text("#vaardigheden-employers-table")
    assert EVIL in table and FORMULA in table
    assert page.locator("#vaardigheden-employers-table script").count() == 0
    assert page.console_errors == []


# --- The live demo server ---------------------------------------------------------------------


@pytest.mark.browser
def test_zwolle_photoshop_in_two_clicks(live_server: str, page: Any) -> None:
    page.goto(live_server + "/?regio=AM36")
    page.wait_for_selector("#home-total", timeout=60_000)
    page.locator(".rk-nav a", has_text="Vaardigheden").click()  # click 1
    page.wait_for_selector("#vaardigheden-suggest-photoshop", timeout=60_000)
    page.click("#vaardigheden-suggest-photoshop")  # click 2
    page.wait_for_selector("#vaardigheden-share", timeout=60_000)
    assert "vaardigheid=photoshop" in page.url and "regio=AM36" in page.url
    assert "Regio Zwolle" in page.inner_text(".rk-kpi >> nth=0")
    share = page.inner_text("#vaardigheden-share")
    assert share.endswith("%") and "," in share  # Dutch decimal comma
    gemeenten = page.inner_text("#vaardigheden-areas-table")
    assert "Zwolle" in gemeenten and "Kampen" in gemeenten
    page.wait_for_selector("#vaardigheden-areas .main-svg")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "vaardigheden-1366.png"), full_page=True)
    assert page.console_errors == []


@pytest.mark.browser
def test_skill_and_region_round_trip_through_the_url(live_server: str, page: Any) -> None:
    page.goto(live_server + "/vaardigheden?vaardigheid=photoshop&regio=AM36")
    page.wait_for_selector("#vaardigheden-share", timeout=60_000)
    picker = page.get_by_role("textbox", name="Vaardigheid", exact=True)
    picker.click()
    picker.fill("forklift")  # an English alias finds the Dutch label
    page.get_by_role("option", name="Heftruckcertificaat", exact=True).click()
    page.wait_for_url("**vaardigheid=heftruck**", timeout=30_000)
    assert "regio=AM36" in page.url
    page.wait_for_function(
        "document.querySelector('#vaardigheden-lead')"
        " && document.querySelector('#vaardigheden-lead').innerText.includes('Heftruck')",
        timeout=60_000,
    )
    page.reload()
    page.wait_for_selector("#vaardigheden-lead", timeout=60_000)
    assert "Heftruckcertificaat" in page.inner_text("#vaardigheden-lead")
    assert picker.input_value() == "Heftruckcertificaat"
    page.go_back()
    page.wait_for_function(
        "document.querySelector('#vaardigheden-lead')"
        " && document.querySelector('#vaardigheden-lead').innerText.includes('Photoshop')",
        timeout=60_000,
    )
    page.click(selector(BUTTON, "vaardigheid"))
    page.wait_for_selector(f"{selector(CODE, 'vaardigheid')}:has-text('iframe')")
    code = page.inner_text(selector(CODE, "vaardigheid"))
    assert "/embed/vaardigheid?" in code and "vaardigheid=photoshop" in code
    assert page.console_errors == []


@pytest.mark.browser
def test_phone_width_and_embed_render(live_server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(live_server + "/vaardigheden?vaardigheid=photoshop&regio=AM36")
        page.wait_for_selector("#vaardigheden-areas .main-svg", timeout=60_000)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page is {width}px wide on a 390px screen"
        page.screenshot(path=str(SCREENSHOTS / "vaardigheden-390.png"), full_page=True)
        page.goto(live_server + "/embed/vaardigheid?vaardigheid=photoshop&regio=AM36")
        page.wait_for_selector("#vaardigheden-share", timeout=60_000)
        assert page.locator(".rk-nav").is_hidden()
        assert errors == []
    finally:
        context.close()
