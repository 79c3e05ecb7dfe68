"""The store: the same migrations and models on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.loaders import load_reference
from data.store import (
    IngestBatch,
    OccupationClass,
    PlaceAlias,
    Programme,
    Region,
    RegionMember,
    Skill,
    Vacancy,
    VacancySkill,
    init_db,
    session_scope,
)
from data.store.session import engine_for

EXPECTED_TABLES = {
    "regions",
    "region_members",
    "place_aliases",
    "ingest_batches",
    "quarantined_rows",
    "vacancies",
    "occupation_classes",
    "vacancy_occupations",
    "skills",
    "vacancy_skills",
    "programmes",
    "programme_skills",
    "programme_occupations",
    "supply_figures",
    "demand_month",
    "alembic_version",
}


def _vacancy(**overrides: object) -> Vacancy:
    values: dict[str, object] = {
        "source": "test",
        "source_id": "1",
        "title": "Lasser",
        "posted_at": dt.date(2025, 3, 4),
        "posted_month": dt.date(2025, 3, 1),
        "content_hash": "x" * 64,
        "gemeente_code": "GM0193",
    }
    values.update(overrides)
    return Vacancy(**values)


def test_migrations_create_every_table_and_are_idempotent(database_url: str) -> None:
    init_db(database_url)
    init_db(database_url)  # a second run is a no-op, not an error
    tables = set(inspect(engine_for(database_url)).get_table_names())
    assert EXPECTED_TABLES <= tables


def test_models_and_migrations_agree(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from data.store import Base

    init_db(database_url)
    with engine_for(database_url).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_reference_load_is_complete_and_repeatable(database_url: str, reference_dir) -> None:
    init_db(database_url)
    for _ in range(2):  # loading twice replaces, never duplicates
        with session_scope(database_url) as session:
            load_reference(session, reference_dir)
    with session_scope(database_url) as session:
        counts = dict(
            session.execute(select(Region.level, func.count()).group_by(Region.level)).all()
        )
        assert counts == {"gemeente": 342, "arbeidsmarktregio": 35, "provincie": 12, "corop": 40}
        # every gemeente sits in exactly one region of each grouping level
        for level in ("arbeidsmarktregio", "provincie", "corop"):
            per_gemeente = session.execute(
                select(RegionMember.gemeente_code, func.count())
                .join(Region, Region.id == RegionMember.region_id)
                .where(Region.level == level)
                .group_by(RegionMember.gemeente_code)
            ).all()
            assert len(per_gemeente) == 342
            assert {n for _, n in per_gemeente} == {1}
        levels = dict(
            session.execute(
                select(OccupationClass.level, func.count()).group_by(OccupationClass.level)
            ).all()
        )
        assert levels == {"beroepsklasse": 13, "beroepssegment": 41, "beroepsgroep": 114}
        assert session.execute(select(func.count(PlaceAlias.id))).scalar_one() > 3000
        assert session.execute(select(func.count(Programme.id))).scalar_one() >= 60


def test_vacancy_round_trip_with_skill_span(database_url: str) -> None:
    init_db(database_url)
    with session_scope(database_url) as session:
        batch = IngestBatch(source="test", status="done", report={"note": "één"})
        session.add(batch)
        session.flush()
        vacancy = _vacancy(
            batch_id=batch.id,
            text="Ervaring met Photoshop is vereist.",
            sections={"candidate": "Ervaring met Photoshop"},
        )
        skill = Skill(key="photoshop", label_nl="Photoshop", type="software", aliases=["PS"])
        session.add_all([vacancy, skill])
        session.flush()
        session.add(
            VacancySkill(
                vacancy_id=vacancy.id,
                skill_id=skill.id,
                start=13,
                end=22,
                surface="Photoshop",
                section="requirement",
                required=True,
            )
        )
    with session_scope(database_url) as session:
        stored = session.execute(select(Vacancy)).scalar_one()
        link = session.execute(select(VacancySkill)).scalar_one()
        assert stored.text is not None
        assert stored.text[link.start : link.end] == "Photoshop"
        assert stored.sections == {"candidate": "Ervaring met Photoshop"}
        assert session.execute(select(IngestBatch.report)).scalar_one() == {"note": "één"}


def test_same_posting_twice_is_refused(database_url: str) -> None:
    init_db(database_url)
    with pytest.raises(IntegrityError):
        with session_scope(database_url) as session:
            session.add(_vacancy())
            session.flush()
            session.add(_vacancy())


def test_deleting_a_batch_removes_its_vacancies(database_url: str) -> None:
    init_db(database_url)
    with session_scope(database_url) as session:
        batch = IngestBatch(source="test", status="done")
        session.add(batch)
        session.flush()
        session.add(_vacancy(batch_id=batch.id))
    with session_scope(database_url) as session:
        session.delete(session.execute(select(IngestBatch)).scalar_one())
    with session_scope(database_url) as session:
        assert session.execute(select(func.count(Vacancy.id))).scalar_one() == 0


def test_migration_0003_adds_code_and_via_intermediary_and_fills_old_codes(
    database_url: str,
) -> None:
    from alembic import command
    from sqlalchemy import text

    from data.store.session import alembic_config

    engine = engine_for(database_url)
    config = alembic_config(database_url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO ingest_batches (id, source, status, started_at, rows_read, "
                "rows_accepted, rows_rejected, duplicates, unresolved_places, is_demo) "
                "VALUES (1, 'oud', 'done', CURRENT_TIMESTAMP, 3, 0, 3, 0, 0, false)"
            )
        )
        for number, reason in enumerate(
            [
                "bad_date: Datum is niet te lezen (veld posted_at; 31-02-2025)",
                "missing_required: Verplicht veld is leeg (veld title)",
                "iets anders: geen bekende code",
            ],
            start=2,
        ):
            connection.execute(
                text(
                    "INSERT INTO quarantined_rows (batch_id, row_number, reason) VALUES (1, :n, :r)"
                ),
                {"n": number, "r": reason},
            )
    init_db(database_url)  # 0002 → head
    columns = {c["name"] for c in inspect(engine).get_columns("vacancies")}
    assert "via_intermediary" in columns
    with engine.connect() as connection:
        codes = connection.execute(
            text("SELECT row_number, code FROM quarantined_rows ORDER BY row_number")
        ).all()
    assert codes == [(2, "bad_date"), (3, "missing_required"), (4, None)]
    # and back down: the columns go, the rows stay
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    assert "code" not in {c["name"] for c in inspect(engine).get_columns("quarantined_rows")}
    with engine.connect() as connection:
        left = connection.execute(text("SELECT COUNT(*) FROM quarantined_rows")).scalar_one()
    assert left == 3


def test_vacancy_via_intermediary_round_trip(database_url: str) -> None:
    init_db(database_url)
    with session_scope(database_url) as session:
        session.add_all(
            [
                _vacancy(source_id="1", via_intermediary=True),
                _vacancy(source_id="2", via_intermediary=False),
                _vacancy(source_id="3"),
            ]
        )
    with session_scope(database_url) as session:
        flags = dict(session.execute(select(Vacancy.source_id, Vacancy.via_intermediary)).all())
    assert flags == {"1": True, "2": False, "3": None}


def _index_columns(database_url: str, table: str) -> dict[str, list[str | None]]:
    return {
        i["name"] or "": i["column_names"]
        for i in inspect(engine_for(database_url)).get_indexes(table)
    }


def test_migration_0004_adds_the_page_indexes_and_takes_them_away(database_url: str) -> None:
    from alembic import command

    from data.store.session import alembic_config

    init_db(database_url)
    overview = ["source", "location_method", "posted_at", "is_demo", "cluster_id"]
    overview += ["gemeente_code", "batch_id"]
    assert _index_columns(database_url, "vacancies")["ix_vacancies_source_overview"] == overview
    assert _index_columns(database_url, "demand_month")["ix_demand_month_month_gemeente"] == [
        "month",
        "gemeente_code",
        "vacancies",
    ]
    skill_index = _index_columns(database_url, "skill_demand_month")
    assert skill_index["ix_skill_demand_month_skill_month"][:2] == ["skill_id", "month"]
    with session_scope(database_url) as session:
        session.add(_vacancy())
    engine = engine_for(database_url)
    config = alembic_config(database_url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    assert "ix_vacancies_source_overview" not in _index_columns(database_url, "vacancies")
    assert "ix_demand_month_month_gemeente" not in _index_columns(database_url, "demand_month")
    skill_index = _index_columns(database_url, "skill_demand_month")
    assert "ix_skill_demand_month_skill_month" not in skill_index
    assert "ix_vacancies_posted_at" in _index_columns(database_url, "vacancies")
    init_db(database_url)  # 0003 → head again, over a table with a row
    assert "ix_vacancies_source_overview" in _index_columns(database_url, "vacancies")
    with session_scope(database_url) as session:
        assert session.execute(select(func.count(Vacancy.id))).scalar_one() == 1


def test_migration_0005_adds_the_open_vacancies_index_and_takes_it_away(
    database_url: str,
) -> None:
    from alembic import command

    from data.store.session import alembic_config

    init_db(database_url)
    columns = ["posted_at", "is_cluster_head", "closing_at", "gemeente_code"]
    assert _index_columns(database_url, "vacancies")["ix_vacancies_open"] == columns
    with session_scope(database_url) as session:
        session.add(_vacancy())
    config = alembic_config(database_url)
    with engine_for(database_url).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    after = _index_columns(database_url, "vacancies")
    assert "ix_vacancies_open" not in after
    assert "ix_vacancies_source_overview" in after
    init_db(database_url)
    assert _index_columns(database_url, "vacancies")["ix_vacancies_open"] == columns
    with session_scope(database_url) as session:
        assert session.execute(select(func.count(Vacancy.id))).scalar_one() == 1


def test_migration_0006_replaces_the_gemeente_index_by_gemeente_and_date(
    database_url: str,
) -> None:
    from alembic import command

    from data.store.session import alembic_config

    init_db(database_url)
    columns = ["gemeente_code", "posted_at", "is_cluster_head"]
    indexes = _index_columns(database_url, "vacancies")
    assert indexes["ix_vacancies_gemeente_posted"] == columns
    assert "ix_vacancies_gemeente_code" not in indexes
    with session_scope(database_url) as session:
        session.add(_vacancy())
    config = alembic_config(database_url)
    with engine_for(database_url).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
    indexes = _index_columns(database_url, "vacancies")
    assert indexes["ix_vacancies_gemeente_code"] == ["gemeente_code"]
    assert "ix_vacancies_gemeente_posted" not in indexes
    init_db(database_url)
    assert _index_columns(database_url, "vacancies")["ix_vacancies_gemeente_posted"] == columns
    with session_scope(database_url) as session:
        assert session.execute(select(func.count(Vacancy.id))).scalar_one() == 1


def test_large_sqlite_loads_set_the_overview_index_aside_and_build_it_again(
    sqlite_url: str,
) -> None:
    from data.store.bulk import BulkWriter

    init_db(sqlite_url)
    before = _index_columns(sqlite_url, "vacancies")
    with session_scope(sqlite_url) as session:
        writer = BulkWriter(session)
        assert writer.defer_indexes(1000)  # an empty table: the load is the larger
        left = _index_columns_of(session)
        assert "ix_vacancies_source_overview" not in left
        # every secondary index goes (the unique (source, source_id) one is a constraint,
        # which get_indexes does not list)
        assert left == {}
        writer.restore_indexes()
        assert "ix_vacancies_source_overview" in _index_columns_of(session)
    assert _index_columns(sqlite_url, "vacancies") == before


def _index_columns_of(session: Session) -> dict[str, list[str | None]]:
    return {
        i["name"] or "": i["column_names"]
        for i in inspect(session.connection()).get_indexes("vacancies")
    }
