"""Shared fixtures: databases (SQLite and a real PostgreSQL on loopback), a small demo store and
copies of it, a real gunicorn serving it, a real Redis on loopback, and headless Chromium.

Without PostgreSQL, Redis or Chromium on the machine the tests that need them skip with a
message saying what to install; with CI=true such a skip is an error, so CI always runs them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = ROOT / "data" / "reference"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("REGIOKOMPAS_TEST_CHROMIUM", "/usr/bin/chromium")
DEMO_END_MONTH = dt.date(2026, 10, 1)


def missing(what: str, install: str) -> None:
    """Skip on a developer's machine, fail in CI."""
    message = f"{what} is not available: install it with `{install}`"
    if IN_CI:
        pytest.fail(message + " (CI=true: this test must run)", pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    return REFERENCE_DIR


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), reverse=True)
    return candidates[0].parent if candidates else None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[tuple[str, int]]:
    """A real PostgreSQL server on 127.0.0.1, started for this test session.

    PostgreSQL refuses to run as root; when the tests run as root (CI), pg_ctl runs as the
    ``postgres`` system user through a small wrapper.
    """
    from pytest_postgresql.executors.proc import PostgreSQLExecutor

    bindir = _pg_bindir()
    if bindir is None:
        missing("PostgreSQL", "apt-get install postgresql")
    assert bindir is not None
    base = Path(tempfile.mkdtemp(prefix="regiokompas-pg-"))
    executable = str(bindir / "pg_ctl")
    if os.geteuid() == 0:
        wrapper = base / "pg_ctl"
        wrapper.write_text(f'#!/bin/sh\nexec runuser -u postgres -- {executable} "$@"\n')
        wrapper.chmod(0o755)
        executable = str(wrapper)
        base.chmod(0o755)
        shutil.chown(base, "postgres")
    data_dir = base / "data"
    port = free_port()
    executor = PostgreSQLExecutor(
        executable=executable,
        host="127.0.0.1",
        port=port,
        datadir=str(data_dir),
        unixsocketdir=str(base),
        logfile=str(base / "postgresql.log"),
        startparams="-w",
        dbname="regiokompas",
        user="postgres",
        postgres_options="-c fsync=off -c full_page_writes=off -c synchronous_commit=off",
    )
    executor.start()
    try:
        yield "127.0.0.1", port
    finally:
        executor.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: tuple[str, int], request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty database on the session's server for one test."""
    from pytest_postgresql.janitor import DatabaseJanitor

    host, port = postgres_server
    name = "t_" + "".join(ch if ch.isalnum() else "_" for ch in request.node.name)[:50].lower()
    janitor = DatabaseJanitor(user="postgres", host=host, port=port, dbname=name)
    janitor.init()
    try:
        yield f"postgresql+psycopg://postgres@{host}:{port}/{name}"
    finally:
        from data.store.session import engine_for

        engine_for(f"postgresql+psycopg://postgres@{host}:{port}/{name}").dispose()
        janitor.drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test that takes this runs on SQLite and on a real PostgreSQL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("postgres_url"))


