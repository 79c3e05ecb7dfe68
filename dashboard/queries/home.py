"""Queries of the home page: monthly demand, demand by region, source freshness."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from sqlalchemy import case, func, select

from dashboard.queries import RegionRef, query, run
from dashboard.queries import frame as _frame
from dashboard.queries.counts import counted, summed
from data.store.models import DemandMonth, IngestBatch, Region, RegionMember, Vacancy


@query("monthly_demand")
def _monthly_demand(url: str, gemeenten: tuple[str, ...] = ()) -> pl.DataFrame:
    statement = summed(
        DemandMonth,
        {"month": DemandMonth.month},
        {"vacancies": DemandMonth.vacancies},
        gemeenten=gemeenten,
    ).order_by(DemandMonth.month)
    return counted(statement, url, ("vacancies",))


@query("demand_by_region")
def _demand_by_region(
    url: str, level: str, first: dt.date, last: dt.date, gemeenten: tuple[str, ...] = ()
) -> pl.DataFrame:
    query = (
        select(
            Region.code.label("code"),
            Region.name.label("name"),
            func.sum(DemandMonth.vacancies).label("vacancies"),
        )
        .select_from(DemandMonth)
        .join(RegionMember, RegionMember.gemeente_code == DemandMonth.gemeente_code)
        .join(Region, Region.id == RegionMember.region_id)
        .where(Region.level == level, DemandMonth.month >= first, DemandMonth.month <= last)
        .group_by(Region.code, Region.name)
    )
    if gemeenten:
        query = query.where(DemandMonth.gemeente_code.in_(gemeenten))
    return _frame(query, url).with_columns(pl.col("vacancies").cast(pl.Int64))


@query("freshness")
def _freshness(url: str) -> pl.DataFrame:
    postings = (
        select(
            Vacancy.source.label("source"),
            func.count().label("postings"),
            func.max(Vacancy.posted_at).label("newest_posting"),
            func.max(case((Vacancy.is_demo.is_(True), 1), else_=0)).label("is_demo"),
        )
        .group_by(Vacancy.source)
        .subquery()
    )
    loads = (
        select(
            IngestBatch.source.label("batch_source"),
            func.max(IngestBatch.finished_at).label("loaded_at"),
        )
        .where(IngestBatch.status == "done")
        .group_by(IngestBatch.source)
        .subquery()
    )
    demo_load = (
        select(func.max(IngestBatch.finished_at))
        .where(IngestBatch.is_demo.is_(True), IngestBatch.status == "done")
        .scalar_subquery()
    )
    query = (
        select(
            postings.c.source,
            postings.c.postings,
            postings.c.newest_posting,
            func.coalesce(loads.c.loaded_at, demo_load).label("loaded_at"),
            postings.c.is_demo,
        )
        .select_from(postings)
        .outerjoin(loads, loads.c.batch_source == postings.c.source)
        .order_by(postings.c.source)
    )
    return _frame(query, url).with_columns(pl.col("is_demo").cast(pl.Boolean))


@query("has_demo")
def _has_demo(url: str) -> pl.DataFrame:
    """One row: ``demo`` is true when any posting is demo data."""
    # EXISTS stops at the first demo posting; counting them read every posting on every page.
    demo = select(Vacancy.id).where(Vacancy.is_demo.is_(True)).exists()
    return _frame(select(demo.label("demo")), url).with_columns(pl.col("demo").cast(pl.Boolean))


@dataclass(frozen=True)
class Period:
    """Twelve months up to the newest month with data, and the twelve before."""

    first: dt.date
    last: dt.date
    previous_first: dt.date
    previous_last: dt.date


def shift_months(month: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after (before, when negative) ``month``.

    >>> shift_months(dt.date(2026, 1, 1), -1), shift_months(dt.date(2025, 11, 1), 2)
    (datetime.date(2025, 12, 1), datetime.date(2026, 1, 1))
    """
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def latest_period(monthly: pl.DataFrame) -> Period | None:
    if monthly.is_empty():
        return None
    last = monthly["month"].max()
    assert isinstance(last, dt.date)
    return Period(shift_months(last, -11), last, shift_months(last, -23), shift_months(last, -12))


@dataclass(frozen=True)
class HomeFigures:
    period: Period
    monthly: pl.DataFrame
    total: int
    previous_total: int
    growth: float | None
    top_regions: pl.DataFrame
    ranking_level: str
    freshness: pl.DataFrame


def home_figures(region: RegionRef, top: int = 5) -> HomeFigures | None:
    """The figures of the home page for ``region``, or None when the store has no vacancies.

    The period is the same for every region: the twelve months up to the newest month with
    data anywhere. The ranking lists arbeidsmarktregio's for the whole country and the
    gemeenten of any other region.
    """
    national = run("monthly_demand")
    period = latest_period(national)
    if period is None:
        return None
    monthly = national if region.is_national else run("monthly_demand", region.gemeenten)
    level = "arbeidsmarktregio" if region.is_national else "gemeente"

    def total(first: dt.date, last: dt.date) -> int:
        window = monthly.filter(pl.col("month").is_between(first, last))
        return int(window["vacancies"].sum() or 0)

    current = total(period.first, period.last)
    previous = total(period.previous_first, period.previous_last)
    has_previous = monthly["month"].min() <= period.previous_first  # type: ignore[operator]
    now = run("demand_by_region", level, period.first, period.last, region.gemeenten)
    before = run(
        "demand_by_region", level, period.previous_first, period.previous_last, region.gemeenten
    ).select("code", previous="vacancies")
    regions = (
        now.join(before, on="code", how="left")
        .with_columns(
            growth=pl.when(pl.col("previous") > 0).then(
                pl.col("vacancies") / pl.col("previous") - 1
            )
        )
        .sort(["vacancies", "code"], descending=[True, False])
        .head(top)
    )
    return HomeFigures(
        period=period,
        monthly=monthly.filter(pl.col("month") >= period.previous_first),
        total=current,
        previous_total=previous,
        growth=(current / previous - 1) if has_previous and previous else None,
        top_regions=regions if region.level != "gemeente" else regions.clear(),
        ranking_level=level,
        freshness=run("freshness"),
    )


def has_demo_data() -> bool:
    found = run("has_demo")
    return bool(found.height and found["demo"][0])
