"""Which column of an export holds which vacancy field.

Three ways in: the native schema (the columns documented in the README), the built-in preset
for Textkernel Jobfeed exports (recognised from its header), and a mapping file (TOML or YAML)
for any other export. All three end as a :class:`FieldMap`: Regiokompas field → file column.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data.ingest.reasons import IngestError

# The native schema, in the order the README documents it.
NATIVE_COLUMNS = (
    "id",
    "title",
    "employer",
    "location",
    "posted_at",
    "closing_at",
    "education_level",
    "hours",
    "contract_type",
    "text",
    "url",
)
# Optional extra native columns: a postcode next to the location, an SBI code or section, and
# whether an intermediary posted the vacancy (yes/no, ja/nee, true/false, 1/0).
NATIVE_OPTIONAL = ("postcode", "sector", "via_intermediary")
REQUIRED = ("id", "title", "posted_at")

# Every field the pipeline understands. ``section_*`` are the parts of a text that some
# exports deliver separately; they are kept in Vacancy.sections.
SECTION_FIELDS = {
    "section_job": "job",
    "section_employer": "employer",
    "section_candidate": "candidate",
    "section_conditions": "conditions",
    "section_application": "application",
}
FIELDS = (
    *NATIVE_COLUMNS,
    *NATIVE_OPTIONAL,
    "hours_min",
    "hours_max",
    *SECTION_FIELDS,
)
DATE_FIELDS = ("posted_at", "closing_at")

# Textkernel Jobfeed export (see shared/reference/jobfeed_fields.md).
JOBFEED_COLUMNS = {
    "id": "id",
    "title": "title",
    "organization_name": "employer",
    "job_location": "location",
    "job_location_id": "postcode",
    "date_found": "posted_at",
    "expired_at": "closing_at",
    "education_level": "education_level",
    "employment_type": "hours",
    "hours_per_week_min": "hours_min",
    "hours_per_week_max": "hours_max",
    "contract_type": "contract_type",
    "sic": "sector",
    "via_intermediary": "via_intermediary",
    "source_url": "url",
    "fulltxt": "text",
    "job_descr": "section_job",
    "employer_descr": "section_employer",
    "candidate_descr": "section_candidate",
    "conditions_descr": "section_conditions",
    "application_descr": "section_application",
}
_JOBFEED_MARKERS = {"date_found", "organization_name", "job_location", "fulltxt", "job_descr"}


def _key(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().lower()


@dataclass(frozen=True)
class Mapping:
    """A mapping file: column renames, date formats, a constant source name and read options.

    Example (TOML)::

        source = "Werkzoeken.nl"
        sheet = "Vacatures"          # XLSX only
        delimiter = ";"              # CSV only; detected when absent
        encoding = "cp1252"          # CSV only; detected when absent

        [columns]                    # column in the file = Regiokompas field
        "Vacaturenummer" = "id"
        "Functie" = "title"
        "Datum geplaatst" = "posted_at"

        [date_formats]               # strftime formats; detected when absent
        posted_at = "%d/%m/%Y"
    """

    columns: dict[str, str] = field(default_factory=dict)
    date_formats: dict[str, str] = field(default_factory=dict)
    source: str | None = None
    sheet: str | None = None
    delimiter: str | None = None
    encoding: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any], name: str = "mapping") -> Mapping:
        known = {"columns", "date_formats", "source", "sheet", "delimiter", "encoding"}
        unknown = set(data) - known
        if unknown:
            raise IngestError(name, "bad_mapping", f"onbekende sleutel(s) {sorted(unknown)}")
        columns = {str(k): str(v) for k, v in (data.get("columns") or {}).items()}
        bad = sorted(v for v in columns.values() if v not in FIELDS)
        if bad:
            raise IngestError(
                name, "bad_mapping", f"onbekend(e) veld(en) {bad}; kies uit {', '.join(FIELDS)}"
            )
        dates = {str(k): str(v) for k, v in (data.get("date_formats") or {}).items()}
        bad = sorted(k for k in dates if k not in DATE_FIELDS)
        if bad:
            raise IngestError(name, "bad_mapping", f"date_formats kent alleen {DATE_FIELDS}")
        delimiter = data.get("delimiter")
        if delimiter is not None and len(str(delimiter)) != 1:
            raise IngestError(name, "bad_mapping", "delimiter moet één teken zijn")
        return cls(
            columns=columns,
            date_formats=dates,
            source=data.get("source"),
            sheet=data.get("sheet"),
            delimiter=delimiter,
            encoding=data.get("encoding"),
        )

    @classmethod
    def load(cls, path: Path) -> Mapping:
        """Read a mapping from a ``.toml``, ``.yaml`` or ``.yml`` file."""
        try:
            text = path.read_text(encoding="utf-8")
            if path.suffix.lower() in {".yaml", ".yml"}:
                import yaml

                data = yaml.safe_load(text) or {}
            else:
                data = tomllib.loads(text)
        except (OSError, ValueError) as error:  # yaml.YAMLError and TOMLDecodeError are both
            raise IngestError(path.name, "bad_mapping", str(error)) from error
        except Exception as error:  # noqa: BLE001 - yaml raises its own error classes
            raise IngestError(path.name, "bad_mapping", str(error)) from error
        if not isinstance(data, dict):
            raise IngestError(path.name, "bad_mapping", "verwacht een tabel met sleutels")
        return cls.from_dict(data, path.name)


@dataclass(frozen=True)
class FieldMap:
    """Regiokompas field → column name in the file, and which schema was recognised."""

    schema: str  # "native", "jobfeed" or "mapping"
    columns: dict[str, str]
    date_formats: dict[str, str] = field(default_factory=dict)
    default_source: str | None = None


def resolve_fields(file_name: str, header: list[str], mapping: Mapping | None) -> FieldMap:
    """Match a file's header to the fields; raise when a required column is missing.

    Column names match case-insensitively and ignoring surrounding spaces. A column that a
    field needs may appear only once in the header.
    """
    by_key: dict[str, list[str]] = {}
    for name in header:
        by_key.setdefault(_key(name), []).append(name)

    if mapping is not None and mapping.columns:
        schema = "mapping"
        wanted = {_key(column): target for column, target in mapping.columns.items()}
        # Columns the mapping does not mention still count when they carry a native name.
        for name in NATIVE_COLUMNS + NATIVE_OPTIONAL:
            if name not in wanted.values() and name in by_key:
                wanted.setdefault(name, name)
        default_source = mapping.source
    elif _JOBFEED_MARKERS & set(by_key) and "date_found" in by_key:
        schema = "jobfeed"
        wanted = dict(JOBFEED_COLUMNS)
        default_source = "jobfeed"
    else:
        schema = "native"
        wanted = {name: name for name in NATIVE_COLUMNS + NATIVE_OPTIONAL}
        default_source = None
    if mapping is not None and mapping.source:
        default_source = mapping.source

    columns: dict[str, str] = {}
    for key, target in wanted.items():
        found = by_key.get(key)
        if not found:
            continue
        if len(found) > 1:
            raise IngestError(file_name, "duplicate_column", f"'{found[0]}' ({target})")
        if target in columns:
            raise IngestError(
                file_name, "duplicate_column", f"veld {target} staat in '{columns[target]}' "
            )
        columns[target] = found[0]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        expected = {target: column for column, target in wanted.items()}
        names = ", ".join(f"'{expected.get(m, m)}'" for m in missing)
        shown = ", ".join(header[:12]) + (" …" if len(header) > 12 else "")
        raise IngestError(
            file_name, "missing_column", f"{names} (schema {schema}; kolommen: {shown})"
        )
    return FieldMap(
        schema=schema,
        columns=columns,
        date_formats=dict(mapping.date_formats) if mapping else {},
        default_source=default_source,
    )
