"""Place resolution: aliases, postcodes, vicinity forms, and refusing to guess."""

from __future__ import annotations

from pathlib import Path

import pytest

from data.places import PlaceResolver, normalise_place


@pytest.fixture(scope="module")
def resolver(reference_dir: Path) -> PlaceResolver:
    return PlaceResolver.from_reference(reference_dir)


@pytest.mark.parametrize(
    ("text", "code", "method"),
    [
        ("Zwolle", "GM0193", "naam"),
        ("Den Bosch", "GM0796", "naam"),
        ("'s-Hertogenbosch", "GM0796", "naam"),
        ("Den Haag", "GM0518", "naam"),
        ("The Hague, South Holland, Netherlands", "GM0518", "naam_met_toevoeging"),
        ("IJsselmuiden", "GM0166", "naam"),  # woonplaats in Kampen
        ("Nieuwleusen", "GM0148", "naam"),  # woonplaats in Dalfsen
        ("Hoogvliet", "GM0599", "naam"),  # Rotterdam
        ("Weesp", "GM0363", "naam"),  # merged into Amsterdam in 2022
        ("Haarlemmerliede", "GM0394", "naam"),  # merged into Haarlemmermeer in 2019
        ("Ljouwert", "GM0080", "naam"),  # Frisian name of Leeuwarden
        ("Súdwest Fryslân", "GM1900", "naam"),
        ("Zwolle e.o.", "GM0193", "omgeving"),
        ("regio Zwolle", "GM0193", "omgeving"),
        ("Zwolle, OV, NL", "GM0193", "naam_met_toevoeging"),
        ("3011 AB Rotterdam", "GM0599", "postcode"),
        ("9711AB", "GM0014", "postcode"),
        ("Amsterdam Zuid", "GM0363", None),
        ("Bergen (NH)", "GM0373", None),
        ("Bergen, Limburg", "GM0893", None),
    ],
)
def test_resolves(resolver: PlaceResolver, text: str, code: str, method: str | None) -> None:
    result = resolver.resolve(text)
    assert result.gemeente_code == code, result
    assert result.gemeente_naam
    if method:
        assert result.method == method


@pytest.mark.parametrize(
    ("text", "method"),
    [
        ("Thuiswerken", "geen_plaats"),
        ("Werk van thuis", "geen_plaats"),
        ("Nederland", "geen_plaats"),
        ("Randstad", "geen_plaats"),
        ("Regio Twente", "regio"),
        ("Gelderland", "alleen_provincie"),
        ("Bergen", "meerdere_gemeenten"),  # Noord-Holland or Limburg: no guess
        ("", "leeg"),
        ("Atlantis", "onbekend"),
    ],
)
def test_refuses_to_guess(resolver: PlaceResolver, text: str, method: str) -> None:
    result = resolver.resolve(text)
    assert result.gemeente_code is None
    assert result.gemeente_naam is None
    assert result.method == method


def test_normalisation() -> None:
    assert normalise_place("'s-Hertogenbosch") == "s hertogenbosch"
    assert normalise_place("  Súdwest-Fryslân ") == "sudwest fryslan"
    assert normalise_place("Bergen (NH.)") == "bergen nh"


def test_at_least_1000_woonplaatsen_resolve_to_another_gemeente(
    resolver: PlaceResolver, reference_dir: Path
) -> None:
    import polars as pl

    places = pl.read_csv(reference_dir / "woonplaatsen_2025.csv", infer_schema=False)
    names = pl.read_csv(reference_dir / "gemeenten_2025.csv", infer_schema=False)
    others = places.filter(~pl.col("woonplaats_naam").is_in(names["gemeente_naam"].to_list()))
    resolved = sum(
        resolver.resolve(name).gemeente_code == code
        for name, code in others.select("woonplaats_naam", "gemeente_code").iter_rows()
    )
    assert resolved >= 1000
