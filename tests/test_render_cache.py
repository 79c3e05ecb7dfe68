"""Whole page answers kept in the shared cache (``dashboard/render_cache.py``): read back by
every worker, never across data versions, languages or hosts, never for the admin page or a
visitor's Matchen profile, and not at all with ``NullCache``."""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dashboard.render_cache import HEADER, ROUTER_OUTPUT
from dashboard.warm import router_request
from data.settings import Settings

UPDATE = "/_dash-update-component"


def matchen_results(text: str) -> dict[str, Any]:
    return {
        "output": "matchen-results.children",
        "outputs": {"id": "matchen-results", "property": "children"},
        "inputs": [{"id": "matchen-button", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["matchen-button.n_clicks"],
        "state": [
            {"id": "matchen-skills", "property": "value", "value": ["photoshop"]},
            {"id": "matchen-text", "property": "value", "value": text},
            {"id": {"name": "regio", "type": "url-param"}, "property": "value", "value": None},
            {"id": "matchen-lang", "property": "data", "value": "nl"},
        ],
    }


def make_app(
    url: str, cache_dir: Path, cache_type: str = "FileSystemCache", render_cache: bool = True
) -> Any:
    from app import create_app

    settings = Settings(
        database_url=url,
        cache_type=cache_type,
        cache_dir=str(cache_dir),
        geo_download_url="",
        render_cache=render_cache,
    )
    return create_app(settings)


@pytest.fixture(scope="module")
def store(demo_store_copy: Callable[[str], str]) -> str:
    return demo_store_copy("render-cache")


def _post(base: str, payload: dict[str, Any], host: str | None = None) -> tuple[str | None, bytes]:
    headers = {"Content-Type": "application/json"}
    if host:
        headers["Host"] = host  # as a load balancer in front of several hosts passes it on
    request = urllib.request.Request(
        base + UPDATE, data=json.dumps(payload).encode(), headers=headers
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        assert response.status == 200
        return response.headers.get(HEADER), response.read()


def test_output_ids_of_the_pages_are_the_ones_dash_sends(
    live_server: str, store: str, tmp_path: Path
) -> None:
    """The callbacks named in the pages exist with exactly these outputs (a renamed component
    would silently stop being kept). Asked of a served app: in this test process the page
    callbacks belong to whichever app was created first."""
    from dashboard import render_cache

    make_app(store, tmp_path, cache_type="NullCache")  # imports the pages, which name theirs
    with urllib.request.urlopen(live_server + "/_dash-dependencies", timeout=60) as response:
        outputs = {entry["output"] for entry in json.load(response)}
    allowed = render_cache._ALLOWED
    assert {"opl-body.children", "vac-grid.getRowsResponse", ROUTER_OUTPUT} <= allowed
    assert allowed <= outputs, allowed - outputs


def test_a_repeated_view_is_read_back_and_other_views_are_not(store: str, tmp_path: Path) -> None:
    client = make_app(store, tmp_path).server.test_client()
    first = client.post(UPDATE, json=router_request("/kaart", "?regio=GM0193"))
    assert first.status_code == 200
    assert first.headers[HEADER] == "stored"
    again = client.post(UPDATE, json=router_request("/kaart", "?regio=GM0193"))
    assert again.headers[HEADER] == "hit"
    assert again.data == first.data
    assert again.mimetype == "application/json"
    # The same view as a link asks for it (only the path named as changed, an empty state,
    # JSON with spaces): the same kept answer.
    link = {**router_request("/kaart", "?regio=GM0193"), "state": []}
    link["changedPropIds"] = link["parsedChangedPropsIds"] = ["_pages_location.pathname"]
    same = client.post(UPDATE, data=json.dumps(link), content_type="application/json")
    assert same.headers[HEADER] == "hit"
    assert same.data == first.data

    # Another region, another language (cookie or URL), another host: built, not read back.
    other = client.post(UPDATE, json=router_request("/kaart", "?regio=GM0363"))
    assert other.headers[HEADER] == "stored"
    assert other.data != first.data
    client.set_cookie("regiokompas_lang", "en")
    english = client.post(UPDATE, json=router_request("/kaart", "?regio=GM0193"))
    assert english.headers[HEADER] == "stored"
    assert "Map" in english.get_data(as_text=True)
    assert "Map" not in first.get_data(as_text=True)
    client.delete_cookie("regiokompas_lang")
    by_url = client.post(UPDATE, json=router_request("/kaart", "?regio=GM0193&lang=en"))
    assert by_url.headers[HEADER] == "stored"
    elsewhere = client.post(
        UPDATE, json=router_request("/kaart", "?regio=GM0193"), base_url="http://andere.example"
    )
    assert elsewhere.headers[HEADER] == "stored"


def test_new_data_or_invalidate_is_never_answered_from_old_answers(
    store: str, tmp_path: Path
) -> None:
    from dashboard import queries
    from data import regions

    app = make_app(store, tmp_path)
    client = app.server.test_client()
    name = f"Kompasregio {uuid.uuid4().hex[:6]}"
    view = router_request("/regios")
    assert client.post(UPDATE, json=view).headers[HEADER] == "stored"
    assert client.post(UPDATE, json=view).headers[HEADER] == "hit"

    regions.create_region(store, name, ("GM0148", "GM0193"))  # written outside the app
    fresh = client.post(UPDATE, json=view)
    assert fresh.headers[HEADER] == "stored"
    assert client.post(UPDATE, json=view).headers[HEADER] == "hit"

    with app.server.test_request_context("/"):
        queries.invalidate()
    assert client.post(UPDATE, json=view).headers[HEADER] == "stored"


def test_admin_and_matchen_results_are_never_kept(
    demo_store_copy: Callable[[str], str], app_servers: Any, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    base = app_servers.start(demo_store_copy("render-matchen"), cache_dir=str(cache_dir))
    for _ in range(2):
        assert _post(base, router_request("/beheer"))[0] is None
    typed = f"Ik ken Photoshop en {uuid.uuid4().hex}"
    for _ in range(2):
        state, body = _post(base, matchen_results(typed))
        assert state is None
        assert b"matchen-list" in body
    # Nothing typed reached the cache folder, though the folder is in use (a layout is kept).
    assert _post(base, router_request("/matchen"))[0] == "stored"
    written = [path.read_bytes() for path in cache_dir.rglob("*") if path.is_file()]
    assert written
    assert not any(typed.split()[-1].encode() in content for content in written)


@pytest.mark.parametrize(
    ("cache_type", "render_cache"), [("NullCache", True), ("FileSystemCache", False)]
)
def test_nullcache_or_setting_off_keeps_nothing(
    store: str, tmp_path: Path, cache_type: str, render_cache: bool
) -> None:
    client = make_app(store, tmp_path, cache_type, render_cache).server.test_client()
    for _ in range(2):
        response = client.post(UPDATE, json=router_request("/kaart", "?regio=GM0193"))
        assert response.status_code == 200
        assert HEADER not in response.headers


def test_every_worker_reads_the_kept_answer(live_server: str) -> None:
    """Two gunicorn workers share the file-system cache: after the first answer, every request
    for the same view is read back, whichever worker takes it, with the same bytes."""
    # A view no other test asks for.
    view = router_request("/tekorten", f"?regio=GM0193&proef={uuid.uuid4().hex}")
    state, body = _post(live_server, view)
    assert state == "stored"
    for _ in range(8):
        assert _post(live_server, view) == ("hit", body)


def test_two_servers_share_kept_answers_through_redis(
    demo_store_copy: Callable[[str], str], app_servers: Any, redis_url: str
) -> None:
    """With ``RedisCache`` an answer kept by one server (one host, with its own cache folder and
    port) is read back by another behind the same public address, byte for byte; after a new
    own region neither serves the old one."""
    from data import regions

    url = demo_store_copy("render-redis")
    first = app_servers.start(url, cache_type="RedisCache", cache_redis_url=redis_url)
    second = app_servers.start(url, cache_type="RedisCache", cache_redis_url=redis_url)
    view = router_request("/regios", f"?proef={uuid.uuid4().hex}")
    public = "regiokompas.example"
    state, body = _post(first, view, public)
    assert state == "stored"
    assert _post(second, view, public) == ("hit", body)
    assert _post(second, view)[0] == "stored"  # another address: its own answer (share links)

    regions.create_region(url, f"Kompasregio {uuid.uuid4().hex[:6]}", ("GM0148", "GM0193"))
    assert _post(second, view, public)[0] == "stored"
    assert _post(first, view, public)[0] == "hit"


def test_warm_fills_the_cache_the_servers_read(
    demo_store_copy: Callable[[str], str],
    app_servers: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``regiokompas warm`` run after new data: the served app then answers the warmed views
    from the cache on their first request (in both languages), and only those."""
    from click.testing import CliRunner

    from dashboard.cli import cli
    from data.settings import get_settings

    url = demo_store_copy("render-warm")
    cache_dir = tmp_path / "cache"
    base = app_servers.start(url, cache_dir=str(cache_dir))
    for name, value in (
        ("DATABASE_URL", url),
        ("CACHE_TYPE", "FileSystemCache"),
        ("CACHE_DIR", str(cache_dir)),
    ):
        monkeypatch.setenv(f"REGIOKOMPAS_{name}", value)
    get_settings.cache_clear()
    args = ["warm", "--address", base, "--regio", "NL", "--regio", "AM36", "--taal", "nl"]
    result = CliRunner().invoke(cli, [*args, "--taal", "en"])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert result.output.count("stored") == 18  # (4 pages × 2 regions + over de data) × 2

    assert _post(base, router_request("/tekorten", "?regio=AM36"))[0] == "hit"
    assert _post(base, router_request("/over-de-data"))[0] == "hit"
    # The URL's language, not the cookie's: not warmed.
    english = router_request("/kaart", "?regio=AM36&lang=en")
    assert _post(base, english)[0] == "stored"
    assert _post(base, router_request("/tekorten", "?regio=GM0193"))[0] == "stored"  # not warmed