# --- A small demo store, served by real gunicorn ----------------------------------------------


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store with reference data and 4,000 demo postings, built once."""
    from data.demo.generator import build_demo
    from data.loaders import load_reference
    from data.store import init_db, session_scope

    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    init_db(url)
    with session_scope(url) as session:
        load_reference(session, REFERENCE_DIR)
        build_demo(session, REFERENCE_DIR, n=4_000, seed=7, end_month=DEMO_END_MONTH)
    return url


@pytest.fixture(scope="session")
def demo_store_copy(
    demo_store: str, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], str]:
    """Make a private copy of the demo store for tests that write to it: ``demo_store_copy(name)``
    returns the URL of a fresh copy in its own folder (the shared store stays as it is).

    The copy goes through SQLite's backup API, which includes what is still in the write-ahead
    log (a plain file copy can miss it).
    """
    source = demo_store.removeprefix("sqlite:///")

    def make(name: str) -> str:
        target = tmp_path_factory.mktemp(name) / "store.db"
        with (
            contextlib.closing(sqlite3.connect(source)) as original,
            contextlib.closing(sqlite3.connect(target)) as copy,
        ):
            original.backup(copy)
        return f"sqlite:///{target}"

    return make


def _wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; see its log")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


class AppServers:
    """Starts real gunicorn servers of the app (two workers, loopback) and stops them all."""

    def __init__(self, tmp: pytest.TempPathFactory) -> None:
        self.tmp = tmp
        self.processes: list[tuple[subprocess.Popen[bytes], object]] = []
        self.logs: dict[str, Path] = {}

    def start(self, database_url: str, models: Path | None = None, **settings: str) -> str:
        """Serve the app on ``database_url``; ``models`` is a folder of fitted models to put
        in the server's cache, so that its first request does not train them. Other keyword
        arguments are settings (``cache_type="RedisCache"``). The server's log, access log
        included, is ``self.logs[base]``."""
        port = free_port()
        cache_dir = self.tmp.mktemp("cache")
        if models is not None:
            shutil.copytree(models, cache_dir / "models")
        env = {
            **os.environ,
            "REGIOKOMPAS_DATABASE_URL": database_url,
            "REGIOKOMPAS_CACHE_DIR": str(cache_dir),
            "REGIOKOMPAS_CACHE_TYPE": "FileSystemCache",
            **{f"REGIOKOMPAS_{name.upper()}": value for name, value in settings.items()},
        }
        log = open(self.tmp.mktemp("logs") / "gunicorn.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "2",
                "--timeout",
                "300",
                "--access-logfile",
                "-",
                "--bind",
                f"127.0.0.1:{port}",
                "--chdir",
                str(ROOT),
                "app:server",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append((process, log))
        base = f"http://127.0.0.1:{port}"
        self.logs[base] = Path(log.name)
        try:
            _wait_for(base + "/healthz", process)
        except (RuntimeError, TimeoutError) as error:
            log.flush()
            raise RuntimeError(f"{error}:\n{Path(log.name).read_text()[-4000:]}") from error
        return base

    def stop_all(self) -> None:
        for process, log in self.processes:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the occupation classifier fitted once for the whole session."""
    from matching.occupations import train

    folder = tmp_path_factory.mktemp("models")
    train(cache_dir=folder)
    return folder


@pytest.fixture(scope="session")
def app_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServers]:
    servers = AppServers(tmp_path_factory)
    yield servers
    servers.stop_all()


@pytest.fixture(scope="session")
def live_server(demo_store: str, app_servers: AppServers) -> str:
    """The app on the demo store, served by a real gunicorn with two workers on loopback."""
    return app_servers.start(demo_store)


# --- Redis -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Redis server on 127.0.0.1 and a free port, without persistence, for this session;
    its URL (database 0)."""
    executable = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(executable).exists():
        missing("Redis", "apt-get install redis-server")
    import redis

    folder = tmp_path_factory.mktemp("redis")
    port = free_port()
    process = subprocess.Popen(
        [executable, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly"]
        + ["no", "--dir", str(folder), "--logfile", str(folder / "redis.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 30
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log = folder / "redis.log"
                raise RuntimeError(
                    f"redis-server did not start: {log.read_text() if log.exists() else ''}"
                ) from None
            time.sleep(0.1)
    try:
        yield url
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def redis_url(redis_server: str) -> str:
    """The session's Redis, emptied for this test."""
    import redis

    with redis.Redis.from_url(redis_server) as client:
        client.flushall()
    return redis_server


# --- Headless Chromium ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        missing("Chromium", "apt-get install chromium chromium-driver")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser page that records console errors and failed requests."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


SCREENSHOT_DIR = ROOT / "tests" / "screenshots"
