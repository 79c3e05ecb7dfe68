"""Programme alignment: how well a programme's skill profile covers regional skill demand.

Definitions (shown in the UI next to the numbers):

Relevant vacancies
    Deduplicated vacancies in the region and period whose occupation (BRC beroepsgroep) is one
    the programme leads to, plus vacancies whose skill vector is close to the programme's
    profile (cosine similarity of the weighted skill vectors at least ``similarity_threshold``).
Skill demand
    For each skill, the weighted share of relevant vacancies asking for it: a requirement
    counts 1, a nice-to-have ``nice_weight``. Offered skills do not count.
Coverage (alignment score)
    The sum of the demand shares of the skills in the programme's profile divided by the sum
    of the demand shares of all skills asked: the share of weighted regional skill demand the
    programme teaches.
Missing skills
    Skills asked by relevant vacancies that the profile lacks, by demand share.
Rarely asked
    Profile skills asked by fewer than ``rare_share`` of the relevant vacancies.
Vacancies per graduate
    Relevant vacancies divided by the programme's graduates in the region in the same period,
    when graduate numbers are loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
from scipy import sparse
from sklearn.metrics.pairwise import cosine_similarity
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.store.models import (
    Programme,
    Region,
    RegionMember,
    Skill,
    SupplyFigure,
    Vacancy,
    VacancyOccupation,
    VacancySkill,
)

NICE_WEIGHT = 0.5


def skill_matrix(
    links: pl.DataFrame,
    vacancy_ids: list[int],
    skill_ids: list[int],
    nice_weight: float = NICE_WEIGHT,
) -> sparse.csr_matrix:
    """Vacancies × skills, 1 for a required skill, ``nice_weight`` for a nice-to-have.

    ``links`` has columns vacancy_id, skill_id, required (offered skills already left out).
    """
    row_of = {v: i for i, v in enumerate(vacancy_ids)}
    col_of = {s: j for j, s in enumerate(skill_ids)}
    known = links.filter(
        pl.col("vacancy_id").is_in(vacancy_ids) & pl.col("skill_id").is_in(skill_ids)
    )
    weights = known.group_by("vacancy_id", "skill_id").agg(
        pl.when(pl.col("required").any()).then(1.0).otherwise(nice_weight).first().alias("w")
    )
    rows = [row_of[v] for v in weights["vacancy_id"]]
    cols = [col_of[s] for s in weights["skill_id"]]
    return sparse.csr_matrix(
        (weights["w"].to_numpy(), (rows, cols)), shape=(len(vacancy_ids), len(skill_ids))
    )


def similar_vacancies(
    matrix: sparse.csr_matrix, profile: np.ndarray, threshold: float
) -> np.ndarray:
    """Boolean mask of rows whose cosine similarity to ``profile`` is at least ``threshold``."""
    if matrix.shape[0] == 0 or not profile.any():
        return np.zeros(matrix.shape[0], dtype=bool)
    scores = cosine_similarity(matrix, profile.reshape(1, -1)).ravel()
    return scores >= threshold


def skill_demand(
    links: pl.DataFrame, vacancies: int, nice_weight: float = NICE_WEIGHT
) -> pl.DataFrame:
    """Per skill: vacancies asking it, of which required, and the weighted demand share.

    >>> links = pl.DataFrame({"vacancy_id": [1, 1, 2, 3], "skill_id": [10, 11, 10, 11],
    ...                       "required": [True, False, True, True]})
    >>> skill_demand(links, 4).rows()
    [(10, 2, 2, 0.5), (11, 2, 1, 0.375)]
    """
    if links.is_empty() or vacancies == 0:
        return pl.DataFrame(
            schema={
                "skill_id": pl.Int64,
                "vacancies": pl.UInt32,
                "required": pl.UInt32,
                "share": pl.Float64,
            }
        )
    per_vacancy = links.group_by("vacancy_id", "skill_id").agg(pl.col("required").any())
    return (
        per_vacancy.group_by("skill_id")
        .agg(
            vacancies=pl.len(),
            required=pl.col("required").sum().cast(pl.UInt32),
            weight=pl.when(pl.col("required")).then(1.0).otherwise(nice_weight).sum(),
        )
        .with_columns(share=pl.col("weight") / vacancies)
        .drop("weight")
        .sort(["share", "skill_id"], descending=[True, False])
    )


@dataclass
class Alignment:
    """The alignment of one programme with one region in one period."""

    relevant_vacancies: int
    coverage: float | None
    covered: pl.DataFrame
    missing: pl.DataFrame
    rarely_asked: pl.DataFrame
    graduates: float | None = None
    vacancies_per_graduate: float | None = None
    previous_relevant_vacancies: int | None = None
    previous_coverage: float | None = None
    notes: list[str] = field(default_factory=list)
    # The relevant vacancies themselves (of the period, not the previous one), so that a list
    # of them need not find them again.
    vacancy_ids: list[int] = field(default_factory=list)


def align(
    demand: pl.DataFrame,
    profile: set[int],
    relevant_vacancies: int,
    rare_share: float = 0.02,
    top: int = 15,
) -> Alignment:
    """Coverage, covered, missing and rarely asked skills from a demand table.

    >>> demand = pl.DataFrame({"skill_id": [1, 2, 3], "vacancies": [8, 4, 2],
    ...                        "required": [8, 4, 2], "share": [0.8, 0.4, 0.2]})
    >>> result = align(demand, {1, 3, 9}, 10)
    >>> round(result.coverage, 4), result.missing["skill_id"].to_list()
    (0.7143, [2])
    >>> result.rarely_asked["skill_id"].to_list()
    [9]
    """
    total = float(demand["share"].sum()) if demand.height else 0.0
    in_profile = pl.col("skill_id").is_in(sorted(profile))
    covered = demand.filter(in_profile)
    coverage = float(covered["share"].sum()) / total if total else None
    asked = dict(zip(demand["skill_id"].to_list(), demand["share"].to_list(), strict=True))
    rare = (
        pl.DataFrame(
            {"skill_id": sorted(profile), "share": [asked.get(s, 0.0) for s in sorted(profile)]},
            schema={"skill_id": pl.Int64, "share": pl.Float64},
        )
        .filter(pl.col("share") < rare_share)
        .sort(["share", "skill_id"])
    )
    return Alignment(
        relevant_vacancies=relevant_vacancies,
        coverage=coverage,
        covered=covered,
        missing=demand.filter(~in_profile).head(top),
        rarely_asked=rare,
    )


# --- Over the store ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeInfo:
    id: int
    code: str
    name: str
    level: str | None
    occupations: tuple[str, ...]
    profile: dict[int, float]  # store skill id → weight


def programme_info(session: Session, code: str) -> ProgrammeInfo | None:
    programme = session.execute(
        select(Programme).where(Programme.code == code)
    ).scalar_one_or_none()
    if programme is None:
        return None
    return ProgrammeInfo(
        programme.id,
        programme.code,
        programme.name,
        programme.level,
        tuple(o.occupation_code for o in programme.occupations),
        {s.skill_id: s.weight for s in programme.skills},
    )


def _heads(gemeenten: Sequence[str], first: dt.date, last: dt.date) -> Any:
    statement = select(Vacancy.id).where(
        Vacancy.is_cluster_head.is_(True),
        Vacancy.posted_month >= first,
        Vacancy.posted_month <= last,
    )
    if gemeenten:
        statement = statement.where(Vacancy.gemeente_code.in_(gemeenten))
    return statement


def relevant_vacancies(
    session: Session,
    programme: ProgrammeInfo,
    gemeenten: Sequence[str],
    first: dt.date,
    last: dt.date,
    similarity_threshold: float = 0.3,
) -> list[int]:
    """Vacancies linked to the programme's occupations, plus those whose skill vector is close
    to its profile (candidates: vacancies asking at least two of the profile's skills)."""
    heads = _heads(gemeenten, first, last).subquery()
    linked = set(
        session.execute(
            select(VacancyOccupation.vacancy_id)
            .join(heads, heads.c.id == VacancyOccupation.vacancy_id)
            .where(VacancyOccupation.occupation_code.in_(programme.occupations or ("",)))
        ).scalars()
    )
    profile_ids = sorted(programme.profile)
    candidates = [
        vacancy_id
        for (vacancy_id,) in session.execute(
            select(VacancySkill.vacancy_id)
            .join(heads, heads.c.id == VacancySkill.vacancy_id)
            .where(VacancySkill.skill_id.in_(profile_ids), VacancySkill.section != "offer")
            .group_by(VacancySkill.vacancy_id)
            .having(func.count(func.distinct(VacancySkill.skill_id)) >= 2)
        )
        if vacancy_id not in linked
    ]
    similar: list[int] = []
    if candidates and profile_ids:
        links = _links(session, candidates)
        skills = sorted(set(links["skill_id"].to_list()) | set(profile_ids))
        matrix = skill_matrix(links, candidates, skills)
        column = {s: j for j, s in enumerate(skills)}
        profile = np.zeros(len(skills))
        for skill_id, weight in programme.profile.items():
            profile[column[skill_id]] = weight
        mask = similar_vacancies(matrix, profile, similarity_threshold)
        similar = [v for v, keep in zip(candidates, mask, strict=True) if keep]
    return sorted(linked) + similar


def _links(session: Session, vacancy_ids: Sequence[int]) -> pl.DataFrame:
    rows: list[tuple[int, int, bool]] = []
    for start in range(0, len(vacancy_ids), 20_000):
        chunk = list(vacancy_ids[start : start + 20_000])
        rows.extend(
            session.execute(
                select(VacancySkill.vacancy_id, VacancySkill.skill_id, VacancySkill.required).where(
                    VacancySkill.vacancy_id.in_(chunk), VacancySkill.section != "offer"
                )
            ).all()
        )
    return pl.DataFrame(
        rows,
        schema={"vacancy_id": pl.Int64, "skill_id": pl.Int64, "required": pl.Boolean},
        orient="row",
    )


def _graduates(
    session: Session,
    code: str,
    gemeenten: Sequence[str],
    last: dt.date,
) -> float | None:
    """Graduates of the programme in the school year ending in the period, in the
    arbeidsmarktregio's the region's gemeenten belong to (supply is kept by
    arbeidsmarktregio)."""
    regions = (
        select(Region.code)
        .join(RegionMember, RegionMember.region_id == Region.id)
        .where(Region.level == "arbeidsmarktregio")
    )
    if gemeenten:
        regions = regions.where(RegionMember.gemeente_code.in_(gemeenten))
    total = session.execute(
        select(func.sum(SupplyFigure.value)).where(
            SupplyFigure.kind == "graduates",
            SupplyFigure.programme_code == code,
            SupplyFigure.region_code.in_(regions.distinct()),
            SupplyFigure.period_end <= last + dt.timedelta(days=31),
            SupplyFigure.period_end > last - dt.timedelta(days=365),
        )
    ).scalar()
    return float(total) if total is not None else None


def _shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def align_programme(
    session: Session,
    code: str,
    gemeenten: Sequence[str],
    last: dt.date,
    months: int = 12,
    top: int = 15,
) -> Alignment | None:
    """The alignment of programme ``code`` with the region of ``gemeenten`` (all: the whole
    country) over the ``months`` up to ``last`` (a first-of-month date), with the trend
    against the ``months`` before and the ids of the period's relevant vacancies
    (``vacancy_ids``, in the order of :func:`relevant_vacancies`)."""
    programme = programme_info(session, code)
    if programme is None:
        return None
    first = _shift(last, -(months - 1))

    def one(first_: dt.date, last_: dt.date) -> tuple[Alignment, list[int]]:
        relevant = relevant_vacancies(session, programme, gemeenten, first_, last_)
        demand = skill_demand(_links(session, relevant), len(relevant))
        return align(demand, set(programme.profile), len(relevant), top=top), relevant

    result, relevant = one(first, last)
    count = len(relevant)
    result.vacancy_ids = relevant
    previous, previous_relevant = one(_shift(first, -months), _shift(last, -months))
    previous_count = len(previous_relevant)
    result.previous_relevant_vacancies = previous_count
    result.previous_coverage = previous.coverage
    result.graduates = _graduates(session, code, gemeenten, last + dt.timedelta(days=27))
    if result.graduates:
        result.vacancies_per_graduate = count / result.graduates
    if count < 10:
        result.notes.append("small_count")
    return result


def skill_labels(session: Session, skill_ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
    """Store skill id → (key, Dutch label, type)."""
    return {
        skill_id: (key, label, kind)
        for skill_id, key, label, kind in session.execute(
            select(Skill.id, Skill.key, Skill.label_nl, Skill.type).where(
                Skill.id.in_(list(skill_ids))
            )
        )
    }
