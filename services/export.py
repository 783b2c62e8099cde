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
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import partial
from typing import IO, Any

from sqlalchemy import Row

from models.catalogue import EXTERNAL_IDS
from models.kinds import CODED, Kind
from services.customer_columns import BookColumn, book_columns, choose
from services.customer_queries import CustomerQuery, book_query, count_customers
from services.db import SQLITE_MMAP_BYTES, read_session
from services.formula_guard import neutralise
from services.phones import international
from services.shown_values import SHOWN
from services.xlsx_stream import (
    Style,
    excel_serial,
    number_cell,
    sheet_writer,
    text_cell,
    whole_cell,
)

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


# Kinds whose values repeat across the book (a country, a currency, a label: tens or
# hundreds of them): an export works out each value's text once and then looks it up.
REPEATING = frozenset({Kind.COUNTRY, Kind.CURRENCY, Kind.STATE, Kind.PAYMENT_TERMS, Kind.BOOL,
                       Kind.CHOICE, Kind.LEGAL_ENTITY, Kind.LANGUAGE, Kind.TIMEZONE,
                       Kind.DAYS, Kind.STATUS, *CODED})
REMEMBERED = 10_000  # values remembered per column at most: memory stays bounded


@dataclass(frozen=True)
class FileColumn:
    """One column of a file: its header, which value of the query's row it reads, the CSV's
    text of that value, the kind of Excel cell it becomes and whether its values repeat."""

    label: str
    position: int
    text: Callable[[Any], Any]
    cell: Cell
    repeats: bool = False


class _Remembered(dict):
    """A value's result, worked out on its first lookup and kept (up to REMEMBERED)."""

    def __init__(self, work_out: Callable[[Any], Any]):
        super().__init__()
        self.work_out = work_out

    def __missing__(self, value: Any) -> Any:
        result = self.work_out(value)
        if len(self) < REMEMBERED:
            self[value] = result
        return result


def _looked_up(work_out: Callable[[Any], Any], repeats: bool) -> Callable[[Any], Any]:
    return _Remembered(work_out).__getitem__ if repeats else work_out


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
        repeats = column.kind in REPEATING
        found.append(FileColumn(column.label, position, CSV_VALUE[column.kind],
                                XLSX_CELL.get(column.kind, Cell.TEXT), repeats))
        if column.kind in CODE_COLUMN:
            header, cell = CODE_COLUMN[column.kind]
            found.append(FileColumn(header.format(column.label), position,
                                    _number if cell == Cell.WHOLE else _text, cell, repeats))
    return found


# A server-side cursor is planned for its first rows (index scans and nested loops, and never
# in parallel); an export reads every row, which hash joins and one sort give 2.5x faster
# over a million customers. These hold for the export's own transaction only.
WHOLE_SET_PLAN = ("SET LOCAL cursor_tuple_fraction = 1", "SET LOCAL enable_nestloop = off")


def export_rows(q: CustomerQuery, columns: list[BookColumn], *, chunk: int = CHUNK_ROWS
                ) -> Iterator[list[Row]]:
    """The filtered book in chunks of raw rows (server-side cursor where the driver has one).
    Run on the session's connection: the ORM's per-row loading would add nothing but time
    (a tenth of a million-row export)."""
    query = book_query(q, columns).execution_options(yield_per=chunk, stream_results=True)
    with read_session() as session:
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            for setting in WHOLE_SET_PLAN:
                connection.exec_driver_sql(setting)
        else:
            # Read the file, not mapped: a mapped page read once stays in the process's
            # resident memory, and an export reads the whole book (1.2 GB at a million).
            connection.exec_driver_sql("PRAGMA mmap_size=0")
        try:
            result = connection.execute(query)
            for partition in result.partitions(chunk):
                yield list(partition)
        finally:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")


def write_csv(q: CustomerQuery, column_keys: list[str] | None, out: IO[bytes], *,
              progress: Progress | None = None, chunk: int = CHUNK_ROWS) -> int:
    columns = export_columns(column_keys)
    fields = file_columns(columns)
    total = count_customers(q)
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([neutralise(f.label) for f in fields])
    texts = [(f.position, _looked_up(f.text, f.repeats)) for f in fields]
    written = 0
    for rows in export_rows(q, columns, chunk=chunk):
        writer.writerows([None if (v := row[position]) is None else text(v)
                          for position, text in texts] for row in rows)
        written += len(rows)
        if progress:
            progress(written, total)
    text.flush()
    text.detach()
    return written


