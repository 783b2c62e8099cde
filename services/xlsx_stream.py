"""A workbook of one sheet written row by row in bounded memory: the Excel export's writer.

xlsxwriter's constant-memory mode spends some 4 µs of bookkeeping on every cell, about a
minute for the 13 million cells of a million customers. This writer does only what the
export needs: text, number and date cells in five fixed styles, column widths, the header
row frozen and filterable; it writes the XML xlsxwriter writes for the same cells (inline
strings with the same escapes, numbers to 16 significant digits, Excel's serial dates).

The sheet's XML names its dimension and column widths before its rows, and both are known
only once every row is written, so rows go to a temporary file as they come and
`finish` writes the package, copying them into the sheet's zip entry.
"""

import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import IntEnum
from typing import IO

MAX_TEXT = 32_767  # Excel's longest cell text, in UTF-16 units
MAX_DIGIT_WIDTH, CELL_PADDING = 7, 5  # pixels, as Excel measures Calibri 11
EPOCH = datetime(1899, 12, 31)
EPOCH_UTC = EPOCH.replace(tzinfo=UTC)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the same bytes for the same rows
COPY_BLOCK = 1 << 20
EXACT_WHOLE = 2**53  # a whole number up to it is exact in a number cell (a double)


class Style(IntEnum):
    """The cell formats of styles.xml, by their index."""

    PLAIN = 0
    BOLD = 1
    PERCENT = 2
    DATE = 3
    STAMP = 4


_STYLE_ATTRIBUTE = {style: f' s="{style.value}"' if style else "" for style in Style}

# Text that needs more than copying: XML's special characters, control characters (as
# _xHHHH_), two non-characters, or a space at either end (xml:space="preserve").
_NEEDS_CARE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|^\s|\s$")
_ESCAPE_LIKE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_EDGE_SPACE = re.compile(r"^\s|\s$")


def column_letter(index: int) -> str:
    """A, B, ... Z, AA, ... for the zero-based column `index`."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _utf16_truncated(text: str) -> str:
    if len(text.encode("utf-16-le")) // 2 <= MAX_TEXT:
        return text
    while len(text.encode("utf-16-le")) // 2 > MAX_TEXT:
        text = text[:-1]
    return text


def text_cell(text: str, style: Style = Style.PLAIN) -> str:
    """An inline-string cell holding `text` (cut at Excel's limit, as xlsxwriter cuts it),
    without its reference: SheetWriter puts each cell where its column is."""
    if len(text) <= MAX_TEXT // 2 and _NEEDS_CARE.search(text) is None:
        return f'{_STYLE_ATTRIBUTE[style]} t="inlineStr"><is><t>{text}</t></is></c>'
    text = _utf16_truncated(text)
    preserve = ' xml:space="preserve"' if _EDGE_SPACE.search(text) else ""
    text = _ESCAPE_LIKE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda match: f"_x{ord(match.group(1)):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'{_STYLE_ATTRIBUTE[style]} t="inlineStr"><is><t{preserve}>{text}</t></is></c>'


def number_cell(number: float, style: Style = Style.PLAIN) -> str:
    """A number cell, without its reference (see text_cell)."""
    return f"{_STYLE_ATTRIBUTE[style]}><v>{number:.16G}</v></c>"


def whole_cell(number: int) -> str:
    """A whole number's cell: its digits, what number_cell writes where a double holds it
    exactly, without number_cell's trip through a float."""
    return f"><v>{number}</v></c>" if -EXACT_WHOLE <= number <= EXACT_WHOLE else number_cell(number)


def excel_serial(value: datetime, *, to_the_second: bool = False) -> float:
    """Days since Excel's epoch, the fraction the time of day (a time zone's value in UTC);
    Excel counts a 29 February 1900 that never was, so later dates are one day further."""
    delta = value - (EPOCH if value.tzinfo is None else EPOCH_UTC)
    seconds = float(delta.seconds)
    if not to_the_second:
        seconds += float(delta.microseconds) / 1e6
    serial = delta.days + seconds / 86_400
    return serial + 1 if serial > 59 else serial


def column_width(characters: float) -> str:
    """The <col> width Excel stores for a column `characters` wide (whole pixels)."""
    pixels = int(characters * MAX_DIGIT_WIDTH + 0.5) + CELL_PADDING
    return f"{pixels * 256 // MAX_DIGIT_WIDTH / 256:.16g}"


def _escaped_attribute(value: str) -> str:
    return (value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))


XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"

