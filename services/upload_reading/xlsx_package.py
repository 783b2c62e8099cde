"""Excel (.xlsx) packages: the zip's parts read with their limits checked before anything
is inflated, parsed with expat a piece at a time, and the workbook's own parts (which sheet
is first, its shared strings and styles) found through the relationships. services.
upload_reading.xlsx reads the first sheet's rows out of it; its docstring says what each
limit bounds."""

import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO
from xml.parsers import expat

from services.errors import ValidationError
from services.upload_reading.limits import (
    Limits,
    refused,
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


def _names(local: str) -> frozenset[str]:
    """An element's name as expat reports it, in either SpreadsheetML namespace."""
    return frozenset(f"{ns} {local}" for ns in _MAIN)


def local_name(name: str) -> str:
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


class Package:
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


def _relationships(pkg: Package, part: str) -> dict[str, tuple[str, str]]:
    """Id -> (type, target part) of the relationships `part` declares."""
    folder = PurePosixPath(part).parent
    rels_part = str(folder / "_rels" / (PurePosixPath(part).name + ".rels"))
    found: dict[str, tuple[str, str]] = {}
    if rels_part not in pkg.parts:
        return found

    def start(name, attrs):
        if local_name(name) != "Relationship" or attrs.get("TargetMode") == "External":
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

    def __init__(self, pkg: Package):
        book = next((target for kind, target in _relationships(pkg, "").values()
                     if kind == "officeDocument"), "xl/workbook.xml")
        sheet_ids: list[str] = []
        self.date1904 = False

        def start(name, attrs):
            local = local_name(name)
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
