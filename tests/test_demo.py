"""The synthetic demo data: deterministic, plausible as documented, and always flagged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import func, select

from data.demo.generator import generate_chunks, load_world
from data.places import PlaceResolver
from data.store import DemandMonth, IngestBatch, SupplyFigure, Vacancy, session_scope
from data.store.session import engine_for

END = dt.date(2026, 10, 1)


@pytest.fixture(scope="module")
def world(reference_dir: Path):
    return load_world(reference_dir, END)


@pytest.fixture(scope="module")
def resolver(reference_dir: Path) -> PlaceResolver:
    return PlaceResolver.from_reference(reference_dir)


def _rows(world, resolver, n: int, seed: int) -> list[dict]:
    return [row for rows, _ in generate_chunks(world, resolver, n, seed, END) for row in rows]


def test_same_seed_same_data(world, resolver) -> None:
    first = _rows(world, resolver, 1500, seed=3)
    second = _rows(world, resolver, 1500, seed=3)
    assert first == second
    other = _rows(world, resolver, 1500, seed=4)
    assert [r["text"] for r in other] != [r["text"] for r in first]


def test_exact_size_across_chunks(world, resolver, monkeypatch: pytest.MonkeyPatch) -> None:
    import data.demo.generator as generator

    monkeypatch.setattr(generator, "CHUNK_SIZE", 700)
    rows = _rows(world, resolver, 2000, seed=1)
    assert len(rows) == 2000
    assert len({r["id"] for r in rows}) == 2000


@pytest.fixture(scope="module")
def sample(world, resolver) -> pl.DataFrame:
    rows = _rows(world, resolver, 30_000, seed=11)
    frame = pl.DataFrame(rows).drop("sections")
    members = pl.read_csv(Path("data/reference/gemeenten_2025.csv"), infer_schema=False)
    return frame.join(
        members.select("gemeente_code", "arbeidsmarktregio_code", "corop_code"),
        on="gemeente_code",
        how="left",
    )


def _share(frame: pl.DataFrame, where: pl.Expr, sbi: str) -> float:
    part = frame.filter(where & pl.col("is_cluster_head"))
    return part.filter(pl.col("sector") == sbi).height / max(part.height, 1)


def _expected_share(
    world, reference_dir: Path, column: str, code: str | None, sbi: str, inside: bool = True
) -> float:
    """The generator's exact chance that a vacancy in the region is in SBI section ``sbi``."""
    import numpy as np

    table = pl.read_csv(reference_dir / "gemeenten_2025.csv", infer_schema=False)
    region_of = dict(zip(table["gemeente_code"], table[column], strict=True))
    mask = np.array([(region_of[g] == code) == inside for g in world.gemeente_codes])
    in_sector = np.array([o.sbi == sbi for o in world.occupations])
    weights = world.gemeente_weights[mask]
    return float((world.occ_prob[mask][:, in_sector].sum(axis=1) * weights).sum() / weights.sum())


@pytest.mark.parametrize(
    ("column", "code", "sbi", "factor"),
    [
        ("arbeidsmarktregio_code", "AM35", "F", 1.5),  # construction around Gorinchem
        ("corop_code", "CR37", "H", 1.5),  # transport and storage in Noord-Limburg
        ("corop_code", "CR14", "C", 1.3),  # industry in the Achterhoek
        ("gemeente_code", "GM0363", "J", 1.5),  # ICT in Amsterdam
    ],
)
def test_regional_sector_mixes_differ_as_documented(
    world, reference_dir: Path, column: str, code: str, sbi: str, factor: float
) -> None:
    inside = _expected_share(world, reference_dir, column, code, sbi)
    outside = _expected_share(world, reference_dir, column, code, sbi, inside=False)
    assert inside > factor * outside


def test_sampled_data_follows_the_mixes(sample: pl.DataFrame) -> None:
    # The drawn data shows the same contrasts (with room for sampling noise).
    gorinchem = pl.col("arbeidsmarktregio_code") == "AM35"
    assert _share(sample, gorinchem, "F") > 1.2 * _share(sample, ~gorinchem, "F")
    amsterdam = pl.col("gemeente_code") == "GM0363"
    assert _share(sample, amsterdam, "J") > 1.5 * _share(sample, ~amsterdam, "J")
    # care (SBI Q) is everywhere
    care = sample.filter(pl.col("sector") == "Q")
    assert care["gemeente_code"].n_unique() > 200