CONTENT_TYPES = (
    f'{XML_HEAD}<Types xmlns="{PACKAGE}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{CONTENT_TYPE}.styles+xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{CONTENT_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CONTENT_TYPE}.worksheet'
    '+xml"/></Types>')
ROOT_RELATIONSHIPS = (
    f'{XML_HEAD}<Relationships xmlns="{PACKAGE}/relationships"><Relationship Id="rId1" '
    f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK_RELATIONSHIPS = (
    f'{XML_HEAD}<Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
    "</Relationships>")
_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/>'
_XF = '<xf numFmtId="{}" fontId="{}" fillId="0" borderId="0" xfId="0"{}/>'
STYLES = (
    f'{XML_HEAD}<styleSheet xmlns="{MAIN}">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="0.00##"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="166" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '</cellStyleXfs><cellXfs count="5">'
    + _XF.format(0, 0, "")  # Style.PLAIN
    + _XF.format(0, 1, ' applyFont="1"')  # Style.BOLD
    + "".join(_XF.format(number_format, 0, ' applyNumberFormat="1"')
              for number_format in (164, 165, 166))  # PERCENT, DATE, STAMP
    + '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>")


class SheetWriter:
    """Rows in, a one-sheet workbook out: `add_rows` as often as needed, then `finish`. The
    first row is the header: frozen, and the filter covers every row written."""

    def __init__(self, out: IO[bytes], sheet_name: str, columns: int, rows_xml: IO[bytes]):
        self.out = out
        self.sheet_name = sheet_name
        self.columns = columns
        self.rows = 0
        self._rows_xml = rows_xml
        self._letters = [column_letter(index) for index in range(columns)]

    def add_rows(self, rows: list[list[str | None]]) -> None:
        """Rows of cells made by text_cell and number_cell, one per column (None for an
        empty cell), each row below the last."""
        letters = self._letters
        first = self.rows + 1
        self._rows_xml.write("".join(
            f'<row r="{number}">'
            + "".join([f'<c r="{letter}{number}"{cell}'
                       for letter, cell in zip(letters, cells, strict=True)
                       if cell is not None])
            + "</row>"
            for number, cells in enumerate(rows, first)).encode())
        self.rows += len(rows)

    def finish(self, widths: list[float]) -> None:
        """Write the package to `out`, the columns `widths` characters wide."""
        area = f"A1:{column_letter(self.columns - 1)}{max(self.rows, 1)}"
        with zipfile.ZipFile(self.out, "w", zipfile.ZIP_DEFLATED) as package:
            for name, text in (("[Content_Types].xml", CONTENT_TYPES),
                               ("_rels/.rels", ROOT_RELATIONSHIPS),
                               ("xl/workbook.xml", self._workbook(area)),
                               ("xl/_rels/workbook.xml.rels", WORKBOOK_RELATIONSHIPS),
                               ("xl/styles.xml", STYLES)):
                package.writestr(_entry(name), text)
            with package.open(_entry("xl/worksheets/sheet1.xml"), "w",
                              force_zip64=True) as sheet:
                sheet.write(_sheet_head(area, widths).encode())
                self._rows_xml.seek(0)
                shutil.copyfileobj(self._rows_xml, sheet, COPY_BLOCK)
                sheet.write(f'</sheetData><autoFilter ref="{area}"/>{SHEET_TAIL}'.encode())

    def _workbook(self, filter_area: str) -> str:
        name = _escaped_attribute(self.sheet_name)
        quoted = f"'{name}'" if re.search(r"[^A-Za-z0-9_]", self.sheet_name) else name
        absolute = re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", filter_area)
        return (f'{XML_HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
                f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>'
                '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" '
                f'hidden="1">{quoted}!{absolute}</definedName></definedNames>'
                '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')


@contextmanager
def sheet_writer(out: IO[bytes], sheet_name: str, columns: int) -> Iterator[SheetWriter]:
    """A SheetWriter whose rows wait in a temporary file, removed when the block ends."""
    with tempfile.TemporaryFile() as rows_xml:
        yield SheetWriter(out, sheet_name, columns, rows_xml)


SHEET_TAIL = ('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
              'footer="0.3"/></worksheet>')


def _sheet_head(area: str, widths: list[float]) -> str:
    columns = "".join(f'<col min="{i}" max="{i}" width="{column_width(w)}" customWidth="1"/>'
                      for i, w in enumerate(widths, 1))
    return (f'{XML_HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            f'<dimension ref="{area}"/><sheetViews><sheetView tabSelected="1" '
            'workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            'state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{columns}</cols><sheetData>')


def _entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry
