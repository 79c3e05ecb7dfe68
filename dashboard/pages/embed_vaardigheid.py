"""Embed view of the skill explorer (``/embed/vaardigheid?vaardigheid=&regio=``): the key
figures and where the skill is asked, no navigation and no controls, read-only. Framing is
allowed for the configured parents (CSP ``frame-ancestors``, set by the app factory)."""

from __future__ import annotations

import dash
import dash_mantine_components as dmc
from dash import html

from dashboard import queries
from dashboard.i18n import current_language, t
from dashboard.pages import vaardigheden as page
from dashboard.queries import vaardigheden as vq

EMBED_AREAS = "vaardigheden-embed-areas"


def layout(
    vaardigheid: str | None = None,
    regio: str | None = None,
    lang: str | None = None,
    **_: str,
) -> html.Div:
    lang = current_language(lang, queries.settings().default_language)
    region = queries.region(regio)
    skill = vq.find_skill(vaardigheid)
    view = vq.skill_view(skill["key"], region) if skill else None
    if view is None:
        return html.Div(
            dmc.Alert(t("vaardigheden.embed_empty", lang), color="gray", id=page.EMPTY),
            className="rk-embed-vaardigheid",
        )
    return html.Div(
        [
            html.P(page.lead_text(view, lang), className="rk-embed-lead", id=page.LEAD),
            page.key_figures(view, lang),
            dmc.Box(page.areas_block(view, lang, EMBED_AREAS), mt="md"),
            html.A(
                t("vaardigheden.embed_open", lang),
                href=page._page_href(view.skill["key"], region, lang),
                target="_blank",
                rel="noopener",
                className="rk-embed-open",
            ),
        ],
        className="rk-embed-vaardigheid",
    )


dash.register_page(
    __name__,
    path="/embed/vaardigheid",
    title="Regiokompas — vaardigheid",
    name="Vaardigheid (insluiten)",
    order=1050,
    label_key="nav.vaardigheden",
    nav=False,
    layout=layout,
    render_cache=True,  # public and read-only: see dashboard/render_cache.py
)
