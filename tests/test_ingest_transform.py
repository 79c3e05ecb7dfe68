"""Ingestion's cleaning and parsing steps, on small frames (no files, no store)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from data.ingest import transform as T
from data.ingest.dedup import DedupParams, minhash, pair_scores
from data.ingest.reasons import split_reason
from data.normalise import content_hash

TODAY = dt.date(2026, 1, 15)


def _text(value: str | None) -> str | None:
    frame = pl.DataFrame({"text": [value]}, schema={"text": pl.String})
    numeric = T.numeric_entities(frame, ["text"])
    return frame.select(T.html_to_text(pl.col("text"), numeric)).item()


def test_html_becomes_text_with_paragraphs_and_list_items() -> None:
    html = (
        "<p>Wij zoeken een <b>lasser</b>.</p><ul><li>VCA</li><li>MIG/MAG</li></ul><p>Tot ziens</p>"
    )
    assert _text(html) == "Wij zoeken een lasser.\n\n- VCA\n- MIG/MAG\n\nTot ziens"


@pytest.mark.parametrize(
    "html",
    [
        "Hallo<script>alert('x')</script> wereld",
        "Hallo<SCRIPT type='text/javascript'>var a = '<b>';</SCRIPT> wereld",
        "Hallo<style>p { color: red }</style> wereld",
        "Hallo <!-- verborgen --> wereld",
    ],
)
def test_script_style_and_comments_never_kept(html: str) -> None:
    assert _text(html) == "Hallo wereld"


def test_unclosed_script_is_dropped_to_the_end() -> None:
    assert _text("Tekst<script>steal(document.cookie)") == "Tekst"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("caf&eacute; &amp; bar", "café & bar"),
        ("&#233;&#xE9;&#X20AC;", "éé€"),
        ("&amp;lt;geen tag&amp;gt;", "&lt;geen tag&gt;"),
        ("a&nbsp;b", "a b"),
        ("1 < 2 en 3 > 2", "1 < 2 en 3 > 2"),
        ("Regel 1\r\nRegel 2\r\n\r\n\r\n\r\nRegel 3", "Regel 1\nRegel 2\n\nRegel 3"),
        ("  veel   spaties\t en tabs  ", "veel spaties en tabs"),
    ],
)
def test_entities_and_white_space(raw: str, expected: str) -> None:
    assert _text(raw) == expected


def _date(value: str | None, order: str = T.DAY_FIRST, fmt: str | None = None) -> tuple:
    frame = pl.DataFrame({"d": [value]}, schema={"d": pl.String})
    return frame.select(T.parse_date("d", order, fmt, TODAY)).row(0)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-03-04", dt.date(2025, 3, 4)),
        ("2025-03-04T10:15:00Z", dt.date(2025, 3, 4)),
        ("2025-03-04 00:00:00", dt.date(2025, 3, 4)),
        ("20250304", dt.date(2025, 3, 4)),
        ("04-03-2025", dt.date(2025, 3, 4)),
        ("4-3-25", dt.date(2025, 3, 4)),
        ("04.03.2025", dt.date(2025, 3, 4)),
        ("3 maart 2025", dt.date(2025, 3, 3)),
        ("3 mrt 2025", dt.date(2025, 3, 3)),
        ("3 mrt. 2025", dt.date(2025, 3, 3)),
        ("maandag 3 maart 2025", dt.date(2025, 3, 3)),
        ("17 Oktober 2024", dt.date(2024, 10, 17)),
        ("March 3, 2025", dt.date(2025, 3, 3)),
        ("29-02-2024", dt.date(2024, 2, 29)),
    ],
)
def test_dates(raw: str, expected: dt.date) -> None:
    assert _date(raw) == (expected, None)


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("31-02-2025", "bad"),
        ("29-02-2025", "bad"),
        ("gisteren", "bad"),
        ("2025-13-01", "bad"),
        ("01-01-1900", "range"),
        ("01-01-2099", "range"),
        (None, "missing"),
    ],
)
def test_bad_dates(raw: str | None, status: str) -> None:
    assert _date(raw) == (None, status)


def test_ambiguous_dates_follow_the_column_or_stay_ambiguous() -> None:
    assert _date("03/04/2025", T.DAY_FIRST) == (dt.date(2025, 4, 3), None)
    assert _date("03/04/2025", T.MONTH_FIRST) == (dt.date(2025, 3, 4), None)
    assert _date("03/04/2025", T.UNDECIDED) == (None, "ambiguous")
    assert _date("03/04/2025", T.MIXED) == (None, "ambiguous")
    assert _date("04/04/2025", T.UNDECIDED) == (dt.date(2025, 4, 4), None)
    assert _date("25/04/2025", T.UNDECIDED) == (dt.date(2025, 4, 25), None)


def test_explicit_date_format() -> None:
    assert _date("04/25/2025", fmt="%m/%d/%Y") == (dt.date(2025, 4, 25), None)
    assert _date("25/04/2025", fmt="%m/%d/%Y") == (None, "bad")


@pytest.mark.parametrize(
    ("values", "order"),
    [
        (["03/04/2025", "25/04/2025"], T.DAY_FIRST),
        (["03/04/2025", "04/25/2025"], T.MONTH_FIRST),
        (["13/04/2025", "04/25/2025"], T.MIXED),
        (["03/04/2025", "05/06/2025"], T.UNDECIDED),
        (["03-04-2025", "05-06-2025"], T.DAY_FIRST),
        (["31-02-2025", "03/04/2025"], T.UNDECIDED),
        (["2025-03-04"], T.DAY_FIRST),
    ],
)
def test_date_order_is_decided_from_the_whole_column(values: list[str], order: str) -> None:
    counts = pl.DataFrame({"d": values}).select(T.date_evidence("d")).row(0)
    assert T.decide_date_order(*counts) == order


@pytest.mark.parametrize(
    ("raw", "label", "low", "high"),
    [
        ("MBO 3", "mbo 3", 3, 3),
        ("mbo-4", "mbo 4", 4, 4),
        ("mbo", "mbo", 2, 4),
        ("MBO niveau 2 of 3", "mbo 2-3", 2, 3),
        ("MBO/HBO", "mbo/hbo", 2, 5),
        ("hbo werk- en denkniveau", "hbo", 5, 5),
        ("HBO/WO", "hbo/wo", 5, 6),
        ("vmbo", "vmbo", 0, 0),
        ("VMBO/MBO 2", "vmbo/mbo", 0, 2),
        ("WO", "wo", 6, 6),
        ("Universitair", "wo", 6, 6),
        ("HAVO", "havo", 0, 0),
        ("Geen opleiding vereist", "geen", 0, 0),
        ("Entree", "mbo 1", 1, 1),
        ("Bachelor", "hbo", 5, 5),
        ("onbekend niveau", "onbekend niveau", None, None),
        (None, None, None, None),
    ],
)
def test_education_levels(
    raw: str | None, label: str | None, low: int | None, high: int | None
) -> None:
    frame = pl.DataFrame({"education_level": [raw]}, schema={"education_level": pl.String})
    assert frame.select(T.education_levels()).row(0) == (label, low, high)


@pytest.mark.parametrize(
    ("raw", "low", "high"),
    [
        ("32-40 uur", 32.0, 40.0),
        ("32 - 40", 32.0, 40.0),
        ("20 tot 24 uur", 20.0, 24.0),
        ("24 uur", 24.0, 24.0),
        ("38,5 uur per week", 38.5, 38.5),
        ("fulltime", 36.0, 40.0),
        ("Full-time (> 32 hours)", 32.0, 40.0),
        ("Part-time (≤ 32 hours)", None, 32.0),
        ("parttime", None, 32.0),
        ("minimaal 24 uur", 24.0, None),
        ("max. 32 uur", None, 32.0),
        ("1040 uur per jaar", None, None),
        ("in overleg", None, None),
        (None, None, None),
    ],
)
def test_hours(raw: str | None, low: float | None, high: float | None) -> None:
    frame = pl.DataFrame({"hours": [raw]}, schema={"hours": pl.String})
    assert frame.select(T.hours_range()).row(0) == (low, high)


@pytest.mark.parametrize(
    ("raw", "section"),
    [("4321", "F"), ("47.11", "G"), ("78", "N"), ("C", "C"), ("q", "Q"), ("xx", None)],
)
def test_sbi_sections(raw: str, section: str | None) -> None:
    assert pl.DataFrame({"sector": [raw]}).select(T.sbi_section()).item() == section


def test_title_norm_drops_gender_tags() -> None:
    titles = ["Lasser (m/v)", "lasser M/V/X", "Lasser", "LASSER (h/f)", "Lasser m/v/d"]
    normed = pl.DataFrame({"title": titles}).select(T.title_norm())["title_norm"]
    assert normed.unique().to_list() == ["lasser"]


def _payload_hash(title: str, employer: str | None, text: str | None) -> str:
    frame = pl.DataFrame(
        {"title": [title], "employer": [employer], "text": [text]},
        schema={"title": pl.String, "employer": pl.String, "text": pl.String},
    )
    for name in ("title", "employer"):
        frame = frame.with_columns(T.html_to_line(pl.col(name), {}).alias(name))
    frame = frame.with_columns(T.tidy_lines(pl.col("text")).alias("text"))
    cleaned = frame.row(0, named=True)
    payload = frame.select(T.content_payload()).to_series()
    expected = content_hash(cleaned["title"], cleaned["employer"], cleaned["text"])
    assert T.content_hashes(payload).item() == expected
    return expected


@settings(max_examples=150, deadline=None)
@given(
    title=st.text(min_size=1, max_size=40),
    employer=st.one_of(st.none(), st.text(max_size=30)),
    text=st.one_of(st.none(), st.text(max_size=200)),
)
def test_vectorised_content_hash_equals_content_hash(
    title: str, employer: str | None, text: str | None
) -> None:
    control = str.maketrans("", "", "".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32), 127])))
    _payload_hash(title.translate(control), employer and employer.translate(control),
                  text and text.translate(control))  # fmt: skip


def test_content_hash_example() -> None:
    value = _payload_hash("Lasser ", "Van Dijk B.V.", "Wij zoeken\n\n- een lasser\n- met VCA")
    assert len(value) == 64


def test_minhash_separates_near_copies_from_other_texts() -> None:
    base = " ".join(f"woord{i}" for i in range(120))
    near = base + " en een extra zin onderaan de vacature"
    other = " ".join(f"anders{i}" for i in range(120))
    signature = minhash(pl.Series([base, near, other, "te kort"]), DedupParams())
    similarity = (signature[0] == signature[1]).mean()
    assert similarity > 0.85
    assert (signature[0] == signature[2]).mean() < 0.1
    assert (signature[3] == 0xFFFFFFFF).all()


def test_pair_scores() -> None:
    scores = pair_scores(pl.Series([1, 1, 2, 3]), pl.Series([1, 1, 1, 3]))
    assert scores["precision"] == 1.0
    assert scores["recall"] == pytest.approx(1 / 3)


def test_reason_round_trip() -> None:
    text = T.reason_text("bad_date", "posted_at", "31-02-2025")
    assert split_reason(text) == (
        "bad_date",
        "Datum is niet te lezen (veld posted_at; 31-02-2025)",
    )


def test_clean_texts_keeps_plain_rows_and_cleans_markup_rows() -> None:
    frame = pl.DataFrame(
        {name: [None, None] for name in ("text", *T.SECTION_FIELDS, *T._ONE_LINE_HTML)},
        schema=dict.fromkeys(("text", *T.SECTION_FIELDS, *T._ONE_LINE_HTML), pl.String),
    ).with_columns(
        pl.Series("text", ["gewoon  tekst", "<p>met</p><p>html</p>"]),
        pl.Series("title", ["Kok &amp; gastheer", "  Kok "]),
    )
    cleaned = T.clean_texts(frame, {})
    assert_frame_equal(
        cleaned.select("text", "title"),
        pl.DataFrame({"text": ["gewoon tekst", "met\n\nhtml"], "title": ["Kok & gastheer", "Kok"]}),
    )
