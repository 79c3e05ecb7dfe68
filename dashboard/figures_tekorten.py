"""Figures of the shortage page: tension and demand rankings as horizontal bars, largest on top.

Pure functions, frame in, figure out. Colour never carries meaning alone: every tension bar is
labelled with its ratio and class name, and small counts are hatched and named in the text.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard import format as fmt
from dashboard import theme  # noqa: F401 - registers the "regiokompas" template
from dashboard.queries.tekorten import tension_label
from matching.indicators import TENSION_BANDS

# Okabe–Ito colours from slack (blue) to tight (vermillion); text colours keep 4.5:1 contrast.
TENSION_COLOURS: dict[str, tuple[str, str]] = {
    "zeer ruim": ("#0072B2", "#ffffff"),
    "ruim": ("#56B4E9", "#000000"),
    "gemiddeld": ("#E8E8E8", "#000000"),
    "krap": ("#E69F00", "#000000"),
    "zeer krap": ("#D55E00", "#000000"),
}
NO_CLASS_COLOUR = ("#ffffff", "#1b1f24")
OUTLINE = "#1b1f24"
LABEL_LENGTH = 38


def short_label(text: str, length: int = LABEL_LENGTH) -> str:
    """A category label short enough for a bar chart's axis (the full name is in the hover).

    >>> short_label("Verhuur van roerende goederen en overige zakelijke dienstverlening", 20)
    'Verhuur van roerend…'
    """
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


VALUE_DOMAIN = 0.64  # the bars use the left part of the width, their values the right part


def _ranked_bars(
    names: list[str],
    values: list[float],
    labels: list[str],
    colours: list[str],
    small: list[bool],
    stripe: str,
    x_max: float,
    lang: str,
) -> go.Figure:
    """Horizontal bars, first item on top: each name above its bar (so long names need no wide
    margin and the chart fits a phone), each value with its class right-aligned beside it."""
    count = len(values)
    positions = [count - 1 - i for i in range(count)]  # first row on top
    figure = go.Figure(
        go.Bar(
            x=values,
            y=positions,
            orientation="h",
            width=0.5,
            marker={
                "color": colours,
                "line": {"color": OUTLINE, "width": 1},
                "pattern": {
                    "shape": ["/" if s else "" for s in small],
                    "fgcolor": stripe,
                    "fillmode": "overlay",
                    "size": 7,
                },
            },
            customdata=[[n, lab] for n, lab in zip(names, labels, strict=True)],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
        ),
        layout=go.Layout(
            template="regiokompas",
            separators=fmt.plotly_separators(lang),
            height=50 + 56 * max(count, 1),
            showlegend=False,
            font={"size": 15},
            margin={"l": 4, "r": 4, "t": 8, "b": 36},
            xaxis={
                "domain": [0, VALUE_DOMAIN],
                "range": [0, x_max * 1.02 or 1],
                "rangemode": "tozero",
                "fixedrange": True,
            },
            yaxis={
                "showticklabels": False,
                "range": [-0.5, max(count, 1) - 0.2],
                "fixedrange": True,
                "showgrid": False,
            },
            # All annotations at once: add_annotation one by one is quadratic in plotly.
            annotations=[
                annotation
                for position, name, label in zip(positions, names, labels, strict=True)
                for annotation in (
                    {
                        "x": 0,
                        "y": position + 0.3,
                        "xref": "x",
                        "yref": "y",
                        "text": short_label(name),
                        "hovertext": name,
                        "xanchor": "left",
                        "yanchor": "bottom",
                        "showarrow": False,
                        "font": {"size": 15},
                    },
                    {
                        "x": 1,
                        "y": position,
                        "xref": "paper",
                        "yref": "y",
                        "text": label,
                        "xanchor": "right",
                        "yanchor": "middle",
                        "showarrow": False,
                        "font": {"size": 15},
                    },
                )
            ],
        ),
    )
    return figure


def tension_bars(rows: pl.DataFrame, lang: str = "nl", x_max: float | None = None) -> go.Figure:
    """Vacancies per jobseeker per beroepsklasse, highest on top, coloured and labelled by class.

    ``rows`` has klasse, name, ratio, tension and small (as ``tension_ranking`` returns);
    rows without a ratio are left out. ``x_max`` gives two charts side by side the same scale.
    Small counts are hatched.
    """
    shown = rows.filter(pl.col("ratio").is_not_null())
    ratios = shown["ratio"].to_list()
    classes = shown["tension"].to_list()
    labels = [
        f"{fmt.number(r, lang, 2)} · {tension_label(c, lang)}"
        for r, c in zip(ratios, classes, strict=True)
    ]
    top = max([*ratios, x_max or 0.0]) or 1.0
    figure = _ranked_bars(
        shown["name"].to_list(),
        ratios,
        labels,
        [TENSION_COLOURS.get(c, NO_CLASS_COLOUR)[0] for c in classes],
        shown["small"].to_list(),
        OUTLINE,
        top,
        lang,
    )
    # The band bounds as faint guides.
    figure.update_layout(
        shapes=[
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": upper,
                "x1": upper,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#8a949e", "width": 1, "dash": "dot"},
            }
            for _, upper in TENSION_BANDS[:-1]
            if upper <= top
        ]
    )
    return figure


def demand_bars(rows: pl.DataFrame, lang: str = "nl", top: int = 15) -> go.Figure:
    """Vacancies of the last twelve months per beroepsgroep or sector, largest on top.

    ``rows`` has name, vacancies and small, sorted largest first; suppressed counts (null) are
    left out. Small counts are hatched.
    """
    shown = rows.filter(pl.col("vacancies").is_not_null()).head(top)
    values = shown["vacancies"].to_list()
    return _ranked_bars(
        shown["name"].to_list(),
        values,
        [fmt.number(v, lang) for v in values],
        [theme.PRIMARY] * len(values),
        shown["small"].to_list(),
        "#ffffff",
        max(values, default=1) or 1,
        lang,
    )
