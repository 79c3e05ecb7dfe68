"""The command line, through click's runner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dashboard.cli import cli


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path) -> CliRunner:
    from data.settings import get_settings

    monkeypatch.setenv("REGIOKOMPAS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["serve"],
        ["demo"],
        ["init-db"],
        ["regions"],
        ["places"],
        ["places", "resolve"],
        ["hash-password"],
    ],
)
def test_help(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(cli, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


@pytest.mark.parametrize(
    ("level", "count", "first"),
    [
        ("gemeente", 342, "GM0014"),
        ("arbeidsmarktregio", 35, "AM01"),
        ("provincie", 12, "PV20"),
        ("corop", 40, "CR01"),
    ],
)
def test_regions_json(runner: CliRunner, level: str, count: int, first: str) -> None:
    result = runner.invoke(cli, ["regions", "--level", level, "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == count
    assert rows[0]["code"] == first
    assert all(row["naam"] for row in rows)


def test_arbeidsmarktregio_codes_skip_the_missing_numbers(runner: CliRunner) -> None:
    rows = json.loads(
        runner.invoke(cli, ["regions", "--level", "arbeidsmarktregio", "--json"]).output
    )
    codes = {row["code"] for row in rows}
    assert {"AM04", "AM16", "AM31"}.isdisjoint(codes)
    assert "AM38" in codes


def test_places_resolve_json(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["places", "resolve", "Den Bosch", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "input": "Den Bosch",
        "gemeente_code": "GM0796",
        "gemeente_naam": "'s-Hertogenbosch",
        "method": "naam",
    }
    unresolved = json.loads(
        runner.invoke(cli, ["places", "resolve", "Thuiswerken", "--json"]).output
    )
    assert unresolved["gemeente_code"] is None and unresolved["gemeente_naam"] is None


def test_init_db_loads_reference(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["init-db"])
    assert result.exit_code == 0, result.output
    assert "429 regions" in result.output


def test_hash_password_verifies(runner: CliRunner) -> None:
    from werkzeug.security import check_password_hash

    result = runner.invoke(cli, ["hash-password"], input="geheim123\ngeheim123\n")
    assert result.exit_code == 0, result.output
    hashed = result.output.strip().splitlines()[-1]
    assert check_password_hash(hashed, "geheim123")
    assert not check_password_hash(hashed, "anders")
