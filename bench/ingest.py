"""Benchmark of ``regiokompas ingest`` and measurement of duplicate detection.

Throughput (each step runs in its own process, so its peak memory is its own):

    .venv/bin/python bench/ingest.py --rows 1000000
    .venv/bin/python bench/ingest.py --rows 1000000 --database-url postgresql+psycopg://...

makes a CSV of ROWS demo postings in the native schema (bench/out/, kept between runs), then
times (a) a plain ``pl.read_csv`` of it, (b) ``ingest_file`` into a fresh SQLite store and into
PostgreSQL (a throwaway server like the tests', unless --database-url is given), and (c) the
same steps written with pandas, loading into SQLite. The pandas extra is bench-only:
``pip install -e '.[bench]'``.

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


def pandas_transform(path: Path) -> tuple[Any, Any, Any]:
    """The same read, validate, normalise and dedup steps in idiomatic pandas 3 (pyarrow-backed
    strings, vectorised ``.str`` methods, ``to_datetime`` with its cache, work per distinct
    value where values repeat, the same place resolver and employer normaliser, the same
    numpy MinHash core and clustering). Returns (vacancies, rejected rows, clustering)."""
    import hashlib
    import html

    import numpy as np
    import pandas as pd

    from data.ingest.dedup import DedupParams, Postings, cluster, signatures
    from data.ingest.transform import MAX_TEXT, MAX_TITLE
    from data.normalise import employer_norm
    from data.places import PlaceResolver

    params = DedupParams()
    frame = pd.read_csv(path, dtype="str", keep_default_na=False)
    frame["_row"] = np.arange(2, len(frame) + 2)
    for column in NATIVE:
        cleaned = frame[column].str.replace(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", regex=True)
        cleaned = cleaned.str.strip()
        frame[column] = cleaned.where(cleaned != "")

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

    def parse_dates(values: Any) -> Any:
        day_first = pd.to_datetime(values, format="%d-%m-%Y", errors="coerce")
        iso = pd.to_datetime(values, format="ISO8601", errors="coerce")
        return day_first.fillna(iso).dt.date

    posted = parse_dates(frame["posted_at"])
    closing = parse_dates(frame["closing_at"])

    levels = frame["education_level"].astype("category")
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
    level_min = np.full(len(frame), np.nan)
    level_max = np.full(len(frame), np.nan)
    level_min[known] = low.to_numpy(dtype=float)[codes[known]]
    level_max[known] = high.to_numpy(dtype=float)[codes[known]]

    hours = frame["hours"].str.extract(r"(\d+(?:[.,]\d+)?)\s*(?:-|tot|–)\s*(\d+(?:[.,]\d+)?)")
    hours_min = pd.to_numeric(hours[0].str.replace(",", "."), errors="coerce")
    hours_max = pd.to_numeric(hours[1].str.replace(",", "."), errors="coerce")

    resolver = PlaceResolver.from_reference(ROOT / "data" / "reference")
    places = pd.Series(frame["location"].dropna().unique())
    resolved = places.map(resolver.resolve)
    gemeente = dict(zip(places, resolved.map(lambda r: r.gemeente_code), strict=True))
    method = dict(zip(places, resolved.map(lambda r: r.method), strict=True))
    employers = pd.Series(frame["employer"].dropna().unique())
    norms = dict(zip(employers, employers.map(employer_norm), strict=True))

    checks = [
        ("missing_required", "id", frame["id"].isna()),
        ("missing_required", "title", frame["title"].isna()),
        ("missing_required", "posted_at", frame["posted_at"].isna()),
        ("too_long", "title", frame["title"].str.len().gt(MAX_TITLE)),
        ("too_long", "text", frame["text"].str.len().gt(MAX_TEXT)),
        ("bad_date", "posted_at", frame["posted_at"].notna() & posted.isna()),
        ("duplicate_id", "id", frame["id"].notna() & frame["id"].duplicated()),
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

    good = ~bad
    out = pd.DataFrame(
        {
            "source_id": frame["id"],
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
    )[good].reset_index(drop=True)
    out["posted_month"] = pd.to_datetime(out["posted_at"]).dt.to_period("M").dt.start_time.dt.date
    out["title_norm"] = (
        out["title"].str.lower().str.replace(r"\(?\b[mvhfwx]\s*/\s*[mvhfwxd]\b\)?", " ", regex=True)
        .str.replace(r"[^\w]+", " ", regex=True).str.strip()
    )  # fmt: skip
    flat = out["text"].fillna("").str.replace("\n", " ").str.lower()
    payload = (out["title"].str.lower() + "\x1f" + out["employer"].fillna("").str.lower()
               + "\x1f" + flat)  # fmt: skip
    out["content_hash"] = [hashlib.sha256(p.encode("utf-8")).hexdigest() for p in payload]
    out["id"] = np.arange(1, len(out) + 1, dtype=np.int64)

    # MinHash: words hashed with pandas' vectorised hash, then the same numpy core as ours.
    words = out["text"].fillna("").str.lower().str.split()
    lengths = words.str.len().to_numpy(dtype=np.int64)
    hashes = pd.util.hash_array(words.explode().dropna().to_numpy(dtype=object))
    signature = signatures(lengths, hashes.astype(np.uint64), params)
    keyed = out[["title_norm", "employer_norm", "gemeente_code"]].notna().all(axis=1)
    key = pd.util.hash_pandas_object(
        out[["title_norm", "employer_norm", "gemeente_code"]], index=False
    ).to_numpy() | np.uint64(1)
    key[~keyed.to_numpy()] = 0
    import polars as pl

    postings = Postings()
    postings.add_signatures(
        pl.DataFrame({"id": out["id"].to_numpy(), "posted_at": pd.to_datetime(out["posted_at"])})
        .with_columns(pl.col("posted_at").cast(pl.Date)),
        signature, key, params, new=True,
    )  # fmt: skip
    result = cluster(postings, params)
    out["cluster_id"] = result.new_cluster
    return out, rejected, result


def step_pandas(path: Path, url: str) -> dict[str, Any]:
    """pandas transform, then the same store write as ingest_file (BulkWriter, one
    transaction, demand counts rebuilt)."""
    import polars as pl

    from data.aggregates import rebuild_demand
    from data.store import IngestBatch, init_db
    from data.store.bulk import QUARANTINE_COLUMNS, VACANCY_COLUMNS, BulkWriter
    from data.store.session import session_scope

    init_db(url)
    started = time.perf_counter()
    cpu = time.process_time()
    out, rejected, result = pandas_transform(path)
    transformed = time.perf_counter()
    transform_cpu = time.process_time() - cpu
    with session_scope(url) as session:
        batch = IngestBatch(source="bench-pandas", status="done", is_demo=False)
        session.add(batch)
        session.flush()
        writer = BulkWriter(session)
        writer.defer_indexes(len(out))
        frame = pl.from_pandas(out.drop(columns=["title_norm"])).with_columns(
            pl.col("level_min", "level_max").cast(pl.Int32),
            pl.lit("bench-pandas").alias("source"),
            pl.lit(None, pl.String).alias("sector"),
            pl.lit(None, pl.Boolean).alias("via_intermediary"),
            pl.lit(None, pl.String).alias("sections"),
            (pl.col("cluster_id") == pl.col("id")).alias("is_cluster_head"),
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
        writer.restore_indexes()
        rebuild_demand(session, sorted(set(frame["posted_month"].to_list())))
    done = time.perf_counter()
    return {
        "seconds": done - started,
        "transform_seconds": transformed - started,
        "transform_cpu": transform_cpu,
        "rows": len(out) + len(rejected),
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
            pandas = run("pandas", path, f"sqlite:///{Path(tmp) / 'pandas.db'}")
            row("(b) pandas transform + same store write → SQLite", pandas)
            print(
                f"<!-- pandas transform only: {pandas['transform_seconds']:.1f} s wall, "
                f"{pandas['transform_cpu']:.1f} s CPU; pandas / Polars, transform only: "
                f"{pandas['transform_cpu'] / transform['cpu']:.1f}× CPU, "
                f"{pandas['transform_seconds'] / transform['seconds']:.1f}× wall; end to end "
                f"into SQLite: {pandas['cpu'] / sqlite['cpu']:.1f}× CPU, "
                f"{pandas['seconds'] / sqlite['seconds']:.1f}× wall -->",
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
