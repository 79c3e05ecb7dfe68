"""The map page (Kaart), its embed view and API view.

Measures are checked by hand on a small store built here; the figures without a browser; the
pages in headless Chromium on the shared demo server, and the no-geometry fallback (with region
names that try to inject HTML) on a server of this module's own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from conftest import REFERENCE_DIR, ROOT, _wait_for, free_port, missing

from dashboard.components.embed import BUTTON, CODE, MODAL, embed_id, selector
from data.settings import Settings
from data.store import (
    DemandMonth,
    OccupationClass,
    Region,
    RegionMember,
    SupplyFigure,
    init_db,
    session_scope,
)

SCREENSHOTS = ROOT / "var" / "screenshots"
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x.invalid")'
GEO_DIR = Settings().geo_dir


def _months(first: dt.date, count: int) -> list[dt.date]:
    index = first.year * 12 + first.month - 1
    return [dt.date((index + i) // 12, (index + i) % 12 + 1, 1) for i in range(count)]


PREVIOUS = _months(dt.date(2024, 11, 1), 12)  # nov 2024 – okt 2025
CURRENT = _months(dt.date(2025, 11, 1), 12)  # nov 2025 – okt 2026
Q3 = _months(dt.date(2026, 7, 1), 3)


# --- A small store, by hand --------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Four gemeenten in three arbeidsmarktregio's, demand and jobseekers written by hand.

    ============  =========  ===============  ========================  ====================
    gemeente      AM         previous year    current year              Q3 2026 (in current)
    ============  =========  ===============  ========================  ====================
    GM0193        AM36       2/month (24)     3/month (36), klasse 07   9 (07)
    GM0166        AM36       1/month (12)     2/month Jul–Sep (6), 10   6 (10)
    GM0363        AM18       10/month (120)   10/month (120), 5+5       15 (07) + 15 (10)
    GM0014 (=…)   AM01 (<>)  none             5 in Oct 2026, 07         0
    ============  =========  ===============  ========================  ====================
    """
    url = f"sqlite:///{tmp_path_factory.mktemp('kaart') / 'small.db'}"
    init_db(url)
    gemeenten = {
        "GM0193": ("Zwolle", "AM36", "PV23"),
        "GM0166": ("Kampen", "AM36", "PV23"),
        "GM0363": ("Amsterdam", "AM18", "PV27"),
        "GM0014": (FORMULA, "AM01", "PV20"),
    }
    groupings = {
        ("arbeidsmarktregio", "AM36"): "Regio Zwolle",
        ("arbeidsmarktregio", "AM18"): "Groot Amsterdam",
        ("arbeidsmarktregio", "AM01"): SCRIPT,
        ("provincie", "PV23"): "Overijssel",
        ("provincie", "PV27"): "Noord-Holland",
        ("provincie", "PV20"): "Groningen",
    }
    with session_scope(url) as session:
        regions: dict[tuple[str, str], Region] = {}
        for code, (name, _, _) in gemeenten.items():
            regions[("gemeente", code)] = Region(level="gemeente", code=code, name=name, year=2025)
        for (level, code), name in groupings.items():
            regions[(level, code)] = Region(level=level, code=code, name=name, year=2025)
        session.add_all(regions.values())
        session.flush()
        for code, (_, am, pv) in gemeenten.items():
            for key in (("gemeente", code), ("arbeidsmarktregio", am), ("provincie", pv)):
                session.add(RegionMember(region_id=regions[key].id, gemeente_code=code))
        session.add_all(
            [
                OccupationClass(code="07", level="beroepsklasse", name="Technische beroepen"),
                OccupationClass(code="10", level="beroepsklasse", name="Zorg en welzijn"),
            ]
        )

        def demand(month: dt.date, gemeente: str | None, occupation: str, n: int) -> None:
            session.add(
                DemandMonth(
                    month=month, gemeente_code=gemeente, occupation_code=occupation, vacancies=n
                )
            )

        for month in PREVIOUS:
            demand(month, "GM0193", "0711", 2)
            demand(month, "GM0166", "1011", 1)
            demand(month, "GM0363", "0711", 5)
            demand(month, "GM0363", "1011", 5)
        for month in CURRENT:
            demand(month, "GM0193", "0711", 3)
            demand(month, "GM0363", "0711", 5)
            demand(month, "GM0363", "1011", 5)
            demand(month, None, "0711", 100)  # unresolved place: counted nowhere
        for month in Q3:
            demand(month, "GM0166", "1011", 2)
        demand(CURRENT[-1], "GM0014", "0711", 5)

        def seekers(quarter: dt.date, region: str, klasse: str, value: float) -> None:
            session.add(
                SupplyFigure(
                    kind="jobseekers",
                    region_code=region,
                    occupation_code=klasse,
                    period_start=quarter,
                    period_end=quarter + dt.timedelta(days=89),
                    value=value,
                    source="test",
                )
            )

        for klasse, am36, am18 in (("07", 10.0, 15.0), ("10", 20.0, 15.0)):
            seekers(Q3[0], "AM36", klasse, am36)
            seekers(Q3[0], "AM18", klasse, am18)
            # The quarter of October is not complete yet: never used.
            seekers(dt.date(2026, 10, 1), "AM36", klasse, 1.0)
    return url


