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
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterator
from contextlib import suppress
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import IO
from xml.parsers import expat

from services.errors import ValidationError
from services.upload_reading.limits import (
    Limits,
    cell_too_long,
    refused,
    too_many_columns,
    unpacks_too_large,
)

MAX_PARTS = 10_000
MAX_RATIO = 100
METADATA_BYTES = 16 * 1024 * 1024  # workbook, relationships, styles
MAX_STYLES = 65_536  # Excel itself allows 64,000 cell formats
PIECE = 1 << 16
SMALLEST_CELL = len('<c t="s"><v>0</v></c>')
SMALLEST_ROW = len("<row><c><v>0</v></c></row>")
MAX_COLUMN_LETTERS = 3  # XFD, Excel's last column
_MAIN = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
         "http://purl.oclc.org/ooxml/spreadsheetml/main")
_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
           OSError)
_BUILTIN_DATES = {str(n) for n in (*range(14, 23), *range(27, 37), *range(45, 48),
                                   *range(50, 59))}
_NOT_DATE_PARTS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|[_*].')
_EPOCHS = {False: datetime(1899, 12, 30), True: datetime(1904, 1, 1)}
_LAST_SERIAL = 2_958_465  # 9999-12-31


def _names(local: str) -> frozenset[str]:
    """An element's name as expat reports it, in either SpreadsheetML namespace."""
    return frozenset(f"{ns} {local}" for ns in _MAIN)


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


ROW, CELL, VALUE, TEXT, PHONETIC, ITEM = (_names(n) for n in ("row", "c", "v", "t", "rPh", "si"))


def damaged(detail: str) -> ValidationError:
    return refused(f"The file is not an Excel workbook that can be read ({detail}). "
                   "Save it again from Excel as .xlsx, or as CSV.")


def _no_dtd(*_args) -> None:
    raise damaged("it declares a DTD, which Excel files never do")


def _central_records(path: Path) -> int:
    """How many central-directory records the file holds at most: zipfile parses one per
    signature it finds, so counting signatures bounds its work before it starts."""
    signature, count, tail = b"PK\x01\x02", 0, b""
    with path.open("rb") as handle:
        for piece in iter(lambda: handle.read(1 << 20), b""):
            window = tail + piece
            count += window.count(signature)
            tail = window[-3:]  # a signature cut in two by the pieces is counted once
    return count


class _Package:
    """The zip, with a budget of unpacked bytes shared by every part read from it."""

    def __init__(self, path: Path, limits: Limits):
        if _central_records(path) > MAX_PARTS:
            raise damaged(f"it holds more than {MAX_PARTS:,} parts")
        try:
            self.zip = zipfile.ZipFile(path)
        except _DAMAGE as exc:
            raise damaged(str(exc) or type(exc).__name__) from exc
        self.parts = {info.filename: info for info in self.zip.infolist()}
        self.limits = limits
        self.left = limits.unpacked_bytes

    def size(self, name: str) -> int:
        info = self.parts.get(name)
        return info.file_size if info else 0

    def open(self, name: str, most: int | None = None) -> IO[bytes]:
        info = self.parts.get(name)
        if info is None:
            raise damaged(f"{name} is missing")
        if info.file_size > self.left:
            raise unpacks_too_large(self.limits)
        if most is not None and info.file_size > most:
            raise damaged(f"{name} unpacks to more than {most // 1024 // 1024} MB")
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * info.compress_size:
            raise damaged(f"{name} unpacks to {info.file_size // max(info.compress_size, 1):,} "
                          "times its packed size, as only a zip bomb does")
        self.left -= info.file_size
        try:
            return self.zip.open(info)
        except _DAMAGE as exc:
            raise damaged(f"{name}: {exc}") from exc

    def parse(self, name: str, start: Callable | None = None, end: Callable | None = None,
              text: Callable | None = None, most: int | None = None) -> Iterator[None]:
        """Feed a part to expat a piece at a time, pausing after each piece (the handlers
        collect what they find meanwhile)."""
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = _no_dtd
        if start:
            parser.StartElementHandler = start
        if end:
            parser.EndElementHandler = end
        if text:
            parser.CharacterDataHandler = text
        with self.open(name, most) as stream:
            try:
                while piece := stream.read(PIECE):
                    parser.Parse(piece, False)
                    yield
                parser.Parse(b"", True)
            except expat.ExpatError as exc:
                raise damaged(f"{name}: {expat.ErrorString(exc.code)}, line {exc.lineno}"
                              ) from exc
            except _DAMAGE as exc:
                raise damaged(f"{name}: {exc}") from exc

    def read(self, name: str, start: Callable, end: Callable | None = None,
             most: int | None = METADATA_BYTES) -> None:
        for _ in self.parse(name, start, end, most=most):
            pass

    def close(self) -> None:
        self.zip.close()


