"""From raw text columns to store-ready vacancy rows: cleaning, parsing and validation.

Each step is a small ``LazyFrame -> LazyFrame`` function chained with ``.pipe`` in
:func:`prepare_batch`, which collects once per batch. Everything a row needs is decided with
Polars expressions; Python only sees the few distinct values of a column (place names,
employers, numeric HTML entities) and the SHA-256 of each row's content hash, which Polars
cannot compute (see :func:`content_hashes`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html.entities
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from data.ingest.readers import FIELD_COUNT, ROW
from data.ingest.reasons import row_reason
from data.ingest.schemas import DATE_FIELDS, FIELDS, REQUIRED, SECTION_FIELDS, FieldMap

# --- limits of the store's columns -----------------------------------------------------------

MAX_ID = 200
MAX_TITLE = 500
# A vacancy text is a few thousand characters; far more is a broken row (a quote that never
# closes swallows the rest of the file) or not a vacancy at all.
MAX_TEXT = 200_000
# Optional fields are cut to the store's column width rather than refusing the vacancy.
TRUNCATE = {"employer": 300, "location": 300, "contract_type": 60, "postcode": 20}
MAX_URL = 1000
RAW_VALUE_CHARS = 2_000  # of each raw value kept in quarantine

LazyStep = Callable[[pl.LazyFrame], pl.LazyFrame]

EARLIEST_DATE = dt.date(1990, 1, 1)

# --- the schema of what is written -----------------------------------------------------------

VACANCY_SCHEMA = pl.Schema(
    {
        ROW: pl.Int64,
        "source_id": pl.String,
        "title": pl.String,
        "employer": pl.String,
        "employer_norm": pl.String,
        "location_text": pl.String,
        "gemeente_code": pl.String,
        "location_method": pl.String,
        "posted_at": pl.Date,
        "posted_month": pl.Date,
        "closing_at": pl.Date,
        "education_level": pl.String,
        "level_min": pl.Int32,
        "level_max": pl.Int32,
        "hours_min": pl.Float64,
        "hours_max": pl.Float64,
        "contract_type": pl.String,
        "sector": pl.String,
        "via_intermediary": pl.Boolean,
        "text": pl.String,
        "sections": pl.String,
        "url": pl.String,
        "title_norm": pl.String,
        "content_payload": pl.String,
    }
)
REJECTED_SCHEMA = pl.Schema(
    {ROW: pl.Int64, "field": pl.String, "code": pl.String, "detail": pl.String}
)

# --- cells -----------------------------------------------------------------------------------

_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
# Runs of white space other than a single plain space. Matching only these (not every space)
# keeps the regex pass fast on long texts; the result equals replacing ``\s+`` by one space.
_WS_RUN = r"\s{2,}|[^\S ]"
_HSPACE_RUN = r"[^\S\n]{2,}|[^\S\n ]"

_MULTI_LINE = ("text", *SECTION_FIELDS)
_ONE_LINE_HTML = ("title", "employer", "location", "contract_type", "education_level")

# --- HTML ------------------------------------------------------------------------------------

# Comments, and elements whose content is never text (scripts, styles), even when unclosed.
_DROP = (
    r"(?is)<!--.*?(?:-->|$)"
    r"|<(?:script|style|noscript|template|head)\b[^>]*>.*?"
    r"</(?:script|style|noscript|template|head)\s*>"
    r"|<(?:script|style)\b.*$"
)
_LIST_ITEM = r"(?i)<li\b[^>]*>"
_BREAK = (
    r"(?i)<br\s*/?>|</?(?:p|div|h[1-6]|ul|ol|tr|table|section|article|header|footer|blockquote"
    r"|dl|dt|dd|pre|hr)\b[^>]*>"
)
_TAG = r"(?i)</?[a-z][a-z0-9:-]*\b[^>]*>|<![^>]*>"
NUMERIC_ENTITY = r"&#(?:[0-9]{1,7}|[xX][0-9a-fA-F]{1,6});"
NAMED_ENTITIES = {
    f"&{name}": value
    for name, value in html.entities.html5.items()
    if name.endswith(";") and name not in {"amp;"}
}


def numeric_entities(frame: pl.DataFrame, columns: list[str]) -> dict[str, str]:
    """The distinct numeric character references (``&#233;``, ``&#x20AC;``) in ``columns``
    and the characters they stand for. There are few per batch, so Python may do this."""
    found: set[str] = set()
    for column in columns:
        if column in frame.columns:
            values = frame.select(
                pl.col(column).str.extract_all(NUMERIC_ENTITY).explode().drop_nulls().unique()
            )
            found.update(values.to_series().to_list())
    decoded: dict[str, str] = {}
    for entity in found:
        body = entity[2:-1]
        code = int(body[1:], 16) if body[:1] in {"x", "X"} else int(body)
        valid = 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
        char = chr(code) if valid else "\ufffd"
        decoded[entity] = " " if char in "\x00\r" or ord(char) < 32 and char != "\n" else char
    return decoded


def _decode_entities(expr: pl.Expr, numeric: dict[str, str]) -> pl.Expr:
    # One pass over all references, then &amp; last, so "&amp;lt;" stays the text "&lt;".
    table = {**NAMED_ENTITIES, **numeric}
    return expr.str.replace_many(table).str.replace_all("&amp;", "&", literal=True)


def html_markup(expr: pl.Expr, numeric: dict[str, str]) -> pl.Expr:
    """Scripts, styles and comments dropped with their content, paragraphs, breaks and list
    items as line breaks, other tags dropped, entities decoded."""
    text = (
        expr.str.replace_all(_DROP, "")
        .str.replace_all(_LIST_ITEM, "\n- ")
        .str.replace_all(_BREAK, "\n")
        .str.replace_all(_TAG, "")
    )
    return _decode_entities(text, numeric)


def tidy_lines(expr: pl.Expr) -> pl.Expr:
    """Line breaks kept (at most one blank line), other white space runs as one space."""
    return (
        expr.str.replace_all("\r\n", "\n", literal=True)
        .str.replace_all("\r", "\n", literal=True)
        .str.replace_all(_HSPACE_RUN, " ")
        .str.replace_all(r" ?\n ?", "\n")
        .str.replace_all(r"\n{3,}", "\n\n")
        .str.strip_chars()
    )


# What :func:`tidy_lines` and the one-line tidying would change: a text without any of these is
# already tidy, so only the rows with one go through their passes.
_UNTIDY_LINES = r"\r|[^\S\n]{2,}|[^\S\n ]| \n|\n |\n\n\n|^\s|\s$"
_UNTIDY_LINE = r"\s{2,}|[^\S ]|^\s|\s$"


def html_to_text(expr: pl.Expr, numeric: dict[str, str]) -> pl.Expr:
    """Plain text from HTML or from plain text (which only gets its white space tidied)."""
    return tidy_lines(html_markup(expr, numeric))


def html_to_line(expr: pl.Expr, numeric: dict[str, str]) -> pl.Expr:
    """Like :func:`html_to_text` for one-line fields: all white space becomes one space."""
    text = expr.str.replace_all(_DROP, "").str.replace_all(_TAG, " ")
    return _decode_entities(text, numeric).str.replace_all(_WS_RUN, " ").str.strip_chars()


def _has_markup(series: pl.Series) -> pl.Series:
    return series.str.contains("<", literal=True) | series.str.contains("&", literal=True)


def _only_where(series: pl.Series, rows: pl.Series, expr: pl.Expr) -> pl.Series:
    """``series`` with ``expr`` (reading ``pl.col(series.name)``) applied to the rows where
    ``rows`` is true only."""
    if not rows.any():
        return series
    where = rows.arg_true()
    cleaned = series.gather(where).to_frame().select(expr).to_series()
    return series.scatter(where, cleaned)


def clean_texts(frame: pl.DataFrame, numeric: dict[str, str]) -> pl.DataFrame:
    """HTML to text in the text fields, and one-line tidying of the short fields.

    Most texts hold no markup and are already tidy: only the rows with a ``<`` or ``&`` go
    through the HTML passes, and only rows with stray white space through the six white-space
    passes (one regex search finds them). Measured on demo texts this cuts the step to a
    quarter (bench/RESULTS.md)."""
    columns = {}
    for name in (*_MULTI_LINE, *_ONE_LINE_HTML):
        series = frame[name]
        if series.null_count() == frame.height:
            continue
        multi = name in _MULTI_LINE
        column = pl.col(name)
        markup = html_markup(column, numeric) if multi else html_to_line(column, numeric)
        series = _only_where(series, _has_markup(series).fill_null(False), markup)
        tidy = (
            tidy_lines(pl.col(name))
            if multi
            else (pl.col(name).str.replace_all(_WS_RUN, " ").str.strip_chars())
        )
        untidy = series.str.contains(_UNTIDY_LINES if multi else _UNTIDY_LINE).fill_null(False)
        series = _only_where(series, untidy, tidy)
        columns[name] = (
            series.to_frame()
            .select(pl.when(pl.col(name).str.len_bytes() > 0).then(pl.col(name)))
            .to_series()
        )
    return frame.with_columns(**columns) if columns else frame


# --- dates -----------------------------------------------------------------------------------

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "february": 2, "febr": 2,
    "maart": 3, "mrt": 3, "mar": 3, "march": 3, "mrt.": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "augustus": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

_ISO = r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[t\s].*)?$"
_COMPACT = r"^(\d{4})(\d{2})(\d{2})$"
_NUMERIC = r"^(\d{1,2})([-/.])(\d{1,2})[-/.](\d{4}|\d{2})(?:[t\s].*)?$"
_DAY_MONTH_WORD = r"^(?:[a-z]+\.?,?\s+)?(\d{1,2})\.?\s+([a-z]+)\.?,?\s+(\d{4})(?:[t\s,].*)?$"
_MONTH_WORD_DAY = r"^(?:[a-z]+,?\s+)?([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})(?:[t\s].*)?$"

# How a column reads numeric dates such as 03/04/2025, decided from all its values.
DAY_FIRST, MONTH_FIRST, MIXED, UNDECIDED = "dmy", "mdy", "mixed", "undecided"


def _int(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.Int32, strict=False)


def _group(expr: pl.Expr, pattern: str, index: int) -> pl.Expr:
    return expr.str.extract(pattern, index)


def _safe_date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """A date from parts, null when the parts are no real date (31 February, month 13).

    ``pl.date`` raises on an impossible date even in a branch ``when`` does not take, so its
    inputs are clamped first and validity is checked separately."""
    y = year.clip(1, 9999).fill_null(2000)
    m = month.clip(1, 12).fill_null(1)
    last = pl.date(y, m, 1).dt.month_end().dt.day().cast(pl.Int32)
    d = day.clip(1, 31).fill_null(1)
    valid = (
        year.is_between(1, 9999) & month.is_between(1, 12) & day.is_between(1, 31) & (day <= last)
    )
    return pl.when(valid).then(pl.date(y, m, pl.min_horizontal(d, last)))


def _full_year(year: pl.Expr, digits: pl.Expr) -> pl.Expr:
    # Two-digit years follow POSIX %y: 69 and below are 20xx.
    return (
        pl.when(digits.str.len_chars() == 2)
        .then(pl.when(year <= 68).then(year + 2000).otherwise(year + 1900))
        .otherwise(year)
    )


def date_evidence(column: str, weight: str | None = None) -> list[pl.Expr]:
    """Aggregates over a column that decide how it reads numeric dates (see
    :func:`decide_date_order`): values that are a real date only day-first, only
    month-first, and values written with a slash. With ``weight``, each row stands for that
    many values (a frame of distinct values and their counts, far cheaper to parse)."""
    s = pl.col(column).str.strip_chars()
    a = _int(_group(s, _NUMERIC, 1))
    b = _int(_group(s, _NUMERIC, 3))
    year_text = _group(s, _NUMERIC, 4)
    year = _full_year(_int(year_text), year_text)
    day_first = _safe_date(year, b, a).is_not_null()
    month_first = _safe_date(year, a, b).is_not_null()
    n = pl.lit(1, pl.Int64) if weight is None else pl.col(weight).cast(pl.Int64)
    return [
        (((day_first & ~month_first).cast(pl.Int64)) * n).sum().alias(f"{column}:day_first"),
        (((month_first & ~day_first).cast(pl.Int64)) * n).sum().alias(f"{column}:month_first"),
        (((_group(s, _NUMERIC, 2) == "/").cast(pl.Int64)) * n).sum().alias(f"{column}:slash"),
    ]


def decide_date_order(day_first: int, month_first: int, slash: int) -> str:
    """Day-first when some values can only be read day-first and none only month-first, and
    the other way round. Values that fit both (03/04/2025) then follow the column.

    Without any such evidence, dashes and dots follow the Dutch convention (dd-mm-yyyy); a
    column with slashes stays undecided (US exports write mm/dd/yyyy) and its ambiguous values
    are quarantined. Evidence both ways means a mixed column: ambiguous values are quarantined.
    """
    if day_first and not month_first:
        return DAY_FIRST
    if month_first and not day_first:
        return MONTH_FIRST
    if day_first and month_first:
        return MIXED
    return UNDECIDED if slash else DAY_FIRST


def parse_date(column: str, order: str, fmt: str | None, today: dt.date) -> list[pl.Expr]:
    """``column`` as a Date and ``_<column>_status`` (null when fine, else missing, bad,
    ambiguous or range)."""
    raw = pl.col(column)
    s = raw.str.strip_chars().str.to_lowercase()
    status = f"_{column}_status"
    if fmt:
        parsed = raw.str.strip_chars().str.to_date(fmt, strict=False)
        ambiguous = pl.lit(False)
    else:
        iso = _safe_date(_int(_group(s, _ISO, 1)), _int(_group(s, _ISO, 2)),
                         _int(_group(s, _ISO, 3)))  # fmt: skip
        compact = _safe_date(_int(_group(s, _COMPACT, 1)), _int(_group(s, _COMPACT, 2)),
                             _int(_group(s, _COMPACT, 3)))  # fmt: skip
        year_text = _group(s, _NUMERIC, 4)
        year = _full_year(_int(year_text), year_text)
        a, b = _int(_group(s, _NUMERIC, 1)), _int(_group(s, _NUMERIC, 3))
        day_first = _safe_date(year, b, a)
        month_first = _safe_date(year, a, b)
        both = day_first.is_not_null() & month_first.is_not_null() & (a != b)
        if order == DAY_FIRST:
            numeric, ambiguous = day_first, pl.lit(False)
        elif order == MONTH_FIRST:
            numeric, ambiguous = month_first, pl.lit(False)
        else:
            numeric = pl.when(~both).then(pl.coalesce(day_first, month_first))
            ambiguous = both.fill_null(False)
        month_names = pl.Series(list(MONTHS), dtype=pl.String)
        month_numbers = pl.Series(list(MONTHS.values()), dtype=pl.Int32)
        word = _safe_date(
            _int(_group(s, _DAY_MONTH_WORD, 3)),
            _group(s, _DAY_MONTH_WORD, 2).replace_strict(
                month_names, month_numbers, default=None, return_dtype=pl.Int32
            ),
            _int(_group(s, _DAY_MONTH_WORD, 1)),
        )
        word_first = _safe_date(
            _int(_group(s, _MONTH_WORD_DAY, 3)),
            _group(s, _MONTH_WORD_DAY, 1).replace_strict(
                month_names, month_numbers, default=None, return_dtype=pl.Int32
            ),
            _int(_group(s, _MONTH_WORD_DAY, 2)),
        )
        parsed = pl.coalesce(iso, compact, numeric, word, word_first)
    latest = today.replace(year=today.year + (1 if column == "posted_at" else 5))
    in_range = parsed.is_between(pl.lit(EARLIEST_DATE), pl.lit(latest))
    return [
        pl.when(in_range).then(parsed).alias(column),
        pl.when(raw.is_null())
        .then(pl.lit("missing"))
        .when(ambiguous)
        .then(pl.lit("ambiguous"))
        .when(parsed.is_null())
        .then(pl.lit("bad"))
        .when(~in_range)
        .then(pl.lit("range"))
        .alias(status),
    ]


# --- education levels ------------------------------------------------------------------------

# The scale of Vacancy.level_min/level_max.
LEVEL_NAMES = {0: "geen", 1: "mbo 1", 2: "mbo 2", 3: "mbo 3", 4: "mbo 4", 5: "hbo", 6: "wo"}
_SCHOOL_WORDS = ("vmbo", "havo", "vwo", "mavo", "lbo", "vbo")


def education_levels(column: str = "education_level") -> list[pl.Expr]:
    """education_level (a label such as "mbo 3", "mbo", "mbo 3-4", "mbo/hbo", "hbo", "wo",
    "vmbo"), level_min and level_max on the scale 0 vmbo/none, 1–4 mbo, 5 hbo, 6 wo.

    Plain "mbo" is 2–4 (level 1, entree, is asked for by name). Text that shows no level stays
    as written, with null levels."""
    raw = pl.col(column)
    s = raw.str.to_lowercase()
    school = s.str.extract(r"\b(vmbo|havo|vwo|mavo|lbo|vbo)\b", 1)
    none = s.str.contains(r"\b(?:geen|none|basisonderwijs|basisschool|lagere school)\b")
    level0 = school.is_not_null() | none
    mbo = s.str.contains(r"\bmbo|\bniveau\s*[1-4]\b|\bentree\b")
    digits = (
        s.str.replace_all(r"[^0-9]+", " ")
        .str.strip_chars()
        .str.split(" ")
        .list.eval(pl.element().cast(pl.Int32, strict=False))
        .list.eval(pl.element().filter(pl.element().is_between(1, 4)))
    )
    entree = s.str.contains(r"\bentree\b")
    mbo_min = (
        pl.when(digits.list.len() > 0)
        .then(digits.list.min())
        .when(entree)
        .then(pl.lit(1, pl.Int32))
        .otherwise(pl.lit(2, pl.Int32))
    )
    mbo_max = (
        pl.when(digits.list.len() > 0)
        .then(digits.list.max())
        .when(entree)
        .then(pl.lit(1, pl.Int32))
        .otherwise(pl.lit(4, pl.Int32))
    )
    hbo = s.str.contains(r"\bhbo|\bbachelor|\bhogeschool|\bassociate degree")
    wo = s.str.contains(r"\bwo\b|\bwo[-/]|universit|\bmaster|\bacademisch|\bwetenschappelijk")
    parts_min = [
        pl.when(level0).then(pl.lit(0, pl.Int32)),
        pl.when(mbo).then(mbo_min),
        pl.when(hbo).then(pl.lit(5, pl.Int32)),
        pl.when(wo).then(pl.lit(6, pl.Int32)),
    ]
    parts_max = [
        pl.when(level0).then(pl.lit(0, pl.Int32)),
        pl.when(mbo).then(mbo_max),
        pl.when(hbo).then(pl.lit(5, pl.Int32)),
        pl.when(wo).then(pl.lit(6, pl.Int32)),
    ]
    low = pl.min_horizontal(parts_min)
    high = pl.max_horizontal(parts_max)
    zero_name = pl.coalesce(school, pl.lit("geen"))

    def band(level: pl.Expr) -> pl.Expr:
        return (
            pl.when(level == 0)
            .then(zero_name)
            .when(level <= 4)
            .then(pl.lit("mbo"))
            .when(level == 5)
            .then(pl.lit("hbo"))
            .otherwise(pl.lit("wo"))
        )

    def single(level: pl.Expr) -> pl.Expr:
        return (
            pl.when(level == 0)
            .then(zero_name)
            .otherwise(level.replace_strict(LEVEL_NAMES, default=None, return_dtype=pl.String))
        )

    label = (
        pl.when(low.is_null())
        .then(raw.str.slice(0, 40))
        .when(low == high)
        .then(single(low))
        .when((low == 2) & (high == 4))
        .then(pl.lit("mbo"))
        .when((low >= 1) & (high <= 4))
        .then(pl.format("mbo {}-{}", low, high))
        .otherwise(pl.format("{}/{}", band(low), band(high)))
    )
    return [label.alias(column), low.alias("level_min"), high.alias("level_max")]


# --- hours -----------------------------------------------------------------------------------

FULLTIME = (36.0, 40.0)
PARTTIME_MAX = 32.0
MAX_HOURS = 80.0


def hours_range(column: str = "hours") -> list[pl.Expr]:
    """hours_min and hours_max from "32-40 uur", "24 uur", "fulltime", "Part-time (≤ 32
    hours)", "minimaal 24 uur", "max. 32". Fulltime alone is 36–40, parttime alone at most 32;
    values above 80 hours a week are not believed."""
    s = pl.col(column).str.to_lowercase()
    numbers = s.str.extract_all(r"\d+(?:[.,]\d+)?").list.eval(
        pl.element().str.replace(",", ".", literal=True).cast(pl.Float64)
    )
    count = numbers.list.len().fill_null(0)
    first = numbers.list.get(0, null_on_oob=True)
    second = numbers.list.get(1, null_on_oob=True)
    at_least = s.str.contains(r">|≥|\bmin(?:imaal|imum|\.)?\b|\bvanaf\b|\bat least\b")
    at_most = s.str.contains(r"<|≤|\bmax(?:imaal|imum|\.)?\b|\btot\b|\bup to\b")
    full = s.str.contains(r"full[\s-]?time|\bvoltijd")
    part = s.str.contains(r"part[\s-]?time|\bdeeltijd")
    low = (
        pl.when(count >= 2)
        .then(pl.min_horizontal(first, second))
        .when((count == 1) & at_most & ~at_least)
        .then(pl.lit(None, pl.Float64))
        .when(count == 1)
        .then(first)
        .when(full & ~part)
        .then(pl.lit(FULLTIME[0]))
    )
    high = (
        pl.when(count >= 2)
        .then(pl.max_horizontal(first, second))
        .when((count == 1) & at_least & ~at_most)
        .then(pl.when(full).then(pl.lit(FULLTIME[1])))
        .when(count == 1)
        .then(first)
        .when(full & ~part)
        .then(pl.lit(FULLTIME[1]))
        .when(part & ~full)
        .then(pl.lit(PARTTIME_MAX))
        .when(part & full)
        .then(pl.lit(FULLTIME[1]))
    )
    believable = pl.max_horizontal(low, high).fill_null(0) <= MAX_HOURS
    return [
        pl.when(believable).then(low).alias("hours_min"),
        pl.when(believable).then(high).alias("hours_max"),
    ]


# --- sector ----------------------------------------------------------------------------------

# SBI 2008 division (two digits) → section letter, as Vacancy.sector holds it.
_SBI_SECTIONS = (
    ("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43),
    ("G", 45, 47), ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68),
    ("M", 69, 75), ("N", 77, 82), ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93),
    ("S", 94, 96), ("T", 97, 98), ("U", 99, 99),
)  # fmt: skip


def sbi_section(column: str = "sector") -> pl.Expr:
    """An SBI section letter from a letter or an SBI code ("4711", "47.11", "C")."""
    s = pl.col(column).str.strip_chars().str.to_uppercase()
    letter = s.str.extract(r"^([A-U])\b", 1)
    division = _int(s.str.extract(r"^(\d{2})", 1))
    from_code: pl.Expr = pl.lit(None, pl.String)
    for section, low, high in reversed(_SBI_SECTIONS):
        from_code = (
            pl.when(division.is_between(low, high)).then(pl.lit(section)).otherwise(from_code)
        )
    return pl.coalesce(letter, from_code).alias(column)


# --- intermediary ----------------------------------------------------------------------------

_YES = ("yes", "y", "ja", "j", "true", "waar", "1")
_NO = ("no", "n", "nee", "false", "onwaar", "0")


def intermediary_flag(column: str = "via_intermediary") -> pl.Expr:
    """Whether an intermediary posted the vacancy: yes/no, ja/nee, true/false or 1/0 in any
    case; anything else (empty, "onbekend") is null, never a reason to refuse a vacancy."""
    s = pl.col(column).str.strip_chars().str.to_lowercase()
    return (
        pl.when(s.is_in(_YES))
        .then(pl.lit(True))
        .when(s.is_in(_NO))
        .then(pl.lit(False))
        .otherwise(pl.lit(None, pl.Boolean))
        .alias(column)
    )


# --- titles ----------------------------------------------------------------------------------

_GENDER_TAG = r"\(?\b[mvhfwx]\s*/\s*[mvhfwxd](?:\s*/\s*[mvhfwxd])?\b\)?"


def title_norm(column: str = "title") -> pl.Expr:
    """A title for duplicate matching: lower case, "(m/v)"-style tags and punctuation gone."""
    return (
        pl.col(column)
        .str.to_lowercase()
        .str.replace_all(_GENDER_TAG, " ")
        .str.replace_all(r"[^\w]+", " ")
        .str.strip_chars()
        .alias("title_norm")
    )


# --- content hash ----------------------------------------------------------------------------


def content_payload() -> pl.Expr:
    """What :func:`data.normalise.content_hash` hashes, built with expressions.

    After :func:`clean_texts` a text's only white space is single spaces and one or two line
    breaks (never next to a space, never at the ends), and titles and employers are single
    spaced and stripped, so replacing the line breaks by spaces is exactly Python's
    ``" ".join(text.split())``; a property test checks that the hashes agree."""
    text = (
        pl.col("text")
        .fill_null("")
        .str.replace_all("\n\n", " ", literal=True)
        .str.replace_all("\n", " ", literal=True)
    )
    return pl.concat_str(
        [
            pl.col("title").str.to_lowercase(),
            pl.col("employer").fill_null("").str.to_lowercase(),
            text.str.to_lowercase(),
        ],
        separator="\x1f",
    ).alias("content_payload")


def content_hashes(payload: pl.Series) -> pl.Series:
    """SHA-256 of each payload. Polars has no SHA-256, so this is the one Python loop per row:
    about 2 µs per vacancy on the benchmark machine (bench/RESULTS.md), against 19 µs for
    calling ``content_hash`` itself per row."""
    digests = [hashlib.sha256(value).hexdigest() for value in payload.cast(pl.Binary).to_list()]
    return pl.Series("content_hash", digests, dtype=pl.String)


# --- the batch pipeline ----------------------------------------------------------------------


@dataclass
class BatchContext:
    """What every batch of one file shares: the field map and the decisions taken from the
    whole file in the first pass."""

    field_map: FieldMap
    header_columns: dict[str, str]  # field → unique column name in the batches
    date_orders: dict[str, str]
    places: pl.DataFrame  # location, postcode → gemeente_code, location_method
    employers: pl.DataFrame  # employer → employer_norm
    repeated_rows: pl.Series  # rows whose id appeared on an earlier row
    width: int  # number of columns in the file's header
    today: dt.date = field(default_factory=dt.date.today)


def select_fields(lf: pl.LazyFrame, ctx: BatchContext) -> pl.LazyFrame:
    """The fields under their Regiokompas names (absent ones null), the row number, the field
    count of the tolerant reader, and whether the row repeats the header."""
    schema = lf.collect_schema()
    columns = ctx.header_columns
    header_hits = [
        (pl.col(column).str.strip_chars().str.to_lowercase() == column.lower()).fill_null(False)
        for column in columns.values()
    ]
    needed = max(2, (len(header_hits) + 1) // 2) if len(header_hits) > 1 else 1
    return lf.select(
        pl.col(ROW),
        (pl.col(FIELD_COUNT) if FIELD_COUNT in schema else pl.lit(None, pl.Int32)).alias(
            FIELD_COUNT
        ),
        (pl.sum_horizontal(header_hits) >= needed).alias("_repeated_header"),
        *[
            (pl.col(columns[name]) if name in columns else pl.lit(None, pl.String)).alias(name)
            for name in FIELDS
        ],
    )


def clean_cells(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Control characters (PostgreSQL refuses NUL) removed, cells trimmed, empty cells null.

    A cell that looks like a spreadsheet formula (``=HYPERLINK(...)``, ``+``, ``-``, ``@``) is
    text like any other: it is stored as written and never evaluated."""
    cleaned = {
        name: pl.col(name).str.replace_all(_CONTROL, "").str.strip_chars() for name in FIELDS
    }
    return lf.with_columns(
        pl.when(expr.str.len_bytes() > 0).then(expr).alias(name) for name, expr in cleaned.items()
    )


