"""The matcher over stored vacancies: spans point at the text, aggregates count clusters, a
re-run changes nothing; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data.demo.generator import build_demo
from data.loaders import load_reference
from data.store import (
    IngestBatch,
    SkillDemandMonth,
    Vacancy,
    VacancyOccupation,
    VacancySkill,
    init_db,
    session_scope,
)
from matching.pipeline import _configured, _links, _texts, extractor_for, process_vacancies


def _counts(url: str) -> tuple[int, int, int]:
    with session_scope(url) as session:
        return (
            session.execute(select(func.count(VacancySkill.id))).scalar_one(),
            session.execute(select(func.count(SkillDemandMonth.id))).scalar_one(),
            session.execute(select(func.sum(SkillDemandMonth.vacancies))).scalar_one(),
        )


def test_demo_build_runs_the_matcher(database_url: str, reference_dir: Path) -> None:
    init_db(database_url)
    with session_scope(database_url) as session:
        load_reference(session, reference_dir)
        build_demo(session, reference_dir, n=400, seed=2, end_month=dt.date(2026, 10, 1))
    links, cells, total = _counts(database_url)
    assert links > 400 * 3  # several skills per vacancy
    with session_scope(database_url) as session:
        rows = session.execute(
            select(
                Vacancy.text,
                VacancySkill.start,
                VacancySkill.end,
                VacancySkill.surface,
                VacancySkill.section,
            ).join(VacancySkill, VacancySkill.vacancy_id == Vacancy.id)
        ).all()
        assert all(text[start:end] == surface for text, start, end, surface, _ in rows)
        assert {section for *_, section in rows} >= {"requirement", "offer"}
        # The aggregate counts deduplicated vacancies asking a skill (offers do not count).
        pairs = (
            select(VacancySkill.vacancy_id, VacancySkill.skill_id)
            .join(Vacancy, Vacancy.id == VacancySkill.vacancy_id)
            .where(Vacancy.is_cluster_head.is_(True), VacancySkill.section != "offer")
            .distinct()
            .subquery()
        )
        expected = session.execute(select(func.count()).select_from(pairs)).scalar_one()
        assert total == expected
        ids = [i for (i,) in session.execute(select(Vacancy.id))]
        process_vacancies(session, ids, classify_titles=False)
    assert _counts(database_url) == (links, cells, total)  # a re-run duplicates nothing


def test_split_vacancies_are_read_per_part(sqlite_url: str, reference_dir: Path) -> None:
    candidate = "Je hebt VCA en rijbewijs B."
    conditions = "Wij betalen je heftruckcertificaat."
    text = f"Over de functie\n\n{candidate}\n\n{conditions}"
    frame = _texts([(1, text, {"candidate": candidate, "conditions": conditions})])
    assert frame["forced"].to_list() == ["requirement", "offer"]
    assert frame["offset"].to_list() == [text.index(candidate), text.index(conditions)]

    init_db(sqlite_url)
    with session_scope(sqlite_url) as session:
        load_reference(session, reference_dir)
        batch = IngestBatch(source="test", status="done")
        session.add(batch)
        session.flush()
        vacancy = Vacancy(
            source="test",
            source_id="1",
            title="Magazijnmedewerker",
            posted_at=dt.date(2026, 5, 4),
            posted_month=dt.date(2026, 5, 1),
            content_hash="h" * 64,
            text=text,
            batch_id=batch.id,
            sections={"candidate": candidate, "conditions": conditions},
        )
        session.add(vacancy)
        session.flush()
        process_vacancies(session, [vacancy.id], classify_titles=False)
        found = session.execute(
            select(VacancySkill.surface, VacancySkill.section, VacancySkill.start, VacancySkill.end)
        ).all()
        assert all(text[s:e] == surface for surface, _, s, e in found)
        sections = {surface.lower(): section for surface, section, _, _ in found}
        assert sections["vca"] == "requirement"
        assert sections["heftruckcertificaat"] == "offer"
        assert session.execute(select(func.count()).select_from(VacancyOccupation)).scalar() == 0


def test_spans_of_split_parts_point_into_the_stored_text(reference_dir: Path) -> None:
    """Each match is tied to the part it was found in, not guessed from its surface: the same
    word at the same place of two parts lands in the right part."""
    candidate = "VCA is vereist."
    conditions = "VCA halen we samen."
    text = f"Wat vragen wij?\n{candidate}\nWat bieden wij?\n{conditions}"
    texts = _texts(
        [
            (7, text, {"candidate": candidate, "conditions": conditions}),
            (8, "Je hebt rijbewijs B en VCA.", None),
        ]
    )
    extractor = _configured(extractor_for(str(reference_dir)), section_column="forced")
    found = extractor.transform(texts.select("text", "forced"))
    links = _links(found, texts, {"vca": 1, "rijbewijs-b": 2})
    assert links.columns == [
        "vacancy_id",
        "skill_id",
        "start",
        "end",
        "surface",
        "section",
        "required",
    ]
    rows = links.to_dicts()
    assert [(r["vacancy_id"], r["skill_id"], r["section"], r["required"]) for r in rows] == [
        (7, 1, "requirement", True),
        (7, 1, "offer", False),
        (8, 2, "requirement", True),
        (8, 1, "requirement", True),
    ]
    assert rows[0]["start"] == text.index(candidate)
    assert rows[1]["start"] == text.index(conditions)
    for r in rows:
        stored = text if r["vacancy_id"] == 7 else "Je hebt rijbewijs B en VCA."
        assert stored[r["start"] : r["end"]] == r["surface"]


def test_the_extractor_follows_the_user_file(
    reference_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from data.settings import get_settings
    from matching.taxonomy import write_user_rows

    user = tmp_path / "eigen_skills.csv"
    monkeypatch.setenv("REGIOKOMPAS_SKILLS_USER_FILE", str(user))
    get_settings.cache_clear()
    try:
        text = "Je kunt de beiaard bespelen."
        assert extractor_for(str(reference_dir)).extract(text) == []
        write_user_rows(
            user, [{"skill_id": "beiaard", "label_nl": "Beiaard bespelen", "type": "vocational"}]
        )
        found = extractor_for(str(reference_dir)).extract(text)
    finally:
        get_settings.cache_clear()
    assert [(m.skill_id, m.text) for m in found] == [("beiaard", "beiaard bespelen")]
