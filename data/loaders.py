"""Reference data: Dutch regions, place aliases, BRC 2014, programmes and skills.

The raw tables live in ``data/reference/`` (see its README for sources and licences). This module
reads them with Polars and loads them into the store; loading is idempotent (rows are replaced,
user-defined regions, programmes and skills are kept).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from data.places import alias_rows, normalise_place
from data.store.models import (
    OccupationClass,
    PlaceAlias,
    Programme,
    ProgrammeOccupation,
    ProgrammeSkill,
    Region,
    RegionMember,
    Skill,
)

GROUPING_LEVELS = {
    "arbeidsmarktregio": ("arbeidsmarktregio_code", "arbeidsmarktregio_naam"),
    "provincie": ("provincie_code", "provincie_naam"),
    "corop": ("corop_code", "corop_naam"),
}
LEVELS = ("gemeente", *GROUPING_LEVELS)


def read_csv(reference_dir: Path, name: str) -> pl.DataFrame:
    """A reference table with every column as text, so codes keep their leading zeros."""
    return pl.read_csv(reference_dir / name, infer_schema=False)


def gemeenten(reference_dir: Path) -> pl.DataFrame:
    return read_csv(reference_dir, "gemeenten_2025.csv").with_columns(
        pl.col("lat").cast(pl.Float64), pl.col("lon").cast(pl.Float64)
    )


def regions_frame(reference_dir: Path, level: str) -> pl.DataFrame:
    """Codes and names of one level of the 2025 classification, sorted by code."""
    table = gemeenten(reference_dir)
    if level == "gemeente":
        return table.select(code="gemeente_code", naam="gemeente_naam").sort("code")
    if level not in GROUPING_LEVELS:
        raise ValueError(f"unknown level {level!r}; choose from {', '.join(LEVELS)}")
    code, name = GROUPING_LEVELS[level]
    return (
        table.group_by(code, name)
        .agg(n_gemeenten=pl.len())
        .select(code=code, naam=name, n_gemeenten="n_gemeenten")
        .sort("code")
    )


def occupation_rows(reference_dir: Path) -> list[dict[str, object]]:
    """BRC 2014 as a tree of klasse → segment → groep, ISCO-08 codes on the groups."""
    brc = read_csv(reference_dir, "brc2014.csv")
    isco = read_csv(reference_dir, "brc2014_isco.csv")
    isco_by_group = {
        group: codes
        for group, codes in isco.group_by("beroepsgroep_code")
        .agg(pl.col("isco08_code").sort())
        .iter_rows()
    }
    rows: dict[str, dict[str, object]] = {}
    for r in brc.iter_rows(named=True):
        rows[r["beroepsklasse_code"]] = {
            "code": r["beroepsklasse_code"],
            "level": "beroepsklasse",
            "name": r["beroepsklasse_naam"],
            "parent_code": None,
            "isco_codes": None,
        }
        rows[r["beroepssegment_code"]] = {
            "code": r["beroepssegment_code"],
            "level": "beroepssegment",
            "name": r["beroepssegment_naam"],
            "parent_code": r["beroepsklasse_code"],
            "isco_codes": None,
        }
        rows[r["beroepsgroep_code"]] = {
            "code": r["beroepsgroep_code"],
            "level": "beroepsgroep",
            "name": r["beroepsgroep_naam"],
            "parent_code": r["beroepssegment_code"],
            "isco_codes": isco_by_group.get(r["beroepsgroep_code"], []),
        }
    return list(rows.values())


@dataclass
class LoadSummary:
    regions: int
    aliases: int
    occupations: int
    programmes: int
    skills: int


def _load_regions(session: Session, reference_dir: Path, year: int) -> int:
    table = gemeenten(reference_dir)
    session.execute(delete(Region).where(Region.level.in_(LEVELS), Region.year == year))
    session.execute(
        insert(Region),
        [
            {
                "level": "gemeente",
                "code": r["gemeente_code"],
                "name": r["gemeente_naam"],
                "year": year,
                "lat": r["lat"],
                "lon": r["lon"],
            }
            for r in table.iter_rows(named=True)
        ],
    )
    for level in GROUPING_LEVELS:
        session.execute(
            insert(Region),
            [
                {"level": level, "code": r["code"], "name": r["naam"], "year": year}
                for r in regions_frame(reference_dir, level).iter_rows(named=True)
            ],
        )
    ids = {
        (level, code): rid
        for rid, level, code in session.execute(
            select(Region.id, Region.level, Region.code).where(Region.year == year)
        )
    }
    members = []
    for r in table.iter_rows(named=True):
        members.append(
            {
                "region_id": ids[("gemeente", r["gemeente_code"])],
                "gemeente_code": r["gemeente_code"],
            }
        )
        for level, (code_col, _) in GROUPING_LEVELS.items():
            members.append(
                {"region_id": ids[(level, r[code_col])], "gemeente_code": r["gemeente_code"]}
            )
    session.execute(insert(RegionMember), members)
    return len(ids)


def _load_aliases(session: Session, reference_dir: Path) -> int:
    session.execute(delete(PlaceAlias))
    seen: set[tuple[str, str]] = set()
    rows = []
    for row in alias_rows(reference_dir):
        key = (normalise_place(row.alias), row.gemeente_code)
        if key[0] and key not in seen:
            seen.add(key)
            rows.append(
                {
                    "alias_norm": key[0],
                    "alias": row.alias,
                    "gemeente_code": row.gemeente_code,
                    "kind": row.kind,
                    "source": row.source,
                }
            )
    session.execute(insert(PlaceAlias), rows)
    return len(rows)


def _load_occupations(session: Session, reference_dir: Path) -> int:
    rows = occupation_rows(reference_dir)
    session.execute(delete(OccupationClass))
    session.execute(insert(OccupationClass), rows)
    return len(rows)


def programme_frame(reference_dir: Path) -> pl.DataFrame:
    path = reference_dir / "mbo_kwalificaties.csv"
    if not path.exists():
        return pl.DataFrame(schema={"crebo": pl.String, "naam": pl.String, "niveau": pl.String})
    return read_csv(reference_dir, "mbo_kwalificaties.csv")


def _load_programmes(session: Session, reference_dir: Path) -> int:
    frame = programme_frame(reference_dir)
    profiles = _programme_profiles(session, reference_dir)
    existing = {
        code: pid
        for pid, code in session.execute(
            select(Programme.id, Programme.code).where(
                Programme.code_type == "crebo", Programme.owner.is_(None)
            )
        )
    }
    count = 0
    for r in frame.iter_rows(named=True):
        values = {
            "code_type": "crebo",
            "code": r["crebo"],
            "name": r["naam"],
            "level": f"mbo{r['niveau']}" if r.get("niveau") else None,
            "domain": r.get("domein") or None,
            "dossier_code": r.get("dossier_crebo") or None,
            "dossier_name": r.get("dossier_naam") or None,
        }
        programme = session.get(Programme, existing[r["crebo"]]) if r["crebo"] in existing else None
        if programme is None:
            programme = Programme(**values)
            session.add(programme)
        else:
            for key, value in values.items():
                setattr(programme, key, value)
        programme.occupations = [
            ProgrammeOccupation(occupation_code=code.strip())
            for code in (r.get("beroepsgroepen") or "").split(";")
            if code.strip()
        ]
        programme.skills = [
            ProgrammeSkill(skill_id=skill_id, weight=weight, source=source)
            for skill_id, weight, source in profiles.get(r["crebo"], [])
        ]
        count += 1
    session.flush()
    return count


def _programme_profiles(
    session: Session, reference_dir: Path
) -> dict[str, list[tuple[int, float, str]]]:
    """crebo → (store skill id, weight, kerntaak) from ``programme_skills.csv``."""
    path = reference_dir / "programme_skills.csv"
    if not path.exists():
        return {}
    skill_ids = dict(session.execute(select(Skill.key, Skill.id)).all())
    profiles: dict[str, list[tuple[int, float, str]]] = {}
    for crebo, key, weight, kerntaak in (
        read_csv(reference_dir, "programme_skills.csv")
        .select("crebo", "skill_id", "weight", "kerntaak")
        .iter_rows()
    ):
        if key in skill_ids:
            profiles.setdefault(crebo, []).append((skill_ids[key], float(weight), kerntaak))
    return profiles


def skills_frame(reference_dir: Path) -> pl.DataFrame:
    return read_csv(reference_dir, "skills.csv")


def _load_skills(session: Session, reference_dir: Path, user_file: Path | None = None) -> int:
    """The seed taxonomy (``skills.csv``) merged with the users' file into the store: seed
    skills are inserted or updated, the users' skills added or updated with
    ``is_user_defined``; nothing is deleted. ``user_file`` defaults to the setting
    ``skills_user_file`` (else ``<reference_dir>/skills_user.csv``)."""
    from matching.taxonomy import (
        TaxonomyError,
        default_user_path,
        load_into_store,
        load_taxonomy,
    )

    path = Path(user_file) if user_file else default_user_path(reference_dir)
    if not (reference_dir / "skills.csv").exists() and not path.exists():
        return 0
    try:
        taxonomy = load_taxonomy(reference_dir, path)
    except TaxonomyError as error:
        sources = f"{reference_dir / 'skills.csv'}" + (f" with {path}" if path.exists() else "")
        raise TaxonomyError([f"the skills of {sources}:", *error.problems]) from error
    return load_into_store(session, taxonomy)


def prepare_models(cache_dir: Path | str | None = None) -> Path:
    """Train the occupation classifier into ``<cache_dir>/models`` (the setting ``cache_dir``
    by default) unless it is there already, so that the first ingest or request after
    ``init-db`` or the demo build does not pay the training. Returns the model file."""
    from data.settings import get_settings
    from matching.occupations import prepare_model

    return prepare_model(cache_dir if cache_dir is not None else get_settings().cache_dir)


def load_reference(
    session: Session,
    reference_dir: Path,
    year: int = 2025,
    *,
    skills_user_file: Path | None = None,
    cache_dir: Path | str | None = None,
    models: bool = True,
) -> LoadSummary:
    """Load (or reload) every reference table into the store inside ``session``: regions,
    places, BRC 2014, programmes and the skills (the seed and the users' file).

    With ``models`` (the default) the occupation classifier is trained or found trained in
    ``<cache_dir>/models`` first (see :func:`prepare_models`), before anything is written, so
    the store is not held while it trains.
    """
    if models:
        prepare_models(cache_dir)
    skills = _load_skills(session, reference_dir, skills_user_file)  # profiles refer to skills
    return LoadSummary(
        regions=_load_regions(session, reference_dir, year),
        aliases=_load_aliases(session, reference_dir),
        occupations=_load_occupations(session, reference_dir),
        programmes=_load_programmes(session, reference_dir),
        skills=skills,
    )


def to_json(frame: pl.DataFrame) -> str:
    return json.dumps(frame.to_dicts(), ensure_ascii=False, indent=2)
