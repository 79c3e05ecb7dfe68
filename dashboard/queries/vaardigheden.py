"""Queries of the skill explorer (/vaardigheden): how often vacancies in a region ask a skill,
where, by which occupations and employers, which programmes teach it and which skills are asked
with it; and the small lookups of the matching page (/matchen).

Definitions (shown on the page):

- **share**: deduplicated vacancies in the period that ask the skill (``skill_demand_month``,
  offers excluded) divided by all deduplicated vacancies in the period (``demand_month``);
- **lift**: the region's share divided by the national share (1 = as often as nationally);
- **asked together**: among the deduplicated vacancies that ask the skill (cluster heads, not in
  the offer section), the share that also ask another skill; its lift is that share divided by
  the other skill's share among all the region's vacancies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import Text, cast, distinct, func, select

from dashboard.api import api_view
from dashboard.queries import RegionRef, query, run, settings
from dashboard.queries import frame as _frame
from dashboard.queries import region as _region
from dashboard.queries.counts import Aggregate, counted, summed
from dashboard.queries.home import Period, latest_period
from data.store.models import (
    DemandMonth,
    OccupationClass,
    Programme,
    ProgrammeSkill,
    Region,
    RegionMember,
    Skill,
    SkillDemandMonth,
    Vacancy,
    VacancySkill,
)

# The suggestions of the empty state: one from each kind of skill the users asked about.
SUGGESTIONS = ("photoshop", "vca", "haccp", "python", "heftruck")
TREND_MONTHS = 24


# --- Registered queries -----------------------------------------------------------------------


@query("vaardigheden_skills")
def _skills(url: str) -> pl.DataFrame:
    """Every skill; ``aliases`` as one searchable string ("a | b | c")."""
    # The aliases are read as JSON text and joined by Polars: decoding the JSON column row by
    # row in the driver took most of this query's time (2,400 skills).
    statement = select(
        Skill.id.label("id"),
        Skill.key.label("key"),
        Skill.label_nl.label("label_nl"),
        Skill.label_en.label("label_en"),
        Skill.type.label("type"),
        cast(Skill.aliases, Text).label("aliases"),
    ).order_by(Skill.label_nl)
    text = pl.col("aliases").cast(pl.String).str.strip_chars()
    listed = text.str.starts_with("[")
    quoted = text.str.starts_with('"')
    return _frame(statement, url).with_columns(
        aliases=pl.when(listed)
        .then(pl.when(listed).then(text).str.json_decode(pl.List(pl.String)).list.join(" | "))
        .when(quoted)
        .then(pl.when(quoted).then(text).str.json_decode(pl.String))
        .otherwise(pl.lit(""))
        .fill_null("")
    )


@query("vaardigheden_gemeenten")
def _gemeenten(url: str) -> pl.DataFrame:
    """Every gemeente (newest classification year) with its arbeidsmarktregio."""
    newest = select(func.max(Region.year)).where(Region.level == "gemeente").scalar_subquery()
    am_newest = (
        select(func.max(Region.year)).where(Region.level == "arbeidsmarktregio").scalar_subquery()
    )
    gemeenten = _frame(
        select(Region.code.label("code"), Region.name.label("name")).where(
            Region.level == "gemeente", Region.year == newest
        ),
        url,
    )
    members = _frame(
        select(
            Region.code.label("am_code"),
            Region.name.label("am_name"),
            RegionMember.gemeente_code.label("code"),
        )
        .join(RegionMember, RegionMember.region_id == Region.id)
        .where(Region.level == "arbeidsmarktregio", Region.year == am_newest),
        url,
    )
    return gemeenten.join(members, on="code", how="left").sort("code")


@query("vaardigheid_skill_by_gemeente")
def _skill_by_gemeente(url: str, skill_id: int, first: dt.date, last: dt.date) -> pl.DataFrame:
    by = {"code": SkillDemandMonth.gemeente_code}
    sums = {"skill": SkillDemandMonth.vacancies, "required": SkillDemandMonth.required}
    statement = summed(SkillDemandMonth, by, sums, first=first, last=last, skill_id=skill_id)
    return counted(statement, url, ("skill", "required"), strings=("code",))


@query("vaardigheid_demand_by_gemeente")
def _demand_by_gemeente(url: str, first: dt.date, last: dt.date) -> pl.DataFrame:
    by = {"code": DemandMonth.gemeente_code}
    statement = summed(DemandMonth, by, {"total": DemandMonth.vacancies}, first=first, last=last)
    return counted(statement, url, ("total",), strings=("code",))


@query("vaardigheid_skill_monthly")
def _skill_monthly(
    url: str, skill_id: int, first: dt.date, last: dt.date, gemeenten: tuple[str, ...] = ()
) -> pl.DataFrame:
    by = {"month": SkillDemandMonth.month}
    sums = {"skill": SkillDemandMonth.vacancies}
    statement = summed(
        SkillDemandMonth, by, sums, first=first, last=last, gemeenten=gemeenten, skill_id=skill_id
    )
    return counted(statement, url, ("skill",), dates=("month",))


@query("vaardigheid_occupations")
def _occupations(
    url: str, skill_id: int | None, first: dt.date, last: dt.date, gemeenten: tuple[str, ...]
) -> pl.DataFrame:
    """Vacancies per beroepsgroep: asking the skill (``skill_id``) or all (None)."""
    table: Aggregate = DemandMonth if skill_id is None else SkillDemandMonth
    statement = summed(
        table,
        {"code": table.occupation_code},
        {"vacancies": table.vacancies},
        first=first,
        last=last,
        gemeenten=gemeenten,
        skill_id=skill_id,
    )
    return counted(statement, url, ("vacancies",), strings=("code",))


@query("vaardigheid_occupation_names")
def _occupation_names(url: str) -> pl.DataFrame:
    return _frame(
        select(
            OccupationClass.code.label("code"),
            OccupationClass.name.label("name"),
            OccupationClass.name_en.label("name_en"),
        ),
        url,
    )


def _asking(skill_id: int, first: dt.date, last: dt.date, gemeenten: tuple[str, ...]) -> Any:
    """The deduplicated vacancies of the period and region that ask ``skill_id`` (not offered)."""
    statement = (
        select(VacancySkill.vacancy_id)
        .join(Vacancy, Vacancy.id == VacancySkill.vacancy_id)
        .where(
            VacancySkill.skill_id == skill_id,
            VacancySkill.section != "offer",
            Vacancy.is_cluster_head.is_(True),
            Vacancy.posted_month >= first,
            Vacancy.posted_month <= last,
        )
    )
    if gemeenten:
        statement = statement.where(Vacancy.gemeente_code.in_(gemeenten))
    return statement


@query("vaardigheid_employers")
def _employers(
    url: str, skill_id: int, first: dt.date, last: dt.date, gemeenten: tuple[str, ...], top: int
) -> pl.DataFrame:
    asking = _asking(skill_id, first, last, gemeenten).subquery()
    statement = (
        select(
            func.coalesce(Vacancy.employer_norm, Vacancy.employer).label("key"),
            func.min(Vacancy.employer).label("employer"),
            func.count(distinct(Vacancy.id)).label("vacancies"),
        )
        .where(Vacancy.id.in_(select(asking.c.vacancy_id)), Vacancy.employer.is_not(None))
        .group_by(func.coalesce(Vacancy.employer_norm, Vacancy.employer))
        .order_by(func.count(distinct(Vacancy.id)).desc(), func.min(Vacancy.employer))
        .limit(top)
    )
    return (
        _frame(statement, url)
        .with_columns(pl.col("employer").cast(pl.String), pl.col("vacancies").cast(pl.Int64))
        .drop("key")
    )


@query("vaardigheid_programmes")
def _programmes(url: str, skill_id: int) -> pl.DataFrame:
    statement = (
        select(
            Programme.code_type.label("code_type"),
            Programme.code.label("code"),
            Programme.name.label("name"),
            Programme.level.label("level"),
            ProgrammeSkill.weight.label("weight"),
        )
        .join(ProgrammeSkill, ProgrammeSkill.programme_id == Programme.id)
        .where(ProgrammeSkill.skill_id == skill_id)
        .order_by(ProgrammeSkill.weight.desc(), Programme.name)
    )
    return _frame(statement, url)


@query("vaardigheid_cooccurrence")
def _cooccurrence(
    url: str, skill_id: int, first: dt.date, last: dt.date, gemeenten: tuple[str, ...]
) -> pl.DataFrame:
    """Per other skill: the vacancies asking ``skill_id`` that also ask it; plus one row with
    ``skill_id`` itself (the base)."""
    asking = _asking(skill_id, first, last, gemeenten).subquery()
    statement = (
        select(
            VacancySkill.skill_id.label("skill_id"),
            func.count(distinct(VacancySkill.vacancy_id)).label("together"),
        )
        .where(
            VacancySkill.vacancy_id.in_(select(asking.c.vacancy_id)),
            VacancySkill.section != "offer",
        )
        .group_by(VacancySkill.skill_id)
    )
    return _frame(statement, url).with_columns(pl.col("skill_id", "together").cast(pl.Int64))


@query("vaardigheid_skill_totals")
def _skill_totals(
    url: str,
    first: dt.date,
    last: dt.date,
    gemeenten: tuple[str, ...],
    skill_ids: tuple[int, ...],
) -> pl.DataFrame:
    """Vacancies asking each of ``skill_ids`` (only those: for the whole country, summing every
    skill took seconds where the page shows fifteen)."""
    statement = summed(
        SkillDemandMonth,
        {"skill_id": SkillDemandMonth.skill_id},
        {"vacancies": SkillDemandMonth.vacancies},
        first=first,
        last=last,
        gemeenten=gemeenten,
        where=[SkillDemandMonth.skill_id.in_(skill_ids)],
    )
    return counted(statement, url, ("skill_id", "vacancies"))


# --- Skills -------------------------------------------------------------------------------


def skills() -> pl.DataFrame:
    return run("vaardigheden_skills")


def skill_options(lang: str = "nl") -> list[dict[str, str]]:
    """Options of the skill pickers: the label in ``lang``, searchable (see assets/
    vaardigheden.js) by the Dutch and English label, the aliases and the key."""
    options = []
    for row in skills().iter_rows(named=True):
        label = row["label_nl"] if lang == "nl" else (row["label_en"] or row["label_nl"])
        search = " ".join(
            part for part in (row["label_nl"], row["label_en"], row["aliases"], row["key"]) if part
        )
        options.append({"value": row["key"], "label": label, "search": search.lower()})
    return options


def find_skill(key: str | None) -> dict[str, Any] | None:
    if not key:
        return None
    found = skills().filter(pl.col("key") == key)
    return found.row(0, named=True) if found.height else None


def skill_label(skill: Mapping[str, Any], lang: str) -> str:
    return str(skill["label_nl"] if lang == "nl" else (skill["label_en"] or skill["label_nl"]))


# --- The view -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What the per-gemeente view shows: the gemeenten of a region (the chosen gemeente among
    those of its arbeidsmarktregio), or the arbeidsmarktregio's of the whole country."""

    level: str  # "gemeente" or "arbeidsmarktregio"
    codes: tuple[str, ...]
    highlight: tuple[str, ...]
    context_name: str | None


