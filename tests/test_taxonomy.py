"""The skill taxonomy: loading, user additions, validation, ESCO import (function and CLI)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from matching.taxonomy import (
    COLUMNS,
    SKILL_TYPES,
    TaxonomyError,
    default_user_path,
    esco_skill_type,
    fold,
    fold_key,
    import_esco,
    load_into_store,
    load_taxonomy,
    merge_user_rows,
    read_esco_csv,
    read_taxonomy_csv,
    read_user_rows,
    skill_forms,
    validate_taxonomy,
    write_user_rows,
)

FIXTURES = Path(__file__).parent / "fixtures" / "esco"
ESCO = FIXTURES / "skills_nl_sample.csv"
MINI = FIXTURES / "taxonomy_mini.csv"


@pytest.fixture
def reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A reference folder holding the mini taxonomy as its skills.csv (no user file set)."""
    from data.settings import get_settings

    folder = tmp_path / "reference"
    folder.mkdir()
    shutil.copy(MINI, folder / "skills.csv")
    monkeypatch.delenv("REGIOKOMPAS_SKILLS_USER_FILE", raising=False)
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


def test_the_seed_taxonomy_is_valid(reference_dir: Path) -> None:
    frame = load_taxonomy(reference_dir, reference_dir / "no_user_file.csv")
    assert frame.height > 1000
    assert set(frame["type"].unique()) <= set(SKILL_TYPES)
    assert validate_taxonomy(frame) == []


def test_fold_and_keys() -> None:
    assert fold("Hygiëne & Café – RÖNTGEN") == "hygiene & cafe - rontgen"
    assert fold_key("  MS   Excel ") == "ms excel"
    assert fold_key("Patiënt") == fold_key("patient")


def test_validation_finds_every_kind_of_problem() -> None:
    frame = pl.DataFrame(
        {
            "skill_id": ["cafe", "cafe", "Bad Id", "koffie", "thee"],
            "label_nl": ["Café", "Cafe2", "X", "Koffie", None],
            "label_en": [None, None, None, None, "Tea"],
            "type": ["vocational", "vocational", "vocational", "drink", "vocational"],
            "aliases_nl": [None, None, None, "CAFÉ|espresso", None],
            "aliases_en": [None] * 5,
            "esco_uri": [None] * 5,
            "sectors": [None] * 5,
        }
    )
    problems = validate_taxonomy(frame)
    assert any("'cafe' occurs more than once" in p for p in problems)
    assert any("'Bad Id'" in p for p in problems)
    assert any("koffie: type 'drink'" in p for p in problems)
    assert any("koffie: form 'CAFÉ' is also a form of cafe" in p for p in problems)
    assert any("thee: no label_nl" in p for p in problems)
    with pytest.raises(TaxonomyError):
        raise TaxonomyError(problems)


