"""The programme page (/opleidingen), its embed and its API views: the alignment frames and
figures without a browser, and the pages in a real browser on a copy of the demo store with a
few graphic-design vacancies in Zwolle added (the Zwolle/Photoshop question), one of them with
an employer name that is a script tag and a title that is a spreadsheet formula."""

from __future__ import annotations

import datetime as dt
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from flask import Flask

from dashboard import queries
from dashboard.cache import cache
from dashboard.components.embed import BUTTON, CODE, selector
from dashboard.figures_opleidingen import level_text, programme_label, skill_bars
from dashboard.queries import opleidingen as oq
from data.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "var" / "screenshots"
MEDIA = "25633"  # Mediavormgever, niveau 4
ZWOLLE = "GM0193"
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x")'


# --- Without a browser ------------------------------------------------------------------------


def test_labels() -> None:
    assert level_text("mbo4", "nl") == "niveau 4"
    assert level_text("mbo2", "en") == "level 2"
    assert level_text("hbo-bachelor", "nl") == "hbo-bachelor"
    assert programme_label("25633", "Mediavormgever", "mbo4", "nl") == (
        "25633 — Mediavormgever (niveau 4)"
    )


def test_skill_bars_largest_on_top_with_share_and_type() -> None:
    skills = pl.DataFrame(
        {
            "label": ["Typografie", "Photoshop", "Figma"],
            "type": ["vocational", "software", "software"],
            "share": [0.2, 0.55, 0.004],
            "vacancies": [8, 22, 1],
        }
    )
    figure = skill_bars(skills, "nl", "covered", top=2, small_threshold=5)
    bar = figure.data[0]
    labels = [a.text for a in sorted(figure.layout.annotations, key=lambda a: -a.y)]
    assert labels == ["Photoshop · software", "Typografie · vakvaardigheid"]
    assert list(bar.text) == ["55%", "20%"]
    assert figure.layout.separators == ",."
    empty = skill_bars(skills.clear(), "en", "missing")
    assert empty.layout.annotations[0].text == "No skills"


@pytest.fixture(scope="module")
def demo_context(demo_store: str) -> Iterator[None]:
    app = Flask("opleidingen-test")
    app.config["REGIOKOMPAS_SETTINGS"] = Settings(database_url=demo_store)
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})
    with app.app_context():
        yield


def test_alignment_frames_on_the_demo_store(demo_context: None) -> None:
    chosen = oq.programme(MEDIA)
    assert chosen is not None and chosen.name == "Mediavormgever" and chosen.skills > 10
    assert oq.programme("nope") is None
    result = oq.alignment(chosen, queries.region("NL"))
    assert result is not None and result.relevant_vacancies > 0
    assert result.coverage is not None and 0 <= result.coverage <= 1
    assert result.last == dt.date(2026, 10, 1) and result.first == dt.date(2025, 11, 1)
    table = oq.skill_table(result)
    # Every profile skill is in the table once, with its kerntaak; asked skills carry a share.
    profile = table.filter(pl.col("in_profile"))
    assert profile.height == result.profile.height
    assert profile["kerntaak"].null_count() == 0
    photoshop = table.filter(pl.col("key") == "photoshop").row(0, named=True)
    assert photoshop["in_profile"] and photoshop["weight"] == 1.0
    assert set(table["status"].unique()) <= {"gedekt", "ontbreekt", "niet gevraagd"}
    assert table.filter(pl.col("status") == "ontbreekt")["in_profile"].not_().all()
    with pytest.raises(ValueError, match="onbekende opleiding"):
        oq.alignment_table({"regio": "AM36"})
    with pytest.raises(ValueError, match="onbekende regio"):
        oq.alignment_table({"opleiding": MEDIA, "regio": "XX99"})


# --- In a browser -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def opl_server(demo_store_copy: Any, app_servers: Any) -> str:
    """The app on a copy of the demo store with six graphic-design vacancies in Zwolle."""
    from sqlalchemy import select

    from data.store import session_scope
    from data.store.models import Skill, Vacancy, VacancyOccupation, VacancySkill

    url = demo_store_copy("opl")
    with session_scope(url) as session:
        skills = dict(
            session.execute(
                select(Skill.key, Skill.id).where(
                    Skill.key.in_(["photoshop", "illustrator", "figma", "typografie"])
                )
            ).all()
        )
        for i in range(6):
            posted = dt.date(2026, 4 + i, 10)
            vacancy = Vacancy(
                source="opl-test",
                source_id=f"opl-{i}",
                title=FORMULA if i == 0 else f"Grafisch vormgever {i}",
                employer=SCRIPT if i == 0 else f"Drukkerij Zwolle {i}",
                gemeente_code=ZWOLLE,
                posted_at=posted,
                posted_month=posted.replace(day=1),
                content_hash=f"opl-{i}",
                is_cluster_head=True,
                is_demo=True,
            )
            session.add(vacancy)
            session.flush()
            session.add(
                VacancyOccupation(
                    vacancy_id=vacancy.id, occupation_code="0221", score=1.0, method="test"
                )
            )
            for key in ("photoshop", "illustrator") + (("figma",) if i % 2 else ()):
                session.add(
                    VacancySkill(
                        vacancy_id=vacancy.id,
                        skill_id=skills[key],
                        start=0,
                        end=len(key),
                        surface=key,
                        section="requirements",
                        required=True,
                    )
                )
    return str(app_servers.start(url))


