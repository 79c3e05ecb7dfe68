"""Queries of the programme page (``/opleidingen``): the programmes, a programme's skill profile,
its alignment with a region (``matching.alignment``) and the relevant vacancies behind it.

The alignment itself is computed by the matcher; this module only wraps it in cached frames:
``opl_alignment`` returns one frame with a ``kind`` column (``summary`` for the single row of
key figures, ``covered``, ``missing`` and ``rare`` for the skills), which ``alignment()`` turns
into a :class:`ProgrammeAlignment` for the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl
from flask import g, has_request_context
from sqlalchemy import func, select

from dashboard.api import api_view
from dashboard.queries import RegionRef, data_version, query, run, settings
from dashboard.queries import frame as _frame
from dashboard.queries import region as _region
from dashboard.queries.home import shift_months
from data.store.models import DemandMonth, Programme, ProgrammeSkill, Region, Skill, Vacancy

MONTHS = 12
SKILL_TOP = 60  # missing skills kept (the chart shows fewer; the export shows these)
VACANCY_LIMIT = 5_000  # relevant vacancies in the export (newest first)

ALIGNMENT_SCHEMA: dict[str, type[pl.DataType] | pl.DataType] = {
    "kind": pl.String,
    "skill_id": pl.Int64,
    "key": pl.String,
    "label": pl.String,
    "type": pl.String,
    "share": pl.Float64,
    "vacancies": pl.Int64,
    "relevant_vacancies": pl.Int64,
    "coverage": pl.Float64,
    "previous_relevant_vacancies": pl.Int64,
    "previous_coverage": pl.Float64,
    "graduates": pl.Float64,
    "vacancies_per_graduate": pl.Float64,
    # summary row only: the relevant vacancies themselves, which the vacancy list reuses
    "vacancy_ids": pl.List(pl.Int64),
}


# --- Cached queries ---------------------------------------------------------------------------


@query("opl_programmes")
def _programmes(url: str) -> pl.DataFrame:
    skills = (
        select(ProgrammeSkill.programme_id, func.count().label("skills"))
        .group_by(ProgrammeSkill.programme_id)
        .subquery()
    )
    statement = (
        select(
            Programme.code.label("code"),
            Programme.code_type.label("code_type"),
            Programme.name.label("name"),
            Programme.level.label("level"),
            Programme.domain.label("domain"),
            Programme.dossier_name.label("dossier_name"),
            func.coalesce(skills.c.skills, 0).label("skills"),
        )
        .outerjoin(skills, skills.c.programme_id == Programme.id)
        .order_by(Programme.name, Programme.level, Programme.code)
    )
    return _frame(statement, url).with_columns(
        pl.col("code").cast(pl.String), pl.col("skills").cast(pl.Int64)
    )


@query("opl_profile")
def _profile(url: str, code: str) -> pl.DataFrame:
    statement = (
        select(
            Skill.id.label("skill_id"),
            Skill.key.label("key"),
            Skill.label_nl.label("label"),
            Skill.label_en.label("label_en"),
            Skill.type.label("type"),
            ProgrammeSkill.weight.label("weight"),
            ProgrammeSkill.source.label("kerntaak"),
        )
        .join(ProgrammeSkill, ProgrammeSkill.skill_id == Skill.id)
        .join(Programme, Programme.id == ProgrammeSkill.programme_id)
        .where(Programme.code == code)
        .order_by(ProgrammeSkill.source, ProgrammeSkill.weight.desc(), Skill.label_nl)
    )
    return _frame(statement, url).with_columns(
        pl.col("skill_id").cast(pl.Int64), pl.col("weight").cast(pl.Float64)
    )


@query("opl_last_month")
def _last_month(url: str) -> pl.DataFrame:
    return _frame(select(func.max(DemandMonth.month).label("month")), url)


@query("opl_alignment")
def _alignment(url: str, code: str, gemeenten: tuple[str, ...], last: dt.date) -> pl.DataFrame:
    from data.store import session_scope
    from matching.alignment import align_programme, skill_labels

    with session_scope(url) as session:
        result = align_programme(session, code, gemeenten, last, MONTHS, top=SKILL_TOP)
        if result is None:
            return pl.DataFrame(schema=ALIGNMENT_SCHEMA)
        parts = {"covered": result.covered, "missing": result.missing, "rare": result.rarely_asked}
        ids = [s for part in parts.values() for s in part["skill_id"].to_list()]
        labels = skill_labels(session, ids)
    rows: list[dict[str, object]] = [
        {
            "kind": "summary",
            "relevant_vacancies": result.relevant_vacancies,
            "coverage": result.coverage,
            "previous_relevant_vacancies": result.previous_relevant_vacancies,
            "previous_coverage": result.previous_coverage,
            "graduates": result.graduates,
            "vacancies_per_graduate": result.vacancies_per_graduate,
            "vacancy_ids": result.vacancy_ids,
        }
    ]
    for kind, part in parts.items():
        for row in part.iter_rows(named=True):
            key, label, kind_of_skill = labels.get(row["skill_id"], ("", "", ""))
            vacancies = row.get("vacancies")
            rows.append(
                {
                    "kind": kind,
                    "skill_id": row["skill_id"],
                    "key": key,
                    "label": label,
                    "type": kind_of_skill,
                    "share": row["share"],
                    "vacancies": int(vacancies) if vacancies is not None else 0,
                }
            )
    return pl.DataFrame(rows, schema=ALIGNMENT_SCHEMA)


def _alignment_frame(
    url: str, code: str, gemeenten: tuple[str, ...], last: dt.date
) -> pl.DataFrame:
    """The ``opl_alignment`` frame through the shared cache, kept for the rest of the request.

    The page and the export read the alignment first and the vacancy list (``opl_vacancies``)
    then takes its relevant vacancy ids; without the request's copy, a store without a cache
    (``NullCache``) would compute the alignment a second time for the list.
    """
    import dashboard.queries as shared  # at call time: the page benchmark wraps _cached_frame

    version = data_version(url)
    key = (url, version, code, gemeenten, last)
    memo: dict[tuple[Any, ...], pl.DataFrame] | None = None
    if has_request_context():
        memo = g.setdefault("regiokompas_alignments", {})
        if key in memo:
            return memo[key]
    found = shared._cached_frame("opl_alignment", url, version, code, gemeenten, last)
    if found.columns != list(ALIGNMENT_SCHEMA):
        # Cached by a version of the app that kept no vacancy ids (the cache outlives a
        # deployment until its timeout): compute it again rather than fail.
        found = _alignment(url, code, gemeenten, last)
    if memo is not None:
        memo[key] = found
    return found


@query("opl_vacancies")
def _vacancies(url: str, code: str, gemeenten: tuple[str, ...], last: dt.date) -> pl.DataFrame:
    from data.store import session_scope

    schema = {
        "id": pl.Int64,
        "posted_at": pl.Date,
        "title": pl.String,
        "employer": pl.String,
        "gemeente_code": pl.String,
        "gemeente": pl.String,
    }
    summary = _alignment_frame(url, code, gemeenten, last).filter(pl.col("kind") == "summary")
    if summary.is_empty():  # no such programme
        return pl.DataFrame(schema=schema)
    ids: list[int] = summary["vacancy_ids"][0].to_list()
    with session_scope(url) as session:
        rows: list[Any] = []
        gemeente = select(Region.code, Region.name).where(Region.level == "gemeente").subquery()
        for start in range(0, len(ids), 20_000):
            chunk = ids[start : start + 20_000]
            rows.extend(
                session.execute(
                    select(
                        Vacancy.id,
                        Vacancy.posted_at,
                        Vacancy.title,
                        Vacancy.employer,
                        Vacancy.gemeente_code,
                        gemeente.c.name,
                    )
                    .outerjoin(gemeente, gemeente.c.code == Vacancy.gemeente_code)
                    .where(Vacancy.id.in_(chunk))
                ).all()
            )
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    # One row per vacancy even when a gemeente code has names for several years.
    return frame.unique("id", keep="first").sort(["posted_at", "id"], descending=[True, True])


# --- For the page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeRef:
    code: str
    name: str
    level: str | None
    domain: str | None
    dossier_name: str | None
    skills: int


@dataclass(frozen=True)
class ProgrammeAlignment:
    """Everything the page shows about one programme in one region."""

    programme: ProgrammeRef
    region: RegionRef
    first: dt.date
    last: dt.date
    relevant_vacancies: int
    coverage: float | None
    previous_relevant_vacancies: int | None
    previous_coverage: float | None
    graduates: float | None
    vacancies_per_graduate: float | None
    covered: pl.DataFrame
    missing: pl.DataFrame
    rare: pl.DataFrame
    profile: pl.DataFrame

    @property
    def previous_first(self) -> dt.date:
        return shift_months(self.first, -MONTHS)

    @property
    def previous_last(self) -> dt.date:
        return shift_months(self.last, -MONTHS)

    @property
    def small(self) -> bool:
        return self.relevant_vacancies < settings().small_count_threshold


def programmes() -> pl.DataFrame:
    return run("opl_programmes")


def programme(code: str | None) -> ProgrammeRef | None:
    if not code:
        return None
    rows = programmes().filter(pl.col("code") == code.strip())
    if rows.is_empty():
        return None
    row = rows.row(0, named=True)
    return ProgrammeRef(
        row["code"],
        row["name"],
        row["level"],
        row["domain"],
        row["dossier_name"],
        int(row["skills"]),
    )


def last_month() -> dt.date | None:
    value = run("opl_last_month")["month"][0]
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    assert isinstance(value, dt.date)
    return value


def profile(code: str) -> pl.DataFrame:
    return run("opl_profile", code)


def alignment(chosen: ProgrammeRef, region: RegionRef) -> ProgrammeAlignment | None:
    """The alignment of ``chosen`` with ``region`` over the twelve months up to the newest
    month with data, or None when the store holds no vacancies."""
    last = last_month()
    if last is None:
        return None
    frame = _alignment_frame(settings().database_url, chosen.code, region.gemeenten, last)
    summary = frame.filter(pl.col("kind") == "summary")
    values = summary.row(0, named=True) if summary.height else {}
    skills = frame.filter(pl.col("kind") != "summary").select(
        "kind", "skill_id", "key", "label", "type", "share", "vacancies"
    )
    return ProgrammeAlignment(
        programme=chosen,
        region=region,
        first=shift_months(last, -(MONTHS - 1)),
        last=last,
        relevant_vacancies=int(values.get("relevant_vacancies") or 0),
        coverage=values.get("coverage"),
        previous_relevant_vacancies=values.get("previous_relevant_vacancies"),
        previous_coverage=values.get("previous_coverage"),
        graduates=values.get("graduates"),
        vacancies_per_graduate=values.get("vacancies_per_graduate"),
        covered=skills.filter(pl.col("kind") == "covered").drop("kind"),
        missing=skills.filter(pl.col("kind") == "missing").drop("kind"),
        rare=skills.filter(pl.col("kind") == "rare").drop("kind"),
        profile=profile(chosen.code),
    )


def vacancies(chosen: ProgrammeRef, region: RegionRef) -> pl.DataFrame:
    """The relevant vacancies of the period, newest first."""
    last = last_month()
    if last is None:
        return pl.DataFrame(
            schema={"id": pl.Int64, "posted_at": pl.Date, "title": pl.String, "employer": pl.String}
        )
    return run("opl_vacancies", chosen.code, region.gemeenten, last)


def skill_table(result: ProgrammeAlignment) -> pl.DataFrame:
    """One row per skill (asked by relevant vacancies or in the profile) with its demand share
    and whether the profile covers it: the rows of the ``opleiding`` export."""
    asked = pl.concat(
        [
            result.covered.with_columns(status=pl.lit("gedekt")),
            result.missing.with_columns(status=pl.lit("ontbreekt")),
        ]
    )
    profile_rows = result.profile.select(
        "skill_id",
        profile_key="key",
        profile_label="label",
        profile_type="type",
        weight="weight",
        kerntaak="kerntaak",
    )
    table = asked.join(profile_rows, on="skill_id", how="full", coalesce=True)
    return (
        table.with_columns(
            key=pl.coalesce("key", "profile_key"),
            label=pl.coalesce("label", "profile_label"),
            type=pl.coalesce("type", "profile_type"),
            share=pl.col("share").fill_null(0.0),
            vacancies=pl.col("vacancies").fill_null(0),
            in_profile=pl.col("weight").is_not_null(),
            status=pl.col("status").fill_null("niet gevraagd"),
        )
        .with_columns(
            rarely_asked=pl.col("in_profile")
            & pl.col("skill_id").is_in(result.rare["skill_id"].to_list()),
        )
        .sort(["share", "label"], descending=[True, False])
        .select(
            "key",
            "label",
            "type",
            "share",
            "vacancies",
            "status",
            "in_profile",
            "rarely_asked",
            "weight",
            "kerntaak",
        )
    )


# --- API --------------------------------------------------------------------------------------


def _api_args(args: Mapping[str, str]) -> tuple[ProgrammeRef, RegionRef]:
    code = args.get("opleiding") or ""
    chosen = programme(code)
    if chosen is None:
        raise ValueError(f"onbekende opleiding: {code!r} (geef ?opleiding=<crebo>)")
    regio = args.get("regio") or "NL"
    found = _region(regio)
    if found.code != regio:
        raise ValueError(f"onbekende regio: {regio!r}")
    return chosen, found


@api_view(
    "opleiding",
    "Aansluiting van een opleiding (crebo) op de regionale vraag: per skill het aandeel van de "
    "relevante vacatures in de laatste 12 maanden dat erom vraagt, en of het profiel van de "
    "opleiding de skill dekt (de tabellen van /opleidingen).",
    {
        "opleiding": "crebo van de opleiding (verplicht)",
        "regio": "regiocode (GM…, AM…, PV…, CR…, eigen regio) of NL (standaard)",
    },
)
def alignment_table(args: Mapping[str, str]) -> pl.DataFrame:
    chosen, found = _api_args(args)
    result = alignment(chosen, found)
    if result is None:
        return pl.DataFrame()
    config = settings()
    table = skill_table(result)
    if config.suppress_small_counts:
        small = pl.col("vacancies") < config.small_count_threshold
        table = table.with_columns(
            share=pl.when(small).then(None).otherwise(pl.col("share")),
            vacancies=pl.when(small).then(None).otherwise(pl.col("vacancies")),
        )
    return table.select(
        pl.lit(chosen.code).alias("opleiding"),
        pl.lit(found.code).alias("regio"),
        pl.lit(result.first.isoformat()).alias("van"),
        pl.lit(result.last.isoformat()).alias("tot_en_met"),
        pl.lit(result.relevant_vacancies).alias("relevante_vacatures"),
        pl.col("key").alias("skill"),
        pl.col("label").alias("skill_naam"),
        pl.col("type").alias("skill_type"),
        pl.col("share").round(4).alias("aandeel_vraag"),
        pl.col("vacancies").alias("vacatures_met_skill"),
        pl.col("status"),
        pl.col("in_profile").alias("in_profiel"),
        pl.col("rarely_asked").alias("zelden_gevraagd"),
        pl.col("weight").alias("gewicht_profiel"),
        pl.col("kerntaak"),
    )


@api_view(
    "opleiding_vacatures",
    "De relevante vacatures van een opleiding in een regio in de laatste 12 maanden (nieuwste "
    f"eerst, hoogstens {VACANCY_LIMIT}): de basis van de aansluitingsscore op /opleidingen.",
    {
        "opleiding": "crebo van de opleiding (verplicht)",
        "regio": "regiocode (GM…, AM…, PV…, CR…, eigen regio) of NL (standaard)",
    },
)
def vacancy_table(args: Mapping[str, str]) -> pl.DataFrame:
    chosen, found = _api_args(args)
    rows = vacancies(chosen, found).head(VACANCY_LIMIT)
    return rows.select(
        pl.col("id").alias("vacature_id"),
        pl.col("posted_at").alias("datum"),
        pl.col("title").alias("titel"),
        pl.col("employer").alias("werkgever"),
        pl.col("gemeente_code"),
        pl.col("gemeente"),
    )
