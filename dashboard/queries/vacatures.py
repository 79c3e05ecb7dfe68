"""Queries of the Vacatures page: one page of deduplicated vacancies at a time, a vacancy's
detail (text, skill spans, occupation, duplicate postings) and the capped export.

The store may hold millions of vacancies, so nothing here returns more than one page of the
grid (``PAGE_SIZE`` rows) except the export, which stops at ``EXPORT_CAP`` rows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased

from dashboard import queries
from dashboard.api import api_view
from dashboard.queries import frame, query, run
from dashboard.queries.home import shift_months
from data.store.models import (
    DemandMonth,
    OccupationClass,
    Region,
    Skill,
    Vacancy,
    VacancyOccupation,
    VacancySkill,
)

PAGE_SIZE = 50
EXPORT_CAP = 50_000
SEARCH_MAX = 100
PERIODS = ("1m", "3m", "12m", "24m", "alles")
DEFAULT_PERIOD = "12m"
# Grid column → the vacancy column it sorts on.
SORTABLE = {"posted": "posted_at", "title": "title", "employer": "employer"}
SKILL_KINDS = ("requirement", "nice", "offered")


# --- Filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VacancyFilter:
    """What the grid shows; hashable, so it can be part of a cache key."""

    gemeenten: tuple[str, ...] = ()
    first_month: dt.date | None = None
    last_month: dt.date | None = None
    beroep: str | None = None
    niveau: str | None = None
    bron: str | None = None
    q: str | None = None


@dataclass(frozen=True)
class Period:
    key: str  # one of PERIODS, or "YYYY-MM" / "YYYY-MM:YYYY-MM" as given
    first: dt.date | None
    last: dt.date | None


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _month(text: str) -> dt.date | None:
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def parse_period(value: str | None, newest: dt.date | None) -> Period:
    """The months of ``?periode=``: the last 1, 3, 12 or 24 months up to the newest month with
    data, everything (``alles``), one month (``2026-03``) or a range (``2025-01:2025-06``).
    Anything else means the default, the last twelve months.

    >>> parse_period("3m", dt.date(2026, 10, 1))
    Period(key='3m', first=datetime.date(2026, 8, 1), last=datetime.date(2026, 10, 1))
    >>> parse_period("2025-01:2025-06", None).first
    datetime.date(2025, 1, 1)
    >>> parse_period("nonsense", dt.date(2026, 10, 1)).key
    '12m'
    """
    value = (value or "").strip()
    if value == "alles":
        return Period("alles", None, None)
    if ":" in value:
        first_text, _, last_text = value.partition(":")
        first, last = _month(first_text), _month(last_text)
        if first and last and first <= last:
            return Period(value, first, last)
    elif _month(value):
        month = _month(value)
        return Period(value, month, month)
    key = value if value in PERIODS else DEFAULT_PERIOD
    if newest is None:
        return Period(key, None, None)
    months = int(key.rstrip("m"))
    return Period(key, shift_months(newest, 1 - months), newest)


def clean_search(value: str | None) -> str | None:
    text = " ".join((value or "").split())[:SEARCH_MAX]
    return text or None


def _month_after(month: dt.date) -> dt.date:
    return shift_months(month, 1)


def _apply(statement: Select, f: VacancyFilter) -> Select:
    """The filter's conditions; the occupation condition needs ``VacancyOccupation`` joined."""
    statement = statement.where(Vacancy.is_cluster_head.is_(True))
    if f.gemeenten:
        statement = statement.where(Vacancy.gemeente_code.in_(f.gemeenten))
    # On the posting date (not the month column), so the posted_at index serves both the
    # range and the newest-first order: the first page then reads just its rows.
    if f.first_month:
        statement = statement.where(Vacancy.posted_at >= f.first_month)
    if f.last_month:
        statement = statement.where(Vacancy.posted_at < _month_after(f.last_month))
    if f.beroep:
        # BRC codes nest by prefix: klasse 01 ⊃ segment 011 ⊃ groep 0111.
        statement = statement.where(
            VacancyOccupation.occupation_code.startswith(f.beroep, autoescape=True)
        )
    if f.niveau:
        statement = statement.where(Vacancy.education_level == f.niveau)
    if f.bron:
        statement = statement.where(Vacancy.source == f.bron)
    if f.q:
        statement = statement.where(
            or_(
                Vacancy.title.icontains(f.q, autoescape=True),
                Vacancy.employer.icontains(f.q, autoescape=True),
            )
        )
    return statement


