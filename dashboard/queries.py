"""The only door from the pages to the store: small functions that return Polars frames.

Results are cached across workers (see ``cache.py``). Every cache key carries the data version
(the newest finished batch), so a new batch is visible at once and old results are never served
for new data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
from flask import current_app, has_app_context
from sqlalchemy import Select, case, func, select

from dashboard.cache import cache
from data.settings import Settings, get_settings
from data.store.models import DemandMonth, IngestBatch, Region, RegionMember, Vacancy
from data.store.session import engine_for


def settings() -> Settings:
    if has_app_context() and "REGIOKOMPAS_SETTINGS" in current_app.config:
        return current_app.config["REGIOKOMPAS_SETTINGS"]
    return get_settings()


def _frame(query: Select, url: str) -> pl.DataFrame:
    with engine_for(url).connect() as connection:
        return pl.read_database(query, connection)


def data_version(url: str | None = None) -> str:
    """Changes whenever a batch finishes or is removed: part of every cache key."""
    url = url or settings().database_url
    query = select(
        func.count(IngestBatch.id), func.max(IngestBatch.id), func.max(IngestBatch.finished_at)
    ).where(IngestBatch.status == "done")
    with engine_for(url).connect() as connection:
        count, newest, finished = connection.execute(query).one()
    return f"{count}:{newest}:{finished}"


def _cached(name: str, url: str, version: str, *args: Any) -> pl.DataFrame:
    return _QUERIES[name](url, *args)


_cached_frame = cache.memoize()(_cached)


def run(name: str, *args: object) -> pl.DataFrame:
    """Run the named query with the app's database, through the shared cache."""
    url = settings().database_url
    return _cached_frame(name, url, data_version(url), *args)


def _monthly_demand(url: str) -> pl.DataFrame:
    query = (
        select(DemandMonth.month.label("month"), func.sum(DemandMonth.vacancies).label("vacancies"))
        .group_by(DemandMonth.month)
        .order_by(DemandMonth.month)
    )
    return _frame(query, url).with_columns(pl.col("vacancies").cast(pl.Int64))


def _demand_by_region(url: str, level: str, first: dt.date, last: dt.date) -> pl.DataFrame:
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
    return _frame(query, url).with_columns(pl.col("vacancies").cast(pl.Int64))


def _freshness(url: str) -> pl.DataFrame:
    postings = (
        select(
            Vacancy.source.label("source"),
            func.count().label("postings"),
            func.max(Vacancy.posted_at).label("newest_posting"),
            func.max(Vacancy.is_demo).label("is_demo"),
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


def _demo_share(url: str) -> pl.DataFrame:
    query = select(
        func.count().label("vacancies"),
        func.coalesce(func.sum(case((Vacancy.is_demo.is_(True), 1), else_=0)), 0).label("demo"),
    )
    return _frame(query, url)


_QUERIES: dict[str, Callable[..., pl.DataFrame]] = {
    "monthly_demand": _monthly_demand,
    "demand_by_region": _demand_by_region,
    "freshness": _freshness,
    "demo_share": _demo_share,
}


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
    freshness: pl.DataFrame


def home_figures(top: int = 5) -> HomeFigures | None:
    """The figures of the home page, or None when the store has no vacancies."""
    monthly = run("monthly_demand")
    period = latest_period(monthly)
    if period is None:
        return None

    def total(first: dt.date, last: dt.date) -> int:
        window = monthly.filter(pl.col("month").is_between(first, last))
        return int(window["vacancies"].sum() or 0)

    current = total(period.first, period.last)
    previous = total(period.previous_first, period.previous_last)
    has_previous = monthly["month"].min() <= period.previous_first  # type: ignore[operator]
    now = run("demand_by_region", "arbeidsmarktregio", period.first, period.last)
    before = run(
        "demand_by_region", "arbeidsmarktregio", period.previous_first, period.previous_last
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
        top_regions=regions,
        freshness=run("freshness"),
    )


def has_demo_data() -> bool:
    share = run("demo_share")
    return bool(share.height and (share["demo"][0] or 0) > 0)
