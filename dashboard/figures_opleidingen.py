"""Figures of the programme page: covered and missing skills by demand share, as horizontal
bars with the largest on top.

Pure functions, frame in, figure out. Every bar carries its share as text and the skill's type
in the label, so nothing depends on colour; small counts are hatched and named in the hover.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard import format as fmt
from dashboard import theme
from dashboard.i18n import t

COVERED_COLOUR = theme.SERIES[2]  # bluish green
MISSING_COLOUR = theme.SERIES[1]  # vermillion
OUTLINE = "#1b1f24"
LABEL_LENGTH = 40


def short_label(text: str, length: int = LABEL_LENGTH) -> str:
    """A label short enough for an axis (the full one is in the hover and the table).

    >>> short_label("Nederlandse en Engelse taal in woord en geschrift", 20)
    'Nederlandse en Enge…'
    """
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def level_text(level: str | None, lang: str) -> str:
    """``mbo4`` → ``niveau 4`` (``level 4`` in English); other levels as stored."""
    if not level:
        return ""
    if level.startswith("mbo") and level[3:].strip().isdigit():
        return t("opl.level", lang, n=level[3:].strip())
    return level


def programme_label(code: str, name: str, level: str | None, lang: str) -> str:
    level_part = level_text(level, lang)
    return f"{code} — {name}" + (f" ({level_part})" if level_part else "")


def type_label(kind: str | None, lang: str) -> str:
    """The skill type in the interface language (falls back to the stored word)."""
    if not kind:
        return ""
    key = f"opl.type_{kind}"
    try:
        return t(key, lang)
    except KeyError:
        return kind


def skill_bars(
    skills: pl.DataFrame,
    lang: str,
    kind: str = "missing",
    top: int = 15,
    small_threshold: int = 0,
) -> go.Figure:
    """Share of relevant vacancies asking each skill, first (largest) on top.

    ``skills`` has columns label, type, share and vacancies; ``kind`` is ``covered`` or
    ``missing`` (colour only: the chart's heading says which).
    """
    rows = skills.sort(["share", "label"], descending=[True, False]).head(top)
    count = rows.height
    labels = [
        f"{short_label(label)} · {type_label(kind_, lang)}" if kind_ else short_label(label)
        for label, kind_ in zip(rows["label"].to_list(), rows["type"].to_list(), strict=True)
    ]
    shares = [float(s) for s in rows["share"].to_list()]
    counts = [int(v or 0) for v in rows["vacancies"].to_list()]
    small = [c < small_threshold for c in counts]
    texts = [fmt.percent(s, lang, 0) if s >= 0.005 else fmt.percent(s, lang, 1) for s in shares]
    colour = COVERED_COLOUR if kind == "covered" else MISSING_COLOUR
    small_text = t("common.small_count", lang)
    hover = [
        f"{label}: {text} ({fmt.number(c, lang)} {t('opl.vacancies_word', lang)})"
        + (f" — {small_text}" if s else "")
        for label, text, c, s in zip(rows["label"].to_list(), texts, counts, small, strict=True)
    ]
    # Each skill's name sits above its bar rather than in a left margin, so long names need
    # no wide margin and the chart fits a phone.
    positions = [count - 1 - i for i in range(count)]
    figure = go.Figure(
        go.Bar(
            x=shares,
            y=positions,
            orientation="h",
            width=0.42,
            marker={
                "color": colour,
                "line": {"color": OUTLINE, "width": 1},
                "pattern": {
                    "shape": ["/" if s else "" for s in small],
                    "fgcolor": "#ffffff",
                    "fillmode": "overlay",
                    "size": 7,
                },
            },
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        ),
        layout=go.Layout(
            template="regiokompas",
            separators=fmt.plotly_separators(lang),
            height=60 + 46 * max(count, 1),
            showlegend=False,
            margin={"l": 8, "r": 48, "t": 8, "b": 44},
            xaxis={
                "tickformat": ".0%",
                "rangemode": "tozero",
                "range": [0, max([*shares, 0.01]) * 1.15],
                "title": {"text": t("opl.axis_share", lang), "font": {"size": 13}},
                "nticks": 5,
                "tickangle": 0,
                "fixedrange": True,
            },
            yaxis={
                "visible": False,
                "range": [-0.5, max(count, 1) - 0.25],
                "fixedrange": True,
            },
            annotations=[
                {
                    "x": 0,
                    "y": position + 0.24,
                    "xref": "x",
                    "yref": "y",
                    "text": label,
                    "showarrow": False,
                    "xanchor": "left",
                    "yanchor": "bottom",
                    "font": {"size": 13},
                }
                for label, position in zip(labels, positions, strict=True)
            ],
        ),
    )
    if count == 0:
        figure.add_annotation(
            text=t("opl.no_skills", lang),
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
        )
    return figure
