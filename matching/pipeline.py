"""The matcher run over stored vacancies: skills with their spans, occupations, and the
aggregates the pages read. Ingestion and the demo build call ``process_vacancies`` for the
vacancies they add, so the pages show them without a full rebuild.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import case, delete, func, insert, select
from sqlalchemy.orm import Session

from data.aggregates import rebuild_demand
from data.settings import get_settings
from data.store.models import Skill, SkillDemandMonth, Vacancy, VacancyOccupation, VacancySkill

CHUNK = 20_000
# Parts of a split vacancy (Jobfeed) and the section they are, in the order they are joined.
SPLIT_PARTS = ("job", "employer", "candidate", "conditions", "application")


def extractor_for(reference_dir: str) -> Any:
    """The skill extractor fitted on the reference taxonomy plus users' additions (the setting
    ``skills_user_file``); refitted when that file changes, so a worker picks up new skills
    without a restart."""
    from matching.taxonomy import default_user_path

    user_file = default_user_path(reference_dir)
    stamp = user_file.stat().st_mtime_ns if user_file.exists() else 0
    return _fitted_extractor(reference_dir, str(user_file), stamp)


@lru_cache(maxsize=2)
def _fitted_extractor(reference_dir: str, user_file: str, stamp: int) -> Any:
    from matching.extraction import SkillExtractor
    from matching.taxonomy import load_taxonomy

    taxonomy = load_taxonomy(reference_dir, user_file, validate=False)
    return SkillExtractor().fit(taxonomy)


def _configured(extractor: Any, **params: Any) -> Any:
    """A copy of a fitted extractor with other column parameters, sharing the fitted state
    (fitting 2,000+ skills takes seconds; the columns do not change it)."""
    copy = extractor.__class__(**{**extractor.get_params(), **params})
    copy.__dict__.update(
        {k: v for k, v in extractor.__dict__.items() if k.endswith("_") or k.startswith("_")}
    )
    return copy


def _chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _skill_ids(session: Session, extractor: Any) -> dict[str, int]:
    """Store ids of the extractor's skills; skills the store lacks (user additions) are added."""
    known = dict(session.execute(select(Skill.key, Skill.id)).all())
    missing = extractor.skills_.filter(~pl.col("skill_id").is_in(list(known)))
    if missing.height:
        session.execute(
            insert(Skill),
            [
                {
                    "key": r["skill_id"],
                    "label_nl": r["label"],
                    "type": r["type"],
                    "is_user_defined": True,
                }
                for r in missing.iter_rows(named=True)
            ],
        )
        known = dict(session.execute(select(Skill.key, Skill.id)).all())
    return known


def _texts(rows: list[Any]) -> pl.DataFrame:
    """One row per text to scan: whole texts, or for split vacancies each part with its
    section forced and its offset into the stored text."""
    out: dict[str, list[Any]] = {"vacancy_id": [], "text": [], "forced": [], "offset": []}
    for vacancy_id, text, sections in rows:
        text = text or ""
        given = sections or {}
        parts: list[tuple[str, str]] = [
            (name, str(given[name])) for name in SPLIT_PARTS if given.get(name)
        ]
        if parts and any(name in ("candidate", "conditions") for name, _ in parts):
            cursor = 0
            placed: list[tuple[str, str, int]] = []
            for name, part in parts:
                position = text.find(part, cursor)
                if position < 0:
                    placed = []
                    break
                placed.append((name, part, position))
                cursor = position + len(part)
            if placed:
                forced = {"candidate": "requirement", "conditions": "offer"}
                for name, part, position in placed:
                    out["vacancy_id"].append(vacancy_id)
                    out["text"].append(part)
                    out["forced"].append(forced.get(name, "other" if name != "job" else None))
                    out["offset"].append(position)
                continue
        out["vacancy_id"].append(vacancy_id)
        out["text"].append(text)
        out["forced"].append(None)
        out["offset"].append(0)
    return pl.DataFrame(
        out,
        schema={"vacancy_id": pl.Int64, "text": pl.String, "forced": pl.String, "offset": pl.Int64},
    )


def extract_skills(session: Session, vacancy_ids: Sequence[int], reference_dir: str) -> int:
    """(Re)write the skills of ``vacancy_ids`` with their spans; returns the number of links."""
    extractor = _configured(extractor_for(reference_dir), id_column=None, section_column="forced")
    skill_ids = _skill_ids(session, extractor)
    written = 0
    for chunk in _chunks(vacancy_ids):
        rows = session.execute(
            select(Vacancy.id, Vacancy.text, Vacancy.sections).where(Vacancy.id.in_(chunk))
        ).all()
        texts = _texts([tuple(r) for r in rows])
        found = extractor.transform(texts.select("text", "forced"))
        session.execute(delete(VacancySkill).where(VacancySkill.vacancy_id.in_(chunk)))
        if found.height == 0:
            continue
        links = _links(found, texts, skill_ids).to_dicts()
        session.execute(insert(VacancySkill), links)
        written += len(links)
    return written


