"""Read vacancy exports as batches of text columns, in bounded memory.

Files may be gzip- or zip-compressed. CSV comes in any delimiter and encoding (UTF-8 with or
without BOM, UTF-16 with BOM, Windows-1252, Latin-1), with quoted multi-line fields; XLSX (first
or named sheet, through fastexcel); JSON Lines; Parquet. Every batch has all columns as
``pl.String`` plus ``_row``, the row number a data steward sees (see :data:`ROW_NUMBERING`).

CSV and JSON Lines are read by Polars' strict, lazy, multi-threaded scanners. When a file breaks
their rules (a stray quote, a row with too many fields, a line that is not JSON), the file is
read again by a tolerant Python reader that flags the broken rows instead of refusing the whole
file; only broken files pay for it.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from data.ingest.reasons import IngestError

FORMATS = ("csv", "xlsx", "jsonl", "parquet")
ROW = "_row"
# Number of fields the tolerant CSV reader found in a record (-1: a JSON line that is not an
# object); absent when the strict reader read the file, because then every record was whole.
FIELD_COUNT = "_fields"
ROW_NUMBERING = {
    "csv": "rij 1 is de kopregel, de eerste gegevensrij is rij 2 (zoals in een spreadsheet)",
    "xlsx": "rijnummer in het werkblad: rij 1 is de kopregel, de eerste gegevensrij is rij 2",
    "jsonl": "regelnummer: de eerste regel is 1",
    "parquet": "recordnummer: het eerste record is 1",
}
_CHUNK = 1 << 22
_SUFFIXES = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_DELIMITERS = (",", ";", "\t", "|")
_JSON_KEY_LINES = 1_000


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _format_from_name(name: str) -> str | None:
    lowered = name.lower()
    for suffix in (".gz", ".gzip", ".zip"):
        lowered = lowered.removesuffix(suffix)
    return _SUFFIXES.get(Path(lowered).suffix)


def _sniff_format(head: bytes) -> str | None:
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return "jsonl"
    return None


def _is_xlsx_zip(archive: zipfile.ZipFile) -> bool:
    names = set(archive.namelist())
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def decompress(path: Path, workdir: Path) -> tuple[Path, str | None, str]:
    """``(plain file, compression, inner name)``; gzip and zip are unpacked into ``workdir``
    by streaming, so a large archive never sits in memory."""
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic[:2] == b"\x1f\x8b":
        inner = path.name
        for suffix in (".gz", ".gzip"):
            inner = inner.removesuffix(suffix)
        target = workdir / ("unpacked-" + Path(inner).name)
        try:
            with gzip.open(path, "rb") as source, target.open("wb") as sink:
                while chunk := source.read(_CHUNK):
                    sink.write(chunk)
        except (OSError, EOFError) as error:
            raise IngestError(path.name, "unreadable", f"gzip: {error}") from error
        return target, "gzip", inner
    if magic == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as archive:
                if _is_xlsx_zip(archive):
                    return path, None, path.name
                members = [
                    info
                    for info in archive.infolist()
                    if not info.is_dir()
                    and not info.filename.startswith("__MACOSX/")
                    and not Path(info.filename).name.startswith(".")
                ]
                if len(members) != 1:
                    names = ", ".join(m.filename for m in members[:5]) or "geen"
                    raise IngestError(path.name, "zip_members", names)
                member = members[0]
                target = workdir / ("unpacked-" + Path(member.filename).name)
                with archive.open(member) as source, target.open("wb") as sink:
                    while chunk := source.read(_CHUNK):
                        sink.write(chunk)
                return target, "zip", Path(member.filename).name
        except zipfile.BadZipFile as error:
            raise IngestError(path.name, "unreadable", f"zip: {error}") from error
    return path, None, path.name


def detect_format(path: Path, inner_name: str, requested: str) -> str:
    if requested != "auto":
        return requested
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not head.strip():
        raise IngestError(inner_name, "empty")
    return _sniff_format(head) or _format_from_name(inner_name) or "csv"


def _utf8_state(path: Path) -> str | None:
    """ "utf-8", "utf-8-sig" or "utf-16" when the file decodes as such, else None."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
    return "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"


