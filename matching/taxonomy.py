"""The skill taxonomy: the reference seed, user additions, validation and ESCO import.

The taxonomy is a table with the columns of ``data/reference/skills.csv``::

    skill_id, label_nl, label_en, type, aliases_nl, aliases_en, esco_uri, sectors

with ``|``-separated aliases. Users extend it with a second file of the same columns (the
setting ``skills_user_file``, by default ``<reference_dir>/skills_user.csv``).
A user row with a new ``skill_id`` adds a skill; a user row with an existing ``skill_id``
overrides the non-empty fields of the reference row (that is how an ESCO import fills in the
``esco_uri`` of a seed skill without copying the rest of the row).

Two forms are "the same" when they fold to the same key: :func:`fold` lowercases and strips
diacritics one character at a time, so a folded text has exactly the length of the original
(the extractor relies on that to report offsets into the original text).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from data.settings import REFERENCE_DIR, Settings, get_settings

SKILL_TYPES = ("software", "certificate", "language", "vocational", "knowledge", "transversal")
COLUMNS = (
    "skill_id",
    "label_nl",
    "label_en",
    "type",
    "aliases_nl",
    "aliases_en",
    "esco_uri",
    "sectors",
)
REFERENCE_FILE = "skills.csv"
USER_FILE = "skills_user.csv"
ALIAS_SEPARATOR = "|"
SKILL_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# --- Folding ---------------------------------------------------------------------------------

# Non-ASCII characters that are not in the table below fold to this one (a control character
# that no pattern contains and that never counts as part of a word).
PLACEHOLDER = "\x1a"

_EXTRA_FOLDS = {
    "ß": "s",
    "ẞ": "s",
    "ø": "o",
    "Ø": "o",
    "æ": "a",
    "Æ": "a",
    "œ": "o",
    "Œ": "o",
    "đ": "d",
    "Đ": "d",
    "ð": "d",
    "Ð": "d",
    "ł": "l",
    "Ł": "l",
    "ı": "i",
    "þ": "t",
    "Þ": "t",
    "ħ": "h",
    "ŧ": "t",
    "\u00ad": "-",  # soft hyphen
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2022": "*",
    "\u2023": "*",
    "\u2043": "*",
    "\u25cf": "*",
    "\u25aa": "*",
    "\u25e6": "*",
    "\u00b7": "*",
    "\u2026": ".",
    "\u200b": " ",
    "\u200c": " ",
    "\u200d": " ",
    "\u2060": " ",
    "\ufeff": " ",
    "\u0085": "\n",
    "\u2028": "\n",
    "\u2029": "\n",
}


def _build_fold_map() -> dict[str, str]:
    table: dict[str, str] = {}
    ranges = (range(0x80, 0x250), range(0x1E00, 0x1F00), range(0x2000, 0x2070), (0x3000,))
    for block in ranges:
        for code in block:
            char = chr(code)
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            if len(base) == 1 and base.isascii():
                table[char] = base.lower()
    table.update({k: v.lower() for k, v in _EXTRA_FOLDS.items()})
    return table


FOLD_MAP: dict[str, str] = _build_fold_map()
"""One ASCII character for each non-ASCII character that has an obvious one (é → e, – → -)."""


class _FoldTable(dict[int, str]):
    """``str.translate`` table: the fold map, ASCII lowercased, anything else the placeholder."""

    def __missing__(self, code: int) -> str:
        value = chr(code).lower() if code < 128 else PLACEHOLDER
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable({ord(k): v for k, v in FOLD_MAP.items()})


def fold(text: str) -> str:
    """Lowercase, strip diacritics and map typographic punctuation to ASCII, one character for
    one character: ``len(fold(text)) == len(text)`` and the result is pure ASCII.

    >>> fold("Café in Zürich – Ærø")
    'cafe in zurich - aro'
    """
    return text.translate(_FOLD_TABLE)


def in_parallel(texts: pl.Series, expression: pl.Expr) -> pl.Series:
    """Evaluate a string expression over ``texts`` cut in one chunk per Polars thread, so that
    Polars runs the chunks at once (a single-chunk Series is processed by one thread)."""
    n = len(texts)
    parts = min(pl.thread_pool_size(), max(1, n // 1_000))
    if parts > 1:
        size = -(-n // parts)
        texts = pl.concat([texts.slice(i, size) for i in range(0, n, size)], rechunk=False)
    return texts.rename("s").to_frame().select(expression.alias("s")).to_series()


def fold_series(texts: pl.Series) -> pl.Series:
    """:func:`fold` for a whole column, with Polars expressions (no Python loop over rows).

    Only the rows that hold non-ASCII characters go through the replacement passes.
    """
    texts = texts.cast(pl.String).fill_null("")
    non_ascii = texts.str.len_bytes() != texts.str.len_chars()
    if non_ascii.any():
        index = non_ascii.arg_true()
        replace = pl.col("s").str.replace_many(list(FOLD_MAP), list(FOLD_MAP.values()))
        part = in_parallel(texts.gather(index), replace)
        if (part.str.len_bytes() != part.str.len_chars()).any():
            part = part.str.replace_all(r"[^\x00-\x7F]", PLACEHOLDER)
        texts = texts.scatter(index, part)
    return in_parallel(texts, pl.col("s").str.to_lowercase())


def fold_key(text: str) -> str:
    """The comparison key of a label or alias: folded, whitespace collapsed."""
    return " ".join(fold(text).split())


# --- Reading, merging, validating --------------------------------------------------------------


class TaxonomyError(ValueError):
    """The taxonomy has problems; ``problems`` lists them, one sentence each."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = "\n  ".join(self.problems[:20])
        more = f"\n  … and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"{len(self.problems)} taxonomy problem(s):\n  {shown}{more}")


