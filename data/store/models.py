"""Typed SQLAlchemy 2 models of the store.

The same models and migrations run on SQLite and PostgreSQL, so only portable types are used
(JSON, not JSONB; strings for codes). Codes (GM0363, AM18, 0811, 25180) stay strings so leading
zeros survive.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Explicit constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

REGION_LEVELS = ("gemeente", "arbeidsmarktregio", "provincie", "corop", "eigen")
OCCUPATION_LEVELS = ("beroepsklasse", "beroepssegment", "beroepsgroep")
SKILL_TYPES = ("software", "certificate", "language", "vocational", "knowledge", "transversal")
SECTIONS = ("requirement", "offer", "other")

# Vacancy ids reach the millions nationally over five years; BigInteger on PostgreSQL.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Region(Base):
    """A gemeente, a grouping of gemeenten (arbeidsmarktregio, provincie, COROP) or a user's own
    named set of gemeenten (level ``eigen``), for one classification year."""

    __tablename__ = "regions"
    __table_args__ = (UniqueConstraint("level", "code", "year", name="uq_regions_level_code_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(20), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())

    members: Mapped[list[RegionMember]] = relationship(
        back_populates="region", cascade="all, delete-orphan"
    )


class RegionMember(Base):
    """Membership of a gemeente (by code) in a grouping or an own region."""

    __tablename__ = "region_members"

    region_id: Mapped[int] = mapped_column(
        ForeignKey("regions.id", ondelete="CASCADE"), primary_key=True
    )
    gemeente_code: Mapped[str] = mapped_column(String(10), primary_key=True, index=True)

    region: Mapped[Region] = relationship(back_populates="members")


class PlaceAlias(Base):
    """A way a place is written (normalised) and a 2025 gemeente it lies in. A name that lies in
    several gemeenten has several rows; the resolver then refuses to guess."""

    __tablename__ = "place_aliases"
    __table_args__ = (
        UniqueConstraint("alias_norm", "gemeente_code", name="uq_place_aliases_alias_gemeente"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alias_norm: Mapped[str] = mapped_column(String(200), index=True)
    alias: Mapped[str] = mapped_column(String(200))
    gemeente_code: Mapped[str] = mapped_column(String(10), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(String(300))


class IngestBatch(Base):
    """One load of one file (or one demo build): committed whole or not at all."""

    __tablename__ = "ingest_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(100), index=True)
    file_name: Mapped[str | None] = mapped_column(String(500))
    file_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    format: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="running")
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_accepted: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    unresolved_places: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class QuarantinedRow(Base):
    """A row that was not accepted, with where it came from and why."""

    __tablename__ = "quarantined_rows"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("ingest_batches.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str | None] = mapped_column(String(500))
    row_number: Mapped[int] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(100))
    # Stable machine-readable reason (data.ingest.reasons.ROW_REASONS); ``reason`` is the text
    # a data steward reads. Rows quarantined before migration 0003 may lack it.
    code: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(500))
    raw: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Vacancy(Base):
    """One posting of a vacancy. Postings of the same vacancy share ``cluster_id``; every count
    in the product is of clusters."""

    __tablename__ = "vacancies"
    __table_args__ = (
        UniqueConstraint("source", "source_id", name="uq_vacancies_source_source_id"),
        Index("ix_vacancies_month_gemeente", "posted_month", "gemeente_code"),
        # Covers the per-source and per-method overviews (home, over de data), which would
        # otherwise read every posting with its text (migration 0004).
        Index(
            "ix_vacancies_source_overview",
            "source",
            "location_method",
            "posted_at",
            "is_demo",
            "cluster_id",
            "gemeente_code",
            "batch_id",
        ),
        # Finds the open vacancies of the last weeks (Matchen) without reading the postings
        # (migration 0005).
        Index("ix_vacancies_open", "posted_at", "is_cluster_head", "closing_at", "gemeente_code"),
        # A region's vacancies in a period, counted or listed from the index alone (migration
        # 0006; it replaces the index on gemeente_code alone, its first column).
        Index("ix_vacancies_gemeente_posted", "gemeente_code", "posted_at", "is_cluster_head"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source: Mapped[str] = mapped_column(String(100))
    source_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500))
    employer: Mapped[str | None] = mapped_column(String(300))
    employer_norm: Mapped[str | None] = mapped_column(String(300), index=True)
    location_text: Mapped[str | None] = mapped_column(String(300))
    gemeente_code: Mapped[str | None] = mapped_column(String(10))  # ix_vacancies_gemeente_posted
    location_method: Mapped[str | None] = mapped_column(String(40))
    posted_at: Mapped[dt.date] = mapped_column(Date, index=True)
    posted_month: Mapped[dt.date] = mapped_column(Date)
    closing_at: Mapped[dt.date | None] = mapped_column(Date)
    education_level: Mapped[str | None] = mapped_column(String(40))
    level_min: Mapped[int | None] = mapped_column(Integer)
    level_max: Mapped[int | None] = mapped_column(Integer)
    hours_min: Mapped[float | None] = mapped_column(Float)
    hours_max: Mapped[float | None] = mapped_column(Float)
    contract_type: Mapped[str | None] = mapped_column(String(60))
    sector: Mapped[str | None] = mapped_column(String(10))
    # Posted by an intermediary (an agency) rather than the employer; null when the export
    # does not say.
    via_intermediary: Mapped[bool | None] = mapped_column(Boolean)
    text: Mapped[str | None] = mapped_column(Text)
    sections: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    url: Mapped[str | None] = mapped_column(String(1000))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    cluster_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    is_cluster_head: Mapped[bool] = mapped_column(Boolean, default=True)
    batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("ingest_batches.id", ondelete="CASCADE"), index=True
    )
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class OccupationClass(Base):
    """A node of BRC 2014: beroepsklasse (2 digits), beroepssegment (3) or beroepsgroep (4)."""

    __tablename__ = "occupation_classes"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    level: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    parent_code: Mapped[str | None] = mapped_column(String(10), index=True)
    isco_codes: Mapped[list[Any] | None] = mapped_column(JSON)


class VacancyOccupation(Base):
    __tablename__ = "vacancy_occupations"

    vacancy_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True
    )
    occupation_code: Mapped[str] = mapped_column(String(10), index=True)
    score: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(40))


class Skill(Base):
    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    label_nl: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str | None] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(20), index=True)
    aliases: Mapped[list[Any] | None] = mapped_column(JSON)
    esco_uri: Mapped[str | None] = mapped_column(String(300))
    is_user_defined: Mapped[bool] = mapped_column(Boolean, default=False)


class VacancySkill(Base):
    """A skill found in a vacancy, with the span of text that shows it."""

    __tablename__ = "vacancy_skills"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("vacancies.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    surface: Mapped[str] = mapped_column(String(300))
    section: Mapped[str] = mapped_column(String(20))
    required: Mapped[bool] = mapped_column(Boolean)


class Programme(Base):
    """An mbo qualification (crebo) or hbo programme (CROHO)."""

    __tablename__ = "programmes"
    __table_args__ = (UniqueConstraint("code_type", "code", name="uq_programmes_code_type_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code_type: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[str | None] = mapped_column(String(20))
    domain: Mapped[str | None] = mapped_column(String(200))
    dossier_code: Mapped[str | None] = mapped_column(String(20))
    dossier_name: Mapped[str | None] = mapped_column(String(300))
    owner: Mapped[str | None] = mapped_column(String(200))

    skills: Mapped[list[ProgrammeSkill]] = relationship(cascade="all, delete-orphan")
    occupations: Mapped[list[ProgrammeOccupation]] = relationship(cascade="all, delete-orphan")


class ProgrammeSkill(Base):
    __tablename__ = "programme_skills"

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True
    )
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    source: Mapped[str | None] = mapped_column(String(200))


class ProgrammeOccupation(Base):
    __tablename__ = "programme_occupations"

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    occupation_code: Mapped[str] = mapped_column(String(10), primary_key=True)


class SupplyFigure(Base):
    """Supply side: graduates per programme or short-term jobseekers per occupation, per region
    and period."""

    __tablename__ = "supply_figures"
    __table_args__ = (Index("ix_supply_lookup", "kind", "region_code", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    region_code: Mapped[str] = mapped_column(String(40))
    occupation_code: Mapped[str | None] = mapped_column(String(10))
    programme_code: Mapped[str | None] = mapped_column(String(20))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(200))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class DemandMonth(Base):
    """Aggregate ("cube") of deduplicated vacancies: new postings per month × gemeente ×
    beroepsgroep × education level × sector. Rebuilt for the months a batch touches."""

    __tablename__ = "demand_month"
    __table_args__ = (
        Index("ix_demand_month_month", "month"),
        # Monthly sums read from the index alone (migration 0004).
        Index("ix_demand_month_month_gemeente", "month", "gemeente_code", "vacancies"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date)
    gemeente_code: Mapped[str | None] = mapped_column(String(10), index=True)
    occupation_code: Mapped[str | None] = mapped_column(String(10))
    education_level: Mapped[str | None] = mapped_column(String(40))
    sector: Mapped[str | None] = mapped_column(String(10))
    vacancies: Mapped[int] = mapped_column(Integer)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class SkillDemandMonth(Base):
    """Aggregate of skill demand: deduplicated vacancies per month × gemeente × beroepsgroep that
    ask for a skill (``vacancies``), of which as a requirement (``required``). Maintained by the
    matcher for the vacancies it processes."""

    __tablename__ = "skill_demand_month"
    __table_args__ = (
        Index("ix_skill_demand_month_month_skill", "month", "skill_id"),
        Index("ix_skill_demand_month_gemeente", "gemeente_code"),
        # One skill's demand read from the index alone (migration 0004).
        Index(
            "ix_skill_demand_month_skill_month",
            "skill_id",
            "month",
            "gemeente_code",
            "occupation_code",
            "vacancies",
            "required",
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date)
    gemeente_code: Mapped[str | None] = mapped_column(String(10))
    occupation_code: Mapped[str | None] = mapped_column(String(10))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"))
    vacancies: Mapped[int] = mapped_column(Integer)
    required: Mapped[int] = mapped_column(Integer)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