def _transcode(path: Path, workdir: Path, encoding: str) -> Path:
    target = workdir / ("utf8-" + path.name)
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as sink:
        while chunk := source.read(_CHUNK):
            sink.write(decoder.decode(chunk))
        sink.write(decoder.decode(b"", final=True))
    return target


def to_utf8(path: Path, workdir: Path, name: str, encoding: str | None) -> tuple[Path, str]:
    """A UTF-8 version of a text file and the encoding it had.

    Without an explicit encoding: UTF-16 when it starts with its BOM, else UTF-8 when the whole
    file decodes as UTF-8, else Windows-1252 (what Excel on Windows writes), else Latin-1
    (which decodes any byte, so this order always ends).
    """
    if encoding:
        normalized = codecs.lookup(encoding).name
        if normalized in {"utf-8", "utf-8-sig"}:
            return path, normalized
        try:
            return _transcode(path, workdir, normalized), normalized
        except UnicodeDecodeError as error:
            raise IngestError(name, "unreadable", f"geen geldige {encoding}: {error}") from error
    state = _utf8_state(path)
    if state in {"utf-8", "utf-8-sig"}:
        return path, state
    if state == "utf-16":
        return _transcode(path, workdir, "utf-16"), "utf-16"
    for candidate in ("cp1252", "latin-1"):
        try:
            return _transcode(path, workdir, candidate), candidate
        except UnicodeDecodeError:
            continue
    raise IngestError(name, "unreadable", "onbekende tekencodering")  # pragma: no cover


def sniff_delimiter(path: Path) -> str:
    """The delimiter that splits the header line into the most fields (ties: , ; tab |)."""
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        head = handle.read(1 << 16)
    first = head.split("\n", 1)[0]
    counts = {d: 0 for d in _DELIMITERS}
    quoted = False
    for char in first:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _unique_names(names: list[str]) -> list[str]:
    """Header names made unique (Polars needs that); the originals are kept for messages."""
    seen: dict[str, int] = {}
    result = []
    for raw in names:
        name = raw.strip().lstrip("\ufeff").strip() or "kolom"
        count = seen.get(name, 0)
        seen[name] = count + 1
        result.append(name if count == 0 else f"{name}#{count + 1}")
    return result


