"""Hypothesis: messy rows never make an exception escape, and accepted + rejected = read."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.ingest import IngestError, ingest_file
from data.store import init_db

COLUMNS = ["id", "title", "employer", "location", "posted_at", "hours", "education_level", "text"]
messy_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)
cell = st.one_of(
    messy_text,
    st.sampled_from(
        [
            "",
            "2025-03-04",
            "03/04/2025",
            "31-02-2025",
            "3 mrt 2025",
            '=HYPERLINK("x")',
            "<script>x</script>",
            "&#0;&#xD800;&bogus;",
            "MBO 3",
            "32-40 uur",
            "Zwolle e.o.",
            '"',
            "\r\n",
            "9999-99-99",
            "id",
        ]
    ),
)
row = st.lists(cell, min_size=len(COLUMNS) - 2, max_size=len(COLUMNS) + 2)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    rows=st.lists(row, min_size=1, max_size=12),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_messy_rows_are_accepted_or_quarantined(
    rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding, errors="replace")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'store.db'}"
        init_db(url)
        path = Path(tmp) / "messy.csv"
        path.write_bytes(data)
        try:
            report = ingest_file(url, path)
        except IngestError as error:
            assert error.code in {"no_rows", "empty", "missing_column", "duplicate_column"}
            return
        assert report.accepted + report.rejected == report.read
        assert report.read >= 1
        assert sum(reason.count for reason in report.reasons) == report.rejected
