"""Benchmark: skill extraction throughput on synthetic demo vacancies.

    .venv/bin/python bench/extract.py --vacancies 200000
    .venv/bin/python bench/extract.py --vacancies 20000 --repeat 1 --regex-sample 500

Compares, on the same texts and the same patterns (every form, spelling variant, heading and
cue the extractor scans for):

* ``SkillExtractor.transform`` with ``n_jobs=1`` (batches one after another, each scan in one
  thread; Polars still runs its other string passes on every core) and ``n_jobs=-1`` (batches
  in threads, or a single batch's scan split over them);
* (a) a bare ``pl.col("text").str.extract_many(patterns, ascii_case_insensitive=True)``: one
  Aho-Corasick pass that finds the words, without offsets, boundaries or sections (Polars runs
  it on every core, one chunk of the column per thread);
* (b) one Python regular expression per skill (its forms as a word-bounded alternation),
  looped over the texts: timed on ``--regex-sample`` texts and extrapolated linearly.

Times are the best of ``--repeat`` runs (the runs are interleaved, so a noisy machine hurts
every method alike); the load average before and after is printed with them, as the CPU times
of a shared machine depend on it. The demo texts are cached under var/bench/. Run by hand;
paste the printed Markdown into bench/RESULTS.md with the machine and date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402


def demo_texts(n: int, seed: int) -> pl.Series:
    """``n`` demo vacancy texts (``data.demo.generator.generate_chunks``), cached."""
    cache = ROOT / "var" / "bench" / f"demo_texts_{n}_{seed}.parquet"
    if cache.exists():
        return pl.read_parquet(cache)["text"]
    from data.demo.generator import generate_chunks, load_world
    from data.places import PlaceResolver
    from data.settings import REFERENCE_DIR

    end = dt.date(2026, 10, 1)
    world = load_world(REFERENCE_DIR, end)
    resolver = PlaceResolver.from_reference(REFERENCE_DIR)
    texts: list[str] = []
    for vacancies, _links in generate_chunks(world, resolver, n, seed, end):
        texts.extend(v["text"] for v in vacancies)
    cache.parent.mkdir(parents=True, exist_ok=True)
    pl.DataFrame({"text": texts}).write_parquet(cache)
    return pl.Series("text", texts)


def regex_per_skill(taxonomy: pl.DataFrame) -> list[tuple[str, re.Pattern[str]]]:
    from matching.taxonomy import skill_forms

    compiled = []
    for row in taxonomy.iter_rows(named=True):
        forms = sorted({f for f in skill_forms(row)}, key=len, reverse=True)
        alternation = "|".join(re.escape(f) for f in forms)
        compiled.append((row["skill_id"], re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.I)))
    return compiled


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def timed_cpu(function: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall time and CPU time of this process (all its threads)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - wall, time.process_time() - cpu, result


class PythonShare:
    """Time spent in the extractor's Python post-processing (lists, partial overlaps)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def wrap(self, cls: type, name: str) -> None:
        original = getattr(cls, name)
        share = self

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                share.seconds += time.perf_counter() - started

        setattr(cls, name, staticmethod(wrapper) if name == "_longest" else wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--vacancies", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--regex-sample", type=int, default=500)
    args = parser.parse_args()

    from matching.extraction import SkillExtractor
    from matching.taxonomy import load_taxonomy

    seconds, texts = timed(lambda: demo_texts(args.vacancies, args.seed))
    print(
        f"{len(texts):,} demo texts, {texts.str.len_bytes().sum() / 1e6:,.0f} MB ({seconds:.0f} s)"
    )
    taxonomy = load_taxonomy(validate=False)
    fit_seconds, extractor = timed(lambda: SkillExtractor().fit(taxonomy))
    parallel = SkillExtractor(n_jobs=-1).fit(taxonomy)
    patterns = extractor.patterns_
    frame = texts.to_frame("text")
    print(f"{taxonomy.height:,} skills, {len(patterns):,} patterns, fit {fit_seconds:.1f} s")

    load_before = os.getloadavg()
    share = PythonShare()
    share.wrap(SkillExtractor, "_elision")
    share.wrap(SkillExtractor, "_longest")
    runs: dict[str, list[float]] = {"ours": [], "ours_parallel": [], "bare": []}
    cpu: dict[str, list[float]] = {"ours": [], "bare": []}
    python_seconds = []
    matches = bare_hits = 0
    for _ in range(args.repeat):
        share.seconds = 0.0
        seconds, cpu_seconds, out = timed_cpu(lambda: extractor.transform(frame))
        runs["ours"].append(seconds)
        cpu["ours"].append(cpu_seconds)
        python_seconds.append(share.seconds)
        matches = out.height
        seconds, _ = timed(lambda: parallel.transform(frame))
        runs["ours_parallel"].append(seconds)
        seconds, cpu_seconds, hits = timed_cpu(
            lambda: frame.select(
                pl.col("text").str.extract_many(patterns, ascii_case_insensitive=True)
            )
        )
        runs["bare"].append(seconds)
        cpu["bare"].append(cpu_seconds)
        bare_hits = int(hits.to_series().list.len().sum())

    sample = texts.head(args.regex_sample).to_list()
    compiled = regex_per_skill(taxonomy)

    def regex_loop() -> int:
        count = 0
        for text in sample:
            for _skill, pattern in compiled:
                for _match in pattern.finditer(text):
                    count += 1
        return count

    regex_seconds, regex_hits = timed(regex_loop)
    regex_total = regex_seconds * len(texts) / len(sample)

    load_after = os.getloadavg()
    best = {k: min(v) for k, v in runs.items()}
    n = len(texts)
    rate = {k: n / v for k, v in best.items()}
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    print()
    print(f"| method ({n:,} demo vacancies, {machine}) | best s | median s | texts/s | CPU s |")
    print("|---|---:|---:|---:|---:|")
    labels = {
        "ours": "SkillExtractor.transform, n_jobs=1",
        "ours_parallel": f"SkillExtractor.transform, n_jobs=-1 ({os.cpu_count()} threads)",
        "bare": "(a) bare `str.extract_many`, ascii_case_insensitive",
    }
    for key, label in labels.items():
        cpu_text = f"{min(cpu[key]):.2f}" if key in cpu else "–"
        print(
            f"| {label} | {best[key]:.2f} | {statistics.median(runs[key]):.2f} | "
            f"{rate[key]:,.0f} | {cpu_text} |"
        )
    print(
        f"| (b) one `re` per skill, {len(sample):,} texts timed ({regex_seconds:.1f} s), "
        f"extrapolated | {regex_total:,.0f} | – | {n / regex_total:,.0f} | – |"
    )
    print()
    cpu_ratio = min(cpu["bare"]) / min(cpu["ours"])
    print(
        f"Throughput ratios: n_jobs=1 {rate['ours'] / rate['bare']:.2f}× (a) by wall time, "
        f"{cpu_ratio:.2f}× (a) by CPU time, "
        f"{regex_total / best['ours']:,.0f}× (b); n_jobs=-1 "
        f"{rate['ours_parallel'] / rate['bare']:.2f}× (a), "
        f"{regex_total / best['ours_parallel']:,.0f}× (b). "
        f"Python post-processing {min(python_seconds):.2f} s of {best['ours']:.2f} s. "
        f"{matches:,} matches ({matches / n:.1f} per text); the bare scan reports "
        f"{bare_hits:,} hits, the regex loop {regex_hits * n / len(sample):,.0f} (extrapolated)."
    )
    print(
        "Load average (1, 5, 15 min) before the runs "
        + ", ".join(f"{x:.2f}" for x in load_before)
        + "; after "
        + ", ".join(f"{x:.2f}" for x in load_after)
        + "."
    )


if __name__ == "__main__":
    main()
