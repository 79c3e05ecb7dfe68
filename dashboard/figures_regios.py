"""The map of the Regio's page: every gemeente, the chosen ones dark. Pure: frame in, figure out."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import plotly.graph_objects as go
import polars as pl

from dashboard import format as fmt
from dashboard import theme
from dashboard.i18n import t

NOT_CHOSEN = "#e3e8ed"
CHOSEN = theme.PRIMARY


def picker_state(
    codes: list[str], names: dict[str, str], selected: Collection[str], lang: str
) -> tuple[list[int], list[list[str]]]:
    """Colour value (1 chosen, 0 not) and hover text per gemeente, in the order of ``codes``."""
    chosen = set(selected)
    z = [1 if code in chosen else 0 for code in codes]
    custom = [
        [
            names.get(code, code),
            t("regios.map_chosen" if code in chosen else "regios.map_not_chosen", lang),
        ]
        for code in codes
    ]
    return z, custom


def picker_map(
    geojson: dict[str, Any],
    gemeenten: pl.DataFrame,
    selected: Collection[str],
    lang: str = "nl",
    height: int = 520,
) -> go.Figure:
    """A click map of the gemeenten in ``gemeenten`` (code, name) that have a shape."""
    shapes = {feature.get("id") for feature in geojson.get("features", [])}
    rows = gemeenten.filter(pl.col("code").is_in(list(shapes))).sort("code")
    codes = rows["code"].to_list()
    names = dict(zip(codes, rows["name"].to_list(), strict=True))
    z, custom = picker_state(codes, names, selected, lang)
    figure = go.Figure(
        go.Choropleth(
            geojson=geojson,
            locations=codes,
            z=z,
            zmin=0,
            zmax=1,
            colorscale=[[0, NOT_CHOSEN], [0.5, NOT_CHOSEN], [0.5, CHOSEN], [1, CHOSEN]],
            showscale=False,
            marker={"line": {"color": "#ffffff", "width": 0.6}},
            customdata=custom,
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        ),
        layout=go.Layout(
            template="regiokompas",
            separators=fmt.plotly_separators(lang),
            height=height,
            margin={"l": 0, "r": 0, "t": 0, "b": 0},
            showlegend=False,
            dragmode=False,
        ),
    )
    figure.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    return figure
