"""Figures of the map page: the choropleth and, without geometry, a ranked bar chart.

Pure functions (map data and GeoJSON in, Plotly figure out), tested without a browser. The map
is a ``go.Choropleth`` on an invisible geo subplot (``geo.visible=False``) fitted to the regions
shown, so no tiles or base maps are ever requested.
"""

from __future__ import annotations

import html
from typing import Any

import plotly.graph_objects as go
import polars as pl

from dashboard import format as fmt
from dashboard import theme  # noqa: F401 - registers the "regiokompas" template
from dashboard.i18n import t
from dashboard.queries.kaart import TENSION_CLASSES, MapData
from matching.indicators import TENSION_LABELS_EN

# Sequential: the interface's own blue ramp (one hue, light to dark, colour-blind safe).
SEQUENTIAL = [
    [0.0, "#e8f0f8"],
    [0.25, "#a9c3de"],
    [0.5, "#5889ba"],
    [0.75, "#1c4f82"],
    [1.0, "#0c2b48"],
]
# Diverging around zero: orange for decline, blue for growth (PuOr-like, colour-blind safe).
DIVERGING = [
    [0.0, "#b35806"],
    [0.25, "#f1a340"],
    [0.5, "#f7f7f7"],
    [0.75, "#6a9fd0"],
    [1.0, "#1c4f82"],
]
# Tension classes from slack to tight, in the manner of UWV's spanningsindicator (blue for
# slack, red for tight), from ColorBrewer RdYlBu, which is colour-blind safe.
TENSION_COLOURS = {
    "zeer ruim": "#2c7bb6",
    "ruim": "#abd9e9",
    "gemiddeld": "#ffffbf",
    "krap": "#fdae61",
    "zeer krap": "#d7191c",
}
NO_DATA = "#c9ced4"
BORDER = "#7d8791"
HIGHLIGHT = "#1b1f24"


def tension_label(name: str, lang: str) -> str:
    return name if lang == "nl" else TENSION_LABELS_EN.get(name, name)


def _text(value: object) -> str:
    """Plotly renders a few HTML tags in hover text; region names are shown as text."""
    return html.escape(str(value), quote=False)


def hover_rows(data: MapData, lang: str, frame: pl.DataFrame | None = None) -> list[list[str]]:
    """Per region (of ``frame``, default the map's): name, value, vacancies with a small-count
    flag, and the tension class."""
    measure = data.measure
    small = t("common.small_count", lang)
    rows = []
    for row in (data.frame if frame is None else frame).iter_rows(named=True):
        vacancies = row["vacancies"]
        count = fmt.number(vacancies, lang) if vacancies is not None else "–"
        flag = ""
        if row["small"]:
            flag = f" ({small}{', ' + t('kaart.hidden', lang) if data.suppressed else ''})"
        value = measure.formatter(row["value"], lang)
        category = tension_label(row["category"], lang) if row["category"] else ""
        rows.append(
            [
                _text(row["name"]),
                value if measure.shows_vacancies else value + flag,
                count + flag,
                f" — {category}" if category else "",
            ]
        )
    return rows


def _hovertemplate(data: MapData, lang: str, offset: int = 0, code: str = "%{location}") -> str:
    """Name (code), value and class, and the vacancy count unless the value is that count;
    ``offset`` skips leading customdata fields."""
    field = [f"%{{customdata[{i + offset}]}}" for i in range(4)]
    text = (
        f"<b>{field[0]}</b> ({code})<br>"
        + _text(t(data.measure.value_key, lang))
        + f": {field[1]}{field[3]}"
    )
    if data.measure.shows_vacancies:
        text += "<br>" + _text(t("kaart.hover_vacancies", lang)) + f": {field[2]}"
    return text + "<extra></extra>"


def _trace(
    frame: pl.DataFrame,
    custom: list[list[str]],
    geojson: dict[str, Any],
    hovertemplate: str,
    **style: Any,
) -> go.Choropleth:
    codes = frame["code"].to_list()
    wanted = set(codes)
    # Each trace carries only its own features: the figure sent to the browser then holds
    # every boundary once (plus the outlined ones), not once per trace.
    own = {
        "type": "FeatureCollection",
        "features": [f for f in geojson.get("features", []) if f.get("id") in wanted],
    }
    return go.Choropleth(
        geojson=own,
        locations=codes,
        customdata=custom,
        hovertemplate=hovertemplate,
        marker_line_color=style.pop("line_color", BORDER),
        marker_line_width=style.pop("line_width", 0.5),
        **style,
    )


def _constant(colour: str) -> list[list[float | str]]:
    return [[0.0, colour], [1.0, colour]]


