"""Frames in, Plotly figures out. Pure functions, tested without a browser."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard import format as fmt
from dashboard import theme  # noqa: F401 - registers the "regiokompas" template
from dashboard.i18n import t


def _base(lang: str, height: int) -> go.Layout:
    return go.Layout(
        template="regiokompas",
        separators=fmt.plotly_separators(lang),
        height=height,
        showlegend=False,
    )


def monthly_trend(monthly: pl.DataFrame, lang: str = "nl") -> go.Figure:
    """Deduplicated vacancies per month as columns, the newest twelve months highlighted."""
    labels = [fmt.month(m, lang) for m in monthly["month"]]
    values = monthly["vacancies"].to_list()
    recent = len(values) - 12
    colours = [theme.PRIMARY if i >= recent else "#9fb6cc" for i in range(len(values))]
    figure = go.Figure(
        go.Bar(
            x=labels,
            y=values,
            marker_color=colours,
            customdata=[fmt.number(v, lang) for v in values],
            hovertemplate="%{x}: %{customdata} "
            + t("home.vacancies_unit", lang)
            + "<extra></extra>",
        ),
        layout=_base(lang, 320),
    )
    figure.update_yaxes(title_text=t("home.vacancies_per_month", lang), rangemode="tozero")
    figure.update_xaxes(type="category", tickangle=-45)
    return figure


def top_regions(regions: pl.DataFrame, lang: str = "nl") -> go.Figure:
    """Horizontal bars of the largest regions, largest on top."""
    ordered = regions.reverse()
    values = ordered["vacancies"].to_list()
    figure = go.Figure(
        go.Bar(
            x=values,
            y=ordered["name"].to_list(),
            orientation="h",
            marker_color=theme.PRIMARY,
            text=[fmt.number(v, lang) for v in values],
            textposition="auto",
            insidetextfont={"color": "white"},
            hovertemplate="%{y}: %{text} " + t("home.vacancies_unit", lang) + "<extra></extra>",
        ),
        layout=_base(lang, 60 + 48 * max(len(values), 1)),
    )
    figure.update_xaxes(title_text=t("home.vacancies_12m", lang), rangemode="tozero")
    return figure