def _by_distinct(frame: pl.DataFrame, key: str, exprs: list[pl.Expr]) -> pl.DataFrame:
    """``exprs`` (reading column ``key``) evaluated once per distinct value of ``key`` and
    joined back. Dates, levels, hours and sectors repeat a lot (a million postings carry a
    few hundred distinct dates), so this is far cheaper than parsing every row."""
    results = frame.select(pl.col(key).unique()).select(pl.col(key).alias("_key"), *exprs)
    outputs = [c for c in results.columns if c != "_key"]
    return (
        frame.with_columns(pl.col(key).alias("_key"))
        .drop([c for c in outputs if c in frame.columns])
        .join(results, on="_key", how="left", nulls_equal=True, maintain_order="left")
        .drop("_key")
    )


def parse_fields(frame: pl.DataFrame, ctx: BatchContext) -> pl.DataFrame:
    """Dates, education levels, hours, intermediary flag and sector, parsed once per distinct
    value."""
    for name in DATE_FIELDS:
        exprs = parse_date(
            name,
            ctx.date_orders.get(name, DAY_FIRST),
            ctx.field_map.date_formats.get(name),
            ctx.today,
        )
        frame = frame.with_columns(pl.col(name).alias(f"_{name}_raw"))
        frame = _by_distinct(frame, name, exprs)
    frame = _by_distinct(frame, "education_level", education_levels())
    hours_min, hours_max = hours_range()
    frame = _by_distinct(
        frame.rename({"hours_min": "_hours_min", "hours_max": "_hours_max"}),
        "hours",
        [hours_min, hours_max],
    )
    explicit = {
        name: pl.col(f"_{name}").str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
        for name in ("hours_min", "hours_max")
    }
    frame = frame.with_columns(
        pl.coalesce(explicit[name], pl.col(name)).alias(name) for name in explicit
    ).drop("_hours_min", "_hours_max")
    frame = _by_distinct(frame, "via_intermediary", [intermediary_flag()])
    return _by_distinct(frame, "sector", [sbi_section()])


