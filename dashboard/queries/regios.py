"""Queries of the Regio's page: users' own regions and the gemeenten to build them from."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import func, select

from dashboard.queries import frame, query, run
from data.store.models import Region, RegionMember

GROUP_LEVELS = ("provincie", "arbeidsmarktregio", "corop")


@query("own_regions")
def _own_regions(url: str) -> pl.DataFrame:
    """Every own region with its number of gemeenten, newest first."""
    statement = (
        select(
            Region.code.label("code"),
            Region.name.label("name"),
            Region.description.label("description"),
            Region.created_at.label("created_at"),
            func.count(RegionMember.gemeente_code).label("gemeenten"),
        )
        .select_from(Region)
        .outerjoin(RegionMember, RegionMember.region_id == Region.id)
        .where(Region.level == "eigen")
        .group_by(Region.id, Region.code, Region.name, Region.description, Region.created_at)
        .order_by(Region.created_at.desc(), Region.id.desc())
    )
    return frame(statement, url).with_columns(pl.col("gemeenten").cast(pl.Int64))


@query("region_memberships")
def _region_memberships(url: str, year: int) -> pl.DataFrame:
    """Level, code and name of every gemeente and grouping of ``year``, with its gemeenten."""
    statement = (
        select(
            Region.level.label("level"),
            Region.code.label("code"),
            Region.name.label("name"),
            RegionMember.gemeente_code.label("gemeente_code"),
        )
        .join(RegionMember, RegionMember.region_id == Region.id)
        .where(Region.year == year, Region.level.in_(("gemeente", *GROUP_LEVELS)))
        .order_by(Region.level, Region.name, RegionMember.gemeente_code)
    )
    return frame(statement, url)


@dataclass(frozen=True)
class GemeenteCatalogue:
    """The gemeenten of a year with their provincie, and every grouping with its gemeenten."""

    gemeenten: pl.DataFrame  # code, name, provincie_code, provincie
    groups: pl.DataFrame  # level, code, name, members (list of gemeente codes)

    def members_of(self, code: str) -> list[str]:
        rows = self.groups.filter(pl.col("code") == code)
        return sorted(rows["members"][0]) if rows.height else []

    @property
    def codes(self) -> set[str]:
        return set(self.gemeenten["code"].to_list())


def gemeente_catalogue(year: int) -> GemeenteCatalogue:
    memberships = run("region_memberships", year)
    gemeenten = memberships.filter(pl.col("level") == "gemeente").select(
        code="gemeente_code", name="name"
    )
    provincies = memberships.filter(pl.col("level") == "provincie").select(
        code="gemeente_code", provincie_code="code", provincie="name"
    )
    gemeenten = gemeenten.join(provincies, on="code", how="left").sort(["provincie", "name"])
    groups = (
        memberships.filter(pl.col("level").is_in(GROUP_LEVELS))
        .group_by("level", "code", "name")
        .agg(members=pl.col("gemeente_code").sort())
        .sort(["level", "name"])
    )
    return GemeenteCatalogue(gemeenten, groups)


def own_regions() -> pl.DataFrame:
    return run("own_regions")
