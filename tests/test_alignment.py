"""Programme alignment, matching for a person and their commands, on a small demo store."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select

from data.demo.generator import build_demo
from data.loaders import load_reference
from data.store import Vacancy, init_db, session_scope
from matching.alignment import align_programme, programme_info, relevant_vacancies, skill_labels
from matching.person import match_profile

END = dt.date(2026, 10, 1)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, reference_dir: Path) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('align') / 'store.db'}"
    init_db(url)
    with session_scope(url) as session:
        load_reference(session, reference_dir)
        build_demo(session, reference_dir, n=2500, seed=9, end_month=END)
    return url


def test_alignment_of_a_programme(store: str) -> None:
    with session_scope(store) as session:
        result = align_programme(session, "25180", (), END)  # Kok
        assert result is not None
        assert result.relevant_vacancies > 0
        assert result.coverage is not None and 0 < result.coverage <= 1
        # what is covered and what is missing partition the demand
        covered = set(result.covered["skill_id"].to_list())
        missing = set(result.missing["skill_id"].to_list())
        assert not covered & missing
        labels = skill_labels(session, list(covered))
        assert any(label[0] == "haccp" for label in labels.values())
        assert result.graduates is not None and result.graduates > 0
        assert result.vacancies_per_graduate == pytest.approx(
            result.relevant_vacancies / result.graduates
        )
        assert result.previous_relevant_vacancies is not None
        assert align_programme(session, "99999", (), END) is None


def test_alignment_returns_its_relevant_vacancies(store: str) -> None:
    first = dt.date(2025, 11, 1)  # twelve months up to END
    with session_scope(store) as session:
        result = align_programme(session, "25180", ("GM0363", "GM0193"), END)
        programme = programme_info(session, "25180")
        assert result is not None and programme is not None
        found = relevant_vacancies(session, programme, ("GM0363", "GM0193"), first, END)
        assert result.vacancy_ids == found
        assert len(result.vacancy_ids) == result.relevant_vacancies > 0
        assert len(set(result.vacancy_ids)) == len(result.vacancy_ids)
        heads = session.execute(
            select(Vacancy.posted_month, Vacancy.gemeente_code, Vacancy.is_cluster_head).where(
                Vacancy.id.in_(result.vacancy_ids)
            )
        ).all()
        assert len(heads) == len(result.vacancy_ids)
        for month, gemeente, head in heads:
            assert head and first <= month <= END and gemeente in {"GM0363", "GM0193"}


@pytest.mark.filterwarnings("ignore:Flask-Caching. CACHE_TYPE is set to NullCache")
def test_programme_page_lists_the_alignments_vacancies_without_finding_them_again(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matching.alignment
    from dashboard import queries
    from dashboard.cache import cache
    from dashboard.queries import opleidingen as oq
    from data.settings import Settings

    # The periods the relevant vacancies were looked for in (the alignment: this one and the
    # twelve months before).
    calls: list[dt.date] = []
    real = matching.alignment.relevant_vacancies

    def counted(session: Any, programme: Any, gemeenten: Any, first: dt.date, *rest: Any) -> Any:
        calls.append(first)
        return real(session, programme, gemeenten, first, *rest)

    monkeypatch.setattr(matching.alignment, "relevant_vacancies", counted)
    app = Flask("alignment-ids")
    app.config["REGIOKOMPAS_SETTINGS"] = Settings(database_url=store)
    cache.init_app(app, config={"CACHE_TYPE": "NullCache"})  # every query reaches the store
    with app.test_request_context("/opleidingen"):
        chosen = oq.programme("25180")
        assert chosen is not None
        result = oq.alignment(chosen, queries.region("NL"))
        listed = oq.vacancies(chosen, queries.region("NL"))
    periods = [dt.date(2025, 11, 1), dt.date(2024, 11, 1)]
    assert calls == periods  # the list reused the alignment's ids
    assert result is not None and listed.height == result.relevant_vacancies > 0
    with session_scope(store) as session:
        programme = programme_info(session, "25180")
        assert programme is not None
        expected = real(session, programme, (), dt.date(2025, 11, 1), END)
    assert sorted(listed["id"].to_list()) == sorted(expected)
    # newest first, as before
    assert listed["posted_at"].to_list() == sorted(listed["posted_at"].to_list(), reverse=True)
    # In a new request (nothing cached) the list alone still finds its vacancies.
    calls.clear()
    with app.test_request_context("/api/opleiding_vacatures"):
        again = oq.vacancies(chosen, queries.region("NL"))
    assert calls == periods
    assert again["id"].to_list() == listed["id"].to_list()


def test_an_alignment_cached_without_ids_is_computed_again(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shared cache outlives a deployment: a frame cached by the app before the alignment kept
    its vacancy ids must not break the vacancy list."""
    from dashboard import queries
    from dashboard.cache import cache
    from dashboard.queries import opleidingen as oq
    from data.settings import Settings

    current = queries._QUERIES["opl_alignment"]

    def without_ids(*args: Any) -> Any:  # what the previous version cached
        return current(*args).drop("vacancy_ids")

    app = Flask("alignment-old-cache")
    app.config["REGIOKOMPAS_SETTINGS"] = Settings(database_url=store)
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})
    with app.test_request_context("/opleidingen"):
        chosen = oq.programme("25180")
        assert chosen is not None
        monkeypatch.setitem(queries._QUERIES, "opl_alignment", without_ids)
        last = oq.last_month()
        old = queries.run("opl_alignment", chosen.code, (), last)
        assert "vacancy_ids" not in old.columns
        monkeypatch.setitem(queries._QUERIES, "opl_alignment", current)
        assert "vacancy_ids" not in queries.run("opl_alignment", chosen.code, (), last).columns
    with app.test_request_context("/api/opleiding_vacatures"):
        listed = oq.vacancies(chosen, queries.region("NL"))
        result = oq.alignment(chosen, queries.region("NL"))
    assert result is not None and listed.height == result.relevant_vacancies > 0


