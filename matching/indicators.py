"""Shortage indicators: tension (spanning) in UWV-style classes, demand growth, small counts.

The definitions here are the product's definitions; the pages show them next to the numbers.

Tension
    Deduplicated vacancies newly posted in a quarter, divided by the short-term jobseekers (WW
    for less than six months) in the same region, occupation class and quarter. The ratio is
    put in a class with ``TENSION_BANDS``. Without supply figures there is no tension, only
    demand and its growth.
Growth
    Vacancies in a period divided by those in the period before, minus one; undefined when the
    period before had none.
Small counts
    Counts below the configured threshold are flagged (or suppressed): no one should read a
    ranking of two vacancies as a trend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl

# The one place where the tension bands are set: (class, upper bound of the ratio). Defaults as
# UWV publishes its spanningsindicator: zeer ruim below 0.25, ruim below 0.67, gemiddeld up to
# 1.5, krap up to 4.0, zeer krap above.
TENSION_BANDS: tuple[tuple[str, float], ...] = (
    ("zeer ruim", 0.25),
    ("ruim", 0.67),
    ("gemiddeld", 1.5),
    ("krap", 4.0),
    ("zeer krap", math.inf),
)
TENSION_LABELS_EN = {
    "zeer ruim": "very slack",
    "ruim": "slack",
    "gemiddeld": "average",
    "krap": "tight",
    "zeer krap": "very tight",
}


def tension_class(
    ratio: float | None,
    bands: tuple[tuple[str, float], ...] = TENSION_BANDS,
) -> str | None:
    """The class of a vacancies-per-jobseeker ratio.

    >>> tension_class(0.2), tension_class(0.67), tension_class(1.5), tension_class(5.0)
    ('zeer ruim', 'gemiddeld', 'gemiddeld', 'zeer krap')
    """
    if ratio is None or math.isnan(ratio):
        return None
    for index, (name, upper) in enumerate(bands):
        # The first two bounds are strict ("below"), the others inclusive ("up to"), as UWV.
        if ratio < upper or (index >= 2 and ratio <= upper):
            return name
    return bands[-1][0]


def tension_class_expr(
    ratio: pl.Expr,
    bands: tuple[tuple[str, float], ...] = TENSION_BANDS,
) -> pl.Expr:
    """``tension_class`` as a Polars expression (same bounds)."""
    expr: pl.Expr = pl.lit(bands[-1][0])
    for index in range(len(bands) - 2, -1, -1):
        name, upper = bands[index]
        condition = ratio < upper if index < 2 else ratio <= upper
        expr = pl.when(condition).then(pl.lit(name)).otherwise(expr)
    return (
        pl.when(ratio.is_null() | ratio.is_nan())
        .then(pl.lit(None, pl.String))
        .otherwise(expr)
        .alias("tension")
    )


def quarter_start(column: str = "month") -> pl.Expr:
    """First day of the quarter of a date column."""
    col = pl.col(column)
    return pl.date(col.dt.year(), ((col.dt.month() - 1) // 3) * 3 + 1, 1).alias(column)


def tension(
    demand: pl.DataFrame, supply: pl.DataFrame, keys: list[str], small_count: int = 10
) -> pl.DataFrame:
    """Tension per ``keys`` (e.g. region, occupation, quarter).

    Parameters
    ----------
    demand
        ``keys`` + ``vacancies`` (deduplicated, new in the period).
    supply
        ``keys`` + ``jobseekers`` (short-term jobseekers in the period).
    small_count
        Rows with fewer vacancies than this get ``small = True``.

    Returns
    -------
    ``keys`` + vacancies, jobseekers, ratio, tension, small. Rows without supply keep their
    vacancies with a null ratio and class.

    Examples
    --------
    >>> d = pl.DataFrame({"r": ["A", "B"], "vacancies": [30, 4]})
    >>> s = pl.DataFrame({"r": ["A", "B"], "jobseekers": [10.0, 20.0]})
    >>> tension(d, s, ["r"]).select("r", "ratio", "tension", "small").rows()
    [('A', 3.0, 'krap', False), ('B', 0.2, 'zeer ruim', True)]
    """
    joined = demand.join(supply, on=keys, how="left")
    ratio = (
        pl.when(pl.col("jobseekers") > 0)
        .then(pl.col("vacancies") / pl.col("jobseekers"))
        .otherwise(None)
    )
    return (
        joined.with_columns(ratio=ratio)
        .with_columns(
            tension=tension_class_expr(pl.col("ratio")),
            small=pl.col("vacancies") < small_count,
        )
        .sort(keys)
    )


def growth(current: int | float, previous: int | float) -> float | None:
    """Relative change; None when there was nothing before.

    >>> growth(120, 100)
    0.2
    >>> growth(5, 0) is None
    True
    """
    if not previous:
        return None
    return round(current / previous - 1, 10)


@dataclass(frozen=True)
class CountFlag:
    """How a count is shown: as is, flagged as small, or suppressed."""

    value: int | None
    small: bool
    suppressed: bool


def flag_count(value: int, threshold: int, suppress: bool = False) -> CountFlag:
    small = value < threshold
    return CountFlag(None if small and suppress else value, small, small and suppress)