@pytest.fixture(scope="module")
def small_app(small_store: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from app import create_app

    settings = Settings(
        database_url=small_store,
        cache_type="NullCache",
        cache_dir=str(tmp_path_factory.mktemp("cache")),
        geo_dir=str(tmp_path_factory.mktemp("nogeo")),
        geo_download_url="",
        small_count_threshold=10,
    )
    return create_app(settings)


@pytest.fixture
def context(small_app: Any) -> Iterator[None]:
    with small_app.server.test_request_context("/kaart"):
        yield


def _rows(data: Any) -> dict[str, dict[str, Any]]:
    return {row["code"]: row for row in data.frame.iter_rows(named=True)}


def test_vacancies_and_growth_by_hand(context: None) -> None:
    from dashboard import queries
    from dashboard.queries import kaart as k

    data = k.map_data("vacatures", None, queries.region(None), {})
    assert data is not None
    assert (data.first, data.last) == (CURRENT[0], CURRENT[-1])
    rows = _rows(data)
    assert rows["AM36"]["vacancies"] == 36 + 6
    assert rows["AM18"]["vacancies"] == 120
    assert rows["AM01"]["vacancies"] == 5 and rows["AM01"]["small"]
    assert data.frame["code"].to_list() == ["AM18", "AM36", "AM01"]  # ranked, high to low
    assert data.frame["rank"].to_list() == [1, 2, 3]

    growth = _rows(k.map_data("groei", None, queries.region(None), {}))
    assert growth["AM36"]["value"] == pytest.approx(42 / 36 - 1)
    assert growth["AM18"]["value"] == pytest.approx(0.0)
    assert growth["AM01"]["value"] is None  # nothing the year before
    assert growth["AM01"]["rank"] is None

    by_gemeente = _rows(k.map_data("groei", "gemeente", queries.region(None), {}))
    assert by_gemeente["GM0193"]["value"] == pytest.approx(36 / 24 - 1)
    assert by_gemeente["GM0166"]["value"] == pytest.approx(6 / 12 - 1)
    assert by_gemeente["GM0166"]["small"]  # 6 now: a small count
    provinces = _rows(k.map_data("vacatures", "provincie", queries.region(None), {}))
    assert provinces["PV23"]["vacancies"] == 42


def test_vacancies_per_1000_addresses_by_hand(context: None) -> None:
    from dashboard import queries
    from dashboard.queries import kaart as k

    addresses = dict(k.addresses_per_gemeente(REFERENCE_DIR).iter_rows())
    rows = _rows(k.map_data("per1000", None, queries.region(None), {}))
    expected = (36 + 6) / (addresses["GM0193"] + addresses["GM0166"]) * 1000
    assert rows["AM36"]["value"] == pytest.approx(expected)
    assert rows["AM36"]["addresses"] == addresses["GM0193"] + addresses["GM0166"]


def test_tension_by_hand(context: None) -> None:
    from dashboard import queries
    from dashboard.queries import kaart as k

    data = k.map_data("spanning", "gemeente", queries.region(None), {"klasse": ""})
    assert data is not None
    assert data.scope.level == "arbeidsmarktregio" and data.scope.forced
    assert (data.first, data.last, data.quarter) == (Q3[0], Q3[-1], True)
    assert k.period_text(data, "nl") == "K3 2026"
    rows = _rows(data)
    assert rows["AM36"]["value"] == pytest.approx((9 + 6) / 30)
    assert rows["AM36"]["category"] == "ruim"
    assert rows["AM18"]["value"] == pytest.approx(30 / 30)
    assert rows["AM18"]["category"] == "gemiddeld"
    assert rows["AM01"]["value"] is None and rows["AM01"]["category"] is None
    techniek = _rows(k.map_data("spanning", None, queries.region(None), {"klasse": "07"}))
    assert techniek["AM36"]["value"] == pytest.approx(9 / 10)
    assert techniek["AM36"]["small"]  # 9 vacancies


def test_scope_of_a_region(context: None) -> None:
    from dashboard import queries
    from dashboard.queries import kaart as k

    zwolle = queries.region("GM0193")
    data = k.map_data("vacatures", None, zwolle, {})
    assert data is not None
    # A gemeente is shown among the gemeenten of its arbeidsmarktregio, itself outlined.
    assert data.scope.view == "regio" and data.scope.level == "gemeente"
    assert sorted(data.frame["code"].to_list()) == ["GM0166", "GM0193"]
    assert data.scope.highlight == ("GM0193",)
    assert data.scope.context is not None and data.scope.context.code == "AM36"
    at_am = k.map_data("vacatures", "arbeidsmarktregio", zwolle, {})
    assert at_am is not None and at_am.scope.highlight == ("AM36",)
    assert at_am.frame.height == 3


def test_small_counts_are_suppressed_when_configured(small_app: Any) -> None:
    from dashboard import queries
    from dashboard.queries import kaart as k

    settings = small_app.server.config["REGIOKOMPAS_SETTINGS"]
    small_app.server.config["REGIOKOMPAS_SETTINGS"] = settings.model_copy(
        update={"suppress_small_counts": True}
    )
    try:
        with small_app.server.test_request_context("/kaart"):
            rows = _rows(k.map_data("vacatures", None, queries.region(None), {}))
    finally:
        small_app.server.config["REGIOKOMPAS_SETTINGS"] = settings
    assert rows["AM01"]["small"] and rows["AM01"]["vacancies"] is None
    assert rows["AM01"]["value"] is None and rows["AM36"]["vacancies"] == 42


def test_api_view_and_formula_safe_exports(small_app: Any) -> None:
    client = small_app.server.test_client()
    response = client.get("/api/v1/kaart.json?maat=groei&niveau=arbeidsmarktregio")
    assert response.status_code == 200
    payload = response.get_json()
    rows = {row["code"]: row for row in payload["data"]}
    assert payload["rows"] == 3
    assert rows["AM01"]["name"] == SCRIPT  # data, not markup: the JSON carries the text
    assert rows["AM36"]["previous"] == 36
    assert rows["AM36"]["measure"] == "groei" and rows["AM36"]["level"] == "arbeidsmarktregio"
    csv = client.get("/api/v1/kaart.csv?niveau=gemeente").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "\n=HYPERLINK" not in csv and ";=HYPERLINK" not in csv
    xlsx = client.get("/api/v1/kaart.xlsx?niveau=gemeente&maat=per1000")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.get("/api/v1/kaart.json?maat=onzin").status_code == 400
    assert client.get("/api/v1/kaart.json?niveau=wijk").status_code == 400
    assert "kaart" in client.get("/api/v1/").get_json()["views"]


def test_layout_without_geometry_shows_notice_and_bars(context: None) -> None:
    from dashboard.pages import kaart

    page = kaart.layout(maat="groei", niveau="provincie")
    text = json.dumps(page.to_plotly_json(), default=str)
    assert kaart.NOTICE_GEO in text and "rk-bars-graph" in text
    assert "/api/v1/kaart.csv?maat=groei&niveau=provincie" in text
    # Called with no arguments (Dash's validation layout) it still has the callbacks' ids.
    empty = json.dumps(kaart.layout().to_plotly_json(), default=str)
    assert kaart.MAP in empty
    for kind in (BUTTON, MODAL, CODE):
        assert str(embed_id(kind, "kaart")) in empty  # nested components print as repr


# --- Figures -----------------------------------------------------------------------------------


def _square(code: str, x: float) -> dict[str, Any]:
    ring = [[x, 52.0], [x, 52.1], [x + 0.1, 52.1], [x + 0.1, 52.0], [x, 52.0]]
    return {
        "type": "Feature",
        "id": code,
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def _map_data(scale: str, highlight: tuple[str, ...] = ()) -> Any:
    from dashboard.queries import kaart as k

    frame = pl.DataFrame(
        {
            "rank": [1, 2, None],
            "code": ["A1", "A2", "A3"],
            "name": [SCRIPT, "Twee", "Drie"],
            "value": [2.0, 0.5, None],
            "category": ["krap", "ruim", None],
            "vacancies": [40, 5, 0],
            "small": [False, True, True],
        },
        schema_overrides={"rank": pl.UInt32},
    )
    measure = k.MEASURES["spanning" if scale == "classes" else "groei"]
    scope = k.Scope("arbeidsmarktregio", "arbeidsmarktregio", highlight=highlight)
    return k.MapData(measure, scope, frame, dt.date(2026, 7, 1), dt.date(2026, 9, 1))


def test_choropleth_without_tiles_escaped_and_outlined() -> None:
    from dashboard import figures_kaart

    geojson = {
        "type": "FeatureCollection",
        "features": [_square(c, i) for i, c in enumerate(("A1", "A2", "A3"))],
    }
    figure = figures_kaart.choropleth(_map_data("diverging", ("A2",)), geojson, "nl")
    layout = figure.layout
    assert layout.geo.visible is False and layout.geo.fitbounds == "locations"
    assert "mapbox" not in figure.to_json() and "map.style" not in figure.to_json()
    kinds = {trace.type for trace in figure.data}
    assert kinds == {"choropleth"}
    grey, coloured, outline = figure.data
    assert list(grey.locations) == ["A3"]
    assert list(coloured.locations) == ["A1", "A2"] and coloured.zmid == 0
    assert list(outline.locations) == ["A2"] and outline.marker.line.width == 3
    hover = json.dumps([list(row) for row in coloured.customdata])
    assert "&lt;script&gt;" in hover and SCRIPT not in hover
    assert "+200,0%" in hover and "klein aantal" in hover


def test_choropleth_classes_and_ranked_bars() -> None:
    from dashboard import figures_kaart

    geojson = {"type": "FeatureCollection", "features": [_square("A1", 0), _square("A2", 1)]}
    figure = figures_kaart.choropleth(_map_data("classes"), geojson, "en")
    names = [trace.name for trace in figure.data]
    assert "tight" in names and "slack" in names  # one trace per class, English labels
    tight = next(trace for trace in figure.data if trace.name == "tight")
    assert list(tight.locations) == ["A1"]
    assert "A3" not in json.dumps([list(t.locations) for t in figure.data])  # no geometry

    bars = figures_kaart.ranked_bars(_map_data("classes"), "nl")
    bar = bars.data[0]
    assert list(bar.x) == [0.5, 2.0]  # highest on top: plotly draws the last bar on top
    assert bar.y[-1] == "&lt;script&gt;alert(1)&lt;/script&gt; (A1)"
    assert list(bar.marker.color) == [
        figures_kaart.TENSION_COLOURS["ruim"],
        figures_kaart.TENSION_COLOURS["krap"],
    ]


# --- In the browser, on the demo server --------------------------------------------------------


def _control(name: str) -> str:
    """CSS selector of a URL-state control (Dash renders dict ids as sorted JSON)."""
    key = json.dumps({"name": name, "type": "url-param"}, separators=(",", ":"))
    return f"[id='{key}']"


def _needs_geometry() -> None:
    if not GEO_DIR or not (Path(GEO_DIR) / "gemeente_2025.topojson").is_file():
        missing("The CBS boundary files (../shared/geo)", "copy them into ../shared/geo")


def _external_requests(page: Any, base: str) -> list[str]:
    seen: list[str] = []
    page.on(
        "request",
        lambda request: (
            seen.append(request.url)
            if not request.url.startswith((base, "data:", "blob:"))
            else None
        ),
    )
    return seen


@pytest.mark.browser
def test_map_page_renders_at_1366_and_390(live_server: str, page: Any, browser: Any) -> None:
    _needs_geometry()
    external = _external_requests(page, live_server)
    page.goto(live_server + "/kaart")
    page.wait_for_selector("#kaart-map path.choroplethlocation")
    assert page.locator("#kaart-map path.choroplethlocation").count() == 35
    assert page.locator("#kaart-table tbody tr").count() == 35
    assert re.search(r"\d", page.inner_text("#kaart-table tbody tr >> nth=0"))
    assert "Ontwikkeling" in page.inner_text(".rk-definitions")
    assert page.get_attribute("#kaart-export-csv", "href").endswith(
        "/api/v1/kaart.csv?maat=vacatures&niveau=arbeidsmarktregio"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "kaart-1366.png"), full_page=True)
    assert page.console_errors == []
    assert external == []  # no tiles, no base map, no fonts from elsewhere

    phone = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        small = phone.new_page()
        errors: list[str] = []
        small.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        small.goto(live_server + "/kaart?maat=spanning")
        small.wait_for_selector("#kaart-map path.choroplethlocation")
        assert small.locator("#kaart-legend li").count() == 6  # five classes and "no value"
        width = small.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page is {width}px wide on a 390px screen"
        small.screenshot(path=str(SCREENSHOTS / "kaart-390.png"), full_page=True)
        assert errors == []
    finally:
        phone.close()


@pytest.mark.browser
def test_measure_round_trips_through_the_url(live_server: str, page: Any) -> None:
    _needs_geometry()
    page.goto(live_server + "/kaart?regio=NL&maat=vacatures&niveau=arbeidsmarktregio")
    page.wait_for_selector("#kaart-map path.choroplethlocation")
    page.click(_control("maat"))
    page.get_by_role("option", name="Ontwikkeling t.o.v. jaar ervoor").click()
    page.wait_for_url(re.compile(r"maat=groei"))
    page.wait_for_selector("#kaart-lead:has-text('Ontwikkeling')")
    page.reload()
    page.wait_for_selector("#kaart-map path.choroplethlocation")
    assert page.input_value(_control("maat")) == "Ontwikkeling t.o.v. jaar ervoor"
    assert "Vacatures jaar ervoor" in page.inner_text("#kaart-table thead")
    page.go_back()
    page.wait_for_url(re.compile(r"maat=vacatures"))
    page.wait_for_selector("#kaart-lead:has-text('Vacatures, ')")
    assert page.input_value(_control("maat")) == "Vacatures"
    assert page.console_errors == []


@pytest.mark.browser
def test_clicking_a_region_filters_every_page(live_server: str, page: Any) -> None:
    _needs_geometry()
    page.goto(live_server + "/kaart?regio=NL&maat=vacatures&niveau=provincie")
    page.wait_for_selector("#kaart-map path.choroplethlocation")
    # Click inside a province (the middle of its box may lie in a neighbour: any province do).
    page.locator("#kaart-map path.choroplethlocation").nth(5).click(force=True)
    page.wait_for_url(re.compile(r"regio=PV\d\d"))
    code = re.search(r"regio=(PV\d\d)", page.url).group(1)  # type: ignore[union-attr]
    assert "niveau=provincie" in page.url
    page.wait_for_selector("#kaart-lead:has-text('omlijnd')")
    home = page.locator(".rk-nav-link", has_text="Overzicht")
    assert home.get_attribute("href").endswith(f"?regio={code}")
    home.click()
    page.wait_for_selector("#home-total")
    assert f"regio={code}" in page.url
    assert page.console_errors == []


@pytest.mark.browser
def test_embed_view_is_framable_read_only_and_offered(live_server: str, page: Any) -> None:
    _needs_geometry()
    with urllib.request.urlopen(live_server + "/embed/kaart?maat=groei") as response:
        assert "frame-ancestors" in response.headers["Content-Security-Policy"]
        assert "X-Frame-Options" not in response.headers
    page.goto(live_server + "/embed/kaart?maat=groei&niveau=provincie")
    page.wait_for_selector("#kaart-embed-map path.choroplethlocation")
    assert not page.locator(".rk-header").is_visible()
    page.locator("#kaart-embed-map path.choroplethlocation").nth(3).click(force=True)
    page.wait_for_timeout(500)
    assert "regio=" not in page.url  # read-only: a click shows figures, it does not navigate

    page.goto(live_server + "/kaart?regio=NL&maat=groei&niveau=provincie")
    page.click(selector(BUTTON, "kaart"))
    page.wait_for_selector(f"{selector(CODE, 'kaart')}:has-text('iframe')")
    code = page.inner_text(selector(CODE, "kaart"))
    assert f'src="{live_server}/embed/kaart?' in code
    assert "maat=groei" in code and "niveau=provincie" in code and "regio=NL" not in code
    assert page.console_errors == []


# --- Without geometry, and with hostile names: a server of our own -----------------------------


@pytest.fixture(scope="module")
def bare_server(demo_store_copy: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy of the demo store whose AM36 and Zwolle are called ``<script>…``, served without
    any geometry (empty geo folder, downloading off)."""
    folder = tmp_path_factory.mktemp("bare")
    store = Path(demo_store_copy("bare-store").removeprefix("sqlite:///"))
    with sqlite3.connect(store) as connection:
        connection.execute(
            "UPDATE regions SET name = ? WHERE code IN ('AM36', 'GM0193')", (SCRIPT,)
        )
    (folder / "geo").mkdir()
    port = free_port()
    env = {
        **os.environ,
        "REGIOKOMPAS_DATABASE_URL": f"sqlite:///{store}",
        "REGIOKOMPAS_CACHE_DIR": str(folder / "cache"),
        "REGIOKOMPAS_GEO_DIR": str(folder / "geo"),
        "REGIOKOMPAS_GEO_DOWNLOAD_URL": "",
    }
    log = open(folder / "gunicorn.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}"]
        + ["--chdir", str(ROOT), "app:server"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/healthz", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.mark.browser
def test_without_geometry_a_notice_and_ranked_bars(bare_server: str, page: Any) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(bare_server + "/kaart?regio=AM36&niveau=arbeidsmarktregio")
    page.wait_for_selector("#kaart-no-geo")
    assert "niet beschikbaar" in page.inner_text("#kaart-no-geo")
    page.wait_for_selector("#kaart-map.rk-bars-graph .main-svg")
    assert page.locator("#kaart-map .bars .point").count() == 30
    assert page.locator("#kaart-map path.choroplethlocation").count() == 0
    cells = page.locator("#kaart-table tbody td").all_inner_texts()
    assert SCRIPT in cells  # shown as text
    assert page.locator("#kaart-table script").count() == 0
    assert SCRIPT in page.inner_text("#kaart-lead")
    page.goto(bare_server + "/kaart?regio=GM0193")
    page.wait_for_selector("#kaart-map.rk-bars-graph .main-svg")
    assert SCRIPT in page.locator("#kaart-table tbody").inner_text()
    assert dialogs == []
    assert page.console_errors == []
