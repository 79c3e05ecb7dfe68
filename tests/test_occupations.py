"""The occupation classifier: titles it has never seen, "onbekend" instead of a guess, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from matching.occupations import (
    UNKNOWN,
    OccupationClassifier,
    OccupationLookup,
    base_title,
    classify,
    clean_title,
    train,
    training_data,
)


@pytest.fixture(scope="session")
def model(model_cache: Path) -> OccupationClassifier:
    return train(cache_dir=model_cache)


def test_training_data_covers_every_beroepsgroep(reference_dir: Path) -> None:
    import polars as pl

    titles = training_data()
    groups = set(
        pl.read_csv(reference_dir / "brc2014.csv", infer_schema=False)["beroepsgroep_code"]
    )
    assert titles.height >= 4000
    counts = titles.group_by("beroepsgroep_code").len()
    assert set(counts["beroepsgroep_code"]) == groups
    assert counts["len"].min() >= 20


def test_cleaning_and_base_titles() -> None:
    assert clean_title("Chauffeur C/CE (m/v/x) 32-40 uur") == "chauffeur c/ce"
    assert base_title("Senior Verpleegkundige (m/v) - Zwolle") == "verpleegkundige"
    assert base_title("Allround timmerman bij Bouwbedrijf X") == "timmerman"


@pytest.mark.parametrize(
    ("title", "klasse"),
    [
        ("Wijkverpleegkundige (m/v) regio Zwolle", "10"),
        ("Chauffeur CE internationaal", "12"),
        ("Full stack developer Python", "08"),
        ("Zelfstandig werkend kok", "11"),
        ("Monteur elektrotechniek", "07"),
        ("Leerkracht basisonderwijs groep 5", "01"),
    ],
)
def test_unseen_titles(
    model: OccupationClassifier, reference_dir: Path, title: str, klasse: str
) -> None:
    [result] = classify(model, OccupationLookup(reference_dir), [title])
    assert result.klasse_code == klasse, result


def test_low_confidence_is_onbekend(model: OccupationClassifier, reference_dir: Path) -> None:
    [result] = classify(model, OccupationLookup(reference_dir), ["Medewerker"])
    assert result.code is None and result.label == UNKNOWN
    assert model.predict(["xqzv plork"])[0] == UNKNOWN


def test_cached_model_is_reused(model_cache: Path, model: OccupationClassifier) -> None:
    cached = list(model_cache.glob("occupations-*.pkl"))
    assert len(cached) == 1
    again = train(cache_dir=model_cache)
    assert list(again.classes_) == list(model.classes_)


def test_cli_classify(
    model_cache: Path, monkeypatch: pytest.MonkeyPatch, model: OccupationClassifier
) -> None:
    from dashboard.cli import cli
    from data.settings import get_settings
    from matching.occupations import default_model

    monkeypatch.setenv("REGIOKOMPAS_CACHE_DIR", str(model_cache.parent))
    (model_cache.parent / "models").mkdir(exist_ok=True)
    for path in model_cache.glob("*.pkl"):
        (model_cache.parent / "models" / path.name).write_bytes(path.read_bytes())
    get_settings.cache_clear()
    default_model.cache_clear()
    try:
        result = CliRunner().invoke(
            cli, ["occupations", "classify", "Vrachtwagenchauffeur CE", "--json"]
        )
    finally:
        get_settings.cache_clear()
        default_model.cache_clear()
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert set(answer) == {"code", "label", "klasse_code", "klasse", "score"}
    assert answer["code"] == "1214" and answer["klasse_code"] == "12"
    assert 0 < answer["score"] <= 1


def test_init_db_trains_the_model_so_that_its_first_use_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`regiokompas init-db` leaves the fitted classifier in <cache_dir>/models; the first
    classification after it loads that file and fits nothing; a second init-db does not
    fit again."""
    from dashboard.cli import cli
    from data.settings import get_settings
    from matching.occupations import default_model, model_file, models_dir

    cache = tmp_path / "cache"
    monkeypatch.setenv("REGIOKOMPAS_CACHE_DIR", str(cache))
    monkeypatch.setenv("REGIOKOMPAS_DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    fits: list[int] = []
    real_fit = OccupationClassifier.fit

    def counted_fit(
        self: OccupationClassifier, titles: list[str], codes: list[str]
    ) -> OccupationClassifier:
        fits.append(len(titles))
        return real_fit(self, titles, codes)

    monkeypatch.setattr(OccupationClassifier, "fit", counted_fit)
    get_settings.cache_clear()
    default_model.cache_clear()
    try:
        runner = CliRunner()
        result = runner.invoke(cli, ["init-db"])
        assert result.exit_code == 0, result.output
        assert len(fits) == 1
        target = model_file(models_dir(cache))
        assert target.exists()
        assert list(models_dir(cache).iterdir()) == [target]
        stamp = target.stat().st_mtime_ns
        again = runner.invoke(cli, ["init-db"])
        assert again.exit_code == 0, again.output
        classified = runner.invoke(cli, ["occupations", "classify", "Lasser MIG/MAG", "--json"])
        assert classified.exit_code == 0, classified.output
        assert json.loads(classified.output)["klasse_code"] == "07"
    finally:
        get_settings.cache_clear()
        default_model.cache_clear()
    assert len(fits) == 1  # neither the second init-db nor the first classification fitted
    assert target.stat().st_mtime_ns == stamp
