"""Counting on the aggregates: the one way the query modules sum ``demand_month`` and
``skill_demand_month``.

Every page counts deduplicated vacancies the same way: sum an aggregate's counts over a range
of months, optionally for one skill and a set of gemeenten, grouped by a few of its columns.
:func:`summed` builds that statement and :func:`counted` reads it into a frame with the count
columns as Int64, so the definitions (inclusive month bounds, what "no gemeenten" means) live
in one place.

A closed range of months is sent as the list of its months (``month IN (...)``): the aggregates
hold first days of months only, so the two are the same rows, and with a list the index on
``(month, skill_id)`` of ``skill_demand_month`` finds one skill's rows month by month instead of
reading every skill's rows of the range (a few million at national scale).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl
from sqlalchemy import Select, func, select

from dashboard.queries import frame
from data.store.models import DemandMonth, SkillDemandMonth

Aggregate = type[DemandMonth] | type[SkillDemandMonth]


def summed(
    table: Aggregate,
    by: Mapping[str, Any],
    sums: Mapping[str, Any],
    *,
    first: dt.date | None = None,
    last: dt.date | None = None,
    gemeenten: tuple[str, ...] = (),
    skill_id: int | None = None,
    where: Iterable[Any] = (),
) -> Select:
    """``SELECT by..., SUM(sums)... FROM table`` for months ``first``..``last`` (inclusive,
    open where None), the gemeenten given (all when empty) and ``skill_id`` (skill demand only),
    grouped by the ``by`` columns. Keys are the column names of the result."""
    statement = select(
        *(column.label(name) for name, column in by.items()),
        *(func.sum(column).label(name) for name, column in sums.items()),
    ).select_from(table)
    conditions = list(where)
    if first is not None and last is not None:
        conditions.append(table.month.in_(months_between(first, last)))
    elif first is not None:
        conditions.append(table.month >= first)
    elif last is not None:
        conditions.append(table.month <= last)
    if gemeenten:
        conditions.append(table.gemeente_code.in_(gemeenten))
    if skill_id is not None:
        if table is not SkillDemandMonth:
            raise ValueError("skill_id only applies to skill_demand_month")
        conditions.append(SkillDemandMonth.skill_id == skill_id)
    if conditions:
        statement = statement.where(*conditions)
    if by:
        statement = statement.group_by(*by.values())
    return statement


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from ``first`` to ``last``, both included.

    >>> months_between(dt.date(2025, 11, 1), dt.date(2026, 1, 15))
    [datetime.date(2025, 11, 1), datetime.date(2025, 12, 1), datetime.date(2026, 1, 1)]
    """
    index = first.year * 12 + first.month - 1
    end = last.year * 12 + last.month - 1
    return [dt.date(i // 12, i % 12 + 1, 1) for i in range(index, end + 1)]


def counted(
    statement: Select,
    url: str,
    counts: Iterable[str],
    strings: Iterable[str] = (),
    dates: Iterable[str] = (),
) -> pl.DataFrame:
    """Run ``statement``; ``counts`` as Int64 (SUM gives decimals or floats on some drivers),
    ``strings`` as String and ``dates`` as Date, whatever the driver returned."""
    return frame(statement, url).with_columns(
        *(pl.col(name).cast(pl.Int64) for name in counts),
        *(pl.col(name).cast(pl.String) for name in strings),
        *(pl.col(name).cast(pl.Date) for name in dates),
    )
