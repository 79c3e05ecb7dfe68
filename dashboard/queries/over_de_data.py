"""Queries of the data page: sources and their freshness, ingest batches and their rejected
rows, and how vacancy locations were resolved."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import polars as pl
from sqlalchemy import Integer, Text, cast, func, select

from dashboard.api import api_view
from dashboard.queries import frame as _frame
from dashboard.queries import query, run
from data.store.models import IngestBatch, QuarantinedRow, Vacancy

REJECTS_SHOWN = 100
BATCHES_SHOWN = 50

# Freshness of a source by the age of its newest posting: (status, up to this many days).
FRESHNESS_BANDS: tuple[tuple[str, int], ...] = (
    ("actueel", 7),
    ("recent", 31),
    ("verouderd", 92),
    ("sterk_verouderd", 1_000_000),
)


# The counts of postings, shared by the queries below. A vacancy (duplicate cluster) is its
# ``cluster_id``, or the posting itself while it has none.
CLUSTER = func.coalesce(Vacancy.cluster_id, -Vacancy.id)
POSTINGS = func.count()
VACANCIES = func.count(func.distinct(CLUSTER))
UNRESOLVED = func.count() - func.count(Vacancy.gemeente_code)


@query("odd_sources")
def _sources(url: str) -> pl.DataFrame:
    """Per source: postings, distinct vacancies (duplicate clusters), postings without a
    gemeente, newest posting, whether it is demo data, and when it was last loaded."""
    # One pass over the postings: the finished batch of each posting is looked up on the way
    # (a small table), rather than joining the postings to the batches a second time.
    done = (
        select(IngestBatch.id.label("id"), IngestBatch.finished_at.label("finished_at"))
        .where(IngestBatch.status == "done")
        .subquery()
    )
    statement = (
        select(
            Vacancy.source.label("source"),
            POSTINGS.label("postings"),
            VACANCIES.label("vacancies"),
            UNRESOLVED.label("unresolved"),
            func.max(Vacancy.posted_at).label("newest_posting"),
            func.max(cast(Vacancy.is_demo, Integer)).label("is_demo"),
            func.max(done.c.finished_at).label("loaded_at"),
        )
        .select_from(Vacancy)
        .outerjoin(done, done.c.id == Vacancy.batch_id)
        .group_by(Vacancy.source)
        .order_by(Vacancy.source)
    )
    return _frame(statement, url).with_columns(
        pl.col("postings").cast(pl.Int64),
        pl.col("vacancies").cast(pl.Int64),
        pl.col("unresolved").cast(pl.Int64),
        pl.col("newest_posting").cast(pl.Date),
        pl.col("is_demo").cast(pl.Boolean),
        pl.col("loaded_at").cast(pl.Datetime("us")),
    )


@query("odd_totals")
def _totals(url: str) -> pl.DataFrame:
    """Postings and distinct vacancies over all sources (a vacancy on two sites counts once)."""
    # Three separate counts, each of which the database answers from one index (the whole
    # table, the cluster ids, the gemeente codes) without reading the postings themselves.
    statement = select(
        select(POSTINGS).select_from(Vacancy).scalar_subquery().label("postings"),
        select(VACANCIES).select_from(Vacancy).scalar_subquery().label("vacancies"),
        select(POSTINGS)
        .select_from(Vacancy)
        .where(Vacancy.gemeente_code.is_(None))
        .scalar_subquery()
        .label("unresolved"),
    )
    return _frame(statement, url).with_columns(pl.all().cast(pl.Int64))


@query("odd_batches")
def _batches(url: str) -> pl.DataFrame:
    """Every ingest batch, newest first, with the number of quarantined rows kept for it."""
    quarantined = (
        select(
            QuarantinedRow.batch_id.label("q_batch"),
            func.count().label("quarantined"),
        )
        .group_by(QuarantinedRow.batch_id)
        .subquery()
    )
    statement = (
        select(
            IngestBatch.id.label("batch"),
            IngestBatch.source.label("source"),
            IngestBatch.file_name.label("file_name"),
            IngestBatch.format.label("format"),
            IngestBatch.started_at.label("started_at"),
            IngestBatch.finished_at.label("finished_at"),
            IngestBatch.status.label("status"),
            IngestBatch.rows_read.label("rows_read"),
            IngestBatch.rows_accepted.label("rows_accepted"),
            IngestBatch.rows_rejected.label("rows_rejected"),
            IngestBatch.duplicates.label("duplicates"),
            IngestBatch.unresolved_places.label("unresolved_places"),
            cast(IngestBatch.is_demo, Integer).label("is_demo"),
            func.coalesce(quarantined.c.quarantined, 0).label("quarantined"),
        )
        .outerjoin(quarantined, quarantined.c.q_batch == IngestBatch.id)
        .order_by(IngestBatch.started_at.desc(), IngestBatch.id.desc())
    )
    counts = [
        "batch",
        "rows_read",
        "rows_accepted",
        "rows_rejected",
        "duplicates",
        "unresolved_places",
        "quarantined",
    ]
    return _frame(statement, url).with_columns(
        *(pl.col(name).cast(pl.Int64) for name in counts),
        pl.col("source", "file_name", "format", "status").cast(pl.String),
        pl.col("started_at", "finished_at").cast(pl.Datetime("us")),
        pl.col("is_demo").cast(pl.Boolean),
    )


@query("odd_rejects")
def _rejects(url: str, batch: int, limit: int | None) -> pl.DataFrame:
    """Quarantined rows of one batch in file order; ``raw`` as JSON text."""
    statement = (
        select(
            QuarantinedRow.batch_id.label("batch"),
            QuarantinedRow.file_name.label("file_name"),
            QuarantinedRow.row_number.label("row_number"),
            QuarantinedRow.field.label("field"),
            QuarantinedRow.reason.label("reason"),
            cast(QuarantinedRow.raw, Text).label("raw"),
        )
        .where(QuarantinedRow.batch_id == batch)
        .order_by(QuarantinedRow.row_number, QuarantinedRow.id)
    )
    if limit is not None:
        statement = statement.limit(limit)
    return _frame(statement, url).with_columns(
        pl.col("batch", "row_number").cast(pl.Int64),
        pl.col("file_name", "field", "reason", "raw").cast(pl.String),
    )


@query("odd_reject_reasons")
def _reject_reasons(url: str, batch: int) -> pl.DataFrame:
    """How many rows of a batch were rejected per reason code and field."""
    statement = select(
        QuarantinedRow.field.label("field"), QuarantinedRow.reason.label("reason")
    ).where(QuarantinedRow.batch_id == batch)
    rows = _frame(statement, url).with_columns(pl.col("field", "reason").cast(pl.String))
    return (
        rows.with_columns(
            # Stored as "<code>: <message> (<detail>)"; group on the code, keep one message.
            code=pl.col("reason").str.extract(r"^([a-z_]+):", 1).fill_null(pl.col("reason")),
            message=pl.col("reason").str.replace(r"^[a-z_]+: ", "").str.replace(r" \(.*\)$", ""),
        )
        .group_by("code", "field")
        .agg(message=pl.col("message").first(), rows=pl.len().cast(pl.Int64))
        .sort(["rows", "code"], descending=[True, False])
    )


@query("odd_location_methods")
def _location_methods(url: str) -> pl.DataFrame:
    """Postings per place-resolution method, and how many of them got a gemeente."""
    statement = select(
        Vacancy.location_method.label("method"),
        POSTINGS.label("postings"),
        func.count(Vacancy.gemeente_code).label("resolved"),
    ).group_by(Vacancy.location_method)
    return _frame(statement, url).with_columns(
        pl.col("method").cast(pl.String),
        pl.col("postings", "resolved").cast(pl.Int64),
    )


# --- Derived frames ---------------------------------------------------------------------------


def freshness_status(days: int | None) -> str | None:
    """The plain-language status key of a source whose newest posting is ``days`` old.

    >>> freshness_status(3), freshness_status(20), freshness_status(60), freshness_status(400)
    ('actueel', 'recent', 'verouderd', 'sterk_verouderd')
    """
    if days is None:
        return None
    for status, upto in FRESHNESS_BANDS:
        if days <= upto:
            return status
    return FRESHNESS_BANDS[-1][0]


def sources(today: dt.date | None = None) -> pl.DataFrame:
    """The sources with their share of unresolved places and freshness on ``today``."""
    today = today or dt.date.today()
    frame = run("odd_sources")
    return frame.with_columns(
        unresolved_share=pl.when(pl.col("postings") > 0)
        .then(pl.col("unresolved") / pl.col("postings"))
        .otherwise(None),
        days_since_newest=(pl.lit(today) - pl.col("newest_posting")).dt.total_days(),
    ).with_columns(status=_status_expr(pl.col("days_since_newest")))


def _status_expr(days: pl.Expr) -> pl.Expr:
    """``freshness_status`` as a Polars expression."""
    expr: pl.Expr = pl.lit(FRESHNESS_BANDS[-1][0])
    for status, upto in reversed(FRESHNESS_BANDS[:-1]):
        expr = pl.when(days <= upto).then(pl.lit(status)).otherwise(expr)
    return pl.when(days.is_null()).then(pl.lit(None, pl.String)).otherwise(expr)


def parse_raw(text: str | None) -> list[tuple[str, str]]:
    """The raw values of a quarantined row as (column, value) pairs, values as plain text.

    >>> parse_raw('{"titel": "<b>x</b>", "n": 3}')
    [('titel', '<b>x</b>'), ('n', '3')]
    """
    if not text:
        return []
    try:
        value: Any = json.loads(text)
    except ValueError:
        return [("", text)]
    if isinstance(value, str):  # stored twice encoded on some drivers
        try:
            value = json.loads(value)
        except ValueError:
            return [("", value)]
    if isinstance(value, dict):
        return [
            (str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
            for k, v in value.items()
        ]
    if isinstance(value, list):
        return [(str(i), v if isinstance(v, str) else json.dumps(v)) for i, v in enumerate(value)]
    return [("", str(value))]


# --- API views --------------------------------------------------------------------------------


@api_view(
    "bronnen",
    "Vacaturebronnen: plaatsingen, ontdubbelde vacatures, aandeel onherleidbare plaatsen, "
    "nieuwste plaatsing, actualiteit, laatst geladen en of het demodata is.",
    {},
)
def sources_table(args: Mapping[str, str]) -> pl.DataFrame:
    return sources().select(
        pl.col("source").alias("bron"),
        pl.col("postings").alias("plaatsingen"),
        pl.col("vacancies").alias("vacatures_ontdubbeld"),
        pl.col("unresolved").alias("zonder_gemeente"),
        pl.col("unresolved_share").round(4).alias("aandeel_zonder_gemeente"),
        pl.col("newest_posting").alias("nieuwste_plaatsing"),
        pl.col("days_since_newest").alias("dagen_sinds_nieuwste"),
        pl.col("status").alias("actualiteit"),
        pl.col("loaded_at").alias("laatst_geladen"),
        pl.col("is_demo").alias("demodata"),
    )


@api_view(
    "batches",
    "Laadbatches: bron, bestand, formaat, start en einde, status en de aantallen gelezen, "
    "geaccepteerde, afgekeurde en dubbele rijen en onherleidbare plaatsen; nieuwste eerst.",
    {},
)
def batches_table(args: Mapping[str, str]) -> pl.DataFrame:
    return run("odd_batches").select(
        pl.col("batch"),
        pl.col("source").alias("bron"),
        pl.col("file_name").alias("bestand"),
        pl.col("format").alias("formaat"),
        pl.col("started_at").alias("gestart"),
        pl.col("finished_at").alias("klaar"),
        pl.col("status"),
        pl.col("rows_read").alias("gelezen"),
        pl.col("rows_accepted").alias("geaccepteerd"),
        pl.col("rows_rejected").alias("afgekeurd"),
        pl.col("duplicates").alias("dubbel"),
        pl.col("unresolved_places").alias("plaats_onbekend"),
        pl.col("quarantined").alias("afgekeurde_rijen_bewaard"),
        pl.col("is_demo").alias("demodata"),
    )


@api_view(
    "afgekeurd",
    "Alle afgekeurde (in quarantaine gezette) rijen van één laadbatch: rijnummer, veld, reden "
    "en de ruwe waarden als JSON-tekst.",
    {"batch": "nummer van de laadbatch (verplicht; zie /api/v1/batches.json)"},
)
def rejects_table(args: Mapping[str, str]) -> pl.DataFrame:
    text = (args.get("batch") or "").strip()
    if not text.isdigit():
        raise ValueError("geef een batchnummer: ?batch=<nummer>")
    batch = int(text)
    if batch not in set(run("odd_batches")["batch"].to_list()):
        raise ValueError(f"onbekende batch: {batch}")
    return run("odd_rejects", batch, None).select(
        pl.col("batch"),
        pl.col("file_name").alias("bestand"),
        pl.col("row_number").alias("rij"),
        pl.col("field").alias("veld"),
        pl.col("reason").alias("reden"),
        pl.col("raw").alias("ruwe_waarden"),
    )
