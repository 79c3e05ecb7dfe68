"""The shortage page (/tekorten), its embed and its API views: tension and demand computed by
hand on a tiny store, the figures, and the pages in a real browser on the demo store."""

from __future__ import annotations

import datetime as dt
import io
import re
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from flask import Flask

from dashboard import queries
from dashboard.cache import cache
from dashboard.components.embed import BUTTON, CODE, OPTION, selector
from dashboard.figures_tekorten import TENSION_COLOURS, demand_bars, short_label, tension_bars
from dashboard.queries import tekorten as tq
from data.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "var" / "screenshots"

# --- A tiny store with demand and supply written by hand --------------------------------------

ZWOLLE, KAMPEN, APELDOORN, AMSTERDAM = "GM0193", "GM0166", "GM0200", "GM0363"
SOFTWARE, BIOLOGISTS = "0811", "0711"  # beroepsklasse 08 (ICT) and 07 (technisch)


def _month(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


DEMAND = [
    # (month, gemeente, beroepsgroep, sector, vacancies)
    (_month(2024, 11), ZWOLLE, SOFTWARE, "J", 5),
    (_month(2025, 7), ZWOLLE, SOFTWARE, "J", 15),  # Q3 2025: a year before
    (_month(2026, 4), ZWOLLE, SOFTWARE, "J", 20),  # Q2 2026: the quarter before
    (_month(2026, 7), ZWOLLE, SOFTWARE, "J", 10),
    (_month(2026, 8), ZWOLLE, SOFTWARE, "J", 10),
    (_month(2026, 9), ZWOLLE, SOFTWARE, "J", 10),
    (_month(2026, 8), KAMPEN, SOFTWARE, "J", 6),  # same arbeidsmarktregio (AM36) as Zwolle
    (_month(2026, 9), APELDOORN, SOFTWARE, "J", 12),  # AM06, partly in Overijssel
    (_month(2026, 7), AMSTERDAM, BIOLOGISTS, "M", 4),
    (_month(2026, 7), None, SOFTWARE, "J", 100),  # no known place: not in any tension
    (_month(2026, 10), ZWOLLE, SOFTWARE, "J", 5),  # Q4 2026 is not complete
]
SUPPLY = [
    # (arbeidsmarktregio, beroepsklasse, quarter start, jobseekers)
    ("AM36", "08", _month(2026, 7), 12.0),
    ("AM06", "08", _month(2026, 7), 36.0),
    ("AM18", "07", _month(2026, 7), 40.0),
    ("AM36", "08", _month(2026, 4), 10.0),
    ("AM36", "08", _month(2026, 10), 1.0),
]


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory: pytest.TempPathFactory, reference_dir: Path) -> str:
    from data.loaders import load_reference
    from data.store import DemandMonth, SupplyFigure, init_db, session_scope

    url = f"sqlite:///{tmp_path_factory.mktemp('tiny') / 'tiny.db'}"
    init_db(url)
    with session_scope(url) as session:
        load_reference(session, reference_dir)
        for month, gemeente, occupation, sector, count in DEMAND:
            session.add(
                DemandMonth(
                    month=month,
                    gemeente_code=gemeente,
                    occupation_code=occupation,
                    education_level="mbo 4",
                    sector=sector,
                    vacancies=count,
                )
            )
        for am, klasse, start, value in SUPPLY:
            session.add(
                SupplyFigure(
                    kind="jobseekers",
                    region_code=am,
                    occupation_code=klasse,
                    period_start=start,
                    period_end=tq.quarter_end(start),
                    value=value,
                    source="test",
                )
            )
    return url


@pytest.fixture
def store_context(tiny_store: str) -> Iterator[Any]:
    """An app context whose settings point at the tiny store, without caching."""

    def enter(**settings: Any) -> Any:
        app = Flask("tekorten-test")
        app.config["REGIOKOMPAS_SETTINGS"] = Settings(
            database_url=tiny_store, cache_type="NullCache", **settings
        )
        cache.init_app(app, config={"CACHE_TYPE": "NullCache"})
        return app.app_context()

    yield enter


