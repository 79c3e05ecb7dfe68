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


def step_ingest(path: Path, url: str) -> dict[str, Any]:
    import data.ingest.pipeline as pipeline
    from data.ingest import ingest_file
    from data.store import init_db

    # Ingestion only: the matcher that ingest_file hands new postings to has its own bench.
    pipeline._call_matching = lambda session, ids: None  # type: ignore[assignment]

    init_db(url)
    started = time.perf_counter()
    report = ingest_file(url, path, source="bench")
    return {
        "seconds": time.perf_counter() - started,
        "rows": report.read,
        "report": report.as_json(),
    }


def step_pandas(path: Path, url: str) -> dict[str, Any]:
    """The same steps in idiomatic pandas: read all as text, clean HTML and white space with
    ``.str`` regexes, parse dates, levels and hours with ``apply``, resolve places and
    normalise employers per distinct value, hash each row, link duplicates on (title,
    employer, gemeente) within 30 days, and write with ``to_sql``."""
    import hashlib
    import re

    import pandas as pd
    from sqlalchemy import create_engine

    from data.normalise import content_hash, employer_norm
    from data.places import PlaceResolver
    from data.store import init_db

    init_db(url)
    started = time.perf_counter()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in frame.columns:
        stripped = frame[column].str.strip()
        frame[column] = stripped.where(stripped != "", None).astype(object)
    text = frame["text"].fillna("")
    text = text.str.replace(r"(?is)<(script|style)\b.*?</\1\s*>", "", regex=True)
    text = text.str.replace(r"(?i)<br\s*/?>|</?(p|div|ul|ol)\b[^>]*>", "\n", regex=True)
    text = text.str.replace(r"(?i)<li\b[^>]*>", "\n- ", regex=True)
    text = text.str.replace(r"<[^>]+>", "", regex=True)
    import html

    text = text.apply(html.unescape)
    text = text.str.replace(r"[^\S\n]+", " ", regex=True).str.replace(r" ?\n ?", "\n", regex=True)
    frame["text"] = text.str.replace(r"\n{3,}", "\n\n", regex=True).str.strip()

    def parse_date(value: object) -> Any:
        if not isinstance(value, str):
            return None
        for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d-%m-%y"):
            try:
                return dt.datetime.strptime(value[:10], fmt).date()
            except ValueError:
                continue
        return None

    frame["posted_at"] = frame["posted_at"].apply(parse_date)
    frame["closing_at"] = frame["closing_at"].apply(parse_date)

    def level(value: object) -> tuple[int | None, int | None]:
        if not isinstance(value, str):
            return None, None
        lowered = value.lower()
        levels = []
        if re.search(r"\bmbo", lowered):
            digits = [int(d) for d in re.findall(r"[1-4]", lowered)]
            levels += digits or [2, 4]
        if "hbo" in lowered:
            levels.append(5)
        if re.search(r"\bwo\b", lowered):
            levels.append(6)
        return (min(levels), max(levels)) if levels else (None, None)

    levels = frame["education_level"].apply(level)
    frame["level_min"] = levels.str[0]
    frame["level_max"] = levels.str[1]

    def hours(value: object) -> tuple[float | None, float | None]:
        text = value if isinstance(value, str) else ""
        numbers = [float(n.replace(",", ".")) for n in re.findall(r"\d+(?:[.,]\d+)?", text)]
        if len(numbers) >= 2:
            return min(numbers[:2]), max(numbers[:2])
        if numbers:
            return numbers[0], numbers[0]
        return None, None

    spans = frame["hours"].apply(hours)
    frame["hours_min"] = spans.str[0]
    frame["hours_max"] = spans.str[1]
    resolver = PlaceResolver.from_reference(ROOT / "data" / "reference")
    places = {v: resolver.resolve(v) for v in frame["location"].dropna().unique()}
    frame["gemeente_code"] = frame["location"].map(
        lambda v: places[v].gemeente_code if isinstance(v, str) else None
    )
    frame["location_method"] = frame["location"].map(
        lambda v: places[v].method if isinstance(v, str) else "leeg"
    )
    employers = {v: employer_norm(v) for v in frame["employer"].dropna().unique()}
    frame["employer_norm"] = frame["employer"].map(employers)
    frame["content_hash"] = [
        content_hash(t, e if isinstance(e, str) else None, x)
        for t, e, x in zip(frame["title"], frame["employer"], frame["text"], strict=True)
    ]
    frame["title_norm"] = (
        frame["title"].str.lower().str.replace(r"\(?\b[mv]\s*/\s*[mvx]\b\)?", " ", regex=True)
        .str.replace(r"[^\w]+", " ", regex=True).str.strip()
    )  # fmt: skip
    frame["posted_month"] = pd.to_datetime(frame["posted_at"]).dt.to_period("M").dt.to_timestamp()
    frame = frame.sort_values(["title_norm", "employer_norm", "gemeente_code", "posted_at"])
    key = (
        frame[["title_norm", "employer_norm", "gemeente_code"]]
        .fillna("")
        .astype(str)
        .agg("|".join, axis=1)
    )
    gap = pd.to_datetime(frame["posted_at"]).diff().dt.days
    new_cluster = (key != key.shift()) | (gap > 30) | frame["gemeente_code"].isna()
    frame["id"] = range(1, len(frame) + 1)
    frame["cluster_id"] = frame["id"].where(new_cluster).ffill().astype(int)
    frame["is_cluster_head"] = new_cluster
    frame = frame.rename(columns={"id": "vid", "location": "location_text"})
    frame["source_id"] = frame.pop("vid").astype(str)
    frame["source"] = "bench-pandas"
    frame["is_demo"] = False
    frame = frame.drop(columns=["title_norm", "hours"])
    engine = create_engine(url)
    frame.to_sql("vacancies", engine, if_exists="append", index=False, chunksize=50_000)
    del hashlib
    return {"seconds": time.perf_counter() - started, "rows": len(frame)}


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
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument("--dedup", action="store_true")
    parser.add_argument("--step", default=None)
    parser.add_argument("--path", default=None)
    args = parser.parse_args()

    if args.step:
        path = Path(args.path)
        if args.step == "polars_read":
            result = step_polars_read(path)
        elif args.step == "ingest":
            result = step_ingest(path, args.database_url)
        else:
            result = step_pandas(path, args.database_url)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        result["peak_mib"] = _peak_mib()
        result["cpu"] = usage.ru_utime + usage.ru_stime
        print(json.dumps(result))
        return

    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    print(f"<!-- {dt.date.today()} · {machine} · load {os.getloadavg()[0]:.1f} -->")
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
    print("| step | rows | wall s | CPU s | rows/s (wall) | peak MiB | × pl.read_csv (wall, CPU) |")
    print("|---|---|---|---|---|---|---|")
    baseline = run_step("polars_read", path, None)

    def row(label: str, result: dict[str, Any]) -> None:
        print(
            f"| {label} | {result['rows']:,} | {result['seconds']:.1f} | {result['cpu']:.1f} | "
            f"{result['rows'] / result['seconds']:,.0f} | {result['peak_mib']:,.0f} | "
            f"{result['seconds'] / baseline['seconds']:.1f}, "
            f"{result['cpu'] / baseline['cpu']:.1f} |",
            flush=True,
        )

    row("(a) pl.read_csv", baseline)
    with tempfile.TemporaryDirectory(prefix="regiokompas-bench-") as tmp:
        sqlite = run_step("ingest", path, f"sqlite:///{Path(tmp) / 'bench.db'}")
        row("ingest → SQLite", sqlite)
        if not args.no_postgres:
            executor = None
            url = args.database_url
            if url is None:
                url, executor = _postgres()
            try:
                row("ingest → PostgreSQL", run_step("ingest", path, url))
            finally:
                if executor is not None:
                    executor.stop()
        if not args.no_pandas:
            pandas = run_step("pandas", path, f"sqlite:///{Path(tmp) / 'pandas.db'}")
            row("(b) pandas → SQLite", pandas)
            wall = pandas["seconds"] / sqlite["seconds"]
            cpu = pandas["cpu"] / sqlite["cpu"]
            print(f"<!-- pandas / polars ingest (SQLite): {wall:.1f}× wall, {cpu:.1f}× CPU -->")


if __name__ == "__main__":
    main()