def choropleth(
    data: MapData, geojson: dict[str, Any], lang: str = "nl", height: int | None = None
) -> go.Figure:
    """The map of one measure: a colour scale (or one colour per tension class), grey where a
    region has no value, the chosen region outlined."""
    measure = data.measure
    frame = data.frame
    custom = hover_rows(data, lang)
    template = _hovertemplate(data, lang)
    codes = frame["code"].to_list()
    known = {f.get("id") for f in geojson.get("features", [])}
    index = [i for i, code in enumerate(codes) if code in known]
    frame = frame[index]
    custom = [custom[i] for i in index]
    has_value = frame["value"].is_not_null().to_list()
    traces: list[go.Choropleth] = []

    def subset(mask: list[bool]) -> tuple[pl.DataFrame, list[list[str]]]:
        return frame.filter(pl.Series(mask, dtype=pl.Boolean)), [
            c for c, keep in zip(custom, mask, strict=True) if keep
        ]

    empty_rows, empty_custom = subset([not v for v in has_value])
    if empty_rows.height:
        traces.append(
            _trace(
                empty_rows,
                empty_custom,
                geojson,
                template,
                z=[0] * empty_rows.height,
                colorscale=_constant(NO_DATA),
                showscale=False,
                name=t("kaart.no_value", lang),
                showlegend=measure.scale == "classes",
            )
        )
    if measure.scale == "classes":
        categories = frame["category"].to_list()
        for name in TENSION_CLASSES:
            rows, rows_custom = subset(
                [v and c == name for v, c in zip(has_value, categories, strict=True)]
            )
            if rows.is_empty():
                continue
            traces.append(
                _trace(
                    rows,
                    rows_custom,
                    geojson,
                    template,
                    z=[0] * rows.height,
                    colorscale=_constant(TENSION_COLOURS[name]),
                    showscale=False,
                    name=tension_label(name, lang),
                    showlegend=True,
                )
            )
    else:
        rows, rows_custom = subset(has_value)
        values = rows["value"].to_list()
        colourbar = {
            "title": {"text": _text(t(measure.value_key, lang)), "side": "top"},
            "orientation": "h",
            "x": 0.5,
            "xanchor": "center",
            "y": -0.02,
            "yanchor": "top",
            "len": 0.8,
            "thickness": 12,
            "tickformat": measure.tickformat,
            "outlinewidth": 0,
        }
        style: dict[str, Any] = {"colorscale": SEQUENTIAL, "colorbar": colourbar}
        if measure.scale == "diverging" and values:
            # Symmetric around zero, clipped at the 95th percentile so one small region with
            # a large change does not wash out the rest.
            spread = float(pl.Series(values).abs().quantile(0.95) or 0.0) or 0.1
            style = {
                "colorscale": DIVERGING,
                "colorbar": colourbar,
                "zmid": 0,
                "zmin": -spread,
                "zmax": spread,
            }
        elif values:
            style["zmin"] = 0
        if rows.height:
            traces.append(
                _trace(rows, rows_custom, geojson, template, z=values, showlegend=False, **style)
            )
    highlight = [code in data.scope.highlight for code in frame["code"].to_list()]
    if any(highlight):
        rows, rows_custom = subset(highlight)
        # Drawn last: a heavy outline on top of the neighbours' borders, same hover text.
        traces.append(
            _trace(
                rows,
                rows_custom,
                geojson,
                template,
                z=[0] * rows.height,
                colorscale=_constant("rgba(0,0,0,0)"),
                showscale=False,
                line_color=HIGHLIGHT,
                line_width=3,
                name=t("kaart.highlight", lang),
                showlegend=False,
            )
        )
    figure = go.Figure(traces)
    figure.update_layout(
        template="regiokompas",
        separators=fmt.plotly_separators(lang),
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        dragmode=False,
        legend={
            "orientation": "h",
            "x": 0.5,
            "xanchor": "center",
            "y": -0.01,
            "yanchor": "top",
            "traceorder": "normal",
        },
        # The classes have their own legend next to the map, with their bounds.
        showlegend=False,
        hoverlabel={"bgcolor": "white", "bordercolor": HIGHLIGHT, "font": {"color": HIGHLIGHT}},
        **({"height": height} if height else {}),
    )
    figure.update_geos(
        visible=False,
        fitbounds="locations",
        projection_type="mercator",
        bgcolor="white",
        showframe=False,
    )
    return figure


def ranked_bars(data: MapData, lang: str = "nl", top: int = 30) -> go.Figure:
    """The same measure as horizontal bars, highest on top (the map's fallback)."""
    measure = data.measure
    frame = data.frame.filter(pl.col("value").is_not_null()).head(top)
    custom = [
        [code, *row]
        for code, row in zip(frame["code"].to_list(), hover_rows(data, lang, frame), strict=True)
    ]
    ordered = list(reversed(range(frame.height)))
    values = [frame["value"][i] for i in ordered]
    if measure.scale == "classes":
        colours = [TENSION_COLOURS.get(frame["category"][i] or "", NO_DATA) for i in ordered]
    elif measure.scale == "diverging":
        colours = [theme.PRIMARY if (v or 0) >= 0 else theme.ACCENT for v in values]
    else:
        colours = [theme.PRIMARY] * len(values)
    highlight = set(data.scope.highlight)
    line = [HIGHLIGHT if frame["code"][i] in highlight else "rgba(0,0,0,0)" for i in ordered]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=[f"{_text(frame['name'][i])} ({frame['code'][i]})" for i in ordered],
            orientation="h",
            marker={"color": colours, "line": {"color": line, "width": 2}},
            text=[custom[i][2] for i in ordered],
            textposition="outside",
            cliponaxis=False,
            customdata=[custom[i] for i in ordered],
            hovertemplate=_hovertemplate(data, lang, offset=1, code="%{customdata[0]}"),
        )
    )
    figure.update_layout(
        template="regiokompas",
        separators=fmt.plotly_separators(lang),
        height=80 + 26 * max(frame.height, 1),
        showlegend=False,
        margin={"l": 10, "r": 40, "t": 10, "b": 10},
        dragmode=False,
    )
    figure.update_xaxes(
        title_text=t(measure.value_key, lang),
        tickformat=measure.tickformat,
        zeroline=True,
        zerolinecolor=BORDER,
        fixedrange=True,
    )
    figure.update_yaxes(type="category", automargin=True, fixedrange=True, tickfont={"size": 13})
    return figure
