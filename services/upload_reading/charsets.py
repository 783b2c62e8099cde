"""Which text encoding a CSV file is in, when the person importing it does not say.

A byte-order mark decides (UTF-8, UTF-16, UTF-32); without one, a file that is valid
UTF-8 from end to end is UTF-8 (checked in 1 MB pieces at C speed), and anything
else is Windows-1252, or Latin-1 when it holds one of the five bytes Windows-1252
leaves undefined. Latin-1 decodes any byte, so detection never fails; a file that is
not text at all is caught by the reader (NUL characters).
"""

import codecs
from pathlib import Path
from typing import BinaryIO

AUTOMATIC = ""
CHOICES = {AUTOMATIC: "Detect automatically", "utf-8-sig": "UTF-8", "utf-16": "UTF-16",
           "cp1252": "Windows-1252", "latin-1": "Latin-1 (ISO 8859-1)"}
LABELS = {**CHOICES, "utf-32": "UTF-32"}

# UTF-32's little-endian mark begins with UTF-16's, so it is looked for first.
_MARKS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
          (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
          (codecs.BOM_UTF16_BE, "utf-16"))
_UNDEFINED_IN_CP1252 = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
_PIECE = 1 << 20


def detect(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(4)
        for mark, name in _MARKS:
            if head.startswith(mark):
                return name
        handle.seek(0)
        if _valid_utf8(handle):
            return "utf-8-sig"
        handle.seek(0)
        return "latin-1" if _holds_any(handle, _UNDEFINED_IN_CP1252) else "cp1252"


def label(encoding: str) -> str:
    return LABELS.get(encoding, encoding)


def _pieces(handle: BinaryIO):
    return iter(lambda: handle.read(_PIECE), b"")


def _valid_utf8(handle: BinaryIO) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for piece in _pieces(handle):
            decoder.decode(piece)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _holds_any(handle: BinaryIO, needles: tuple[bytes, ...]) -> bool:
    return any(needle in piece for piece in _pieces(handle) for needle in needles)
