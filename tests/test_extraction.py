"""Skill extraction: boundaries, compounds, abbreviations, lists, sections, offsets, the CLI."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

import matching.extraction
import matching.sections
from matching.extraction import OUTPUT_SCHEMA, SkillExtractor, SkillMatch
from matching.taxonomy import fold, fold_series, read_taxonomy_csv

MINI = Path(__file__).parent / "fixtures" / "esco" / "taxonomy_mini.csv"


@pytest.fixture(scope="module")
def extractor() -> SkillExtractor:
    return SkillExtractor().fit(read_taxonomy_csv(MINI))


def found(extractor: SkillExtractor, text: str) -> list[tuple[str, str]]:
    return [(m.skill_id, m.text) for m in extractor.extract(text)]


def by_id(extractor: SkillExtractor, text: str) -> dict[str, SkillMatch]:
    return {m.skill_id: m for m in extractor.extract(text)}


# --- word boundaries, compounds, abbreviations -------------------------------------------------


def test_no_sap_in_sappig_and_lowercase_sap_is_juice(extractor: SkillExtractor) -> None:
    assert found(extractor, "Een sappig stuk fruit en verse sap bij de lunch.") == []
    assert found(extractor, "Kennis van SAP is vereist.") == [("sap", "SAP")]


def test_no_excel_in_excellent(extractor: SkillExtractor) -> None:
    assert found(extractor, "Excellente service, excellent werk.") == []
    assert found(extractor, "Excellent in Excel.") == [("excel", "Excel")]


def test_compounds_with_a_hyphen(extractor: SkillExtractor) -> None:
    assert found(extractor, "Photoshop-ervaring is vereist") == [("photoshop", "Photoshop")]
    assert found(extractor, "AutoCAD-tekenaar gezocht") == [("autocad", "AutoCAD")]
    assert found(extractor, "VCA-certificaat") == [("vca", "VCA-certificaat")]
    assert found(extractor, "Rijbewijs-C") == [("rijbewijs-c", "Rijbewijs-C")]
    assert found(extractor, "CE-rijbewijs en C-rijbewijs") == [
        ("rijbewijs-ce", "CE-rijbewijs"),
        ("rijbewijs-c", "C-rijbewijs"),
    ]


def test_compounds_written_as_one_word(extractor: SkillExtractor) -> None:
    assert found(extractor, "Heftruckcertificaat") == [("heftruck", "Heftruckcertificaat")]
    assert found(extractor, "heftruckervaring en photoshopkennis") == [
        ("heftruck", "heftruck"),
        ("photoshop", "photoshop"),
    ]
    # A compound head must follow: "heftrucks" is no compound, "heftruckje" neither.
    assert found(extractor, "heftruckjes") == []


def test_nen_3140_with_and_without_space_or_hyphen(extractor: SkillExtractor) -> None:
    text = "NEN3140, NEN-3140 of NEN 3140"
    assert found(extractor, text) == [
        ("nen-3140", "NEN3140"),
        ("nen-3140", "NEN-3140"),
        ("nen-3140", "NEN 3140"),
    ]


def test_abbreviation_that_is_a_common_word_needs_capitals(extractor: SkillExtractor) -> None:
    assert found(extractor, "Dat heb ik tig keer gezegd") == []
    assert found(extractor, "Je beheerst TIG") == [("tig-lassen", "TIG")]
    assert found(extractor, "bhv-diploma en BHV") == [("bhv", "bhv-diploma"), ("bhv", "BHV")]


def test_overlapping_forms_resolve_to_the_longest(extractor: SkillExtractor) -> None:
    assert found(extractor, "Ervaring met MS Excel") == [("excel", "MS Excel")]
    assert found(extractor, "In bezit van VCA-VOL") == [("vca-vol", "VCA-VOL")]
    assert found(extractor, "Rijbewijs C+E") == [("rijbewijs-ce", "Rijbewijs C+E")]


def test_a_rejected_candidate_does_not_hide_a_match_inside_it(extractor: SkillExtractor) -> None:
    # "d rijbewijs" is no form, but a scan that only kept the leftmost candidate would lose
    # "rijbewijs B" to a failed "...d r..." match; likewise "is een plus|punt".
    assert found(extractor, "EHBO and Rijbewijs B") == [("rijbewijs-b", "Rijbewijs B")]
    matches = extractor.extract("Wie ben jij?\n- Ervaring met Excel is een pluspunt")
    assert [(m.skill_id, m.required) for m in matches] == [("excel", False)]


def test_english_terms_in_dutch_text(extractor: SkillExtractor) -> None:
    text = "Je hebt ervaring met Python, SQL en Docker in de cloud (AWS)."
    assert [s for s, _ in found(extractor, text)] == ["python", "sql", "docker", "aws"]


def test_not_a_skill_phrase_hides_the_skill_inside(extractor: SkillExtractor) -> None:
    assert found(extractor, "Wij bieden flexibele werktijden") == []
    assert found(extractor, "Je bent flexibel en zelfstandig") == [
        ("flexibel", "flexibel"),
        ("zelfstandig", "zelfstandig"),
    ]


# --- lists that share a word -------------------------------------------------------------------


def test_languages_sharing_taal(extractor: SkillExtractor) -> None:
    text = "Goede beheersing van de Nederlandse en Engelse taal in woord en geschrift."
    assert found(extractor, text) == [("nederlands", "Nederlandse"), ("engels", "Engelse taal")]
    three = "Je spreekt de Duitse, Nederlandse en Engelse taal."
    assert [s for s, _ in found(extractor, three)] == ["duits", "nederlands", "engels"]


def test_welding_list_with_hyphen_elision(extractor: SkillExtractor) -> None:
    assert found(extractor, "Ervaring met MIG/MAG- en TIG-lassen") == [
        ("mig-mag-lassen", "MIG/MAG"),
        ("tig-lassen", "TIG-lassen"),
    ]
    assert found(extractor, "MIG-, MAG- of TIG-lassen") == [
        ("mig-mag-lassen", "MIG"),
        ("mig-mag-lassen", "MAG"),
        ("tig-lassen", "TIG-lassen"),
    ]


def test_compound_elision_and_shared_head(extractor: SkillExtractor) -> None:
    assert found(extractor, "Je bent oplossings- en resultaatgericht.") == [
        ("probleemoplossend", "oplossings"),
        ("resultaatgericht", "resultaatgericht"),
    ]
    assert found(extractor, "Heftruck- en reachtruckcertificaat") == [
        ("heftruck", "Heftruck"),
        ("reachtruck", "reachtruckcertificaat"),
    ]
    assert found(extractor, "In bezit van rijbewijs B, C en CE") == [
        ("rijbewijs-b", "rijbewijs B"),
        ("rijbewijs-c", "C"),
        ("rijbewijs-ce", "CE"),
    ]


def test_elision_can_be_switched_off() -> None:
    plain = SkillExtractor(resolve_elision=False).fit(read_taxonomy_csv(MINI))
    assert found(plain, "de Nederlandse en Engelse taal") == [("engels", "Engelse taal")]


# --- sections and the required flag -------------------------------------------------------------

VACANCY = """Ben jij de heftruckchauffeur die wij zoeken?

