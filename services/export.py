"""Export the whole filtered customer book to CSV or Excel, streamed in chunks.

The export runs the grid's own query (services.customer_queries.book_query)
without paging, reading `chunk` rows at a time, so memory stays flat at any size.

What a file holds:
- the columns chosen for the grid, with the customer's ID first and its External IDs (all
  of them in one cell, separated by ", ", as the grid shows them and the import reads
  them) wherever the grid has them or not: other systems match rows by these;
- values as they read on screen (services.shown_values: "France", "Net 30", "Yes",
  "Stripe Invoicing", "Active"), each followed by its code where other systems need one:
  "Country code" (ISO 3166-1), "Payment Terms (days)", "Invoicing Flow code"; the default
  payment method ("Visa •••• 4242 · 08/27") is followed by its provider's code, its
  reference and its expiry (a date). A currency reads as its ISO 4217 code on screen
  already, so it needs no second column;
- in the CSV, exact decimals as typed (8.875) and times in ISO 8601 with their offset;
- in Excel, numbers as number cells (IDs, tax rate, whole numbers, custom decimals that a
  number cell holds exactly), dates and times (UTC) as date cells, column widths from the
  header and the longest value (capped), the header row frozen and filterable.
Any text cell a spreadsheet would execute is neutralised with a leading apostrophe
(services.formula_guard), so our own files re-import to the values they were written from.
"""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import IO, Any

import xlsxwriter

from models.catalogue import EXTERNAL_IDS
from models.kinds import CODED, Kind
from services.customer_columns import BookColumn, book_columns, choose
from services.customer_queries import CustomerQuery, book_query, count_customers
from services.db import read_session
from services.formula_guard import neutralise
from services.phones import international
from services.shown_values import SHOWN

CHUNK_ROWS = 5_000
FORMATS = ("csv", "xlsx")
ID = "id"
MIN_WIDTH, MAX_WIDTH = 8, 60  # Excel column widths, in characters

Progress = Callable[[int, int], None]


def _text(value: Any) -> str:
    return neutralise(str(value))


def _shown(kind: Kind) -> Callable[[Any], str]:
    to_text = SHOWN[kind]
    return lambda value: neutralise(to_text(value))