def _links(found: pl.DataFrame, texts: pl.DataFrame, skill_ids: dict[str, int]) -> pl.DataFrame:
    """Rows for ``vacancy_skills``: each match joined to the text it was found in (its ``row``)
    for the vacancy and the part's offset into the stored text, so that a span of a split part
    points into the whole stored text. Column operations only: no loop over matches."""
    parts = texts.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("row"), "vacancy_id", "offset"
    )
    return (
        found.with_columns(pl.col("row").cast(pl.Int64))
        .join(parts, on="row", how="left", maintain_order="left")
        .select(
            "vacancy_id",
            pl.col("skill_id").replace_strict(skill_ids, return_dtype=pl.Int64),
            (pl.col("start") + pl.col("offset")).alias("start"),
            (pl.col("end") + pl.col("offset")).alias("end"),
            pl.col("text").str.slice(0, 300).alias("surface"),
            "section",
            "required",
        )
    )


def classify_occupations(
    session: Session, vacancy_ids: Sequence[int], cache_dir: str, reference_dir: str
) -> int:
    """Classify the titles of vacancies that have no occupation yet; returns how many got one.
    An "onbekend" answer leaves the vacancy without occupation (it counts under "onbekend")."""
    from matching.occupations import OccupationLookup, classify, default_model, models_dir

    model = default_model(str(models_dir(cache_dir)))
    lookup = OccupationLookup(Path(reference_dir))
    written = 0
    for chunk in _chunks(vacancy_ids):
        rows = session.execute(
            select(Vacancy.id, Vacancy.title)
            .outerjoin(VacancyOccupation, VacancyOccupation.vacancy_id == Vacancy.id)
            .where(Vacancy.id.in_(chunk), VacancyOccupation.vacancy_id.is_(None))
        ).all()
        if not rows:
            continue
        results = classify(model, lookup, [title for _, title in rows])
        links = [
            {
                "vacancy_id": vacancy_id,
                "occupation_code": result.code,
                "score": result.score,
                "method": "classifier",
            }
            for (vacancy_id, _), result in zip(rows, results, strict=True)
            if result.code
        ]
        if links:
            session.execute(insert(VacancyOccupation), links)
        written += len(links)
    return written


def rebuild_skill_demand(session: Session, months: Sequence[dt.date] | None = None) -> int:
    """Recount ``skill_demand_month`` for ``months`` (all when None) from the stored links:
    deduplicated vacancies (cluster heads) per month × gemeente × beroepsgroep × skill that ask
    for the skill (offered skills do not count), and of those, how many require it."""
    month_list = sorted(set(months)) if months is not None else None
    remove = delete(SkillDemandMonth)
    if month_list is not None:
        remove = remove.where(SkillDemandMonth.month.in_(month_list))
    session.execute(remove)
    per_vacancy = (
        select(
            VacancySkill.vacancy_id.label("vacancy_id"),
            VacancySkill.skill_id.label("skill_id"),
            func.max(case((VacancySkill.required.is_(True), 1), else_=0)).label("required"),
        )
        .where(VacancySkill.section != "offer")
        .group_by(VacancySkill.vacancy_id, VacancySkill.skill_id)
        .subquery()
    )
    counted = (
        select(
            Vacancy.posted_month,
            Vacancy.gemeente_code,
            VacancyOccupation.occupation_code,
            per_vacancy.c.skill_id,
            func.count(),
            func.sum(per_vacancy.c.required),
            Vacancy.is_demo,
        )
        .select_from(per_vacancy)
        .join(Vacancy, Vacancy.id == per_vacancy.c.vacancy_id)
        .outerjoin(VacancyOccupation, VacancyOccupation.vacancy_id == Vacancy.id)
        .where(Vacancy.is_cluster_head.is_(True))
        .group_by(
            Vacancy.posted_month,
            Vacancy.gemeente_code,
            VacancyOccupation.occupation_code,
            per_vacancy.c.skill_id,
            Vacancy.is_demo,
        )
    )
    if month_list is not None:
        counted = counted.where(Vacancy.posted_month.in_(month_list))
    result = session.execute(
        insert(SkillDemandMonth).from_select(
            [
                "month",
                "gemeente_code",
                "occupation_code",
                "skill_id",
                "vacancies",
                "required",
                "is_demo",
            ],
            counted,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def process_vacancies(
    session: Session, vacancy_ids: list[int], classify_titles: bool = True
) -> None:
    """Run the matcher over new vacancies and update the aggregates of the months they are in.

    Runs inside the caller's transaction, so a batch and its matcher results commit together.
    """
    if not vacancy_ids:
        return
    settings = get_settings()
    reference_dir = settings.reference_dir
    extract_skills(session, vacancy_ids, reference_dir)
    if classify_titles:
        classify_occupations(session, vacancy_ids, settings.cache_dir, reference_dir)
    else:
        # The demo build brings its own occupations; the next ingest will classify titles, so
        # the model is trained now (once; a cached model is only looked for) rather than then.
        from matching.occupations import prepare_model

        prepare_model(settings.cache_dir)
    months = (
        {
            month
            for (month,) in session.execute(
                select(Vacancy.posted_month).where(Vacancy.id.in_(vacancy_ids)).distinct()
            )
        }
        if len(vacancy_ids) <= CHUNK
        else None
    )
    rebuild_demand(session, months)
    rebuild_skill_demand(session, sorted(months) if months is not None else None)