def attach_lookups(ctx: BatchContext) -> LazyStep:
    """gemeente and resolution method per (location, postcode), employer_norm per employer:
    resolved once per distinct value in the first pass, joined here."""

    def step(lf: pl.LazyFrame) -> pl.LazyFrame:
        return lf.join(
            ctx.places.lazy(),
            on=["location", "postcode"],
            how="left",
            nulls_equal=True,
            maintain_order="left",
        ).join(ctx.employers.lazy(), on="employer", how="left", maintain_order="left")

    return step


def find_problems(ctx: BatchContext) -> LazyStep:
    """The first reason, in a fixed order, why a row cannot be accepted: code, field and the
    offending value (null code: the row is fine)."""

    def step(lf: pl.LazyFrame) -> pl.LazyFrame:
        checks: list[tuple[str, str | None, pl.Expr, pl.Expr]] = [
            ("bad_json", None, pl.col(FIELD_COUNT) == -1, pl.lit(None, pl.String)),
            (
                "wrong_field_count",
                None,
                pl.col(FIELD_COUNT) != ctx.width,
                pl.format("{} velden", pl.col(FIELD_COUNT)),
            ),
            ("repeated_header", None, pl.col("_repeated_header"), pl.lit(None, pl.String)),
        ]
        for name in REQUIRED:
            # A date that does not parse is null after parsing; "missing" looks at the cell.
            cell = pl.col(f"_{name}_raw") if name in DATE_FIELDS else pl.col(name)
            checks.append(("missing_required", name, cell.is_null(), pl.lit(None, pl.String)))
        checks += [
            ("too_long", "id", pl.col("id").str.len_chars() > MAX_ID, pl.lit(f"> {MAX_ID}")),
            (
                "too_long",
                "title",
                pl.col("title").str.len_chars() > MAX_TITLE,
                pl.lit(f"> {MAX_TITLE} tekens"),
            ),
        ]
        for name in _MULTI_LINE:
            checks.append(
                (
                    "too_long",
                    name,
                    pl.col(name).str.len_chars() > MAX_TEXT,
                    pl.format("{} tekens, meer dan " + f"{MAX_TEXT:,}".replace(",", "."),
                              pl.col(name).str.len_chars()),
                )
            )  # fmt: skip
        for name in DATE_FIELDS:
            status = pl.col(f"_{name}_status")
            value = pl.col(f"_{name}_raw").str.slice(0, 60)
            checks += [
                ("bad_date", name, status == "bad", value),
                ("ambiguous_date", name, status == "ambiguous", value),
                ("date_out_of_range", name, status == "range", value),
            ]
        checks.append(
            ("duplicate_id", "id", pl.col(ROW).is_in(ctx.repeated_rows.implode()),
             pl.col("id").str.slice(0, 60))
        )  # fmt: skip
        first = pl.coalesce(
            [pl.when(c.fill_null(False)).then(pl.lit(i)) for i, (_, _, c, _) in enumerate(checks)]
        )
        code = first.replace_strict(
            list(range(len(checks))), [k for k, _, _, _ in checks], default=None,
            return_dtype=pl.String,
        )  # fmt: skip
        where = first.replace_strict(
            list(range(len(checks))), [f for _, f, _, _ in checks], default=None,
            return_dtype=pl.String,
        )  # fmt: skip
        detail = pl.coalesce(
            [pl.when(first == i).then(d.cast(pl.String)) for i, (_, _, _, d) in enumerate(checks)]
        )
        return lf.with_columns(code.alias("_code"), where.alias("_field"), detail.alias("_detail"))

    return step