def _stamp(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def _number(value: Any) -> Any:
    return value


# The CSV's text of each kind, which the import reads back to the same value.
CSV_VALUE: dict[Kind, Callable[[Any], Any]] = {
    **{kind: _shown(kind) for kind in SHOWN},
    **dict.fromkeys((Kind.TEXT, Kind.LONG_TEXT, Kind.EMAIL, Kind.EMAIL_OR_DOMAIN, Kind.URL,
                     Kind.TAX_ID, Kind.ALIAS, Kind.STATE, Kind.CURRENCY, Kind.DATE,
                     Kind.CHOICE, Kind.LEGAL_ENTITY, Kind.CUSTOMER, Kind.FIELD_KEY, Kind.DECIMAL,
                     Kind.PERCENT, Kind.PAYMENT_METHOD, Kind.TIMEZONE), _text),
    **dict.fromkeys((Kind.INTEGER, Kind.ID), _number),
    Kind.DATETIME: _stamp,
    # +44 20 7946 0958: readable, and a file read elsewhere keeps the country code that the
    # national format (the screen's) leaves out.
    Kind.PHONE: lambda value: neutralise(international(value)),
}


class Cell(StrEnum):
    """What an Excel cell holds."""

    TEXT = "text"
    WHOLE = "whole"
    PERCENT = "percent"
    DECIMAL = "decimal"
    DATE = "date"
    STAMP = "stamp"


# Kinds Excel gets as numbers or dates; every other kind is a text cell of its CSV text.
XLSX_CELL: dict[Kind, Cell] = {
    Kind.ID: Cell.WHOLE,
    Kind.INTEGER: Cell.WHOLE,
    Kind.PERCENT: Cell.PERCENT,
    Kind.DECIMAL: Cell.DECIMAL,
    Kind.DATE: Cell.DATE,
    Kind.DATETIME: Cell.STAMP,
}

# Kinds shown by a label whose code other systems need: the code's column follows the
# label's, under this header ({} is the label), holding the stored value.
CODE_COLUMN: dict[Kind, tuple[str, Cell]] = {
    Kind.COUNTRY: ("{} code", Cell.TEXT),
    Kind.PAYMENT_TERMS: ("{} (days)", Cell.WHOLE),
    Kind.LANGUAGE: ("{} code", Cell.TEXT),
    Kind.DAYS: ("{} (days)", Cell.WHOLE),
    **{kind: ("{} code", Cell.TEXT) for kind in CODED},
}


@dataclass(frozen=True)
class FileColumn:
    """One column of a file: its header, which value of the query's row it reads, the CSV's
    text of that value and the kind of Excel cell it becomes."""

    label: str
    position: int
    text: Callable[[Any], Any]
    cell: Cell


def export_columns(column_keys: list[str] | None) -> list[BookColumn]:
    """The book columns of a file: the ones asked for (the grid's by default), with the ID
    first and the External IDs last unless they are among them; each followed by the code
    columns it declares (the default payment method's provider, reference and expiry)."""
    known = book_columns()
    chosen = choose(column_keys)
    keys = {c.key for c in chosen}
    columns = ([known[ID]] if ID not in keys else []) + chosen + (
        [known[EXTERNAL_IDS]] if EXTERNAL_IDS not in keys else [])
    return [part for column in columns for part in (column, *column.codes)]


def file_columns(columns: list[BookColumn]) -> list[FileColumn]:
    """The file's columns for the query's `columns`: each, then its code where it has one."""
    found = []
    for position, column in enumerate(columns):
        found.append(FileColumn(column.label, position, CSV_VALUE[column.kind],
                                XLSX_CELL.get(column.kind, Cell.TEXT)))
        if column.kind in CODE_COLUMN:
            header, cell = CODE_COLUMN[column.kind]
            found.append(FileColumn(header.format(column.label), position,
                                    _number if cell == Cell.WHOLE else _text, cell))
    return found


def export_rows(q: CustomerQuery, columns: list[BookColumn], *, chunk: int = CHUNK_ROWS
                ) -> Iterator[list[tuple]]:
    """The filtered book in chunks of raw rows (server-side cursor where the driver has one)."""
    query = book_query(q, columns).execution_options(yield_per=chunk, stream_results=True)
    with read_session() as session:
        result = session.execute(query)
        for partition in result.partitions(chunk):
            yield [tuple(row) for row in partition]


def write_csv(q: CustomerQuery, column_keys: list[str] | None, out: IO[bytes], *,
              progress: Progress | None = None, chunk: int = CHUNK_ROWS) -> int:
    columns = export_columns(column_keys)
    fields = file_columns(columns)
    total = count_customers(q)
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([neutralise(f.label) for f in fields])
    written = 0
    for rows in export_rows(q, columns, chunk=chunk):
        writer.writerows([None if (v := row[f.position]) is None else f.text(v) for f in fields]
                         for row in rows)
        written += len(rows)
        if progress:
            progress(written, total)
    text.flush()
    text.detach()
    return written


class _Sheet:
    """Writes one cell of each Cell kind and answers how wide it reads, in characters."""

    def __init__(self, workbook, sheet):
        self.sheet = sheet
        self.formats = {
            Cell.PERCENT: workbook.add_format({"num_format": "0.00##"}),
            Cell.DATE: workbook.add_format({"num_format": "yyyy-mm-dd"}),
            Cell.STAMP: workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        }
        self.write = {Cell.TEXT: self._text, Cell.WHOLE: self._whole,
                      Cell.PERCENT: self._percent, Cell.DECIMAL: self._decimal,
                      Cell.DATE: self._date, Cell.STAMP: self._stamp}

    def _text(self, row: int, col: int, value: Any, column: FileColumn) -> int:
        text = column.text(value)
        self.sheet.write_string(row, col, text)
        return len(text)

    def _whole(self, row: int, col: int, value: Any, column: FileColumn) -> int:
        self.sheet.write_number(row, col, int(value))
        return len(str(value))

    def _percent(self, row: int, col: int, value: Any, column: FileColumn) -> int:
        self.sheet.write_number(row, col, float(value), self.formats[Cell.PERCENT])
        return len(str(value))

    def _decimal(self, row: int, col: int, value: Any, column: FileColumn) -> int:
        """A custom decimal, stored as exact text: a number cell where a float holds it
        exactly (beyond 15 significant digits it would not), its text otherwise."""
        try:
            exact = Decimal(str(value))
        except InvalidOperation:
            return self._text(row, col, value, column)
        number = float(exact)
        if Decimal(repr(number)) != exact:
            return self._text(row, col, value, column)
        self.sheet.write_number(row, col, number)
        return len(str(value))

    def _date(self, row: int, col: int, value: Any, column: FileColumn) -> int:
        try:
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            return self._text(row, col, value, column)
        self.sheet.write_datetime(row, col, datetime(day.year, day.month, day.day),
                                  self.formats[Cell.DATE])
        return 10

    def _stamp(self, row: int, col: int, value: datetime, column: FileColumn) -> int:
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        # To the second, as the CSV writes it.
        self.sheet.write_datetime(row, col, value.replace(microsecond=0),
                                  self.formats[Cell.STAMP])
        return 19


def write_xlsx(q: CustomerQuery, column_keys: list[str] | None, out: IO[bytes], *,
               progress: Progress | None = None, chunk: int = CHUNK_ROWS) -> int:
    """Excel in constant-memory mode: rows go to disk as they are written. Widths are
    known once every row is written; the workbook sets them when it closes."""
    columns = export_columns(column_keys)
    fields = file_columns(columns)
    total = count_customers(q)
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False,
                                         "strings_to_formulas": False,
                                         "strings_to_urls": False})
    sheet = workbook.add_worksheet("Customers")
    cells = _Sheet(workbook, sheet)
    bold = workbook.add_format({"bold": True})
    widths = []
    for index, field in enumerate(fields):
        header = neutralise(field.label)
        sheet.write_string(0, index, header, bold)
        widths.append(len(header) + 2)  # room for the filter button
    writers = [(index, field, cells.write[field.cell]) for index, field in enumerate(fields)]
    written = 0
    for rows in export_rows(q, columns, chunk=chunk):
        for row in rows:
            written += 1
            for index, field, write in writers:
                value = row[field.position]
                if value is not None:
                    width = write(written, index, value, field)
                    if width > widths[index]:
                        widths[index] = width
        if progress:
            progress(written, total)
    for index, width in enumerate(widths):
        sheet.set_column(index, index, min(max(width + 1, MIN_WIDTH), MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, written, len(fields) - 1)
    workbook.close()
    return written


def export_customers(q: CustomerQuery, column_keys: list[str] | None, fmt: str, out: IO[bytes],
                     *, progress: Progress | None = None, chunk: int = CHUNK_ROWS) -> int:
    """Write the whole filtered set in `fmt` (csv or xlsx) to `out`; returns the row count."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    writer = write_csv if fmt == "csv" else write_xlsx
    return writer(q, column_keys, out, progress=progress, chunk=chunk)
