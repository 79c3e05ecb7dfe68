"""Benchmark of ``regiokompas ingest`` and measurement of duplicate detection.

Throughput (each step runs in its own process, so its peak memory is its own):

    .venv/bin/python bench/ingest.py --rows 1000000
    .venv/bin/python bench/ingest.py --rows 1000000 --database-url postgresql+psycopg://...

makes a CSV of ROWS demo postings in the native schema (bench/out/, kept between runs), then
times (a) a plain ``pl.read_csv`` of it, (b) ``ingest_file`` into a fresh SQLite store and into
PostgreSQL (a throwaway server like the tests', unless --database-url is given), and (c) the
same steps written with pandas (read in chunks of 50,000 rows), without the store and loading
into SQLite. The pandas extra is bench-only: ``pip install -e '.[bench]'``.

Duplicate detection:

    .venv/bin/python bench/ingest.py --dedup --rows 50000

clusters ROWS demo postings (which carry a ground-truth cluster) at several thresholds, as
generated and with reposts' texts perturbed (a line dropped, a site footer added), and prints
pairwise precision and recall.

Print lines are Markdown table rows for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
END_MONTH = dt.date(2026, 10, 1)
NATIVE = [
    "id",
    "title",
    "employer",
    "location",
    "posted_at",
    "closing_at",
    "education_level",
    "hours",
    "contract_type",
    "text",
    "url",
]


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def demo_rows(rows: int, seed: int = 42) -> Any:
    """Demo postings as a Polars frame, with their ground-truth cluster."""
    import polars as pl

    from data.demo.generator import generate_chunks, load_world
    from data.places import PlaceResolver

    reference = ROOT / "data" / "reference"
    world = load_world(reference, END_MONTH)
    resolver = PlaceResolver.from_reference(reference)
    frames = []
    for vacancies, _ in generate_chunks(world, resolver, rows, seed, END_MONTH):
        frame = pl.DataFrame(vacancies).drop("sections")
        frames.append(frame)
    return pl.concat(frames)


def native_frame(frame: Any) -> Any:
    import polars as pl

    return frame.select(
        pl.col("source_id").alias("id"),
        "title",
        "employer",
        pl.col("location_text").alias("location"),
        pl.col("posted_at").dt.strftime("%d-%m-%Y").alias("posted_at"),
        pl.col("closing_at").cast(pl.String),
        "education_level",
        pl.format("{}-{} uur", *[pl.col(c).cast(pl.Int32) for c in ("hours_min", "hours_max")])
        .alias("hours"),
        "contract_type",
        "text",
        "url",
    )  # fmt: skip


def make_csv(rows: int) -> Path:
    """The benchmark file, written chunk by chunk so that making it stays in bounded memory."""
    import polars as pl

    from data.demo.generator import generate_chunks, load_world
    from data.places import PlaceResolver

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"vacatures_{rows}.csv"
    if path.exists():
        return path
    reference = ROOT / "data" / "reference"
    world = load_world(reference, END_MONTH)
    resolver = PlaceResolver.from_reference(reference)
    partial = path.with_suffix(".partial")
    with partial.open("wb") as handle:
        for index, (vacancies, _) in enumerate(
            generate_chunks(world, resolver, rows, 42, END_MONTH)
        ):
            frame = native_frame(pl.DataFrame(vacancies).drop("sections"))
            frame.write_csv(handle, include_header=index == 0)
    partial.rename(path)
    return path


# --- steps, each run in a subprocess ---------------------------------------------------------


def step_polars_read(path: Path) -> dict[str, Any]:
    import polars as pl

    started = time.perf_counter()
    frame = pl.read_csv(path)
    return {"seconds": time.perf_counter() - started, "rows": frame.height}


def timed(step: Any, *args: Any) -> dict[str, Any]:
    """Run ``step``; add the CPU seconds (all threads) of its measured part: imports and
    interpreter start stay out of every row alike."""
    cpu = time.process_time()
    result = step(*args)
    result["cpu"] = time.process_time() - cpu
    return result


def step_ingest(path: Path, url: str, matcher: bool = False) -> dict[str, Any]:
    import data.ingest.pipeline as pipeline
    from data.ingest import ingest_file
    from data.store import init_db

    if not matcher:
        # Ingestion only; the "with matcher" row keeps the hand-over to matching.
        pipeline._call_matching = lambda session, ids: None  # type: ignore[assignment]
    init_db(url)
    started = time.perf_counter()
    report = ingest_file(url, path, source="bench")
    return {
        "seconds": time.perf_counter() - started,
        "rows": report.read,
        "report": report.as_json(),
        "stages": report.details()["stages"],
    }


def step_polars_transform(path: Path) -> dict[str, Any]:
    """The Polars read, validate, normalise and dedup steps of ``ingest_file`` without the
    store: first pass, cleaning and checks, content hashes, MinHash and clustering."""
    import numpy as np
    import polars as pl

    from data.ingest.dedup import DedupParams, Postings, cluster
    from data.ingest.pipeline import _first_pass, _resolve_places, _resolver
    from data.ingest.readers import open_table
    from data.ingest.schemas import resolve_fields
    from data.ingest.transform import BatchContext, content_hashes, prepare_batch

    started = time.perf_counter()
    params = DedupParams()
    with tempfile.TemporaryDirectory() as workdir:
        table = open_table(path, Path(workdir))
        field_map = resolve_fields(path.name, table.header, None)
        columns = {n: table.column_for(c) for n, c in field_map.columns.items()}
        first = _first_pass(table, columns, None)
        ctx = BatchContext(
            field_map=field_map,
            header_columns=columns,
            date_orders=first.date_orders,
            places=_resolve_places(first.places, _resolver(str(ROOT / "data" / "reference"))),
            employers=first.employers,
            repeated_rows=first.repeated_rows,
            width=len(table.columns),
        )
        postings = Postings()
        accepted = rejected = next_id = 0
        for raw in table.batches(50_000):
            prepared = prepare_batch(raw, ctx)
            rows = prepared.accepted
            ids = np.arange(next_id + 1, next_id + rows.height + 1, dtype=np.int64)
            next_id += rows.height
            rows = rows.with_columns(pl.Series("id", ids), content_hashes(rows["content_payload"]))
            postings.add(rows, params, new=True)
            accepted += rows.height
            rejected += prepared.rejected.height
        result = cluster(postings, params)
    return {
        "seconds": time.perf_counter() - started,
        "rows": accepted + rejected,
        "vacancies": result.new_vacancies,
    }


PANDAS_CHUNK = 50_000  # rows per pandas chunk: the batch size of ingest_file


def pandas_transform(
    path: Path,
    write: Callable[[Any, Any], None] | None = None,
    reserve_ids: Callable[[int], Any] | None = None,
) -> dict[str, Any]:
    """The same read, validate, normalise and dedup steps in idiomatic pandas 3 (pyarrow-backed
    strings, vectorised ``.str`` methods, ``to_datetime`` with its cache, work per distinct
    value where values repeat, the same place resolver and employer normaliser, the same
    numpy MinHash core and clustering).

    The file is read in chunks of :data:`PANDAS_CHUNK` rows (``read_csv(chunksize=...)``), as
    ``ingest_file`` reads batches: each chunk is cleaned, checked, hashed and MinHashed, handed
    to ``write`` (its vacancies and rejected rows) and dropped. What stays for the whole file is
    compact: the dedup state per row (id, day, key hash, band keys, 16-bit signature), the ids
    seen (for the duplicate-id check) and the resolved places and employers. Reading the whole
    file at once does not fit: the word split of a million texts makes about 140 M Python
    strings. ``reserve_ids(n)`` gives the ids of a chunk's vacancies (default 1, 2, ...).
    Returns the counts, the posted months and the clustering."""
    import hashlib
    import html

    import numpy as np
    import pandas as pd
    import polars as pl

    from data.ingest.dedup import DedupParams, Postings, cluster, signatures
    from data.ingest.transform import _GENDER_TAG, MAX_TEXT, MAX_TITLE
    from data.normalise import employer_norm
    from data.places import PlaceResolver

    params = DedupParams()
    resolver = PlaceResolver.from_reference(ROOT / "data" / "reference")
    # Kept across chunks: each distinct place and employer is resolved once per file.
    gemeente: dict[str, Any] = {}
    method: dict[str, Any] = {}
    norms: dict[str, Any] = {}
    seen_ids: set[str] = set()
    postings = Postings()
    months: set[Any] = set()
    counts = {"accepted": 0, "rejected": 0}
    next_id = 1

    def only_where(series: Any, mask: Any, clean: Any) -> Any:
        if mask.any():
            series = series.copy()
            series[mask] = clean(series[mask])
        return series

    def strip_html(values: Any) -> Any:
        values = values.str.replace(r"(?is)<(script|style)\b.*?</\1\s*>", "", regex=True)
        values = values.str.replace(r"(?i)<li\b[^>]*>", "\n- ", regex=True)
        values = values.str.replace(r"(?i)<br\s*/?>|</?(p|div|ul|ol|h[1-6])\b[^>]*>", "\n",
                                    regex=True)  # fmt: skip
        values = values.str.replace(r"<[^>]+>", "", regex=True)
        return values.map(html.unescape, na_action="ignore")

    def tidy(values: Any) -> Any:
        values = values.str.replace(r"\r\n?", "\n", regex=True)
        values = values.str.replace(r"[^\S\n]+", " ", regex=True)
        values = values.str.replace(r" ?\n ?", "\n", regex=True)
        return values.str.replace(r"\n{3,}", "\n\n", regex=True).str.strip()

    def parse_dates(values: Any) -> Any:
        day_first = pd.to_datetime(values, format="%d-%m-%Y", errors="coerce")
        iso = pd.to_datetime(values, format="ISO8601", errors="coerce")
        return day_first.fillna(iso).dt.date

    def level_bounds(values: Any) -> tuple[Any, Any]:
        """Lowest and highest level of each education level, worked out per category."""
        levels = values.astype("category")
        names = pd.Series(levels.cat.categories, dtype="str").str.lower()
        digits = names.str.findall(r"[1-4]")
        mbo = names.str.contains(r"\bmbo|\bniveau\s*[1-4]\b", regex=True)
        hbo = names.str.contains(r"\bhbo|\bbachelor", regex=True)
        wo = names.str.contains(r"\bwo\b|universit|\bmaster", regex=True)
        school = names.str.contains(r"\b(?:vmbo|havo|vwo|mavo)\b", regex=True)
        low_mbo = digits.map(lambda d: min(map(int, d)) if d else 2)
        high_mbo = digits.map(lambda d: max(map(int, d)) if d else 4)
        low = (
            pd.concat([school.map({True: 0}), low_mbo.where(mbo), hbo.map({True: 5}),
                       wo.map({True: 6})], axis=1).min(axis=1)
        )  # fmt: skip
        high = (
            pd.concat([school.map({True: 0}), high_mbo.where(mbo), hbo.map({True: 5}),
                       wo.map({True: 6})], axis=1).max(axis=1)
        )  # fmt: skip
        codes = levels.cat.codes.to_numpy()
        known = codes >= 0
        level_min = np.full(len(values), np.nan)
        level_max = np.full(len(values), np.nan)
        level_min[known] = low.to_numpy(dtype=float)[codes[known]]
        level_max[known] = high.to_numpy(dtype=float)[codes[known]]
        return level_min, level_max

    def prepare(frame: Any, first_row: int) -> tuple[Any, Any]:
        """Clean and check one chunk: (accepted vacancies, rejected rows)."""
        frame["_row"] = np.arange(first_row, first_row + len(frame))
        for column in NATIVE:
            cleaned = frame[column].str.replace(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "",
                                                regex=True).str.strip()  # fmt: skip
            frame[column] = cleaned.where(cleaned != "")
        text = frame["text"]
        text = only_where(text, text.str.contains("[<&]", regex=True, na=False), strip_html)
        untidy = text.str.contains(r"\r|[^\S\n]{2,}|[^\S\n ]| \n|\n |\n\n\n|^\s|\s$", regex=True,
                                   na=False)  # fmt: skip
        frame["text"] = only_where(text, untidy, tidy)
        for column in ("title", "employer", "location", "contract_type", "education_level"):
            values = frame[column]
            marked = values.str.contains("[<&]", regex=True, na=False)
            values = only_where(
                values, marked, lambda v: strip_html(v).str.replace(r"\s+", " ", regex=True)
            )
            frame[column] = values.str.strip()

        posted = parse_dates(frame["posted_at"])
        closing = parse_dates(frame["closing_at"])
        level_min, level_max = level_bounds(frame["education_level"])
        hours = frame["hours"].str.extract(r"(\d+(?:[.,]\d+)?)\s*(?:-|tot|–)\s*(\d+(?:[.,]\d+)?)")
        hours_min = pd.to_numeric(hours[0].str.replace(",", "."), errors="coerce")
        hours_max = pd.to_numeric(hours[1].str.replace(",", "."), errors="coerce")

        for place in frame["location"].dropna().unique():
            if place not in method:
                resolved = resolver.resolve(place)
                gemeente[place] = resolved.gemeente_code
                method[place] = resolved.method
        for employer in frame["employer"].dropna().unique():
            if employer not in norms:
                norms[employer] = employer_norm(employer)

        source_ids = frame["id"]
        # Repeated within the chunk or seen in an earlier one; a set lookup per id is cheaper
        # than ``isin`` over all earlier ids for every chunk.
        earlier = np.fromiter((value in seen_ids for value in source_ids.tolist()), dtype=bool,
                              count=len(source_ids))  # fmt: skip
        repeated = source_ids.notna() & (source_ids.duplicated() | earlier)
        seen_ids.update(source_ids.dropna().tolist())
        checks = [
            ("missing_required", "id", source_ids.isna()),
            ("missing_required", "title", frame["title"].isna()),
            ("missing_required", "posted_at", frame["posted_at"].isna()),
            ("too_long", "title", frame["title"].str.len().gt(MAX_TITLE)),
            ("too_long", "text", frame["text"].str.len().gt(MAX_TEXT)),
            ("bad_date", "posted_at", frame["posted_at"].notna() & posted.isna()),
            ("duplicate_id", "id", repeated),
        ]
        code = pd.Series(pd.NA, index=frame.index, dtype="str")
        field = pd.Series(pd.NA, index=frame.index, dtype="str")
        for name, column, failed in reversed(checks):
            failed = failed.fillna(False).astype(bool)
            code = code.mask(failed, name)
            field = field.mask(failed, column)
        bad = code.notna()
        rejected = pd.DataFrame({"row_number": frame["_row"][bad], "field": field[bad],
                                 "code": code[bad]})  # fmt: skip
        raw = [
            line
            for line in frame.loc[bad, NATIVE].to_json(orient="records", lines=True).split("\n")
            if line
        ]
        rejected["raw"] = pd.Series(raw, index=rejected.index, dtype="str")

        out = pd.DataFrame(
            {
                "source_id": source_ids,
                "title": frame["title"],
                "employer": frame["employer"].str.slice(0, 300),
                "employer_norm": frame["employer"].map(norms),
                "location_text": frame["location"].str.slice(0, 300),
                "gemeente_code": frame["location"].map(gemeente),
                "location_method": frame["location"].map(method),
                "posted_at": posted,
                "closing_at": closing,
                "education_level": frame["education_level"].str.slice(0, 40),
                "level_min": level_min,
                "level_max": level_max,
                "hours_min": hours_min,
                "hours_max": hours_max,
                "contract_type": frame["contract_type"].str.slice(0, 60),
                "text": frame["text"],
                "url": frame["url"],
            }
        )[~bad].reset_index(drop=True)
        out["posted_month"] = (
            pd.to_datetime(out["posted_at"]).dt.to_period("M").dt.start_time.dt.date
        )
        # The pipeline's pattern for "(m/v)", "(m/v/x)" and the like: a copy of it went stale.
        out["title_norm"] = (
            out["title"].str.lower().str.replace(_GENDER_TAG, " ", regex=True)
            .str.replace(r"[^\w]+", " ", regex=True).str.strip()
        )  # fmt: skip
        # The payload of data.normalise.content_hash: a blank line (two line breaks) becomes
        # one space, as " ".join(text.split()) makes it.
        flat = (
            out["text"].fillna("").str.replace("\n\n", " ", regex=False)
            .str.replace("\n", " ", regex=False).str.lower()
        )  # fmt: skip
        payload = (out["title"].str.lower() + "\x1f" + out["employer"].fillna("").str.lower()
                   + "\x1f" + flat)  # fmt: skip
        out["content_hash"] = [hashlib.sha256(p.encode("utf-8")).hexdigest() for p in payload]
        return out, rejected

    reader = pd.read_csv(path, dtype="str", keep_default_na=False, chunksize=PANDAS_CHUNK)
    first_row = 2
    with reader:
        for frame in reader:
            out, rejected = prepare(frame, first_row)
            first_row += len(frame)
            counts["accepted"] += len(out)
            counts["rejected"] += len(rejected)
            if reserve_ids is not None:
                out["id"] = reserve_ids(len(out))
            else:
                out["id"] = np.arange(next_id, next_id + len(out), dtype=np.int64)
                next_id += len(out)
            if len(out):
                # MinHash: words hashed with pandas' vectorised hash, then the same numpy core
                # as ours; the chunk's word lists are dropped with the chunk.
                words = out["text"].fillna("").str.lower().str.split()
                lengths = words.str.len().to_numpy(dtype=np.int64)
                hashes = pd.util.hash_array(words.explode().dropna().to_numpy(dtype=object))
                del words
                signature = signatures(lengths, hashes.astype(np.uint64), params)
                keyed = out[["title_norm", "employer_norm", "gemeente_code"]].notna().all(axis=1)
                key = pd.util.hash_pandas_object(
                    out[["title_norm", "employer_norm", "gemeente_code"]], index=False
                ).to_numpy() | np.uint64(1)
                key[~keyed.to_numpy()] = 0
                postings.add_signatures(
                    pl.DataFrame({"id": out["id"].to_numpy(),
                                  "posted_at": pd.to_datetime(out["posted_at"])})
                    .with_columns(pl.col("posted_at").cast(pl.Date)),
                    signature, key, params, new=True,
                )  # fmt: skip
                months.update(out["posted_month"].unique().tolist())
            if write is not None:
                write(out, rejected)
    result = cluster(postings, params)
    return {**counts, "months": sorted(months), "result": result}


def step_pandas_transform(path: Path) -> dict[str, Any]:
    """pandas transform without the store (the counterpart of ``step_polars_transform``)."""
    started = time.perf_counter()
    done = pandas_transform(path)
    return {
        "seconds": time.perf_counter() - started,
        "rows": done["accepted"] + done["rejected"],
        "vacancies": done["result"].new_vacancies,
    }


def step_pandas(path: Path, url: str) -> dict[str, Any]:
    """pandas transform, then the same store writes as ingest_file, in one transaction: each
    chunk's vacancies (as heads of their own cluster) and rejected rows through the
    BulkWriter, the secondary indexes built again, cluster ids set, demand counts rebuilt."""
    import polars as pl

    from data.aggregates import rebuild_demand
    from data.store import IngestBatch, init_db
    from data.store.bulk import QUARANTINE_COLUMNS, VACANCY_COLUMNS, BulkWriter
    from data.store.session import session_scope

    init_db(url)
    started = time.perf_counter()
    writing = 0.0
    with session_scope(url) as session:
        batch = IngestBatch(source="bench-pandas", status="done", is_demo=False)
        session.add(batch)
        session.flush()
        writer = BulkWriter(session)
        # The bench store is empty, so any batch brings more postings than it holds and the
        # indexes are set aside, as ingest_file does.
        writer.defer_indexes(1)

        def write(out: Any, rejected: Any) -> None:
            nonlocal writing
            began = time.perf_counter()
            frame = pl.from_pandas(out.drop(columns=["title_norm"])).with_columns(
                pl.col("level_min", "level_max").cast(pl.Int32),
                pl.lit("bench-pandas").alias("source"),
                pl.lit(None, pl.String).alias("sector"),
                pl.lit(None, pl.Boolean).alias("via_intermediary"),
                pl.lit(None, pl.String).alias("sections"),
                pl.col("id").alias("cluster_id"),
                pl.lit(True).alias("is_cluster_head"),
                pl.lit(batch.id, pl.Int64).alias("batch_id"),
                pl.lit(False).alias("is_demo"),
            )
            writer.insert("vacancies", frame.select(VACANCY_COLUMNS))
            quarantine = pl.from_pandas(rejected).with_columns(
                pl.lit(batch.id, pl.Int64).alias("batch_id"),
                pl.lit(path.name).alias("file_name"),
                pl.col("code").alias("reason"),
            )
            writer.insert("quarantined_rows", quarantine.select(QUARANTINE_COLUMNS))
            writing += time.perf_counter() - began

        done = pandas_transform(path, write, writer.reserve_ids)
        began = time.perf_counter()
        writer.restore_indexes()
        result = done["result"]
        writer.set_clusters(result.new_ids, result.new_cluster)
        rebuild_demand(session, done["months"])
        writing += time.perf_counter() - began
    return {
        "seconds": time.perf_counter() - started,
        "write_seconds": writing,
        "rows": done["accepted"] + done["rejected"],
        "vacancies": result.new_vacancies,
    }


def run_step(name: str, path: Path, url: str | None) -> dict[str, Any]:
    command = [sys.executable, __file__, "--step", name, "--path", str(path)]
    if url:
        command += ["--database-url", url]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- duplicate detection -----------------------------------------------------------------------


def perturb(frame: Any, seed: int = 7) -> Any:
    """Reposts as other sites show them: a line dropped and a footer of the site added."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    texts = frame["text"].to_list()
    heads = frame["is_cluster_head"].to_list()
    sources = frame["source"].to_list()
    for i, head in enumerate(heads):
        if head:
            continue
        lines = texts[i].split("\n")
        if len(lines) > 4:
            del lines[int(rng.integers(1, len(lines)))]
        lines.append(f"Solliciteer via {sources[i]}: reageer vandaag nog!")
        texts[i] = "\n".join(lines)
    return frame.with_columns(pl.Series("text", texts))


