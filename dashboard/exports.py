"""Tables out of the app: CSV and XLSX that spreadsheet programs cannot turn into formulas."""

from __future__ import annotations

import io

import polars as pl


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix a quote to text cells a spreadsheet would read as a formula (OWASP CSV injection).

    >>> neutralise(pl.DataFrame({"a": ["=HYPERLINK(1)", "ok", "-3"]}))["a"].to_list()
    ["'=HYPERLINK(1)", 'ok', "'-3"]
    """
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(r"^[=+\-@\t\r]"))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text_columns
    )


def to_csv(frame: pl.DataFrame) -> bytes:
    # A BOM so that Excel opens UTF-8 (ë, €) correctly; semicolons as Dutch Excel expects.
    return b"\xef\xbb\xbf" + neutralise(frame).write_csv(separator=";").encode("utf-8")


def to_xlsx(frame: pl.DataFrame, sheet: str = "Regiokompas") -> bytes:
    buffer = io.BytesIO()
    neutralise(frame).write_excel(buffer, worksheet=sheet[:31], autofit=True)
    return buffer.getvalue()