def _row(frame: pl.DataFrame, column: str, value: str) -> dict[str, Any]:
    rows = frame.filter(pl.col(column) == value).to_dicts()
    assert len(rows) == 1, (value, frame)
    return rows[0]


@pytest.mark.filterwarnings("ignore:Flask-Caching")
def test_tension_of_a_gemeente_is_that_of_its_arbeidsmarktregio(store_context: Any) -> None:
    with store_context():
        view = tq.tension_ranking(queries.region(ZWOLLE))
    assert view is not None
    assert view.quarter == dt.date(2026, 7, 1)  # Q4 2026 has supply but only one month
    assert view.quarters == (dt.date(2026, 7, 1), dt.date(2026, 4, 1))
    assert view.area.basis == "gemeente" and view.area.codes == ("AM36",)
    ict = _row(view.rows, "klasse", "08")
    assert ict["vacancies"] == 36  # Zwolle 30 + Kampen 6, the whole arbeidsmarktregio
    assert ict["jobseekers"] == 12
    assert ict["ratio"] == pytest.approx(3.0)
    assert ict["tension"] == "krap"
    assert ict["previous"] == 20 and ict["change_previous"] == pytest.approx(0.8)
    assert ict["year_ago"] == 15 and ict["change_year"] == pytest.approx(36 / 15 - 1)
    assert not ict["small"]
    assert view.rows["klasse"][0] == "08"  # highest ratio first
    # Classes without supply keep their vacancies but get no ratio and sort last.
    assert view.rows.filter(pl.col("ratio").is_null()).height == 12


@pytest.mark.filterwarnings("ignore:Flask-Caching")
def test_tension_sums_whole_arbeidsmarktregios(store_context: Any) -> None:
    with store_context():
        province = tq.tension_ranking(queries.region("PV23"))
        country = tq.tension_ranking(queries.region("NL"))
    assert province is not None and country is not None
    # Overijssel touches AM05, AM06 and AM36; the last two only in part, yet count in full.
    assert province.area.codes == ("AM05", "AM06", "AM36")
    assert set(province.area.partial) == {"Veluwe Stedendriehoek", "Regio Zwolle"}
    ict = _row(province.rows, "klasse", "08")
    assert (ict["vacancies"], ict["jobseekers"]) == (48, 48)  # Apeldoorn's 12 included
    assert ict["ratio"] == pytest.approx(1.0) and ict["tension"] == "gemiddeld"
    # The whole country: all arbeidsmarktregio's, vacancies without a place left out.
    assert country.area.basis == "land" and len(country.area.codes) == 35
    assert _row(country.rows, "klasse", "08")["vacancies"] == 48
    technical = _row(country.rows, "klasse", "07")
    assert technical["ratio"] == pytest.approx(0.1)
    assert technical["tension"] == "zeer ruim"
    assert technical["small"]  # 4 vacancies


@pytest.mark.filterwarnings("ignore:Flask-Caching")
def test_chosen_and_unavailable_quarters(store_context: Any) -> None:
    with store_context():
        earlier = tq.tension_ranking(queries.region(ZWOLLE), "2026-Q2")
        missing = tq.tension_ranking(queries.region(ZWOLLE), "2026-Q4")
    assert earlier is not None and missing is not None
    assert earlier.quarter == dt.date(2026, 4, 1) and not earlier.requested_unavailable
    ict = _row(earlier.rows, "klasse", "08")
    assert (ict["vacancies"], ict["ratio"], ict["tension"]) == (20, 2.0, "krap")
    assert ict["previous"] == 0 and ict["change_previous"] is None  # nothing before
    assert missing.quarter == dt.date(2026, 7, 1) and missing.requested_unavailable


