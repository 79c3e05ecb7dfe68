"""Shortage indicators on small examples checked by hand."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from matching.indicators import (
    flag_count,
    growth,
    quarter_start,
    tension,
    tension_class,
    tension_class_expr,
)


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (0.0, "zeer ruim"),
        (0.2499, "zeer ruim"),
        (0.25, "ruim"),
        (0.669, "ruim"),
        (0.67, "gemiddeld"),
        (1.5, "gemiddeld"),
        (1.51, "krap"),
        (4.0, "krap"),
        (4.01, "zeer krap"),
        (None, None),
    ],
)
def test_uwv_bands(ratio: float | None, expected: str | None) -> None:
    assert tension_class(ratio) == expected
    frame = pl.DataFrame({"ratio": [ratio]}, schema={"ratio": pl.Float64})
    assert frame.select(tension_class_expr(pl.col("ratio")))["tension"][0] == expected


def test_tension_by_hand() -> None:
    # Zwolle, care: 90 vacancies, 20 jobseekers → 4.5 → zeer krap.
    # Zwolle, administration: 12 vacancies, 30 jobseekers → 0.4 → ruim.
    # Kampen, care: 6 vacancies, 4 jobseekers → 1.5 → gemiddeld, small count.
    # Kampen, ICT: 3 vacancies, no supply figure → no tension, small.
    demand = pl.DataFrame(
        {
            "region": ["Zwolle", "Zwolle", "Kampen", "Kampen"],
            "klasse": ["10", "04", "10", "08"],
            "vacancies": [90, 12, 6, 3],
        }
    )
    supply = pl.DataFrame(
        {
            "region": ["Zwolle", "Zwolle", "Kampen"],
            "klasse": ["10", "04", "10"],
            "jobseekers": [20.0, 30.0, 4.0],
        }
    )
    result = tension(demand, supply, ["region", "klasse"], small_count=10)
    expected = pl.DataFrame(
        {
            "region": ["Kampen", "Kampen", "Zwolle", "Zwolle"],
            "klasse": ["08", "10", "04", "10"],
            "vacancies": [3, 6, 12, 90],
            "jobseekers": [None, 4.0, 30.0, 20.0],
            "ratio": [None, 1.5, 0.4, 4.5],
            "tension": [None, "gemiddeld", "ruim", "zeer krap"],
            "small": [True, True, False, False],
        }
    )
    assert_frame_equal(result, expected)


def test_growth_and_small_counts() -> None:
    assert growth(150, 120) == pytest.approx(0.25)
    assert growth(3, 0) is None
    assert flag_count(4, 10) == flag_count(4, 10, suppress=False)
    assert flag_count(4, 10).small and flag_count(4, 10).value == 4
    assert flag_count(4, 10, suppress=True).value is None
    assert not flag_count(10, 10).small


def test_quarter_start() -> None:
    frame = pl.DataFrame({"month": [dt.date(2026, 2, 1), dt.date(2026, 12, 1)]})
    assert frame.select(quarter_start())["month"].to_list() == [
        dt.date(2026, 1, 1),
        dt.date(2026, 10, 1),
    ]
