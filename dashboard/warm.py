"""Fill the caches for the views people open first, right after new data arrives.

A new batch changes the data version, so the first visitor of each view pays for the queries
the cache no longer has (over de data 3 s, a regional shortage ranking 0.3 s on a million
vacancies). ``regiokompas warm`` asks the app, in this process, for the layout of each
region-wide page for the chosen regions and languages, the way a browser behind the public
address would: the query results and the kept page answers (``dashboard/render_cache.py``)
land in the shared cache, so those views open at once on every worker. With ``NullCache``
there is nothing to fill.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from dashboard.render_cache import HEADER, ROUTER_OUTPUT
from data.settings import Settings

# The pages whose layout is built from a region alone (the others need a programme, a skill or
# a visitor's input), and over de data, which has none.
REGION_PAGES = ("/", "/kaart", "/tekorten", "/vacatures")
COUNTRY_PAGES = ("/over-de-data",)


@dataclass(frozen=True)
class Warmed:
    path: str
    region: str
    lang: str
    status: int
    kept: str  # "stored", "hit" (was already there) or "" (not kept: render cache off)
    seconds: float


def router_request(path: str, search: str = "") -> dict[str, object]:
    """The request Dash's renderer sends for a page's layout on a first load."""
    changed = ["_pages_location.pathname", "_pages_location.search"]
    return {
        "output": ROUTER_OUTPUT,
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": changed,
        "parsedChangedPropsIds": changed,
    }


def views(regions: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(path, region) for every page to warm: the region pages per region, then the others.

    >>> list(views(["NL", "AM36"]))[:3]
    [('/', 'NL'), ('/kaart', 'NL'), ('/tekorten', 'NL')]
    >>> ("/over-de-data", "NL") in list(views(["AM36"]))
    True
    """
    for region in regions:
        for path in REGION_PAGES:
            yield path, region
    for path in COUNTRY_PAGES:
        yield path, "NL"


def warm(
    settings: Settings, address: str, regions: Iterable[str], languages: Iterable[str]
) -> Iterator[Warmed]:
    """Ask for each view once per language, as a visitor at ``address`` (the public address,
    ``https://regiokompas.example``: share links and kept answers depend on it) whose language
    cookie is that language."""
    from dashboard.app_factory import create_app
    from dashboard.i18n import COOKIE

    app = create_app(settings)
    client = app.server.test_client()
    base = address.rstrip("/")
    client.get("/", base_url=base)  # Dash's first-request set-up (the page router)
    wanted = list(views(regions))
    for lang in languages:
        client.set_cookie(COOKIE, lang, domain=urlsplit(base).hostname or "localhost")
        for path, region in wanted:
            search = "?" + urlencode({"regio": region}) if region != "NL" else ""
            started = time.perf_counter()
            response = client.post(
                "/_dash-update-component", json=router_request(path, search), base_url=base
            )
            yield Warmed(
                path,
                region,
                lang,
                response.status_code,
                response.headers.get(HEADER, ""),
                time.perf_counter() - started,
            )
