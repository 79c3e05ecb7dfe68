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
        ["warm"],
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


# --- matcher commands ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "options"),
    [
        (["align"], {"--programme", "--region", "--months", "--json"}),
        (["match"], {"--region", "--skills", "--text", "--top", "--json"}),
        (["emerging"], {"--region", "--months", "--min-support", "--terms", "--json"}),
        (["occupations", "classify"], {"--json"}),
        (["occupations", "evaluate"], {"--folds"}),
        (["programmes", "profile"], {"--json"}),
    ],
)
def test_matcher_commands_have_the_shared_options(
    runner: CliRunner, args: list[str], options: set[str]
) -> None:
    from dashboard.cli import cli as root

    command = root
    for name in args:
        command = command.commands[name]  # type: ignore[attr-defined]
    declared = {o for p in command.params for o in p.opts}
    assert options <= declared
    help_text = runner.invoke(cli, [*args, "--help"]).output
    if "--region" in options:
        region = next(p for p in command.params if p.name == "region_code")
        assert region.default == "NL"
        assert region.help == "Region code: GMxxxx, AMxx, PVxx, CRxx, an own region, or NL."
        assert "--region TEXT" in help_text and "[default: NL]" in help_text
    if "--months" in options:
        months = next(p for p in command.params if p.name == "months")
        assert (months.default, months.type.max) == (
            {"align": 12, "emerging": 6}[args[0]],
            {"align": 36, "emerging": 12}[args[0]],
        )


@pytest.mark.parametrize("args", [["align", "--programme", "25180"], ["emerging"]])
def test_period_commands_on_an_empty_store(runner: CliRunner, args: list[str]) -> None:
    assert runner.invoke(cli, ["init-db"]).exit_code == 0
    result = runner.invoke(cli, [*args, "--months", "99"])
    assert result.exit_code == 2 and "--months" in result.output
    result = runner.invoke(cli, [*args, "--json"])
    assert result.exit_code == 1
    assert "the store holds no vacancies yet" in result.output
