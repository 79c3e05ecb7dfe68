"""Why a file or a row was not loaded: stable machine codes with Dutch messages for the UI.

A quarantined row stores its reason as ``"<code>: <message>"`` in ``QuarantinedRow.reason``
(the store has one text column for it); :func:`split_reason` gives the two parts back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Row-level reasons. The code is what programs rely on; the message is what the data steward
# reads. Keep the codes stable: the admin pages and saved reports filter on them.
ROW_REASONS: dict[str, str] = {
    "missing_required": "Verplicht veld is leeg",
    "bad_date": "Datum is niet te lezen",
    "ambiguous_date": (
        "Datum is dubbelzinnig: dag en maand kunnen allebei (de kolom geeft geen uitsluitsel)"
    ),
    "date_out_of_range": "Datum ligt buiten de verwachte periode (1990 tot volgend jaar)",
    "too_long": "Waarde is te lang",
    "wrong_field_count": (
        "Rij heeft een ander aantal velden dan de kopregel (scheidingsteken of aanhalingsteken "
        "in een veld?)"
    ),
    "bad_json": "Regel is geen geldig JSON-object",
    "repeated_header": "Rij is een herhaalde kopregel",
    "duplicate_id": "Dit id komt eerder in het bestand voor",
    "already_loaded": "Deze vacature (bron en id) is al eerder geladen",
}

# File-level causes: the file is refused whole and nothing is written.
FILE_REASONS: dict[str, str] = {
    "not_found": "Bestand bestaat niet",
    "empty": "Bestand is leeg",
    "no_rows": "Bestand bevat alleen een kopregel en geen vacatures",
    "not_a_table": "Bestand is geen tabel",
    "missing_column": "Verplichte kolom ontbreekt",
    "duplicate_column": "Kolom komt meer dan eens voor in de kopregel",
    "unknown_format": "Onbekend bestandsformaat",
    "zip_members": "Zip-bestand bevat niet precies één gegevensbestand",
    "bad_mapping": "Mappingbestand is ongeldig",
    "unreadable": "Bestand is niet te lezen",
    "sheet_not_found": "Werkblad bestaat niet",
}

_REASON = re.compile(r"^(?P<code>[a-z_]+): (?P<message>.*)$", re.S)


def row_reason(code: str, detail: str | None = None) -> str:
    """The text stored in ``QuarantinedRow.reason`` for ``code``."""
    message = ROW_REASONS[code]
    return f"{code}: {message}" + (f" ({detail})" if detail else "")


def split_reason(reason: str) -> tuple[str, str]:
    """``(code, message)`` of a stored reason.

    >>> split_reason("bad_date: Datum is niet te lezen")
    ('bad_date', 'Datum is niet te lezen')
    """
    match = _REASON.match(reason)
    if not match:
        return "unknown", reason
    return match.group("code"), match.group("message")


@dataclass(frozen=True)
class ReasonCount:
    """How many rows of a batch were quarantined for one reason on one field."""

    code: str
    field: str | None
    message: str
    count: int

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "field": self.field,
            "message": self.message,
            "count": self.count,
        }


class IngestError(Exception):
    """A file that cannot be loaded at all. Nothing of it is written.

    ``str(error)`` names the file and the cause in Dutch; ``code`` is stable for programs.
    """

    def __init__(self, file_name: str, code: str, detail: str | None = None) -> None:
        self.file_name = file_name
        self.code = code
        self.detail = detail
        message = FILE_REASONS.get(code, code)
        self.message = f"{message}: {detail}" if detail else message
        super().__init__(f"{file_name}: {self.message}")

    def as_dict(self) -> dict[str, str]:
        return {"file": self.file_name, "code": self.code, "message": self.message}
