"""Queries of the home page: monthly demand, demand by region, source freshness."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from sqlalchemy import case, func, select

from dashboard.queries import RegionRef, query, run
from dashboard.queries import frame as _frame
from data.store.models import DemandMonth, IngestBatch, Region, RegionMember, Vacancy


@query("monthly_demand")
def _monthly_demand(url: str, gemeenten: tuple[str, ...] = ()) -> pl.DataFrame:
    query = (
        select(DemandMonth.month.label("month"), func.sum(DemandMonth.vacancies).label("vacancies"))
        .group_by(DemandMonth.month)
        .order_by(DemandMonth.month)
    )
    if gemeenten:
        query = query.where(DemandMonth.gemeente_code.in_(gemeenten))
    return _frame(query, url).with_columns(pl.col("vacancies").cast(pl.Int64))


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


@query("demo_share")
def _demo_share(url: str) -> pl.DataFrame:
    query = select(
        func.count().label("vacancies"),
        func.coalesce(func.sum(case((Vacancy.is_demo.is_(True), 1), else_=0)), 0).label("demo"),
    )
    return _frame(query, url)


@dataclass(frozen=True)
class Period:
    """Twelve months up to the newest month with data, and the twelve before."""

    first: dt.date
    last: dt.date
    previous_first: dt.date
    previous_last: dt.date


def _shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def latest_period(monthly: pl.DataFrame) -> Period | None:
    if monthly.is_empty():
        return None
    last = monthly["month"].max()
    assert isinstance(last, dt.date)
    return Period(_shift(last, -11), last, _shift(last, -23), _shift(last, -12))


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
    share = run("demo_share")
    return bool(share.height and (share["demo"][0] or 0) > 0)