@pytest.mark.filterwarnings("ignore:Flask-Caching")
def test_demand_ranking_by_beroepsgroep_and_sector(store_context: Any) -> None:
    with store_context():
        groups = tq.demand_ranking(queries.region("NL"), "beroep")
        sectors = tq.demand_ranking(queries.region("NL"), "sector", "en")
        province = tq.demand_ranking(queries.region("PV23"), "beroep")
    assert groups is not None and sectors is not None and province is not None
    assert (groups.period.first, groups.period.last) == (dt.date(2025, 11, 1), dt.date(2026, 10, 1))
    software = _row(groups.rows, "code", SOFTWARE)
    assert software["name"] == "Software- en applicatieontwikkelaars"
    assert software["vacancies"] == 55 + 6 + 12 + 100  # the country includes unplaced ones
    assert software["previous"] == 20
    assert software["growth"] == pytest.approx(173 / 20 - 1)
    assert groups.rows["code"].to_list() == [SOFTWARE, BIOLOGISTS]
    assert _row(groups.rows, "code", BIOLOGISTS)["small"]
    assert _row(sectors.rows, "code", "J")["name"] == "Information and communication"
    assert _row(sectors.rows, "code", "M")["vacancies"] == 4
    # A region counts its own gemeenten only: Zwolle and Kampen, not Apeldoorn.
    assert _row(province.rows, "code", SOFTWARE)["vacancies"] == 55 + 6


@pytest.mark.filterwarnings("ignore:Flask-Caching")
def test_api_views_and_suppression(store_context: Any) -> None:
    with store_context():
        table = tq.tension_table({"regio": ZWOLLE})
        demand = tq.demand_table({"regio": "PV23", "indeling": "sector"})
        with pytest.raises(ValueError, match="onbekende regio"):
            tq.tension_table({"regio": "XX99"})
        with pytest.raises(ValueError, match="2026-Q3"):
            tq.tension_table({"regio": ZWOLLE, "kwartaal": "2030-Q1"})
        with pytest.raises(ValueError, match="indeling"):
            tq.demand_table({"indeling": "land"})
    ict = _row(table, "beroepsklasse", "08")
    assert (ict["vacatures"], ict["werkzoekenden"], ict["spanning"]) == (36, 12.0, "krap")
    assert ict["kwartaal"] == "2026-Q3" and ict["arbeidsmarktregios"] == "AM36"
    assert _row(demand, "code", "J")["vacatures"] == 61
    with store_context(suppress_small_counts=True):
        hidden = tq.tension_table({"regio": "NL"})
    technical = _row(hidden, "beroepsklasse", "07")
    assert technical["vacatures"] is None and technical["spanning"] is None
    assert technical["klein_aantal"] is True


def test_quarters() -> None:
    assert tq.parse_quarter("2026-q3") == dt.date(2026, 7, 1)
    assert tq.parse_quarter("2026") is None and tq.parse_quarter("x") is None
    assert tq.quarter_param(dt.date(2025, 10, 1)) == "2025-Q4"
    assert tq.quarter_end(dt.date(2025, 10, 1)) == dt.date(2025, 12, 31)
    assert tq.quarter_label(dt.date(2025, 10, 1), "nl") == "4e kwartaal 2025"
    assert tq.sector_name("Q", "nl") == "Gezondheids- en welzijnszorg"
    assert tq.sector_name("Z") == "Z"


