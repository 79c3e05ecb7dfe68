"""Skill extraction with evidence: every skill found in a vacancy text, with the span that shows
it, the part of the vacancy it stands in (requirement, offer, other) and whether it is required.

How it works (the hot path has no Python loop over texts):

1. Texts are folded once, on their bytes with numpy (as :func:`matching.taxonomy.fold_series`
   would): lowercase ASCII, one character for one character, so an offset in the folded text
   is an offset in the original, and the original's bytes of a match (its surface form) are
   found from the positions of the multi-byte characters before it.
2. One Aho-Corasick pass finds every label, alias and spelling variant of every skill, the
   section headings and the sentence cues. It is a leftmost-longest ``str.replace_many`` that
   writes, over each match, a code of the same length: a marker ``Z`` and the pattern's number
   in base 24 (capitals A-X, which folded text never holds). The markers' offsets and the
   numbers after them are then read from the bytes of the result with numpy: one pass over
   the text gives both the offsets and the patterns, where ``str.find_many`` plus
   ``str.extract_many`` would take two. The sentence ends are read from the same bytes: those
   inside a match are gone, as if the scan had taken them as patterns.
3. Word boundaries, compounds, case rules, headings, sentence cues and sections are settled with
   numpy and Polars column operations over the candidate matches (about 25 per demo text).
   Python handles only what is rare: lists that share a word ("MIG/MAG- en TIG-lassen"),
   matches hidden inside a rejected candidate, and partly overlapping rescues
   (``bench/extract.py`` reports the time they take).

What counts as a match
    A label or alias of a skill, case and diacritics folded, starting at a word boundary (or
    after a hyphen: "CE-rijbewijs", "B-VCA") and ending at a word boundary, a hyphen
    ("Photoshop-ervaring", "AutoCAD-tekenaar") or a known compound head ("heftruckcertificaat",
    "Excelkennis"). Spaces and hyphens inside a form are interchangeable and may be left out
    ("NEN 3140", "NEN-3140", "NEN3140"). Adjectival skills (transversal, vocational, knowledge)
    may carry an inflection (-e, -en, -s: "zelfstandige"). Short forms that are also common
    words ("sap", "tig", "Pools", "Exact") only match in capitals or in the label's own spelling;
    the few that stay ambiguous even then ("Exact Bouw BV", "unit 4 van het ziekenhuis") also
    need evidence that software is meant (:data:`NEEDS_CONTEXT`). A form that holds a
    requirement cue ("kennis van de cao") still counts as that cue for its sentence.
    Overlapping matches resolve to the longest; when the longest fails its boundary, the longest
    pattern it starts with is tried ("SAP-ervaringen" → SAP).

Sections and ``required``
    See :mod:`matching.sections`. A skill is required when it stands in the requirements (by
    heading, by the caller, or in text without headings by a requirement cue such as "je hebt"
    or "ervaring met"), and its sentence does not make it nice-to-have ("is een pré",
    "bij voorkeur", "is a plus"). A skill its sentence calls unnecessary ("Ervaring met SAP is
    niet vereist", "Geen VCA nodig") is left out, unless the sentence offers it ("Geen ervaring
    met SAP? Wij leiden je op"). Skills in the offer ("Wat bieden wij?", "Wij betalen je VCA")
    are never required; a requirement the employer pays for stays one ("VCA of bereid dit te
    halen (wij betalen)"). Headings and closing formulas are no skills ("Arbeidsvoorwaarden",
    "Acquisitie naar aanleiding van deze vacature …").
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import cache
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from matching import sections as sec
from matching.taxonomy import (
    PLACEHOLDER,
    fold,
    fold_key,
    in_parallel,
    load_taxonomy,
    skill_forms,
)

AMBIGUOUS_WORDS = frozenset(
    {
        "sap",  # Dutch: juice
        "tig",  # Dutch: umpteen
        "lets",
        "fins",
        "pools",
        "boa",
        "lean",
        "bash",
        "epic",
        "exact",
        "swift",
        "spark",
        "avid",
        "ruby",
        "rails",
        "mews",
        "nah",
        "ifs",
        "lob",
        "ons",
        "inventor",
        "flutter",
        "go",
    }
)
"""Folded forms that are also everyday Dutch or English words: they only match when written in
capitals or exactly as the label writes them (``SAP``, ``TIG``, ``Pools``, ``Exact``)."""

NEEDS_CONTEXT = frozenset({"exact", "unit 4"})
"""Folded forms that stay ambiguous even in the label's spelling: "Exact" opens a sentence or
names a firm ("Exact Bouw BV"), "Unit 4" is a hospital ward or a block of flats. They count
only with evidence that software is meant: another software skill in the same sentence ("Exact
of AFAS"), a software word in it ("boekhoudpakket"), a phrase such as "ervaring met", "kennis
van", "werken met" or "pakketten zoals" right before, or a compound after ("Exact-ervaring").
"Exact Online" and "Unit4" need none; spelling variants ("unit-4") follow their form."""

_CONTEXT_BEFORE = (
    r"(?:(?:ervaring|werkervaring|kennis|expertise|experience|knowledge|vaardig|bedreven|"
    r"skilled|proficient)\s+(?:met|van|in|with|of|op)"
    r"|(?:bekend|vertrouwd|werken|werkt|werk|handig|overweg|familiar|working|work)\s+(?:met|with)"
    r"|(?:pakket|pakketten|software|systeem|systemen|programma|programmas|applicaties|erp|"
    r"boekhoudpakket\w*|boekhoudprogramma\w*|boekhoudsoftware|administratiepakket\w*)"
    r"\s*(?:zoals|als|:)?)"
    r"\s+(?:(?:o\.a\.|onder andere|bijvoorbeeld|bijv\.|zoals|het|de|een)\s+)*$"
)
_CONTEXT_AFTER = (
    r"^-?(?:ervar|kennis|vaardig|gebruik|consultant|specialist|omgeving|pakket|licentie)"
)
_CONTEXT_SENTENCE = (
    r"(?-u:\b)(?:[a-z]*software|[a-z]*pakket(?:ten)?|boekhoud[a-z]*|erp|"
    r"(?:financiele|salaris|loon)administratie)(?-u:\b)"
)

COMPOUND_HEADS = (
    "ervar",
    "kennis",
    "certifica",
    "diploma",
    "rijbewijs",
    "bewijs",
    "cursus",
    "opleiding",
    "training",
    "vaardig",
    "specialist",
    "tekenaar",
    "deskundig",
    "gebruik",
    "module",
    "omgeving",
    "pakket",
    "licentie",
    "examen",
    "niveau",
    "bevoegd",
    "programmering",
    "systeem",
    "systemen",
    "software",
    "bestand",
)
"""Second halves of Dutch compounds that may follow a skill without a space or hyphen
("heftruckcertificaat", "Excelkennis"). Occupation nouns are not among them: a closed compound
such as "heftruckchauffeur" names a job, not a skill (after a hyphen anything goes:
"AutoCAD-tekenaar", "SAP-consultant")."""

INFLECTED_TYPES = frozenset({"transversal", "vocational", "knowledge"})
MIN_INFLECTED_LENGTH = 6

OUTPUT_SCHEMA: dict[str, pl.DataType] = {
    "skill_id": pl.String(),
    "label": pl.String(),
    "type": pl.String(),
    "start": pl.Int64(),
    "end": pl.Int64(),
    "text": pl.String(),
    "section": pl.String(),
    "required": pl.Boolean(),
}

SECTION_KEYS = {
    "candidate": sec.REQUIREMENT,
    "candidate_descr": sec.REQUIREMENT,
    "requirement": sec.REQUIREMENT,
    "requirements": sec.REQUIREMENT,
    "profile": sec.REQUIREMENT,
    "profiel": sec.REQUIREMENT,
    "conditions": sec.OFFER,
    "conditions_descr": sec.OFFER,
    "offer": sec.OFFER,
    "aanbod": sec.OFFER,
    "job": sec.OTHER,
    "job_descr": sec.OTHER,
    "other": sec.OTHER,
    "company": sec.OTHER,
    "company_descr": sec.OTHER,
}
"""Names of pre-split parts (Jobfeed's ``candidate_descr``, ``conditions_descr``, …) → the
section they are. Other names (``text``, ``description``) are read with heading detection."""

_SECTION_CODES = {sec.REQUIREMENT: 0, sec.OFFER: 1, sec.OTHER: 2}
_SECTION_NAMES = (sec.REQUIREMENT, sec.OFFER, sec.OTHER)
_SECTION_SERIES = pl.Series("section", _SECTION_NAMES, dtype=pl.String)
_HEADING_CODES = {sec.REQUIREMENT: 0, sec.OFFER: 1, "job": 2, sec.OTHER: 2}

# The code written over a match: "Z", then 1 to 4 base-24 digits in A-X, padded with "_".
_MARK, _PAD = "Z", "_"
_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWX"
_BASE = len(_DIGITS)
_DIGITS_FOR_LENGTH = {2: 1, 3: 2, 4: 3}  # longer patterns get 4 digits
_CLASS_START = np.asarray([0, 0, _BASE, _BASE + _BASE**2, _BASE + _BASE**2 + _BASE**3])
"""Where the numbers with 1, 2, 3 or 4 digits start in the decoding table."""


def _pair_tables() -> tuple[np.ndarray, np.ndarray]:
    """For two bytes as a little-endian 16-bit number: how many of them, from the first, are
    digits (0-2), and the number those digits write."""
    pairs = np.arange(1 << 16)
    first = (pairs & 0xFF) - ord(_DIGITS[0])
    second = (pairs >> 8) - ord(_DIGITS[0])
    one = (first >= 0) & (first < _BASE)
    two = one & (second >= 0) & (second < _BASE)
    digits = one.astype(np.int64) + two
    value = np.where(two, first + _BASE * second, np.where(one, first, 0))
    return digits, value


_PAIR_DIGITS, _PAIR_VALUE = _pair_tables()

_WORD = np.zeros(256, dtype=bool)
_WORD[np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)] = True
_MARKUP = np.zeros(256, dtype=bool)
_MARKUP[np.frombuffer(b" \t\r*#>_", dtype=np.uint8)] = True
_LINE_END = np.zeros(256, dtype=bool)
_LINE_END[np.frombuffer(b"\n.!?", dtype=np.uint8)] = True
# Sentence ends (``sections.UNIT_ENDS``) as byte tables: one character alone ("\n") or a pair
# (". ", "!\t"). They are read from the scan's output, outside the codes, not scanned for.
_END_ALONE = np.zeros(256, dtype=bool)
_END_PAIR = np.zeros((256, 256), dtype=bool)
for _end in sec.UNIT_ENDS:
    _bytes = _end.encode()
    if len(_bytes) == 1:
        _END_ALONE[_bytes[0]] = True
    elif len(_bytes) == 2:
        _END_PAIR[_bytes[0], _bytes[1]] = True
    else:
        raise ValueError(f"sentence end {_end!r}: only one or two ASCII characters are supported")
_END_START = _END_ALONE | _END_PAIR.any(axis=1)
if (_END_PAIR.any(axis=0) & _END_START).any():
    raise ValueError("a sentence end's second character may not start a sentence end")
_WINDOW = 120
_PEEK = 24
_LIST_WORDS = {"en", "of", "and", "or", "en/of"}
_WORD_START = re.compile(r"(?<![a-z0-9])[a-z0-9]")
_E1_FILTER = r"[a-z0-9/+]-\s*(?:,|,?\s*(?:en/of|en|of|and|or|&|\+))\s+$"
_E2_FILTER = r"([a-z][a-z0-9]*)\s*,?\s+(?:en/of|en|of|and|or|&)\s+$"
_E3_FILTER = r"^\s*(?:,|/|&|\+|en/of|en|of|and|or)\s*([a-z0-9+]{1,12})(?:[^a-z0-9]|$)"
_E1_LIST = re.compile(r"(?:[a-z0-9][a-z0-9/+]*-\s*(?:,|,?\s*(?:en/of|en|of|and|or|&|\+))\s+)+$")
_E1_ITEM = re.compile(r"[a-z0-9][a-z0-9/+]*-")
_E2_LIST = re.compile(
    r"((?:[a-z][a-z0-9]*\s*,\s*)*[a-z][a-z0-9]*)\s*,?\s+(?:en/of|en|of|and|or|&)\s+$"
)
_E3_LIST = re.compile(r"^(?:\s*(?:,|/|&|\+|en/of|en|of|and|or)\s*[a-z0-9+]{1,12}(?![a-z0-9]))+")
_E3_ITEM = re.compile(r"[a-z0-9+/]{1,12}(?![a-z0-9])")


@dataclass(frozen=True)
class SkillMatch:
    """One skill found in a text; ``original[start:end] == text``."""

    skill_id: str
    label: str
    type: str
    start: int
    end: int
    text: str
    section: str
    required: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _variants(key: str) -> list[str]:
    """Spellings of a folded form with its spaces and hyphens swapped or left out."""
    parts = re.split(r"([ -])", key)
    words, seps = parts[0::2], parts[1::2]
    if not seps or any(not w for w in words):
        return []
    options: Iterable[tuple[str, ...]]
    if len(seps) <= 2:
        options = product((" ", "-", ""), repeat=len(seps))
    else:
        options = [(" ",) * len(seps), ("-",) * len(seps)]
    result = []
    for choice in options:
        if any(
            c == "" and words[i][-1:].isdigit() and words[i + 1][:1].isdigit()
            for i, c in enumerate(choice)
        ):
            continue
        variant = words[0] + "".join(c + w for c, w in zip(choice, words[1:], strict=True))
        if variant != key:
            result.append(variant)
    return result


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


_MARGIN = 256  # bytes of zeros around a text buffer, so that windows never index out of it


class _Bytes:
    """The bytes of a string column, zero-padded, and the row offsets (ASCII: bytes = chars)."""

    def __init__(self, series: pl.Series, margin: int = _MARGIN) -> None:
        array = series.rechunk().to_arrow(compat_level=pl.CompatLevel.oldest())
        _validity, offsets_buffer, data_buffer = array.buffers()
        self.offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[
            array.offset : array.offset + len(array) + 1
        ]
        data = (
            np.frombuffer(data_buffer, dtype=np.uint8)
            if data_buffer is not None
            else np.zeros(0, dtype=np.uint8)
        )
        self.margin = margin
        self._words: np.ndarray | None = None
        if margin:
            self.data = np.zeros(data.size + 2 * margin, dtype=np.uint8)
            self.data[margin : margin + data.size] = data
        else:
            self.data = data

    @classmethod
    def from_arrays(cls, data: np.ndarray, offsets: np.ndarray, margin: int) -> _Bytes:
        """Bytes already padded with ``margin`` zeros on each side."""
        self = cls.__new__(cls)
        self.data, self.offsets, self.margin, self._words = data, offsets, margin, None
        return self

    def at(self, index: np.ndarray, valid: np.ndarray | None = None, fill: int = 32) -> np.ndarray:
        """Bytes at global positions ``index`` (within ``_MARGIN`` of the data); ``fill`` where not
        ``valid``."""
        values = self.data[index + self.margin]
        return values if valid is None else np.where(valid, values, np.uint8(fill))

    def windows(self, starts: np.ndarray, lo: np.ndarray, hi: np.ndarray, width: int) -> np.ndarray:
        """``width`` bytes from each start (bytes outside the text ``[lo, hi)`` are NUL)."""
        index = starts[:, None] + np.arange(width)[None, :]
        block = self.data[index + self.margin]
        block[(index < lo[:, None]) | (index >= hi[:, None])] = 0
        return block

    def word(self, index: np.ndarray) -> np.ndarray:
        """The four bytes from each global position as one little-endian integer."""
        if self._words is None:
            # Every byte offset as the start of a 4-byte integer: a strided, unaligned view.
            self._words = np.ndarray(
                shape=(max(self.data.size - 3, 0),),
                dtype="<u4",
                buffer=self.data,
                offset=0,
                strides=(1,),
            )
        return self._words[index + self.margin]

    @staticmethod
    def strings(block: np.ndarray) -> pl.Series:
        width = block.shape[1]
        return pl.Series(
            np.ascontiguousarray(block).view(f"S{width}").ravel(), dtype=pl.Binary
        ).cast(pl.String)


@cache
def _fold_codes() -> np.ndarray:
    """:func:`matching.taxonomy.fold` of every code point below U+10000, as one byte each."""
    folded = fold("".join(map(chr, range(0x10000)))).encode("ascii")
    return np.frombuffer(folded, dtype=np.uint8)


class _Original:
    """The texts themselves, and where each character of the folded texts starts in them."""

    def __init__(self, texts: pl.Series, offsets: np.ndarray, continuations: np.ndarray) -> None:
        self.texts = texts.cast(pl.Binary)
        self.offsets = offsets
        # Folded position of the character each continuation byte belongs to, ascending.
        self.owner = continuations - np.arange(continuations.size) - 1

    def spans(self, row: np.ndarray, start: np.ndarray, end: np.ndarray) -> pl.Series:
        """The original text of ``row`` between global folded offsets ``start`` and ``end``."""
        if self.owner.size:
            start = start + np.searchsorted(self.owner, start, side="left")
            end = end + np.searchsorted(self.owner, end, side="left")
        frame = pl.DataFrame(
            {
                "t": self.texts.gather(pl.Series(row, dtype=pl.UInt32)),
                "at": start - self.offsets[row],
                "n": end - start,
            }
        )
        return frame.select_seq(
            pl.col("t").bin.slice(pl.col("at"), pl.col("n")).cast(pl.String)
        ).to_series()


def _fold_texts(texts: pl.Series) -> tuple[pl.Series, _Bytes, _Original]:
    """:func:`matching.taxonomy.fold_series` on the bytes, in numpy: the folded texts (as a
    column and as padded bytes) and the way back to the original bytes. ASCII letters are
    lowercased, every other character becomes the one byte :func:`fold` gives it."""
    raw = _Bytes(texts, margin=0)
    data, offsets = raw.data, raw.offsets
    # One scratch buffer for the masks and the case fold: every new array of the texts' size
    # costs a pass of page faults.
    scratch = np.empty(data.size, dtype=np.uint8)
    mask = scratch.view(np.bool_)
    high = np.flatnonzero(np.greater_equal(data, 0x80, out=mask))
    if high.size:
        lead_byte = data[high] >= 0xC0
        lead, continuations = high[lead_byte], high[~lead_byte]
        mask[:] = True
        mask[continuations] = False
        compact = data[mask]
    else:
        lead, continuations, compact = high, high, data
    size = compact.size
    padded = np.zeros(size + 2 * _MARGIN, dtype=np.uint8)
    body = padded[_MARGIN : _MARGIN + size]
    # Lowercase: add 32 to A-Z.
    scratch = np.subtract(compact, np.uint8(ord("A")), out=scratch[:size])
    np.less(scratch, np.uint8(26), out=scratch.view(np.bool_))
    np.left_shift(scratch, np.uint8(5), out=scratch)
    np.bitwise_or(compact, scratch, out=body)
    if lead.size:
        last = data.size - 1
        b0 = data[lead].astype(np.int32)
        b1 = (data[np.minimum(lead + 1, last)] & 0x3F).astype(np.int32)
        b2 = (data[np.minimum(lead + 2, last)] & 0x3F).astype(np.int32)
        point = np.where(
            b0 >= 0xF0,
            0x10000,
            np.where(b0 >= 0xE0, ((b0 & 0x0F) << 12) | (b1 << 6) | b2, ((b0 & 0x1F) << 6) | b1),
        )
        at = lead - np.searchsorted(continuations, lead, side="left")
        body[at] = np.where(
            point < 0x10000, _fold_codes()[np.minimum(point, 0xFFFF)], ord(PLACEHOLDER)
        )
        offsets = offsets - np.searchsorted(continuations, offsets, side="left")
    array = pa.LargeStringArray.from_buffers(
        offsets.size - 1, pa.py_buffer(offsets), pa.py_buffer(body)
    )
    folded = _Bytes.from_arrays(padded, offsets, _MARGIN)
    return pl.Series("text", array), folded, _Original(texts, raw.offsets, continuations)


def _word32(block: np.ndarray) -> np.ndarray:
    """Up to four bytes per row as one integer (zero-padded), for comparing with ``np.isin``."""
    padded = np.zeros((block.shape[0], 4), dtype=np.uint8)
    padded[:, : min(4, block.shape[1])] = block[:, :4]
    return padded.view("<u4").ravel()


def _codes32(*words: str) -> np.ndarray:
    return np.asarray(
        [int.from_bytes(w.encode().ljust(4, b"\0")[:4], "little") for w in words], dtype=np.uint32
    )


def _unit_ends(
    data: np.ndarray, offsets: np.ndarray, scratch: np.ndarray | None = None
) -> np.ndarray:
    """Global offsets of the sentence ends in the scan's output, ascending. Ends inside a match
    are gone (the code overwrote them), as if the scan had taken them as patterns: the earlier
    match wins there, and no pattern starts with white space, the second character of a pair."""
    if scratch is None:
        scratch = np.empty((2, data.size), dtype=np.bool_)
    first = np.flatnonzero(_END_START)
    start = np.equal(data, first[0], out=scratch[0])
    for byte in first[1:]:  # a few comparisons are cheaper than a table lookup per byte
        start |= np.equal(data, byte, out=scratch[1])
    at = np.flatnonzero(start)
    if at.size == 0:
        return at
    after = data[np.minimum(at + 1, data.size - 1)]
    # A pair does not reach into the next text (nor past the last).
    last = offsets[1:][offsets[1:] > offsets[:-1]] - 1
    k = np.minimum(np.searchsorted(at, last), at.size - 1)
    after[k[at[k] == last]] = 0
    byte = data[at]
    return at[_END_ALONE[byte] | _END_PAIR[byte, after]]


def _slice(offset: pl.Expr, length: pl.Expr | int) -> pl.Expr:
    """Part of the folded texts in column ``f`` (as bytes: they are ASCII, and a byte slice
    takes no walk from the start of the text as a character slice does)."""
    return pl.col("f").bin.slice(offset, length).cast(pl.String)


def _among(values: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``np.isin`` for a handful of codes (``np.isin`` sorts when the codes are far apart)."""
    found = values == codes[0]
    for code in codes[1:]:
        found |= values == code
    return found


_PRE_WORDS = _codes32(" en ", " of ", " or ", "and ")
_PRE_PAIRS = _codes32(", ", "& ", "+ ")
_POST_WORDS = _codes32(" en ", " of ", " or ", " and", " en/")
_POST_PAIRS = _codes32(", ", " &", " +", " /")


class SkillExtractor(BaseEstimator):
    """Find the skills of a taxonomy in vacancy texts, with evidence spans.

    Parameters
    ----------
    text_column : str, default="text"
        Column of the frame given to :meth:`transform` that holds the texts.
    id_column : str or None, default=None
        Column carried to the output to say which text a match belongs to; without it the
        output has ``row``, the position of the text in the input.
    section_column : str or None, default=None
        Optional column that gives a text's section outright (``requirement``, ``offer``,
        ``other``; null: detect from headings and cues), for sources that split vacancies
        (Jobfeed's ``candidate_descr`` is the requirement, ``conditions_descr`` the offer).
    case_sensitive : collection of str or None, default=None
        Folded forms that only match in capitals or in the label's spelling; None means
        :data:`AMBIGUOUS_WORDS`. Forms of one or two letters or digits always do.
    needs_context : collection of str or None, default=None
        Folded forms that only count with evidence around them that the skill is meant (see
        :data:`NEEDS_CONTEXT`, the default when None).
    compound_heads : sequence of str or None, default=None
        Word starts that may follow a skill inside a compound; None means
        :data:`COMPOUND_HEADS`.
    required_in_other : bool, default=False
        Whether skills outside the requirement and offer sections (the job description, the
        introduction) count as required.
    resolve_elision : bool, default=True
        Expand lists that share a word: "MIG/MAG- en TIG-lassen", "Nederlandse en Engelse taal",
        "rijbewijs B en C".
    keep_negated : bool, default=False
        Keep skills the sentence says are not needed ("Ervaring met SAP is niet vereist"), with
        ``required=False``; by default they are left out, as they are no evidence of demand.
    batch_size : int, default=100_000
        Texts per batch in :meth:`transform` (bounds memory for millions of texts).
    n_jobs : int or None, default=None
        Threads for :meth:`transform` (Polars and numpy release the GIL); None means 1, -1 all
        processors. With more than one, batches are processed at once, or a single batch's scan
        is split over the threads. The scan builds its automaton once per thread, so one job
        costs the least CPU time; Polars still runs its other string passes on every core.

    Attributes
    ----------
    skills_ : polars.DataFrame
        ``skill_id``, ``label``, ``type`` of each skill, in taxonomy order.
    patterns_ : list of str
        The folded patterns of the scan (forms and variants of skills, headings, cues), longest
        first.
    pattern_table_ : polars.DataFrame
        One row per pattern, in the same order: the skill it stands for (or -1), the heading
        kind and cue flags it carries, and its boundary and case rules.
    n_skills_ : int
        Number of skills.
    n_patterns_ : int
        Number of patterns.

    Examples
    --------
    >>> import polars as pl
    >>> taxonomy = pl.DataFrame({
    ...     "skill_id": ["vca", "excel"], "label_nl": ["VCA", "Excel"],
    ...     "label_en": [None, None], "type": ["certificate", "software"],
    ...     "aliases_nl": ["vca-diploma", "ms excel"], "aliases_en": [None, None]})
    >>> extractor = SkillExtractor().fit(taxonomy)
    >>> text = ("Wat vragen wij?\\n- Excel-kennis\\n- VCA is een pré\\n\\n"
    ...         "Wat bieden wij?\\n- Wij betalen je VCA")
    >>> for m in extractor.extract(text):
    ...     print(m.skill_id, repr(m.text), m.start, m.section, m.required)
    excel 'Excel' 18 requirement True
    vca 'VCA' 33 requirement False
    vca 'VCA' 82 offer False
    """

    def __init__(
        self,
        *,
        text_column: str = "text",
        id_column: str | None = None,
        section_column: str | None = None,
        case_sensitive: Collection[str] | None = None,
        needs_context: Collection[str] | None = None,
        compound_heads: Sequence[str] | None = None,
        required_in_other: bool = False,
        resolve_elision: bool = True,
        keep_negated: bool = False,
        batch_size: int = 100_000,
        n_jobs: int | None = None,
    ) -> None:
        self.text_column = text_column
        self.id_column = id_column
        self.section_column = section_column
        self.case_sensitive = case_sensitive
        self.needs_context = needs_context
        self.compound_heads = compound_heads
        self.required_in_other = required_in_other
        self.resolve_elision = resolve_elision
        self.keep_negated = keep_negated
        self.batch_size = batch_size
        self.n_jobs = n_jobs

    # --- fit ---------------------------------------------------------------------------------

    def fit(
        self, taxonomy: pl.DataFrame | str | Path | None = None, y: Any = None
    ) -> SkillExtractor:
        """Build the patterns from a taxonomy.

        Parameters
        ----------
        taxonomy : polars.DataFrame, path or None
            A taxonomy frame (columns ``skill_id, label_nl, label_en, type, aliases_nl,
            aliases_en``), a reference folder to load it from (with the user file), or None for
            the default reference folder.
        y : ignored

        Returns
        -------
        self
        """
        if taxonomy is None or isinstance(taxonomy, str | Path):
            taxonomy = load_taxonomy(taxonomy, validate=False)
        ambiguous = AMBIGUOUS_WORDS if self.case_sensitive is None else self.case_sensitive
        case_sensitive = {fold_key(w) for w in ambiguous}
        context = NEEDS_CONTEXT if self.needs_context is None else self.needs_context
        needs_context = {fold_key(w) for w in context}
        rows = list(taxonomy.iter_rows(named=True))
        entries: dict[str, dict[str, Any]] = {}
        collisions: list[str] = []

        def add(key: str, skill: int, cs_form: str, variant: bool, base: str) -> None:
            if len(key) < 2 or not any(_is_word_char(c) for c in key):
                return
            current = entries.get(key)
            if current is not None:
                if current["skill"] != skill and not variant and not current["variant"]:
                    first = rows[current["skill"]]["skill_id"]
                    collisions.append(f"{key!r}: {first} and {rows[skill]['skill_id']}")
                return
            kind = rows[skill].get("type") or ""
            cs = key in case_sensitive or sum(c.isalnum() for c in key) <= 2
            entries[key] = {
                "skill": skill,
                "variant": variant,
                "cs": cs,
                "cs_form": cs_form if cs else None,
                "context": key in needs_context or base in needs_context,
                "inflect": kind in INFLECTED_TYPES
                and len(key) >= MIN_INFLECTED_LENGTH
                and key[-1].isalpha()
                and not cs,
            }

        keyed: list[list[str]] = []
        for index, row in enumerate(rows):
            labels = {
                fold_key(label): label.strip()
                for label in (row.get("label_en"), row.get("label_nl"))
                if label and label.strip()
            }
            keys = [fold_key(f) for f in skill_forms(row)]
            keyed.append(keys)
            for key in keys:
                add(key, index, labels.get(key, key.upper()), variant=False, base=key)
        for index, keys in enumerate(keyed):
            for key in keys:
                for variant in _variants(key):
                    add(variant, index, variant.upper(), variant=True, base=key)
        if collisions:
            warnings.warn(
                f"{len(collisions)} form(s) belong to two skills; the first skill keeps them: "
                + "; ".join(collisions[:5]),
                stacklevel=2,
            )
        headings = {fold_key(k): _HEADING_CODES[v] for k, v in sec.HEADINGS.items()}
        cues = {fold_key(k): v for k, v in sec.CUES.items()}
        # A form that holds a requirement cue ("kennis van de cao", "bereid te reizen") takes the
        # cue with it in the scan; it keeps the cue's meaning for its sentence ("Kennis van de
        # cao en AFAS": AFAS is asked too).
        carried = {key: _carried_cue(key, cues) for key in entries}
        patterns = sorted(set(entries) | set(headings) | set(cues), key=lambda p: (-len(p), p))

        # Codes: per pattern length class, numbers in order.
        used = dict.fromkeys(range(1, 5), 0)
        codes: list[str] = []
        keep: list[str] = []
        flat: list[int] = []
        for pattern in patterns:
            digits = _DIGITS_FOR_LENGTH.get(len(pattern), 4)
            number = used[digits]
            if number >= _BASE**digits:
                continue  # more patterns of one length than codes: never in practice
            used[digits] += 1
            code = "".join(_DIGITS[(number // _BASE**i) % _BASE] for i in range(digits))
            codes.append((_MARK + code).ljust(len(pattern), _PAD))
            keep.append(pattern)
            flat.append(int(_CLASS_START[digits]) + number)
        if len(keep) < len(patterns):
            warnings.warn(f"{len(patterns) - len(keep)} pattern(s) dropped", stacklevel=2)
        patterns = keep
        number_of = {p: i for i, p in enumerate(patterns)}
        fallback = [
            next((number_of[p[:k]] for k in range(len(p) - 1, 1, -1) if p[:k] in number_of), -1)
            for p in patterns
        ]
        heads = tuple(self.compound_heads if self.compound_heads is not None else COMPOUND_HEADS)

        # Forms that can stand in a list sharing a word: "nederlandse|engelse taal" share their
        # tail, "rijbewijs b|c" their head (with another form of another skill).
        shared_tails: dict[str, set[str]] = {}
        shared_heads: dict[str, set[str]] = {}
        for key in entries:
            if " " in key:
                first, rest = key.split(" ", 1)
                shared_tails.setdefault(rest, set()).add(first)
            split = re.match(r"^(.+)[ -]([^ -]+)$", key)
            if split:
                shared_heads.setdefault(split.group(1), set()).add(split.group(2))

        self.patterns_ = patterns
        self.pattern_table_ = pl.DataFrame(
            {
                "pattern": patterns,
                "length": [len(p) for p in patterns],
                "skill": [entries[p]["skill"] if p in entries else -1 for p in patterns],
                "heading": [headings.get(p, -1) for p in patterns],
                "cue": [cues.get(p, 0) | carried.get(p, 0) for p in patterns],
                "left_word": [_is_word_char(p[0]) for p in patterns],
                "right_word": [_is_word_char(p[-1]) for p in patterns],
                "inflect": [bool(entries.get(p, {}).get("inflect")) for p in patterns],
                "cs": [bool(entries.get(p, {}).get("cs")) for p in patterns],
                "cs_form": [entries.get(p, {}).get("cs_form") for p in patterns],
                "context": [bool(entries.get(p, {}).get("context")) for p in patterns],
                "fallback": fallback,
                "separated": [bool(re.search(r"[ -]", p)) for p in patterns],
                "inner_break": [any(not _is_word_char(c) for c in p[:-1]) for p in patterns],
                "shared_tail": [_shares(p, shared_tails, 0) for p in patterns],
                "shared_head": [_shares(p, shared_heads, 1) for p in patterns],
                "code": codes,
            },
            schema_overrides={
                "length": pl.Int64,
                "skill": pl.Int32,
                "heading": pl.Int8,
                "cue": pl.Int16,
                "cs_form": pl.String,
                "fallback": pl.Int32,
            },
        )
        self.skills_ = pl.DataFrame(
            {
                "skill_id": [r["skill_id"] for r in rows],
                "label": [r.get("label_nl") or r["skill_id"] for r in rows],
                "type": [r.get("type") or "" for r in rows],
            },
            schema={"skill_id": pl.String, "label": pl.String, "type": pl.String},
        )
        self.n_skills_ = len(rows)
        self.n_patterns_ = len(patterns)
        # Derived lookups (not parameters, not learned state in the scikit-learn sense).
        self._codes = codes
        self._decode = np.full(int(_CLASS_START[-1]) + _BASE**4, -1, dtype=np.int32)
        self._decode[np.asarray(flat, dtype=np.int64)] = np.arange(len(patterns), dtype=np.int32)
        self._columns = {
            c: self.pattern_table_[c].to_numpy()
            for c in (
                "length",
                "skill",
                "heading",
                "cue",
                "left_word",
                "right_word",
                "inflect",
                "cs",
                "context",
                "fallback",
                "separated",
                "inner_break",
                "shared_tail",
                "shared_head",
            )
        }
        self._skill_keys = {k: v["skill"] for k, v in entries.items()}
        self._known_keys = pl.Series(list(self._skill_keys), dtype=pl.String).implode()
        # Per pattern: what follows its first space ("engelse taal" → "taal"), and what stands
        # before its last space or hyphen ("rijbewijs b" → "rijbewijs"), for shared-word lists.
        tail_of = [re.match(r"^[^ ]+ (.+)$", p) for p in patterns]
        head_of = [re.match(r"^(.+)[ -][^ -]+$", p) for p in patterns]
        self._pattern_tails = pl.Series([m[1] if m else None for m in tail_of], dtype=pl.String)
        self._pattern_heads = pl.Series([m[1] if m else None for m in head_of], dtype=pl.String)
        self._software = self.skills_["type"].to_numpy() == "software"
        self._by_head: dict[str, list[tuple[str, int]]] = {}
        for number, pattern in enumerate(patterns):  # longest first, as patterns are sorted
            if len(pattern) >= 4:
                self._by_head.setdefault(pattern[:4], []).append((pattern, number))
        self._short = {p: i for i, p in enumerate(patterns) if len(p) < 4}
        self._heads_re = "^(?:" + "|".join(re.escape(fold(h)) for h in heads if h) + ")"
        # The first four bytes of each head, to skip the regex where none can match (only
        # when every head has four bytes).
        folded_heads = [fold(h) for h in heads if h]
        self._head_codes = (
            _codes32(*{h[:4] for h in folded_heads})
            if folded_heads and min(map(len, folded_heads)) >= 4
            else np.zeros(0, dtype=np.uint32)
        )
        return self

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Columns of the frame :meth:`transform` returns."""
        return np.asarray([self.id_column or "row", *OUTPUT_SCHEMA], dtype=object)

    # --- transform ---------------------------------------------------------------------------

    def transform(self, X: pl.DataFrame | pl.Series | Sequence[str]) -> pl.DataFrame:
        """Every match in every text, one row per match.

        Parameters
        ----------
        X : polars.DataFrame, Series or sequence of str
            The texts (a frame with ``text_column``, and ``id_column``/``section_column`` when
            set).

        Returns
        -------
        polars.DataFrame
            ``row`` (or the id column), ``skill_id``, ``label``, ``type``, ``start``, ``end``,
            ``text`` (the surface, ``original[start:end]``), ``section``, ``required``; sorted by
            text and start.
        """
        check_is_fitted(self, "patterns_")
        texts, forced, ids = self._inputs(X)
        size = max(1, int(self.batch_size))
        batches = [(i, min(i + size, len(texts))) for i in range(0, len(texts), size)] or [(0, 0)]

        jobs = (os.cpu_count() or 1) if self.n_jobs == -1 else max(1, self.n_jobs or 1)
        split = jobs > 1 and len(batches) == 1

        def run(bounds: tuple[int, int]) -> pl.DataFrame:
            first, last = bounds
            found = self._scan(
                texts.slice(first, last - first), forced.slice(first, last - first), split
            )
            return found.with_columns(pl.col("row") + first)

        if jobs > 1 and len(batches) > 1:
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                parts = list(pool.map(run, batches))
        else:
            parts = [run(b) for b in batches]
        out = pl.concat(parts) if len(parts) > 1 else parts[0]
        if ids is not None:
            name = self.id_column or "id"
            out = out.with_columns(ids.gather(out["row"]).alias(name)).select(name, *OUTPUT_SCHEMA)
        return out

    def extract(self, text: str) -> list[SkillMatch]:
        """The matches in one text, in order (see :meth:`transform` for many texts)."""
        frame = pl.DataFrame({self.text_column: [text]}, schema={self.text_column: pl.String})
        return _to_matches(self.transform(frame))

    def extract_sections(self, sections: Mapping[str, str | None]) -> dict[str, list[SkillMatch]]:
        """The matches in a vacancy that arrives split in parts, per part.

        ``{"candidate": …, "conditions": …, "job": …}``: a part named in :data:`SECTION_KEYS` is
        that section outright; other parts are read with heading detection. Offsets are into
        each part's own text.
        """
        check_is_fitted(self, "patterns_")
        names = list(sections)
        texts = pl.Series("text", [sections[n] or "" for n in names], dtype=pl.String)
        forced = pl.Series("forced", [SECTION_KEYS.get(n.lower()) for n in names], dtype=pl.String)
        found = self._scan(texts, forced)
        return {name: _to_matches(found.filter(pl.col("row") == i)) for i, name in enumerate(names)}

    # --- internals ---------------------------------------------------------------------------

    def _inputs(
        self, X: pl.DataFrame | pl.Series | Sequence[str]
    ) -> tuple[pl.Series, pl.Series, pl.Series | None]:
        if isinstance(X, str):
            raise TypeError("transform takes many texts; use extract(text) for one")
        ids = None
        if isinstance(X, pl.DataFrame):
            if self.text_column not in X.columns:
                raise ValueError(f"the frame has no column {self.text_column!r}")
            texts = X[self.text_column]
            if self.section_column and self.section_column in X.columns:
                forced = X[self.section_column].cast(pl.String)
            else:
                forced = pl.Series([None] * X.height, dtype=pl.String)
            if self.id_column:
                if self.id_column not in X.columns:
                    raise ValueError(f"the frame has no column {self.id_column!r}")
                ids = X[self.id_column]
        else:
            texts = X if isinstance(X, pl.Series) else pl.Series(list(X), dtype=pl.String)
            forced = pl.Series([None] * len(texts), dtype=pl.String)
        unknown = forced.drop_nulls().filter(~forced.drop_nulls().is_in(list(sec.SECTIONS)))
        if len(unknown):
            raise ValueError(
                f"unknown section {unknown[0]!r}; use {', '.join(sec.SECTIONS)} or null"
            )
        return texts.cast(pl.String).fill_null("").rename("text"), forced.rename("forced"), ids

    def _candidates(
        self, folded: pl.Series, split: bool
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """One leftmost-longest scan: the global offsets of the sentence ends, and the row,
        offset and pattern number of every match, in text order. ``split``: cut the texts in
        one chunk per Polars thread (each chunk builds its own automaton, 0.1-0.2 s)."""
        scan = pl.col("s").str.replace_many(self.patterns_, self._codes, leftmost=True)
        encoded = (
            in_parallel(folded, scan)
            if split
            else folded.str.replace_many(self.patterns_, self._codes, leftmost=True)
        )
        # The markers and the digits after them, read straight from the encoded bytes.
        code = _Bytes(encoded, margin=0)
        data, offsets = code.data, code.offsets
        scratch = np.empty((2, data.size), dtype=np.bool_)  # masks, reused
        at = np.flatnonzero(np.equal(data, ord(_MARK), out=scratch[0]))
        ends = _unit_ends(data, offsets, scratch)
        rows = np.searchsorted(offsets, at, side="right") - 1
        # The four bytes after each marker as one integer. A code's digits never run into the
        # next text: what follows a code is its padding, folded text (no capitals) or a marker.
        if data.size < 8:
            data = np.concatenate([data, np.zeros(8, dtype=np.uint8)])
        words = np.ndarray(shape=(data.size - 3,), dtype="<u4", buffer=data, strides=(1,))
        index = np.minimum(at + 1, data.size - 4)
        word = words[index] >> ((at + 1 - index) * 8).astype(np.uint32)
        low, high = word & np.uint32(0xFFFF), word >> np.uint32(16)
        pair = _PAIR_DIGITS[low] == 2
        digits = np.where(pair, 2 + _PAIR_DIGITS[high], _PAIR_DIGITS[low])
        value = np.where(pair, _PAIR_VALUE[low] + _BASE**2 * _PAIR_VALUE[high], _PAIR_VALUE[low])
        number = self._decode[_CLASS_START[digits] + value].astype(np.int64)
        if (number < 0).any():
            raise RuntimeError("an unknown code in the scan; please report this text")
        return ends, rows, at - offsets[rows], number

    def _validate(
        self,
        text: _Bytes,
        original: _Original,
        row: np.ndarray,
        start: np.ndarray,
        pid: np.ndarray,
    ) -> np.ndarray:
        """Which candidates stand: word boundaries, compounds, inflections, case. A candidate
        that fails at its end falls back to the longest pattern it starts with (``pid`` is
        updated in place)."""
        col = self._columns
        lo, hi = text.offsets[row], text.offsets[row + 1]
        gs = lo + start
        left_ok = ~col["left_word"][pid] | ~_WORD[text.at(gs - 1, start > 0)]
        ok = np.zeros(pid.size, dtype=bool)
        todo = np.flatnonzero(left_ok)
        for _ in range(4):
            if todo.size == 0:
                break
            p = pid[todo]
            ge = gs[todo] + col["length"][p]
            glued = col["right_word"][p] & _WORD[text.at(ge, ge < hi[todo])]
            good = ~glued
            gi = np.flatnonzero(glued)
            if gi.size:
                # Only what starts like a compound head, or may be inflected, needs a look.
                inflect = col["inflect"][p[gi]]
                if self._head_codes.size:
                    gi = gi[inflect | _among(text.word(ge[gi]), self._head_codes)]
                    inflect = col["inflect"][p[gi]]
                after = _Bytes.strings(text.windows(ge[gi], lo[todo][gi], hi[todo][gi], 12))
                compound = after.str.contains(self._heads_re).to_numpy()
                inflected = after.str.contains(r"^(?:e|en|s)(?:[^a-z0-9]|$)").to_numpy()
                good[gi] = compound | (inflected & inflect)
            ok[todo[good]] = True
            retry = todo[~good]
            shorter = col["fallback"][pid[retry]]
            retry, shorter = retry[shorter >= 0], shorter[shorter >= 0]
            pid[retry] = shorter
            todo = retry
        # Ambiguous short forms only in capitals or the label's own spelling.
        cs = np.flatnonzero(ok & col["cs"][pid])
        if cs.size:
            g = gs[cs]
            frame = pl.DataFrame(
                {
                    "surface": original.spans(row[cs], g, g + col["length"][pid[cs]]),
                    "form": self.pattern_table_["cs_form"].gather(pl.Series(pid[cs])),
                }
            )
            surface = pl.col("surface")
            good_case = frame.select_seq(
                (surface == surface.str.to_uppercase()) | (surface == pl.col("form"))
            ).to_series()
            ok[cs] = good_case.fill_null(False).to_numpy()
        return ok

    def _rescan(
        self,
        folded: pl.Series,
        text: _Bytes,
        original: _Original,
        row: np.ndarray,
        start: np.ndarray,
        pid: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Matches hidden inside rejected candidates ("an[d rijbewijs] B" hides "rijbewijs B"):
        at each word start inside a rejected span, the longest pattern found there (a prefix
        lookup in Python: these spans are few, a second Aho-Corasick build would cost more)."""
        end = start + self._columns["length"][pid]
        rows = np.unique(row)
        strings = dict(zip(rows.tolist(), folded.gather(pl.Series(rows)).to_list(), strict=True))
        by_head, short = self._by_head, self._short
        found: list[tuple[int, int, int]] = []
        for r, s, e in zip(row.tolist(), start.tolist(), end.tolist(), strict=True):
            string = strings[r]
            for word in _WORD_START.finditer(string, s + 1, e):
                j = word.start()
                hit = next(
                    (n for p, n in by_head.get(string[j : j + 4], ()) if string.startswith(p, j)),
                    None,
                )
                if hit is None:
                    hit = short.get(string[j : j + 3], short.get(string[j : j + 2]))
                if hit is not None:
                    found.append((r, j, hit))
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        new = np.asarray(found, dtype=np.int64)
        new_row, new_start, new_pid = new[:, 0], new[:, 1], new[:, 2]
        ok = self._validate(text, original, new_row, new_start, new_pid)
        return new_row[ok], new_start[ok], new_pid[ok]

    @staticmethod
    def _longest(row: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """Which matches to keep so that none of a text overlap, the longest first. Only texts
        with an overlap go through Python (they are few: rescued matches seldom overlap)."""
        order = np.lexsort((start, row))
        r, s, e = row[order], start[order], end[order]
        clash = np.zeros(r.size, dtype=bool)
        clash[1:] = (r[1:] == r[:-1]) & (s[1:] < np.maximum.accumulate(e)[:-1])
        keep = np.ones(row.size, dtype=bool)
        messy = np.isin(row, np.unique(r[clash]))
        by_row: dict[int, list[int]] = {}
        for i in np.flatnonzero(messy).tolist():
            by_row.setdefault(int(row[i]), []).append(i)
        for items in by_row.values():
            chosen: list[tuple[int, int]] = []
            for i in sorted(items, key=lambda k: (-(end[k] - start[k]), start[k])):
                keep[i] = all(end[i] <= a or start[i] >= b for a, b in chosen)
                if keep[i]:
                    chosen.append((int(start[i]), int(end[i])))
        return keep

    def _scan(self, texts: pl.Series, forced: pl.Series, split: bool = False) -> pl.DataFrame:
        col = self._columns
        folded, text, original = _fold_texts(texts)
        offsets = text.offsets
        ends, row, start, pid = self._candidates(folded, split)  # ends: global, ascending
        ok = self._validate(text, original, row, start, pid)
        # Only a rejected span with a word start inside ("an[d rijbewijs]") can hide a match.
        hiding = ~ok & col["inner_break"][pid]
        if hiding.any():
            r_row, r_start, r_pid = self._rescan(
                folded, text, original, row[hiding], start[hiding], pid[hiding]
            )
            row, start, pid = row[ok], start[ok], pid[ok]
            if r_row.size:
                # Rescued matches go in at their place in the text order (they start inside
                # rejected spans, so never where a match starts); where they overlap, the
                # longest wins.
                order = np.lexsort((r_start, r_row))
                at = np.searchsorted(
                    row * (1 << 32) + start, r_row[order] * (1 << 32) + r_start[order], "right"
                )
                row = np.insert(row, at, r_row[order])
                start = np.insert(start, at, r_start[order])
                pid = np.insert(pid, at, r_pid[order])
                touched = np.flatnonzero(np.isin(row, np.unique(r_row)))
                keep = np.ones(row.size, dtype=bool)
                keep[touched] = self._longest(
                    row[touched], start[touched], start[touched] + col["length"][pid[touched]]
                )
                row, start, pid = row[keep], start[keep], pid[keep]
        else:
            row, start, pid = row[ok], start[ok], pid[ok]
        end = start + col["length"][pid]
        h_pos, h_code = self._headings(folded, text, row, start, end, pid)
        is_skill = col["skill"][pid] >= 0
        s_row, s_start, s_end = row[is_skill], start[is_skill], end[is_skill]
        s_pid = pid[is_skill]
        s_skill = col["skill"][s_pid].astype(np.int64)

        # Sentences (units) by the sentence ends found in the scan; cue flags per sentence. A
        # unit is its text and the number of ends before it (in all texts: it only has to be
        # unique and in text order).
        def unit_of(rows_: np.ndarray, starts: np.ndarray) -> np.ndarray:
            return rows_ * (1 << 32) + np.searchsorted(ends, offsets[rows_] + starts, side="left")

        if s_row.size and col["context"][s_pid].any():
            stands = self._in_context(folded, text, ends, unit_of, s_row, s_start, s_end, s_pid)
            s_row, s_start, s_end = s_row[stands], s_start[stands], s_end[stands]
            s_skill, s_pid = s_skill[stands], s_pid[stands]
        if self.resolve_elision and s_row.size:
            s_row, s_start, s_end, s_skill = self._elision(
                folded, text, s_row, s_start, s_end, s_skill, s_pid
            )

        s_unit = unit_of(s_row, s_start)
        cue = col["cue"][pid]
        is_cue = np.flatnonzero(cue > 0)
        c_unit, c_flags, c_start = unit_of(row[is_cue], start[is_cue]), cue[is_cue], start[is_cue]
        cue_pid = pid[is_cue]
        flags = np.zeros(s_unit.size, dtype=np.int64)
        if c_unit.size and s_unit.size:
            first = np.flatnonzero(np.r_[True, c_unit[1:] != c_unit[:-1]])
            units = c_unit[first]
            unit_flags = np.bitwise_or.reduceat(c_flags.astype(np.int64), first)
            j = np.minimum(np.searchsorted(units, s_unit), units.size - 1)
            flags = np.where(units[j] == s_unit, unit_flags[j], 0)
        nice_unit = (flags & sec.CUE_NICE) > 0
        offer_cue = (flags & sec.CUE_OFFER) > 0
        requirement_cue = (flags & sec.CUE_REQUIREMENT) > 0
        negated = (flags & sec.CUE_NOT_REQUIRED) > 0
        weak = ((flags & sec.CUE_NEG_BEFORE) > 0) & ((flags & sec.CUE_NEG_AFTER) > 0)
        if weak.any():
            w = np.flatnonzero(weak)
            negated[w] |= self._negated_around(
                s_unit[w], s_start[w], s_end[w], c_unit, c_flags, c_start
            )
        negated &= ~nice_unit  # "handig, maar geen vereiste" is still wanted
        nice = np.zeros(s_row.size, dtype=bool)
        if nice_unit.any():
            c_end = c_start + col["length"][cue_pid]
            nice = self._nice_in_scope(
                folded,
                offsets,
                s_row,
                s_start,
                s_end,
                s_unit,
                nice_unit,
                c_unit,
                c_flags,
                c_start,
                c_end,
            )

        # Section: the caller's, an offer cue, the last heading before, a requirement cue.
        heading_code = np.full(s_row.size, -1, dtype=np.int64)
        if h_pos.size and s_row.size:
            j = np.searchsorted(h_pos, offsets[s_row] + s_start, side="left") - 1
            jj = np.maximum(j, 0)
            h_row = np.searchsorted(offsets, h_pos, side="right") - 1
            heading_code = np.where((j >= 0) & (h_row[jj] == s_row), h_code[jj], -1)
        forced_code = (
            forced.replace_strict(_SECTION_CODES, default=-1, return_dtype=pl.Int64)
            .fill_null(-1)
            .to_numpy()[s_row]
        )
        # An offer cue wins unless the sentence also asks ("VCA of bereid dit te halen (wij
        # betalen)"); a job cue ("je bent verantwoordelijk voor") outweighs "je bent".
        requirement_cue &= (flags & sec.CUE_JOB) == 0
        offer_wins = offer_cue & (negated | ~requirement_cue)
        section = np.select(
            [forced_code >= 0, offer_wins, heading_code >= 0, requirement_cue],
            [forced_code, 1, heading_code, 0],
            default=2,
        )
        asked = (section == 0) | ((section == 2) & self.required_in_other)
        required = asked & ~nice & ~negated
        # A skill the sentence says is not needed is no evidence, unless it is offered.
        dropped = negated & (section != 1) & (not self.keep_negated)
        # A heading is no skill ("Arbeidsvoorwaarden"), nor is a closing formula.
        s_g = offsets[s_row] + s_start
        at_heading = np.zeros(s_row.size, dtype=bool)
        if h_pos.size:
            j = np.minimum(np.searchsorted(h_pos, s_g), h_pos.size - 1)
            at_heading = h_pos[j] == s_g
        keep = np.flatnonzero(~at_heading & ~dropped & ((flags & sec.CUE_BOILERPLATE) == 0))
        return self._output(
            original,
            offsets,
            s_row[keep],
            s_start[keep],
            s_end[keep],
            s_skill[keep],
            section[keep],
            required[keep],
        )

    def _in_context(
        self,
        folded: pl.Series,
        text: _Bytes,
        ends: np.ndarray,
        unit_of: Any,
        row: np.ndarray,
        start: np.ndarray,
        end: np.ndarray,
        pid: np.ndarray,
    ) -> np.ndarray:
        """Which skill matches stand: all but the forms of :data:`NEEDS_CONTEXT` without
        evidence that the skill is meant (another software skill in the sentence, a software
        word in it, a phrase such as "ervaring met" right before, a compound after)."""
        stands = np.ones(row.size, dtype=bool)
        idx = np.flatnonzero(self._columns["context"][pid])
        skill = self._columns["skill"][pid].astype(np.int64)
        # Software skills per sentence (distinct), less the match's own skill; only the texts
        # that hold such a form are looked at.
        near = np.flatnonzero(self._software[skill] & np.isin(row, row[idx]))
        unit = unit_of(row[idx], start[idx])
        software = self._software[skill[idx]]
        per_unit = (
            pl.DataFrame({"u": unit_of(row[near], start[near]), "k": skill[near]})
            .group_by("u")
            .agg(pl.col("k").n_unique().alias("n"))
        )
        others = (
            pl.DataFrame({"u": unit})
            .join(per_unit, on="u", how="left", maintain_order="left")["n"]
            .fill_null(0)
            .to_numpy()
            - software
        )
        lo, hi = text.offsets[row[idx]], text.offsets[row[idx] + 1]
        g = lo + start[idx]
        # The sentence: from the end before the match to the end after it (within the text).
        bounds = np.concatenate([[0], ends.astype(np.int64), [text.offsets[-1]]])
        k = np.searchsorted(ends, g, side="left")
        u0 = np.maximum(bounds[k], lo) - lo
        u1 = np.minimum(bounds[k + 1], hi) - lo
        width = 48
        frame = pl.DataFrame(
            {
                "f": folded.gather(pl.Series(row[idx])).cast(pl.Binary),
                "u0": u0,
                "u1": u1,
                "before": _Bytes.strings(text.windows(g - width, lo, hi, width)),
                "after": _Bytes.strings(text.windows(lo + end[idx], lo, hi, 16)),
            }
        )
        evidence = frame.select_seq(
            pl.col("before").str.replace_all("\x00", "").str.contains(_CONTEXT_BEFORE)
            | pl.col("after").str.contains(_CONTEXT_AFTER)
            | _slice(pl.col("u0"), pl.col("u1") - pl.col("u0")).str.contains(_CONTEXT_SENTENCE)
        ).to_series()
        stands[idx] = evidence.fill_null(False).to_numpy() | (others > 0)
        return stands

    def _headings(
        self,
        folded: pl.Series,
        text: _Bytes,
        row: np.ndarray,
        start: np.ndarray,
        end: np.ndarray,
        pid: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Global positions and section codes of the headings that stand alone on their line."""
        offsets = text.offsets
        idx = np.flatnonzero(self._columns["heading"][pid] >= 0)
        if idx.size:
            # Cheap first look: a line start, or only markup and a line or sentence end before.
            g = offsets[row[idx]] + start[idx]
            b1 = text.at(g - 1, start[idx] > 0, fill=10)
            b2 = text.at(g - 2, start[idx] > 1, fill=10)
            idx = idx[(b1 == 10) | (_MARKUP[b1] & (_MARKUP[b2] | _LINE_END[b2]))]
        if idx.size == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        frame = pl.DataFrame(
            {
                "f": folded.gather(pl.Series(row[idx])).cast(pl.Binary),
                "start": start[idx],
                "end": end[idx],
            }
        )
        before_start = (pl.col("start") - 8).clip(lower_bound=0)
        before = _slice(before_start, pl.col("start") - before_start)
        after = _slice(pl.col("end"), 60)
        valid = (
            frame.select_seq(
                (
                    before.str.contains(sec.HEADING_BEFORE)
                    | ((before_start == 0) & before.str.contains(sec.HEADING_AT_START))
                )
                & after.str.contains(sec.HEADING_AFTER)
            )
            .to_series()
            .to_numpy()
        )
        keep = idx[valid]
        codes = self._columns["heading"][pid[keep]].astype(np.int64)
        return offsets[row[keep]] + start[keep], codes

    @staticmethod
    def _nice_in_scope(
        folded: pl.Series,
        offsets: np.ndarray,
        s_row: np.ndarray,
        s_start: np.ndarray,
        s_end: np.ndarray,
        s_unit: np.ndarray,
        candidates: np.ndarray,
        c_unit: np.ndarray,
        c_flags: np.ndarray,
        c_start: np.ndarray,
        c_end: np.ndarray,
    ) -> np.ndarray:
        """Which skills a nice-to-have cue of their sentence is about.

        A cue after the skill takes it when nothing but a list of skills stands between them
        ("Dutch, French or Spanish is a plus"; "VCA en BHV zijn een pré"), or no comma does
        ("Rijbewijs B, Duits is handig": only Duits). A forward cue ("bij voorkeur", "nice to
        have") or a cue with a colon ("Pré: BHV") takes the skills after it; a forward cue that
        ends its clause ("VCA en rijbewijs CE (bij voorkeur)") takes only the skill right before
        it.
        """
        is_nice = (c_flags & sec.CUE_NICE) > 0
        n_unit, n_start, n_end = c_unit[is_nice], c_start[is_nice], c_end[is_nice]
        n_forward = (c_flags[is_nice] & sec.CUE_NICE_FORWARD) > 0
        n_g = offsets[n_unit >> 32] + n_start  # sorted: cues are in text order
        idx = np.flatnonzero(candidates)
        g_all = offsets[s_row[idx]] + s_start[idx]
        idx = idx[np.argsort(g_all, kind="stable")]
        rows, starts, ends, units = s_row[idx], s_start[idx], s_end[idx], s_unit[idx]
        g_start, g_end = offsets[rows] + starts, offsets[rows] + ends
        after = np.minimum(np.searchsorted(n_g, g_end, side="left"), n_g.size - 1)
        before = np.maximum(np.searchsorted(n_g, g_start, side="left") - 1, 0)
        has_after = (n_unit[after] == units) & (n_g[after] >= g_end)
        has_before = (n_unit[before] == units) & (offsets[rows] + n_end[before] <= g_start)
        a1 = np.where(has_after, n_start[after], ends)
        frame = pl.DataFrame(
            {
                "f": folded.gather(pl.Series(rows)).cast(pl.Binary),
                "s0": starts,
                "a0": ends,
                "a1": a1,
                "c1": np.where(has_after, n_end[after], ends),
                "b0": np.where(has_before, n_end[before], starts),
                "b1": starts,
            }
        )
        words = r"[a-z0-9]+"
        list_words = r"(?-u:\b)(?:en|of|and|or|en/of)(?-u:\b)"
        between = _slice(pl.col("a0"), pl.col("a1") - pl.col("a0"))
        checks = frame.select_seq(
            own_words=_slice(pl.col("s0"), pl.col("a0") - pl.col("s0")).str.count_matches(words),
            other_words=between.str.count_matches(words) - between.str.count_matches(list_words),
            listed=between.str.contains(list_words),
            comma=between.str.contains("[,;]"),
            plural=between.str.contains(r"(?:zijn|are)\s+(?:een\s+|a\s+)?$"),
            clause_end=_slice(pl.col("c1"), 40).str.contains(r"^[ \t)]*(?:[,;.!?\r\n]|$)"),
            colon=_slice(pl.col("b0"), pl.col("b1") - pl.col("b0")).str.contains(r"^\s*:"),
        )
        # Words of the skills between a skill and its cue, by prefix sums in text order.
        own = checks["own_words"].to_numpy().astype(np.int64)
        total = np.concatenate([[0], np.cumsum(own)])
        position = np.arange(idx.size)
        next_skill = np.searchsorted(g_start, offsets[rows] + a1, side="left")
        skills_between = np.maximum(next_skill - position - 1, 0)
        skill_words = total[np.maximum(next_skill, position + 1)] - total[position + 1]
        # "A, B of C is a plus" is a list; "A, B is handig" two clauses.
        only_skills = (checks["other_words"].to_numpy() <= skill_words) & (
            checks["listed"].to_numpy() | ~checks["comma"].to_numpy()
        )
        backward = np.where(
            n_forward[after],
            checks["clause_end"].to_numpy() & (skills_between == 0),
            ~checks["comma"].to_numpy() | only_skills | checks["plural"].to_numpy(),
        )
        nice = np.zeros(s_row.size, dtype=bool)
        nice[idx] = (has_after & backward) | (
            has_before & (n_forward[before] | checks["colon"].to_numpy())
        )
        return nice

    @staticmethod
    def _negated_around(
        s_unit: np.ndarray,
        s_start: np.ndarray,
        s_end: np.ndarray,
        c_unit: np.ndarray,
        c_flags: np.ndarray,
        c_start: np.ndarray,
    ) -> np.ndarray:
        """ "Geen <skill> nodig": a negation before and a "nodig" after, in the same sentence."""
        before = (c_flags & sec.CUE_NEG_BEFORE) > 0
        after = (c_flags & sec.CUE_NEG_AFTER) > 0
        if not before.any() or not after.any() or s_unit.size == 0:
            return np.zeros(s_unit.size, dtype=bool)
        first_neg = (
            pl.DataFrame({"u": c_unit[before], "p": c_start[before]})
            .group_by("u")
            .agg(pl.col("p").min())
        )
        last_need = (
            pl.DataFrame({"u": c_unit[after], "q": c_start[after]})
            .group_by("u")
            .agg(pl.col("q").max())
        )
        frame = (
            pl.DataFrame({"u": s_unit, "s": s_start, "e": s_end})
            .join(first_neg, on="u", how="left", maintain_order="left")
            .join(last_need, on="u", how="left", maintain_order="left")
        )
        return (
            frame.select_seq(
                ((pl.col("p") < pl.col("s")) & (pl.col("q") >= pl.col("e"))).fill_null(False)
            )
            .to_series()
            .to_numpy()
        )

    def _elision(
        self,
        folded: pl.Series,
        text: _Bytes,
        row: np.ndarray,
        start: np.ndarray,
        end: np.ndarray,
        skill: np.ndarray,
        pid: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Add the skills of lists that share a word ("MIG/MAG- en TIG-lassen"); the matches
        come and go in text order."""
        lo, hi = text.offsets[row], text.offsets[row + 1]
        gs, ge = lo + start, lo + end
        # A first look at the four bytes around each match (bytes of a neighbouring text may
        # slip in: that only lets a few more through to the exact checks below).
        pre_word, post_word = text.word(gs - 4), text.word(ge)
        pre_pair, post_pair = pre_word >> 16, post_word & 0xFFFF
        pre_words, pre_pairs = _among(pre_word, _PRE_WORDS), _among(pre_pair, _PRE_PAIRS)
        pre_list = pre_words | pre_pairs
        post_list = (
            _among(post_word, _POST_WORDS)
            | _among(post_pair, _POST_PAIRS)
            | ((post_word & 0xFF) == ord("/"))
        )
        # "X- en Y…", "X-, Y…": a hyphen right before the list word or comma.
        hyphen = pre_pairs & (((pre_word >> 8) & 0xFF) == ord("-"))
        before_word = np.flatnonzero(pre_words)
        hyphen[before_word] |= text.at(gs[before_word] - 5) == ord("-")
        maybe = np.flatnonzero(
            hyphen
            | (pre_list & self._columns["shared_tail"][pid])
            | (post_list & self._columns["shared_head"][pid])
        )
        if maybe.size == 0:
            return row, start, end, skill
        known = self._known_keys
        # Lists before the match ("MIG/MAG- en TIG-", "Nederlandse en"), and after it ("B, C").
        hit = np.zeros(maybe.size, dtype=bool)
        before = np.flatnonzero(pre_list[maybe])
        if before.size:
            b = maybe[before]
            pre = _Bytes.strings(text.windows(gs[b] - _PEEK, lo[b], hi[b], _PEEK))
            frame = pl.DataFrame(
                {
                    "pre": pre.str.replace_all("\x00", ""),
                    "tail": self._pattern_tails.gather(pl.Series(pid[b])),
                }
            )
            e1 = pl.col("pre").str.contains(_E1_FILTER)
            e2 = pl.concat_str(
                pl.col("pre").str.extract(_E2_FILTER, 1), pl.lit(" "), pl.col("tail")
            ).is_in(known)
            found = frame.select_seq((e1 | e2.fill_null(False)).fill_null(False)).to_series()
            hit[before] = found.to_numpy()
        after = np.flatnonzero(post_list[maybe])
        if after.size:
            a = maybe[after]
            frame = pl.DataFrame(
                {
                    "post": _Bytes.strings(text.windows(ge[a], lo[a], hi[a], _PEEK)),
                    "head": self._pattern_heads.gather(pl.Series(pid[a])),
                }
            )
            e3 = pl.concat_str(
                pl.col("head"), pl.lit(" "), pl.col("post").str.extract(_E3_FILTER, 1)
            ).is_in(known)
            hit[after] |= frame.select_seq(e3.fill_null(False)).to_series().to_numpy()
        candidates = maybe[hit]
        if candidates.size == 0:
            return row, start, end, skill
        hit_texts = folded.gather(pl.Series(row[candidates])).to_list()
        # The spans taken in a text, read (from the rows in order) when a form is found there.
        taken: dict[int, list[tuple[int, int]]] = {}
        added: list[tuple[int, int, int, int]] = []

        def emit(r: int, s: int, e: int, form: str | None) -> None:
            target = self._skill_keys.get(form) if form else None
            if target is None:
                return
            if r not in taken:
                first, last = np.searchsorted(row, [r, r + 1])
                pairs = zip(start[first:last].tolist(), end[first:last].tolist(), strict=True)
                taken[r] = list(pairs)
            spans = taken[r]
            if any(s < b and a < e for a, b in spans):
                return
            spans.append((s, e))
            added.append((r, s, e, target))

        known_keys = self._skill_keys
        for i, folded_text in zip(candidates.tolist(), hit_texts, strict=True):
            r, s, e = int(row[i]), int(start[i]), int(end[i])
            key = folded_text[s:e]
            pre_start = max(0, s - _WINDOW)
            pre, post = folded_text[pre_start:s], folded_text[e : e + _WINDOW]
            listing = _E1_LIST.search(pre) if pre_list[i] else None
            if listing:
                tails = _tails(key)
                for item in _E1_ITEM.finditer(pre, listing.start()):
                    word = item.group()[:-1]
                    forms = (f"{word}{sep}{tail}" for tail in tails for sep in ("-", " ", ""))
                    at = pre_start + item.start()
                    emit(r, at, at + len(word), next((f for f in forms if f in known_keys), None))
            listing = _E2_LIST.search(pre) if pre_list[i] and " " in key else None
            if listing:
                tail = key.split(" ", 1)[1]
                for item in re.finditer(r"[a-z][a-z0-9]*", listing.group(1)):
                    at = pre_start + listing.start(1) + item.start()
                    emit(r, at, at + len(item.group()), f"{item.group()} {tail}")
            head = re.match(r"^(.+)[ -][^ -]+$", key) if post_list[i] else None
            listing = _E3_LIST.match(post) if head else None
            if head and listing:
                stem = head.group(1)
                for item in _E3_ITEM.finditer(post, 0, listing.end()):
                    word = item.group()
                    if word in _LIST_WORDS:
                        continue
                    forms = (f"{stem}{sep}{word}" for sep in (" ", "-", ""))
                    at = e + item.start()
                    emit(r, at, at + len(word), next((f for f in forms if f in known_keys), None))
        if not added:
            return row, start, end, skill
        # The matches are in text order; the few added ones go in at their place.
        extra = np.asarray(added, dtype=np.int64)
        extra = extra[np.lexsort((extra[:, 1], extra[:, 0]))]
        place = np.searchsorted(
            row * (1 << 32) + start, extra[:, 0] * (1 << 32) + extra[:, 1], "right"
        )
        return (
            np.insert(row, place, extra[:, 0]),
            np.insert(start, place, extra[:, 1]),
            np.insert(end, place, extra[:, 2]),
            np.insert(skill, place, extra[:, 3]),
        )

    def _output(
        self,
        original: _Original,
        offsets: np.ndarray,
        row: np.ndarray,
        start: np.ndarray,
        end: np.ndarray,
        skill: np.ndarray,
        section: np.ndarray,
        required: np.ndarray,
    ) -> pl.DataFrame:
        skill_rows = pl.Series(skill, dtype=pl.Int64)
        return pl.DataFrame(
            {
                "row": pl.Series(row, dtype=pl.UInt32),
                **{c: self.skills_[c].gather(skill_rows) for c in ("skill_id", "label", "type")},
                "start": pl.Series(start, dtype=pl.Int64),
                "end": pl.Series(end, dtype=pl.Int64),
                "text": original.spans(row, offsets[row] + start, offsets[row] + end),
                "section": _SECTION_SERIES.gather(pl.Series(section, dtype=pl.Int64)),
                "required": pl.Series(required, dtype=pl.Boolean),
            }
        )


def _carried_cue(key: str, cues: Mapping[str, int]) -> int:
    """The requirement flag of a requirement cue that opens or closes a form ("kennis van de
    cao", "bereid te reizen", "rijbewijs b vereist"); 0 when there is none. Cues of another
    kind (nice-to-have, not required, offered) are not carried."""
    other = sec.CUE_NICE | sec.CUE_NOT_REQUIRED | sec.CUE_OFFER
    words = key.split(" ")
    for i in range(1, len(words)):
        for part in (" ".join(words[:i]), " ".join(words[i:])):
            flags = cues.get(part, 0)
            if flags & sec.CUE_REQUIREMENT and not flags & other:
                return sec.CUE_REQUIREMENT
    return 0


def _shares(pattern: str, groups: dict[str, set[str]], side: int) -> bool:
    """Whether another form has the same tail (side 0) or head (side 1) as ``pattern``."""
    if side == 0:
        parts = pattern.split(" ", 1)
        return len(parts) == 2 and len(groups.get(parts[1], ())) > 1
    split = re.match(r"^(.+)[ -]([^ -]+)$", pattern)
    return split is not None and len(groups.get(split.group(1), ())) > 1


def _tails(key: str) -> list[str]:
    """Shared second halves a form may have: after its first hyphen or space, else its
    suffixes of four or more letters (for compounds written as one word)."""
    split = re.split(r"[ -]", key, maxsplit=1)
    if len(split) == 2 and split[1]:
        return [split[1]]
    return [key[i:] for i in range(1, len(key) - 3)]


def _to_matches(frame: pl.DataFrame) -> list[SkillMatch]:
    return [SkillMatch(**{k: r[k] for k in OUTPUT_SCHEMA}) for r in frame.iter_rows(named=True)]
