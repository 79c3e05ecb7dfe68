"""Load one vacancy export into the store: ``ingest_file``.

The file is read twice, in batches. The first pass reads only the columns that need the whole
file to decide anything: how each date column writes its dates, the distinct places and
employers (resolved once each), the ids that occur twice, and the row count. The second pass
cleans, checks and writes each batch, and keeps what duplicate detection needs (a few hundred
bytes per posting). At the end the postings are linked to each other and to the store's
postings of the same weeks, the counts of the months touched are rebuilt, and everything
commits in one transaction, with the batch row marked "done" in it.

Memory stays bounded by the batch size, plus the per-posting duplicate state.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from data.ingest.dedup import DedupParams, Postings, cluster
from data.ingest.readers import FIELD_COUNT, ROW, RawTable, file_sha256, open_table
from data.ingest.reasons import ROW_REASONS, IngestError, ReasonCount
from data.ingest.schemas import DATE_FIELDS, FieldMap, Mapping, resolve_fields
from data.ingest.transform import (
    RAW_VALUE_CHARS,
    BatchContext,
    PreparedBatch,
    content_hashes,
    date_evidence,
    decide_date_order,
    prepare_batch,
    reason_text,
)
from data.normalise import employer_norm
from data.places import PlaceResolver
from data.store.bulk import QUARANTINE_COLUMNS, VACANCY_COLUMNS, BulkWriter
from data.store.models import IngestBatch

BATCH_ROWS = 50_000
SessionSource = str | sessionmaker[Session] | Callable[[], Session]
# progress(stage, done, total): stage is "lezen" (first pass), "laden" or "ontdubbelen".
Progress = Callable[[str, int, int], None]


@dataclass
class BatchReport:
    """What one call of :func:`ingest_file` did."""

    batch_id: int | None
    file_name: str
    source: str
    format: str
    schema: str
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    unresolved_places: int = 0
    reasons: list[ReasonCount] = field(default_factory=list)
    already_loaded: bool = False
    row_numbering: str = ""
    file_hash: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    months: list[str] = field(default_factory=list)
    merged_clusters: int = 0
    seconds: float = 0.0
    # CPU-independent wall seconds per stage: first pass, load (clean, check, write), dedup,
    # matcher, aggregates and commit.
    stages: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, int | None]:
        """The counts as the command line's ``--json`` prints them."""
        return {
            "batch_id": self.batch_id,
            "read": self.read,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "duplicates": self.duplicates,
            "unresolved_places": self.unresolved_places,
        }

    def details(self) -> dict[str, Any]:
        """Everything, for IngestBatch.report and the upload page."""
        return {
            **self.as_json(),
            "file_name": self.file_name,
            "source": self.source,
            "format": self.format,
            "schema": self.schema,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "already_loaded": self.already_loaded,
            "row_numbering": self.row_numbering,
            "months": self.months,
            "merged_clusters": self.merged_clusters,
            "reasons": [reason.as_dict() for reason in self.reasons],
            "seconds": round(self.seconds, 2),
            "stages": {name: round(value, 2) for name, value in self.stages.items()},
        }


def _session_factory(target: SessionSource) -> Callable[[], Session]:
    if isinstance(target, str):
        from data.store.session import engine_for

        return sessionmaker(bind=engine_for(target), expire_on_commit=False)
    return target


def _default_source(path: Path, field_map: FieldMap) -> str:
    if field_map.default_source:
        return field_map.default_source
    name = path.name
    for suffix in (".gz", ".gzip", ".zip"):
        name = name.removesuffix(suffix)
    return Path(name).stem[:100] or "upload"


# --- first pass ------------------------------------------------------------------------------


@dataclass
class FirstPass:
    rows: int
    date_orders: dict[str, str]
    places: pl.DataFrame
    employers: pl.DataFrame
    repeated_rows: pl.Series


