"""Ingestion of the fixture files in every format, broken ones included (SQLite store)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data.ingest import IngestError, Mapping, ingest_file, split_reason
from data.store import IngestBatch, QuarantinedRow, Vacancy, init_db, session_scope

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
HEADER = (
    "id,title,employer,location,posted_at,closing_at,education_level,hours,contract_type,text,url"
)


@pytest.fixture
def store(sqlite_url: str) -> str:
    init_db(sqlite_url)
    return sqlite_url


def _vacancies(url: str, batch_id: int | None) -> dict[str, Vacancy]:
    with session_scope(url) as session:
        rows = session.execute(select(Vacancy).where(Vacancy.batch_id == batch_id)).scalars()
        return {row.source_id: row for row in rows}


def _quarantine(url: str, batch_id: int | None) -> list[QuarantinedRow]:
    with session_scope(url) as session:
        query = select(QuarantinedRow).where(QuarantinedRow.batch_id == batch_id)
        return list(session.execute(query.order_by(QuarantinedRow.row_number)).scalars())


def _count(url: str, model: type) -> int:
    with session_scope(url) as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


@pytest.mark.parametrize(
    ("name", "options", "read", "accepted", "reasons"),
    [
        ("native.csv", {}, 7, 7, {}),
        ("cp1252_semicolon.csv", {}, 2, 2, {}),
        ("bom_tab.csv", {}, 1, 1, {}),
        ("repeated_header.csv", {}, 3, 2, {("repeated_header", None): 1}),
        (
            "dates.csv",
            {},
            7,
            2,
            {
                ("bad_date", "posted_at"): 2,
                ("ambiguous_date", "posted_at"): 1,
                ("date_out_of_range", "closing_at"): 1,
                ("missing_required", "posted_at"): 1,
            },
        ),
        ("dates_day_first.csv", {}, 2, 2, {}),
        ("dates_month_first.csv", {}, 2, 2, {}),
        ("stray_quotes.csv", {}, 4, 3, {("wrong_field_count", None): 1}),
        ("custom_export.csv", {"mapping": FIXTURES / "mapping.toml"}, 2, 2, {}),
        # Without the TOML's date format, 03/04/2025 and 04/05/2025 stay ambiguous.
        (
            "custom_export.csv",
            {"mapping": FIXTURES / "mapping.yaml", "fmt": "csv"},
            2,
            0,
            {("ambiguous_date", "posted_at"): 2},
        ),
        ("jobfeed.csv", {}, 2, 2, {}),
        ("native.jsonl", {}, 8, 7, {("bad_json", None): 1}),
        (
            "native.parquet",
            {},
            7,
            4,
            {("missing_required", "posted_at"): 2, ("date_out_of_range", "posted_at"): 1},
        ),
        ("native.csv.gz", {}, 7, 7, {}),
        ("native.zip", {}, 7, 7, {}),
        ("native.xlsx", {"sheet": "Vacatures"}, 4, 4, {}),
    ],
)
def test_fixture_files(
    store: str,
    name: str,
    options: dict[str, object],
    read: int,
    accepted: int,
    reasons: dict[tuple[str, str | None], int],
) -> None:
    report = ingest_file(store, FIXTURES / name, **options)  # type: ignore[arg-type]
    assert (report.read, report.accepted, report.read - report.accepted) == (
        read,
        accepted,
        report.rejected,
    )
    assert report.accepted + report.rejected == report.read
    assert {(r.code, r.field): r.count for r in report.reasons} == reasons
    assert len(_vacancies(store, report.batch_id)) == accepted
    quarantined = _quarantine(store, report.batch_id)
    assert len(quarantined) == report.rejected
    for row in quarantined:
        code, message = split_reason(row.reason)
        assert (code, row.field) in reasons
        assert row.code == code  # the machine-readable code, next to the message
        assert message and row.raw is not None and row.row_number >= 1
    with session_scope(store) as session:
        batch = session.get(IngestBatch, report.batch_id)
        assert batch is not None and batch.status == "done"
        assert batch.rows_read == read and batch.file_hash == report.file_hash


def test_native_values(store: str) -> None:
    report = ingest_file(store, FIXTURES / "native.csv")
    rows = _vacancies(store, report.batch_id)
    welder = rows["N-1"]
    assert welder.source == "native"
    assert welder.text == "Wij zoeken een lasser & bankwerker.\n\n- VCA\n- MIG/MAG-lassen"
    assert "alert" not in (welder.text or "")
    assert (welder.education_level, welder.level_min, welder.level_max) == ("mbo 3", 3, 3)
    assert (welder.hours_min, welder.hours_max) == (32.0, 40.0)
    assert welder.gemeente_code == "GM0193" and welder.location_method == "naam"
    assert welder.posted_month == dt.date(2025, 3, 1)
    assert welder.employer_norm == "van der berg metaal"
    assert len(welder.content_hash) == 64
    # Formula-like cells are text, stored as written.
    formula = rows["N-3"]
    assert formula.title == '=HYPERLINK("http://evil.invalid","klik")'
    assert formula.employer == "+31 Bedrijf"
    assert formula.text == "@SUM(A1:A2) -2+3"
    assert formula.posted_at == dt.date(2025, 3, 3) and formula.closing_at == dt.date(2025, 3, 31)
    assert (formula.level_min, formula.level_max) == (2, 5)
    assert rows["N-4"].text == "Je bouwt webapplicaties én € API's."
    assert rows["N-4"].gemeente_code is None and rows["N-4"].location_method == "geen_plaats"
    assert rows["N-5"].posted_at == dt.date(2025, 3, 5)
    assert rows["N-5"].gemeente_code is None and rows["N-5"].location_method == "regio"
    assert rows["N-2"].location_method == "postcode"
    assert report.unresolved_places == 2


def test_cp1252_is_detected(store: str) -> None:
    report = ingest_file(store, FIXTURES / "cp1252_semicolon.csv")
    assert (report.encoding, report.delimiter) == ("cp1252", ";")
    rows = _vacancies(store, report.batch_id)
    assert rows["C-1"].title == "Café medewerker"
    assert rows["C-1"].employer == "Brasserie Één"
    assert rows["C-1"].text == "Salaris € 2.500, inclusief toeslag"
    assert rows["C-2"].text == 'Ideeën welkom; "gezellige" collega\'s'


def test_jobfeed_preset(store: str) -> None:
    report = ingest_file(store, FIXTURES / "jobfeed.csv")
    assert (report.schema, report.source) == ("jobfeed", "jobfeed")
    rows = _vacancies(store, report.batch_id)
    first = rows["JF-1"]
    assert first.sections == {
        "job": "Je onderhoudt installaties.",
        "employer": "Wij zijn een familiebedrijf.",
        "candidate": "* MBO werk- en denkniveau * VCA",
        "conditions": "* Goed salaris * Bus van de zaak",
        "application": "Solliciteer via de site.",
    }
    assert first.text is not None and first.text.startswith("Je onderhoudt installaties.\n\n")
    assert (first.hours_min, first.hours_max) == (38.0, 40.0)
    assert first.sector == "F" and first.closing_at == dt.date(2025, 4, 1)
    assert first.gemeente_code == "GM0193" and first.location_method == "postcode"
    second = rows["JF-2"]
    assert second.text == "Volledige tekst van de vacature." and second.sections is None
    assert (second.hours_min, second.hours_max) == (None, 32.0)
    assert second.gemeente_code == "GM0363"
    assert (first.via_intermediary, second.via_intermediary) == (False, True)


def test_native_via_intermediary_column(store: str, tmp_path: Path) -> None:
    path = tmp_path / "bureau.csv"
    path.write_text(
        "id,title,posted_at,via_intermediary\n"
        "B-1,Kok,2025-03-03,ja\n"
        "B-2,Kok,2025-03-03,Nee\n"
        "B-3,Kok,2025-03-03,TRUE\n"
        "B-4,Kok,2025-03-03,onbekend\n"
        "B-5,Kok,2025-03-03,\n",
        encoding="utf-8",
    )
    report = ingest_file(store, path)
    assert (report.accepted, report.rejected) == (5, 0)  # an unclear flag refuses nothing
    rows = _vacancies(store, report.batch_id)
    assert {k: v.via_intermediary for k, v in rows.items()} == {
        "B-1": True,
        "B-2": False,
        "B-3": True,
        "B-4": None,
        "B-5": None,
    }
    # A file without the column leaves it empty.
    plain = _vacancies(store, ingest_file(store, FIXTURES / "native.csv").batch_id)
    assert {v.via_intermediary for v in plain.values()} == {None}


def test_readme_example_file_loads_and_ships_as_package_data(store: str) -> None:
    import fnmatch
    import re
    import tomllib

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    linked = re.search(r"\]\((data/ingest/examples/[^)]+)\)", readme)
    assert linked is not None, "the README links its example file"
    example = root / linked.group(1)
    report = ingest_file(store, example)
    assert report.read > 0 and report.accepted == report.read
    # `pip install .` ships only what package-data names: the example must match a pattern of
    # the `data` package.
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["data"]
    inside = example.relative_to(root / "data").as_posix()
    assert any(fnmatch.fnmatch(inside, pattern) for pattern in patterns), patterns


def test_mapping_with_explicit_date_format(store: str) -> None:
    report = ingest_file(store, FIXTURES / "custom_export.csv", mapping=FIXTURES / "mapping.toml")
    assert (report.schema, report.source) == ("mapping", "Werkzoeken")
    rows = _vacancies(store, report.batch_id)
    assert rows["M-1"].posted_at == dt.date(2025, 3, 4)
    assert rows["M-2"].posted_at == dt.date(2025, 4, 5)
    assert rows["M-1"].gemeente_code == "GM0150"


def test_ambiguous_dates_are_decided_per_column(store: str) -> None:
    first = _vacancies(store, ingest_file(store, FIXTURES / "dates_day_first.csv").batch_id)
    assert first["E-1"].posted_at == dt.date(2025, 4, 3)
    second = _vacancies(store, ingest_file(store, FIXTURES / "dates_month_first.csv").batch_id)
    assert second["F-1"].posted_at == dt.date(2025, 3, 4)


def test_quarantine_row_numbers_count_the_header_as_row_one(store: str) -> None:
    report = ingest_file(store, FIXTURES / "dates.csv")
    assert "rij 1 is de kopregel" in report.row_numbering
    rows = {row.raw["id"]: row for row in _quarantine(store, report.batch_id)}  # type: ignore[index]
    assert rows["D-1"].row_number == 2  # first data row
    assert split_reason(rows["D-1"].reason)[0] == "ambiguous_date"
    assert rows["D-4"].row_number == 5 and rows["D-4"].field == "posted_at"
    assert "31-02-2025" in rows["D-4"].reason


@pytest.mark.parametrize(
    ("name", "options", "code"),
    [
        ("missing_column.csv", {}, "missing_column"),
        ("empty.csv", {}, "empty"),
        ("header_only.csv", {}, "no_rows"),
        ("duplicated_header.csv", {}, "duplicate_column"),
        ("two_files.zip", {}, "zip_members"),
        ("not_a_table.bin", {}, "not_a_table"),
        ("native.xlsx", {}, "missing_column"),  # the first sheet is an explanation
        ("native.xlsx", {"sheet": "Bestaat niet"}, "sheet_not_found"),
        ("does_not_exist.csv", {}, "not_found"),
    ],
)
def test_unreadable_files_raise_one_clear_error_and_write_nothing(
    store: str, name: str, options: dict[str, object], code: str
) -> None:
    with pytest.raises(IngestError) as caught:
        ingest_file(store, FIXTURES / name, **options)  # type: ignore[arg-type]
    assert caught.value.code == code
    assert str(caught.value).startswith(f"{name}: ")
    assert _count(store, IngestBatch) == 0
    assert _count(store, Vacancy) == 0


def test_bad_mapping_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "mapping.toml"
    bad.write_text('[columns]\n"Functie" = "functietitel"\n', encoding="utf-8")
    with pytest.raises(IngestError, match="onbekend") as caught:
        Mapping.load(bad)
    assert caught.value.code == "bad_mapping"


def test_a_ten_megabyte_text_field_is_quarantined(store: str, tmp_path: Path) -> None:
    path = tmp_path / "groot.csv"
    huge = "lang " * 2_000_000
    path.write_text(
        f'{HEADER}\nG-1,Groot,Werkgever,Zwolle,2025-03-01,,,,,"{huge}",\n'
        "G-2,Klein,Werkgever,Zwolle,2025-03-01,,,,,kort,\n",
        encoding="utf-8",
    )
    report = ingest_file(store, path)
    assert (report.read, report.accepted, report.rejected) == (2, 1, 1)
    (row,) = _quarantine(store, report.batch_id)
    assert row.field == "text" and split_reason(row.reason)[0] == "too_long"
    assert row.raw is not None and len(row.raw["text"]) == 2_000  # raw values are cut


def test_html_script_content_never_reaches_the_store(store: str, tmp_path: Path) -> None:
    path = tmp_path / "html.jsonl"
    record = {
        "id": "H-1",
        "title": "Kok <script>x()</script>",
        "posted_at": "2025-03-01",
        "text": "<div>Koken</div><script>document.write('<p>pwned</p>')</script><p>Klaar</p>",
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    rows = _vacancies(store, ingest_file(store, path).batch_id)
    assert rows["H-1"].title == "Kok"
    assert rows["H-1"].text == "Koken\n\nKlaar"


def test_ids_repeated_in_a_file_are_quarantined(store: str, tmp_path: Path) -> None:
    path = tmp_path / "dubbel.csv"
    path.write_text(
        f"{HEADER}\nX-1,Kok,A,Zwolle,2025-03-01,,,,,een,\nX-1,Kok,A,Zwolle,2025-03-02,,,,,twee,\n",
        encoding="utf-8",
    )
    report = ingest_file(store, path)
    assert (report.accepted, report.rejected) == (1, 1)
    assert [(r.code, r.field) for r in report.reasons] == [("duplicate_id", "id")]
    assert _vacancies(store, report.batch_id)["X-1"].text == "een"