@dataclass(frozen=True)
class SkillView:
    skill: dict[str, Any]
    region: RegionRef
    period: Period
    vacancies: int
    required: int
    total: int
    share: float | None
    national_vacancies: int
    national_total: int
    national_share: float | None
    lift: float | None
    scope: Scope
    areas: pl.DataFrame  # code, name, skill, total, share, lift, small, highlight
    trend: pl.DataFrame  # month, skill, total, share, national_share
    occupations: pl.DataFrame  # code, name, vacancies, total, share, small
    employers: pl.DataFrame  # employer, vacancies, small
    programmes: pl.DataFrame  # code_type, code, name, level, weight
    together: pl.DataFrame  # key, label, together, share, lift, small
    base: int  # vacancies (with spans) that ask the skill: the base of ``together``


def period() -> Period | None:
    return latest_period(run("monthly_demand"))


def _share(part: int | float | None, whole: int | float | None) -> float | None:
    return float(part) / float(whole) if part is not None and whole else None


def scope_for(region: RegionRef) -> Scope:
    gemeenten = run("vaardigheden_gemeenten")
    if region.is_national:
        codes = gemeenten["am_code"].drop_nulls().unique().sort().to_list()
        return Scope("arbeidsmarktregio", tuple(codes), (), None)
    if region.level == "gemeente":
        row = gemeenten.filter(pl.col("code") == region.code)
        am = row["am_code"][0] if row.height else None
        if am is not None:
            members = gemeenten.filter(pl.col("am_code") == am)["code"].to_list()
            return Scope("gemeente", tuple(members), (region.code,), str(row["am_name"][0]))
        return Scope("gemeente", (region.code,), (region.code,), None)
    return Scope("gemeente", region.gemeenten, (), region.name)


