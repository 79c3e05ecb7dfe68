"""The only door from the pages to the store: small functions that return Polars frames.

Each area has a module here (``home``, ...) whose query functions register themselves with
``@query("name")``; pages call ``run("name", *args)``. Results are cached across workers (see
``dashboard/cache.py``). Every cache key carries the data version (the newest finished batch and
the number of user regions), so a new batch is visible at once and old results are never served
for new data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
from flask import current_app, has_app_context
from sqlalchemy import Select, func, select

from dashboard.cache import cache
from data.settings import Settings, get_settings
from data.store.models import IngestBatch, Region, RegionMember
from data.store.session import engine_for

QueryFunction = Callable[..., pl.DataFrame]
_QUERIES: dict[str, QueryFunction] = {}


def query(name: str) -> Callable[[QueryFunction], QueryFunction]:
    """Register a query function ``f(url, *args) -> DataFrame`` under ``name``."""

    def register(function: QueryFunction) -> QueryFunction:
        if name in _QUERIES and _QUERIES[name] is not function:
            raise ValueError(f"query {name!r} registered twice")
        _QUERIES[name] = function
        return function

    return register


def settings() -> Settings:
    if has_app_context() and "REGIOKOMPAS_SETTINGS" in current_app.config:
        return current_app.config["REGIOKOMPAS_SETTINGS"]
    return get_settings()


def frame(statement: Select, url: str) -> pl.DataFrame:
    with engine_for(url).connect() as connection:
        return pl.read_database(statement, connection)


def data_version(url: str | None = None) -> str:
    """Changes whenever a batch finishes or is removed, or a user region changes."""
    url = url or settings().database_url
    batches = select(
        func.count(IngestBatch.id), func.max(IngestBatch.id), func.max(IngestBatch.finished_at)
    ).where(IngestBatch.status == "done")
    regions = select(func.count(Region.id), func.max(Region.id)).where(Region.level == "eigen")
    with engine_for(url).connect() as connection:
        count, newest, finished = connection.execute(batches).one()
        own, own_newest = connection.execute(regions).one()
    return f"{count}:{newest}:{finished}:{own}:{own_newest}"


def _cached(name: str, url: str, version: str, *args: Any) -> pl.DataFrame:
    return _QUERIES[name](url, *args)


_cached_frame = cache.memoize()(_cached)


def run(name: str, *args: Any) -> pl.DataFrame:
    """Run the named query on the app's database, through the shared cache."""
    url = settings().database_url
    return _cached_frame(name, url, data_version(url), *args)


# --- Regions ---------------------------------------------------------------------------------

LEVEL_OF_PREFIX = {"GM": "gemeente", "AM": "arbeidsmarktregio", "PV": "provincie", "CR": "corop"}


@dataclass(frozen=True)
class RegionRef:
    """A region as the pages use it: code, name, level and its member gemeenten."""

    code: str
    name: str
    level: str
    gemeenten: tuple[str, ...]

    @property
    def is_national(self) -> bool:
        return self.code == "NL"


@query("regions")
def _regions(url: str) -> pl.DataFrame:
    statement = (
        select(
            Region.level.label("level"),
            Region.code.label("code"),
            Region.name.label("name"),
            func.count(RegionMember.gemeente_code).label("gemeenten"),
        )
        .select_from(Region)
        .outerjoin(RegionMember, RegionMember.region_id == Region.id)
        .group_by(Region.level, Region.code, Region.name)
        .order_by(Region.level, Region.name)
    )
    return frame(statement, url)


@query("region_members")
def _region_members(url: str, code: str) -> pl.DataFrame:
    statement = (
        select(
            Region.level.label("level"),
            Region.name.label("name"),
            RegionMember.gemeente_code.label("gemeente_code"),
        )
        .join(RegionMember, RegionMember.region_id == Region.id)
        .where(Region.code == code)
        .order_by(RegionMember.gemeente_code)
    )
    return frame(statement, url)


def region(code: str | None) -> RegionRef:
    """The region for a URL parameter; the whole country for none or an unknown code."""
    if code and code != "NL":
        members = run("region_members", code)
        if members.height:
            return RegionRef(
                code,
                str(members["name"][0]),
                str(members["level"][0]),
                tuple(members["gemeente_code"].to_list()),
            )
    return RegionRef("NL", "Nederland", "land", ())


from dashboard.queries import home  # noqa: E402,F401 - registers the home queries