def _first_pass(table: RawTable, columns: dict[str, str], progress: Progress | None) -> FirstPass:
    date_columns = [f for f in DATE_FIELDS if f in columns]
    place_columns = [f for f in ("location", "postcode") if f in columns]
    wanted = sorted({columns[f] for f in [*date_columns, *place_columns, "employer", "id"]
                     if f in columns})  # fmt: skip
    evidence: dict[str, int] = {}
    places: list[pl.DataFrame] = []
    employers: list[pl.Series] = []
    ids: list[pl.DataFrame] = []
    rows = 0
    clean = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
    # The strict CSV reader only checks the fields it materialises, so the first pass reads
    # every column: a broken row must surface here, before anything is written.
    read_all = table.format in {"csv", "jsonl"} and not table.tolerant
    for batch in table.batches(BATCH_ROWS, None if read_all else wanted):
        rows += batch.height
        for f in date_columns:
            # Parsed once per distinct value, weighted by its count: a million postings carry
            # a few hundred distinct dates.
            distinct = batch.group_by(columns[f]).len("_n")
            counts = distinct.select(date_evidence(columns[f], "_n")).row(0, named=True)
            for key, value in counts.items():
                evidence[key] = evidence.get(key, 0) + int(value or 0)
        tidy = batch.select(
            pl.col(ROW),
            *[
                (
                    pl.col(columns[f]).str.replace_all(clean, "").str.strip_chars()
                    .replace("", None) if f in columns else pl.lit(None, pl.String)
                ).alias(f)
                for f in ("location", "postcode", "employer", "id")
            ],
        )  # fmt: skip
        places.append(tidy.select("location", "postcode").unique())
        employers.append(tidy["employer"].drop_nulls().unique())
        ids.append(
            tidy.filter(pl.col("id").is_not_null()).select(
                pl.col(ROW), pl.col("id").hash().alias("h")
            )
        )
        if progress:
            progress("lezen", rows, 0)
    orders = {
        f: decide_date_order(
            evidence.get(f"{columns[f]}:day_first", 0),
            evidence.get(f"{columns[f]}:month_first", 0),
            evidence.get(f"{columns[f]}:slash", 0),
        )
        for f in date_columns
    }
    all_ids = pl.concat(ids) if ids else pl.DataFrame({ROW: [], "h": []})
    repeated = all_ids.filter(pl.col("h").is_duplicated()).filter(
        pl.col(ROW) != pl.col(ROW).min().over("h")
    )[ROW]
    unique_places = (
        pl.concat(places).unique()
        if places
        else pl.DataFrame(schema={"location": pl.String, "postcode": pl.String})
    )
    unique_employers = (
        pl.concat(employers).unique() if employers else pl.Series("employer", [], pl.String)
    )
    return FirstPass(
        rows=rows,
        date_orders=orders,
        places=unique_places,
        employers=pl.DataFrame(
            {
                "employer": unique_employers,
                "employer_norm": [employer_norm(name) for name in unique_employers.to_list()],
            },
            schema={"employer": pl.String, "employer_norm": pl.String},
        ),
        repeated_rows=repeated.cast(pl.Int64),
    )


@lru_cache(maxsize=4)
def _resolver(reference_dir: str) -> PlaceResolver:
    """One resolver per reference folder and process (reading the tables takes a while)."""
    return PlaceResolver.from_reference(Path(reference_dir))


def _resolve_places(places: pl.DataFrame, resolver: PlaceResolver) -> pl.DataFrame:
    """gemeente and method per distinct (location, postcode): the postcode first when it is a
    known PC4, else the location text. Unresolved places keep a method that says why."""
    from data.ingest.transform import html_to_line

    cleaned = places.with_columns(
        html_to_line(pl.col("location"), {}).replace("", None).alias("_text")
    )
    codes: list[str | None] = []
    methods: list[str] = []
    cache: dict[tuple[str | None, str | None], tuple[str | None, str]] = {}
    for text_value, postcode in cleaned.select("_text", "postcode").iter_rows():
        key = (text_value, postcode)
        if key not in cache:
            result = None
            if postcode:
                by_code = resolver.resolve(postcode)
                if by_code.method == "postcode":
                    result = by_code
            if result is None:
                result = resolver.resolve(text_value)
            cache[key] = (result.gemeente_code, result.method)
        code, method = cache[key]
        codes.append(code)
        methods.append(method)
    return places.with_columns(
        pl.Series("gemeente_code", codes, dtype=pl.String),
        pl.Series("location_method", methods, dtype=pl.String),
    )


# --- second pass -----------------------------------------------------------------------------