def _areas(
    scope: Scope, by_gemeente: pl.DataFrame, national_share: float | None, threshold: int
) -> pl.DataFrame:
    gemeenten = run("vaardigheden_gemeenten")
    if scope.level == "arbeidsmarktregio":
        keyed = by_gemeente.join(gemeenten.select("code", "am_code"), on="code", how="inner")
        grouped = keyed.group_by("am_code").agg(pl.col("skill").sum(), pl.col("total").sum())
        names = gemeenten.select(code="am_code", name="am_name").drop_nulls().unique()
        frame = names.join(grouped.rename({"am_code": "code"}), on="code", how="left")
    else:
        names = gemeenten.select("code", "name").filter(pl.col("code").is_in(list(scope.codes)))
        frame = names.join(by_gemeente, on="code", how="left")
    frame = frame.with_columns(pl.col("skill", "total").fill_null(0).cast(pl.Int64))
    return (
        frame.with_columns(
            share=pl.when(pl.col("total") > 0).then(pl.col("skill") / pl.col("total")),
        )
        .with_columns(
            lift=pl.col("share") / national_share if national_share else pl.lit(None, pl.Float64),
            small=pl.col("skill") < threshold,
            highlight=pl.col("code").is_in(list(scope.highlight)),
        )
        .sort(["share", "skill", "name"], descending=[True, True, False], nulls_last=True)
    )


