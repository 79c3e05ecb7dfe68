"""The store: SQLAlchemy models, engine and sessions, migrations.

This package is the only code that talks to the database driver.
"""

from data.store.models import (
    Base,
    DemandMonth,
    IngestBatch,
    OccupationClass,
    PlaceAlias,
    Programme,
    ProgrammeOccupation,
    ProgrammeSkill,
    QuarantinedRow,
    Region,
    RegionMember,
    Skill,
    SkillDemandMonth,
    SupplyFigure,
    Vacancy,
    VacancyOccupation,
    VacancySkill,
)
from data.store.session import create_engine_for, init_db, session_scope

__all__ = [
    "Base",
    "DemandMonth",
    "IngestBatch",
    "OccupationClass",
    "PlaceAlias",
    "Programme",
    "ProgrammeOccupation",
    "ProgrammeSkill",
    "QuarantinedRow",
    "Region",
    "RegionMember",
    "Skill",
    "SkillDemandMonth",
    "SupplyFigure",
    "Vacancy",
    "VacancyOccupation",
    "VacancySkill",
    "create_engine_for",
    "init_db",
    "session_scope",
]
