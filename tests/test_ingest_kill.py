"""Killing ``regiokompas ingest`` in the middle of a batch leaves no trace of that batch, and
loading the file again completes it (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Connection, create_engine, func, select, text

from data.store import DemandMonth, IngestBatch, Vacancy, init_db
from data.store.bulk import INGEST_LOCK

ROWS = 60_000
pytestmark = pytest.mark.slow


def _big_file(path: Path) -> Path:
    i = pl.int_range(0, ROWS, eager=True)
    words = pl.Series(["lassen", "plannen", "zorgen", "rijden", "bouwen", "verkopen", "koken"])
    pl.DataFrame({"i": i}).with_columns(
        pl.format("K-{}", pl.col("i")).alias("id"),
        pl.format("Functie {}", pl.col("i") % 500).alias("title"),
        pl.format("Werkgever {}", pl.col("i") % 997).alias("employer"),
        pl.lit("Zwolle").alias("location"),
        pl.format("2025-03-{}", (pl.col("i") % 28 + 1).cast(pl.String).str.zfill(2)).alias(
            "posted_at"
        ),
        pl.format(
            "Vacature {} voor {} en {}. " * 6,
            *[
                x
                for k in range(6)
                for x in (
                    pl.col("i") * (k + 1),
                    pl.lit(words).gather((pl.col("i") + k) % 7),
                    pl.lit(words).gather((pl.col("i") * 3 + k) % 7),
                )
            ],
        ).alias("text"),
    ).drop("i").write_csv(path)
    return path


def _mid_batch(url: str, wal: Path, connection: Connection | None) -> bool:
    """Whether the ingest has started writing its batch (and not yet committed)."""
    if connection is None:
        return wal.exists() and wal.stat().st_size > 4 << 20
    # The batch transaction holds the ingest lock from its start to its commit; an xid means
    # it has written (the batch row first, then postings).
    writing = connection.execute(
        text(
            "SELECT count(*) FROM pg_locks AS l JOIN pg_stat_activity AS a USING (pid) "
            "WHERE l.locktype = 'advisory' AND l.objid = :key AND l.granted "
            "AND a.backend_xid IS NOT NULL"
        ),
        {"key": INGEST_LOCK},
    ).scalar_one()
    return bool(writing)


def _counts(url: str) -> tuple[int, int, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return tuple(  # type: ignore[return-value]
                int(connection.execute(select(func.count()).select_from(m)).scalar_one())
                for m in (Vacancy, IngestBatch, DemandMonth)
            )
    finally:
        engine.dispose()


def test_sigkill_mid_batch_leaves_nothing_and_rerun_completes(
    database_url: str, tmp_path: Path
) -> None:
    init_db(database_url)
    path = _big_file(tmp_path / "groot.csv")
    env = {**os.environ, "REGIOKOMPAS_DATABASE_URL": database_url}
    command = [str(Path(sys.executable).parent / "regiokompas"), "ingest", "--json", str(path)]
    wal = Path(database_url.removeprefix("sqlite:///") + "-wal")
    engine = None if database_url.startswith("sqlite") else create_engine(database_url)
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    killed = False
    try:
        # Autocommit: inside a transaction PostgreSQL would keep showing the first snapshot
        # of pg_stat_activity.
        connection = (
            engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if engine is not None
            else None
        )
        while time.monotonic() < deadline and process.poll() is None:
            if _mid_batch(database_url, wal, connection):
                time.sleep(0.5)  # let it write some postings too
                process.send_signal(signal.SIGKILL)
                killed = True
                break
            time.sleep(0.05)
        if connection is not None:
            connection.close()
    finally:
        if engine is not None:
            engine.dispose()
    process.wait(timeout=60)
    assert killed, "the ingest finished or stalled before it could be killed mid-batch"
    assert _counts(database_url) == (0, 0, 0)

    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert '"read": 60000' in done.stdout and '"accepted": 60000' in done.stdout
    vacancies, batches, _ = _counts(database_url)
    assert (vacancies, batches) == (ROWS, 1)