def skill_view(key: str | None, region: RegionRef, top: int = 15) -> SkillView | None:
    """Everything the page shows for skill ``key`` in ``region``; None when the skill is
    unknown or the store has no vacancies."""
    skill = find_skill(key)
    when = period()
    if skill is None or when is None:
        return None
    threshold = settings().small_count_threshold
    skill_id = int(skill["id"])
    first, last = when.first, when.last
    gemeenten = region.gemeenten
    skill_rows = run("vaardigheid_skill_by_gemeente", skill_id, first, last)
    demand_rows = run("vaardigheid_demand_by_gemeente", first, last)
    national_vacancies = int(skill_rows["skill"].sum() or 0)
    national_total = int(demand_rows["total"].sum() or 0)
    national_share = _share(national_vacancies, national_total)
    if region.is_national:
        vacancies, required, total = (
            national_vacancies,
            int(skill_rows["required"].sum() or 0),
            national_total,
        )
    else:
        mine = skill_rows.filter(pl.col("code").is_in(list(gemeenten)))
        vacancies = int(mine["skill"].sum() or 0)
        required = int(mine["required"].sum() or 0)
        total = int(demand_rows.filter(pl.col("code").is_in(list(gemeenten)))["total"].sum() or 0)
    share = _share(vacancies, total)
    lift = share / national_share if share is not None and national_share else None

    by_gemeente = (
        demand_rows.drop_nulls("code")
        .join(skill_rows.drop_nulls("code").select("code", "skill"), on="code", how="full")
        .with_columns(pl.coalesce("code", "code_right").alias("code"))
        .drop("code_right")
    )
    scope = scope_for(region)
    areas = _areas(scope, by_gemeente, national_share, threshold)

    # Trend: share per month over the last 24 months, in the region and nationally.
    start = when.previous_first
    months = pl.DataFrame(
        {"month": pl.date_range(start, last, "1mo", eager=True)}, schema={"month": pl.Date}
    )

    def monthly(gem: tuple[str, ...]) -> pl.DataFrame:
        counts = run("vaardigheid_skill_monthly", skill_id, start, last, gem)
        totals = run("monthly_demand", gem).rename({"vacancies": "total"})
        return (
            months.join(counts, on="month", how="left")
            .join(totals, on="month", how="left")
            .with_columns(pl.col("skill", "total").fill_null(0).cast(pl.Int64))
            .with_columns(
                share=pl.when(pl.col("total") > 0).then(pl.col("skill") / pl.col("total"))
            )
        )

    trend = monthly(gemeenten)
    national = trend if region.is_national else monthly(())
    trend = trend.with_columns(national_share=national["share"])

    names = run("vaardigheid_occupation_names")
    asked = run("vaardigheid_occupations", skill_id, first, last, gemeenten)
    everything = run("vaardigheid_occupations", None, first, last, gemeenten).rename(
        {"vacancies": "total"}
    )
    occupations = (
        asked.drop_nulls("code")
        .join(everything, on="code", how="left")
        .join(names, on="code", how="left")
        .with_columns(
            name=pl.coalesce("name", "code"),
            share=pl.when(pl.col("total") > 0).then(pl.col("vacancies") / pl.col("total")),
            small=pl.col("vacancies") < threshold,
        )
        .sort(["vacancies", "code"], descending=[True, False])
    )

    employers = run("vaardigheid_employers", skill_id, first, last, gemeenten, top).with_columns(
        small=pl.col("vacancies") < threshold
    )
    programmes = run("vaardigheid_programmes", skill_id)

    together_rows = run("vaardigheid_cooccurrence", skill_id, first, last, gemeenten)
    base_row = together_rows.filter(pl.col("skill_id") == skill_id)
    base = int(base_row["together"][0]) if base_row.height else 0
    all_skills = skills().select(pl.col("id").alias("skill_id"), "key", "label_nl", "label_en")
    shown = (
        together_rows.filter(pl.col("skill_id") != skill_id)
        .join(all_skills, on="skill_id", how="inner")
        .sort(["together", "label_nl"], descending=[True, False])
        .head(top)
    )
    # The lift needs each shown skill's count among all the region's vacancies.
    shown_ids = tuple(sorted(shown["skill_id"].to_list()))
    totals = run("vaardigheid_skill_totals", first, last, gemeenten, shown_ids)
    together = (
        shown.join(totals.rename({"vacancies": "overall"}), on="skill_id", how="left")
        .select("skill_id", "together", "overall", "key", "label_nl", "label_en")
        .with_columns(
            share=pl.col("together") / base if base else pl.lit(None, pl.Float64),
            overall_share=pl.col("overall") / total if total else pl.lit(None, pl.Float64),
        )
        .with_columns(
            lift=pl.when(pl.col("overall_share") > 0).then(
                pl.col("share") / pl.col("overall_share")
            ),
            small=pl.col("together") < threshold,
        )
    )
    return SkillView(
        skill=skill,
        region=region,
        period=when,
        vacancies=vacancies,
        required=required,
        total=total,
        share=share,
        national_vacancies=national_vacancies,
        national_total=national_total,
        national_share=national_share,
        lift=lift,
        scope=scope,
        areas=areas,
        trend=trend,
        occupations=occupations.head(top),
        employers=employers,
        programmes=programmes,
        together=together,
        base=base,
    )


