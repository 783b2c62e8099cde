"""Hostile and awkward files for the import, each built by code into a folder.

Every case is either read (its header is given) or refused (a fragment of the message
that must name what is wrong). The cases go through the reader, the import service,
the command line and the Import page (tests/unit/test_upload_reading.py,
tests/unit/test_hostile_files.py, tests/app/test_import_page.py); bench/file_reading.py
times the expensive ones at full size.
"""

import csv
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
HEADERS = ["Customer Name", "Billing Currency", "Primary Contact Email", "External IDs"]
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def rows(n: int, start: int = 0) -> list[list[str]]:
    return [[f"Acme {i}", "EUR", f"ap{i}@acme.example", f"hf-{i}"] for i in range(start, n)]


def write_csv(path: Path, table: Iterable[list[str]], *, encoding: str = "utf-8",
              delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as out:
        csv.writer(out, delimiter=delimiter).writerows(table)
    return path


# ---- Excel, written part by part so that any part can lie ----------------------------------

def cell(ref: str, value: str) -> str:
    escaped = value.replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{escaped}</t></is></c>'


def sheet_xml(table: list[list[str]], *, dimension: str | None = None, extra: str = "") -> str:
    body = []
    for number, values in enumerate(table, start=1):
        cells = "".join(cell(f"{chr(65 + i)}{number}", v) for i, v in enumerate(values) if v)
        body.append(f'<row r="{number}">{cells}</row>')
    size = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>{size}<sheetData>'
            f'{"".join(body)}{extra}</sheetData></worksheet>')


