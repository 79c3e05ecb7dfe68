"""Ingestion: load vacancy exports (CSV, XLSX, JSON Lines, Parquet; plain, gzip or zip) into
the store, with validation, quarantine, normalisation and duplicate clusters.

``ingest_file`` is the one entry point, used by ``regiokompas ingest`` and the upload page.
The names below are imported on first use, so that the command line starts without loading
Polars and numpy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from data.ingest.dedup import DedupParams
    from data.ingest.pipeline import BatchReport, ingest_file
    from data.ingest.reasons import IngestError, ReasonCount, split_reason
    from data.ingest.schemas import NATIVE_COLUMNS, REQUIRED, Mapping

_EXPORTS = {
    "DedupParams": "data.ingest.dedup",
    "BatchReport": "data.ingest.pipeline",
    "ingest_file": "data.ingest.pipeline",
    "IngestError": "data.ingest.reasons",
    "ReasonCount": "data.ingest.reasons",
    "split_reason": "data.ingest.reasons",
    "NATIVE_COLUMNS": "data.ingest.schemas",
    "REQUIRED": "data.ingest.schemas",
    "Mapping": "data.ingest.schemas",
}

__all__ = [
    "NATIVE_COLUMNS",
    "REQUIRED",
    "BatchReport",
    "DedupParams",
    "IngestError",
    "Mapping",
    "ReasonCount",
    "ingest_file",
    "split_reason",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'data.ingest' has no attribute {name!r}")