# --- Names for the matching page ------------------------------------------------------------


def gemeente_names() -> dict[str, str]:
    frame = run("vaardigheden_gemeenten")
    return dict(zip(frame["code"].to_list(), frame["name"].to_list(), strict=True))


# --- API views --------------------------------------------------------------------------------


def _api_args(args: Mapping[str, str]) -> SkillView | None:
    key = args.get("vaardigheid") or ""
    if find_skill(key) is None:
        raise ValueError(f"onbekende vaardigheid: {key!r} (gebruik de sleutel, bv. photoshop)")
    code = args.get("regio") or "NL"
    region = _region(code)
    if region.code != code:
        raise ValueError(f"onbekende regio: {code!r}")
    return skill_view(key, region)


def _suppress(frame: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    """Blank the small counts (and what is computed from them) when the setting asks so."""
    if not settings().suppress_small_counts:
        return frame
    small = pl.col("klein_aantal")
    return frame.with_columns(
        pl.when(small).then(None).otherwise(pl.col(c)).alias(c) for c in columns
    )


PARAMS = {
    "vaardigheid": "sleutel van de vaardigheid (bv. photoshop, vca, haccp)",
    "regio": "regiocode (GM…, AM…, PV…, CR…, eigen regio) of NL (standaard)",
}


@api_view(
    "vaardigheid",
    "Vraag naar een vaardigheid per gemeente (of per arbeidsmarktregio voor heel Nederland): "
    "ontdubbelde vacatures in de laatste 12 maanden die erom vragen, het aandeel van alle "
    "vacatures en de lift t.o.v. het landelijke aandeel (de kaart van /vaardigheden).",
    PARAMS,
)
def skill_by_area(args: Mapping[str, str]) -> pl.DataFrame:
    view = _api_args(args)
    if view is None:
        return pl.DataFrame()
    frame = view.areas.select(
        pl.lit(view.skill["key"]).alias("vaardigheid"),
        pl.lit(view.skill["label_nl"]).alias("vaardigheid_naam"),
        pl.lit(view.region.code).alias("regio"),
        pl.lit(view.scope.level).alias("niveau"),
        pl.col("code"),
        pl.col("name").alias("naam"),
        pl.col("skill").alias("vacatures_met_vaardigheid"),
        pl.col("total").alias("vacatures_totaal"),
        pl.col("share").alias("aandeel"),
        pl.col("lift"),
        pl.col("small").alias("klein_aantal"),
        pl.lit(view.period.first).alias("van"),
        pl.lit(view.period.last).alias("tot_en_met"),
    )
    return _suppress(frame, ("vacatures_met_vaardigheid", "aandeel", "lift"))


@api_view(
    "vaardigheid_trend",
    "Aandeel van de ontdubbelde vacatures per maand (24 maanden) dat om een vaardigheid vraagt, "
    "in de regio en landelijk.",
    PARAMS,
)
def skill_trend(args: Mapping[str, str]) -> pl.DataFrame:
    view = _api_args(args)
    if view is None:
        return pl.DataFrame()
    return view.trend.select(
        pl.lit(view.skill["key"]).alias("vaardigheid"),
        pl.lit(view.region.code).alias("regio"),
        pl.col("month").alias("maand"),
        pl.col("skill").alias("vacatures_met_vaardigheid"),
        pl.col("total").alias("vacatures_totaal"),
        pl.col("share").alias("aandeel"),
        pl.col("national_share").alias("aandeel_nederland"),
    )


@api_view(
    "samen_gevraagd",
    "Vaardigheden die samen met een vaardigheid worden gevraagd (laatste 12 maanden, regio): "
    "het aandeel van de vacatures met de vaardigheid dat ook om de andere vraagt, en de lift.",
    PARAMS,
)
def asked_together(args: Mapping[str, str]) -> pl.DataFrame:
    view = _api_args(args)
    if view is None:
        return pl.DataFrame()
    frame = view.together.select(
        pl.lit(view.skill["key"]).alias("vaardigheid"),
        pl.lit(view.region.code).alias("regio"),
        pl.col("key").alias("samen_met"),
        pl.col("label_nl").alias("samen_met_naam"),
        pl.col("together").alias("vacatures_samen"),
        pl.lit(view.base).alias("vacatures_met_vaardigheid"),
        pl.col("share").alias("aandeel"),
        pl.col("lift"),
        pl.col("small").alias("klein_aantal"),
    )
    return _suppress(frame, ("vacatures_samen", "aandeel", "lift"))