def test_reposts_levels_and_messy_places(sample: pl.DataFrame, world) -> None:
    heads = sample.filter(pl.col("is_cluster_head"))
    reposted = sample.group_by("cluster_id").len().filter(pl.col("len") > 1).height
    assert 0.15 < reposted / heads.height < 0.25
    assert sample.group_by("cluster_id").agg(pl.col("source").n_unique())["source"].max() >= 3
    assert set(heads["education_level"].unique()) >= {"mbo 2", "mbo 3", "mbo 4", "hbo"}
    unresolved = sample.filter(pl.col("gemeente_code").is_null()).height / sample.height
    assert 0.005 < unresolved < 0.06
    assert sample.filter(pl.col("location_text").str.ends_with(" e.o.")).height > 0
    assert sample.filter(pl.col("location_text").str.contains(r"^\d{4} [A-Z]{2} ")).height > 0
    # every gemeente but the smallest islands gets vacancies in a sample of this size
    assert sample["gemeente_code"].drop_nulls().n_unique() >= 335


def test_texts_have_requirement_and_offer_sections(sample: pl.DataFrame, world) -> None:
    texts = sample["text"].head(2000).to_list()
    requirement_headings = world.phrases["requirement_heading"]
    offer_headings = world.phrases["offer_heading"]
    assert all(any(h in t for h in requirement_headings) for t in texts)
    assert all(any(h in t for h in offer_headings) for t in texts)
    used = {h for t in texts for h in requirement_headings if h in t}
    assert len(used) >= 10  # varied phrasing, not one template
    assert len({t.split("\n", 1)[0] for t in texts}) > 500


def test_world_covers_occupations_and_skills(world) -> None:
    assert len({o.brc for o in world.occupations}) >= 60
    used = {k for o in world.occupations for k in o.required + o.nice if k in world.skills}
    assert len(used) >= 400


def test_seasonality_and_trend(sample: pl.DataFrame) -> None:
    months = sample.filter(pl.col("is_cluster_head")).group_by("posted_month").len()
    by_month = {m.month: n for m, n in months.iter_rows()}
    assert by_month[7] < by_month[3]  # summer dip
    assert by_month[12] < by_month[10]


def test_build_demo_flags_everything(demo_store: str) -> None:
    from sqlalchemy.orm import Session

    with Session(engine_for(demo_store)) as session:
        total = session.execute(select(func.count(Vacancy.id))).scalar_one()
        demo = session.execute(
            select(func.count(Vacancy.id)).where(Vacancy.is_demo.is_(True))
        ).scalar_one()
        assert total == demo == 4000
        heads = session.execute(
            select(func.count(Vacancy.id)).where(Vacancy.is_cluster_head.is_(True))
        ).scalar_one()
        counted = session.execute(select(func.sum(DemandMonth.vacancies))).scalar_one()
        assert counted == heads  # the aggregate counts clusters, not postings
        assert (
            session.execute(
                select(func.count(SupplyFigure.id)).where(SupplyFigure.is_demo.is_(False))
            ).scalar_one()
            == 0
        )
        batch = session.execute(select(IngestBatch)).scalar_one()
        assert batch.is_demo and batch.rows_read == 4000


def test_rebuilding_replaces_demo_only(database_url: str, reference_dir: Path) -> None:
    from data.demo.generator import build_demo
    from data.loaders import load_reference
    from data.store import init_db

    init_db(database_url)
    with session_scope(database_url) as session:
        load_reference(session, reference_dir)
        session.add(IngestBatch(source="echt", status="done"))
        session.flush()
        real_batch = session.execute(select(IngestBatch.id)).scalar_one()
        session.add(
            Vacancy(
                source="echt",
                source_id="1",
                title="Lasser",
                posted_at=dt.date(2026, 1, 5),
                posted_month=dt.date(2026, 1, 1),
                content_hash="h" * 64,
                batch_id=real_batch,
            )
        )
    for _ in range(2):
        with session_scope(database_url) as session:
            build_demo(session, reference_dir, n=500, seed=5, end_month=END)
    with session_scope(database_url) as session:
        assert session.execute(select(func.count(Vacancy.id))).scalar_one() == 501
        assert (
            session.execute(
                select(func.count(Vacancy.id)).where(Vacancy.is_demo.is_(False))
            ).scalar_one()
            == 1
        )