def write_xlsx(path: Path, sheet: str | bytes | Callable, *, strings: bytes | None = None,
               styles: str | None = None, extra_parts: dict[str, bytes] | None = None,
               level: int = 6) -> Path:
    """A minimal workbook; `sheet` may be a function that writes the sheet part itself
    into an open zip entry (for parts too large to hold in memory)."""
    rels = [f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>']
    if strings is not None:
        rels.append(f'<Relationship Id="rId2" Type="{REL}/sharedStrings" '
                    'Target="sharedStrings.xml"/>')
    if styles is not None:
        rels.append(f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>')
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as book:
        book.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns='
                      '"http://schemas.openxmlformats.org/package/2006/content-types"/>')
        book.writestr("_rels/.rels", f'<Relationships xmlns="{package}"><Relationship Id="r1" '
                      f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        book.writestr("xl/workbook.xml", f'<workbook {NS} xmlns:r="{REL}"><sheets><sheet '
                      'name="Customers" sheetId="1" r:id="rId1"/></sheets></workbook>')
        book.writestr("xl/_rels/workbook.xml.rels",
                      f'<Relationships xmlns="{package}">{"".join(rels)}</Relationships>')
        if strings is not None:
            book.writestr("xl/sharedStrings.xml", strings)
        if styles is not None:
            book.writestr("xl/styles.xml", styles)
        for name, data in (extra_parts or {}).items():
            book.writestr(name, data)
        if callable(sheet):
            with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
                sheet(out)
        else:
            book.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


# ---- the cases ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], Path]
    refusal: str | None = None  # a fragment of the refusing message; None: the file is read
    headers: tuple[str, ...] = tuple(HEADERS)
    encoding: str | None = None  # the encoding chosen on the page (None: detected)

    def __str__(self) -> str:
        return self.name


def dimension_bomb(folder: Path) -> Path:
    """1.8 KB claiming A1:XFD1048576; the old reader padded every row to 16,384 cells."""
    return write_xlsx(folder / "dimension-bomb.xlsx",
                      sheet_xml([HEADERS, *rows(2)], dimension="A1:XFD1048576"))


def far_empty_cell(folder: Path) -> Path:
    """Formatting on an empty cell in the last column and the last row: nothing to read."""
    extra = '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    return write_xlsx(folder / "far-empty-cell.xlsx", sheet_xml([HEADERS, *rows(2)], extra=extra))


def string_bomb(folder: Path, count: int = 5_000_000) -> Path:
    """5 million empty shared strings: 208 KB zipped, 545 MB for the old reader."""
    strings = (f'<sst {NS} count="{count}" uniqueCount="{count}">'.encode()
               + b"<si><t/></si>" * count + b"</sst>")
    return write_xlsx(folder / "string-bomb.xlsx", sheet_xml([HEADERS, *rows(2)]),
                      strings=strings, level=9)


def unused_strings(folder: Path, count: int = 1_000_000) -> Path:
    """A million distinct shared strings (packing like real text) for a sheet of 3 rows."""
    items = "".join(f"<si><t>{n:x}</t></si>" for n in range(count))
    return write_xlsx(folder / "unused-strings.xlsx", sheet_xml([HEADERS, *rows(2)]),
                      strings=f"<sst {NS}>{items}</sst>".encode())


def zip_bomb(folder: Path, unpacked: int = 210 * MB) -> Path:
    """A sheet that inflates to 210 MB of blanks from a few hundred KB."""
    def blanks(out) -> None:
        out.write(f'<worksheet {NS}><sheetData>'.encode())
        piece = b" " * MB
        for _ in range(unpacked // MB):
            out.write(piece)
        out.write(b"</sheetData></worksheet>")
    return write_xlsx(folder / "zip-bomb.xlsx", blanks, level=9)


def lying_zip(folder: Path) -> Path:
    """A sheet whose directory entry claims 100 bytes but that inflates to 5 MB."""
    sheet = f"<worksheet {NS}><sheetData>" + " " * (5 * MB) + "</sheetData></worksheet>"
    path = write_xlsx(folder / "lying-zip.xlsx", sheet)
    data = bytearray(path.read_bytes())
    record = data.rfind(b"xl/worksheets/sheet1.xml") - 46  # its central-directory record
    assert data[record:record + 4] == b"PK\x01\x02"
    data[record + 24:record + 28] = (100).to_bytes(4, "little")  # the uncompressed size
    path.write_bytes(bytes(data))
    return path


def billion_laughs(folder: Path) -> Path:
    entities = '<!ENTITY a "ha">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    sheet = (f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]><worksheet {NS}>'
             f'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&j;</t></is></c></row>'
             "</sheetData></worksheet>")
    return write_xlsx(folder / "billion-laughs.xlsx", sheet)


def many_parts(folder: Path, count: int = 20_000) -> Path:
    return write_xlsx(folder / "many-parts.xlsx", sheet_xml([HEADERS, *rows(2)]),
                      extra_parts={f"p/{i}": b"" for i in range(count)})


def wide_xlsx(folder: Path) -> Path:
    extra = '<row r="4"><c r="ZZ4" t="inlineStr"><is><t>far</t></is></c></row>'
    return write_xlsx(folder / "wide.xlsx", sheet_xml([HEADERS, *rows(2)], extra=extra))


def long_inline_string(folder: Path) -> Path:
    return write_xlsx(folder / "long-cell.xlsx", sheet_xml([HEADERS, ["x" * 200_000, "EUR"]]))


def long_shared_string(folder: Path) -> Path:
    strings = f'<sst {NS}><si><t>{"y" * 200_000}</t></si></sst>'.encode()
    sheet = (f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
             "</sheetData></worksheet>")
    return write_xlsx(folder / "long-shared-string.xlsx", sheet, strings=strings)


def missing_shared_string(folder: Path) -> Path:
    strings = f'<sst {NS}><si><t>Customer Name</t></si></sst>'.encode()
    sheet = (f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
             '<c r="B1" t="s"><v>7</v></c></row></sheetData></worksheet>')
    return write_xlsx(folder / "missing-shared-string.xlsx", sheet, strings=strings)


def broken_xml(folder: Path) -> Path:
    return write_xlsx(folder / "broken-xml.xlsx", f"<worksheet {NS}><sheetData><row>")


def not_a_zip(folder: Path) -> Path:
    path = folder / "not-a-zip.xlsx"
    path.write_text("Customer Name,Billing Currency\nAcme,EUR\n")
    return path


def duplicate_headers_xlsx(folder: Path) -> Path:
    table = [["Customer Name", "Email", "email"], ["Acme", "a@x.io", "b@x.io"]]
    return write_xlsx(folder / "duplicate-headers.xlsx", sheet_xml(table))


def too_large(folder: Path) -> Path:
    """Over 50 MB (a sparse file: no disk is spent on it)."""
    path = folder / "too-large.csv"
    with path.open("wb") as out:
        out.truncate(50 * MB + 1)
    return path


def wide_csv(folder: Path) -> Path:
    """100,000 columns in 20 MB; the old preview took 1.4 GB."""
    header = [f"Column {i}" for i in range(100_000)]
    return write_csv(folder / "wide.csv", [header, ["x" * 190] * 100_000])


def long_cell_csv(folder: Path) -> Path:
    """A 200,000-character cell: more than csv's own field limit, which used to escape."""
    return write_csv(folder / "long-cell.csv", [HEADERS, ["x" * 200_000, "EUR", "a@x.io", "l-1"]])


def open_quote(folder: Path) -> Path:
    """A quote never closed: the rest of the file would be one cell."""
    path = folder / "open-quote.csv"
    path.write_text(",".join(HEADERS) + '\nAcme,"EUR,\n' + ("a" * 99 + "\n") * 60_000)
    return path


def comma_row(folder: Path) -> Path:
    """A row of 6 million empty cells: csv would build a list of them all."""
    path = folder / "comma-row.csv"
    path.write_text("Customer Name\n" + "," * 6_000_000 + "\n")
    return path


def too_many_rows(folder: Path) -> Path:
    path = folder / "too-many-rows.csv"
    path.write_text("Customer Name\n" + "Acme\n" * 1_000_001)
    return path


def line_breaks(folder: Path) -> Path:
    """Nothing but 2 million line breaks after the header: each is a record to read."""
    path = folder / "line-breaks.csv"
    path.write_text("Customer Name\n" + "\n" * 2_000_000)
    return path


def empty_cells(folder: Path) -> Path:
    """190 MB of empty cells from 190 KB: every one an element to parse."""
    def cells(out) -> None:
        out.write(f'<worksheet {NS}><sheetData><row r="1">{cell("A1", "Name")}</row>'
                  '<row r="2">'.encode())
        piece = b"<c/>" * (MB // 4)
        for _ in range(190):
            out.write(piece)
        out.write(b"</row></sheetData></worksheet>")
    return write_xlsx(folder / "empty-cells.xlsx", cells, level=9)


def empty_rows(folder: Path, count: int = 1_000_001) -> Path:
    """Empty rows numbered as Excel numbers them (which packs them too well to be a bomb)."""
    body = "".join([f'<row r="1">{cell("A1", "Name")}</row>',
                    *(f'<row r="{n}"/>' for n in range(2, count + 2))])
    return write_xlsx(folder / "empty-rows.xlsx", f"<worksheet {NS}><sheetData>{body}"
                                                   "</sheetData></worksheet>", level=9)


def duplicate_headers_csv(folder: Path) -> Path:
    return write_csv(folder / "duplicate-headers.csv",
                     [["Customer Name", "Email", "Notes", "EMAIL"], ["Acme", "a@x.io", "", "b"]])


def sniffer_hard(folder: Path) -> Path:
    """63 KB that kept csv.Sniffer busy for 16 seconds (its regular expressions backtrack
    over every quote that is never followed by quote-and-delimiter)."""
    table = [HEADERS + ["Notes"], *(r + ['a,"b' * 2_000] for r in rows(6)), *rows(8, 6)]
    return write_csv(folder / "sniffer-hard.csv", table)


def utf8(folder: Path) -> Path:
    return write_csv(folder / "utf8.csv", [HEADERS, ["Müller & Søn", "EUR", "a@x.io", "u-1"]])


def utf8_bom(folder: Path) -> Path:
    return write_csv(folder / "utf8-bom.csv", [HEADERS, *rows(2)], encoding="utf-8-sig")


def utf16(folder: Path) -> Path:
    return write_csv(folder / "utf16.csv", [HEADERS, ["Zoë", "EUR", "a@x.io", "u-1"]],
                     encoding="utf-16", delimiter="\t")


def utf16_be(folder: Path) -> Path:
    path = folder / "utf16-be.csv"
    text = "\r\n".join(",".join(r) for r in [HEADERS, ["Łódź", "PLN", "a@x.io", "u-1"]])
    path.write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    return path


def windows_1252(folder: Path) -> Path:
    """Excel's "CSV" on Windows: ; and Windows-1252 (€ and curly quotes are 0x80-0x9F)."""
    return write_csv(folder / "windows-1252.csv",
                     [HEADERS, ["Café “Zürich” €", "EUR", "a@x.io", "w-1"]],
                     encoding="cp1252", delimiter=";")


def latin_1(folder: Path) -> Path:
    """Latin-1 text with a byte Windows-1252 leaves undefined (0x81)."""
    path = folder / "latin-1.csv"
    path.write_bytes((",".join(HEADERS) + "\nGarçon\x81,EUR,a@x.io,l-1\n").encode("latin-1"))
    return path


def chosen_utf8_but_not(folder: Path) -> Path:
    return write_csv(folder / "chosen-utf8.csv", [HEADERS, ["Señor", "EUR", "a@x.io", "c-1"]],
                     encoding="cp1252")


def binary(folder: Path) -> Path:
    """An Excel 97-2003 workbook renamed .csv: a compound file, mostly NUL padding."""
    path = folder / "binary.csv"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + bytes(range(256)) * 8)
    return path


# Card numbers in cells (services.card_numbers): the file is read, the rows holding one are
# invalid naming its column (and their cells repeated masked), the look-alikes imported.
CARD_ROWS = [
    ["Acme 4242 4242 4242 4242", "EUR", "c1@acme.example", "card-1"],
    ["Acme", "EUR", "4111111111111111@acme.example", "card-2"],
    ["Acme", "EUR", "c3@acme.example", "4242-4242-4242-4242"],
    ["Acme 4242 4242 4242 4241", "EUR", "c4@acme.example", "card-4"],  # fails the Luhn check
    ["Acme", "EUR", "c5@acme.example", "1790000078698198463"],  # a numeric ID, no brand's
]
CARD_REFUSED = {2: "Customer Name", 3: "Primary Contact Email", 4: "External IDs"}  # line


def card_numbers_csv(folder: Path) -> Path:
    return write_csv(folder / "card-numbers.csv", [HEADERS, *CARD_ROWS])


def card_numbers_xlsx(folder: Path) -> Path:
    return write_xlsx(folder / "card-numbers.xlsx", sheet_xml([HEADERS, *CARD_ROWS]))


def empty(folder: Path) -> Path:
    path = folder / "empty.csv"
    path.write_text("\n\n")
    return path


CASES = [
    Case("dimension bomb", dimension_bomb),
    Case("empty cell in the last column", far_empty_cell),
    Case("string bomb", string_bomb, "times its packed size, as only a zip bomb does"),
    Case("a million shared strings for 3 rows", unused_strings, "shared-strings table"),
    Case("zip bomb", zip_bomb, "unpacks to more than 200 MB"),
    Case("zip entry lying about its size", lying_zip, "not an Excel workbook"),
    Case("entity expansion", billion_laughs, "DTD"),
    Case("20,000 zip entries", many_parts, "more than 10,000 parts"),
    Case("Excel cell beyond the column limit", wide_xlsx, "Row 4 has 702 columns"),
    Case("Excel inline string of 200,000 characters", long_inline_string, "10,000 characters"),
    Case("Excel shared string of 200,000 characters", long_shared_string, "10,000 characters"),
    Case("Excel cell naming a missing shared string", missing_shared_string,
         "shared string that is not there"),
    Case("Excel sheet that is not XML", broken_xml, "not an Excel workbook"),
    Case("Excel file that is not a zip", not_a_zip, "not an Excel workbook"),
    Case("Excel duplicate headers", duplicate_headers_xlsx, 'Two columns are named "email"'),
    Case("file over 50 MB", too_large, "larger than 50 MB"),
    Case("100,000 columns", wide_csv, "100,000 columns; files may have up to 500"),
    Case("200,000-character cell", long_cell_csv, "10,000 characters"),
    Case("quote never closed", open_quote, "quote left open"),
    Case("a row of 6 million empty cells", comma_row, "Row 2 is longer than 500 columns"),
    Case("1,000,001 rows", too_many_rows, "more than 1,000,000 rows"),
    Case("2 million line breaks", line_breaks, "more than 1,000,000 blank rows"),
    Case("190 MB of empty Excel cells from 190 KB", empty_cells, "times its packed size"),
    Case("1,000,001 empty Excel rows", empty_rows, "more than 1,000,000 blank rows"),
    Case("CSV duplicate headers", duplicate_headers_csv, 'Two columns are named "EMAIL"'),
    Case("sniffer-hard text", sniffer_hard, headers=(*HEADERS, "Notes")),
    Case("UTF-8 without BOM", utf8),
    Case("UTF-8 with BOM", utf8_bom),
    Case("UTF-16 little-endian with BOM, tabs", utf16),
    Case("UTF-16 big-endian with BOM", utf16_be),
    Case("Windows-1252 with semicolons", windows_1252),
    Case("Latin-1", latin_1),
    Case("Windows-1252 read as the UTF-8 chosen", chosen_utf8_but_not, "not UTF-8 text",
         encoding="utf-8-sig"),
    Case("binary file", binary, "full of NUL characters"),
    Case("no rows", empty, "holds no rows"),
    Case("card numbers in CSV cells", card_numbers_csv),
    Case("card numbers in Excel cells", card_numbers_xlsx),
]
CARD_CASES = [c for c in CASES if c.name.startswith("card numbers")]
READ = [c for c in CASES if c.refusal is None]
REFUSED = [c for c in CASES if c.refusal is not None]
