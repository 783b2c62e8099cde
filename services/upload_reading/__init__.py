"""Reading an uploaded CSV or Excel file in bounded time and memory.

`read_table` gives a file's header and a stream of its rows. Every limit the operator
sets (services.config: file size, an Excel file's unpacked size, columns, cell length,
rows) is checked as the file is read, and passing one refuses the whole file with a
ValidationError naming it; so does a file that cannot be decoded or parsed, and one
whose header names a column twice. `summarise` reads a file once from end to end, so a
page can check everything up front, count the rows and keep the result, instead of
reading the file again on each rerun.

Cells come back stripped, blank ones as None, with our own formula guard undone
(services.formula_guard), so our exports re-import to the values they were written from.
Each format has its reader: delimited (CSV) and xlsx.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from services.formula_guard import unguard
from services.upload_reading import charsets, xlsx
from services.upload_reading.delimited import CsvRecords
from services.upload_reading.limits import (
    Limits,
    cell_too_long,
    refused,
    too_large,
    too_many_columns,
    too_many_rows,
)

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CSV, EXCEL = "csv", "xlsx"
Row = tuple[int, list[str | None]]


@dataclass(frozen=True)
class FileSummary:
    """What the page shows of a file after reading it once: every limit was checked."""

    headers: list[str]
    rows: int
    sample: list[list[str | None]]
    kind: str
    encoding: str | None = None
    delimiter: str | None = None


@dataclass
class _Source:
    records: Iterator[tuple[int, list[str]]]
    kind: str
    encoding: str | None = None
    delimiter: str | None = None


def _open(path: Path, encoding: str | None, limits: Limits) -> _Source:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise refused(f"{path.name} cannot be opened ({exc.strerror}).") from exc
    if size > limits.bytes:
        raise too_large(limits)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return _Source(xlsx.rows(path, limits), EXCEL)
    encoding = encoding or charsets.detect(path)
    records = CsvRecords(path, encoding, limits)
    return _Source(iter(records), CSV, encoding, records.delimiter)


def _headers(values: list[str | None]) -> list[str]:
    """The header row's names; an unnamed column is called "Column N", and two columns
    with one name (case aside) are refused, as a mapping could not tell them apart."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for index, value in enumerate(values):
        name = value or f"Column {index + 1}"
        first = seen.setdefault(name.casefold(), index)
        if first != index:
            raise refused(f'Two columns are named "{name}" (columns {first + 1:,} and '
                          f"{index + 1:,}); give each column a name of its own.")
        names.append(name)
    return names


def _values(cells: list[str]) -> list[str | None]:
    """Cells stripped, blank ones None, our guard undone: C-speed passes over the row, and
    the per-cell Python ones only when the row needs them (a blank, an apostrophe)."""
    values: list = list(map(str.strip, cells))
    if "'" in "".join(values):
        values = list(map(unguard, values))
    return [v or None for v in values] if "" in values else values


def _checked(records: Iterator[tuple[int, list[str]]], limits: Limits) -> Iterator:
    """The header first, then each row that holds a value, every limit checked."""
    headers: list[str] | None = None
    count = blank = 0
    for line, cells in records:
        if len(cells) > limits.columns:
            raise too_many_columns(len(cells), line, limits)
        if cells and max(map(len, cells)) > limits.cell_chars:
            index, length = max(enumerate(map(len, cells)), key=lambda pair: pair[1])
            column = (f'"{headers[index]}"' if headers and index < len(headers)
                      else f"{index + 1:,}")
            raise cell_too_long(line, column, length, limits)
        values = _values(cells) if any(cells) else []
        if not any(values):
            # Blank rows cost a read too: a file of nothing but line breaks must not
            # take longer than one of rows.
            blank += 1
            if blank > limits.rows:
                raise too_many_rows(limits, blank=True)
            continue
        if headers is None:
            headers = _headers(values)
            yield headers
            continue
        count += 1
        if count > limits.rows:
            raise too_many_rows(limits)
        yield line, values
    if headers is None:
        raise refused("The file holds no rows; its first row must name the columns.")


def read_table(path: Path, encoding: str | None = None) -> tuple[list[str], Iterator[Row]]:
    """The header and a stream of (row number, cells) of a CSV or Excel file; blank rows are
    skipped. `encoding` is a CSV file's text encoding; detected when not given.

    A file that may hold more rows than the limit (its line count, or the room its Excel
    sheet has, says so) is counted first, so that it is refused before any of its rows is
    used, not when an import reaches its millionth row."""
    limits = Limits.current()
    if _most_rows(path, limits) > limits.rows:
        summarise(path, encoding)
    rows = _checked(_open(path, encoding, limits).records, limits)
    return next(rows), rows


def summarise(path: Path, encoding: str | None = None, *, sample_rows: int = 5
              ) -> FileSummary:
    """Read the whole file once: its header, row count and first rows, every limit checked."""
    limits = Limits.current()
    source = _open(path, encoding, limits)
    rows = _checked(source.records, limits)
    headers = next(rows)
    sample: list[list[str | None]] = []
    count = 0
    for _line, values in rows:
        count += 1
        if len(sample) < sample_rows:
            sample.append(values)
    return FileSummary(headers, count, sample, source.kind, source.encoding, source.delimiter)


def _most_rows(path: Path, limits: Limits) -> int:
    """A bound no file's row count exceeds, found without parsing it."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return xlsx.room_for_rows(path, limits)
    return _newlines(path)


def _newlines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(piece.count(b"\n") for piece in iter(lambda: handle.read(1 << 20), b""))
    except OSError:
        return 0  # reading it will say why


def estimate_rows(path: Path) -> int:
    """About how many data rows a file has (to size a progress bar or decide on a worker
    process), without parsing it."""
    limits = Limits.current()
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return xlsx.estimate_rows(path, limits)
    return max(_newlines(path) - 1, 1)