def _quarantine_frame(
    raw: pl.DataFrame, rejected: pl.DataFrame, batch_id: int, file_name: str
) -> pl.DataFrame:
    values = [c for c in raw.columns if c not in (ROW, FIELD_COUNT)]
    raw_json = (
        raw.lazy()
        .join(rejected.lazy(), on=ROW, how="semi")
        .select(
            pl.col(ROW),
            pl.struct(
                [pl.col(c).str.slice(0, RAW_VALUE_CHARS) for c in values]
            ).struct.json_encode().alias("raw"),
        )
        .collect()
    )  # fmt: skip
    reasons = [
        reason_text(code, field_name, detail)[:500]
        for code, field_name, detail in rejected.select("code", "field", "detail").iter_rows()
    ]
    return (
        rejected.with_columns(pl.Series("reason", reasons, dtype=pl.String))
        .join(raw_json, on=ROW, how="left")
        .select(
            pl.lit(batch_id, pl.Int64).alias("batch_id"),
            pl.lit(file_name[:500]).alias("file_name"),
            pl.col(ROW).cast(pl.Int64).alias("row_number"),
            pl.col("field"),
            pl.col("code"),
            pl.col("reason"),
            pl.col("raw"),
        )
        .select(QUARANTINE_COLUMNS)
    )


def _mark_already_loaded(
    prepared: PreparedBatch, writer: BulkWriter, source: str, check_store: bool
) -> PreparedBatch:
    if not check_store or prepared.accepted.height == 0:
        return prepared
    existing = writer.existing_source_ids(source, prepared.accepted["source_id"].to_list())
    if not existing:
        return prepared
    known = pl.col("source_id").is_in(pl.Series(sorted(existing), dtype=pl.String).implode())
    moved = prepared.accepted.filter(known).select(
        pl.col(ROW),
        pl.lit("id").alias("field"),
        pl.lit("already_loaded").alias("code"),
        pl.col("source_id").str.slice(0, 60).alias("detail"),
    )
    return PreparedBatch(
        prepared.accepted.filter(~known),
        pl.concat([prepared.rejected, moved]).sort(ROW),
    )


def _call_matching(session: Session, vacancy_ids: list[int]) -> None:
    """Hand new postings to the matcher when it is installed (written in parallel)."""
    try:
        from matching.pipeline import process_vacancies
    except ModuleNotFoundError:
        return
    process_vacancies(session, vacancy_ids)


def _already_loaded(session: Session, digest: str) -> IngestBatch | None:
    return session.execute(
        select(IngestBatch)
        .where(IngestBatch.file_hash == digest, IngestBatch.status == "done")
        .order_by(IngestBatch.id)
        .limit(1)
    ).scalar_one_or_none()


