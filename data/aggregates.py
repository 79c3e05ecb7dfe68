"""Aggregates ("cubes") the pages read instead of scanning vacancies.

``demand_month`` counts deduplicated vacancies (duplicate-cluster heads) per month × gemeente ×
beroepsgroep × education level × sector. It is rebuilt for the months a batch touches, so a new
batch never needs a full rebuild.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from data.store.models import DemandMonth, Vacancy, VacancyOccupation


def rebuild_demand(session: Session, months: Iterable[dt.date] | None = None) -> int:
    """Recount ``demand_month`` for ``months`` (all months when None); returns rows written."""
    month_list = sorted(set(months)) if months is not None else None
    remove = delete(DemandMonth)
    if month_list is not None:
        remove = remove.where(DemandMonth.month.in_(month_list))
    session.execute(remove)
    counted = (
        select(
            Vacancy.posted_month,
            Vacancy.gemeente_code,
            VacancyOccupation.occupation_code,
            Vacancy.education_level,
            Vacancy.sector,
            func.count(),
            Vacancy.is_demo,
        )
        .select_from(Vacancy)
        .outerjoin(VacancyOccupation, VacancyOccupation.vacancy_id == Vacancy.id)
        .where(Vacancy.is_cluster_head.is_(True))
        .group_by(
            Vacancy.posted_month,
            Vacancy.gemeente_code,
            VacancyOccupation.occupation_code,
            Vacancy.education_level,
            Vacancy.sector,
            Vacancy.is_demo,
        )
    )
    if month_list is not None:
        counted = counted.where(Vacancy.posted_month.in_(month_list))
    result = session.execute(
        insert(DemandMonth).from_select(
            [
                "month",
                "gemeente_code",
                "occupation_code",
                "education_level",
                "sector",
                "vacancies",
                "is_demo",
            ],
            counted,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
