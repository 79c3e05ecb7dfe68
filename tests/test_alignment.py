"""Programme alignment, matching for a person and their commands, on a small demo store."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from data.demo.generator import build_demo
from data.loaders import load_reference
from data.store import init_db, session_scope
from matching.alignment import align_programme, skill_labels
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


def test_match_for_a_person(store: str) -> None:
    with session_scope(store) as session:
        results = match_profile(session, ["haccp", "allergenen", "mise-en-place"], (), top=5)
        assert results
        assert results == sorted(results, key=lambda r: -r.score)
        best = results[0]
        assert best.score > 0
        assert set(best.matched) and not set(best.missing) & set(best.matched)
        assert match_profile(session, ["geen-bestaande-skill"], ()) == []


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