def _frame(rows: list[dict[str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        [{c: row.get(c) for c in COLUMNS} for row in rows],
        schema=dict.fromkeys(COLUMNS, pl.String),
    )


def test_validation_finds_forms_that_are_no_evidence_of_the_skill() -> None:
    problems = validate_taxonomy(
        _frame(
            [
                # A benefit is no skill.
                {
                    "skill_id": "l-d",
                    "label_nl": "L&D",
                    "type": "vocational",
                    "aliases_nl": "opleidingsplannen|opleidingsbudget",
                },
                # "kennis van" before another form of the same skill swallows the cue.
                {
                    "skill_id": "bouwmaterialen",
                    "label_nl": "Bouwmaterialen",
                    "type": "knowledge",
                    "aliases_nl": "kennis van bouwmaterialen",
                },
                # "goed Engels" states no level.
                {
                    "skill_id": "engels-b2",
                    "label_nl": "Engels op B2-niveau",
                    "type": "language",
                    "aliases_nl": "engels b2|goed engels",
                },
                # Fine: the rest is no form of its own, the level is stated, no level claimed.
                {
                    "skill_id": "farmacologie",
                    "label_nl": "Farmacologie",
                    "type": "knowledge",
                    "aliases_nl": "kennis van geneesmiddelen",
                },
                {
                    "skill_id": "engels-c1",
                    "label_nl": "Engels op C1-niveau",
                    "type": "language",
                    "aliases_nl": "engels c1",
                },
                {
                    "skill_id": "engels",
                    "label_nl": "Engels",
                    "type": "language",
                    "aliases_nl": "engelstalig",
                },
            ]
        )
    )
    assert problems == [
        "l-d: form 'opleidingsbudget' is something an employer offers, not a skill",
        "bouwmaterialen: form 'kennis van bouwmaterialen' is 'kennis van' before another "
        "form of the skill; drop it (the extractor reads 'kennis van' as a cue of its own)",
        "engels-b2: form 'goed engels' states no language level; it belongs to the skill "
        "without a level",
    ]


def test_the_seed_taxonomy_leaves_levels_and_benefits_alone(reference_dir: Path) -> None:
    frame = load_taxonomy(reference_dir, reference_dir / "no_user_file.csv")
    forms = {
        row["skill_id"]: {fold_key(f) for f in skill_forms(row)}
        for row in frame.iter_rows(named=True)
    }
    assert "goed engels" not in forms["engels-b2"] and "good english" not in forms["engels-b2"]
    assert not any("opleidingsbudget" in keys for keys in forms.values())
    assert "kennis van bouwmaterialen" not in forms["bouwmaterialen"]


def test_user_file_overrides_and_extends(reference: Path) -> None:
    user = reference / "skills_user.csv"
    write_user_rows(
        user,
        [
            {"skill_id": "excel", "esco_uri": "http://data.europa.eu/esco/skill/x"},
            {
                "skill_id": "bijen-houden",
                "label_nl": "Bijen houden",
                "type": "vocational",
                "aliases_nl": "imkeren",
            },
        ],
    )
    frame = load_taxonomy(reference)
    excel = frame.filter(pl.col("skill_id") == "excel").row(0, named=True)
    assert excel["esco_uri"] == "http://data.europa.eu/esco/skill/x"
    assert excel["label_nl"] == "Excel" and excel["aliases_nl"] == "ms excel|excel-kennis"
    assert not excel["is_user_defined"]
    bees = frame.filter(pl.col("skill_id") == "bijen-houden").row(0, named=True)
    assert bees["is_user_defined"] and bees["type"] == "vocational"
    assert frame.height == read_taxonomy_csv(MINI).height + 1


def test_user_file_from_the_setting(
    reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from data.settings import Settings, get_settings

    elsewhere = tmp_path / "elders.csv"
    write_user_rows(elsewhere, [{"skill_id": "new", "label_nl": "Nieuw", "type": "knowledge"}])
    assert "new" not in load_taxonomy(reference)["skill_id"].to_list()
    monkeypatch.setenv("REGIOKOMPAS_SKILLS_USER_FILE", str(elsewhere))
    assert Settings().skills_user_file == str(elsewhere)
    get_settings.cache_clear()
    assert default_user_path(reference) == elsewhere
    assert "new" in load_taxonomy(reference)["skill_id"].to_list()
    # Passed in explicitly, a settings object wins over the process's settings.
    assert default_user_path(reference, Settings(skills_user_file="")) == (
        reference / "skills_user.csv"
    )


def test_an_invalid_user_file_is_reported(reference: Path) -> None:
    write_user_rows(
        reference / "skills_user.csv",
        [{"skill_id": "xls", "label_nl": "MS Excel", "type": "software"}],
    )
    with pytest.raises(TaxonomyError, match="also a form of excel"):
        load_taxonomy(reference)
    assert load_taxonomy(reference, validate=False).height == read_taxonomy_csv(MINI).height + 1


def test_merge_user_rows_unites_aliases_and_keeps_values() -> None:
    old = [{"skill_id": "a", "label_nl": "A", "type": "knowledge", "aliases_nl": "x|y"}]
    new = [
        {"skill_id": "a", "label_nl": "Other", "aliases_nl": "y|z", "esco_uri": "u"},
        {"skill_id": "b", "label_nl": "B", "type": "software"},
    ]
    merged = merge_user_rows(old, new)
    assert merged[0]["label_nl"] == "A" and merged[0]["aliases_nl"] == "x|y|z"
    assert merged[0]["esco_uri"] == "u"
    assert [r["skill_id"] for r in merged] == ["a", "b"]
    assert set(merged[1]) == set(COLUMNS)


# --- ESCO ---------------------------------------------------------------------------------------


def test_the_fixture_has_the_esco_columns() -> None:
    header = ESCO.read_text(encoding="utf-8").splitlines()[0]
    assert header.replace('"', "").split(",") == [
        "conceptType",
        "conceptUri",
        "skillType",
        "reuseLevel",
        "preferredLabel",
        "altLabels",
        "hiddenLabels",
        "status",
        "modifiedDate",
        "scopeNote",
        "definition",
        "inScheme",
        "description",
    ]
    esco = read_esco_csv(ESCO)
    assert esco.height == 20
    assert esco["conceptUri"].str.starts_with("http://data.europa.eu/esco/skill/").all()
    assert esco.filter(pl.col("preferredLabel") == "heftruck besturen")["altLabels"][0] == (
        "heftruck rijden\nvorkheftruck bedienen"
    )


def test_import_esco_links_existing_and_adds_new_skills() -> None:
    taxonomy = read_taxonomy_csv(MINI)
    rows = import_esco(ESCO, taxonomy)
    known = set(taxonomy["skill_id"].to_list())
    links = {r["skill_id"]: r["esco_uri"] for r in rows if r["skill_id"] in known}
    # By preferred label, English label, or an alternative label that is an alias.
    assert set(links) == {
        "heftruck",
        "photoshop",
        "tig-lassen",
        "excel",
        "nederlands",
        "kassawerkzaamheden",
    }
    assert all(uri.startswith("http://data.europa.eu/esco/skill/") for uri in links.values())
    for row in rows:
        if row["skill_id"] in known:  # only the URI: the rest of the seed row stays
            assert {k for k, v in row.items() if v} == {"skill_id", "esco_uri"}
    new = {r["skill_id"]: r for r in rows if r["skill_id"] not in known}
    assert {k: r["type"] for k, r in new.items()} == {
        "bijen-houden": "vocational",
        "machines-voor-grondbewerking-bedienen": "vocational",
        "dakgoten-installeren": "vocational",
        "inkscape": "software",
        "zelfvertrouwen-tonen": "transversal",
        "nederlands-spreken": "language",
        "kwaliteitsnormen-voor-voedingsmiddelen": "knowledge",
        "gimp-grafische-editor": "software",
        "veiligheidsvoorschriften-toepassen": "vocational",
        "zwembadtechniek": "knowledge",
        "solidworks": "software",
    }
    assert new["bijen-houden"]["aliases_nl"] == "bijenteelt|imkerij"
    # "|" separates aliases, so one inside an ESCO label becomes "/".
    assert new["veiligheidsvoorschriften-toepassen"]["aliases_nl"] == (
        "veiligheidsregels naleven/voorschriften|veilig werken volgens voorschriften"
    )
    # Python already has this URI, MATLAB another one: neither changes.
    assert "python" not in links and "matlab" not in links
    merged = pl.concat(
        [taxonomy, pl.DataFrame([r for r in rows if r["skill_id"] not in known])],
        how="diagonal_relaxed",
    )
    assert validate_taxonomy(merged) == []


def test_import_esco_match_only() -> None:
    rows = import_esco(ESCO, read_taxonomy_csv(MINI), match_only=True)
    assert len(rows) == 6 and all(r["label_nl"] == "" for r in rows)


def test_esco_skill_type_rules() -> None:
    assert esco_skill_type("knowledge", "bouwfysica") == "knowledge"
    assert esco_skill_type("skill/competence", "metselen") == "vocational"
    assert esco_skill_type("skill/competence", "AutoCAD gebruiken") == "software"
    assert esco_skill_type("knowledge", "Kdenlive", "Software voor videobewerking.") == "software"
    assert esco_skill_type("skill/competence", "samenwerken", reuse_level="transversal") == (
        "transversal"
    )
    assert esco_skill_type("knowledge", "Pools", language_names={"pools"}) == "language"


def test_read_esco_rejects_other_files(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="not an ESCO skills file"):
        read_esco_csv(other)


@pytest.fixture
def runner(reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    from data.settings import get_settings

    monkeypatch.setenv("REGIOKOMPAS_REFERENCE_DIR", str(reference))
    monkeypatch.setenv("REGIOKOMPAS_DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_cli_import_esco_dry_run_writes_nothing(runner: CliRunner, reference: Path) -> None:
    from dashboard.cli import cli

    result = runner.invoke(cli, ["taxonomy", "import-esco", str(ESCO), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "6 existing skill(s) get an ESCO URI, 11 new skill(s)" in result.output
    assert "Dry run" in result.output
    assert not (reference / "skills_user.csv").exists()


def test_cli_import_esco_writes_the_user_file_and_loads_the_store(
    runner: CliRunner, reference: Path, tmp_path: Path
) -> None:
    from dashboard.cli import cli
    from data.store import Skill, init_db, session_scope

    url = f"sqlite:///{tmp_path / 'store.db'}"
    init_db(url)
    result = runner.invoke(cli, ["taxonomy", "import-esco", str(ESCO)])
    assert result.exit_code == 0, result.output
    assert "Loaded" in result.output
    rows = {r["skill_id"]: r for r in read_user_rows(reference / "skills_user.csv")}
    assert len(rows) == 17
    assert rows["excel"]["esco_uri"].startswith("http://data.europa.eu/esco/skill/")
    with session_scope(url) as session:
        skills = {s.key: s for s in session.execute(select(Skill)).scalars()}
    assert skills["excel"].esco_uri == rows["excel"]["esco_uri"]
    assert not skills["excel"].is_user_defined
    assert skills["bijen-houden"].is_user_defined
    assert skills["bijen-houden"].aliases == ["bijenteelt", "imkerij"]
    # A second import changes nothing: every concept is linked by now.
    again = runner.invoke(cli, ["taxonomy", "import-esco", str(ESCO)])
    assert "0 existing skill(s) get an ESCO URI, 0 new skill(s)" in again.output
    assert len(read_user_rows(reference / "skills_user.csv")) == 17
    # The extractor picks the new skills up.
    extracted = runner.invoke(cli, ["skills", "extract", "--json"], input="Ervaring met imkerij")
    assert '"skill_id": "bijen-houden"' in extracted.output
    valid = runner.invoke(cli, ["taxonomy", "validate"])
    assert valid.exit_code == 0 and "0 problem(s)" in valid.output


def test_cli_import_without_a_store_creates_none(runner: CliRunner, tmp_path: Path) -> None:
    from dashboard.cli import cli

    result = runner.invoke(cli, ["taxonomy", "import-esco", str(ESCO)])
    assert result.exit_code == 0, result.output
    assert "Loaded" not in result.output
    assert not (tmp_path / "store.db").exists()


def test_load_into_store(sqlite_url: str, reference_dir: Path) -> None:
    from data.store import Skill, init_db, session_scope

    init_db(sqlite_url)
    frame = load_taxonomy(reference_dir)
    with session_scope(sqlite_url) as session:
        assert load_into_store(session, frame.head(5)) == 5
        assert load_into_store(session, frame.head(5)) == 5  # idempotent
    with session_scope(sqlite_url) as session:
        assert len(session.execute(select(Skill)).scalars().all()) == 5


def test_load_reference_puts_the_users_skills_in_the_store(
    database_url: str, reference_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """init-db's loader reads the user file named by the setting skills_user_file: a new skill
    is added (user-defined), a seed skill gets the user's fields, and the Vaardigheden page's
    skill list shows both."""
    from dashboard.queries.vaardigheden import _skills
    from data.loaders import load_reference
    from data.settings import get_settings
    from data.store import Skill, init_db, session_scope

    user = tmp_path / "eigen_skills.csv"
    write_user_rows(
        user,
        [
            {
                "skill_id": "beiaard-bespelen",
                "label_nl": "Beiaard bespelen",
                "label_en": "Carillon playing",
                "type": "vocational",
                "aliases_nl": "beiaardier|klokkenspel bespelen",
            },
            {"skill_id": "excel", "esco_uri": "http://data.europa.eu/esco/skill/excel-x"},
        ],
    )
    monkeypatch.setenv("REGIOKOMPAS_SKILLS_USER_FILE", str(user))
    get_settings.cache_clear()
    init_db(database_url)
    try:
        with session_scope(database_url) as session:
            summary = load_reference(session, reference_dir, models=False)
    finally:
        get_settings.cache_clear()
    seed = read_taxonomy_csv(reference_dir / "skills.csv").height
    assert summary.skills == seed + 1
    with session_scope(database_url) as session:
        skills = {s.key: s for s in session.execute(select(Skill)).scalars()}
    assert len(skills) == seed + 1
    carillon = skills["beiaard-bespelen"]
    assert carillon.is_user_defined and carillon.label_en == "Carillon playing"
    assert carillon.aliases == ["beiaardier", "klokkenspel bespelen"]
    assert skills["excel"].esco_uri == "http://data.europa.eu/esco/skill/excel-x"
    assert skills["excel"].label_nl == "Excel" and not skills["excel"].is_user_defined
    listed = _skills(database_url)
    assert listed.filter(pl.col("key") == "beiaard-bespelen")["aliases"].to_list() == [
        "beiaardier | klokkenspel bespelen"
    ]


def test_load_reference_names_the_files_of_a_bad_user_file(
    sqlite_url: str, reference_dir: Path, tmp_path: Path
) -> None:
    from data.loaders import load_reference
    from data.store import init_db, session_scope

    user = tmp_path / "eigen_skills.csv"
    write_user_rows(user, [{"skill_id": "xls", "label_nl": "MS Excel", "type": "software"}])
    init_db(sqlite_url)
    with pytest.raises(TaxonomyError) as caught, session_scope(sqlite_url) as session:
        load_reference(session, reference_dir, skills_user_file=user, models=False)
    assert str(user) in str(caught.value)
    assert "xls: form 'MS Excel' is also a form of excel" in str(caught.value)