def shape_vacancies(lf: pl.LazyFrame) -> pl.LazyFrame:
    """The accepted rows in the store's shape (without ids, batch and cluster)."""
    section_parts = [pl.col(name).alias(key) for name, key in SECTION_FIELDS.items()]
    has_sections = pl.any_horizontal([pl.col(name).is_not_null() for name in SECTION_FIELDS])
    joined = pl.concat_str(
        [pl.col(name) for name in SECTION_FIELDS], separator="\n\n", ignore_nulls=True
    )
    url = pl.col("url")
    return (
        lf.with_columns(
            pl.coalesce(pl.col("text"), pl.when(has_sections).then(joined)).alias("text"),
            pl.when(has_sections)
            .then(pl.struct(section_parts).struct.json_encode())
            .alias("sections"),
        )
        .with_columns(title_norm(), content_payload())
        .select(
            pl.col(ROW),
            pl.col("id").alias("source_id"),
            pl.col("title"),
            pl.col("employer").str.slice(0, TRUNCATE["employer"]),
            pl.col("employer_norm").str.slice(0, TRUNCATE["employer"]),
            pl.col("location").str.slice(0, TRUNCATE["location"]).alias("location_text"),
            pl.col("gemeente_code"),
            pl.col("location_method"),
            pl.col("posted_at"),
            pl.col("posted_at").dt.month_start().alias("posted_month"),
            pl.col("closing_at"),
            pl.col("education_level").str.slice(0, 40),
            pl.col("level_min"),
            pl.col("level_max"),
            pl.col("hours_min"),
            pl.col("hours_max"),
            pl.col("contract_type").str.slice(0, TRUNCATE["contract_type"]),
            pl.col("sector"),
            pl.col("via_intermediary"),
            pl.col("text"),
            pl.col("sections"),
            pl.when(url.str.len_chars() <= MAX_URL).then(url).alias("url"),
            pl.col("title_norm"),
            pl.col("content_payload"),
        )
    )


