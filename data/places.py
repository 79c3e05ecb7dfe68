"""Resolve free-text vacancy locations to a 2025 gemeente, and say so when that cannot be done.

Vacancy locations arrive as "Den Bosch", "Zwolle e.o.", "3011 AB Rotterdam", "Zwolle, OV, NL",
"Amsterdam Zuid", "Thuiswerken" or a province alone. The resolver tries, in order: a postcode,
the whole text as a known place name, the text without "e.o."/"regio"/province hints, a city
followed by a district word. It never guesses: a name that lies in several gemeenten without a
province hint, a region ("Regio Twente"), a province or "Nederland" stay unresolved, with a
method that says why.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

# Forms that are not a place at all. Kept normalised.
NOT_A_PLACE = {
    "thuiswerken",
    "thuis",
    "vanuit huis",
    "werk van thuis",
    "werken vanuit huis",
    "remote",
    "remote work",
    "work from home",
    "home office",
    "hybride",
    "hybrid",
    "op afstand",
    "nederland",
    "netherlands",
    "the netherlands",
    "nl",
    "holland",
    "heel nederland",
    "landelijk",
    "door heel nederland",
    "diverse locaties",
    "meerdere locaties",
    "verschillende locaties",
    "diverse plaatsen",
    "randstad",
    "europa",
    "europe",
    "buitenland",
    "benelux",
    "wereldwijd",
    "onbekend",
    "nvt",
    "n v t",
    "divers",
    "in overleg",
}

# Province codes with the ways job boards write them (normalised).
PROVINCE_FORMS: dict[str, tuple[str, ...]] = {
    "PV20": ("groningen", "gr", "gn"),
    "PV21": ("fryslan", "friesland", "fr", "frl", "fl"),
    "PV22": ("drenthe", "dr"),
    "PV23": ("overijssel", "ov", "ovl"),
    "PV24": ("flevoland", "fle", "flevo"),
    "PV25": ("gelderland", "gld", "ge", "gl"),
    "PV26": ("utrecht", "ut", "utr"),
    "PV27": ("noord holland", "north holland", "nh"),
    "PV28": ("zuid holland", "south holland", "zh"),
    "PV29": ("zeeland", "ze", "zl", "zld"),
    "PV30": ("noord brabant", "north brabant", "brabant", "nb"),
    "PV31": ("limburg", "li", "lb", "lim"),
}
_PROVINCE_BY_FORM = {form: code for code, forms in PROVINCE_FORMS.items() for form in forms}
# Full province names that are also a municipality: alone they mean the city.
_CITY_PROVINCES = {"groningen", "utrecht"}
_COUNTRY_FORMS = {"nl", "nederland", "netherlands", "the netherlands", "nld", "holland"}

DISTRICT_WORDS = {
    "noord",
    "oost",
    "zuid",
    "west",
    "zuidoost",
    "noordoost",
    "zuidwest",
    "noordwest",
    "nieuw west",
    "centrum",
    "center",
    "centre",
    "stad",
    "binnenstad",
    "north",
    "south",
    "east",
    "city",
    "haven",
    "airport",
    "area",
}

_POSTCODE = re.compile(r"(?<!\d)([1-9]\d{3})\s?(?:[A-Za-z]{2})?(?![\dA-Za-z])")
_VICINITY = re.compile(
    r"^(?:(?:regio|omgeving|omg\.?|rondom|nabij|near|area|region)\s+(?P<a>.+)"
    r"|(?P<b>.+?)\s+(?:e\.?\s?o\.?|en omgeving|en omstreken|and surroundings|area|region|regio|"
    r"omgeving|\(?e\.o\.\)?))$"
)


def normalise_place(text: str) -> str:
    """Lower case, no diacritics, apostrophes dropped, hyphens and punctuation as spaces.

    >>> normalise_place("'s-Hertogenbosch")
    's hertogenbosch'
    >>> normalise_place("Súdwest-Fryslân")
    'sudwest fryslan'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    stripped = stripped.replace("\u2019", "'").replace("`", "'")
    stripped = re.sub(r"[-/_.,;:()\[\]]+", " ", stripped)
    stripped = stripped.replace("'", " ") if stripped.startswith("'") else stripped.replace("'", "")
    return re.sub(r"\s+", " ", stripped).strip()


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one location text."""

    input: str
    gemeente_code: str | None
    gemeente_naam: str | None
    method: str

    def as_dict(self) -> dict[str, str | None]:
        return {
            "input": self.input,
            "gemeente_code": self.gemeente_code,
            "gemeente_naam": self.gemeente_naam,
            "method": self.method,
        }


@dataclass(frozen=True)
class AliasRow:
    alias: str
    gemeente_code: str
    kind: str
    source: str


def _read(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False)


def alias_rows(reference_dir: Path) -> list[AliasRow]:
    """Every name under which a 2025 gemeente is known, from the reference tables.

    Sources: gemeente names, woonplaatsen (BAG), municipalities merged since 2018 (their
    main successor), and the hand-checked table of alternative, Frisian, English and district
    names. A name may appear for several gemeenten; the resolver treats it as ambiguous.
    """
    rows: list[AliasRow] = []
    gemeenten = _read(reference_dir / "gemeenten_2025.csv")
    for code, name in gemeenten.select("gemeente_code", "gemeente_naam").iter_rows():
        rows.append(AliasRow(name, code, "gemeente", "CBS gebiedsindelingen 2025"))
    woonplaatsen = _read(reference_dir / "woonplaatsen_2025.csv")
    for name, code in woonplaatsen.select("woonplaats_naam", "gemeente_code").iter_rows():
        rows.append(AliasRow(name, code, "woonplaats", "CBS 85877NED woonplaatsen 2024"))
    known = {normalise_place(row.alias) for row in rows}
    merged = _read(reference_dir / "gemeenten_merged_since_2018.csv")
    for name, code, kind, main in merged.select(
        "oude_gemeente_naam", "nieuwe_gemeente_code", "type", "hoofdopvolger"
    ).iter_rows():
        # A place that still exists under the old name (Haaren, Weesp) is that place; a split
        # municipality's name otherwise stays ambiguous: keep every successor.
        if normalise_place(name) in known:
            continue
        if kind == "opsplitsing" or main == "ja":
            rows.append(AliasRow(name, code, "opgeheven_gemeente", f"{kind} sinds 2018"))
    extra = reference_dir / "place_aliases.csv"
    if extra.exists():
        for alias, code, kind, source in (
            _read(extra).select("alias", "gemeente_code", "soort", "bron").iter_rows()
        ):
            rows.append(AliasRow(alias, code, kind, source or ""))
    ambiguous = reference_dir / "ambiguous_places.csv"
    if ambiguous.exists():
        for name, codes in _read(ambiguous).select("naam", "gemeente_codes").iter_rows():
            for code in (codes or "").split(";"):
                if code.strip():
                    rows.append(AliasRow(name, code.strip(), "ambigu", "naam in meer gemeenten"))
    return rows


class PlaceResolver:
    """Resolve location texts to gemeenten with a fixed, explainable set of rules.

    Parameters
    ----------
    aliases
        (alias, gemeente_code) pairs; a name with several codes is ambiguous.
    gemeente_names
        Code → name of every gemeente of the reference year.
    gemeente_province
        Code → provincie code, used for hints like "Bergen (NH)" or "Zwolle, OV, NL".
    postcodes
        PC4 → gemeente code of the gemeente holding most of its addresses.

    Examples
    --------
    >>> r = PlaceResolver.from_reference(Path("data/reference"))
    >>> r.resolve("Den Bosch").gemeente_naam
    "'s-Hertogenbosch"
    >>> r.resolve("Thuiswerken").gemeente_code is None
    True
    """

    def __init__(
        self,
        aliases: Iterable[tuple[str, str]],
        gemeente_names: dict[str, str],
        gemeente_province: dict[str, str],
        postcodes: dict[str, str],
    ) -> None:
        index: dict[str, set[str]] = defaultdict(set)
        for alias, code in aliases:
            key = normalise_place(alias)
            if key and code in gemeente_names:
                index[key].add(code)
        self._index = dict(index)
        self._names = gemeente_names
        self._province = gemeente_province
        self._postcodes = postcodes

    @classmethod
    def from_reference(cls, reference_dir: Path) -> PlaceResolver:
        gemeenten = _read(reference_dir / "gemeenten_2025.csv")
        postcodes = _read(reference_dir / "pc4_gemeente_2025.csv")
        return cls(
            ((row.alias, row.gemeente_code) for row in alias_rows(reference_dir)),
            dict(gemeenten.select("gemeente_code", "gemeente_naam").iter_rows()),
            dict(gemeenten.select("gemeente_code", "provincie_code").iter_rows()),
            dict(postcodes.select("pc4", "gemeente_code").iter_rows()),
        )

    def _found(self, text: str, code: str, method: str) -> Resolution:
        return Resolution(text, code, self._names[code], method)

    @staticmethod
    def _unresolved(text: str, method: str) -> Resolution:
        return Resolution(text, None, None, method)

    def _lookup(self, key: str, province: str | None) -> tuple[str | None, bool]:
        """(code, ambiguous) for a normalised name, narrowed by a province hint."""
        codes = self._index.get(key)
        if not codes:
            return None, False
        if province:
            codes = {c for c in codes if self._province.get(c) == province} or codes
        if len(codes) == 1:
            return next(iter(codes)), False
        return None, True

    def _split_hints(self, text: str) -> tuple[str, str | None]:
        """Strip trailing ", OV, NL" / "(NH)" hints; return the place part and a province."""
        province: str | None = None
        parts = [p.strip() for p in re.split(r"[,|]", text) if p.strip()]
        head = parts[0] if parts else ""
        for part in parts[1:]:
            key = normalise_place(part)
            if key in _COUNTRY_FORMS:
                continue
            if key in _PROVINCE_BY_FORM:
                province = _PROVINCE_BY_FORM[key]
        bracket = re.search(r"\(([^)]+)\)\s*$", head)
        if bracket and normalise_place(bracket.group(1)) in _PROVINCE_BY_FORM:
            province = _PROVINCE_BY_FORM[normalise_place(bracket.group(1))]
        return head, province

    def _lookup_head(self, head: str, province: str | None) -> tuple[str | None, bool]:
        """Look the place part up as written, then without a trailing province ("Bergen NH")."""
        key = normalise_place(head)
        code, ambiguous = self._lookup(key, province)
        if code or ambiguous:
            return code, ambiguous
        words = key.split(" ")
        if len(words) > 1 and words[-1] in _PROVINCE_BY_FORM and len(words[-1]) <= 3:
            return self._lookup(" ".join(words[:-1]), province or _PROVINCE_BY_FORM[words[-1]])
        return None, False

    def resolve(self, text: str | None) -> Resolution:
        raw = "" if text is None else str(text)
        key = normalise_place(raw)
        if not key:
            return self._unresolved(raw, "leeg")
        if key in NOT_A_PLACE:
            return self._unresolved(raw, "geen_plaats")

        postcode = _POSTCODE.search(raw)
        if postcode and postcode.group(1) in self._postcodes:
            return self._found(raw, self._postcodes[postcode.group(1)], "postcode")

        code, ambiguous = self._lookup(key, None)
        if code:
            return self._found(raw, code, "naam")
        if ambiguous:
            return self._unresolved(raw, "meerdere_gemeenten")

        head, province = self._split_hints(raw)
        head_key = normalise_place(head)
        if head_key != key or province:
            code, ambiguous = self._lookup_head(head, province)
            if code:
                return self._found(raw, code, "naam_met_toevoeging")
            if ambiguous:
                return self._unresolved(raw, "meerdere_gemeenten")
        if head_key in _PROVINCE_BY_FORM and head_key not in _CITY_PROVINCES:
            return self._unresolved(raw, "alleen_provincie")

        vicinity = _VICINITY.match(head_key)
        if vicinity:
            place = (vicinity.group("a") or vicinity.group("b") or "").strip()
            code, ambiguous = self._lookup(place, province)
            if code:
                return self._found(raw, code, "omgeving")
            return self._unresolved(raw, "meerdere_gemeenten" if ambiguous else "regio")

        words = head_key.split(" ")
        for cut in range(len(words) - 1, 0, -1):
            rest = " ".join(words[cut:])
            if rest not in DISTRICT_WORDS:
                continue
            code, ambiguous = self._lookup(" ".join(words[:cut]), province)
            if code:
                return self._found(raw, code, "stadsdeel")
        if postcode:
            return self._unresolved(raw, "onbekende_postcode")
        return self._unresolved(raw, "onbekend")
