"""The data page (/over-de-data) and its API views, on a copy of the demo store with two
ingest batches whose rejected rows carry markup and spreadsheet formulas."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import ROOT, _wait_for, free_port

from dashboard.queries import over_de_data as oq

SCREENSHOTS = ROOT / "var" / "screenshots"
SCRIPT = "<script>alert(1)</script>"
FILE_NAME = f"vacatures {SCRIPT}.csv"
FORMULA_FIELD = "=cmd|' /C calc'!A0"


def test_freshness_status_and_raw_values() -> None:
    assert [oq.freshness_status(d) for d in (0, 7, 8, 31, 32, 92, 93)] == [
        "actueel",
        "actueel",
        "recent",
        "recent",
        "verouderd",
        "verouderd",
        "sterk_verouderd",
    ]
    assert oq.freshness_status(None) is None
    assert oq.parse_raw(json.dumps({"a": SCRIPT, "b": [1, 2]})) == [("a", SCRIPT), ("b", "[1, 2]")]
    assert oq.parse_raw(json.dumps(json.dumps({"a": "x"}))) == [("a", "x")]
    assert oq.parse_raw("not json") == [("", "not json")]
    assert oq.parse_raw(None) == []


def _add_rejects(url: str) -> tuple[str, int, int]:
    """Two batches with quarantined rows added to a copy of the demo store; their ids."""
    from data.store import IngestBatch, QuarantinedRow, session_scope

    with session_scope(url) as session:
        big = IngestBatch(
            source="Werkzoeken.example",
            file_name=FILE_NAME,
            format="csv",
            status="done",
            started_at=dt.datetime(2026, 11, 20, 9, 0),
            finished_at=dt.datetime(2026, 11, 20, 9, 1),
            rows_read=400,
            rows_accepted=250,
            rows_rejected=150,
        )
        small = IngestBatch(
            source="Banen.example",
            file_name="banen.xlsx",
            format="xlsx",
            status="done",
            started_at=dt.datetime(2026, 11, 19, 9, 0),
            finished_at=dt.datetime(2026, 11, 19, 9, 1),
            rows_read=10,
            rows_accepted=7,
            rows_rejected=3,
        )
        session.add_all([big, small])
        session.flush()
        for number in range(150):
            session.add(
                QuarantinedRow(
                    batch_id=big.id,
                    file_name=FILE_NAME,
                    row_number=number + 2,
                    field=FORMULA_FIELD if number == 0 else "posted_at",
                    reason="bad_date: Datum is niet te lezen (<b>31-02-2026</b>)",
                    raw={"titel": SCRIPT, "datum": "31-02-2026", "werkgever": '=HYPERLINK("x")'},
                )
            )
        for number in range(3):
            session.add(
                QuarantinedRow(
                    batch_id=small.id,
                    file_name="banen.xlsx",
                    row_number=number + 2,
                    field="title",
                    reason="missing_required: Verplicht veld is leeg",
                    raw={"titel": ""},
                )
            )
        ids = big.id, small.id
    return url, ids[0], ids[1]


@pytest.fixture(scope="module")
def rejects_server(
    demo_store_copy: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, int, int]]:
    """The app on a copy, served by its own gunicorn (the shared demo store stays as is)."""
    folder = tmp_path_factory.mktemp("odd")
    url, big, small = _add_rejects(demo_store_copy("odd-store"))
    port = free_port()
    env = {
        **os.environ,
        "REGIOKOMPAS_DATABASE_URL": url,
        "REGIOKOMPAS_CACHE_DIR": str(folder / "cache"),
        "REGIOKOMPAS_CACHE_TYPE": "FileSystemCache",
    }
    log = open(folder / "gunicorn.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
        + ["--chdir", str(ROOT), "app:server"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            _wait_for(base + "/healthz", process)
        except (RuntimeError, TimeoutError) as error:
            log.flush()
            raise RuntimeError(
                f"{error}:\n{(folder / 'gunicorn.log').read_text()[-4000:]}"
            ) from error
        yield base, big, small
    finally:
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        process.wait(timeout=30)
        log.close()


def _no_dialogs(page: Any) -> list[str]:
    dialogs: list[str] = []

    def record(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return dialogs


@pytest.mark.browser
def test_data_page_with_rejected_rows_shown_as_text(
    rejects_server: tuple[str, int, int], page: Any
) -> None:
    base, big, small = rejects_server
    dialogs = _no_dialogs(page)
    page.goto(f"{base}/over-de-data?batch={big}")
    page.wait_for_selector("#odd-sources-table")
    assert page.inner_text("h1") == "Over de data"
    assert page.locator("#odd-sources-table tbody tr").count() == 3  # the three demo sources
    assert "demo" in page.inner_text("#odd-sources-table tbody tr >> nth=0")
    statuses = page.locator("#odd-freshness-table .rk-status").all_inner_texts()
    assert len(statuses) == 3
    assert set(statuses) <= {"actueel", "recent", "verouderd", "sterk verouderd"}
    assert page.locator("#odd-batches-table tbody tr").count() == 3
    assert FILE_NAME in page.inner_text("#odd-batches-table")  # the file name as text
    methods = page.locator("#odd-methods-table tbody tr")
    assert methods.count() >= 12
    assert "postcode" in methods.first.inner_text()
    assert page.locator("#odd-bands tbody tr").count() == 5
    assert page.locator("#odd-references tbody tr").count() == 10
    # The batch asked for is open, with its first rows; markup in them is plain text.
    assert page.locator(f"#odd-batch-{big}").get_attribute("open") is not None
    table = page.locator(f"#odd-rejects-{big}")
    assert table.locator("tbody tr").count() == oq.REJECTS_SHOWN
    text = table.inner_text()
    assert SCRIPT in text and "<b>31-02-2026</b>" in text and FORMULA_FIELD in text
    assert table.locator("script").count() == 0 and table.locator("b").count() == 0
    assert page.locator("#odd-afgekeurd script").count() == 0
    assert FILE_NAME in page.inner_text(f"#odd-batch-{big} summary")
    assert page.locator(f"#odd-reasons-{big} tbody tr").count() == 2  # bad_date on two fields
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "over-de-data-1366.png"), full_page=True)
    # Collapsed per batch: the other batch's rows are one link away, and the link is a URL.
    assert page.locator(f"#odd-batch-{small}").get_attribute("open") is None
    page.locator(f"#odd-batch-{small} summary").click()
    page.click(f"#odd-show-rows-{small}")
    page.wait_for_selector(f"#odd-rejects-{small}")
    assert page.url.endswith(f"/over-de-data?batch={small}")
    assert page.locator(f"#odd-rejects-{small} tbody tr").count() == 3
    assert page.locator(f"#odd-batch-{small}").get_attribute("open") is not None
    assert dialogs == []
    assert page.console_errors == []


@pytest.mark.browser
def test_data_page_in_english_on_a_phone(
    rejects_server: tuple[str, int, int], browser: Any
) -> None:
    base, _, _ = rejects_server
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base + "/over-de-data?lang=en")
        page.wait_for_selector("#odd-sources-table")
        assert page.inner_text("h1") == "About the data"
        assert "Postings" in page.inner_text("#odd-sources-table thead")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"page is {width}px wide on a 390px screen"
        assert errors == []
    finally:
        context.close()


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_reject_export_and_source_views(rejects_server: tuple[str, int, int]) -> None:
    base, big, small = rejects_server
    status, body = _get(f"{base}/api/v1/afgekeurd.csv?batch={big}")
    assert status == 200
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0] == "batch;bestand;rij;veld;reden;ruwe_waarden"
    assert len(lines) == 151  # all rows, not only the 100 on the page
    assert f"'{FORMULA_FIELD}" in lines[1]  # neutralised for spreadsheets
    status, body = _get(f"{base}/api/v1/afgekeurd.json?batch={small}")
    assert status == 200 and json.loads(body)["rows"] == 3
    for bad in ("", "?batch=abc", "?batch=99999"):
        assert _get(f"{base}/api/v1/afgekeurd.json{bad}")[0] == 400
    sources = json.loads(_get(f"{base}/api/v1/bronnen.json")[1])
    assert sources["rows"] == 3 and all(row["demodata"] for row in sources["data"])
    batches = json.loads(_get(f"{base}/api/v1/batches.json")[1])
    assert batches["rows"] == 3
    assert {row["batch"] for row in batches["data"]} >= {big, small}