def measure_dedup(rows: int) -> list[str]:
    import polars as pl

    from data.ingest.dedup import DedupParams, Postings, cluster, pair_scores
    from data.ingest.transform import title_norm

    started = time.perf_counter()
    frame = demo_rows(rows).with_columns(title_norm())
    made = time.perf_counter() - started
    lines = [f"<!-- {rows:,} demo postings generated in {made:.0f} s -->"]
    for label, data in (("as generated", frame), ("reposts perturbed", perturb(frame))):
        for mode in ("key only", "text only", "key or text"):
            base = DedupParams()
            postings = Postings()
            t0 = time.perf_counter()
            for chunk in data.iter_slices(50_000):
                source = chunk.with_columns(
                    pl.col("id").cast(pl.Int64),
                    (
                        pl.col("employer_norm") if mode != "text only" else pl.lit(None, pl.String)
                    ).alias("employer_norm"),
                )
                if mode == "key only":
                    source = source.with_columns(pl.lit("").alias("text"))
                postings.add(source, base, new=True)
            signature_seconds = time.perf_counter() - t0
            thresholds = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0) if mode != "key only" else (base.threshold,)
            for threshold in thresholds:
                params = DedupParams(threshold=threshold)
                t1 = time.perf_counter()
                result = cluster(postings, params)
                order = pl.DataFrame({"id": result.new_ids, "cluster": result.new_cluster})
                joined = data.select("id", "cluster_id").join(order, on="id")
                scores = pair_scores(joined["cluster"], joined["cluster_id"])
                lines.append(
                    f"| {label} | {mode} | {threshold if mode != 'key only' else '-'} | "
                    f"{scores['precision']:.3f} | {scores['recall']:.3f} | "
                    f"{scores['clusters']:,} / {scores['true_clusters']:,} | "
                    f"{signature_seconds + time.perf_counter() - t1:.1f} s |"
                )
    return lines