def empty_taxonomy() -> pl.DataFrame:
    return pl.DataFrame(schema=dict.fromkeys(COLUMNS, pl.String))


def read_taxonomy_csv(path: Path | str) -> pl.DataFrame:
    """One taxonomy file, every column as text (missing optional columns become empty)."""
    frame = pl.read_csv(path, infer_schema=False)
    missing = [c for c in ("skill_id",) if c not in frame.columns]
    if missing:
        raise TaxonomyError([f"{path}: no column {', '.join(missing)}"])
    return frame.with_columns(
        [pl.lit(None, pl.String).alias(c) for c in COLUMNS if c not in frame.columns]
    ).select([pl.col(c).str.strip_chars().replace("", None).alias(c) for c in COLUMNS])


def default_user_path(
    reference_dir: Path | str | None = None, settings: Settings | None = None
) -> Path:
    """The setting ``skills_user_file`` when set, else ``<reference_dir>/skills_user.csv``."""
    configured = (settings or get_settings()).skills_user_file.strip()
    if configured:
        return Path(configured)
    return Path(reference_dir or REFERENCE_DIR) / USER_FILE


def merge_taxonomy(reference: pl.DataFrame, user: pl.DataFrame | None) -> pl.DataFrame:
    """The reference rows overridden and extended by the user rows, with an ``is_user_defined``
    column (true for skills that exist only in the user file)."""
    reference = reference.select(COLUMNS)
    if user is None or user.is_empty():
        return reference.with_columns(is_user_defined=pl.lit(False))
    user = user.select(COLUMNS).unique("skill_id", keep="last", maintain_order=True)
    overrides = user.join(reference.select("skill_id"), on="skill_id", how="semi")
    merged = reference.join(overrides, on="skill_id", how="left", suffix="_user").select(
        "skill_id",
        *[pl.coalesce(f"{c}_user", c).alias(c) for c in COLUMNS[1:]],
    )
    added = user.join(reference.select("skill_id"), on="skill_id", how="anti")
    return pl.concat(
        [
            merged.with_columns(is_user_defined=pl.lit(False)),
            added.with_columns(is_user_defined=pl.lit(True)),
        ]
    )


def split_aliases(value: str | None) -> list[str]:
    return [a.strip() for a in (value or "").split(ALIAS_SEPARATOR) if a.strip()]


def skill_forms(row: Mapping[str, Any]) -> list[str]:
    """Labels and aliases of one taxonomy row, in order, without duplicates."""
    forms = [row.get("label_nl"), row.get("label_en")]
    forms += split_aliases(row.get("aliases_nl")) + split_aliases(row.get("aliases_en"))
    seen: set[str] = set()
    result = []
    for form in forms:
        if form and form.strip() and form.strip() not in seen:
            seen.add(form.strip())
            result.append(form.strip())
    return result


