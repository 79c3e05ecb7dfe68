"""Benchmark: build the demo data set of N postings into a fresh SQLite (or PostgreSQL) store
and report wall time, rows per second and peak memory of the whole process.

    .venv/bin/python bench/demo.py --vacancies 2000000
    .venv/bin/python bench/demo.py --vacancies 200000 --database-url postgresql+psycopg://...

Run by hand; append the printed line to bench/RESULTS.md with the machine and date.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vacancies", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="regiokompas-bench-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        env = {**os.environ, "REGIOKOMPAS_DATABASE_URL": url}
        command = [
            str(Path(sys.executable).parent / "regiokompas"),
            "demo",
            "--vacancies",
            str(args.vacancies),
            "--seed",
            str(args.seed),
            "--end-month",
            "2026-10",
        ]
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, cwd=ROOT)
        seconds = time.perf_counter() - started
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        size = ""
        if url.startswith("sqlite"):
            db = Path(url.removeprefix("sqlite:///"))
            size = f", database {db.stat().st_size / 2**30:.2f} GiB"
    print(
        f"| demo {args.vacancies:,} postings | {url.split(':')[0]} | {seconds:,.0f} s | "
        f"{args.vacancies / seconds:,.0f} postings/s | peak RSS {peak_mib:,.0f} MiB{size} | "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores |"
    )


if __name__ == "__main__":
    main()
