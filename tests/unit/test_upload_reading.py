"""Reading uploaded files: every hostile file is refused with a message naming what is wrong,
every awkward one is read as written, the operator's limits are the ones applied, and no
bytes at all make the reader raise anything but a ValidationError."""

import csv
import io
import zipfile
from contextlib import suppress
from datetime import date, datetime
from functools import cache

import openpyxl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from services.errors import ValidationError
from services.upload_reading import estimate_rows, read_table, summarise
from tests.hostile_files import (
    CASES,
    HEADERS,
    MB,
    NS,
    READ,
    REFUSED,
    rows,
    sheet_xml,
    write_csv,
    write_xlsx,
)

FIRST_NAMES = {"UTF-8 without BOM": ("Müller & Søn", "utf-8-sig"),
               "UTF-16 little-endian with BOM, tabs": ("Zoë", "utf-16"),
               "UTF-16 big-endian with BOM": ("Łódź", "utf-16"),
               "Windows-1252 with semicolons": ("Café “Zürich” €", "cp1252"),
               "Latin-1": ("Garçon\x81", "latin-1")}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return {case.name: case.build(folder) for case in CASES}


def refusal(path, encoding=None) -> str:
    with pytest.raises(ValidationError) as refused:
        headers, stream = read_table(path, encoding)
        for _ in stream:
            pass
    assert set(refused.value.errors) == {"file"}
    return str(refused.value)


@pytest.mark.parametrize("case", REFUSED, ids=str)
def test_each_hostile_file_is_refused_naming_what_is_wrong(case, corpus):
    assert case.refusal in refusal(corpus[case.name], case.encoding)
    with pytest.raises(ValidationError, match=case.refusal.replace("(", r"\(")):
        summarise(corpus[case.name], case.encoding)


@pytest.mark.parametrize("case", READ, ids=str)
def test_each_awkward_file_is_read_as_written(case, corpus):
    summary = summarise(corpus[case.name], case.encoding)
    assert tuple(summary.headers) == case.headers
    assert summary.rows == len(list(read_table(corpus[case.name], case.encoding)[1])) > 0
    if case.name in FIRST_NAMES:
        assert (summary.sample[0][0], summary.encoding) == FIRST_NAMES[case.name]


def test_the_sniffer_hard_file_is_split_on_its_commas(corpus):
    summary = summarise(corpus["sniffer-hard text"])
    assert summary.delimiter == "," and summary.sample[0][4] == 'a,"b' * 2_000


def test_a_chosen_encoding_is_the_one_used(corpus):
    summary = summarise(corpus["Windows-1252 read as the UTF-8 chosen"], "cp1252")
    assert summary.sample[0][0] == "Señor"


def test_a_dimension_bomb_costs_what_its_cells_do(corpus):
    assert summarise(corpus["dimension bomb"]).rows == 2
    assert estimate_rows(corpus["dimension bomb"]) < 100  # not the 1,048,575 it claims


def test_the_limits_are_the_operators(tmp_path, configured):
    configured(upload_max_columns=3)
    wide = write_csv(tmp_path / "wide.csv", [["a", "b", "c"], ["a", "b", "c", "d"]])
    assert "Row 2 has 4 columns; files may have up to 3 columns." in refusal(wide)
    configured(upload_max_cell_chars=5)
    long = write_csv(tmp_path / "long.csv", [["Name"], ["abcdef"]])
    assert 'Row 2, column "Name": the cell holds 6 characters; a cell may hold up to 5.' \
        in refusal(long)
    configured(upload_max_rows=2)
    three = write_csv(tmp_path / "three.csv", [["Name"], ["a"], ["b"], ["c"]])
    assert "more than 2 rows" in refusal(three)
    two = write_csv(tmp_path / "two.csv", [["Name"], ["a"], [""], ["b"]])
    assert summarise(two).rows == 2  # blank rows do not count
    configured(upload_max_bytes=100)
    assert "larger than 100 bytes" in refusal(write_csv(tmp_path / "big.csv", [["x" * 101]]))
    configured(upload_max_bytes=MB, upload_max_unpacked_bytes=2048)
    book = write_xlsx(tmp_path / "book.xlsx", sheet_xml([["Name"], ["a" * 3000]]))
    assert "unpacks to more than 2 KB" in refusal(book)


