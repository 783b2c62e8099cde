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
from decimal import Decimal
from typing import IO, Any

import xlsxwriter

from services.customer_columns import BookColumn, choose
from services.customer_queries import CustomerQuery, book_query, count_customers
from services.db import read_session
from services.formula_guard import neutralise

CHUNK_ROWS = 5_000
FORMATS = ("csv", "xlsx")

Progress = Callable[[int, int], None]


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, list):  # a multi-select custom field
        return neutralise(", ".join(str(v) for v in value))
    return value


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
        writer.writerows([_cell(v) for v in row] for row in rows)
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
        sheet.set_column(index, index, 24 if column.kind in ("text", "email") else 14)
    written = 0
    for rows in export_rows(q, columns, chunk=chunk):
        for row in rows:
            written += 1
            for index, value in enumerate(row):
                _write_xlsx_cell(sheet, written, index, value, percent, stamp)
        if progress:
            progress(written, total)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return written


def _write_xlsx_cell(sheet, row: int, col: int, value: Any, percent, stamp) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_string(row, col, "Yes" if value else "No")
    elif isinstance(value, Decimal):
        sheet.write_number(row, col, float(value), percent)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, col, value.replace(tzinfo=None), stamp)
    else:
        sheet.write_string(row, col, neutralise(str(value)))


def export_customers(q: CustomerQuery, column_keys: list[str] | None, fmt: str, out: IO[bytes],
                     *, progress: Progress | None = None, chunk: int = CHUNK_ROWS) -> int:
    """Write the whole filtered set in `fmt` (csv or xlsx) to `out`; returns the row count."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    writer = write_csv if fmt == "csv" else write_xlsx
    return writer(q, column_keys, out, progress=progress, chunk=chunk)