def _relationships(pkg: _Package, part: str) -> dict[str, tuple[str, str]]:
    """Id -> (type, target part) of the relationships `part` declares."""
    folder = PurePosixPath(part).parent
    rels_part = str(folder / "_rels" / (PurePosixPath(part).name + ".rels"))
    found: dict[str, tuple[str, str]] = {}
    if rels_part not in pkg.parts:
        return found

    def start(name, attrs):
        if _local(name) != "Relationship" or attrs.get("TargetMode") == "External":
            return
        if len(found) >= MAX_PARTS:
            raise damaged(f"{rels_part} lists more than {MAX_PARTS:,} relationships")
        target = attrs.get("Target", "")
        resolved = target.lstrip("/") if target.startswith("/") else str(folder / target)
        found[attrs.get("Id", "")] = (attrs.get("Type", "").rpartition("/")[2],
                                      _normalised(resolved))

    pkg.read(rels_part, start)
    return found


def _normalised(part: str) -> str:
    names: list[str] = []
    for piece in part.split("/"):
        if piece == "..":
            if names:
                names.pop()
        elif piece not in ("", "."):
            names.append(piece)
    return "/".join(names)


class Workbook:
    """Where the first worksheet, its strings and its styles are, and its date system."""

    def __init__(self, pkg: _Package):
        book = next((target for kind, target in _relationships(pkg, "").values()
                     if kind == "officeDocument"), "xl/workbook.xml")
        sheet_ids: list[str] = []
        self.date1904 = False

        def start(name, attrs):
            local = _local(name)
            if local == "sheet":
                if len(sheet_ids) >= MAX_PARTS:
                    raise damaged(f"it lists more than {MAX_PARTS:,} sheets")
                sheet_ids.append(next((v for k, v in attrs.items() if k.endswith(" id")), ""))
            elif local == "workbookPr":
                self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")

        pkg.read(book, start)
        rels = _relationships(pkg, book)
        sheets = [rels[i][1] for i in sheet_ids if rels.get(i, ("",))[0] == "worksheet"]
        if not sheets:
            raise refused("The Excel file has no worksheet.")
        self.sheet = sheets[0]
        by_kind = {kind: target for kind, target in reversed(rels.values())}
        self.strings = by_kind.get("sharedStrings")
        self.styles = by_kind.get("styles")


def _is_date_format(code: str) -> bool:
    return re.search(r"[dmyhs]", _NOT_DATE_PARTS.sub("", code), re.IGNORECASE) is not None


def date_styles(pkg: _Package, part: str | None) -> frozenset[str]:
    """The cell style indexes (as the sheet writes them) whose number format shows a date."""
    if part is None or part not in pkg.parts:
        return frozenset()
    formats: dict[str, bool] = {}
    xfs: list[str] = []
    inside = [False]

    def start(name, attrs):
        local = _local(name)
        if local == "numFmt" and len(formats) < MAX_STYLES:
            formats[attrs.get("numFmtId", "")] = _is_date_format(attrs.get("formatCode", ""))
        elif local == "cellXfs":
            inside[0] = True
        elif local == "xf" and inside[0] and len(xfs) < MAX_STYLES:
            xfs.append(attrs.get("numFmtId", "0"))

    def end(name):
        if _local(name) == "cellXfs":
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


def shared_strings(pkg: _Package, part: str | None, most: int, limits: Limits
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
    pkg = _Package(path, limits)
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


def _sheet(pkg: _Package, book: Workbook, strings: SharedStrings, dates: frozenset[str],
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
        pkg = _Package(path, limits)
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
    pkg = _Package(path, limits)
    try:
        book = Workbook(pkg)
        room = pkg.size(book.sheet) // SMALLEST_ROW
        claimed = [room]

        class _Found(Exception):
            pass

        def start(name, attrs):
            local = _local(name)
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