# --- main --------------------------------------------------------------------------------------


def _postgres() -> tuple[str, Any]:
    sys.path.insert(0, str(ROOT / "tests"))
    import shutil

    from conftest import _pg_bindir, free_port
    from pytest_postgresql.executors.proc import PostgreSQLExecutor
    from pytest_postgresql.janitor import DatabaseJanitor

    bindir = _pg_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL not found: apt-get install postgresql")
    base = Path(tempfile.mkdtemp(prefix="regiokompas-bench-pg-"))
    executable = str(bindir / "pg_ctl")
    if os.geteuid() == 0:
        wrapper = base / "pg_ctl"
        wrapper.write_text(f'#!/bin/sh\nexec runuser -u postgres -- {executable} "$@"\n')
        wrapper.chmod(0o755)
        executable = str(wrapper)
        base.chmod(0o755)
        shutil.chown(base, "postgres")
    port = free_port()
    executor = PostgreSQLExecutor(
        executable=executable,
        host="127.0.0.1",
        port=port,
        datadir=str(base / "data"),
        unixsocketdir=str(base),
        logfile=str(base / "postgresql.log"),
        startparams="-w",
        dbname="bench",
        user="postgres",
        postgres_options="-c fsync=off -c synchronous_commit=off -c max_wal_size=4GB",
    )
    executor.start()
    DatabaseJanitor(user="postgres", host="127.0.0.1", port=port, dbname="bench").init()
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/bench", executor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--matcher-rows", type=int, default=None,
                        help="rows of the file for the 'with matcher' row (0: skip)")  # fmt: skip
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument("--dedup", action="store_true")
    parser.add_argument("--step", default=None)
    parser.add_argument("--path", default=None)
    args = parser.parse_args()

    if args.step:
        path = Path(args.path)
        steps = {
            "polars_read": lambda: timed(step_polars_read, path),
            "polars_transform": lambda: timed(step_polars_transform, path),
            "ingest": lambda: timed(step_ingest, path, args.database_url),
            "ingest_matcher": lambda: timed(step_ingest, path, args.database_url, True),
            "pandas_transform": lambda: timed(step_pandas_transform, path),
            "pandas": lambda: timed(step_pandas, path, args.database_url),
        }
        result = steps[args.step]()
        result["peak_mib"] = _peak_mib()
        print(json.dumps(result))
        return

    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    print(f"<!-- {dt.date.today()} · {machine} · Python {platform.python_version()} -->")
    if args.dedup:
        print("| texts | rule | threshold | precision | recall | clusters / true | time |")
        print("|---|---|---|---|---|---|---|")
        for line in measure_dedup(args.rows):
            print(line, flush=True)
        return

    started = time.perf_counter()
    path = make_csv(args.rows)
    size = path.stat().st_size / 2**20
    print(f"<!-- {path.name}: {size:,.0f} MiB, made in {time.perf_counter() - started:.0f} s -->")
    print(
        "| step | rows | wall s | CPU s | rows/s (wall) | peak MiB | × pl.read_csv (CPU) | load |"
    )
    print("|---|---|---|---|---|---|---|---|")
    loads: list[float] = []

    def run(name: str, file: Path, url: str | None = None) -> dict[str, Any]:
        result = run_step(name, file, url)
        result["load"] = os.getloadavg()[0]
        loads.append(result["load"])
        return result

    baseline = run("polars_read", path)

    def row(label: str, result: dict[str, Any], base: dict[str, Any] = baseline) -> None:
        print(
            f"| {label} | {result['rows']:,} | {result['seconds']:.1f} | {result['cpu']:.1f} | "
            f"{result['rows'] / result['seconds']:,.0f} | {result['peak_mib']:,.0f} | "
            f"{result['cpu'] / base['cpu']:.1f} | {result['load']:.1f} |",
            flush=True,
        )
        if "stages" in result:
            stages = ", ".join(f"{k} {v:.1f}" for k, v in result["stages"].items())
            print(f"<!-- {label}: wall s per stage: {stages} -->", flush=True)

    row("(a) pl.read_csv", baseline)
    transform = run("polars_transform", path)
    row("Polars transform only (no store)", transform)
    with tempfile.TemporaryDirectory(prefix="regiokompas-bench-") as tmp:
        sqlite = run("ingest", path, f"sqlite:///{Path(tmp) / 'bench.db'}")
        row("ingest → SQLite, without matcher", sqlite)
        if not args.no_pandas:
            pandas_only = run("pandas_transform", path)
            row("(b) pandas transform only (no store)", pandas_only)
            pandas = run("pandas", path, f"sqlite:///{Path(tmp) / 'pandas.db'}")
            row("(b) pandas transform + same store writes → SQLite", pandas)
            report = sqlite["report"]
            print(
                f"<!-- vacancies found: Polars transform {transform['vacancies']:,}, Polars "
                f"ingest {report['accepted'] - report['duplicates']:,}, pandas transform "
                f"{pandas_only['vacancies']:,}, pandas end to end {pandas['vacancies']:,}; "
                f"pandas / Polars, transform only: {pandas_only['cpu'] / transform['cpu']:.1f}× "
                f"CPU, {pandas_only['seconds'] / transform['seconds']:.1f}× wall; end to end "
                f"into SQLite: {pandas['cpu'] / sqlite['cpu']:.1f}× CPU, "
                f"{pandas['seconds'] / sqlite['seconds']:.1f}× wall (store writes in the "
                f"pandas run: {pandas['write_seconds']:.1f} s wall) -->",
                flush=True,
            )
        if not args.no_postgres:
            executor = None
            url = args.database_url
            if url is None:
                url, executor = _postgres()
            try:
                row("ingest → PostgreSQL, without matcher", run("ingest", path, url))
            finally:
                if executor is not None:
                    executor.stop()
        matcher_rows = args.rows if args.matcher_rows is None else args.matcher_rows
        if matcher_rows:
            small = path if matcher_rows == args.rows else make_csv(matcher_rows)
            small_base = run("polars_read", small) if small != path else baseline
            without = run("ingest", small, f"sqlite:///{Path(tmp) / 'm0.db'}")
            row("ingest → SQLite, without matcher", without, small_base)
            with_matcher = run("ingest_matcher", small, f"sqlite:///{Path(tmp) / 'm1.db'}")
            row("ingest → SQLite, with matcher", with_matcher, small_base)
    print(f"<!-- load average (1 min) during the steps: {min(loads):.1f}–{max(loads):.1f} -->")


if __name__ == "__main__":
    main()
