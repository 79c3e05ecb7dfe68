"""Figures of the skill explorer: the share per gemeente as a map (or ranked bars without
geometry), the monthly share as a line, and the occupations asking a skill as bars.

Pure functions (frames in, Plotly figures out), tested without a browser. Names from the store
are escaped: Plotly renders a few HTML tags in hover and tick text.
"""

from __future__ import annotations

import html
from typing import Any

import plotly.graph_objects as go
import polars as pl

from dashboard import format as fmt
from dashboard import theme
from dashboard.i18n import t

# One hue, light to dark (colour-blind safe), as on the map page.
SEQUENTIAL = [
    [0.0, "#e8f0f8"],
    [0.25, "#a9c3de"],
    [0.5, "#5889ba"],
    [0.75, "#1c4f82"],
    [1.0, "#0c2b48"],
]
NO_DATA = "#c9ced4"
BORDER = "#7d8791"
HIGHLIGHT = "#1b1f24"


def _text(value: object) -> str:
    return html.escape(str(value), quote=False)


def _layout(lang: str, **more: Any) -> dict[str, Any]:
    return {
        "template": "regiokompas",
        "separators": fmt.plotly_separators(lang),
        "showlegend": False,
        "dragmode": False,
    } | more


def _hover_rows(areas: pl.DataFrame, lang: str) -> list[list[str]]:
    small = t("common.small_count", lang)
    rows = []
    for row in areas.iter_rows(named=True):
        flag = f" ({small})" if row["small"] else ""
        rows.append(
            [
                _text(row["name"]),
                row["code"],
                fmt.percent(row["share"], lang),
                fmt.number(row["skill"], lang) + flag,
                fmt.number(row["total"], lang),
            ]
        )
    return rows


def _hovertemplate(lang: str) -> str:
    return (
        "<b>%{customdata[0]}</b> (%{customdata[1]})<br>"
        + _text(t("vaardigheden.col.share", lang))
        + ": %{customdata[2]}<br>"
        + _text(t("vaardigheden.col.asking", lang))
        + ": %{customdata[3]} / %{customdata[4]}<extra></extra>"
    )


def choropleth(areas: pl.DataFrame, geojson: dict[str, Any], lang: str = "nl") -> go.Figure:
    """The share per area on a map fitted to the areas; grey where an area has no vacancies,
    the chosen gemeente outlined."""
    known = {f.get("id") for f in geojson.get("features", [])}
    frame = areas.filter(pl.col("code").is_in(list(known)))
    wanted = set(frame["code"].to_list())
    own = {
        "type": "FeatureCollection",
        "features": [f for f in geojson.get("features", []) if f.get("id") in wanted],
    }
    custom = _hover_rows(frame, lang)
    has = frame["share"].is_not_null().to_list()
    traces: list[go.Choropleth] = []

    def part(mask: list[bool]) -> tuple[list[str], list[Any], list[list[str]]]:
        rows = [i for i, keep in enumerate(mask) if keep]
        return (
            [frame["code"][i] for i in rows],
            [frame["share"][i] for i in rows],
            [custom[i] for i in rows],
        )

    codes, _, rows = part([not v for v in has])
    if codes:
        traces.append(
            go.Choropleth(
                geojson=own,
                locations=codes,
                z=[0] * len(codes),
                customdata=rows,
                colorscale=[[0, NO_DATA], [1, NO_DATA]],
                showscale=False,
                hovertemplate=_hovertemplate(lang),
                marker_line_color=BORDER,
                marker_line_width=0.5,
            )
        )
    codes, values, rows = part(has)
    if codes:
        traces.append(
            go.Choropleth(
                geojson=own,
                locations=codes,
                z=values,
                zmin=0,
                customdata=rows,
                colorscale=SEQUENTIAL,
                colorbar={
                    "title": {"text": _text(t("vaardigheden.col.share", lang)), "side": "top"},
                    "orientation": "h",
                    "x": 0.5,
                    "xanchor": "center",
                    "y": -0.02,
                    "yanchor": "top",
                    "len": 0.8,
                    "thickness": 12,
                    "tickformat": ".1%",
                    "outlinewidth": 0,
                },
                hovertemplate=_hovertemplate(lang),
                marker_line_color=BORDER,
                marker_line_width=0.5,
            )
        )
    codes, _, rows = part(frame["highlight"].to_list())
    if codes:
        traces.append(
            go.Choropleth(
                geojson=own,
                locations=codes,
                z=[0] * len(codes),
                customdata=rows,
                colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                showscale=False,
                hovertemplate=_hovertemplate(lang),
                marker_line_color=HIGHLIGHT,
                marker_line_width=3,
            )
        )
    figure = go.Figure(traces)
    figure.update_layout(
        **_layout(lang, height=460, margin={"l": 0, "r": 0, "t": 0, "b": 0}),
        hoverlabel={"bgcolor": "white", "bordercolor": HIGHLIGHT, "font": {"color": HIGHLIGHT}},
    )
    figure.update_geos(
        visible=False, fitbounds="locations", projection_type="mercator", bgcolor="white"
    )
    return figure


