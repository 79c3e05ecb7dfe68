"""Vacancy matching for a person: rank the open vacancies of a region by how well they fit a
skill profile (a list of skills, or a CV or qualification text run through the extractor).

Similarity is the cosine of the weighted skill vectors (a required skill weighs 1, a
nice-to-have 0.5, each skill also weighted by its inverse document frequency among the open
vacancies that share a skill with the profile); each result lists the required skills the
profile lacks. Nothing a person enters is stored or logged: the profile lives only in this
function call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.metrics.pairwise import cosine_similarity
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from data.store.models import Skill, Vacancy, VacancySkill
from matching.alignment import NICE_WEIGHT, _links, skill_matrix

OPEN_DAYS = 60


@dataclass(frozen=True)
class VacancyMatch:
    vacancy_id: int
    title: str
    employer: str | None
    gemeente_code: str | None
    posted_at: dt.date
    score: float
    matched: tuple[str, ...]
    missing: tuple[str, ...]


def profile_from_text(extractor: object, text: str) -> list[str]:
    """Skill keys found in a free text (CV, qualification text, or "Excel, VCA, Engels")."""
    found = extractor.extract(text)  # type: ignore[attr-defined]
    return sorted({match.skill_id for match in found})


def _open_conditions(newest: dt.date, gemeenten: Sequence[str]) -> list[Any]:
    conditions = [
        Vacancy.is_cluster_head.is_(True),
        Vacancy.posted_at > newest - dt.timedelta(days=OPEN_DAYS),
        or_(Vacancy.closing_at.is_(None), Vacancy.closing_at >= newest),
    ]
    if gemeenten:
        conditions.append(Vacancy.gemeente_code.in_(gemeenten))
    return conditions


def _newest(session: Session, today: dt.date | None) -> dt.date | None:
    return today or session.execute(select(func.max(Vacancy.posted_at))).scalar()


def open_vacancies(
    session: Session,
    gemeenten: Sequence[str],
    today: dt.date | None = None,
) -> list[int]:
    """Deduplicated vacancies posted in the last ``OPEN_DAYS`` days up to the newest posting
    (or ``today``) whose closing date, if any, has not passed."""
    newest = _newest(session, today)
    if newest is None:
        return []
    statement = select(Vacancy.id).where(*_open_conditions(newest, gemeenten))
    return list(session.execute(statement).scalars())


LINKS_PER_VACANCY = 10  # about what a demo vacancy holds (9.3 skills per text, bench/extract)


def _touching(
    session: Session, wanted: Sequence[int], candidates: Sequence[int]
) -> tuple[list[int], pl.DataFrame]:
    """The candidates that ask at least one ``wanted`` skill outside their offer section (the
    only ones a profile of those skills can fit), with their skills.

    Two ways there, whichever reads fewer rows: from the skills (every vacancy that ever asked
    them, kept if it is a candidate: right for rare skills such as Photoshop, even nationally),
    or from the candidates (all their skills, about :data:`LINKS_PER_VACANCY` each: right for
    common skills such as Nederlands in one gemeente). Counting the mentions stops at the
    point where the second way is cheaper.
    """
    cap = LINKS_PER_VACANCY * len(candidates)
    mentions = session.execute(
        select(func.count()).select_from(
            select(VacancySkill.id)
            .where(VacancySkill.skill_id.in_(wanted))
            .limit(cap + 1)
            .subquery()
        )
    ).scalar_one()
    if mentions <= cap:
        open_ids = set(candidates)
        asking = select(VacancySkill.vacancy_id).where(
            VacancySkill.skill_id.in_(wanted), VacancySkill.section != "offer"
        )
        ids = sorted({v for v in session.execute(asking).scalars() if v in open_ids})
        return ids, _links(session, ids)
    links = _links(session, candidates)
    touching = links.filter(pl.col("skill_id").is_in(sorted(wanted)))["vacancy_id"].unique()
    ids = sorted(touching.to_list())
    return ids, links.filter(pl.col("vacancy_id").is_in(ids))


def match_profile(
    session: Session,
    skill_keys: Sequence[str],
    gemeenten: Sequence[str],
    top: int = 20,
    today: dt.date | None = None,
) -> list[VacancyMatch]:
    """The ``top`` open vacancies of the region that fit the profile best."""
    keys = dict(
        session.execute(select(Skill.key, Skill.id).where(Skill.key.in_(list(skill_keys)))).all()
    )
    if not keys:
        return []
    candidates = open_vacancies(session, gemeenten, today)
    if not candidates:
        return []
    wanted = set(keys.values())
    ids, links = _touching(session, sorted(wanted), candidates)
    if not ids:
        return []
    skills = sorted(set(links["skill_id"].to_list()) | wanted)
    matrix = skill_matrix(links, ids, skills, NICE_WEIGHT)
    profile = np.array([1.0 if s in wanted else 0.0 for s in skills]).reshape(1, -1)
    # Skills that almost every vacancy asks ("Nederlands") say little about fit: weigh each
    # skill by its inverse document frequency among these vacancies (the region's open ones
    # that share a skill with the profile).
    idf = TfidfTransformer(norm=None, smooth_idf=True).fit(matrix)
    scores = cosine_similarity(idf.transform(matrix), idf.transform(profile)).ravel()
    order = np.argsort(-scores, kind="stable")[:top]
    chosen = [ids[i] for i in order]
    labels = dict(
        session.execute(select(Skill.id, Skill.label_nl).where(Skill.id.in_(skills))).all()
    )
    info = {
        row.id: row
        for row in session.execute(
            select(
                Vacancy.id,
                Vacancy.title,
                Vacancy.employer,
                Vacancy.gemeente_code,
                Vacancy.posted_at,
            ).where(Vacancy.id.in_(chosen))
        )
    }
    per_vacancy = (
        links.filter(pl.col("vacancy_id").is_in(chosen))
        .group_by("vacancy_id")
        .agg(
            pl.col("skill_id").filter(pl.col("required")).unique().alias("required"),
            pl.col("skill_id").unique().alias("asked"),
        )
    )
    asked = {r["vacancy_id"]: r for r in per_vacancy.iter_rows(named=True)}
    results = []
    for index in order:
        vacancy_id = ids[index]
        row = info[vacancy_id]
        required = set(asked[vacancy_id]["required"])
        all_asked = set(asked[vacancy_id]["asked"])
        results.append(
            VacancyMatch(
                vacancy_id,
                row.title,
                row.employer,
                row.gemeente_code,
                row.posted_at,
                round(float(scores[index]), 4),
                tuple(sorted(labels[s] for s in all_asked & wanted)),
                tuple(sorted(labels[s] for s in required - wanted)),
            )
        )
    return results
