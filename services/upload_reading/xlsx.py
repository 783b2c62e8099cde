"""Excel (.xlsx): the first worksheet, streamed out of the zip with expat, bounded by what the
file holds, never by what it claims.

- Entries: the file is scanned for central-directory records before zipfile parses them,
  and more than MAX_PARTS is refused (a directory of 600,000 tiny entries fits in 50 MB
  and costs zipfile 200 MB).
- Unpacked size: the parts read (relationships, workbook, styles, shared strings, the
  sheet) may unpack to `Limits.unpacked_bytes` together, the small ones to
  METADATA_BYTES each, and no part over 1 MB to more than MAX_RATIO times its packed
  size (Apache POI's rule: real sheets pack 10-30 to 1, zip bombs 1,000 to 1). Each is
  checked on what the part declares, before it is inflated, and zipfile never inflates
  past that (a part that lies fails its checksum). This bounds the XML parsed, which is
  what costs time: some 0.15 µs a byte at worst.
- Dimension: the sheet's <dimension> (which may claim A1:XFD1048576) is never used to
  read. Only cells present are read, and a row is as wide as its last cell holding a
  value, so an empty cell far to the right costs nothing.
- Shared strings: kept as UTF-8 bytes plus an offset each, and no more strings than the
  sheet has room for cells (5 million empty strings zip to 208 KB).
- XLSX parts never have a DTD, so one is refused and no entity can expand.
"""

import re
from array import array
from collections.abc import Iterator
from contextlib import suppress
from datetime import datetime, timedelta
from pathlib import Path

from services.errors import ValidationError
from services.upload_reading.limits import Limits, cell_too_long, refused, too_many_columns
from services.upload_reading.xlsx_package import (
    CELL,
    ITEM,
    MAX_COLUMN_LETTERS,
    MAX_STYLES,
    PHONETIC,
    ROW,
    SMALLEST_CELL,
    SMALLEST_ROW,
    TEXT,
    VALUE,
    Package,
    Workbook,
    damaged,
    local_name,
)

_BUILTIN_DATES = {str(n) for n in (*range(14, 23), *range(27, 37), *range(45, 48),
                                   *range(50, 59))}
_NOT_DATE_PARTS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].')
_EPOCHS = {False: datetime(1899, 12, 30), True: datetime(1904, 1, 1)}
_LAST_SERIAL = 2_958_465  # 9999-12-31


def _is_date_format(code: str) -> bool:
    return re.search(r"[dmyhs]", _NOT_DATE_PARTS.sub("", code), re.IGNORECASE) is not None


def date_styles(pkg: Package, part: str | None) -> frozenset[str]:
    """The cell style indexes (as the sheet writes them) whose number format shows a date."""
    if part is None or part not in pkg.parts:
        return frozenset()
    formats: dict[str, bool] = {}
    xfs: list[str] = []
    inside = [False]

    def start(name, attrs):
        local = local_name(name)
        if local == "numFmt" and len(formats) < MAX_STYLES:
            formats[attrs.get("numFmtId", "")] = _is_date_format(attrs.get("formatCode", ""))
        elif local == "cellXfs":
            inside[0] = True
        elif local == "xf" and inside[0] and len(xfs) < MAX_STYLES:
            xfs.append(attrs.get("numFmtId", "0"))

    def end(name):
        if local_name(name) == "cellXfs":
            inside[0] = False

    pkg.read(part, start, end)
    return frozenset(str(i) for i, fmt in enumerate(xfs)
                     if formats.get(fmt, fmt in _BUILTIN_DATES))


class SharedStrings:
    """The shared-strings table as UTF-8 bytes and end offsets: about the file's own text
    plus 8 bytes a string, where a list of str would cost some 60 bytes more each."""

    def __init__(self):
        self.text = bytearray()
        self.ends = array("Q")

    def __len__(self) -> int:
        return len(self.ends)

    def add(self, value: str) -> None:
        self.text += value.encode()
        self.ends.append(len(self.text))

    def __getitem__(self, index: int) -> str:
        start = self.ends[index - 1] if index else 0
        return self.text[start:self.ends[index]].decode()


def shared_strings(pkg: Package, part: str | None, most: int, limits: Limits
                   ) -> SharedStrings:
    table = SharedStrings()
    if part is None or part not in pkg.parts:
        return table
    pieces: list[str] = []
    collecting, phonetic, chars = False, 0, 0

    def start(name, attrs):
        nonlocal collecting, phonetic, chars
        if name in ITEM:
            pieces.clear()
            chars = 0
        elif name in TEXT:
            collecting = phonetic == 0
        elif name in PHONETIC:
            phonetic += 1

    def end(name):
        nonlocal collecting, phonetic
        if name in ITEM:
            if len(table) >= most:
                raise refused(
                    "The Excel file's shared-strings table holds more strings than its "
                    f"sheet has room for ({most:,}); Excel never writes such a file. Save it "
                    "again from Excel, or as CSV.")
            table.add("".join(pieces))
        elif name in TEXT:
            collecting = False
        elif name in PHONETIC:
            phonetic -= 1

    def text(data):
        nonlocal chars
        if collecting:
            chars += len(data)
            if chars > limits.cell_chars:
                raise refused("A text in the Excel file holds more than "
                              f"{limits.cell_chars:,} characters, the most a cell may hold.")
            pieces.append(data)

    for _ in pkg.parse(part, start, end, text):
        pass
    return table


