"""``regiokompas ingest`` through click's runner."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from dashboard.cli import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[CliRunner]:
    from data.settings import get_settings

    monkeypatch.setenv("REGIOKOMPAS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_help(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["ingest", "--help"])
    assert result.exit_code == 0
    assert "--mapping" in result.output and "--format" in result.output


def test_json_prints_exactly_the_counts(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["ingest", "--json", str(FIXTURES / "dates.csv")])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {
        "batch_id",
        "read",
        "accepted",
        "rejected",
        "duplicates",
        "unresolved_places",
    }
    assert (payload["read"], payload["accepted"], payload["rejected"]) == (7, 2, 5)


def test_table_and_reasons(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["ingest", str(FIXTURES / "dates.csv"), str(FIXTURES / "native.csv")]
    )
    assert result.exit_code == 0, result.output
    assert "gelezen" in result.stdout and "ambiguous_date" in result.stdout
    assert "rij 1 is de kopregel" in result.stdout
    again = runner.invoke(cli, ["ingest", "--json", str(FIXTURES / "native.csv")])
    assert json.loads(again.stdout)["read"] == 0
    assert "al geladen" in again.stderr


def test_unreadable_file_fails_with_a_dutch_message(runner: CliRunner) -> None:
    result = runner.invoke(
        cli,
        ["ingest", "--json", str(FIXTURES / "missing_column.csv"), str(FIXTURES / "native.csv")],
    )
    assert result.exit_code == 1
    assert "missing_column.csv: Verplichte kolom ontbreekt" in result.stderr
    assert len(json.loads(result.stdout)) == 1  # the other file still loaded
