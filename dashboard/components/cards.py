"""Small building blocks: figure cards, key-figure cards, tables, definitions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import dash
import dash_mantine_components as dmc
import plotly.graph_objects as go
from dash import dcc, html
from dash.development.base_component import Component

from dashboard.components import aria
from dashboard.i18n import t

GRAPH_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtons": [["toImage"]],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def key_figure(
    label: str,
    value: str,
    note: str | None = None,
    value_id: str | None = None,
) -> dmc.Paper:
    return dmc.Paper(
        [
            html.P(label, className="rk-kpi-label"),
            html.P(value, className="rk-kpi-value", id=value_id or ""),
            html.P(note, className="rk-kpi-note") if note else None,
        ],
        withBorder=True,
        p="md",
        className="rk-kpi",
    )


def figure_card(
    title: str,
    figure: go.Figure,
    graph_id: str,
    description: str,
    lang: str,
    footnote: str | None = None,
    table: Component | None = None,
) -> dmc.Paper:
    """A chart with a heading, an accessible description and the same data as a table."""
    return dmc.Paper(
        [
            html.H2(title, className="rk-card-title"),
            html.Div(
                dcc.Graph(
                    id=graph_id,
                    figure=figure,
                    config={  # type: ignore[arg-type]
                        **GRAPH_CONFIG,
                        "toImageButtonOptions": {
                            **GRAPH_CONFIG["toImageButtonOptions"],
                            "filename": graph_id,
                        },
                    },
                    className="rk-graph",
                ),
                role="figure",
                **aria(description),
            ),
            html.P(footnote, className="rk-footnote") if footnote else None,
            html.Details(
                [html.Summary(t("common.show_table", lang)), table], className="rk-data-table"
            )
            if table is not None
            else None,
        ],
        withBorder=True,
        p="md",
        className="rk-card",
    )


def simple_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    table_id: str | None = None,
    caption: str | None = None,
    numeric: Sequence[int] = (),
) -> html.Div:
    """A plain, accessible HTML table; all cells are rendered as text (never as HTML)."""
    head = html.Thead(
        html.Tr(
            [
                html.Th(h, scope="col", className="rk-num" if i in numeric else None)
                for i, h in enumerate(headers)
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(
                        "" if cell is None else str(cell),
                        className="rk-num" if i in numeric else None,
                    )
                    for i, cell in enumerate(row)
                ]
            )
            for row in rows
        ]
    )
    parts = [html.Caption(caption)] if caption else []
    table = html.Table([*parts, head, body], className="rk-table", id=table_id or "")
    # A wide table scrolls inside its box instead of widening the page on a phone.
    return html.Div(table, className="rk-table-wrap")


def definitions(items: Sequence[tuple[str, str]], lang: str) -> html.Section:
    return html.Section(
        [
            html.H2(t("common.definitions", lang), className="rk-card-title"),
            html.Dl([part for term, text in items for part in (html.Dt(term), html.Dd(text))]),
        ],
        className="rk-definitions",
    )


def export_links(view: str, params: dict[str, str], label: str, class_name: str = "") -> html.P:
    """``label`` then links to the view's data in the API as CSV, XLSX and JSON, with the
    page's parameters (empty ones left out); hidden in meeting mode."""
    query = urlencode({k: v for k, v in params.items() if v})
    base = dash.get_relative_path(f"/api/v1/{view}")
    suffix = f"?{query}" if query else ""
    csv, xlsx, json = (
        html.A(kind.upper(), href=f"{base}.{kind}{suffix}", className="rk-export-link")
        for kind in ("csv", "xlsx", "json")
    )
    classes = " ".join(name for name in ("rk-footnote", class_name, "rk-hide-present") if name)
    return html.P([label, " ", csv, " · ", xlsx, " · ", json], className=classes)