def _column_index(letters: str) -> int:
    """The zero-based column of "A", "AB", ...; -1 for what is not a column."""
    if not 0 < len(letters) <= MAX_COLUMN_LETTERS or not letters.isascii():
        return -1
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


def _number(text: str) -> str:
    """A number as the person typed it: 19 not 19.0, 8.875 not 8.8749999."""
    try:
        value = float(text)
    except ValueError:
        return text
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _date(text: str, date1904: bool) -> str:
    try:
        serial = float(text)
    except ValueError:
        return text
    if not 0 <= serial <= _LAST_SERIAL:
        return _number(text)
    if serial < 61 and not date1904:
        serial += 1  # Excel counts a 29 February 1900 that never was
    moment = _EPOCHS[date1904] + timedelta(days=serial)
    if serial.is_integer():
        return moment.date().isoformat()
    return moment.isoformat(sep=" ", timespec="seconds")


def rows(path: Path, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    """The first worksheet's rows as (row number, cells), header first."""
    pkg = Package(path, limits)
    try:
        book = Workbook(pkg)
        if book.sheet not in pkg.parts:
            raise damaged(f"{book.sheet} is missing")
        dates = date_styles(pkg, book.styles)
        strings = shared_strings(pkg, book.strings, pkg.size(book.sheet) // SMALLEST_CELL + 1,
                                 limits)
        yield from _sheet(pkg, book, strings, dates, limits)
    finally:
        pkg.close()


def _sheet(pkg: Package, book: Workbook, strings: SharedStrings, dates: frozenset[str],
           limits: Limits) -> Iterator[tuple[int, list[str]]]:
    done: list[tuple[int, list[str]]] = []
    row: list[str] = []
    pieces: list[str] = []
    line = col = next_col = chars = phonetic = 0
    kind, style, collecting = "n", None, False
    columns: dict[str, int] = {}  # "AB" -> 27, for the columns within the limit

    # The handlers run once or twice per cell: plain closures over local names, the
    # cheapest call Python has, and the commonest element tested first.
    def start(name, attrs):
        nonlocal col, kind, style, chars, collecting, line, next_col, phonetic
        if name in CELL:
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                col = columns.get(letters, -1)
                if col < 0:
                    col = _column_index(letters)
                    if 0 <= col < limits.columns:
                        columns[letters] = col
                    elif col < 0:
                        col = next_col
            else:
                col = next_col
            kind = attrs.get("t", "n")
            style = attrs.get("s")
            chars = 0
            pieces.clear()
        elif name in VALUE:
            collecting = True
        elif name in TEXT:
            collecting = phonetic == 0
        elif name in ROW:
            number = attrs.get("r", "")
            line = int(number) if number.isascii() and number.isdigit() and len(number) <= 7 \
                else line + 1
            next_col = 0
        elif name in PHONETIC:
            phonetic += 1

    def end(name):
        nonlocal row, collecting, next_col, phonetic
        if name in CELL:
            next_col = col + 1
            value = value_of(kind, "".join(pieces), style) if pieces else ""
            if not value:
                return
            if col >= limits.columns:
                raise too_many_columns(col + 1, line, limits)
            gap = col - len(row)
            if gap > 0:
                row.extend([""] * gap)
            if gap >= 0:
                row.append(value)
            else:
                row[col] = value
        elif name in VALUE or name in TEXT:
            collecting = False
        elif name in ROW:
            done.append((line, row))  # an empty one counts as a blank row
            row = []
        elif name in PHONETIC:
            phonetic -= 1

    def text(data):
        nonlocal chars
        if collecting:
            chars += len(data)
            if chars > limits.cell_chars:
                raise cell_too_long(line, None, None, limits)
            pieces.append(data)

    def value_of(kind: str, raw: str, style: str | None) -> str:
        if kind == "s":
            try:
                return strings[int(raw)]
            except (ValueError, IndexError) as exc:
                raise damaged(f"row {line:,} refers to a shared string that is not there"
                              ) from exc
        if kind == "n":
            return _date(raw, book.date1904) if style in dates else _number(raw)
        if kind == "b":
            return "TRUE" if raw.strip() == "1" else "FALSE"
        return raw  # inlineStr, str (a formula's text), e (an error such as #N/A), d (ISO)

    for _ in pkg.parse(book.sheet, start, end, text):
        yield from done
        done.clear()
    yield from done


def room_for_rows(path: Path, limits: Limits) -> int:
    """The most rows the first sheet's unpacked size leaves room for."""
    try:
        pkg = Package(path, limits)
    except ValidationError:
        return 0  # reading it will say why
    try:
        return pkg.size(Workbook(pkg).sheet) // SMALLEST_ROW
    except ValidationError:
        return 0
    finally:
        pkg.close()


def estimate_rows(path: Path, limits: Limits) -> int:
    """About how many rows the first sheet has, for a progress bar: the <dimension> it
    claims, but never more than its size leaves room for."""
    pkg = Package(path, limits)
    try:
        book = Workbook(pkg)
        room = pkg.size(book.sheet) // SMALLEST_ROW
        claimed = [room]

        class _Found(Exception):
            pass

        def start(name, attrs):
            local = local_name(name)
            if local == "dimension":
                last = attrs.get("ref", "").rpartition(":")[2].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                if last.isascii() and last.isdigit():
                    claimed[0] = int(last[:9]) - 1
                raise _Found
            if local == "sheetData":
                raise _Found

        with suppress(_Found):
            pkg.read(book.sheet, start, most=None)
        return max(min(claimed[0], room, limits.rows), 1)
    finally:
        pkg.close()
