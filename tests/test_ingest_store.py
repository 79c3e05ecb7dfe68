"""Ingestion against the store, on SQLite and on a real PostgreSQL: idempotence, duplicate
clusters across files and sources, atomicity, the aggregates and the matching hook."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import func, select

import data.ingest.pipeline as pipeline
from data.ingest import ingest_file, split_reason
from data.store import DemandMonth, IngestBatch, QuarantinedRow, Vacancy, init_db, session_scope

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
HEADER = (
    "id,title,employer,location,posted_at,closing_at,education_level,hours,contract_type,text,url"
)
TEXT = (
    "Voor onze vestiging zoeken wij een ervaren collega die zelfstandig kan werken, graag "
    "meedenkt over verbeteringen en beschikt over een geldig VCA diploma. Je werkt in een "
    "klein team en rapporteert aan de teamleider productie."
)


@pytest.fixture
def store(database_url: str) -> str:
    init_db(database_url)
    return database_url


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _scalar(url: str, query: object) -> int:
    with session_scope(url) as session:
        return int(session.execute(query).scalar_one())  # type: ignore[call-overload]


def _clusters(url: str) -> dict[str, tuple[int | None, bool]]:
    """source_id → (source_id of the cluster head, is head)."""
    with session_scope(url) as session:
        rows = session.execute(
            select(Vacancy.id, Vacancy.source_id, Vacancy.cluster_id, Vacancy.is_cluster_head)
        ).all()
    by_id = {vid: source_id for vid, source_id, _, _ in rows}
    return {sid: (by_id.get(cluster), head) for _, sid, cluster, head in rows}  # type: ignore[misc]


def _demand_total(url: str) -> int:
    return _scalar(url, select(func.coalesce(func.sum(DemandMonth.vacancies), 0)))


def test_loading_the_same_file_twice_adds_nothing(store: str) -> None:
    first = ingest_file(store, FIXTURES / "native.csv")
    again = ingest_file(store, FIXTURES / "native.csv")
    assert again.already_loaded and again.batch_id == first.batch_id
    assert again.as_json() == {
        "batch_id": first.batch_id,
        "read": 0,
        "accepted": 0,
        "rejected": 0,
        "duplicates": 0,
        "unresolved_places": 0,
    }
    assert _scalar(store, select(func.count()).select_from(Vacancy)) == 7
    assert _scalar(store, select(func.count()).select_from(IngestBatch)) == 1
    assert _demand_total(store) == 7


def test_a_changed_file_adds_only_new_rows(store: str, tmp_path: Path) -> None:
    ingest_file(store, FIXTURES / "native.csv")
    grown = tmp_path / "native.csv"  # same name, so the same default source
    grown.write_text(
        (FIXTURES / "native.csv").read_text(encoding="utf-8")
        + "N-8,Kapper,Salon,Deventer,2025-03-07,,,,,Knippen.,\n",
        encoding="utf-8",
    )
    report = ingest_file(store, grown)
    assert (report.read, report.accepted, report.rejected) == (8, 1, 7)
    assert {(r.code, r.count) for r in report.reasons} == {("already_loaded", 7)}
    assert _scalar(store, select(func.count()).select_from(Vacancy)) == 8
    with session_scope(store) as session:
        reasons = session.execute(
            select(QuarantinedRow.reason).where(QuarantinedRow.batch_id == report.batch_id)
        ).scalars()
        assert {split_reason(r)[0] for r in reasons} == {"already_loaded"}


def test_the_same_vacancies_from_two_sources_count_once(store: str) -> None:
    first = ingest_file(store, FIXTURES / "native.csv", source="bron A")
    second = ingest_file(store, FIXTURES / "native.csv.gz", source="bron B")
    assert first.duplicates == 0
    # N-4 (Thuiswerken) and N-5 (Regio Twente) have no gemeente and too short a text to
    # compare: they are kept apart rather than guessed together.
    assert second.duplicates == 5
    assert _scalar(store, select(func.count()).select_from(Vacancy)) == 14
    heads = _scalar(
        store, select(func.count()).select_from(Vacancy).where(Vacancy.is_cluster_head.is_(True))
    )
    assert heads == 9
    assert _demand_total(store) == 9
    with session_scope(store) as session:
        for source_id in ("N-1", "N-2", "N-3", "N-6", "N-7"):
            rows = session.execute(
                select(Vacancy.source, Vacancy.id, Vacancy.cluster_id, Vacancy.is_cluster_head)
                .where(Vacancy.source_id == source_id)
                .order_by(Vacancy.source)
            ).all()
            (a_source, a_id, a_cluster, a_head), (_, _, b_cluster, b_head) = rows
            assert a_source == "bron A" and a_cluster == b_cluster == a_id
            assert a_head and not b_head


def test_near_identical_texts_link_across_employer_names(store: str, tmp_path: Path) -> None:
    a = _write(
        tmp_path / "a.csv", [f'A-1,Operator,Fabriek Oost,Hengelo (O),2025-03-01,,,,,"{TEXT}",']
    )
    b = _write(
        tmp_path / "b.csv",
        [f'B-1,Productiemedewerker,Uitzendbureau Flex,Enschede,2025-03-09,,,,,"{TEXT} Graag!",'],
    )
    ingest_file(store, a, source="a")
    report = ingest_file(store, b, source="b")
    assert report.duplicates == 1
    assert _clusters(store)["B-1"] == ("A-1", False)


def test_an_earlier_posting_loaded_later_becomes_the_head(store: str, tmp_path: Path) -> None:
    late = _write(tmp_path / "late.csv", [f'L-1,Lasser,Metaal BV,Zwolle,2025-03-20,,,,,"{TEXT}",'])
    early = _write(
        tmp_path / "early.csv", ["E-1,Lasser (m/v),Metaal B.V.,Zwolle,2025-03-02,,,,,x,"]
    )
    ingest_file(store, late, source="late")
    assert _demand_total(store) == 1
    report = ingest_file(store, early, source="early")
    assert report.duplicates == 1
    clusters = _clusters(store)
    assert clusters["E-1"] == ("E-1", True)
    assert clusters["L-1"] == ("E-1", False)
    assert _demand_total(store) == 1


def test_postings_further_apart_than_the_window_stay_apart(store: str, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "w.csv",
        [
            f'W-1,Lasser,Metaal BV,Zwolle,2025-01-01,,,,,"{TEXT}",',
            f'W-2,Lasser,Metaal BV,Zwolle,2025-03-15,,,,,"{TEXT}",',
        ],
    )
    report = ingest_file(store, path)
    assert report.duplicates == 0
    assert _demand_total(store) == 2


def test_a_failure_mid_batch_writes_nothing_and_a_rerun_completes(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [f"K-{i},Functie {i % 7},Werkgever {i % 5},Zwolle,2025-03-{i % 28 + 1:02d},,,,,t,"
            for i in range(250)]  # fmt: skip
    path = _write(tmp_path / "k.csv", rows)
    monkeypatch.setattr(pipeline, "BATCH_ROWS", 100)
    calls = {"n": 0}
    original = pipeline.prepare_batch

    def failing(raw: pl.DataFrame, ctx: object) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("stroomstoring")
        return original(raw, ctx)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "prepare_batch", failing)
    indexes = _vacancy_indexes(store)
    with pytest.raises(RuntimeError):
        ingest_file(store, path)
    # The failure came while the SQLite indexes were set aside for the inserts: the rollback
    # brings them back with everything else.
    assert _vacancy_indexes(store) == indexes
    assert _scalar(store, select(func.count()).select_from(Vacancy)) == 0
    assert _scalar(store, select(func.count()).select_from(IngestBatch)) == 0
    assert _scalar(store, select(func.count()).select_from(DemandMonth)) == 0
    monkeypatch.setattr(pipeline, "prepare_batch", original)
    report = ingest_file(store, path)
    assert (report.read, report.accepted) == (250, 250)
    assert _scalar(store, select(func.count()).select_from(Vacancy)) == 250


def test_matching_pipeline_gets_the_new_ids(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[int]] = []
    module = types.ModuleType("matching.pipeline")
    module.process_vacancies = lambda session, ids: seen.append(list(ids))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "matching.pipeline", module)
    ingest_file(store, FIXTURES / "native.csv")
    with session_scope(store) as session:
        ids = sorted(session.execute(select(Vacancy.id)).scalars())
    assert len(seen) == 1 and sorted(seen[0]) == ids


def test_batch_row_and_report(store: str) -> None:
    report = ingest_file(store, FIXTURES / "dates.csv")
    with session_scope(store) as session:
        batch = session.get(IngestBatch, report.batch_id)
        assert batch is not None
        assert (batch.status, batch.rows_read, batch.rows_accepted, batch.rows_rejected) == (
            "done",
            7,
            2,
            5,
        )
        assert batch.report is not None
        assert batch.report["read"] == 7 and batch.report["months"]
        assert {r["code"] for r in batch.report["reasons"]} >= {"bad_date", "ambiguous_date"}
        stages = batch.report["stages"]
        assert {"first_pass", "load", "dedup", "matcher", "aggregates"} <= set(stages)


def _vacancy_indexes(url: str) -> set[tuple[str, tuple[str, ...]]]:
    from sqlalchemy import inspect

    from data.store.session import engine_for

    indexes = inspect(engine_for(url)).get_indexes("vacancies")
    return {(i["name"], tuple(c or "" for c in i["column_names"])) for i in indexes}


def test_indexes_deferred_for_a_large_load_are_all_back(store: str) -> None:
    before = _vacancy_indexes(store)
    assert len(before) >= 7
    # Empty store: on SQLite the secondary indexes are dropped for the inserts and built again
    # in the same transaction; on PostgreSQL they stay.
    first = ingest_file(store, FIXTURES / "native.csv", source="bron A")
    assert _vacancy_indexes(store) == before
    # A batch smaller than the store keeps them throughout.
    again = ingest_file(store, FIXTURES / "native.csv.gz", source="bron B")
    assert _vacancy_indexes(store) == before
    assert first.accepted == again.accepted == 7
    assert again.duplicates == 5  # clustering ran against the rebuilt indexes
