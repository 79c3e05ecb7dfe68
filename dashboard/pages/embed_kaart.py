"""Embed view of the map (``/embed/kaart``): the same parameters as ``/kaart`` (``regio``,
``niveau``, ``maat``, ``klasse``), no navigation and no controls, read-only: clicking an area
shows its figures but does not navigate. Framing is allowed for the configured parents
(``embed_allowed_parents``, sent as CSP ``frame-ancestors`` by the app factory)."""

from __future__ import annotations

from urllib.parse import urlencode

import dash
import dash_mantine_components as dmc
from dash import html

from dashboard import queries
from dashboard.i18n import current_language, t
from dashboard.pages import kaart
from dashboard.queries import kaart as kaart_queries

EMBED_MAP = "kaart-embed-map"


def layout(
    regio: str | None = None,
    niveau: str | None = None,
    maat: str | None = None,
    klasse: str | None = None,
    lang: str | None = None,
    **_: str,
) -> html.Div:
    lang = current_language(lang, queries.settings().default_language)
    region = queries.region(regio)
    data = kaart_queries.map_data(maat, niveau, region, {"klasse": klasse or ""})
    if data is None:
        return html.Div(
            dmc.Alert(t("kaart.empty", lang), title=t("kaart.empty_title", lang), color="gray"),
            className="rk-embed-kaart",
        )
    block, has_map = kaart.figure_block(data, lang, EMBED_MAP, region)
    params = {
        "regio": None if region.is_national else region.code,
        "niveau": data.scope.view,
        "maat": data.measure.id,
        "klasse": klasse if "klasse" in data.measure.params else None,
        "lang": lang,
    }
    full = (
        dash.get_relative_path("/kaart") + "?" + urlencode({k: v for k, v in params.items() if v})
    )
    lead = t(
        "kaart.lead",
        lang,
        measure=t(data.measure.label_key, lang),
        period=kaart_queries.period_text(data, lang),
        where=kaart.where_text(data, region, lang).split(";")[0].rstrip(".") + ".",
    )
    return html.Div(
        [
            html.P(lead, className="rk-embed-lead"),
            *(
                []
                if has_map
                else [dmc.Alert(t("kaart.no_geo_title", lang), color="yellow", id=kaart.NOTICE_GEO)]
            ),
            *kaart.notices(data, lang),
            block,
            html.A(
                t("kaart.embed_open", lang),
                href=full,
                target="_blank",
                rel="noopener",
                className="rk-embed-open",
            ),
        ],
        className="rk-embed-kaart",
    )


dash.register_page(
    __name__,
    path="/embed/kaart",
    title="Regiokompas — kaart",
    name="Kaart (insluiten)",
    order=1010,
    label_key="nav.kaart",
    nav=False,
    layout=layout,
    render_cache=True,  # public and read-only: see dashboard/render_cache.py
)
