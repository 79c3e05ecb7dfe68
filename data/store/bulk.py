"""Bulk writes and reads of one ingest batch, inside the caller's transaction.

The ORM's row-by-row inserts cost more than all of the parsing, so large batches go through
the driver: PostgreSQL's ``COPY ... FROM STDIN`` (psycopg) and SQLite's ``executemany``, both on
the connection of the session's transaction, so the batch still commits whole or not at all.
The ingestion pipeline (data/ingest) decides what to write; this module owns the SQL.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl
from sqlalchemy import Date, bindparam, text
from sqlalchemy.orm import Session

VACANCY_COLUMNS = (
    "id",
    "source",
    "source_id",
    "title",
    "employer",
    "employer_norm",
    "location_text",
    "gemeente_code",
    "location_method",
    "posted_at",
    "posted_month",
    "closing_at",
    "education_level",
    "level_min",
    "level_max",
    "hours_min",
    "hours_max",
    "contract_type",
    "sector",
    "via_intermediary",
    "text",
    "sections",
    "url",
    "content_hash",
    "cluster_id",
    "is_cluster_head",
    "batch_id",
    "is_demo",
)
QUARANTINE_COLUMNS = ("batch_id", "file_name", "row_number", "field", "code", "reason", "raw")
# What duplicate detection reads of stored postings.
STORED_POSTING_SCHEMA = {
    "id": pl.Int64,
    "posted_at": pl.Date,
    "title": pl.String,
    "employer_norm": pl.String,
    "gemeente_code": pl.String,
    "text": pl.String,
    "cluster_id": pl.Int64,
}
# Any constant works: it only has to be the same for every process that ingests.
INGEST_LOCK = 7_240_311
_IN_CHUNK = 5_000  # ids per IN (...) list, well below SQLite's parameter limit
_EPOCH = dt.date(1970, 1, 1)


class BulkWriter:
    """Writes of one batch on ``session``'s connection and transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name
        self._next_id: int | None = None
        self._deferred: list[str] = []

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    def _driver(self) -> Any:
        return self.session.connection().connection.driver_connection

    def lock(self) -> None:
        """Serialise ingest batches: each must see the postings of the one before to link
        duplicates. PostgreSQL: a transaction-level advisory lock. SQLite: the first write of
        the transaction (the batch row, written next) takes the database's write lock."""
        if self.is_postgres:
            self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": INGEST_LOCK})
            # Postings written with explicit ids (the demo builder) do not move the sequence.
            self.session.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('vacancies', 'id'), "
                    "GREATEST((SELECT COALESCE(MAX(id), 0) FROM vacancies), "
                    "(SELECT last_value FROM vacancies_id_seq)), true)"
                )
            )

    def source_is_known(self, source: str) -> bool:
        """Whether the store holds any posting of ``source``."""
        found = self.session.execute(
            text("SELECT 1 FROM vacancies WHERE source = :s LIMIT 1"), {"s": source}
        )
        return found.first() is not None

    # --- indexes ---------------------------------------------------------------------------

    def defer_indexes(self, incoming: int) -> bool:
        """On SQLite, drop the secondary indexes of ``vacancies`` for the inserts when the
        batch brings more postings than the table holds; :meth:`restore_indexes` builds them
        again in the same transaction. Building an index once over sorted keys costs less
        than updating eight B-trees row by row (bench/RESULTS.md), and a rollback or a killed
        process brings the indexes back with everything else. Every non-unique index is read
        from ``sqlite_master``, so one a migration adds (0004's wide ``source`` overview index,
        the costliest to keep up row by row) is set aside too. The unique (source, source_id)
        index stays: it guards idempotence. PostgreSQL keeps its indexes: dropping one there
        locks out every reader for the whole batch."""
        if self.is_postgres or incoming <= 0:
            return False
        present = self.session.execute(text("SELECT COUNT(*) FROM vacancies")).scalar_one()
        if int(present) >= incoming:
            return False
        rows = self.session.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'vacancies' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'"
            )
        ).all()
        for name, _ in rows:
            self.session.execute(text(f'DROP INDEX "{name}"'))
        self._deferred = [sql for _, sql in rows]
        return bool(rows)

    def restore_indexes(self) -> None:
        for sql in self._deferred:
            self.session.execute(text(sql))
        self._deferred = []

    # --- inserts ---------------------------------------------------------------------------

    def reserve_ids(self, count: int) -> np.ndarray:
        """``count`` new vacancy ids, increasing."""
        if count == 0:
            return np.empty(0, dtype=np.int64)
        if self.is_postgres:
            rows = self.session.execute(
                text("SELECT nextval('vacancies_id_seq') FROM generate_series(1, :n)"),
                {"n": count},
            ).scalars()
            return np.sort(np.fromiter(rows, dtype=np.int64, count=count))
        if self._next_id is None:
            current = self.session.execute(text("SELECT COALESCE(MAX(id), 0) FROM vacancies"))
            self._next_id = int(current.scalar_one()) + 1
        first = self._next_id
        self._next_id += count
        return np.arange(first, first + count, dtype=np.int64)

    def _copy(self, table: str, frame: pl.DataFrame) -> None:
        columns = ", ".join(frame.columns)
        buffer = io.BytesIO()
        # Quoted strings keep "" apart from NULL (an unquoted empty field).
        frame.write_csv(buffer, include_header=False, quote_style="non_numeric", null_value="")
        driver = self._driver()
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy,
        ):
            copy.write(buffer.getbuffer())

    def _executemany(self, table: str, frame: pl.DataFrame) -> None:
        columns = ", ".join(frame.columns)
        marks = ", ".join("?" for _ in frame.columns)
        # sqlite3 binds str, int, float and None; dates go as ISO text, booleans as 0/1.
        converted = frame.with_columns(
            [
                pl.col(name).cast(pl.String)
                for name, dtype in frame.schema.items()
                if dtype == pl.Date
            ]
            + [
                pl.col(name).cast(pl.Int8)
                for name, dtype in frame.schema.items()
                if dtype == pl.Boolean
            ]
        )
        cursor = self._driver().cursor()
        try:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", converted.iter_rows()
            )
        finally:
            cursor.close()

    def insert(self, table: str, frame: pl.DataFrame) -> None:
        """All rows of ``frame`` (columns named as in ``table``) in one statement."""
        if frame.height == 0:
            return
        if self.is_postgres:
            self._copy(table, frame)
        else:
            self._executemany(table, frame)

    def existing_source_ids(self, source: str, source_ids: Sequence[str]) -> set[str]:
        """Which of ``source_ids`` the store already holds for ``source``."""
        found: set[str] = set()
        for start in range(0, len(source_ids), _IN_CHUNK):
            chunk = list(source_ids[start : start + _IN_CHUNK])
            params = {f"p{i}": value for i, value in enumerate(chunk)}
            marks = ", ".join(f":p{i}" for i in range(len(chunk)))
            rows = self.session.execute(
                text(
                    f"SELECT source_id FROM vacancies WHERE source = :source "
                    f"AND source_id IN ({marks})"
                ),
                {"source": source, **params},
            )
            found.update(rows.scalars())
        return found

    # --- duplicate clusters ----------------------------------------------------------------

    def stored_postings(
        self, start: dt.date, end: dt.date, *, except_batch: int, chunk: int
    ) -> list[pl.DataFrame]:
        """Postings of other batches posted between ``start`` and ``end`` (with their text),
        in chunks of ``chunk`` rows, as :data:`STORED_POSTING_SCHEMA` frames."""
        frames: list[pl.DataFrame] = []
        last_id = 0
        query = (
            text(
                "SELECT id, posted_at, title, employer_norm, gemeente_code, text, cluster_id "
                "FROM vacancies WHERE posted_at BETWEEN :start AND :end AND id > :last "
                "AND (batch_id IS NULL OR batch_id <> :batch) ORDER BY id LIMIT :limit"
            )
            .bindparams(bindparam("start", type_=Date), bindparam("end", type_=Date))
            .columns(posted_at=Date)
        )
        while True:
            rows = self.session.execute(
                query,
                {"start": start, "end": end, "last": last_id, "batch": except_batch,
                 "limit": chunk},
            ).all()  # fmt: skip
            if not rows:
                break
            frame = pl.DataFrame(
                [tuple(r) for r in rows], schema=STORED_POSTING_SCHEMA, orient="row"
            )
            frames.append(frame)
            last_id = int(frame["id"].max())  # type: ignore[arg-type]
            if len(rows) < chunk:
                break
        return frames

    def posted_days(self, ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """``(ids, days since 1970-01-01 of posted_at)`` of the stored postings ``ids``."""
        found: list[int] = []
        days: list[int] = []
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start : start + _IN_CHUNK]
            params = {f"p{i}": v for i, v in enumerate(chunk)}
            marks = ", ".join(f":p{i}" for i in range(len(chunk)))
            query = text(f"SELECT id, posted_at FROM vacancies WHERE id IN ({marks})").columns(
                posted_at=Date
            )
            for vid, posted in self.session.execute(query, params):
                found.append(int(vid))
                days.append((posted - _EPOCH).days)
        return np.array(found, dtype=np.int64), np.array(days, dtype=np.int32)

    def set_clusters(self, ids: np.ndarray, clusters: np.ndarray) -> None:
        """Give new postings that are not their own cluster head their cluster (they were
        written as heads of their own cluster)."""
        moved = ids != clusters
        if not moved.any():
            return
        frame = pl.DataFrame({"id": ids[moved], "cluster_id": clusters[moved]})
        if self.is_postgres:
            self.session.execute(
                text("CREATE TEMP TABLE _ingest_clusters (id BIGINT, cluster_id BIGINT) "
                     "ON COMMIT DROP")
            )  # fmt: skip
            self._copy("_ingest_clusters", frame)
            self.session.execute(
                text(
                    "UPDATE vacancies AS v SET cluster_id = c.cluster_id, "
                    "is_cluster_head = false FROM _ingest_clusters AS c WHERE v.id = c.id"
                )
            )
            self.session.execute(text("DROP TABLE _ingest_clusters"))
            return
        cursor = self._driver().cursor()
        try:
            cursor.executemany(
                "UPDATE vacancies SET cluster_id = ?, is_cluster_head = 0 WHERE id = ?",
                frame.select("cluster_id", "id").iter_rows(),
            )
        finally:
            cursor.close()

    def move_stored_clusters(self, moved: dict[int, int]) -> list[str]:
        """Merge stored clusters into the cluster they now belong to; returns the months
        (ISO dates) of the postings that changed, whose counts must be rebuilt."""
        months: set[str] = set()
        for old, new in moved.items():
            rows = self.session.execute(
                text("SELECT DISTINCT posted_month FROM vacancies WHERE cluster_id = :old"),
                {"old": old},
            )
            months.update(str(value) for value in rows.scalars())
            self.session.execute(
                text(
                    "UPDATE vacancies SET cluster_id = :new, is_cluster_head = (id = :new) "
                    "WHERE cluster_id = :old"
                ),
                {"old": old, "new": new},
            )
        return sorted(months)