# A language skill with a CEFR level in its id ("engels-b2") is asked for only where the level
# is stated; these words say "well" or "some" and state no level ("goed Engels" is Engels).
_CEFR_ID = re.compile(r"-(?:a1|a2|b1|b2|c1|c2)$")
_VAGUE_LEVEL = re.compile(
    r"^(?:goed|goede|redelijk|redelijke|basis|basiskennis|good|reasonable|basic|some)\b"
)


def _form_problems(skill_id: str, row: Mapping[str, Any], forms: Sequence[str]) -> list[str]:
    """Problems with the forms of one skill that the key check cannot see: benefits that are
    no skill, a requirement cue glued to another form of the same skill, a level a form does
    not state."""
    from matching import sections

    offered = {fold_key(p) for p in (*sections.OFFER_CUES, *sections.NOT_SKILLS)}
    lead_cues = ("kennis van", "knowledge of", "ervaring met", "experience with")
    keys = {fold_key(f) for f in forms}
    problems = []
    for form in forms:
        key = fold_key(form)
        if key in offered:
            problems.append(
                f"{skill_id}: form {form!r} is something an employer offers, not a skill"
            )
        cue = next((c for c in lead_cues if key.startswith(c + " ")), None)
        if cue is not None and key[len(cue) + 1 :] in keys:
            problems.append(
                f"{skill_id}: form {form!r} is {cue!r} before another form of the skill; "
                f"drop it (the extractor reads {cue!r} as a cue of its own)"
            )
        if row.get("type") == "language" and _CEFR_ID.search(skill_id) and _VAGUE_LEVEL.match(key):
            problems.append(
                f"{skill_id}: form {form!r} states no language level; it belongs to the skill "
                "without a level"
            )
    return problems


def validate_taxonomy(frame: pl.DataFrame) -> list[str]:
    """Problems in a (merged) taxonomy: duplicate or malformed ids, missing labels, unknown
    types, forms (labels or aliases) that fold to the same key in two different skills, and
    forms that are no evidence of the skill (a benefit such as "opleidingsbudget", "kennis van"
    before another form of the skill, a vague "goed Engels" on a skill with a CEFR level)."""
    problems: list[str] = []
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        return [f"missing column(s): {', '.join(missing)}"]
    for skill_id in frame.filter(pl.col("skill_id").is_duplicated())["skill_id"].unique().sort():
        problems.append(f"skill_id {skill_id!r} occurs more than once")
    owner: dict[str, str] = {}
    for row in frame.iter_rows(named=True):
        skill_id = row["skill_id"]
        if not skill_id or not SKILL_ID_RE.match(skill_id):
            problems.append(f"skill_id {skill_id!r}: use lowercase letters, digits and hyphens")
            continue
        if not row["label_nl"]:
            problems.append(f"{skill_id}: no label_nl")
        if row["type"] not in SKILL_TYPES:
            problems.append(
                f"{skill_id}: type {row['type']!r} is not one of {', '.join(SKILL_TYPES)}"
            )
        forms = skill_forms(row)
        problems += _form_problems(skill_id, row, forms)
        for form in forms:
            key = fold_key(form)
            if not key:
                continue
            other = owner.setdefault(key, skill_id)
            if other != skill_id:
                problems.append(f"{skill_id}: form {form!r} is also a form of {other}")
    return problems


def load_taxonomy(
    reference_dir: Path | str | None = None,
    user_path: Path | str | None = None,
    *,
    validate: bool = True,
) -> pl.DataFrame:
    """The reference taxonomy merged with the user file (when it exists).

    With ``validate`` (the default) a :class:`TaxonomyError` lists every problem found.
    """
    reference_dir = Path(reference_dir or REFERENCE_DIR)
    reference_path = reference_dir / REFERENCE_FILE
    reference = read_taxonomy_csv(reference_path) if reference_path.exists() else empty_taxonomy()
    user_file = Path(user_path) if user_path else default_user_path(reference_dir)
    user = read_taxonomy_csv(user_file) if user_file.exists() else None
    merged = merge_taxonomy(reference, user)
    if validate:
        problems = validate_taxonomy(merged)
        if problems:
            raise TaxonomyError(problems)
    return merged


# --- User file -------------------------------------------------------------------------------


def read_user_rows(path: Path | str) -> list[dict[str, str]]:
    path = Path(path)
    if not path.exists():
        return []
    frame = read_taxonomy_csv(path)
    return [{c: (row[c] or "") for c in COLUMNS} for row in frame.iter_rows(named=True)]


