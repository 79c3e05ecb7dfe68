"""The only door from the pages to the store: small functions that return Polars frames.

Each area has a module here (``home``, ...) whose query functions register themselves with
``@query("name")``; pages call ``run("name", *args)``. Results are cached across workers (see
``dashboard/cache.py``). Every cache key carries the data version (:func:`data_version`: the
finished batches and the content of every own region), so a new batch or an edited region is
visible at once and old results are never served for new data. Code that writes through the app
calls :func:`invalidate` as well, which also covers writes the data version cannot see.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import polars as pl
from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import Select, func, select

from dashboard import render_cache
from dashboard.cache import cache
from data.settings import Settings, get_settings
from data.store.models import IngestBatch, Region, RegionMember, Skill
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


@lru_cache(maxsize=1)
def _version_statements() -> tuple[Select, Select, Select]:
    """The statements of :func:`data_version`, built once (building them costs more than
    running them)."""
    done = IngestBatch.status == "done"
    # One statement for the counters; each subquery is answered from an index (counting and
    # taking the newest id of the skills in one SELECT would scan the table).
    counters = select(
        select(func.count(IngestBatch.id)).where(done).scalar_subquery(),
        select(func.max(IngestBatch.id)).where(done).scalar_subquery(),
        select(func.max(IngestBatch.finished_at)).where(done).scalar_subquery(),
        select(func.count()).select_from(Skill).scalar_subquery(),
        select(func.max(Skill.id)).scalar_subquery(),
    )
    own = (
        select(
            Region.code,
            Region.name,
            Region.description,
            func.aggregate_strings(RegionMember.gemeente_code, ","),
        )
        .select_from(Region)
        .outerjoin(RegionMember, RegionMember.region_id == Region.id)
        .where(Region.level == "eigen")
        .group_by(Region.id, Region.code, Region.name, Region.description)
    )
    user_skills = select(Skill.key, Skill.label_nl, Skill.label_en, Skill.type).where(
        Skill.is_user_defined.is_(True)
    )
    return counters, own, user_skills


def data_version(url: str | None = None) -> str:
    """A key that changes whenever a batch finishes or is removed, an own region is created,
    renamed, given other gemeenten or deleted, or the skill taxonomy in the store changes
    (``regiokompas init-db`` loading users' own skills).

    Own regions enter with their content (code, name, description and gemeenten, hashed), not
    only their number and newest id: an edit keeps both, and SQLite may hand a deleted newest
    id out again. There are few own regions, so reading them is cheap; within one request the
    version is read once (pages run several queries per callback).
    """
    url = url or settings().database_url
    memo: dict[str, str] | None = None
    if has_request_context():
        memo = g.setdefault("regiokompas_data_versions", {})
        if url in memo:
            return memo[url]
    counters, own, user_skills = _version_statements()
    with engine_for(url).connect() as connection:
        count, newest, finished, *taxonomy = connection.execute(counters).one()
        regions = sorted(
            (code, name, description or "", ",".join(sorted((members or "").split(","))))
            for code, name, description, members in connection.execute(own)
        )
        own_skills = sorted(tuple(row) for row in connection.execute(user_skills))
    content = repr((regions, tuple(taxonomy), own_skills)).encode("utf-8")
    digest = hashlib.blake2b(content, digest_size=8).hexdigest()
    version = f"{count}:{newest}:{finished}:{len(regions)}:{digest}"
    if memo is not None:
        memo[url] = version
    return version


def _cached(name: str, url: str, version: str, *args: Any) -> pl.DataFrame:
    return _QUERIES[name](url, *args)


_memoized = cache.memoize()(_cached)
# ``run`` looks this name up at call time (the page benchmark wraps it to time every query).
_cached_frame = _memoized


def run(name: str, *args: Any) -> pl.DataFrame:
    """Run the named query on the app's database, through the shared cache."""
    url = settings().database_url
    return _cached_frame(name, url, data_version(url), *args)


def invalidate() -> None:
    """Forget every cached query result, in all workers and on all hosts.

    Call it after anything written through the app (an own region saved or deleted, a batch
    uploaded on the admin page). flask-caching keeps the version of the memoized function in
    the shared cache (the file-system folder or Redis), and this drops that version, so every
    worker computes fresh results from its next query on; the old entries expire with
    ``cache_timeout``. Kept page answers (:mod:`dashboard.render_cache`) are dropped as well.
    Writes from outside the app (``regiokompas ingest``, another host) are covered by
    :func:`data_version`.
    """
    cache.delete_memoized(_memoized)
    render_cache.bump()
    if has_request_context():
        g.pop("regiokompas_data_versions", None)


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
