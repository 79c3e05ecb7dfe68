"""Vaardigheden: how often employers in a region ask a skill, and where, by whom, in which
occupations, with which other skills, and which programmes teach it.

URL parameters: ``vaardigheid`` (a skill key, e.g. ``photoshop``) and ``regio``. Without a
skill the page suggests a few, so "nav, then Photoshop" answers the Zwolle question in two
clicks. The building blocks here are shared with the embed view (``pages/embed_vaardigheid.py``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
import dash_mantine_components as dmc
from dash import dcc, html
from dash.development.base_component import Component

from dashboard import figures_vaardigheden as figures
from dashboard import format as fmt
from dashboard import queries
from dashboard.components import aria
from dashboard.components.cards import (
    GRAPH_CONFIG,
    definitions,
    figure_card,
    key_figure,
    simple_table,
)
from dashboard.components.embed import embed_button, embed_modal
from dashboard.components.region_picker import region_picker
from dashboard.components.url_state import param_id
from dashboard.i18n import current_language, t
from dashboard.queries import RegionRef
from dashboard.queries import vaardigheden as vq
from data import geo

PREFIX = "vaardigheden"
SHARE = f"{PREFIX}-share"
COUNT = f"{PREFIX}-count"
LIFT = f"{PREFIX}-lift"
LEAD = f"{PREFIX}-lead"
EMPTY = f"{PREFIX}-empty"
SUGGESTIONS = f"{PREFIX}-suggestions"
AREAS = f"{PREFIX}-areas"
AREAS_TABLE = f"{PREFIX}-areas-table"
TREND = f"{PREFIX}-trend"
OCCUPATIONS = f"{PREFIX}-occupations"
OCCUPATIONS_TABLE = f"{PREFIX}-occupations-table"
EMPLOYERS_TABLE = f"{PREFIX}-employers-table"
PROGRAMMES_TABLE = f"{PREFIX}-programmes-table"
TOGETHER_TABLE = f"{PREFIX}-together-table"
NO_GEO = f"{PREFIX}-no-geo"
# The skill pickers search labels, aliases and keys (assets/vaardigheden.js).
SKILL_FILTER = {"function": "rkSkillFilter"}


def _page_href(key: str | None, region: RegionRef, lang: str | None = None) -> str:
    params = {
        "vaardigheid": key or "",
        "regio": "" if region.is_national else region.code,
        "lang": lang or "",
    }
    query = urlencode({k: v for k, v in params.items() if v})
    return dash.get_relative_path("/vaardigheden") + (f"?{query}" if query else "")


def _count(value: int, lang: str, small: bool) -> str:
    """A count with its small-count flag, or hidden when the settings suppress small counts."""
    config = queries.settings()
    if small and config.suppress_small_counts:
        return f"< {config.small_count_threshold}"
    flag = f" ({t('common.small_count', lang)})" if small else ""
    return fmt.number(value, lang) + flag


def _lift(value: float | None, lang: str) -> str:
    return "–" if value is None else fmt.number(value, lang, 2) + "×"


def where_name(region: RegionRef, lang: str) -> str:
    return t("region.netherlands", lang) if region.is_national else region.name


def period_text(view: vq.SkillView, lang: str) -> str:
    return f"{fmt.month(view.period.first, lang)} – {fmt.month(view.period.last, lang)}"


def key_figures(view: vq.SkillView, lang: str) -> dmc.SimpleGrid:
    threshold = queries.settings().small_count_threshold
    small = view.vacancies < threshold
    suppressed = small and queries.settings().suppress_small_counts
    return dmc.SimpleGrid(
        [
            key_figure(
                t("vaardigheden.kpi_share", lang, where=where_name(view.region, lang)),
                "–" if suppressed else fmt.percent(view.share, lang),
                t("vaardigheden.kpi_share_note", lang, total=fmt.number(view.total, lang)),
                SHARE,
            ),
            key_figure(
                t("vaardigheden.kpi_count", lang),
                _count(view.vacancies, lang, small),
                t("vaardigheden.kpi_count_note", lang, required=fmt.number(view.required, lang)),
                COUNT,
            ),
            key_figure(
                t("vaardigheden.kpi_lift", lang),
                "–" if suppressed else _lift(view.lift, lang),
                t(
                    "vaardigheden.kpi_lift_note",
                    lang,
                    national=fmt.percent(view.national_share, lang),
                ),
                LIFT,
            ),
        ],
        cols={"base": 1, "sm": 3},
        spacing="md",
    )


def _api_query(view: vq.SkillView) -> str:
    params = {"vaardigheid": view.skill["key"]}
    if not view.region.is_national:
        params["regio"] = view.region.code
    return urlencode(params)


def export_links(view_name: str, view: vq.SkillView, lang: str) -> html.Nav:
    query = _api_query(view)
    return html.Nav(
        [
            html.A(
                t(f"vaardigheden.export_{fmt_}", lang),
                href=dash.get_relative_path(f"/api/v1/{view_name}.{fmt_}?{query}"),
                className="rk-export-link",
                download=f"{view_name}.{fmt_}",
                id=f"{PREFIX}-{view_name}-{fmt_}",
            )
            for fmt_ in ("csv", "xlsx")
        ],
        className="rk-export-links",
        **aria(t("vaardigheden.export_label", lang)),
    )


def _card(title: str, children: list[Any], extra: Any = None) -> dmc.Paper:
    heading = html.H2(title, className="rk-card-title")
    return dmc.Paper(
        [
            dmc.Group([heading, extra], justify="space-between", align="baseline", wrap="wrap")
            if extra is not None
            else heading,
            *children,
        ],
        withBorder=True,
        p="md",
        className="rk-card",
    )


def areas_block(view: vq.SkillView, lang: str, graph_id: str) -> dmc.Paper:
    """Where the skill is asked: a map when there is geometry, else ranked bars; with the
    same figures as a table and its exports."""
    scope = view.scope
    level_word = t(f"vaardigheden.level.{scope.level}", lang)
    settings = queries.settings()
    geometry = geo.load_geometry(scope.level, settings.reference_year, settings)
    config: dict[str, Any] = {
        **GRAPH_CONFIG,
        "toImageButtonOptions": {**GRAPH_CONFIG["toImageButtonOptions"], "filename": graph_id},
    }
    notice = None
    if geometry.geojson is not None and view.areas.height:
        # The map draws no base map; its topology is an empty one served by this app.
        config = {**config, "scrollZoom": False, "topojsonURL": dash.get_asset_url("")}
        figure = figures.choropleth(view.areas, geometry.geojson, lang)
        graph_class = "rk-map-graph"
    else:
        figure = figures.ranked_bars(view.areas, lang)
        graph_class = "rk-bars-graph"
        notice = html.P(t("vaardigheden.no_geo", lang), className="rk-footnote", id=NO_GEO)
    description = t(
        "vaardigheden.areas_description",
        lang,
        skill=vq.skill_label(view.skill, lang),
        level=level_word,
        period=period_text(view, lang),
    )
    rows = []
    for index, row in enumerate(view.areas.iter_rows(named=True), start=1):
        suppressed = row["small"] and settings.suppress_small_counts
        rows.append(
            (
                index,
                row["name"] + (" ◀" if row["highlight"] else ""),
                row["code"],
                "–" if suppressed else fmt.percent(row["share"], lang),
                _count(row["skill"], lang, row["small"]),
                fmt.number(row["total"], lang),
                "–" if suppressed else _lift(row["lift"], lang),
            )
        )
    table = simple_table(
        [
            "#",
            t(f"vaardigheden.level.{scope.level}_one", lang),
            t("common.code", lang),
            t("vaardigheden.col.share", lang),
            t("vaardigheden.col.asking", lang),
            t("vaardigheden.col.total", lang),
            t("vaardigheden.col.lift", lang),
        ],
        rows,
        table_id=AREAS_TABLE,
        numeric=(0, 3, 4, 5, 6),
    )
    title = t("vaardigheden.areas_title", lang, level=level_word)
    context = (
        t("vaardigheden.areas_context", lang, name=scope.context_name)
        if scope.context_name
        else t("vaardigheden.areas_national", lang)
    )
    return _card(
        title,
        [
            html.P(context, className="rk-footnote"),
            html.Div(
                dcc.Loading(
                    dcc.Graph(
                        id=graph_id,
                        figure=figure,
                        config=config,  # type: ignore[arg-type]
                        className=graph_class,
                    ),
                    delay_show=300,
                ),
                role="figure",
                **aria(description),
            ),
            notice,
            html.Details(
                [
                    html.Summary(t("common.show_table", lang)),
                    html.Div(simple_table_wrap(table), className="rk-vaardigheden-scroll"),
                ],
                className="rk-data-table",
                open=True,
            ),
        ],
        export_links("vaardigheid", view, lang),
    )


def simple_table_wrap(table: Component) -> html.Div:
    return html.Div(table, tabIndex="0", role="region", className="rk-table-scroll")


def trend_block(view: vq.SkillView, lang: str, graph_id: str) -> dmc.Paper:
    where = where_name(view.region, lang)
    rows = [
        (
            fmt.month(r["month"], lang),
            fmt.percent(r["share"], lang),
            fmt.number(r["skill"], lang),
            fmt.number(r["total"], lang),
            fmt.percent(r["national_share"], lang),
        )
        for r in view.trend.iter_rows(named=True)
    ]
    return figure_card(
        t("vaardigheden.trend_title", lang),
        figures.share_trend(view.trend, where, lang),
        graph_id,
        t(
            "vaardigheden.trend_description",
            lang,
            skill=vq.skill_label(view.skill, lang),
            where=where,
        ),
        lang,
        footnote=t("vaardigheden.trend_footnote", lang),
        table=simple_table(
            [
                t("common.month", lang),
                t("vaardigheden.col.share", lang),
                t("vaardigheden.col.asking", lang),
                t("vaardigheden.col.total", lang),
                t("vaardigheden.col.national", lang),
            ],
            rows,
            numeric=(1, 2, 3, 4),
        ),
    )


def _occupations_block(view: vq.SkillView, lang: str) -> dmc.Paper:
    if view.occupations.is_empty():
        return _card(
            t("vaardigheden.occupations_title", lang),
            [html.P(t("vaardigheden.none_in_period", lang), className="rk-empty-note")],
        )
    name_column = "name_en" if lang == "en" else "name"
    rows = [
        (
            (r.get(name_column) or r["name"]),
            r["code"],
            _count(r["vacancies"], lang, r["small"]),
            fmt.percent(r["share"], lang),
        )
        for r in view.occupations.iter_rows(named=True)
    ]
    by_share = view.occupations.sort(["small", "share"], descending=[False, True], nulls_last=True)
    top_share = ", ".join(
        f"{r.get(name_column) or r['name']} ({fmt.percent(r['share'], lang)})"
        for r in by_share.head(3).iter_rows(named=True)
    )
    return figure_card(
        t("vaardigheden.occupations_title", lang),
        figures.occupation_bars(view.occupations, lang),
        OCCUPATIONS,
        t("vaardigheden.occupations_description", lang, skill=vq.skill_label(view.skill, lang)),
        lang,
        footnote=t("vaardigheden.occupations_footnote", lang, top=top_share or "–"),
        table=simple_table(
            [
                t("vaardigheden.col.occupation", lang),
                t("common.code", lang),
                t("vaardigheden.col.asking", lang),
                t("vaardigheden.col.occ_share", lang),
            ],
            rows,
            table_id=OCCUPATIONS_TABLE,
            numeric=(2, 3),
        ),
    )


def _employers_block(view: vq.SkillView, lang: str) -> dmc.Paper:
    rows = [
        (r["employer"], _count(r["vacancies"], lang, r["small"]))
        for r in view.employers.iter_rows(named=True)
    ]
    body: list[Any] = (
        [
            simple_table_wrap(
                simple_table(
                    [t("vaardigheden.col.employer", lang), t("vaardigheden.col.asking", lang)],
                    rows,
                    table_id=EMPLOYERS_TABLE,
                    numeric=(1,),
                )
            )
        ]
        if rows
        else [html.P(t("vaardigheden.none_in_period", lang), className="rk-empty-note")]
    )
    body.append(html.P(t("vaardigheden.employers_footnote", lang), className="rk-footnote"))
    return _card(t("vaardigheden.employers_title", lang), body)


def _programmes_block(view: vq.SkillView, lang: str) -> dmc.Paper:
    region_param = "" if view.region.is_national else view.region.code
    rows = []
    for r in view.programmes.iter_rows(named=True):
        params = urlencode(
            {k: v for k, v in (("opleiding", r["code"]), ("regio", region_param)) if v}
        )
        rows.append(
            html.Tr(
                [
                    html.Td(
                        dcc.Link(r["name"], href=dash.get_relative_path(f"/opleidingen?{params}"))
                    ),
                    html.Td(f"{r['code_type']} {r['code']}"),
                    html.Td(r["level"] or "–"),
                    html.Td(fmt.number(r["weight"], lang, 2), className="rk-num"),
                ]
            )
        )
    if not rows:
        body: list[Any] = [
            html.P(t("vaardigheden.programmes_none", lang), className="rk-empty-note")
        ]
    else:
        headers = [
            t("vaardigheden.col.programme", lang),
            t("common.code", lang),
            t("vaardigheden.col.level", lang),
            t("vaardigheden.col.weight", lang),
        ]
        body = [
            simple_table_wrap(
                html.Table(
                    [
                        html.Thead(
                            html.Tr(
                                [
                                    html.Th(h, scope="col", className="rk-num" if i == 3 else None)
                                    for i, h in enumerate(headers)
                                ]
                            )
                        ),
                        html.Tbody(rows[:25]),
                    ],
                    className="rk-table",
                    id=PROGRAMMES_TABLE,
                )
            )
        ]
    body.append(html.P(t("vaardigheden.programmes_footnote", lang), className="rk-footnote"))
    return _card(t("vaardigheden.programmes_title", lang), body)


def _together_block(view: vq.SkillView, lang: str) -> dmc.Paper:
    rows = []
    for r in view.together.iter_rows(named=True):
        label = r["label_nl"] if lang == "nl" else (r["label_en"] or r["label_nl"])
        rows.append(
            html.Tr(
                [
                    html.Td(dcc.Link(label, href=_page_href(r["key"], view.region))),
                    html.Td(fmt.percent(r["share"], lang), className="rk-num"),
                    html.Td(_count(r["together"], lang, r["small"]), className="rk-num"),
                    html.Td(_lift(r["lift"], lang), className="rk-num"),
                ]
            )
        )
    if not rows:
        body: list[Any] = [
            html.P(t("vaardigheden.none_in_period", lang), className="rk-empty-note")
        ]
    else:
        headers = [
            t("vaardigheden.col.skill", lang),
            t("vaardigheden.col.together_share", lang),
            t("vaardigheden.col.together", lang),
            t("vaardigheden.col.lift", lang),
        ]
        body = [
            simple_table_wrap(
                html.Table(
                    [
                        html.Thead(
                            html.Tr(
                                [
                                    html.Th(h, scope="col", className="rk-num" if i else None)
                                    for i, h in enumerate(headers)
                                ]
                            )
                        ),
                        html.Tbody(rows),
                    ],
                    className="rk-table",
                    id=TOGETHER_TABLE,
                )
            )
        ]
    body.append(
        html.P(
            t(
                "vaardigheden.together_footnote",
                lang,
                base=fmt.number(view.base, lang),
                skill=vq.skill_label(view.skill, lang),
            ),
            className="rk-footnote",
        )
    )
    return _card(
        t("vaardigheden.together_title", lang), body, export_links("samen_gevraagd", view, lang)
    )


def skill_definitions(lang: str) -> html.Section:
    threshold = queries.settings().small_count_threshold
    return definitions(
        [
            (t("vaardigheden.def.share_term", lang), t("vaardigheden.def.share", lang)),
            (t("vaardigheden.def.lift_term", lang), t("vaardigheden.def.lift", lang)),
            (t("vaardigheden.def.together_term", lang), t("vaardigheden.def.together", lang)),
            (t("vaardigheden.def.period_term", lang), t("vaardigheden.def.period", lang)),
            (t("def.small_term", lang), t("def.small", lang, threshold=threshold)),
        ],
        lang,
    )


def lead_text(view: vq.SkillView, lang: str) -> str:
    return t(
        "vaardigheden.lead",
        lang,
        where=where_name(view.region, lang),
        share=fmt.percent(view.share, lang),
        skill=vq.skill_label(view.skill, lang),
        period=period_text(view, lang),
        count=fmt.number(view.vacancies, lang),
        total=fmt.number(view.total, lang),
    )


# --- The page -------------------------------------------------------------------------------


def skill_picker(selected: str | None, lang: str) -> dmc.Select:
    return dmc.Select(
        id=param_id("vaardigheid"),
        label=t("vaardigheden.picker_label", lang),
        placeholder=t("vaardigheden.picker_placeholder", lang),
        data=vq.skill_options(lang),
        value=selected,
        searchable=True,
        clearable=True,
        limit=50,
        filter=SKILL_FILTER,
        nothingFoundMessage=t("vaardigheden.nothing_found", lang),
        maxDropdownHeight=360,
        w={"base": "100%", "sm": 360},
        comboboxProps={"withinPortal": True},
    )


def _suggestions(region: RegionRef, lang: str) -> html.Div:
    known = [s for s in vq.SUGGESTIONS if vq.find_skill(s) is not None]
    links = [
        dcc.Link(
            vq.skill_label(vq.find_skill(key) or {"label_nl": key, "label_en": key}, lang),
            href=_page_href(key, region),
            className="rk-suggestion",
            id=f"{PREFIX}-suggest-{key}",
        )
        for key in known
    ]
    return html.Div(
        [
            html.P(t("vaardigheden.empty", lang, where=where_name(region, lang))),
            html.P(t("vaardigheden.suggest", lang)),
            html.Div(links, className="rk-suggestions", id=SUGGESTIONS),
        ],
        id=EMPTY,
        className="rk-vaardigheden-empty",
    )


def _embed_modal(lang: str) -> html.Div:
    return embed_modal(
        "vaardigheid",
        lang,
        title=t("vaardigheden.embed_title", lang),
        intro=t("vaardigheden.embed_help", lang),
        frame_title=t("vaardigheden.embed_frame_title", lang),
        height=720,
    )


def layout(
    vaardigheid: str | None = None,
    regio: str | None = None,
    lang: str | None = None,
    **_: str,
) -> html.Div:
    lang = current_language(lang, queries.settings().default_language)
    region = queries.region(regio)
    skill = vq.find_skill(vaardigheid)
    header = dmc.Group(
        [html.H1(t("vaardigheden.title", lang)), region_picker(region.code, lang)],
        justify="space-between",
        align="flex-end",
        wrap="wrap",
    )
    controls = dmc.Group(
        [
            skill_picker(skill["key"] if skill else None, lang),
            embed_button("vaardigheid", lang, disabled=skill is None),
        ],
        align="flex-end",
        gap="md",
        wrap="wrap",
        className="rk-vaardigheden-controls",
    )
    view = vq.skill_view(skill["key"], region) if skill else None
    body: list[Any]
    if view is None:
        if vq.period() is None:
            notice: Any = dmc.Alert(
                t("vaardigheden.no_data", lang),
                title=t("vaardigheden.no_data_title", lang),
                color="gray",
                id=EMPTY,
            )
        elif vaardigheid and skill is None:
            notice = html.Div(
                [
                    dmc.Alert(
                        t("vaardigheden.unknown", lang, name=vaardigheid),
                        color="yellow",
                        mb="md",
                    ),
                    _suggestions(region, lang),
                ]
            )
        else:
            notice = _suggestions(region, lang)
        body = [notice]
    else:
        body = [
            html.P(lead_text(view, lang), className="rk-lead", id=LEAD),
            key_figures(view, lang),
            dmc.Box(areas_block(view, lang, AREAS), mt="md"),
            dmc.Grid(
                [
                    dmc.GridCol(trend_block(view, lang, TREND), span={"base": 12, "md": 6}),
                    dmc.GridCol(_occupations_block(view, lang), span={"base": 12, "md": 6}),
                    dmc.GridCol(_together_block(view, lang), span={"base": 12, "md": 6}),
                    dmc.GridCol(_employers_block(view, lang), span={"base": 12, "md": 6}),
                    dmc.GridCol(_programmes_block(view, lang), span=12),
                ],
                gutter="md",
                mt="md",
            ),
        ]
    return html.Div(
        [
            header,
            html.P(t("vaardigheden.intro", lang), className="rk-intro"),
            controls,
            dmc.Box(body, mt="md"),
            skill_definitions(lang),
            _embed_modal(lang),
        ],
        className="rk-vaardigheden",
    )


dash.register_page(
    __name__,
    path="/vaardigheden",
    title="Regiokompas — vaardigheden",
    name="Vaardigheden",
    order=50,
    label_key="nav.vaardigheden",
    layout=layout,
    render_cache=True,  # public and read-only: see dashboard/render_cache.py
)
