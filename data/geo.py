"""Map geometry: CBS boundaries (gemeente, arbeidsmarktregio, provincie, COROP) as GeoJSON.

The boundaries are the generalised CBS "gebiedsindelingen" as WGS84 TopoJSON, one file per level
and year (``<level>_<year>.topojson``; COROP is ``coropgebied_<year>.topojson``). They are read,
in this order, from

1. the folder in the setting ``geo_dir`` (tests and offline installations),
2. ``<cache_dir>/geo/``, where an earlier download was kept,
3. the URL template in ``geo_download_url`` (``{level}`` and ``{year}`` filled in), downloaded
   once and written atomically into ``<cache_dir>/geo/``.

When none of these gives a usable file, :func:`load_geometry` returns no geometry and a reason,
so that the map pages can show a notice and a chart that needs no map.

The TopoJSON decoding is small and pure (:func:`topology_to_geojson`): arcs are delta-encoded
integer positions when the topology is quantised (``transform``), and a ring lists arc indices,
where a negative index ``~i`` means arc ``i`` reversed. Each geometry becomes a GeoJSON feature
whose ``id`` is the CBS code (``statcode``), the key the dashboard joins its figures on.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from data.settings import Settings, get_settings

LEVELS = ("gemeente", "arbeidsmarktregio", "provincie", "corop")
FILE_STEMS = {
    "gemeente": "gemeente",
    "arbeidsmarktregio": "arbeidsmarktregio",
    "provincie": "provincie",
    "corop": "coropgebied",
}
# Features per level in the 2025 classification (CBS); a file with fewer is reported.
EXPECTED_FEATURES_2025 = {"gemeente": 342, "arbeidsmarktregio": 35, "provincie": 12, "corop": 40}
ATTRIBUTION = (
    "Bron: CBS, Kadaster/PDOK – CBS Gebiedsindelingen {year} (CC BY 4.0); "
    "vereenvoudigd door cartomap/nl."
)
DOWNLOAD_TIMEOUT = 20.0
MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024
# A failed download is not retried on every request: once per this many seconds per URL.
RETRY_AFTER = 300.0
# Decimal places kept in the GeoJSON: the quantisation grid is about 0.001°, so five places
# lose nothing and keep the figures sent to the browser small.
DECIMALS = 5

Position = list[float]
GeoJSON = dict[str, Any]


# --- TopoJSON → GeoJSON (pure) ----------------------------------------------------------------


def decode_arcs(topology: dict[str, Any]) -> list[list[Position]]:
    """The arcs of ``topology`` as absolute positions (quantised arcs are delta-decoded).

    >>> decode_arcs({"transform": {"scale": [0.5, 2], "translate": [10, 20]},
    ...              "arcs": [[[0, 0], [2, 1], [-1, 1]]]})
    [[[10.0, 20.0], [11.0, 22.0], [10.5, 24.0]]]
    """
    transform = topology.get("transform")
    arcs: list[list[Position]] = []
    if transform is None:
        for arc in topology.get("arcs", []):
            arcs.append([[float(p[0]), float(p[1])] for p in arc])
        return arcs
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    for arc in topology.get("arcs", []):
        x = y = 0
        points: list[Position] = []
        for position in arc:
            x += position[0]
            y += position[1]
            points.append([float(x * sx + tx), float(y * sy + ty)])
        arcs.append(points)
    return arcs


def _point(topology: dict[str, Any], position: Sequence[float]) -> Position:
    # Points are quantised but not delta-encoded.
    transform = topology.get("transform")
    if transform is None:
        return [float(position[0]), float(position[1])]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    return [float(position[0] * sx + tx), float(position[1] * sy + ty)]


def _line(arcs: list[list[Position]], indices: Sequence[int]) -> list[Position]:
    """Positions of a line or ring made of arcs; consecutive arcs share their joining point."""
    points: list[Position] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _round(points: list[Position], decimals: int | None) -> list[Position]:
    if decimals is None:
        return points
    return [[round(p[0], decimals), round(p[1], decimals)] for p in points]


def geometry_to_geojson(
    topology: dict[str, Any],
    geometry: dict[str, Any],
    arcs: list[list[Position]] | None = None,
    decimals: int | None = None,
) -> dict[str, Any] | None:
    """One TopoJSON geometry object as a GeoJSON geometry (None for a null geometry)."""
    arcs = decode_arcs(topology) if arcs is None else arcs
    kind = geometry.get("type")

    def ring(indices: Sequence[int]) -> list[Position]:
        return _round(_line(arcs, indices), decimals)

    if kind == "Polygon":
        return {"type": kind, "coordinates": [ring(r) for r in geometry["arcs"]]}
    if kind == "MultiPolygon":
        return {
            "type": kind,
            "coordinates": [[ring(r) for r in polygon] for polygon in geometry["arcs"]],
        }
    if kind == "LineString":
        return {"type": kind, "coordinates": ring(geometry["arcs"])}
    if kind == "MultiLineString":
        return {"type": kind, "coordinates": [ring(r) for r in geometry["arcs"]]}
    if kind == "Point":
        return {"type": kind, "coordinates": _point(topology, geometry["coordinates"])}
    if kind == "MultiPoint":
        return {
            "type": kind,
            "coordinates": [_point(topology, p) for p in geometry["coordinates"]],
        }
    if kind == "GeometryCollection":
        return {
            "type": kind,
            "geometries": [
                g
                for g in (
                    geometry_to_geojson(topology, child, arcs, decimals)
                    for child in geometry.get("geometries", [])
                )
                if g is not None
            ],
        }
    if kind is None:
        return None
    raise ValueError(f"unknown TopoJSON geometry type {kind!r}")


def topology_to_geojson(
    topology: dict[str, Any],
    object_name: str | None = None,
    id_property: str = "statcode",
    decimals: int | None = None,
) -> GeoJSON:
    """A TopoJSON object (the only one when ``object_name`` is None) as a FeatureCollection.

    Each member of a GeometryCollection becomes a feature whose ``id`` is the geometry's ``id``,
    else its ``id_property``.

    >>> topo = {"type": "Topology", "arcs": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
    ...         "objects": {"x": {"type": "GeometryCollection", "geometries": [
    ...             {"type": "Polygon", "arcs": [[0]], "properties": {"statcode": "GM1"}}]}}}
    >>> feature = topology_to_geojson(topo)["features"][0]
    >>> feature["id"], feature["geometry"]["coordinates"]
    ('GM1', [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]])
    """
    if topology.get("type") != "Topology":
        raise ValueError("not a TopoJSON topology (type must be 'Topology')")
    objects = topology.get("objects") or {}
    if object_name is None:
        if len(objects) != 1:
            raise ValueError(f"topology has {len(objects)} objects; name the one to convert")
        object_name = next(iter(objects))
    if object_name not in objects:
        raise ValueError(f"topology has no object {object_name!r}")
    root = objects[object_name]
    members = root.get("geometries", []) if root.get("type") == "GeometryCollection" else [root]
    arcs = decode_arcs(topology)
    features = []
    for member in members:
        properties = dict(member.get("properties") or {})
        identifier = member.get("id", properties.get(id_property))
        feature: dict[str, Any] = {
            "type": "Feature",
            "properties": properties,
            "geometry": geometry_to_geojson(topology, member, arcs, decimals),
        }
        if identifier is not None:
            feature["id"] = str(identifier)
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}


# --- Finding the file ---------------------------------------------------------------------


@dataclass(frozen=True)
class GeoResult:
    """Geometry of one level and year, or why there is none."""

    level: str
    year: int
    geojson: GeoJSON | None
    source: str | None
    reason: str | None

    @property
    def available(self) -> bool:
        return self.geojson is not None


def file_name(level: str, year: int) -> str:
    if level not in FILE_STEMS:
        raise ValueError(f"unknown level {level!r}; choose from {', '.join(LEVELS)}")
    return f"{FILE_STEMS[level]}_{year}.topojson"


def object_name(level: str, year: int) -> str:
    return f"{FILE_STEMS[level]}_{year}"


@lru_cache(maxsize=16)
def _parse(path: str, mtime_ns: int, size: int, name: str) -> GeoJSON:
    """The parsed GeoJSON of one file, kept per process (keyed by the file's version)."""
    topology = json.loads(Path(path).read_text(encoding="utf-8"))
    objects = topology.get("objects") or {}
    return topology_to_geojson(topology, name if name in objects else None, decimals=DECIMALS)


def _parse_file(path: Path, level: str, year: int) -> GeoJSON:
    stat = path.stat()
    return _parse(str(path), stat.st_mtime_ns, stat.st_size, object_name(level, year))


_failed: dict[str, float] = {}
_download_lock = threading.Lock()


def _download(url: str, target: Path, level: str, year: int) -> GeoJSON:
    """Download ``url`` to ``target`` atomically, after checking that it parses."""
    request = urllib.request.Request(url, headers={"User-Agent": "regiokompas"})
    with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response:  # noqa: S310
        body = response.read(MAX_DOWNLOAD_BYTES + 1)
    if len(body) > MAX_DOWNLOAD_BYTES:
        raise ValueError(f"{url} is larger than {MAX_DOWNLOAD_BYTES} bytes")
    topology = json.loads(body.decode("utf-8"))
    objects = topology.get("objects") or {}
    name = object_name(level, year)
    topology_to_geojson(topology, name if name in objects else None)  # raises when unusable
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return _parse_file(target, level, year)


def load_geometry(level: str, year: int = 2025, settings: Settings | None = None) -> GeoResult:
    """The GeoJSON of ``level`` for ``year`` from the geo folder, the cache or a download.

    Never raises for a missing, unreadable or undownloadable file: the result then has no
    geometry and a ``reason`` a page can show.
    """
    settings = settings or get_settings()
    name = file_name(level, year)
    reasons: list[str] = []
    candidates: list[Path] = []
    if settings.geo_dir:
        candidates.append(Path(settings.geo_dir) / name)
    cached = Path(settings.cache_dir) / "geo" / name
    candidates.append(cached)
    for path in candidates:
        if not path.is_file():
            continue
        try:
            return GeoResult(level, year, _parse_file(path, level, year), str(path), None)
        except (OSError, ValueError, KeyError, TypeError, IndexError) as error:
            reasons.append(f"{path}: {error}")
    if settings.geo_dir and not reasons:
        reasons.append(f"{Path(settings.geo_dir) / name} does not exist")
    template = settings.geo_download_url.strip()
    if not template:
        reasons.append("downloading is disabled (geo_download_url is empty)")
        return GeoResult(level, year, None, None, "; ".join(reasons))
    url = template.format(level=FILE_STEMS[level], year=year)
    with _download_lock:
        failed_at = _failed.get(url)
        if failed_at is not None and time.monotonic() - failed_at < RETRY_AFTER:
            reasons.append(f"download from {url} failed recently; retried later")
            return GeoResult(level, year, None, None, "; ".join(reasons))
        if cached.is_file():  # another thread fetched it while this one waited
            try:
                return GeoResult(level, year, _parse_file(cached, level, year), str(cached), None)
            except (OSError, ValueError, KeyError, TypeError, IndexError):
                pass
        try:
            geojson = _download(url, cached, level, year)
        except Exception as error:  # noqa: BLE001 - any failure means: no map, say why
            _failed[url] = time.monotonic()
            reasons.append(f"download from {url} failed: {error}")
            return GeoResult(level, year, None, None, "; ".join(reasons))
    _failed.pop(url, None)
    return GeoResult(level, year, geojson, url, None)


def geometry(level: str, year: int = 2025, settings: Settings | None = None) -> GeoJSON | None:
    """The FeatureCollection of ``level``, or None when there is no geometry."""
    return load_geometry(level, year, settings).geojson


def feature_ids(level: str, year: int = 2025, settings: Settings | None = None) -> list[str]:
    """The sorted feature ids (CBS codes) of ``level``; empty when there is no geometry.

    Compare them with the reference codes: every region on a map needs exactly one feature.
    """
    geojson = geometry(level, year, settings)
    if geojson is None:
        return []
    return sorted(str(f.get("id")) for f in geojson["features"])
