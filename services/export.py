"""Export the whole filtered customer book to CSV or Excel, streamed in chunks.

The export runs the grid's own query (services.customer_queries.book_query)
without paging, reading `chunk` rows at a time, so memory stays flat at any size.
Exact decimals are written as typed (8.875), and any text cell that a spreadsheet
would execute is neutralised with a leading apostrophe (services.formula_guard).
"""

import csv
import io
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import IO, Any

import xlsxwriter

from models.kinds import Kind
from services.customer_columns import BookColumn, choose
from services.customer_queries import CustomerQuery, book_query, count_customers
from services.db import read_session
from services.formula_guard import neutralise

CHUNK_ROWS = 5_000
FORMATS = ("csv", "xlsx")

Progress = Callable[[int, int], None]


def _text(value: Any) -> str:
    return neutralise(str(value))


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _joined(chosen: list) -> str:
    return neutralise(", ".join(str(v) for v in chosen))


def _stamp(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def _number(value: Any) -> Any:
    return value


# How a file holds each kind: the CSV's text (which the import reads back to the same
# value), and whether Excel gets a number or a date cell instead of text.
CSV_VALUE: dict[Kind, Callable[[Any], Any]] = {
    **dict.fromkeys((Kind.TEXT, Kind.LONG_TEXT, Kind.EMAIL, Kind.EMAIL_OR_DOMAIN, Kind.URL,
                     Kind.TAX_ID, Kind.ALIAS, Kind.STATE, Kind.COUNTRY, Kind.CURRENCY,
                     Kind.DATE, Kind.CHOICE, Kind.INVOICING_FLOW, Kind.LEGAL_ENTITY,
                     Kind.FIELD_KEY, Kind.STATUS, Kind.DECIMAL, Kind.PERCENT), _text),
    **dict.fromkeys((Kind.INTEGER, Kind.PAYMENT_TERMS, Kind.ID), _number),
    Kind.BOOL: _yes_no,
    Kind.MULTI_CHOICE: _joined,
    Kind.DATETIME: _stamp,
}
XLSX_NUMBER = frozenset({Kind.INTEGER, Kind.PAYMENT_TERMS, Kind.ID, Kind.PERCENT})


def _row(columns: list[BookColumn], row: tuple) -> list[Any]:
    return [None if v is None else CSV_VALUE[c.kind](v) for c, v in zip(columns, row, strict=True)]


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
    columns = choose(column_keys)
    total = count_customers(q)
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([neutralise(c.label) for c in columns])
    written = 0
    for rows in export_rows(q, columns, chunk=chunk):
        writer.writerows(_row(columns, row) for row in rows)
        written += len(rows)
        if progress:
            progress(written, total)
    text.flush()
    text.detach()
    return written


def write_xlsx(q: CustomerQuery, column_keys: list[str] | None, out: IO[bytes], *,
               progress: Progress | None = None, chunk: int = CHUNK_ROWS) -> int:
    """Excel in constant-memory mode: rows go to disk as they are written."""
    columns = choose(column_keys)
    total = count_customers(q)
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False,
                                         "strings_to_formulas": False,
                                         "strings_to_urls": False})
    sheet = workbook.add_worksheet("Customers")
    bold = workbook.add_format({"bold": True})
    percent = workbook.add_format({"num_format": "0.00##"})
    stamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for index, column in enumerate(columns):
        sheet.write_string(0, index, neutralise(column.label), bold)
        sheet.set_column(index, index, 24 if column.kind in (Kind.TEXT, Kind.EMAIL) else 14)
    written = 0
    for rows in export_rows(q, columns, chunk=chunk):
        for row in rows:
            written += 1
            for index, (column, value) in enumerate(zip(columns, row, strict=True)):
                _write_xlsx_cell(sheet, written, index, column.kind, value, percent, stamp)
        if progress:
            progress(written, total)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return written


def _write_xlsx_cell(sheet, row: int, col: int, kind: Kind, value: Any, percent, stamp
                     ) -> None:
    if value is None:
        return
    if kind in XLSX_NUMBER:
        sheet.write_number(row, col, float(value) if kind == Kind.PERCENT else value,
                           percent if kind == Kind.PERCENT else None)
    elif kind == Kind.DATETIME:
        sheet.write_datetime(row, col, value.replace(tzinfo=None), stamp)
    else:
        sheet.write_string(row, col, CSV_VALUE[kind](value))


def export_customers(q: CustomerQuery, column_keys: list[str] | None, fmt: str, out: IO[bytes],
                     *, progress: Progress | None = None, chunk: int = CHUNK_ROWS) -> int:
    """Write the whole filtered set in `fmt` (csv or xlsx) to `out`; returns the row count."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    writer = write_csv if fmt == "csv" else write_xlsx
    return writer(q, column_keys, out, progress=progress, chunk=chunk)