@dataclass
class PreparedBatch:
    accepted: pl.DataFrame  # VACANCY_SCHEMA
    rejected: pl.DataFrame  # REJECTED_SCHEMA


def prepare_batch(raw: pl.DataFrame, ctx: BatchContext) -> PreparedBatch:
    """Clean, parse and check one batch of raw rows; split it into accepted and rejected.

    Three collects rather than one: the HTML pass runs only on rows with markup and the
    parsers once per distinct value, which Polars cannot plan by itself."""
    html_columns = [
        ctx.header_columns[name]
        for name in (*_MULTI_LINE, *_ONE_LINE_HTML)
        if name in ctx.header_columns
    ]
    numeric = numeric_entities(raw, html_columns)
    cells = raw.lazy().pipe(select_fields, ctx).pipe(clean_cells).collect()
    cells = parse_fields(clean_texts(cells, numeric), ctx)
    checked = cells.lazy().pipe(attach_lookups(ctx)).pipe(find_problems(ctx)).collect()
    rejected = checked.filter(pl.col("_code").is_not_null()).select(
        pl.col(ROW),
        pl.col("_field").alias("field"),
        pl.col("_code").alias("code"),
        pl.col("_detail").alias("detail"),
    )
    accepted_lf = checked.lazy().filter(pl.col("_code").is_null()).pipe(shape_vacancies)
    schema = accepted_lf.collect_schema()
    if schema != VACANCY_SCHEMA:  # the contract with the writer; a mismatch is a bug here
        raise TypeError(f"prepared vacancies do not match VACANCY_SCHEMA: {schema}")
    return PreparedBatch(accepted_lf.collect(), rejected)


def reason_text(code: str, field: str | None, detail: str | None) -> str:
    """The stored quarantine reason of a rejected row."""
    parts = [p for p in (f"veld {field}" if field else None, detail) if p]
    return row_reason(code, "; ".join(parts) if parts else None)