def test_a_file_at_every_limit_is_read(tmp_path):
    headers = [f"Column {i}" for i in range(500)]
    path = write_csv(tmp_path / "full.csv", [headers, ["x" * 10_000] * 500])
    summary = summarise(path)
    assert (len(summary.headers), summary.rows, len(summary.sample[0][499])) == (500, 1, 10_000)
    last = f'<row r="2"><c r="SF2" t="inlineStr"><is><t>{"y" * 10_000}</t></is></c></row>'
    book = write_xlsx(tmp_path / "full.xlsx", sheet_xml([headers[:1]], extra=last))
    assert len(summarise(book).sample[0]) == 500  # SF is the 500th column


def test_headers_unnamed_columns_and_our_formula_guard(tmp_path):
    path = write_csv(tmp_path / "guarded.csv", [
        ["Customer Name", "", "'=Label", ""],
        ["'=SUM(A1)", "''=x", "'abc", "'－1"]])
    headers, stream = read_table(path)
    assert headers == ["Customer Name", "Column 2", "=Label", "Column 4"]
    assert next(stream) == (2, ["=SUM(A1)", "'=x", "'abc", "－1"])


def test_excel_values_read_as_the_person_typed_them(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Rate", "Terms", "Start", "Meeting", "Auto Pay", "Big"])
    sheet.append(["Acme", 8.875, 30, date(2027, 3, 31), datetime(2027, 3, 31, 12, 30),
                  True, 1234567890123])
    book.save(tmp_path / "typed.xlsx")
    (row,) = summarise(tmp_path / "typed.xlsx").sample
    assert row == ["Acme", "8.875", "30", "2027-03-31", "2027-03-31 12:30:00", "TRUE",
                   "1234567890123"]


def test_excel_rich_text_prefixes_and_the_1904_calendar(tmp_path):
    strings = (f'<sst {NS}><si><r><t>Ac</t></r><r><rPr><b/></rPr><t>me</t></r>'
               "<rPh><t>アクメ</t></rPh></si></sst>").encode()
    sheet = ('<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Name</x:t></x:is>'
             '</x:c><x:c r="B1" t="inlineStr"><x:is><x:t>Start</x:t></x:is></x:c></x:row>'
             '<x:row r="2"><x:c r="A2" t="s"><x:v>0</x:v></x:c><x:c r="B2" s="1"><x:v>46477</x:v>'
             "</x:c></x:row></x:sheetData></x:worksheet>")
    styles = (f'<styleSheet {NS}><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/>'
              "</cellXfs></styleSheet>")
    path = write_xlsx(tmp_path / "rich.xlsx", sheet, strings=strings, styles=styles)
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(tmp_path / "1904.xlsx", "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b"<sheets>", b'<workbookPr date1904="1"/><sheets>')
            new.writestr(item, data.replace(b"46477", b"45015"))
    assert summarise(path).sample == [["Acme", "2027-03-31"]]
    assert summarise(tmp_path / "1904.xlsx").sample == [["Acme", "2027-03-31"]]


@cache
def small_workbook() -> bytes:
    out = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(HEADERS)
    for values in rows(3):
        book.active.append(values)
    book.save(out)
    return out.getvalue()


@hypothesis_settings(max_examples=300, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2_000), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_any_bytes_are_read_or_refused_never_a_crash(tmp_path, data, suffix):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    with suppress(ValidationError):
        summarise(path)


@hypothesis_settings(max_examples=300, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_a_damaged_workbook_is_read_or_refused_never_a_crash(tmp_path, data):
    original = bytearray(small_workbook())
    damaged = original[:]
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(damaged) - 1))
        damaged[at] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(damaged) // 2, len(damaged)))
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(damaged[:cut]))
    with suppress(ValidationError):
        summarise(path)


def test_a_csv_of_every_delimiter_reads_the_same(tmp_path):
    for delimiter in ",;\t|":
        path = tmp_path / "d.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            csv.writer(out, delimiter=delimiter).writerows([HEADERS, ["Acme; Inc, Ltd", "EUR"]])
        summary = summarise(path)
        assert (summary.delimiter, summary.sample[0][:2]) == (delimiter, ["Acme; Inc, Ltd", "EUR"])