def merge_user_rows(
    existing: Iterable[Mapping[str, str]], new: Iterable[Mapping[str, str]]
) -> list[dict[str, str]]:
    """User rows with ``new`` applied: a new row for an id already present fills the fields the
    old row leaves empty (aliases are united); other rows are appended."""
    rows: dict[str, dict[str, str]] = {}
    for row in existing:
        rows[row["skill_id"]] = {c: row.get(c) or "" for c in COLUMNS}
    for row in new:
        current = rows.get(row["skill_id"])
        if current is None:
            rows[row["skill_id"]] = {c: row.get(c) or "" for c in COLUMNS}
            continue
        for column in COLUMNS[1:]:
            value = row.get(column) or ""
            if column.startswith("aliases_"):
                united = split_aliases(current[column]) + [
                    a for a in split_aliases(value) if a not in split_aliases(current[column])
                ]
                current[column] = ALIAS_SEPARATOR.join(united)
            elif not current[column]:
                current[column] = value
    return list(rows.values())


def write_user_rows(path: Path | str, rows: Iterable[Mapping[str, str]]) -> None:
    """Write the user taxonomy file (UTF-8 CSV with a header), replacing it atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c) or "" for c in COLUMNS})
    temporary.replace(path)


# --- ESCO --------------------------------------------------------------------------------------

ESCO_COLUMNS = ("conceptUri", "preferredLabel", "altLabels", "skillType")
ESCO_URI_PREFIX = "http://data.europa.eu/esco/skill/"

# A concept whose label or description says it is about a program or tool is typed software.
_TOOL_HINT = re.compile(
    r"\b(?:software|softwarepakket|programma(?:tuur)?|applicatie|app|computerprogramma|"
    r"ict-systeem|ict-systemen|tool|tools|besturingssysteem|programmeertaal|"
    r"programming language|framework|database(?:systeem)?|cad-software|spreadsheet|"
    r"tekstverwerk\w*)\b"
)
_CAMEL_CASE = re.compile(r"[a-z][A-Z]|^[A-Z]{2,}[a-z]")


def _language_names(taxonomy: pl.DataFrame) -> set[str]:
    names: set[str] = set()
    for row in taxonomy.filter(pl.col("type") == "language").iter_rows(named=True):
        names.update(fold_key(f) for f in (row["label_nl"], row["label_en"]) if f)
    return names


def esco_skill_type(
    skill_type: str | None,
    label: str,
    description: str = "",
    reuse_level: str = "",
    language_names: Iterable[str] = (),
) -> str:
    """Our type for an ESCO concept: ``knowledge`` → knowledge, ``skill/competence`` →
    vocational, transversal concepts → transversal, and software when it is clearly a tool
    (the label is a product name like "AutoCAD", or label or description names a program)."""
    key = fold_key(label)
    first = key.split(" ", 1)[0] if key else ""
    if key in set(language_names) or (first in set(language_names) and len(key.split()) <= 3):
        return "language"
    if _CAMEL_CASE.search(label) or _TOOL_HINT.search(fold(f"{label} {description[:200]}")):
        return "software"
    if (reuse_level or "").strip().lower() == "transversal":
        return "transversal"
    if (skill_type or "").strip().lower() == "knowledge":
        return "knowledge"
    return "vocational"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:80] or "skill"


def _clean_alias(alias: str) -> str:
    return " ".join(alias.replace(ALIAS_SEPARATOR, "/").split())


def read_esco_csv(csv_path: Path | str) -> pl.DataFrame:
    """ESCO's skills CSV download (any language), keeping the columns the import uses."""
    frame = pl.read_csv(csv_path, infer_schema=False)
    missing = [c for c in ESCO_COLUMNS if c not in frame.columns]
    if missing:
        raise TaxonomyError(
            [f"{csv_path}: not an ESCO skills file, no column(s) {', '.join(missing)}"]
        )
    optional = ("description", "reuseLevel", "status")
    return frame.with_columns(
        [pl.lit(None, pl.String).alias(c) for c in optional if c not in frame.columns]
    ).select(*ESCO_COLUMNS, *optional)


