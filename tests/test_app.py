"""The app shell and the home page: served by real gunicorn, driven in headless Chromium; the
query cache shared by two servers through a real Redis."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import re
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
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


def test_a_page_opened_with_lang_keeps_it_for_links_without_it(live_server: str) -> None:
    """A shared ``?lang=en`` link sets the language cookie, so a link inside the page that does
    not carry ``lang`` (a vacancy, a batch) still opens in English; an embed view sets none."""

    def cookie_of(path: str) -> str | None:
        with urllib.request.urlopen(live_server + path) as response:
            return response.headers.get("Set-Cookie")

    assert "regiokompas_lang=en" in (cookie_of("/kaart?regio=GM0193&lang=en") or "")
    assert cookie_of("/kaart?regio=GM0193") is None
    assert cookie_of("/embed/kaart?lang=en") is None

    from dashboard.warm import router_request

    def title(cookie: str) -> str:
        payload = router_request("/vacatures")
        request = urllib.request.Request(
            live_server + "/_dash-update-component",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Cookie": cookie},
        )
        with urllib.request.urlopen(request) as response:
            return response.read().decode("utf-8")

    # The page behind such a link, asked without ``lang``: in the cookie's language.
    assert '"children":"Vacancies"' in title("regiokompas_lang=en")
    assert '"children":"Vacatures"' in title("regiokompas_lang=nl")


@pytest.mark.parametrize("proxies", [0, 1])
def test_forwarded_headers_count_only_behind_a_proxy(
    demo_store: str, tmp_path: Path, proxies: int
) -> None:
    """Behind one proxy the client address (rate limits), scheme and host (shared links, the
    render cache's key) come from X-Forwarded-*; without one those headers change nothing."""
    from flask import request
    from flask_limiter.util import get_remote_address

    from app import create_app
    from data.settings import Settings

    settings = Settings(
        database_url=demo_store, cache_dir=str(tmp_path), geo_download_url="", proxies=proxies
    )
    server = create_app(settings).server
    server.add_url_rule(
        "/_proef-adres", "proef", lambda: f"{get_remote_address()} {request.host_url}"
    )
    answer = server.test_client().get(
        "/_proef-adres",
        headers={
            "X-Forwarded-For": "203.0.113.7",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "regiokompas.example",
        },
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    expected = (
        "203.0.113.7 https://regiokompas.example/" if proxies else "127.0.0.1 http://localhost/"
    )
    assert answer.get_data(as_text=True) == expected


def test_the_shell_comes_in_the_language_of_the_page_url(live_server: str) -> None:
    """Dash fetches the shell from /_dash-layout without the page's query string; the page's
    ``?lang=`` (sent as referrer) wins over the cookie, so the navigation never flashes in the
    cookie's language. Another site's referrer decides nothing."""

    def shell(referrer: str) -> str:
        request = urllib.request.Request(
            live_server + "/_dash-layout",
            headers={"Referer": referrer, "Cookie": "regiokompas_lang=nl"},
        )
        with urllib.request.urlopen(request) as response:
            return response.read().decode("utf-8")

    # The skip link as rendered (both languages' texts also travel in the clientside data).
    english_link = '"children":"Skip to content","id":{'
    dutch_link = '"children":"Naar de inhoud","id":{'
    english = shell(f"{live_server}/kaart?regio=GM0193&lang=en")
    assert english_link in english and dutch_link not in english
    dutch = shell(f"{live_server}/kaart?regio=GM0193")
    assert dutch_link in dutch and english_link not in dutch
    assert dutch_link in shell("https://elders.example/kaart?lang=en")


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


# --- The query cache in a real Redis, shared by two servers -----------------------------------


def _demand_total(base: str, code: str) -> tuple[int, bytes]:
    """The vacancies of the last twelve months in region ``code``, from the data API."""
    with urllib.request.urlopen(f"{base}/api/v1/vraag.json?regio={code}&indeling=sector") as r:
        body = r.read()
    rows = json.loads(body)["data"]
    return sum(row["vacatures"] for row in rows), body


def _cached_frames(client: Any) -> list[pl.DataFrame]:
    """Every query result the app keeps in Redis (flask-caching writes ``!`` + a pickle)."""
    frames = []
    for key in client.keys("regiokompas:*"):
        raw = client.get(key)
        if raw and raw.startswith(b"!"):
            value = pickle.loads(raw[1:])
            if isinstance(value, pl.DataFrame):
                frames.append(value)
    return frames


def _add_batch(url: str, gemeente: str, vacancies: int) -> None:
    """What a finished ingest batch leaves behind: the batch and its demand in the cube."""
    from sqlalchemy import func, select

    from data.store import IngestBatch, session_scope
    from data.store.models import DemandMonth

    with session_scope(url) as session:
        newest = session.execute(select(func.max(DemandMonth.month))).scalar_one()
        like = session.execute(
            select(DemandMonth)
            .where(DemandMonth.month == newest, DemandMonth.sector.is_not(None))
            .limit(1)
        ).scalar_one()
        session.add(
            IngestBatch(
                source="redis-test",
                file_name="nieuw.csv",
                status="done",
                finished_at=dt.datetime.now(),
                rows_read=vacancies,
                rows_accepted=vacancies,
            )
        )
        session.add(
            DemandMonth(
                month=newest,
                gemeente_code=gemeente,
                occupation_code=like.occupation_code,
                education_level=like.education_level,
                sector=like.sector,
                vacancies=vacancies,
            )
        )


def test_two_servers_share_the_cache_in_redis_and_never_serve_old_results(
    demo_store_copy: Callable[[str], str], app_servers: Any, redis_url: str
) -> None:
    import redis

    from data import regions

    url = demo_store_copy("redis-cache")
    zwolle = ("GM0148", "GM0166", "GM0193")  # Dalfsen, Kampen, Zwolle
    created = regions.create_region(url, "Rond Zwolle", zwolle)
    code, token = created.region.code, created.edit_token
    first = app_servers.start(url, cache_type="RedisCache", cache_redis_url=redis_url)
    second = app_servers.start(url, cache_type="RedisCache", cache_redis_url=redis_url)
    client = redis.Redis.from_url(redis_url)

    total, body = _demand_total(first, code)
    assert total > 0
    keys = set(client.keys("regiokompas:*"))
    # The region's members, as the query returned them, are in Redis.
    members = [f for f in _cached_frames(client) if "gemeente_code" in f.columns]
    assert any(sorted(f["gemeente_code"].to_list()) == list(zwolle) for f in members)
    # The other server answers from those entries: the same answer, nothing new cached.
    assert _demand_total(second, code) == (total, body)
    assert set(client.keys("regiokompas:*")) == keys

    # The region gets other gemeenten: neither server serves the old figures.
    regions.update_region(url, code, token, "Rond Zwolle", ("GM0363",))  # Amsterdam
    edited, _ = _demand_total(second, code)
    assert edited != total
    assert _demand_total(first, code)[0] == edited

    # A new batch: both servers count its vacancies on their next request.
    _add_batch(url, "GM0363", 1000)
    assert _demand_total(first, code)[0] == edited + 1000
    assert _demand_total(second, code)[0] == edited + 1000


# --- Language in the URL, and meeting mode -----------------------------------------------------


def _shell_texts(page: Any) -> dict[str, str]:
    return {
        "skip": page.inner_text(".rk-skip-link"),
        "nav": page.inner_text(".rk-nav"),
        "nav_label": page.get_attribute(".rk-nav", "aria-label") or "",
        "banner": page.inner_text("#demo-banner"),
        "footer": page.inner_text(".rk-footer"),
        "switch": page.inner_text("#language-link"),
        "lang": page.get_attribute("html", "lang") or "",
    }


@pytest.mark.browser
def test_lang_in_the_url_translates_the_whole_shell_and_stays(live_server: str, page) -> None:
    from urllib.parse import parse_qs, unquote, urlsplit

    from dashboard.i18n import t

    page.goto(live_server + "/tekorten?regio=AM36&lang=en")
    page.wait_for_selector(f"text={t('tek.title', 'en')}")
    page.wait_for_function(
        "document.querySelector('.rk-skip-link').textContent === 'Skip to content'"
    )
    shell = _shell_texts(page)
    assert shell["skip"] == t("shell.skip_link", "en")
    assert t("nav.home", "en") in shell["nav"] and t("nav.home", "nl") not in shell["nav"]
    assert shell["nav_label"] == t("shell.navigation", "en")
    assert t("shell.demo_banner", "en") in shell["banner"]
    assert t("shell.footer_sources", "en") in shell["footer"]
    assert t("nav.admin", "en") in shell["footer"]
    assert shell["switch"] == t("shell.switch_language", "en")  # "Nederlands"
    assert shell["lang"] == "en"
    # Every link of the shell keeps the language (and the region) of the URL.
    for selector in (".rk-nav .rk-nav-link", "#rk-brand", "#rk-admin-link"):
        for href in page.eval_on_selector_all(selector, "els => els.map(e => e.href)"):
            assert parse_qs(urlsplit(href).query).get("lang") == ["en"], href

    # Following the navigation keeps English, in the page and around it.
    page.click(f".rk-nav .rk-nav-link:has-text('{t('nav.vaardigheden', 'en')}')")
    page.wait_for_url("**/vaardigheden?**")
    assert parse_qs(urlsplit(page.url).query) == {"regio": ["AM36"], "lang": ["en"]}
    page.wait_for_selector(f"text={t('vaardigheden.title', 'en')}")
    assert _shell_texts(page)["skip"] == t("shell.skip_link", "en")

    # The switch leads back to this view in Dutch: the URL says nl, and so does the cookie.
    href = page.get_attribute("#language-link", "href") or ""
    target = unquote(parse_qs(urlsplit(href).query)["next"][0])
    assert urlsplit(target).path == "/vaardigheden"
    assert parse_qs(urlsplit(target).query) == {"regio": ["AM36"], "lang": ["nl"]}
    page.click("#language-link")
    page.wait_for_url("**/vaardigheden?regio=AM36&lang=nl")
    page.wait_for_selector(f"text={t('vaardigheden.title', 'nl')}")
    page.wait_for_function(
        "document.querySelector('.rk-skip-link').textContent === 'Naar de inhoud'"
    )
    shell = _shell_texts(page)
    assert t("nav.home", "nl") in shell["nav"] and shell["lang"] == "nl"
    assert t("shell.footer_sources", "nl") in shell["footer"]
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies["regiokompas_lang"] == "nl"
    assert page.console_errors == []


def _contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two CSS ``rgb(...)`` colours."""

    def luminance(colour: str) -> float:
        channels = [int(v) / 255 for v in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.browser
def test_meeting_mode_large_type_no_chrome_and_keyboard_between_views(
    live_server: str, browser
) -> None:
    from urllib.parse import parse_qs, urlsplit

    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto(live_server + "/?regio=AM36&presentatie=1")
        page.wait_for_selector("#home-total")
        page.wait_for_function("document.documentElement.classList.contains('rk-present')")
        assert not page.locator(".rk-nav").is_visible()
        assert not page.locator("#language-link").is_visible()
        assert not page.locator(".rk-footer").is_visible()
        assert page.locator(".rk-present-hint").is_visible()
        assert page.locator("#demo-banner").is_visible()  # demo data stays labelled
        style = page.evaluate(
            """() => {
                const body = getComputedStyle(document.body);
                const value = getComputedStyle(document.querySelector('#home-total'));
                return {size: parseFloat(body.fontSize), color: body.color,
                        background: body.backgroundColor,
                        h1: parseFloat(getComputedStyle(document.querySelector('h1')).fontSize),
                        kpi: parseFloat(value.fontSize), kpiColor: value.color};
            }"""
        )
        assert style["size"] >= 24 and style["h1"] >= 48 and style["kpi"] >= 60
        assert _contrast(style["color"], style["background"]) >= 7  # WCAG AAA, not only AA
        assert _contrast(style["kpiColor"], style["background"]) >= 7
        page.screenshot(path=str(SCREENSHOTS / "presentatie-1920.png"))

        views = page.eval_on_selector_all(
            ".rk-nav .rk-nav-link", "els => els.map(e => new URL(e.href).pathname)"
        )
        assert views[0] == "/" and len(views) >= 3
        for key, expected in (("ArrowRight", 1), ("ArrowRight", 2), ("ArrowLeft", 1)):
            page.keyboard.press(key)
            page.wait_for_function(f"location.pathname === {views[expected]!r}")
            params = parse_qs(urlsplit(page.url).query)
            assert params["presentatie"] == ["1"] and params["regio"] == ["AM36"]
            assert page.evaluate("document.documentElement.classList.contains('rk-present')")
            assert not page.locator(".rk-nav").is_visible()
        page.keyboard.press("PageUp")  # as a presentation clicker sends it
        page.wait_for_function("location.pathname === '/'")

        page.keyboard.press("Escape")
        page.wait_for_function("!location.search.includes('presentatie')")
        page.wait_for_selector(".rk-nav", state="visible")
        assert "regio=AM36" in page.url
        assert not page.evaluate("document.documentElement.classList.contains('rk-present')")
        assert errors == []
    finally:
        context.close()


# --- One "Insluiten" widget for the four embeddable views ---------------------------------------

IFRAME = re.compile(
    r'<iframe src="(?P<src>[^"<>\']+)" title="(?P<title>[^"<>\']+)" width="100%" '
    r'height="(?P<height>\d+)" style="border:0" loading="lazy"></iframe>'
)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("view", "path", "query"),
    [
        ("kaart", "/kaart", "maat=groei&niveau=provincie"),
        ("tekorten", "/tekorten", "regio=GM0193"),
        ("opleiding", "/opleidingen", "opleiding=25633&regio=AM36"),
        ("vaardigheid", "/vaardigheden", "vaardigheid=photoshop&regio=AM36"),
    ],
)
def test_every_embed_dialog_writes_the_same_escaped_iframe(
    live_server: str, page, view: str, path: str, query: str
) -> None:
    """A hostile extra parameter and meeting mode in the page's URL: the code is one iframe
    element whose attributes cannot be broken out of, pointing at the view's embed path."""
    from html import unescape
    from urllib.parse import parse_qs, urlsplit

    from dashboard.components.embed import BUTTON, CODE, selector

    hostile = "\"'><script>alert(1)</script>"
    page.goto(f"{live_server}{path}?{query}&presentatie=1&x={hostile}")
    page.wait_for_selector(f"{selector(BUTTON, view)}:not([disabled])", state="attached")
    page.evaluate(f"document.querySelector({selector(BUTTON, view)!r}).click()")
    page.wait_for_selector(f"{selector(CODE, view)}:has-text('iframe')")
    code = page.inner_text(selector(CODE, view)).strip()
    match = IFRAME.fullmatch(code)
    assert match, code
    src = urlsplit(unescape(match["src"]))
    assert f"{src.scheme}://{src.netloc}" == live_server
    assert src.path == f"/embed/{view}"
    params = parse_qs(src.query)
    assert "presentatie" not in params
    for name, values in parse_qs(query).items():
        assert params[name] == values
    if view != "opleiding":  # the programme embed takes only its own parameters
        assert params["x"] == [hostile]
    assert "Regiokompas" in unescape(match["title"])
    assert page.console_errors == []
