"""The shortage view for embedding in a partner's page (``/embed/tekorten``): the tension and
demand rankings of ``/tekorten`` with the same URL parameters, read-only and without the app's
navigation. ``weergave=spanning|vraag`` shows only one of the two rankings."""

from __future__ import annotations

from urllib.parse import urlencode

import dash
import dash_mantine_components as dmc
from dash import html

from dashboard import queries
from dashboard.i18n import current_language, t
from dashboard.pages.tekorten import WEERGAVEN, comparison_region, rankings, where
from dashboard.queries import tekorten as tq


def layout(
    regio: str | None = None,
    vergelijk: str | None = None,
    indeling: str | None = None,
    kwartaal: str | None = None,
    weergave: str | None = None,
    lang: str | None = None,
    **_: str,
) -> html.Div:
    lang = current_language(lang, queries.settings().default_language)
    region = queries.region(regio)
    other = comparison_region(region, vergelijk)
    indeling = indeling if indeling in tq.INDELINGEN else "beroep"
    weergave = weergave if weergave in WEERGAVEN else "beide"
    regions = [region] if other is None else [region, other]
    body = rankings(regions, indeling, kwartaal, lang, weergave)
    if body is None:
        body = dmc.Alert(t("home.empty", lang), title=t("home.empty_title", lang), color="gray")
    params = {
        "regio": region.code,
        "vergelijk": other.code if other else "",
        "indeling": indeling,
        "kwartaal": kwartaal or "",
    }
    full_view = (
        dash.get_relative_path("/tekorten")
        + "?"
        + urlencode({k: v for k, v in params.items() if v})
    )
    title = where(region, lang) + (f" · {where(other, lang)}" if other else "")
    return html.Div(
        [
            html.H1(t("tek.embed_heading", lang, region=title), className="rk-embed-title"),
            body,
            html.P(
                [
                    t("tek.embed_source", lang),
                    " ",
                    html.A(
                        t("tek.embed_open", lang),
                        href=full_view,
                        target="_blank",
                        rel="noopener",
                        id="tek-embed-open",
                    ),
                ],
                className="rk-footnote",
            ),
        ],
        className="rk-tek rk-tek-embed",
    )


dash.register_page(
    __name__,
    path="/embed/tekorten",
    title="Regiokompas — tekorten (ingesloten)",
    name="Tekorten (ingesloten)",
    order=920,
    label_key="nav.tekorten",
    nav=False,
    layout=layout,
    render_cache=True,  # public and read-only: see dashboard/render_cache.py
)
