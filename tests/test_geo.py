"""Map geometry: TopoJSON decoding by hand, the real CBS boundary files, finding and
downloading files."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from conftest import REFERENCE_DIR, missing

from data import geo
from data.settings import Settings

# Two squares side by side, quantised (scale 0.5, translate 10/20), both rings clockwise, so
# they run along their common edge (arc 1) in opposite directions: the right square uses it
# reversed (~1 = -2). The left square has a (degenerate) hole; the right one is a MultiPolygon.
#
#   (0,2)----(2,2)----(4,2)     quantised grid positions
#     |  left  |  right |
#   (0,0)----(2,0)----(4,0)
TINY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
    "objects": {
        "tiny_2025": {
            "type": "GeometryCollection",
            "geometries": [
                {
                    "type": "Polygon",
                    "arcs": [[0, 1], [3]],
                    "properties": {"statcode": "GM0001", "statnaam": "Links"},
                },
                {
                    "type": "MultiPolygon",
                    "id": "GM0002",
                    "arcs": [[[2, -2]]],
                    "properties": {"statcode": "GM0002", "statnaam": "Rechts"},
                },
                {"type": "Point", "coordinates": [4, 4], "properties": {"statcode": "P"}},
                {"type": None, "properties": {"statcode": "LEEG"}},
            ],
        }
    },
    "arcs": [
        # 0: (2,0) → (0,0) → (0,2) → (2,2), delta-encoded
        [[2, 0], [-2, 0], [0, 2], [2, 0]],
        # 1: (2,2) → (2,0), the shared edge
        [[2, 2], [0, -2]],
        # 2: (2,2) → (4,2) → (4,0) → (2,0)
        [[2, 2], [2, 0], [0, -2], [-2, 0]],
        # 3: a hole ring (1,1) → (1,1.5)... closed
        [[1, 1], [0, 1], [0, -1]],
    ],
}


def test_decode_delta_encoded_quantised_arcs() -> None:
    arcs = geo.decode_arcs(TINY)
    assert arcs[0] == [[11.0, 20.0], [10.0, 20.0], [10.0, 21.0], [11.0, 21.0]]
    assert arcs[1] == [[11.0, 21.0], [11.0, 20.0]]
    assert arcs[3] == [[10.5, 20.5], [10.5, 21.0], [10.5, 20.5]]


def test_tiny_topology_to_geojson_by_hand() -> None:
    collection = geo.topology_to_geojson(TINY)
    assert collection["type"] == "FeatureCollection"
    left, right, point, empty = collection["features"]
    assert left["id"] == "GM0001"  # from the statcode property
    assert left["properties"]["statnaam"] == "Links"
    assert left["geometry"] == {
        "type": "Polygon",
        "coordinates": [
            # arc 0 then arc 1 without its first (shared) point: a closed ring
            [[11.0, 20.0], [10.0, 20.0], [10.0, 21.0], [11.0, 21.0], [11.0, 20.0]],
            [[10.5, 20.5], [10.5, 21.0], [10.5, 20.5]],
        ],
    }
    assert right["id"] == "GM0002"
    assert right["geometry"] == {
        "type": "MultiPolygon",
        # arc 2, then arc 1 reversed (index -2 = ~1): (2,2) → (2,0) becomes (2,0) → (2,2)
        "coordinates": [[[[11.0, 21.0], [12.0, 21.0], [12.0, 20.0], [11.0, 20.0], [11.0, 21.0]]]],
    }
    assert point["geometry"] == {"type": "Point", "coordinates": [12.0, 22.0]}
    assert empty["geometry"] is None


def test_unquantised_topology_and_errors() -> None:
    topology = {
        "type": "Topology",
        "objects": {"a": {"type": "LineString", "arcs": [0, ~1]}},
        "arcs": [[[4.5, 52.0], [5.0, 52.5]], [[6.0, 53.0], [5.0, 52.5]]],
    }
    feature = geo.topology_to_geojson(topology)["features"][0]
    assert feature["geometry"]["coordinates"] == [[4.5, 52.0], [5.0, 52.5], [6.0, 53.0]]
    assert "id" not in feature
    with pytest.raises(ValueError, match="Topology"):
        geo.topology_to_geojson({"type": "FeatureCollection"})
    with pytest.raises(ValueError, match="no object"):
        geo.topology_to_geojson(topology, "b")
    with pytest.raises(ValueError, match="unknown level"):
        geo.file_name("wijk", 2025)


# --- The real CBS files ------------------------------------------------------------------------


def _real_settings() -> Settings:
    settings = Settings()
    folder = Path(settings.geo_dir) if settings.geo_dir else None
    if folder is None or not (folder / "gemeente_2025.topojson").is_file():
        missing(
            "The CBS boundary files (../shared/geo/*.topojson)",
            "copy them into ../shared/geo or set REGIOKOMPAS_GEO_DIR",
        )
    return settings.model_copy(update={"geo_download_url": ""})


REFERENCE_COLUMNS = {
    "gemeente": "gemeente_code",
    "arbeidsmarktregio": "arbeidsmarktregio_code",
    "provincie": "provincie_code",
    "corop": "corop_code",
}


@pytest.mark.parametrize("level", geo.LEVELS)
def test_real_files_have_one_feature_per_reference_region(level: str) -> None:
    settings = _real_settings()
    ids = geo.feature_ids(level, 2025, settings)
    reference = pl.read_csv(REFERENCE_DIR / "gemeenten_2025.csv", infer_schema=False)
    codes = sorted(reference[REFERENCE_COLUMNS[level]].unique().to_list())
    assert len(ids) == geo.EXPECTED_FEATURES_2025[level]
    assert ids == codes
    result = geo.load_geometry(level, 2025, settings)
    assert result.available and result.reason is None
    assert result.source is not None and result.source.endswith(geo.file_name(level, 2025))


def test_real_gemeenten_are_closed_rings_in_the_netherlands() -> None:
    collection = geo.geometry("gemeente", 2025, _real_settings())
    assert collection is not None
    amsterdam = next(f for f in collection["features"] if f["id"] == "GM0363")
    assert amsterdam["properties"]["statnaam"] == "Amsterdam"
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        assert geometry["type"] in {"Polygon", "MultiPolygon"}
        for polygon in polygons:
            for ring in polygon:
                assert len(ring) >= 4 and ring[0] == ring[-1], feature["id"]
                for lon, lat in ring:
                    assert 3.35 <= lon <= 7.23 and 50.75 <= lat <= 53.56
    # Parsed once per process: the same object comes back.
    assert geo.geometry("gemeente", 2025, _real_settings()) is collection


# --- Finding and downloading -------------------------------------------------------------------


def test_no_folder_and_no_download_gives_a_reason(tmp_path: Path) -> None:
    settings = Settings(
        geo_dir=str(tmp_path / "leeg"), geo_download_url="", cache_dir=str(tmp_path)
    )
    result = geo.load_geometry("provincie", 2025, settings)
    assert result.geojson is None
    assert result.reason is not None and "disabled" in result.reason
    assert geo.feature_ids("provincie", 2025, settings) == []


def test_a_broken_file_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "provincie_2025.topojson").write_text("{not json", encoding="utf-8")
    settings = Settings(geo_dir=str(tmp_path), geo_download_url="", cache_dir=str(tmp_path))
    result = geo.load_geometry("provincie", 2025, settings)
    assert result.geojson is None
    assert result.reason is not None and "provincie_2025.topojson" in result.reason


@pytest.fixture
def topology_server(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server serving the tiny topology as coropgebied_2025.topojson."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    (folder / "coropgebied_2025.topojson").write_text(json.dumps(TINY), encoding="utf-8")
    requests: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            requests.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{{level}}_{{year}}.topojson", requests
    finally:
        server.shutdown()
        server.server_close()


def test_download_once_into_the_cache(
    tmp_path: Path, topology_server: tuple[str, list[str]]
) -> None:
    url, requests = topology_server
    cache = tmp_path / "cache"
    settings = Settings(geo_dir="", geo_download_url=url, cache_dir=str(cache))
    result = geo.load_geometry("corop", 2025, settings)
    assert result.available, result.reason
    assert result.source == url.format(level="coropgebied", year=2025)
    assert [f.get("id") for f in result.geojson["features"]][:2] == ["GM0001", "GM0002"]
    stored = cache / "geo" / "coropgebied_2025.topojson"
    assert json.loads(stored.read_text(encoding="utf-8")) == TINY
    assert not list(stored.parent.glob("*.part"))  # written atomically, no leftovers
    again = geo.load_geometry("corop", 2025, settings)
    assert again.source == str(stored)
    assert len(requests) == 1


def test_a_failed_download_keeps_no_file(tmp_path: Path) -> None:
    settings = Settings(
        geo_dir="",
        geo_download_url="http://127.0.0.1:9/{level}_{year}.topojson",
        cache_dir=str(tmp_path),
    )
    result = geo.load_geometry("gemeente", 2025, settings)
    assert result.geojson is None and result.reason is not None and "failed" in result.reason
    assert not (tmp_path / "geo" / "gemeente_2025.topojson").exists()
    # Not retried on every request.
    assert "recently" in (geo.load_geometry("gemeente", 2025, settings).reason or "")
