"""The Excel export's sheet writer writes the XML xlsxwriter writes for the same cells, so
the files read as they did when xlsxwriter wrote them; and it opens as a workbook."""

import io
import re
import zipfile
from datetime import UTC, datetime, timedelta, timezone

import openpyxl
import pytest
import xlsxwriter

from services.xlsx_stream import (
    Style,
    column_letter,
    excel_serial,
    number_cell,
    sheet_writer,
    text_cell,
    whole_cell,
)

TEXTS = ["plain", "Müller & Söhne <GmbH>", ' say "hi" ', "tab\tin", "line\nbreak",
         "bell\x07", "_x0041_ and \x01", "\ufffe", "emoji 🙂", "x" * 40_000, "🙂" * 20_000,
         "'=1+1", ""]
NUMBERS = [0, 12, -5, 8.875, 0.1, 1 / 3, 123456789012345.0, 1e20, 10**16 + 1]
STAMPS = [datetime(2026, 11, 25, 10, 12, 0), datetime(1900, 2, 28, 23, 59, 59),
          datetime(1900, 3, 1), datetime(2027, 3, 31, 0, 0, 0, 999_999)]


def sheet_data(package: bytes) -> str:
    sheet = zipfile.ZipFile(io.BytesIO(package)).read("xl/worksheets/sheet1.xml").decode()
    return re.search(r"<sheetData>(.*)</sheetData>", sheet, re.S).group(1)


def xlsxwriter_rows(rows: list[list]) -> str:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False,
                                     "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    sheet = book.add_worksheet("Customers")
    formats = {Style.PERCENT: book.add_format({"num_format": "0.00##"}),
               Style.STAMP: book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})}
    for r, row in enumerate(rows):
        for c, (kind, value) in enumerate(row):
            if kind == "text":
                sheet.write_string(r, c, value)
            elif kind == "number":
                sheet.write_number(r, c, value, formats[Style.PERCENT] if c else None)
            else:
                sheet.write_datetime(r, c, value, formats[Style.STAMP])
    book.close()
    return sheet_data(out.getvalue())


def our_rows(rows: list[list]) -> str:
    out = io.BytesIO()
    with sheet_writer(out, "Customers", 2) as sheet:
        sheet.add_rows([[text_cell(value) if kind == "text"
                         else number_cell(value, Style.PERCENT if c else Style.PLAIN)
                         if kind == "number"
                         else number_cell(excel_serial(value), Style.STAMP)
                         for c, (kind, value) in enumerate(row)] for row in rows])
        sheet.finish([10, 10])
    return sheet_data(out.getvalue())


def styles_of(xml: str) -> str:
    """Cell XML with style numbers dropped: xlsxwriter numbers its formats in the order a
    workbook uses them, ours are fixed."""
    return re.sub(r' s="\d+"', "", xml)


@pytest.mark.parametrize("text", TEXTS)
def test_text_cells_are_xlsxwriters(text):
    rows = [[("text", text), ("text", "next")]]
    assert our_rows(rows) == xlsxwriter_rows(rows)


@pytest.mark.parametrize("number", NUMBERS)
def test_number_cells_are_xlsxwriters(number):
    rows = [[("number", number), ("number", number)]]
    assert styles_of(our_rows(rows)) == styles_of(xlsxwriter_rows(rows))


@pytest.mark.parametrize("stamp", STAMPS)
def test_date_cells_are_xlsxwriters(stamp):
    rows = [[("stamp", stamp), ("text", "x")]]
    assert styles_of(our_rows(rows)) == styles_of(xlsxwriter_rows(rows))


def test_a_time_zones_value_is_its_utc_time_to_the_second():
    berlin = timezone(timedelta(hours=1))
    value = datetime(2026, 11, 25, 11, 12, 30, 500_000, tzinfo=berlin)
    assert excel_serial(value, to_the_second=True) == excel_serial(
        datetime(2026, 11, 25, 10, 12, 30))
    assert excel_serial(value.astimezone(UTC)) == excel_serial(datetime(2026, 11, 25, 10, 12,
                                                                        30, 500_000))


def test_whole_numbers_keep_their_digits_as_number_cells_write_them():
    for number in (0, 7, -42, 2**53, -(2**53), 2**53 + 1, 10**16 - 1, 10**17):
        assert whole_cell(number) == number_cell(number)


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def test_the_workbook_opens_with_its_header_frozen_filtered_and_widths():
    out = io.BytesIO()
    with sheet_writer(out, "Customers", 3) as sheet:
        sheet.add_rows([[text_cell(h, Style.BOLD) for h in ("ID", "Name", "Created")]])
        sheet.add_rows([[whole_cell(1), text_cell("Acme"), None],
                        [whole_cell(2), None, number_cell(excel_serial(STAMPS[0]),
                                                          Style.STAMP)]])
        sheet.finish([8, 20.5, 60])
    book = openpyxl.load_workbook(out)
    sheet = book["Customers"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["ID", "Name", "Created"], [1, "Acme", None], [2, None, STAMPS[0]]]
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet["C3"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:C3"
    assert [sheet.column_dimensions[c].width for c in "ABC"] == pytest.approx(
        [8.7109375, 21.28515625, 60.7109375])
    workbook_xml = zipfile.ZipFile(out).read("xl/workbook.xml").decode()
    assert ('<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            "Customers!$A$1:$C$3</definedName>") in workbook_xml