@dataclass
class RawTable:
    """One table of an export, readable in batches of all-text columns.

    ``header`` holds the names as written in the file (duplicates kept, so a schema check can
    see them); ``columns`` are the unique names the batches use.
    """

    file_name: str
    format: str
    path: Path
    header: list[str]
    columns: list[str]
    encoding: str | None = None
    delimiter: str | None = None
    compression: str | None = None
    sheet: str | None = None
    tolerant: bool = False
    _frame: pl.DataFrame | None = field(default=None, repr=False)

    @property
    def row_numbering(self) -> str:
        return ROW_NUMBERING[self.format]

    def column_for(self, header_name: str) -> str:
        return self.columns[self.header.index(header_name)]

    # --- batches -------------------------------------------------------------------------

    def batches(self, size: int, columns: list[str] | None = None) -> Iterator[pl.DataFrame]:
        """Batches of at most ``size`` rows with ``columns`` (all when None) and ``_row``."""
        wanted = list(columns) if columns is not None else list(self.columns)
        if self._frame is not None:
            frame = self._frame.select(ROW, *wanted)
            yield from frame.iter_slices(size)
            return
        if self.tolerant:
            reader = self._tolerant_csv if self.format == "csv" else self._tolerant_jsonl
            for batch in reader(size):
                yield batch.select(ROW, FIELD_COUNT, *wanted)
            return
        lazy = self.scan().select(ROW, *wanted)
        for batch in lazy.collect_batches(chunk_size=size):
            yield batch.with_columns(pl.col(ROW).cast(pl.Int64))

    def scan(self) -> pl.LazyFrame:
        """The strict lazy scan of the whole table (CSV, JSON Lines, Parquet)."""
        if self.format == "csv":
            return pl.scan_csv(
                self.path,
                separator=self.delimiter or ",",
                has_header=True,
                new_columns=self.columns,
                infer_schema=False,
                quote_char='"',
                raise_if_empty=False,
            ).with_row_index(ROW, offset=2)
        if self.format == "jsonl":
            return pl.scan_ndjson(
                self.path, schema=dict.fromkeys(self.columns, pl.String)
            ).with_row_index(ROW, offset=1)
        if self.format == "parquet":
            lazy = pl.scan_parquet(self.path)
            schema = lazy.collect_schema()
            return lazy.select(
                [_as_text(name, dtype) for name, dtype in schema.items()]
            ).with_row_index(ROW, offset=1)
        raise ValueError(self.format)  # pragma: no cover

    def _tolerant_csv(self, size: int) -> Iterator[pl.DataFrame]:
        csv.field_size_limit(2**31 - 1)
        width = len(self.columns)
        with self.path.open("r", encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=self.delimiter or ",", strict=False)
            next(reader, None)
            rows: list[list[str]] = []
            numbers: list[int] = []
            counts: list[int] = []
            number = 1
            for record in reader:
                number += 1
                if not record or (len(record) == 1 and not record[0].strip()):
                    continue  # a blank line is no record; Polars skips them too
                counts.append(len(record))
                numbers.append(number)
                rows.append((record + [""] * width)[:width])
                if len(rows) >= size:
                    yield _frame_from_rows(self.columns, rows, numbers, counts)
                    rows, numbers, counts = [], [], []
            if rows:
                yield _frame_from_rows(self.columns, rows, numbers, counts)

    def _tolerant_jsonl(self, size: int) -> Iterator[pl.DataFrame]:
        width = len(self.columns)
        with self.path.open("r", encoding="utf-8-sig") as handle:
            rows: list[list[str | None]] = []
            numbers: list[int] = []
            counts: list[int] = []
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError:
                    record = None
                if isinstance(record, dict):
                    rows.append([_json_text(record.get(name)) for name in self.columns])
                    counts.append(width)
                else:
                    rows.append([line[:2000] if i == 0 else None for i in range(width)])
                    counts.append(-1)
                numbers.append(number)
                if len(rows) >= size:
                    yield _frame_from_rows(self.columns, rows, numbers, counts)
                    rows, numbers, counts = [], [], []
            if rows:
                yield _frame_from_rows(self.columns, rows, numbers, counts)


def _json_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _frame_from_rows(
    columns: list[str],
    rows: list[list[str]] | list[list[str | None]],
    numbers: list[int],
    counts: list[int],
) -> pl.DataFrame:
    data: dict[str, list[str | None]] = {
        name: [row[i] for row in rows] for i, name in enumerate(columns)
    }
    frame = pl.DataFrame(data, schema=dict.fromkeys(columns, pl.String))
    return frame.with_columns(
        pl.Series(ROW, numbers, dtype=pl.Int64), pl.Series(FIELD_COUNT, counts, dtype=pl.Int32)
    ).with_columns(
        # The tolerant reader gives "" for empty fields; the strict one gives null.
        [pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in columns]
    )


def _as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    if isinstance(dtype, pl.Struct):
        return column.struct.json_encode().alias(name)
    if isinstance(dtype, pl.List | pl.Array):
        return column.cast(pl.List(pl.String)).list.join(", ").alias(name)
    return column.cast(pl.String).alias(name)


# --- opening a file --------------------------------------------------------------------------


def _csv_header(path: Path, delimiter: str) -> list[str]:
    csv.field_size_limit(2**31 - 1)
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        record = next(csv.reader(handle, delimiter=delimiter, strict=False), None)
    return [name.strip() for name in record or []]


