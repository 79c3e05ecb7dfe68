"""The reference tables kept in data/reference: complete, consistent and with sources."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from data.loaders import occupation_rows, programme_frame, regions_frame


def _csv(reference_dir: Path, name: str) -> pl.DataFrame:
    return pl.read_csv(reference_dir / name, infer_schema=False)


@pytest.mark.parametrize(
    ("level", "count"),
    [("gemeente", 342), ("arbeidsmarktregio", 35), ("provincie", 12), ("corop", 40)],
)
def test_region_counts(reference_dir: Path, level: str, count: int) -> None:
    frame = regions_frame(reference_dir, level)
    assert frame.height == count
    assert frame["code"].n_unique() == count


def test_every_gemeente_in_exactly_one_region_of_each_kind(reference_dir: Path) -> None:
    gemeenten = _csv(reference_dir, "gemeenten_2025.csv")
    assert gemeenten["gemeente_code"].is_unique().all()
    for column in ("arbeidsmarktregio_code", "provincie_code", "corop_code"):
        assert gemeenten[column].null_count() == 0
    # a COROP area lies within one provincie
    assert (
        gemeenten.group_by("corop_code")
        .agg(pl.col("provincie_code").n_unique())["provincie_code"]
        .max()
        == 1
    )
    am = set(gemeenten["arbeidsmarktregio_code"])
    assert am == {f"AM{i:02d}" for i in range(1, 39)} - {"AM04", "AM16", "AM31"}
    listed = _csv(reference_dir, "arbeidsmarktregios_2025.csv")
    assert set(listed["code"]) == am
    assert listed["n_gemeenten"].cast(pl.Int64).sum() == 342


def test_aliases_point_at_existing_gemeenten(reference_dir: Path) -> None:
    codes = set(_csv(reference_dir, "gemeenten_2025.csv")["gemeente_code"])
    for name, column in (
        ("woonplaatsen_2025.csv", "gemeente_code"),
        ("place_aliases.csv", "gemeente_code"),
        ("pc4_gemeente_2025.csv", "gemeente_code"),
        ("gemeenten_merged_since_2018.csv", "nieuwe_gemeente_code"),
    ):
        assert set(_csv(reference_dir, name)[column]) <= codes, name
    assert _csv(reference_dir, "woonplaatsen_2025.csv").height >= 2500


def test_brc_tree(reference_dir: Path) -> None:
    rows = occupation_rows(reference_dir)
    by_level: dict[str, int] = {}
    for row in rows:
        by_level[str(row["level"])] = by_level.get(str(row["level"]), 0) + 1
    assert by_level == {"beroepsklasse": 13, "beroepssegment": 41, "beroepsgroep": 114}
    codes = {row["code"] for row in rows}
    assert all(row["parent_code"] in codes for row in rows if row["parent_code"])
    software = next(row for row in rows if row["code"] == "0811")
    assert "2512" in software["isco_codes"]  # type: ignore[operator]


def test_programmes_are_real_qualifications(reference_dir: Path) -> None:
    programmes = programme_frame(reference_dir)
    assert programmes.height >= 60
    assert programmes["crebo"].is_unique().all()
    assert programmes["crebo"].str.contains(r"^2[56]\d{3}$").all()
    assert set(programmes["niveau"]) <= {"1", "2", "3", "4"}
    names = dict(programmes.select("crebo", "naam").iter_rows())
    assert names["25180"] == "Kok"
    brc = set(_csv(reference_dir, "brc2014.csv")["beroepsgroep_code"])
    linked = {code for codes in programmes["beroepsgroepen"] for code in codes.split(";")}
    assert linked <= brc
