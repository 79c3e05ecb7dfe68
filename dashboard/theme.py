"""Colours and type: WCAG 2.1 AA contrast on white, colour-blind-safe series (Okabe–Ito)."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

# Text and primary colours all have at least 4.5:1 contrast on white.
INK = "#1b1f24"  # 16.1:1
MUTED = "#4a5560"  # 7.5:1
PRIMARY = "#1c4f82"  # 8.4:1
ACCENT = "#b34700"  # 5.1:1
# Okabe–Ito, distinguishable with the common forms of colour blindness.
SERIES = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

FONT_STACK = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

THEME = {
    "primaryColor": "regio",
    "colors": {
        "regio": [
            "#e8f0f8",
            "#cddcec",
            "#a9c3de",
            "#7fa6cd",
            "#5889ba",
            "#3a6fa5",
            "#1c4f82",
            "#174470",
            "#12385d",
            "#0c2b48",
        ]
    },
    "primaryShade": 6,
    "fontFamily": FONT_STACK,
    "defaultRadius": "md",
}

pio.templates["regiokompas"] = go.layout.Template(
    layout=go.Layout(
        font={"family": THEME["fontFamily"], "size": 15, "color": INK},
        colorway=SERIES,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"gridcolor": "#e3e7eb", "linecolor": "#8a949e", "automargin": True},
        yaxis={"gridcolor": "#e3e7eb", "linecolor": "#8a949e", "automargin": True},
        hoverlabel={"font": {"size": 15}},
    )
)