class _Cells:
    """Makes the Excel cell of each Cell kind (without its reference) and says how wide it
    reads, in characters."""

    def __init__(self):
        self.make = {Cell.TEXT: self._text, Cell.WHOLE: self._whole,
                     Cell.PERCENT: self._percent, Cell.DECIMAL: self._decimal,
                     Cell.DATE: self._date, Cell.STAMP: self._stamp}

    def maker(self, column: FileColumn) -> Callable[[Any], tuple[str, int]]:
        return _looked_up(partial(self.make[column.cell], column), column.repeats)

    @staticmethod
    def _text(column: FileColumn, value: Any) -> tuple[str, int]:
        text = column.text(value)
        return text_cell(text), len(text)

    @staticmethod
    def _whole(column: FileColumn, value: Any) -> tuple[str, int]:
        return whole_cell(int(value)), len(str(value))

    @staticmethod
    def _percent(column: FileColumn, value: Any) -> tuple[str, int]:
        return number_cell(float(value), Style.PERCENT), len(str(value))

    def _decimal(self, column: FileColumn, value: Any) -> tuple[str, int]:
        """A custom decimal, stored as exact text: a number cell where a float holds it
        exactly (beyond 15 significant digits it would not), its text otherwise."""
        try:
            exact = Decimal(str(value))
        except InvalidOperation:
            return self._text(column, value)
        number = float(exact)
        if Decimal(repr(number)) != exact:
            return self._text(column, value)
        return number_cell(number), len(str(value))

    def _date(self, column: FileColumn, value: Any) -> tuple[str, int]:
        try:
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            return self._text(column, value)
        return number_cell(excel_serial(datetime(day.year, day.month, day.day)),
                           Style.DATE), 10

    @staticmethod
    def _stamp(column: FileColumn, value: datetime) -> tuple[str, int]:
        # In UTC, to the second as the CSV writes it.
        return number_cell(excel_serial(value, to_the_second=True), Style.STAMP), 19


def write_xlsx(q: CustomerQuery, column_keys: list[str] | None, out: IO[bytes], *,
               progress: Progress | None = None, chunk: int = CHUNK_ROWS) -> int:
    """Excel, a chunk of rows at a time (services.xlsx_stream). Widths are known once every
    row is written; the workbook sets them when it closes."""
    columns = export_columns(column_keys)
    fields = file_columns(columns)
    total = count_customers(q)
    headers = [neutralise(field.label) for field in fields]
    widths = [len(header) + 2 for header in headers]  # room for the filter button
    cells = _Cells()
    makers = [(index, field.position, cells.maker(field)) for index, field in enumerate(fields)]
    empty = [None] * len(fields)
    written = 0
    with sheet_writer(out, "Customers", len(fields)) as sheet:
        sheet.add_rows([[text_cell(header, Style.BOLD) for header in headers]])
        for rows in export_rows(q, columns, chunk=chunk):
            sheet_rows = []
            for row in rows:
                sheet_row = empty.copy()
                for index, position, make in makers:
                    value = row[position]
                    if value is not None:
                        sheet_row[index], width = make(value)
                        if width > widths[index]:
                            widths[index] = width
                sheet_rows.append(sheet_row)
            sheet.add_rows(sheet_rows)
            written += len(rows)
            if progress:
                progress(written, total)
        sheet.finish([min(max(width + 1, MIN_WIDTH), MAX_WIDTH) for width in widths])
    return written


def export_customers(q: CustomerQuery, column_keys: list[str] | None, fmt: str, out: IO[bytes],
                     *, progress: Progress | None = None, chunk: int = CHUNK_ROWS) -> int:
    """Write the whole filtered set in `fmt` (csv or xlsx) to `out`; returns the row count."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    writer = write_csv if fmt == "csv" else write_xlsx
    return writer(q, column_keys, out, progress=progress, chunk=chunk)
