"""Overzicht: vacancies of the last twelve months and their trend, the largest
arbeidsmarktregio's and how fresh each source is."""

from __future__ import annotations

import dash
import dash_mantine_components as dmc
from dash import html

from dashboard import figures, ids, queries
from dashboard import format as fmt
from dashboard.components.cards import definitions, figure_card, key_figure, simple_table
from dashboard.components.region_picker import region_picker
from dashboard.i18n import current_language, t
from dashboard.queries import home as home_queries


def _empty(lang: str) -> html.Div:
    return html.Div(
        [
            html.H1(t("home.title", lang)),
            dmc.Alert(
                t("home.empty", lang),
                title=t("home.empty_title", lang),
                color="gray",
                id="home-empty",
            ),
        ]
    )


def layout(regio: str | None = None, lang: str | None = None, **_: str) -> html.Div:
    lang = current_language(lang, queries.settings().default_language)
    region = queries.region(regio)
    data = home_queries.home_figures(region)
    if data is None:
        return _empty(lang)
    where = t("region.netherlands_all", lang) if region.is_national else region.name
    period = data.period
    span = f"{fmt.month(period.first, lang)} – {fmt.month(period.last, lang)}"
    previous_span = (
        f"{fmt.month(period.previous_first, lang)} – {fmt.month(period.previous_last, lang)}"
    )
    threshold = queries.settings().small_count_threshold

    growth_text = fmt.percent(data.growth, lang, sign=True) if data.growth is not None else "–"
    latest = data.monthly.filter(data.monthly["month"] == period.last)["vacancies"].sum()

    kpis = dmc.SimpleGrid(
        [
            key_figure(
                t("home.kpi_total", lang),
                fmt.number(data.total, lang),
                t("home.kpi_total_note", lang, span=span),
                ids.HOME_TOTAL,
            ),
            key_figure(
                t("home.kpi_growth", lang),
                growth_text,
                t(
                    "home.kpi_growth_note",
                    lang,
                    span=previous_span,
                    previous=fmt.number(data.previous_total, lang),
                )
                if data.growth is not None
                else t("home.kpi_growth_missing", lang),
                ids.HOME_GROWTH,
            ),
            key_figure(
                t("home.kpi_latest", lang, month=fmt.month(period.last, lang)),
                fmt.number(int(latest), lang),
                t("home.kpi_latest_note", lang),
            ),
        ],
        cols={"base": 1, "sm": 3},
        spacing="md",
    )

    monthly_rows = [
        (fmt.month(m, lang), fmt.number(v, lang))
        for m, v in data.monthly.select("month", "vacancies").iter_rows()
    ]
    trend = figure_card(
        t("home.trend_title", lang),
        figures.monthly_trend(data.monthly, lang),
        ids.HOME_TREND,
        t("home.trend_description", lang, span=span),
        lang,
        footnote=t("home.trend_footnote", lang),
        table=simple_table(
            [t("common.month", lang), t("common.vacancies", lang)], monthly_rows, numeric=(1,)
        ),
    )

    region_rows = []
    for row in data.top_regions.iter_rows(named=True):
        flag = f" ({t('common.small_count', lang)})" if row["vacancies"] < threshold else ""
        region_rows.append(
            (
                row["name"],
                row["code"],
                fmt.number(row["vacancies"], lang) + flag,
                fmt.percent(row["growth"], lang, sign=True) if row["growth"] is not None else "–",
            )
        )
    ranking_title = (
        t("home.regions_title", lang)
        if data.ranking_level == "arbeidsmarktregio"
        else t("home.gemeenten_title", lang, where=where)
    )
    regions = figure_card(
        ranking_title,
        figures.top_regions(data.top_regions, lang),
        ids.HOME_REGIONS,
        t("home.regions_description", lang, span=span),
        lang,
        footnote=t("home.regions_footnote", lang, span=span, previous=previous_span),
        table=simple_table(
            [
                t("common.region", lang),
                t("common.code", lang),
                t("common.vacancies", lang),
                t("common.change", lang),
            ],
            region_rows,
            table_id=ids.HOME_REGIONS_TABLE,
            numeric=(2, 3),
        ),
    )

    ranking = data.top_regions.height > 0
    fresh_rows = [
        (
            row["source"] + (" (demo)" if row["is_demo"] else ""),
            fmt.number(row["postings"], lang),
            fmt.date(row["newest_posting"], lang),
            fmt.date(row["loaded_at"], lang),
        )
        for row in data.freshness.iter_rows(named=True)
    ]
    freshness = dmc.Paper(
        [
            html.H2(t("home.freshness_title", lang), className="rk-card-title"),
            simple_table(
                [
                    t("common.source", lang),
                    t("common.postings", lang),
                    t("home.newest_posting", lang),
                    t("home.loaded_at", lang),
                ],
                fresh_rows,
                table_id=ids.HOME_FRESHNESS,
                numeric=(1,),
            ),
            html.P(t("home.freshness_footnote", lang), className="rk-footnote"),
        ],
        withBorder=True,
        p="md",
        className="rk-card",
    )

    return html.Div(
        [
            dmc.Group(
                [html.H1(t("home.title", lang)), region_picker(region.code, lang)],
                justify="space-between",
                align="flex-end",
                wrap="wrap",
            ),
            html.P(t("home.lead", lang, span=span, where=where), className="rk-lead"),
            kpis,
            dmc.Grid(
                [
                    dmc.GridCol(trend, span={"base": 12, "md": 7 if ranking else 12}),
                    *([dmc.GridCol(regions, span={"base": 12, "md": 5})] if ranking else []),
                ],
                gutter="md",
                mt="md",
            ),
            dmc.Box(freshness, mt="md"),
            definitions(
                [
                    (t("def.vacancies_term", lang), t("def.vacancies", lang)),
                    (t("def.growth_term", lang), t("def.growth", lang)),
                    (t("def.region_term", lang), t("def.region", lang)),
                    (t("def.small_term", lang), t("def.small", lang, threshold=threshold)),
                ],
                lang,
            ),
        ]
    )


dash.register_page(
    __name__,
    path="/",
    title="Regiokompas — overzicht",
    name="Overzicht",
    order=0,
    label_key="nav.home",
    layout=layout,
    render_cache=True,  # public and read-only: see dashboard/render_cache.py
)