def test_figures_label_every_bar_with_its_class() -> None:
    rows = pl.DataFrame(
        {
            "klasse": ["08", "07", "01"],
            "name": ["ICT beroepen", "Technische beroepen", "Pedagogische beroepen"],
            "ratio": [5.0, 0.1, None],
            "tension": ["zeer krap", "zeer ruim", None],
            "small": [False, True, False],
        }
    )
    figure = tension_bars(rows, "nl")
    bar = figure.data[0]
    assert list(bar.x) == [5.0, 0.1]  # no ratio, no bar
    assert list(bar.y) == [1, 0]  # first row on top
    assert list(bar.marker.color) == [
        TENSION_COLOURS["zeer krap"][0],
        TENSION_COLOURS["zeer ruim"][0],
    ]
    assert list(bar.marker.pattern.shape) == ["", "/"]  # small counts hatched
    texts = [a.text for a in figure.layout.annotations]
    assert "5,00 · zeer krap" in texts and "0,10 · zeer ruim" in texts
    assert "ICT beroepen" in texts
    english = tension_bars(rows, "en")
    assert "5.00 · very tight" in [a.text for a in english.layout.annotations]
    demand = pl.DataFrame(
        {
            "name": [f"Groep {i}" for i in range(20)],
            "vacancies": list(range(100, 80, -1)),
            "small": [False] * 20,
        }
    )
    bars = demand_bars(demand, "nl", top=15)
    assert len(bars.data[0].x) == 15 and bars.data[0].x[0] == 100
    assert short_label("x" * 60).endswith("…") and len(short_label("x" * 60)) == 38


# --- The pages in a browser on the demo store -----------------------------------------------


def _wait_for_page(page: Any) -> None:
    page.wait_for_selector("#tek-tension-chart-0 .main-svg")
    page.wait_for_selector("#tek-demand-chart-0 .main-svg")


@pytest.mark.browser
def test_two_regions_side_by_side(live_server: str, page: Any) -> None:
    page.goto(live_server + "/tekorten?regio=PV23&vergelijk=AM12")
    page.wait_for_selector("#tek-tension-chart-1 .main-svg")
    page.wait_for_selector("#tek-demand-chart-1 .main-svg")
    assert page.inner_text("h1") == "Tekorten en vraag per beroep"
    first = page.locator("#tek-tension-card-0 h3").inner_text()
    second = page.locator("#tek-tension-card-1 h3").inner_text()
    assert first.startswith("Overijssel") and second.startswith("Gooi en Vechtstreek")
    left = page.locator("#tek-tension-card-0").bounding_box()
    right = page.locator("#tek-tension-card-1").bounding_box()
    assert right["x"] > left["x"] + left["width"] - 1 and abs(right["y"] - left["y"]) < 2
    for index in (0, 1):
        assert page.locator(f"#tek-tension-table-{index} tbody tr").count() == 13  # every klasse
        badges = page.locator(f"#tek-tension-table-{index} .rk-tension")
        # The class is written out, not only coloured.
        assert badges.first.inner_text() in {"zeer ruim", "ruim", "gemiddeld", "krap", "zeer krap"}
        assert page.locator(f"#tek-demand-table-{index} tbody tr").count() >= 1
    assert page.locator("#tek-bands tbody tr").count() == 5
    assert "Demodata (synthetisch)" in page.inner_text("#demo-banner")
    csv_link = page.get_attribute("#tek-tension-card-1 a:has-text('CSV')", "href") or ""
    assert re.search(r"/api/v1/tekorten\.csv\?regio=AM12&kwartaal=\d{4}-Q\d$", csv_link)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "tekorten-1366.png"), full_page=True)
    assert page.console_errors == []


@pytest.mark.browser
def test_stacked_on_a_phone(live_server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(live_server + "/tekorten?regio=PV23&vergelijk=AM12")
        page.wait_for_selector("#tek-tension-chart-1 .main-svg")
        top = page.locator("#tek-tension-card-0").bounding_box()
        below = page.locator("#tek-tension-card-1").bounding_box()
        assert below["y"] >= top["y"] + top["height"]  # stacked
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= 390, f"page is {scroll}px wide on a 390px screen"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "tekorten-390.png"), full_page=True)
        assert errors == []
    finally:
        context.close()