def _heads(f: VacancyFilter) -> Select:
    """The ids (and sort keys) of the vacancies that pass the filter."""
    statement = select(
        Vacancy.id.label("id"),
        Vacancy.posted_at.label("posted_at"),
        Vacancy.title.label("title"),
        Vacancy.employer.label("employer"),
    ).select_from(Vacancy)
    if f.beroep:
        statement = statement.join(VacancyOccupation, VacancyOccupation.vacancy_id == Vacancy.id)
    return _apply(statement, f)


def _sort_keys(columns: Any, sort: str, descending: bool) -> list[Any]:
    """ORDER BY terms on ``columns`` (anything indexable by column name), ties by id."""
    column = columns[SORTABLE.get(sort, "posted_at")]
    if descending:
        return [column.desc(), columns["id"].desc()]
    return [column.asc(), columns["id"].asc()]


def _page(
    f: VacancyFilter, year: int, sort: str, descending: bool, offset: int, limit: int
) -> Select:
    """One page of rows with everything the grid shows.

    Two steps: first the page's ids (filter, order, offset, limit on the vacancies alone), then
    names, occupation and posting counts for just those rows. Joining first would make the
    database look these up for every matching vacancy before it sorts.
    """
    heads = _heads(f).subquery("heads")
    wanted = (
        select(heads.c.id)
        .order_by(*_sort_keys(heads.c, sort, descending))
        .offset(offset)
        .limit(limit)
    )
    chosen = wanted.subquery("chosen")
    gemeente = aliased(Region)
    other = aliased(Vacancy)
    postings = (
        select(func.count(other.id))
        .where(other.cluster_id == Vacancy.cluster_id)
        .correlate(Vacancy)
        .scalar_subquery()
    )
    statement = (
        select(
            Vacancy.id.label("id"),
            Vacancy.posted_at.label("posted_at"),
            Vacancy.title.label("title"),
            Vacancy.employer.label("employer"),
            Vacancy.gemeente_code.label("gemeente_code"),
            gemeente.name.label("gemeente"),
            Vacancy.location_text.label("location_text"),
            Vacancy.location_method.label("location_method"),
            VacancyOccupation.occupation_code.label("occupation_code"),
            OccupationClass.name.label("occupation"),
            OccupationClass.name_en.label("occupation_en"),
            Vacancy.education_level.label("education_level"),
            Vacancy.hours_min.label("hours_min"),
            Vacancy.hours_max.label("hours_max"),
            Vacancy.contract_type.label("contract_type"),
            Vacancy.source.label("source"),
            case((Vacancy.cluster_id.is_(None), literal(1)), else_=postings).label("postings"),
            Vacancy.url.label("url"),
        )
        .select_from(chosen)
        .join(Vacancy, Vacancy.id == chosen.c.id)
        .outerjoin(VacancyOccupation, VacancyOccupation.vacancy_id == Vacancy.id)
        .outerjoin(OccupationClass, OccupationClass.code == VacancyOccupation.occupation_code)
        .outerjoin(
            gemeente,
            and_(
                gemeente.code == Vacancy.gemeente_code,
                gemeente.level == "gemeente",
                gemeente.year == year,
            ),
        )
    )
    keys = {
        "posted_at": Vacancy.posted_at,
        "title": Vacancy.title,
        "employer": Vacancy.employer,
        "id": Vacancy.id,
    }
    return statement.order_by(*_sort_keys(keys, sort, descending))


ROW_SCHEMA = {
    "id": pl.Int64,
    "posted_at": pl.Date,
    "title": pl.String,
    "employer": pl.String,
    "gemeente_code": pl.String,
    "gemeente": pl.String,
    "location_text": pl.String,
    "location_method": pl.String,
    "occupation_code": pl.String,
    "occupation": pl.String,
    "occupation_en": pl.String,
    "education_level": pl.String,
    "hours_min": pl.Float64,
    "hours_max": pl.Float64,
    "contract_type": pl.String,
    "source": pl.String,
    "postings": pl.Int64,
    "url": pl.String,
}


