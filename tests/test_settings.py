"""Settings: every one has a default, a help text and an environment variable, and the README
documents each."""

from __future__ import annotations

from pathlib import Path

import pytest

from data.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_setting_is_documented(name: str) -> None:
    field = Settings.model_fields[name]
    assert field.description, f"{name} has no help text"
    assert f"REGIOKOMPAS_{name.upper()}" in README.read_text(encoding="utf-8"), (
        f"REGIOKOMPAS_{name.upper()} is not documented in README.md"
    )


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGIOKOMPAS_SMALL_COUNT_THRESHOLD", "25")
    monkeypatch.setenv("REGIOKOMPAS_DEFAULT_LANGUAGE", "en")
    settings = Settings()
    assert settings.small_count_threshold == 25
    assert settings.default_language == "en"


def test_unknown_language_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGIOKOMPAS_DEFAULT_LANGUAGE", "fr")
    with pytest.raises(ValueError, match="default_language"):
        Settings()


def test_default_database_is_sqlite_under_var() -> None:
    assert Settings.model_fields["database_url"].default == "sqlite:///var/regiokompas.db"