def _report(page: Any, url: str) -> None:
    page.goto(url)
    # The first alignment in a fresh server imports and fits the matcher's parts.
    page.wait_for_selector("#opl-report", timeout=60_000)
    page.wait_for_selector("#opl-missing-chart .main-svg", timeout=30_000)


@pytest.mark.browser
def test_programme_in_zwolle_shows_photoshop_and_prints(opl_server: str, page: Any) -> None:
    _report(page, f"{opl_server}/opleidingen?opleiding={MEDIA}&regio=AM36")
    assert "Mediavormgever in Regio Zwolle" in page.inner_text("#opl-report-title")
    assert re.fullmatch(r"\d{1,3}%", page.inner_text("#opl-score"))
    assert "relevante vacatures in Regio Zwolle" in page.inner_text("#opl-score-basis")
    # Photoshop is asked by every added vacancy and taught: a covered skill with its share.
    covered = page.locator("#opl-covered-table")
    row = covered.locator("tr", has_text="Photoshop").first
    assert re.search(r"\d+,\d%", row.text_content() or "")
    # User text is text: the script tag shows as written and never runs.
    vacancies = page.inner_text("#opl-vacancies-table")
    assert SCRIPT in vacancies
    link = page.locator("#opl-vacancies-table a", has_text="Grafisch vormgever 1")
    assert "/vacatures?vacature=" in (link.get_attribute("href") or "")
    assert page.locator("#opl-print").is_enabled()
    assert page.locator(".rk-definitions").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".rk-opl-controls").is_visible()
    assert not page.locator(".rk-header").is_visible()
    assert page.locator("#opl-score").is_visible()
    page.emulate_media(media="screen")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "opleidingen-1366.png"), full_page=True)
    page.click(selector(BUTTON, "opleiding"))
    page.wait_for_function(
        f"document.querySelector({selector(CODE, 'opleiding')!r}) && "
        f"document.querySelector({selector(CODE, 'opleiding')!r}).textContent.includes('iframe')"
    )
    code = page.inner_text(selector(CODE, "opleiding"))
    embed = f"{opl_server}/embed/opleiding?opleiding={MEDIA}&amp;regio=AM36"
    assert f'src="{embed}"' in code
    assert page.console_errors == []


@pytest.mark.browser
def test_phone_width(opl_server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        _report(page, f"{opl_server}/opleidingen?opleiding={MEDIA}&regio=AM36")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(SCREENSHOTS / "opleidingen-390.png"), full_page=True)
        assert errors == []
    finally:
        context.close()


@pytest.mark.browser
def test_url_round_trip_of_the_programme(opl_server: str, page: Any) -> None:
    page.goto(f"{opl_server}/opleidingen?regio=AM36")
    page.wait_for_selector("#opl-empty", timeout=60_000)
    assert page.locator(".rk-opl-examples a").count() >= 3
    assert page.locator("#opl-print").is_disabled()
    select = page.get_by_role("textbox", name="Opleiding (crebo)")
    select.click()
    select.fill("Mediavorm")
    page.get_by_role("option", name=re.compile(f"^{MEDIA} — Mediavormgever")).click()
    page.wait_for_url(re.compile(f"opleiding={MEDIA}"))
    assert "regio=AM36" in page.url
    page.wait_for_selector("#opl-report", timeout=60_000)
    page.reload()
    page.wait_for_selector("#opl-report", timeout=60_000)
    assert "Mediavormgever" in select.input_value()
    page.go_back()
    page.wait_for_selector("#opl-empty", timeout=30_000)
    assert page.console_errors == []


@pytest.mark.browser
def test_embed_view_and_its_iframe_code(opl_server: str, page: Any) -> None:
    embed = f"{opl_server}/embed/opleiding?opleiding={MEDIA}&regio=AM36"
    with urllib.request.urlopen(embed) as response:
        assert "frame-ancestors" in response.headers["Content-Security-Policy"]
    page.goto(embed)
    page.wait_for_selector("#opl-missing-chart .main-svg", timeout=60_000)
    assert page.locator("#opl-score").is_visible()
    assert not page.locator(".rk-header").is_visible()
    assert page.console_errors == []


def test_exports_are_formula_safe(opl_server: str) -> None:
    base = f"{opl_server}/api/v1"
    with urllib.request.urlopen(f"{base}/opleiding.csv?opleiding={MEDIA}&regio=AM36") as response:
        text = response.read().decode("utf-8-sig")
    rows = text.splitlines()
    assert rows[0].startswith("opleiding;regio;van;tot_en_met;relevante_vacatures;skill;")
    assert any(r.split(";")[5] == "photoshop" and ";gedekt;" in r for r in rows)
    with urllib.request.urlopen(
        f"{base}/opleiding_vacatures.csv?opleiding={MEDIA}&regio=AM36"
    ) as response:
        vacancies = response.read().decode("utf-8-sig")
    assert "'=HYPERLINK" in vacancies and "\n=HYPERLINK" not in vacancies
    assert ";=HYPERLINK" not in vacancies
    with urllib.request.urlopen(f"{base}/opleiding.xlsx?opleiding={MEDIA}") as response:
        assert response.read(2) == b"PK"
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{base}/opleiding.csv?opleiding=99999")
    assert error.value.code == 400