def ingest_file(
    session_factory_or_url: SessionSource,
    path: str | Path,
    *,
    source: str | None = None,
    fmt: str = "auto",
    mapping: Mapping | str | Path | None = None,
    progress: Progress | None = None,
    sheet: str | None = None,
    reference_dir: Path | None = None,
    dedup: DedupParams | None = None,
) -> BatchReport:
    """Load one export file as one batch, committed whole or not at all.

    Parameters
    ----------
    session_factory_or_url
        A SQLAlchemy URL, a ``sessionmaker`` or any callable returning a new ``Session``.
    path
        The file (CSV, XLSX, JSON Lines or Parquet; may be gzip- or zip-compressed).
    source
        Name of the source (the unique key is source + id). Default: the mapping's or
        preset's source, else the file name without extensions.
    fmt
        "auto" (from content and name), "csv", "xlsx", "jsonl" or "parquet".
    mapping
        A :class:`Mapping` or the path of a TOML/YAML mapping file.
    progress
        Called as ``progress(stage, done, total)`` after each batch.

    Raises
    ------
    IngestError
        When the file cannot be read at all (missing, empty, not a table, a required column
        missing); nothing is written then.

    Examples
    --------
    >>> report = ingest_file("sqlite:///var/regiokompas.db", "vacatures.csv")  # doctest: +SKIP
    >>> report.as_json()  # doctest: +SKIP
    {'batch_id': 3, 'read': 120, 'accepted': 118, 'rejected': 2, 'duplicates': 9, ...}
    """
    started = time.perf_counter()
    path = Path(path)
    params = dedup or DedupParams()
    if isinstance(mapping, str | Path):
        mapping = Mapping.load(Path(mapping))
    if reference_dir is None:
        from data.settings import get_settings

        reference_dir = Path(get_settings().reference_dir)
    factory = _session_factory(session_factory_or_url)
    if not path.is_file():
        raise IngestError(path.name, "not_found")
    digest = file_sha256(path)

    with tempfile.TemporaryDirectory(prefix="regiokompas-ingest-") as workdir:
        table = open_table(
            path,
            Path(workdir),
            fmt=fmt,
            sheet=sheet or (mapping.sheet if mapping else None),
            delimiter=mapping.delimiter if mapping else None,
            encoding=mapping.encoding if mapping else None,
        )
        field_map = resolve_fields(path.name, table.header, mapping)
        columns = {name: table.column_for(column) for name, column in field_map.columns.items()}
        source_name = (source or _default_source(path, field_map))[:100]
        report = BatchReport(
            batch_id=None,
            file_name=path.name,
            source=source_name,
            format=table.format,
            schema=field_map.schema,
            row_numbering=table.row_numbering,
            file_hash=digest,
        )

        session = factory()
        try:
            previous = _already_loaded(session, digest)
        finally:
            session.close()
        if previous is not None:
            report.batch_id = previous.id
            report.already_loaded = True
            report.seconds = time.perf_counter() - started
            return report

        try:
            first = _first_pass(table, columns, progress)
        except pl.exceptions.ComputeError:
            if table.format not in {"csv", "jsonl"}:
                raise
            # A stray quote, a ragged row or a line that is not JSON: read tolerantly.
            table.tolerant = True
            first = _first_pass(table, columns, progress)
        if first.rows == 0:
            raise IngestError(path.name, "no_rows")
        report.encoding = table.encoding
        report.delimiter = table.delimiter

        resolver = _resolver(str(reference_dir))
        report.seconds = time.perf_counter() - started
        ctx = BatchContext(
            field_map=field_map,
            header_columns=columns,
            date_orders=first.date_orders,
            places=_resolve_places(first.places, resolver),
            employers=first.employers,
            repeated_rows=first.repeated_rows,
            width=len(table.columns),
        )
        report.stages["first_pass"] = time.perf_counter() - started
        try:
            _load(factory, table, ctx, report, first.rows, source_name, params, progress)
        except pl.exceptions.ComputeError:
            if table.tolerant or table.format not in {"csv", "jsonl"}:
                raise
            # Rolled back; read the whole file again with the tolerant reader.
            table.tolerant = True
            report = _fresh(report)
            _load(factory, table, ctx, report, first.rows, source_name, params, progress)
    report.seconds = time.perf_counter() - started
    return report


def _fresh(report: BatchReport) -> BatchReport:
    return BatchReport(
        batch_id=None,
        file_name=report.file_name,
        source=report.source,
        format=report.format,
        schema=report.schema,
        row_numbering=report.row_numbering,
        file_hash=report.file_hash,
        encoding=report.encoding,
        delimiter=report.delimiter,
        seconds=report.seconds,
        stages={"first_pass": report.stages.get("first_pass", 0.0)},
    )