Wat ga je doen?
- Je laadt en lost vrachtwagens met de heftruck

Wat vragen wij?
- Rijbewijs B
- VCA is een pré
- Ervaring met Excel is een pluspunt
- Bij voorkeur BHV
- Geen ervaring met SAP nodig: wij leiden je op

Wat bieden wij?
- Wij betalen je VCA-certificaat
- Opleidingsbudget voor Photoshop-cursussen
"""


def test_sections_by_heading(extractor: SkillExtractor) -> None:
    got = [(m.skill_id, m.section, m.required) for m in extractor.extract(VACANCY)]
    assert got == [
        # "heftruckchauffeur" in the title is an occupation, not the skill
        ("heftruck", "other", False),  # the job itself
        ("rijbewijs-b", "requirement", True),
        ("vca", "requirement", False),  # is een pré
        ("excel", "requirement", False),  # is een pluspunt
        ("bhv", "requirement", False),  # bij voorkeur
        ("sap", "offer", False),  # geen ervaring nodig: wij leiden je op
        ("vca", "offer", False),  # wij betalen je VCA
        ("photoshop", "offer", False),
    ]


def test_offered_certificate_is_not_required_without_headings(extractor: SkillExtractor) -> None:
    text = "Je hebt rijbewijs B. Wij betalen je VCA. Heftruck rijden is niet vereist."
    got = {(m.skill_id, m.section, m.required) for m in extractor.extract(text)}
    assert got == {("rijbewijs-b", "requirement", True), ("vca", "offer", False)}


def test_a_requirement_the_employer_pays_for_stays_a_requirement(
    extractor: SkillExtractor,
) -> None:
    text = "Je hebt VCA of bent bereid dit te halen (wij betalen). Wij betalen je BHV."
    got = [(m.skill_id, m.section) for m in extractor.extract(text)]
    assert got == [("vca", "requirement"), ("bhv", "offer")]


@pytest.mark.parametrize(
    "line",
    [
        "- BHV is een pré",
        "- BHV strekt tot aanbeveling",
        "- BHV is a plus",
        "- Nice to have: BHV",
        "- BHV is wenselijk",
        "- Pré: BHV",
        "- Heb je ook BHV? Dan is dat een pré",
        "- BHV is handig, maar geen vereiste",
    ],
)
def test_nice_to_have_cues(extractor: SkillExtractor, line: str) -> None:
    (match,) = extractor.extract(f"Jouw profiel\n{line}\n- Rijbewijs B")[:1]
    assert (match.skill_id, match.section, match.required) == ("bhv", "requirement", False)


@pytest.mark.parametrize(
    "line",
    [
        "Geen ervaring met Excel nodig",
        "Ervaring met Excel is niet vereist",
        "Excel-kennis is niet noodzakelijk",
        "No experience with Excel required",
        "Je hoeft geen Excel te kennen",
    ],
)
def test_a_skill_that_is_not_needed_is_left_out(line: str) -> None:
    text = f"Wat vragen wij?\n{line}\n- Rijbewijs B"
    assert [m.skill_id for m in _shared().extract(text)] == ["rijbewijs-b"]
    keeping = SkillExtractor(keep_negated=True).fit(read_taxonomy_csv(MINI))
    match = by_id(keeping, text)["excel"]
    assert (match.section, match.required) == ("requirement", False)


def test_nice_to_have_is_about_the_skills_in_its_clause(extractor: SkillExtractor) -> None:
    def flags(text: str) -> list[tuple[str, bool]]:
        return [(m.skill_id, m.required) for m in extractor.extract("Jouw profiel\n" + text)]

    assert flags("Je hebt rijbewijs B, Duits is handig") == [
        ("rijbewijs-b", True),
        ("duits", False),
    ]
    assert flags("Nederlands, Duits of Engels is a plus") == [
        ("nederlands", False),
        ("duits", False),
        ("engels", False),
    ]
    assert flags("Je spreekt Nederlands, Engels en bij voorkeur Duits") == [
        ("nederlands", True),
        ("engels", True),
        ("duits", False),
    ]
    assert flags("Je hebt VCA en rijbewijs CE (bij voorkeur)") == [
        ("vca", True),
        ("rijbewijs-ce", False),
    ]
    assert flags("VCA; BHV is een pré") == [("vca", True), ("bhv", False)]
    assert flags("Good command of English; Dutch is nice to have\n- VCA") == [
        ("engels", True),
        ("nederlands", False),
        ("vca", True),
    ]
    assert flags("Ervaring met MIG/MAG- en TIG-lassen, bij voorkeur in het bezit van VCA") == [
        ("mig-mag-lassen", True),
        ("tig-lassen", True),
        ("vca", False),
    ]


def test_english_vacancy(extractor: SkillExtractor) -> None:
    text = (
        "Requirements\n- Experience with Python and SQL\n- Docker is a plus\n\n"
        "What we offer\n- A paid training in AWS"
    )
    got = [(m.skill_id, m.section, m.required) for m in extractor.extract(text)]
    assert got == [
        ("python", "requirement", True),
        ("sql", "requirement", True),
        ("docker", "requirement", False),
        ("aws", "offer", False),
    ]


def test_inline_headings_in_a_flat_text(extractor: SkillExtractor) -> None:
    text = "Wat vragen wij? Kennis van SAP. Wat bieden wij? Een cursus Excel."
    got = [(m.skill_id, m.section, m.required) for m in extractor.extract(text)]
    assert got == [("sap", "requirement", True), ("excel", "offer", False)]


def test_heading_word_is_not_a_skill() -> None:
    taxonomy = pl.DataFrame(
        {
            "skill_id": ["arbeidsvoorwaarden"],
            "label_nl": ["Arbeidsvoorwaarden"],
            "label_en": [None],
            "type": ["knowledge"],
            "aliases_nl": [None],
            "aliases_en": [None],
        }
    )
    extractor = SkillExtractor().fit(taxonomy)
    text = "Arbeidsvoorwaarden\n- Kennis van arbeidsvoorwaarden is vereist"
    at = text.index("arbeidsvoorwaarden")
    assert [(m.start, m.section) for m in extractor.extract(text)] == [(at, "offer")]


def test_extract_sections_for_pre_split_vacancies(extractor: SkillExtractor) -> None:
    parts = extractor.extract_sections(
        {
            "candidate": "VCA en rijbewijs B. BHV is een pré.",
            "conditions": "Een cursus Photoshop",
            "job": "Je werkt met AutoCAD",
        }
    )
    assert [(m.skill_id, m.section, m.required) for m in parts["candidate"]] == [
        ("vca", "requirement", True),
        ("rijbewijs-b", "requirement", True),
        ("bhv", "requirement", False),
    ]
    assert [(m.skill_id, m.section) for m in parts["conditions"]] == [("photoshop", "offer")]
    assert [(m.skill_id, m.section, m.required) for m in parts["job"]] == [
        ("autocad", "other", False)
    ]
    assert parts["conditions"][0].start == len("Een cursus ")


def test_required_in_other() -> None:
    extractor = SkillExtractor(required_in_other=True).fit(read_taxonomy_csv(MINI))
    (match,) = extractor.extract("Wat ga je doen?\n- Je tekent in AutoCAD")
    assert (match.section, match.required) == ("other", True)


# --- offsets in the original text --------------------------------------------------------------


def test_offsets_point_into_the_original_text_with_diacritics(extractor: SkillExtractor) -> None:
    text = "Café in Zürich – “crème brûlée” – zoekt barista’s met HACCP-diploma en Photoshop."
    matches = extractor.extract(text)
    assert [(m.skill_id, m.text) for m in matches] == [
        ("barista", "barista"),
        ("haccp", "HACCP-diploma"),
        ("photoshop", "Photoshop"),
    ]
    for m in matches:
        assert text[m.start : m.end] == m.text


def test_offsets_after_characters_outside_the_basic_plane(extractor: SkillExtractor) -> None:
    text = "🚜 Heftruck 👷‍♀️ en ÉÉN keer Excel 😀"
    matches = extractor.extract(text)
    assert [m.skill_id for m in matches] == ["heftruck", "excel"]
    assert all(text[m.start : m.end] == m.text for m in matches)


def test_fold_keeps_length_and_agrees_with_the_polars_fold() -> None:
    text = "Ærø café ß İstanbul – ‘x’ 😀\u00a0\t\r\nZÜRICH"
    assert len(fold(text)) == len(text)
    assert fold(text).isascii()
    assert fold_series(pl.Series([text, None, "ABC"])).to_list() == [fold(text), "", "abc"]


AWKWARD = st.text(
    alphabet=st.one_of(
        st.sampled_from("aZé–‘’“”…ßẞøÆœđİ\u00a0\u200b\u2028\x00\x1a\t\r\n.!;:😀👷‍♀️日本"),
        st.characters(exclude_categories=["Cs"]),
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(AWKWARD, st.none()), max_size=8))
def test_the_numpy_fold_equals_the_polars_fold_and_finds_the_original_back(
    texts: list[str | None],
) -> None:
    series = pl.Series(texts, dtype=pl.String).fill_null("")
    folded, data, original = matching.extraction._fold_texts(series)
    assert folded.to_list() == fold_series(series).to_list()
    offsets = data.offsets
    assert data.data[data.margin : data.margin + int(offsets[-1])].tobytes() == "".join(
        fold_series(series).to_list()
    ).encode("ascii")
    # Every substring of every text, found back from folded offsets.
    rows, starts, ends, expected = [], [], [], []
    for i, text in enumerate(series.to_list()):
        for a in range(len(text) + 1):
            for b in range(a, min(len(text), a + 4) + 1):
                rows.append(i)
                starts.append(int(offsets[i]) + a)
                ends.append(int(offsets[i]) + b)
                expected.append(text[a:b])
    if rows:
        found = original.spans(np.asarray(rows), np.asarray(starts), np.asarray(ends))
        assert found.to_list() == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab.!;:? \t\r\nZ_", max_size=12), max_size=6))
def test_sentence_ends_are_read_within_each_text(texts: list[str]) -> None:
    series = pl.Series(texts, dtype=pl.String)
    data = matching.extraction._Bytes(series, margin=0)
    found = matching.extraction._unit_ends(data.data, data.offsets).tolist()
    expected = []
    for i, text in enumerate(texts):
        for p, char in enumerate(text):
            pair = char in ".!;" and text[p + 1 : p + 2] in (" ", "\t", "\r") and p + 1 < len(text)
            if char == "\n" or pair:
                expected.append(int(data.offsets[i]) + p)
    assert found == expected


def test_a_dot_inside_a_form_ends_no_sentence(extractor: SkillExtractor) -> None:
    # The scan takes "o.a." whole, so its last dot ends no sentence: "je hebt" reaches Excel.
    def found(text: str) -> list[tuple[str, str, bool]]:
        return [(m.skill_id, m.section, m.required) for m in extractor.extract(text)]

    assert found("Je hebt o.a. Excel.") == [("excel", "requirement", True)]
    assert found("Je hebt oa. Excel.") == [("excel", "other", False)]


# --- many texts at once ------------------------------------------------------------------------


def test_transform_many_texts_with_ids(extractor: SkillExtractor) -> None:
    frame = pl.DataFrame({"id": [10, 11, 12], "text": ["Excel en SAP", None, "VCA"]})
    out = SkillExtractor(id_column="id").fit(read_taxonomy_csv(MINI)).transform(frame)
    assert out.columns == ["id", *OUTPUT_SCHEMA]
    assert out.select("id", "skill_id").rows() == [(10, "excel"), (10, "sap"), (12, "vca")]
    assert dict(out.schema) == {"id": pl.Int64, **OUTPUT_SCHEMA}


def test_transform_equals_extract_per_text_and_batches_do_not_matter(
    extractor: SkillExtractor,
) -> None:
    texts = [VACANCY, "Excel", "", "Nederlandse en Engelse taal", VACANCY.upper()] * 7
    whole = extractor.transform(pl.Series(texts))
    batched = clone(extractor).set_params(batch_size=3, n_jobs=2).fit(read_taxonomy_csv(MINI))
    assert batched.transform(texts).equals(whole)
    # One batch with more jobs: the scan is split over the threads instead.
    split = clone(extractor).set_params(n_jobs=2).fit(read_taxonomy_csv(MINI))
    assert split.transform(texts * 60).equals(extractor.transform(texts * 60))
    for i, text in enumerate(texts[:5]):
        one = whole.filter(pl.col("row") == i).drop("row").to_dicts()
        assert one == [m.as_dict() for m in extractor.extract(text)]


def test_section_column_forces_the_section(extractor: SkillExtractor) -> None:
    frame = pl.DataFrame({"t": ["VCA", "VCA", "VCA"], "s": ["offer", None, "requirement"]})
    out = SkillExtractor(text_column="t", section_column="s").fit(read_taxonomy_csv(MINI))
    assert out.transform(frame)["section"].to_list() == ["offer", "other", "requirement"]
    with pytest.raises(ValueError, match="unknown section"):
        out.transform(frame.with_columns(s=pl.lit("aanbod")))


def test_scikit_learn_conventions(extractor: SkillExtractor) -> None:
    with pytest.raises(NotFittedError):
        SkillExtractor().transform(["Excel"])
    assert SkillExtractor(n_jobs=2).get_params()["n_jobs"] == 2
    assert list(extractor.get_feature_names_out()) == ["row", *OUTPUT_SCHEMA]
    assert extractor.n_skills_ == read_taxonomy_csv(MINI).height
    assert extractor.n_patterns_ == len(extractor.patterns_)
    with pytest.raises(TypeError):
        extractor.transform("one text")  # type: ignore[arg-type]


def test_module_examples_run() -> None:
    for module in (matching.extraction, matching.taxonomy):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0 and result.attempted > 0


def test_the_seed_taxonomy_on_a_real_looking_vacancy() -> None:
    extractor = SkillExtractor().fit()  # data/reference/skills.csv (+ user file)
    text = (
        "Wat vragen wij?\n- Heftruckcertificaat en VCA\n- Rijbewijs C of CE-rijbewijs\n"
        "- Nederlandse en Engelse taal in woord en geschrift\n- BHV is een pré\n\n"
        "Wat bieden wij?\n- Wij betalen je code 95"
    )
    got = {(m.skill_id, m.section, m.required) for m in extractor.extract(text)}
    assert {
        ("heftruck", "requirement", True),
        ("vca", "requirement", True),
        ("rijbewijs-c", "requirement", True),
        ("rijbewijs-ce", "requirement", True),
        ("nederlands", "requirement", True),
        ("engels", "requirement", True),
        ("bhv", "requirement", False),
        ("code-95", "offer", False),
    } <= got


# --- taxonomy quality: benefits, disclaimers, cues inside forms, levels, ambiguous names --------


@pytest.fixture(scope="module")
def seed() -> SkillExtractor:
    """The seed taxonomy (data/reference/skills.csv) without any user file."""
    from data.settings import REFERENCE_DIR
    from matching.taxonomy import load_taxonomy

    return SkillExtractor().fit(
        load_taxonomy(REFERENCE_DIR, REFERENCE_DIR / "no_user_file.csv", validate=False)
    )


def test_benefits_are_no_skills(seed: SkillExtractor) -> None:
    offer = (
        "Wat bieden wij?\n- Een opleidingsbudget van € 1.500 per jaar\n- Leaseauto en laptop\n"
        "- Coaching on the job en een studiebudget"
    )
    assert found(seed, offer) == []
    assert found(seed, "Je krijgt een jaarlijks opleidingsbudget en flexibele werktijden.") == []
    # The HR skill itself is still found.
    assert found(seed, "Je hebt ervaring met opleidingsbeleid.") == [
        ("learning-development", "opleidingsbeleid")
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Acquisitie naar aanleiding van deze vacature wordt niet op prijs gesteld.",
        "Acquisitie n.a.v. deze vacature wordt niet op prijs gesteld.",
        "Acquisitie naar aanleiding van deze vacature is niet gewenst.",
        "Acquisitie op deze vacature stellen wij niet op prijs.",
        "Geen acquisitie.",
        "Reacties van werving- en selectiebureaus en acquisitie worden niet gewaardeerd.",
    ],
)
def test_the_agency_disclaimer_is_no_sales_skill(seed: SkillExtractor, line: str) -> None:
    text = f"Wat vragen wij?\n- Rijbewijs B\n\nSolliciteren?\nStuur je cv. {line}"
    assert found(seed, text) == [("rijbewijs-b", "Rijbewijs B")]


def test_acquisitie_the_sales_skill_is_still_found(seed: SkillExtractor) -> None:
    got = by_id(seed, "Wat vragen wij?\n- Ervaring met acquisitie van nieuwe klanten")
    assert got["acquisitie"].required
    # Words for agencies alone are no disclaimer.
    got = by_id(seed, "Je onderhoudt contacten met intermediairs en hebt Wft Schadeverzekeringen.")
    assert got["wft-schade"].required


def test_a_form_that_holds_kennis_van_keeps_the_cue(seed: SkillExtractor) -> None:
    # "kennis van de cao" is one form of cao-kennis; its "kennis van" still makes the
    # sentence a requirement, so AFAS after it is asked too.
    got = by_id(seed, "Kennis van de cao-regelingen en AFAS.")
    assert (got["cao-kennis"].text, got["cao-kennis"].required) == ("Kennis van de cao", True)
    assert got["afas"].section == "requirement" and got["afas"].required
    got = by_id(seed, "Goede kennis van geneesmiddelen en farmacie.")
    assert got["farmacologie"].required and got["farmacie"].required
    # Where "kennis van" is no part of a form, the skill after it is the span.
    assert found(seed, "Kennis van bouwmaterialen, AutoCAD en Revit.") == [
        ("bouwmaterialen", "bouwmaterialen"),
        ("autocad", "AutoCAD"),
        ("revit", "Revit"),
    ]
    assert all(m.required for m in seed.extract("Kennis van bouwmaterialen, AutoCAD en Revit."))


def test_a_cue_inside_a_form_is_carried_by_the_match() -> None:
    taxonomy = pl.DataFrame(
        {
            "skill_id": ["cao", "afas"],
            "label_nl": ["Cao-kennis", "AFAS"],
            "label_en": [None, None],
            "type": ["knowledge", "software"],
            "aliases_nl": ["kennis van de cao", None],
            "aliases_en": [None, None],
        }
    )
    extractor = SkillExtractor().fit(taxonomy)
    assert [m.required for m in extractor.extract("Kennis van de cao en AFAS.")] == [True, True]
    table = extractor.pattern_table_.filter(pl.col("pattern") == "kennis van de cao")
    assert table["cue"].item() & matching.sections.CUE_REQUIREMENT


def test_goed_engels_states_no_level(seed: SkillExtractor) -> None:
    assert found(seed, "Je spreekt goed Engels en redelijk Duits.") == [
        ("engels", "Engels"),
        ("duits", "Duits"),
    ]
    assert found(seed, "Good English is required.") == [("engels", "English")]
    assert found(seed, "Je spreekt Engels op B2-niveau.") == [("engels-b2", "Engels op B2-niveau")]
    assert found(seed, "Engels B2 en Duits B1.") == [
        ("engels-b2", "Engels B2"),
        ("duits-b1", "Duits B1"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ervaring met Exact is een pré.", [("exact", "Exact")]),
        ("Ervaring met AFAS of Exact.", [("afas", "AFAS"), ("exact", "Exact")]),
        ("Je werkt met het boekhoudpakket Exact.", [("exact", "Exact")]),
        ("Exact-ervaring is een pré.", [("exact", "Exact")]),
        ("Ervaring met Exact Online of Unit4.", [("exact", "Exact Online"), ("unit4", "Unit4")]),
        ("Kennis van Unit 4 is een pré.", [("unit4", "Unit 4")]),
        ("Exact weten wat je wilt.", []),
        ("Over Exact Bouw BV\nExact Bouw BV is een familiebedrijf uit Deventer.", []),
        ("Je werkt je exact aan de voorschriften.", []),
        ("Je werkt in unit 4 van het ziekenhuis.", []),
        ("Momenteel werken we aan unit 4 en 5 van een appartementencomplex.", []),
    ],
)
def test_exact_and_unit_4_count_only_where_software_is_meant(
    seed: SkillExtractor, text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(seed, text) == expected


def test_needs_context_is_a_parameter() -> None:
    taxonomy = pl.DataFrame(
        {
            "skill_id": ["exact"],
            "label_nl": ["Exact"],
            "label_en": [None],
            "type": ["software"],
            "aliases_nl": [None],
            "aliases_en": [None],
        }
    )
    text = "Exact Bouw BV zoekt een timmerman."
    assert found(SkillExtractor().fit(taxonomy), text) == []
    assert found(SkillExtractor(needs_context=()).fit(taxonomy), text) == [("exact", "Exact")]


# --- random texts ------------------------------------------------------------------------------

FRAGMENTS = [
    "Excel",
    "excellent",
    "SAP",
    "sappig",
    "VCA",
    "-",
    "- en ",
    "MIG/MAG",
    "TIG-lassen",
    "Nederlandse",
    " en ",
    "Engelse taal",
    "Wat vragen wij?",
    "Wat bieden wij?",
    "\n",
    ". ",
    "is een pré",
    "Zürich",
    "café",
    "😀",
    "İ",
    "ß",
    "heftruck",
    "certificaat",
    "NEN 3140",
    "rijbewijs B",
    ", C",
    "geen",
    "nodig",
    "Z",
    "Y",
    "ZAB",
    "_",
    "\x00",
    "\x1a",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=25))
def test_random_texts_never_raise_and_spans_are_surfaces(parts: list[str]) -> None:
    extractor = _shared()
    text = "".join(parts)
    for m in extractor.extract(text):
        assert text[m.start : m.end] == m.text
        assert 0 <= m.start < m.end <= len(text)
        assert m.section in ("requirement", "offer", "other")
        assert not (m.required and m.section != "requirement")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=8))
def test_random_batches_match_single_texts(texts: list[str]) -> None:
    extractor = _shared()
    out = extractor.transform(texts)
    for i, text in enumerate(texts):
        expected = [m.as_dict() for m in extractor.extract(text)]
        assert out.filter(pl.col("row") == i).drop("row").to_dicts() == expected


_CACHE: dict[str, SkillExtractor] = {}


def _shared() -> SkillExtractor:
    if "mini" not in _CACHE:
        _CACHE["mini"] = SkillExtractor().fit(read_taxonomy_csv(MINI))
    return _CACHE["mini"]


# --- command line ------------------------------------------------------------------------------


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    from data.settings import get_settings

    reference = tmp_path / "reference"
    reference.mkdir()
    (reference / "skills.csv").write_bytes(MINI.read_bytes())
    monkeypatch.setenv("REGIOKOMPAS_REFERENCE_DIR", str(reference))
    monkeypatch.setenv("REGIOKOMPAS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("REGIOKOMPAS_SKILLS_USER_FILE", raising=False)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_cli_extract_from_stdin(runner: CliRunner) -> None:
    from dashboard.cli import cli

    text = "Wat vragen wij?\nKennis van SAP en Excel. VCA is een pré.\n"
    result = runner.invoke(cli, ["skills", "extract", "--json"], input=text)
    assert result.exit_code == 0, result.output
    (line,) = result.output.splitlines()
    payload = json.loads(line)
    assert list(payload) == ["skills"]
    assert [(s["skill_id"], s["required"]) for s in payload["skills"]] == [
        ("sap", True),
        ("excel", True),
        ("vca", False),
    ]
    for skill in payload["skills"]:
        assert list(skill) == list(OUTPUT_SCHEMA)
        assert text[skill["start"] : skill["end"]] == skill["text"]


def test_cli_extract_jsonl_keeps_order_and_ids(runner: CliRunner, tmp_path: Path) -> None:
    from dashboard.cli import cli

    lines = [
        {"id": "a", "text": "Heftruckcertificaat vereist"},
        {"text": "Geen skills hier"},
        {"id": 3, "text": "Wij bieden: een cursus Photoshop"},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["skills", "extract", "--input", str(source), "--json"])
    assert result.exit_code == 0, result.output
    out = [json.loads(x) for x in result.output.splitlines()]
    assert [o.get("id") for o in out] == ["a", None, 3]
    assert [[s["skill_id"] for s in o["skills"]] for o in out] == [["heftruck"], [], ["photoshop"]]
    assert out[2]["skills"][0]["section"] == "offer"
    table = runner.invoke(cli, ["skills", "extract", "--input", str(source)])
    assert table.exit_code == 0 and "heftruck" in table.output


def test_cli_extract_rejects_bad_lines(runner: CliRunner, tmp_path: Path) -> None:
    from dashboard.cli import cli

    source = tmp_path / "bad.jsonl"
    source.write_text('{"text": "Excel"}\nnot json\n', encoding="utf-8")
    result = runner.invoke(cli, ["skills", "extract", "--input", str(source), "--json"])
    assert result.exit_code != 0
    assert "line 2" in result.output


@pytest.mark.parametrize(
    "args", [["skills"], ["skills", "extract"], ["taxonomy"], ["taxonomy", "import-esco"]]
)
def test_help(runner: CliRunner, args: list[str]) -> None:
    from dashboard.cli import cli

    result = runner.invoke(cli, [*args, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


# --- evaluation harness ------------------------------------------------------------------------


def test_eval_harness_scores_overlaps_types_and_flags() -> None:
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "bench" / "eval_skills.py"
    spec = importlib.util.spec_from_file_location("eval_skills", path)
    assert spec is not None and spec.loader is not None
    harness = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(harness)
    gold = [
        {
            "id": "a",
            "sector": "logistiek",
            "text": "Excel en VCA",
            "spans": [
                {"start": 0, "end": 5, "skill_id": "excel", "required": True},
                {"start": 9, "end": 12, "skill_id": "vca", "required": True},
            ],
        }
    ]
    predicted = {
        "a": [
            {"start": 0, "end": 8, "skill_id": "excel", "required": False},  # overlaps: a hit
            {"start": 9, "end": 12, "skill_id": "bhv", "required": True},  # wrong skill
        ]
    }
    types = {"excel": "software", "vca": "certificate", "bhv": "certificate"}
    report = harness.evaluate(gold, predicted, types)
    assert report["overall"] == {
        "gold": 2,
        "predicted": 2,
        "tp": 1,
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
        "required_accuracy": 0.0,
    }
    assert report["by_type"]["software"]["f1"] == 1.0
    assert report["by_type"]["certificate"]["precision"] == 0.0
    assert {e["kind"] for e in report["errors"]} == {"required flag", "missed", "false alarm"}
    examples = harness.read_gold(harness.EXAMPLES)
    assert len(examples) == 10
    assert "| **all** |" in harness.markdown(report, "test")