def ranked_bars(areas: pl.DataFrame, lang: str = "nl", top: int = 30) -> go.Figure:
    """The share per area as horizontal bars, highest on top (the map's fallback)."""
    frame = areas.filter(pl.col("share").is_not_null()).head(top).reverse()
    custom = _hover_rows(frame, lang)
    colours = [theme.ACCENT if h else theme.PRIMARY for h in frame["highlight"].to_list()]
    figure = go.Figure(
        go.Bar(
            x=frame["share"].to_list(),
            y=[f"{_text(n)} ({c})" for n, c in frame.select("name", "code").iter_rows()],
            orientation="h",
            marker_color=colours,
            text=[f"{r[2]} ({r[3]})" for r in custom],
            textposition="outside",
            cliponaxis=False,
            customdata=custom,
            hovertemplate=_hovertemplate(lang),
        )
    )
    figure.update_layout(
        **_layout(lang, height=80 + 26 * max(frame.height, 1)),
        margin={"l": 10, "r": 90, "t": 10, "b": 10},
    )
    figure.update_xaxes(
        title_text=t("vaardigheden.col.share", lang),
        tickformat=".0%",
        rangemode="tozero",
        fixedrange=True,
    )
    figure.update_yaxes(type="category", automargin=True, fixedrange=True)
    return figure


def share_trend(trend: pl.DataFrame, where: str, lang: str = "nl") -> go.Figure:
    """The monthly share in the region and nationally, as lines."""
    labels = [fmt.month(m, lang) for m in trend["month"]]
    figure = go.Figure()
    series = [("share", where, theme.SERIES[0], "solid")]
    if where != t("region.netherlands", lang):
        series.append(("national_share", t("region.netherlands", lang), theme.SERIES[1], "dash"))
    for column, name, colour, dash in series:
        values = trend[column].to_list()
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=values,
                name=_text(name),
                mode="lines+markers",
                line={"color": colour, "dash": dash, "width": 2.5},
                customdata=[fmt.percent(v, lang) for v in values],
                hovertemplate="%{x}: %{customdata}<extra>" + _text(name) + "</extra>",
            )
        )
    figure.update_layout(
        **_layout(lang, height=320, showlegend=len(series) > 1),
        legend={"orientation": "h", "y": 1.1, "x": 0},
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
    )
    figure.update_yaxes(
        title_text=t("vaardigheden.col.share", lang),
        tickformat=".1%",
        rangemode="tozero",
        fixedrange=True,
    )
    figure.update_xaxes(type="category", tickangle=-45, fixedrange=True)
    return figure


def occupation_bars(occupations: pl.DataFrame, lang: str = "nl", top: int = 10) -> go.Figure:
    """The occupations asking the skill most, by count, largest on top."""
    frame = occupations.head(top).reverse()
    name_column = "name_en" if lang == "en" and "name_en" in frame.columns else "name"
    names = [_text(row[name_column] or row["name"]) for row in frame.iter_rows(named=True)]
    values = frame["vacancies"].to_list()
    shares = [fmt.percent(s, lang) for s in frame["share"].to_list()]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=names,
            orientation="h",
            marker_color=theme.PRIMARY,
            text=[fmt.number(v, lang) for v in values],
            textposition="outside",
            cliponaxis=False,
            customdata=shares,
            hovertemplate="%{y}: %{text} ("
            + _text(t("vaardigheden.occ_share_hover", lang))
            + " %{customdata})<extra></extra>",
        )
    )
    figure.update_layout(
        **_layout(lang, height=80 + 30 * max(frame.height, 1)),
        margin={"l": 10, "r": 50, "t": 10, "b": 10},
    )
    figure.update_xaxes(
        title_text=t("vaardigheden.col.asking", lang), rangemode="tozero", fixedrange=True
    )
    figure.update_yaxes(type="category", automargin=True, fixedrange=True)
    return figure