def _jsonl_keys(path: Path, name: str) -> list[str]:
    keys: dict[str, None] = {}
    seen = 0
    with path.open("r", encoding="utf-8-sig") as handle:
        for line in handle:
            if not line.strip():
                continue
            seen += 1
            try:
                record = json.loads(line)
            except ValueError:
                record = None
            if isinstance(record, dict):
                keys.update(dict.fromkeys(str(k) for k in record))
            if seen >= _JSON_KEY_LINES:
                break
    if not keys:
        raise IngestError(name, "not_a_table", "geen JSON-objecten gevonden")
    return list(keys)


def _read_xlsx(path: Path, name: str, sheet: str | None) -> pl.DataFrame:
    import fastexcel

    try:
        sheets = fastexcel.read_excel(path).sheet_names
    except Exception as error:  # noqa: BLE001 - fastexcel raises its own error classes
        raise IngestError(name, "unreadable", f"xlsx: {error}") from error
    if sheet is not None and sheet not in sheets:
        raise IngestError(name, "sheet_not_found", f"'{sheet}'; aanwezig: {', '.join(sheets)}")
    try:
        frame = pl.read_excel(
            path,
            sheet_name=sheet or sheets[0],
            engine="calamine",
            has_header=False,
            infer_schema_length=0,
            drop_empty_rows=False,
            drop_empty_cols=False,
            raise_if_empty=False,
        )
    except Exception as error:  # noqa: BLE001
        raise IngestError(name, "unreadable", f"xlsx: {error}") from error
    return frame.select(pl.all().cast(pl.String))


def open_table(
    path: Path,
    workdir: Path,
    *,
    fmt: str = "auto",
    sheet: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
) -> RawTable:
    """Unpack, detect format, encoding and delimiter, and read the header of ``path``."""
    name = path.name
    if not path.is_file():
        raise IngestError(name, "not_found")
    if path.stat().st_size == 0:
        raise IngestError(name, "empty")
    plain, compression, inner = decompress(path, workdir)
    if plain.stat().st_size == 0:
        raise IngestError(name, "empty")
    fmt = detect_format(plain, inner, fmt)
    if fmt not in FORMATS:
        raise IngestError(name, "unknown_format", fmt)

    if fmt == "xlsx":
        raw = _read_xlsx(plain, name, sheet)
        if raw.height == 0:
            raise IngestError(name, "empty")
        header = ["" if v is None else str(v).strip() for v in raw.row(0)]
        columns = _unique_names(header)
        frame = (
            raw.slice(1)
            .rename(dict(zip(raw.columns, columns, strict=True)))
            .with_row_index(ROW, offset=2)
            .with_columns(pl.col(ROW).cast(pl.Int64))
            .filter(~pl.all_horizontal(pl.col(columns).is_null()))
        )
        return RawTable(
            name, fmt, plain, header, columns, compression=compression, sheet=sheet, _frame=frame
        )
    if fmt == "parquet":
        try:
            schema = pl.scan_parquet(plain).collect_schema()
        except Exception as error:  # noqa: BLE001
            raise IngestError(name, "not_a_table", f"parquet: {error}") from error
        header = list(schema)
        return RawTable(name, fmt, plain, header, header, compression=compression)

    with plain.open("rb") as handle:
        head = handle.read(4096)
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise IngestError(name, "not_a_table", "binair bestand")
    text_path, used_encoding = to_utf8(plain, workdir, name, encoding)
    if fmt == "jsonl":
        keys = _jsonl_keys(text_path, name)
        return RawTable(
            name, fmt, text_path, keys, keys, encoding=used_encoding, compression=compression
        )
    delimiter = delimiter or sniff_delimiter(text_path)
    header = _csv_header(text_path, delimiter)
    if not any(header):
        raise IngestError(name, "empty")
    return RawTable(
        name,
        fmt,
        text_path,
        header,
        _unique_names(header),
        encoding=used_encoding,
        delimiter=delimiter,
        compression=compression,
    )