def test_match_for_a_person(store: str) -> None:
    with session_scope(store) as session:
        results = match_profile(session, ["haccp", "allergenen", "mise-en-place"], (), top=5)
        assert results
        assert results == sorted(results, key=lambda r: -r.score)
        best = results[0]
        assert best.score > 0
        assert set(best.matched) and not set(best.missing) & set(best.matched)
        assert match_profile(session, ["geen-bestaande-skill"], ()) == []


@pytest.mark.parametrize("profile", [["haccp", "allergenen"], ["nederlands", "excel"]])
def test_both_ways_to_the_matching_vacancies_agree(
    store: str, monkeypatch: pytest.MonkeyPatch, profile: list[str]
) -> None:
    """From the skills (rare skills) or from the open vacancies (common ones): the same
    vacancies, scores and missing skills."""
    import matching.person as person

    with session_scope(store) as session:
        monkeypatch.setattr(person, "LINKS_PER_VACANCY", 10**9)  # always from the skills
        from_skills = match_profile(session, profile, (), top=50)
        monkeypatch.setattr(person, "LINKS_PER_VACANCY", 0)  # always from the vacancies
        from_vacancies = match_profile(session, profile, (), top=50)
    assert len(from_skills) >= 3
    assert from_skills == from_vacancies


def test_commands(
    store: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, model_cache: Path
) -> None:
    from dashboard.cli import cli
    from data.settings import get_settings

    monkeypatch.setenv("REGIOKOMPAS_DATABASE_URL", store)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        aligned = runner.invoke(cli, ["align", "--programme", "25180", "--region", "NL", "--json"])
        assert aligned.exit_code == 0, aligned.output
        payload = json.loads(aligned.output)
        assert payload["relevant_vacancies"] > 0 and payload["missing_skills"]
        assert {"skill_id", "label", "share"} <= set(payload["missing_skills"][0])

        matched = runner.invoke(
            cli, ["match", "--region", "NL", "--skills", "HACCP, Engels, mise-en-place", "--json"]
        )
        assert matched.exit_code == 0, matched.output
        result = json.loads(matched.output)
        assert "haccp" in result["profile"]
        assert result["vacancies"]

        text = tmp_path / "kwalificatie.txt"
        text.write_text(
            "Kerntaak 1: bereidt gerechten volgens HACCP-voorschriften, werkt "
            "met allergenen en doet de mise-en-place.",
            encoding="utf-8",
        )
        profiled = runner.invoke(cli, ["programmes", "profile", str(text), "--json"])
        assert profiled.exit_code == 0, profiled.output
        skills = {s["skill_id"] for s in json.loads(profiled.output)["skills"]}
        assert {"haccp", "allergenen"} <= skills
        evidence = json.loads(profiled.output)["skills"][0]
        original = text.read_text(encoding="utf-8")
        assert original[evidence["start"] : evidence["end"]] == evidence["evidence"]

        rising = runner.invoke(cli, ["emerging", "--min-support", "3", "--json"])
        assert rising.exit_code == 0, rising.output
        listed = json.loads(rising.output)["skills"]
        assert listed and all(row["vacancies"] >= 3 for row in listed)

        unknown = runner.invoke(cli, ["align", "--programme", "25180", "--region", "XX99"])
        assert unknown.exit_code != 0 and "unknown region" in unknown.output
    finally:
        get_settings.cache_clear()