def import_esco(
    csv_path: Path | str,
    taxonomy: pl.DataFrame | None = None,
    *,
    match_only: bool = False,
) -> list[dict[str, str]]:
    """Rows for the user taxonomy file from ESCO's CSV download.

    A concept whose preferred label or one of its alternative labels folds to a form of an
    existing skill gives a row with that ``skill_id`` and only ``esco_uri`` filled (an
    override; a skill that already has a different URI is left alone). Every other concept
    becomes a new skill (unless ``match_only``): its id is a slug of the label, its type from
    :func:`esco_skill_type`, its aliases the alternative labels that no other skill uses yet.

    Parameters
    ----------
    csv_path
        The ESCO skills file (columns ``conceptUri, preferredLabel, altLabels, skillType, …``;
        ``altLabels`` holds one label per line).
    taxonomy
        The merged taxonomy to match against; by default :func:`load_taxonomy` without
        validation.
    match_only
        Only fill in URIs of existing skills; add no new skills.
    """
    taxonomy = load_taxonomy(validate=False) if taxonomy is None else taxonomy
    esco = read_esco_csv(csv_path)
    owner: dict[str, str] = {}
    has_uri: dict[str, str] = {}
    for row in taxonomy.iter_rows(named=True):
        for form in skill_forms(row):
            owner.setdefault(fold_key(form), row["skill_id"])
        if row.get("esco_uri"):
            has_uri[row["skill_id"]] = row["esco_uri"]
    uri_owner = {uri: skill for skill, uri in has_uri.items()}
    ids = set(taxonomy["skill_id"].to_list())
    languages = _language_names(taxonomy)
    rows: list[dict[str, str]] = []
    filled: set[str] = set()
    new_ids: set[str] = set()
    for concept in esco.iter_rows(named=True):
        uri = (concept["conceptUri"] or "").strip()
        label = " ".join((concept["preferredLabel"] or "").split())
        if not uri or not label or (concept["status"] or "released").strip() != "released":
            continue
        alt_labels = [
            _clean_alias(a) for a in (concept["altLabels"] or "").splitlines() if a.strip()
        ]
        if uri in uri_owner:
            continue  # already linked
        match = owner.get(fold_key(label)) or next(
            (owner[fold_key(a)] for a in alt_labels if fold_key(a) in owner), None
        )
        if match is not None:
            if match in new_ids:
                continue  # a second concept with the label of one added above
            if match not in has_uri and match not in filled:
                rows.append({**dict.fromkeys(COLUMNS, ""), "skill_id": match, "esco_uri": uri})
                filled.add(match)
            continue
        if match_only:
            continue
        skill_id = slugify(label)
        if skill_id in ids:
            skill_id = f"{skill_id}-esco-{uri.rsplit('/', 1)[-1][:8]}"
        ids.add(skill_id)
        new_ids.add(skill_id)
        aliases = []
        for alias in alt_labels:
            key = fold_key(alias)
            if key and key not in owner and key != fold_key(label):
                aliases.append(alias)
                owner[key] = skill_id
        owner[fold_key(label)] = skill_id
        rows.append(
            {
                "skill_id": skill_id,
                "label_nl": _clean_alias(label),
                "label_en": "",
                "type": esco_skill_type(
                    concept["skillType"],
                    label,
                    concept["description"] or "",
                    concept["reuseLevel"] or "",
                    languages,
                ),
                "aliases_nl": ALIAS_SEPARATOR.join(aliases),
                "aliases_en": "",
                "esco_uri": uri,
                "sectors": "",
            }
        )
    return rows


# --- Store -------------------------------------------------------------------------------------


def load_into_store(session: Any, taxonomy: pl.DataFrame) -> int:
    """Insert or update every skill of ``taxonomy`` in the store's ``skills`` table (the same
    columns as ``data.loaders._load_skills``, plus ``is_user_defined``). Returns the count."""
    from sqlalchemy import select

    from data.store.models import Skill

    existing = {key: sid for sid, key in session.execute(select(Skill.id, Skill.key))}
    user_defined = "is_user_defined" in taxonomy.columns
    count = 0
    for row in taxonomy.iter_rows(named=True):
        values = {
            "label_nl": row["label_nl"],
            "label_en": row.get("label_en"),
            "type": row["type"],
            "aliases": split_aliases(row.get("aliases_nl")) + split_aliases(row.get("aliases_en")),
            "esco_uri": row.get("esco_uri") or None,
            "is_user_defined": bool(row["is_user_defined"]) if user_defined else False,
        }
        if row["skill_id"] in existing:
            skill = session.get(Skill, existing[row["skill_id"]])
            for key, value in values.items():
                setattr(skill, key, value)
        else:
            session.add(Skill(key=row["skill_id"], **values))
        count += 1
    session.flush()
    return count
