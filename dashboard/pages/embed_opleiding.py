"""The programme view for embedding in a partner's page (``/embed/opleiding``): the alignment
score and the missing skills of ``/opleidingen`` for ``?opleiding=<crebo>&regio=``, read-only and
without the app's navigation. Like the full page, the body renders in a callback under a
loading indicator, since a first alignment takes a few seconds."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
import dash_mantine_components as dmc
from dash import Input, Output, callback, dcc, html

from dashboard import queries, render_cache
from dashboard.i18n import current_language, t
from dashboard.pages.opleidingen import score_figures, skill_card, where
from dashboard.queries import opleidingen as oq

REQUEST = "opl-embed-request"
BODY = "opl-embed-body"


def layout(
    opleiding: str | None = None,
    regio: str | None = None,
    lang: str | None = None,
    **_: str,
) -> html.Div:
    lang = current_language(lang, queries.settings().default_language)
    region = queries.region(regio)
    chosen = oq.programme(opleiding)
    return html.Div(
        [
            dcc.Store(
                id=REQUEST,
                data={
                    "opleiding": chosen.code if chosen else None,
                    "regio": region.code,
                    "lang": lang,
                },
            ),
            dcc.Loading(html.Div(id=BODY), type="dot", delay_show=150),
        ],
        className="rk-opl rk-opl-embed",
    )


render_cache.allow((BODY, "children"))


@callback(Output(BODY, "children"), Input(REQUEST, "data"))
def render_embed(request: dict[str, Any] | None) -> Any:
    request = request or {}
    lang = current_language(request.get("lang"), queries.settings().default_language)
    region = queries.region(request.get("regio"))
    chosen = oq.programme(request.get("opleiding"))
    if chosen is None:
        return dmc.Alert(
            t("opl.embed_choose", lang), title=t("opl.empty_title", lang), color="gray"
        )
    result = oq.alignment(chosen, region)
    if result is None:
        return dmc.Alert(t("home.empty", lang), title=t("home.empty_title", lang), color="gray")
    params = {"opleiding": chosen.code} | ({} if region.is_national else {"regio": region.code})
    full_view = dash.get_relative_path("/opleidingen?" + urlencode(params))
    return html.Div(
        [
            html.H1(
                t("opl.embed_heading", lang, name=chosen.name, region=where(region, lang)),
                className="rk-embed-title",
            ),
            score_figures(result, lang),
            dmc.Box(skill_card(result, "missing", lang), mt="md"),
            html.P(
                [
                    t("opl.embed_source", lang),
                    " ",
                    html.A(
                        t("opl.embed_open", lang),
                        href=full_view,
                        target="_blank",
                        rel="noopener",
                        id="opl-embed-open",
                    ),
                ],
                className="rk-footnote",
            ),
        ]
    )


dash.register_page(
    __name__,
    path="/embed/opleiding",
    title="Regiokompas — opleiding (ingesloten)",
    name="Opleiding (ingesloten)",
    order=940,
    label_key="nav.opleidingen",
    nav=False,
    layout=layout,
    render_cache=True,  # public and read-only: see dashboard/render_cache.py
)