@pytest.mark.browser
def test_url_round_trip_of_vergelijk_and_indeling(live_server: str, page: Any) -> None:
    page.goto(live_server + "/tekorten?regio=PV23")
    _wait_for_page(page)
    assert page.locator("#tek-tension-card-1").count() == 0
    compare = page.get_by_role("textbox", name="Vergelijk met")
    compare.click()
    compare.fill("Gooi en Vecht")
    page.get_by_role("option", name="Gooi en Vechtstreek (AM12)").click()
    page.wait_for_url(re.compile(r"vergelijk=AM12"))
    page.wait_for_selector("#tek-tension-card-1")
    page.locator("#tek-demand-section label:has-text('Sector')").click()
    page.wait_for_url(re.compile(r"indeling=sector"))
    page.wait_for_selector("text=Vraag per sector")
    assert "regio=PV23" in page.url and "kwartaal" not in page.url  # newest quarter: unpinned
    page.reload()
    _wait_for_page(page)
    assert page.locator("#tek-tension-card-1").count() == 1
    assert page.locator("#tek-demand-section h2").inner_text() == "Vraag per sector"
    assert page.locator("#tek-demand-table-1 tbody tr").count() >= 1
    page.go_back()
    page.wait_for_url(re.compile(r"^(?!.*indeling=sector)"))
    page.wait_for_selector("text=Vraag per beroepsgroep")
    assert "vergelijk=AM12" in page.url
    assert page.console_errors == []


@pytest.mark.browser
def test_embed_view_and_its_iframe_code(live_server: str, page: Any) -> None:
    with urllib.request.urlopen(live_server + "/embed/tekorten?regio=GM0193") as response:
        assert response.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
        assert "X-Frame-Options" not in response.headers
    page.goto(live_server + "/tekorten?regio=GM0193&indeling=sector")
    _wait_for_page(page)
    page.click(selector(BUTTON, "tekorten"))
    page.wait_for_selector(selector(CODE, "tekorten"))
    page.wait_for_function(
        f"document.querySelector({selector(CODE, 'tekorten')!r}).textContent.includes('iframe')"
    )
    code = page.inner_text(selector(CODE, "tekorten"))
    assert code.startswith(
        f'<iframe src="{live_server}/embed/tekorten?regio=GM0193&amp;indeling=sector"'
    )
    page.locator(f"{selector(OPTION, 'tekorten')} label:has-text('Alleen vraag')").click()
    page.wait_for_function(
        f"document.querySelector({selector(CODE, 'tekorten')!r}).textContent.includes('weergave')"
    )
    assert "weergave=vraag" in page.inner_text(selector(CODE, "tekorten"))
    page.goto(live_server + "/embed/tekorten?regio=GM0193&weergave=vraag")
    page.wait_for_selector("#tek-demand-chart-0 .main-svg")
    assert page.locator("#tek-tension-section").count() == 0
    assert not page.locator(".rk-header").is_visible()  # no app chrome in the embed
    assert (
        page.locator("#tek-embed-open")
        .get_attribute("href")
        .endswith("/tekorten?regio=GM0193&indeling=beroep")
    )
    assert page.console_errors == []


def test_exports_of_the_rankings(live_server: str) -> None:
    with urllib.request.urlopen(live_server + "/api/v1/tekorten.csv?regio=PV23") as response:
        body = response.read().decode("utf-8-sig")
    header = body.splitlines()[0].split(";")
    assert header[:5] == ["regio", "regio_naam", "kwartaal", "arbeidsmarktregios", "beroepsklasse"]
    assert len(body.splitlines()) == 14
    with urllib.request.urlopen(
        live_server + "/api/v1/vraag.xlsx?regio=PV23&indeling=sector"
    ) as response:
        assert zipfile.is_zipfile(io.BytesIO(response.read()))
    for bad in ("/api/v1/tekorten.json?kwartaal=1999-Q1", "/api/v1/vraag.json?regio=GM9999"):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(live_server + bad)
        assert error.value.code == 400