def _load(
    factory: Callable[[], Session],
    table: RawTable,
    ctx: BatchContext,
    report: BatchReport,
    total: int,
    source: str,
    params: DedupParams,
    progress: Progress | None,
) -> None:
    """The second pass and the clustering, in one transaction."""
    from data.aggregates import rebuild_demand
    from data.ingest.transform import title_norm

    started = time.perf_counter() - report.seconds
    session = factory()
    try:
        writer = BulkWriter(session)
        writer.lock()
        # Checked again under the lock: another process may have loaded the same file.
        previous = _already_loaded(session, report.file_hash)
        if previous is not None:
            session.rollback()
            report.batch_id = previous.id
            report.already_loaded = True
            return
        batch = IngestBatch(
            source=source,
            file_name=table.file_name[:500],
            file_hash=report.file_hash,
            format=table.format,
            status="running",
            is_demo=False,
        )
        session.add(batch)
        session.flush()
        batch_id = batch.id
        check_store = writer.source_is_known(source)
        writer.defer_indexes(total)
        postings = Postings()
        new_ids: list[np.ndarray] = []
        months: set[dt.date] = set()
        reason_counts: dict[tuple[str, str | None], int] = {}
        first_day: int | None = None
        last_day: int | None = None
        done = 0
        stage = time.perf_counter()
        for raw in table.batches(BATCH_ROWS):
            prepared = prepare_batch(raw, ctx)
            prepared = _mark_already_loaded(prepared, writer, source, check_store)
            accepted = prepared.accepted
            report.read += raw.height
            report.rejected += prepared.rejected.height
            report.accepted += accepted.height
            for code, field_name, count in (
                prepared.rejected.group_by("code", "field").len().iter_rows()
            ):
                reason_counts[(code, field_name)] = reason_counts.get((code, field_name), 0) + count
            if prepared.rejected.height:
                writer.insert(
                    "quarantined_rows",
                    _quarantine_frame(raw, prepared.rejected, batch_id, table.file_name),
                )
            if accepted.height:
                ids = writer.reserve_ids(accepted.height)
                rows = accepted.with_columns(
                    pl.Series("id", ids, dtype=pl.Int64),
                    content_hashes(accepted["content_payload"]),
                    pl.lit(source).alias("source"),
                    pl.Series("cluster_id", ids, dtype=pl.Int64),
                    pl.lit(True).alias("is_cluster_head"),
                    pl.lit(batch_id, pl.Int64).alias("batch_id"),
                    pl.lit(False).alias("is_demo"),
                )
                writer.insert("vacancies", rows.select(VACANCY_COLUMNS))
                postings.add(rows.drop("cluster_id"), params, new=True)
                new_ids.append(ids)
                report.unresolved_places += int(rows["gemeente_code"].null_count())
                months.update(rows["posted_month"].unique().to_list())
                day_range = rows.select(
                    pl.col("posted_at").cast(pl.Int32).min().alias("lo"),
                    pl.col("posted_at").cast(pl.Int32).max().alias("hi"),
                ).row(0)
                first_day = day_range[0] if first_day is None else min(first_day, day_range[0])
                last_day = day_range[1] if last_day is None else max(last_day, day_range[1])
            done += raw.height
            if progress:
                progress("laden", done, total)
        writer.restore_indexes()
        report.stages["load"] = time.perf_counter() - stage

        stage = time.perf_counter()
        moved_months: list[str] = []
        if first_day is not None and last_day is not None:
            if progress:
                progress("ontdubbelen", 0, 1)
            epoch = dt.date(1970, 1, 1)
            start = epoch + dt.timedelta(days=first_day - params.window_days)
            end = epoch + dt.timedelta(days=last_day + params.window_days)
            stored = writer.stored_postings(start, end, except_batch=batch_id, chunk=BATCH_ROWS)
            for chunk in stored:
                postings.add(chunk.with_columns(title_norm()), params, new=False)
            stored_ids = {int(i) for chunk in stored for i in chunk["id"].to_list()}
            stored_clusters = {
                int(c) for chunk in stored for c in chunk["cluster_id"].drop_nulls().to_list()
            }
            outside = sorted(stored_clusters - stored_ids)
            if outside:
                ids_out, days_out = writer.posted_days(outside)
                postings.add_heads(ids_out, days_out, params)
            result = cluster(postings, params)
            writer.set_clusters(result.new_ids, result.new_cluster)
            moved_months = writer.move_stored_clusters(result.moved)
            # Postings that added no vacancy: they joined a stored cluster or another posting.
            report.duplicates = report.accepted - result.new_vacancies
            report.merged_clusters = result.merged_clusters
            if progress:
                progress("ontdubbelen", 1, 1)
        report.stages["dedup"] = time.perf_counter() - stage

        all_months = months | {dt.date.fromisoformat(m[:10]) for m in moved_months}
        stage = time.perf_counter()
        if new_ids:
            _call_matching(session, [int(i) for i in np.concatenate(new_ids)])
        report.stages["matcher"] = time.perf_counter() - stage
        stage = time.perf_counter()
        rebuild_demand(session, sorted(all_months))
        report.stages["aggregates"] = time.perf_counter() - stage

        report.batch_id = batch_id
        report.months = [m.isoformat() for m in sorted(all_months)]
        report.reasons = sorted(
            (
                ReasonCount(code, field_name, ROW_REASONS.get(code, code), count)
                for (code, field_name), count in reason_counts.items()
            ),
            key=lambda r: (-r.count, r.code, r.field or ""),
        )
        batch.status = "done"
        batch.finished_at = dt.datetime.now()
        batch.rows_read = report.read
        batch.rows_accepted = report.accepted
        batch.rows_rejected = report.rejected
        batch.duplicates = report.duplicates
        batch.unresolved_places = report.unresolved_places
        stage = time.perf_counter()
        report.seconds = stage - started
        batch.report = json.loads(json.dumps(report.details(), default=str))
        session.commit()
        report.stages["commit"] = time.perf_counter() - stage
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