def _typed(
    data: pl.DataFrame, schema: Mapping[str, pl.DataType | type[pl.DataType]]
) -> pl.DataFrame:
    """The frame with a fixed schema, also when it is empty (a driver cannot infer types then)."""
    if data.is_empty():
        return pl.DataFrame(schema=dict(schema))
    return data.with_columns(
        pl.col(name).cast(dtype, strict=False) for name, dtype in schema.items()
    ).select(list(schema))


@query("vacancy_page")
def _vacancy_page(
    url: str,
    f: VacancyFilter,
    year: int,
    sort: str = "posted",
    descending: bool = True,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> pl.DataFrame:
    limit = max(1, min(int(limit), 500))
    statement = _page(f, year, sort, descending, max(0, int(offset)), limit)
    return _typed(frame(statement, url), ROW_SCHEMA)


@query("vacancy_count")
def _vacancy_count(url: str, f: VacancyFilter) -> pl.DataFrame:
    heads = _heads(f).subquery("heads")
    statement = select(func.count().label("vacancies")).select_from(heads)
    return frame(statement, url).with_columns(pl.col("vacancies").cast(pl.Int64))


@query("vacancy_newest_month")
def _newest_month(url: str) -> pl.DataFrame:
    # The aggregate is small and indexed by month; the vacancies table may hold millions.
    return frame(select(func.max(DemandMonth.month).label("month")), url).with_columns(
        pl.col("month").cast(pl.Date)
    )


@query("vacancy_sources")
def _sources(url: str) -> pl.DataFrame:
    statement = select(Vacancy.source.label("source")).distinct().order_by(Vacancy.source)
    return frame(statement, url)


@query("vacancy_levels")
def _levels(url: str) -> pl.DataFrame:
    statement = (
        select(DemandMonth.education_level.label("education_level"))
        .where(DemandMonth.education_level.is_not(None))
        .distinct()
        .order_by(DemandMonth.education_level)
    )
    return frame(statement, url)


@query("occupation_tree")
def _occupation_tree(url: str) -> pl.DataFrame:
    statement = select(
        OccupationClass.code.label("code"),
        OccupationClass.level.label("level"),
        OccupationClass.name.label("name"),
        OccupationClass.name_en.label("name_en"),
        OccupationClass.parent_code.label("parent_code"),
    ).order_by(OccupationClass.code)
    return frame(statement, url)


def newest_month() -> dt.date | None:
    data = run("vacancy_newest_month")
    value = data["month"][0] if data.height else None
    return value if isinstance(value, dt.date) else None


def sources() -> list[str]:
    return [s for s in run("vacancy_sources")["source"].to_list() if s]


def levels() -> list[str]:
    return [s for s in run("vacancy_levels")["education_level"].to_list() if s]


def occupation_tree() -> pl.DataFrame:
    return run("occupation_tree")


def filter_from_params(params: Mapping[str, str | None]) -> tuple[VacancyFilter, Period]:
    """The filter and period of the page's (or the API's) query parameters."""
    region = queries.region(params.get("regio"))
    period = parse_period(params.get("periode"), newest_month())
    beroep = (params.get("beroep") or "").strip()
    return (
        VacancyFilter(
            gemeenten=region.gemeenten,
            first_month=period.first,
            last_month=period.last,
            beroep=beroep if beroep.isdigit() and len(beroep) <= 4 else None,
            niveau=(params.get("niveau") or "").strip() or None,
            bron=(params.get("bron") or "").strip() or None,
            q=clean_search(params.get("q")),
        ),
        period,
    )


def vacancy_page(
    f: VacancyFilter, sort: str = "posted", descending: bool = True, offset: int = 0
) -> pl.DataFrame:
    year = queries.settings().reference_year
    return run("vacancy_page", f, year, sort, descending, offset, PAGE_SIZE)


def vacancy_count(f: VacancyFilter) -> int:
    data = run("vacancy_count", f)
    return int(data["vacancies"][0] or 0) if data.height else 0


# --- One vacancy -----------------------------------------------------------------------------


@query("vacancy_detail")
def _vacancy_detail(url: str, vacancy_id: int, year: int) -> pl.DataFrame:
    gemeente = aliased(Region)
    statement = (
        select(
            Vacancy.id.label("id"),
            Vacancy.source.label("source"),
            Vacancy.source_id.label("source_id"),
            Vacancy.title.label("title"),
            Vacancy.employer.label("employer"),
            Vacancy.location_text.label("location_text"),
            Vacancy.gemeente_code.label("gemeente_code"),
            gemeente.name.label("gemeente"),
            Vacancy.location_method.label("location_method"),
            Vacancy.posted_at.label("posted_at"),
            Vacancy.closing_at.label("closing_at"),
            Vacancy.education_level.label("education_level"),
            Vacancy.hours_min.label("hours_min"),
            Vacancy.hours_max.label("hours_max"),
            Vacancy.contract_type.label("contract_type"),
            Vacancy.text.label("text"),
            Vacancy.url.label("url"),
            Vacancy.cluster_id.label("cluster_id"),
            Vacancy.is_cluster_head.label("is_cluster_head"),
            Vacancy.is_demo.label("is_demo"),
            VacancyOccupation.occupation_code.label("occupation_code"),
            VacancyOccupation.score.label("occupation_score"),
            VacancyOccupation.method.label("occupation_method"),
            OccupationClass.name.label("occupation"),
            OccupationClass.name_en.label("occupation_en"),
        )
        .select_from(Vacancy)
        .outerjoin(VacancyOccupation, VacancyOccupation.vacancy_id == Vacancy.id)
        .outerjoin(OccupationClass, OccupationClass.code == VacancyOccupation.occupation_code)
        .outerjoin(
            gemeente,
            and_(
                gemeente.code == Vacancy.gemeente_code,
                gemeente.level == "gemeente",
                gemeente.year == year,
            ),
        )
        .where(Vacancy.id == vacancy_id)
    )
    return frame(statement, url)


@query("vacancy_skill_spans")
def _vacancy_skill_spans(url: str, vacancy_id: int) -> pl.DataFrame:
    statement = (
        select(
            VacancySkill.start.label("start"),
            VacancySkill.end.label("end"),
            VacancySkill.surface.label("surface"),
            VacancySkill.section.label("section"),
            VacancySkill.required.label("required"),
            Skill.key.label("skill_key"),
            Skill.label_nl.label("label_nl"),
            Skill.label_en.label("label_en"),
            Skill.type.label("type"),
        )
        .join(Skill, Skill.id == VacancySkill.skill_id)
        .where(VacancySkill.vacancy_id == vacancy_id)
        .order_by(VacancySkill.start, VacancySkill.end.desc())
    )
    return _typed(
        frame(statement, url),
        {
            "start": pl.Int64,
            "end": pl.Int64,
            "surface": pl.String,
            "section": pl.String,
            "required": pl.Boolean,
            "skill_key": pl.String,
            "label_nl": pl.String,
            "label_en": pl.String,
            "type": pl.String,
        },
    )


@query("vacancy_cluster")
def _vacancy_cluster(url: str, cluster_id: int, vacancy_id: int) -> pl.DataFrame:
    """The other postings of the same vacancy (same duplicate cluster)."""
    statement = (
        select(
            Vacancy.id.label("id"),
            Vacancy.source.label("source"),
            Vacancy.posted_at.label("posted_at"),
            Vacancy.title.label("title"),
            Vacancy.location_text.label("location_text"),
            Vacancy.url.label("url"),
        )
        .where(Vacancy.cluster_id == cluster_id, Vacancy.id != vacancy_id)
        .order_by(Vacancy.posted_at, Vacancy.id)
        .limit(200)
    )
    return _typed(
        frame(statement, url),
        {
            "id": pl.Int64,
            "source": pl.String,
            "posted_at": pl.Date,
            "title": pl.String,
            "location_text": pl.String,
            "url": pl.String,
        },
    )


@dataclass(frozen=True)
class VacancyDetail:
    vacancy: dict[str, Any]
    spans: pl.DataFrame
    postings: pl.DataFrame


def vacancy_detail(vacancy_id: int) -> VacancyDetail | None:
    year = queries.settings().reference_year
    data = run("vacancy_detail", int(vacancy_id), year)
    if data.is_empty():
        return None
    row = data.row(0, named=True)
    cluster = row.get("cluster_id")
    postings = (
        run("vacancy_cluster", int(cluster), int(vacancy_id))
        if cluster is not None
        else pl.DataFrame()
    )
    return VacancyDetail(row, run("vacancy_skill_spans", int(vacancy_id)), postings)


# --- Skill highlighting (pure) ---------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # requirement, nice or offered
    label: str


@dataclass(frozen=True)
class Segment:
    text: str
    kind: str | None = None  # None: plain text
    label: str | None = None


def skill_kind(section: str | None, required: bool | None) -> str:
    """What a span is: asked as a requirement, asked as nice-to-have, or offered by the employer.

    >>> skill_kind("offer", True), skill_kind("requirement", True), skill_kind("requirement", False)
    ('offered', 'requirement', 'nice')
    """
    if section == "offer":
        return "offered"
    return "requirement" if required else "nice"


def skill_segments(text: str, spans: Iterable[Span]) -> list[Segment]:
    """Split ``text`` into plain and highlighted pieces. Spans outside the text, empty spans and
    spans that overlap an earlier (longer-first) span are left out, so every character appears
    exactly once.

    >>> spans = [Span(11, 14, "nice", "SAP")]
    >>> [(s.text, s.kind) for s in skill_segments("Kennis van SAP is een pré", spans)]
    [('Kennis van ', None), ('SAP', 'nice'), (' is een pré', None)]
    """
    pieces: list[Segment] = []
    position = 0
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if span.start < position or span.start < 0 or span.end > len(text):
            continue
        if span.end <= span.start:
            continue
        if span.start > position:
            pieces.append(Segment(text[position : span.start]))
        pieces.append(Segment(text[span.start : span.end], span.kind, span.label))
        position = span.end
    if position < len(text):
        pieces.append(Segment(text[position:]))
    return pieces


def spans_of(data: pl.DataFrame, lang: str = "nl") -> list[Span]:
    label = "label_en" if lang == "en" else "label_nl"
    return [
        Span(
            int(row["start"]),
            int(row["end"]),
            skill_kind(row["section"], row["required"]),
            str(row[label] or row["label_nl"] or row["surface"]),
        )
        for row in data.iter_rows(named=True)
    ]


def safe_url(value: object) -> str | None:
    """Only http(s) addresses become links; anything else (``javascript:``, ``data:``) is text.

    >>> safe_url("https://example.invalid/1"), safe_url("javascript:alert(1)")
    ('https://example.invalid/1', None)
    """
    text = str(value or "").strip()
    return text if re.match(r"^https?://", text, re.IGNORECASE) else None


# --- Export ----------------------------------------------------------------------------------

EXPORT_COLUMNS = {
    "id": "vacature_id",
    "posted_at": "geplaatst",
    "title": "titel",
    "employer": "werkgever",
    "gemeente_code": "gemeente_code",
    "gemeente": "gemeente",
    "location_text": "plaats_tekst",
    "location_method": "plaats_methode",
    "occupation_code": "beroep_code",
    "occupation": "beroep",
    "education_level": "niveau",
    "hours_min": "uren_min",
    "hours_max": "uren_max",
    "contract_type": "contract",
    "source": "bron",
    "postings": "plaatsingen",
    "url": "url",
}


def export_frame(f: VacancyFilter, cap: int = EXPORT_CAP) -> pl.DataFrame:
    """At most ``cap`` deduplicated vacancies of the filter, newest first.

    Not cached: a large frame that is rarely asked for twice.
    """
    settings = queries.settings()
    statement = _page(f, settings.reference_year, "posted", True, 0, cap)
    data = _typed(frame(statement, settings.database_url), ROW_SCHEMA)
    return data.select([pl.col(name).alias(alias) for name, alias in EXPORT_COLUMNS.items()])


@api_view(
    "vacatures",
    "Ontdubbelde vacatures (één rij per vacature, met het aantal plaatsingen), nieuwste eerst; "
    f"hoogstens {EXPORT_CAP:,} rijen".replace(",", "."),
    {
        "regio": "regiocode (GM.., AM.., PV.., CR.., eigen regio); leeg: heel Nederland",
        "periode": "1m, 3m, 12m (standaard), 24m, alles, JJJJ-MM of JJJJ-MM:JJJJ-MM",
        "beroep": "BRC 2014-code: beroepsklasse (2 cijfers), -segment (3) of -groep (4)",
        "niveau": "opleidingsniveau zoals in de data, bijvoorbeeld 'mbo 3'",
        "bron": "naam van de bron",
        "q": "zoektekst in titel of werkgever",
    },
)
def vacatures_view(params: Mapping[str, str]) -> pl.DataFrame:
    f, _period = filter_from_params(params)
    return export_frame(f)
