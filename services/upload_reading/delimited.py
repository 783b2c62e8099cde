"""CSV: the delimiter guessed from a bounded sample in linear time, and records read so that
none can grow past what the limits allow before it is refused.

csv.Sniffer is not used: its regular expressions backtrack, and a crafted 63 KB sample
kept it busy for 16 seconds. Instead each candidate delimiter gets one pass of the C
csv reader over the first 64 KB, and the one that splits most records into the same
number of fields wins.
"""

import csv
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from services.errors import ValidationError
from services.upload_reading import charsets
from services.upload_reading.limits import Limits, record_too_long, refused

DELIMITERS = ",;\t|"
SAMPLE_CHARS = 64 * 1024
NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def guess_delimiter(sample: str, *, complete: bool) -> str:
    """The candidate that splits the most records into the same number (two or more) of
    fields; a comma when none does. The sample's last line is left out when the file goes
    on past it, since it may be cut."""
    lines = sample.splitlines(keepends=True)
    if not complete and len(lines) > 1:
        lines = lines[:-1]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths: Counter[int] = Counter()
        try:
            for cells in csv.reader(lines, delimiter=delimiter):
                widths[len(cells)] += 1
        except csv.Error:
            pass  # a record cut by the sample's end: the records before it still count
        score = max(((n, width) for width, n in widths.items() if width > 1), default=(0, 0))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def sample(path: Path, encoding: str) -> tuple[str, bool]:
    """The first 64 KB of text, and whether that is the whole file."""
    with path.open(encoding=encoding, newline="") as handle:
        text = handle.read(SAMPLE_CHARS)
        return text, handle.read(1) == ""


class CsvRecords:
    """The file's records as lists of strings, numbered from 1 (the header)."""

    def __init__(self, path: Path, encoding: str, limits: Limits):
        self.path, self.encoding, self.limits = path, encoding, limits
        try:
            text, complete = sample(path, encoding)
        except UnicodeDecodeError as exc:
            raise self._undecodable() from exc
        if text.count("\x00") * 100 > len(text):  # binary, or UTF-16 without its mark
            raise refused(
                f"The file is not {charsets.label(encoding)} text: it is full of NUL characters. "
                "If it is a CSV file, choose its encoding under Text encoding; Excel files "
                "must be saved as .xlsx.")
        self.delimiter = guess_delimiter(text, complete=complete)
        # The csv module refuses fields over its own limit (128 KB by default); ours must
        # be the one that speaks, so csv's is kept above it. It is a process-wide setting
        # and is only ever raised.
        if csv.field_size_limit() <= limits.cell_chars:
            csv.field_size_limit(limits.cell_chars + 1)

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        record = 1
        length = [0]  # characters read for the current record, reset as each one ends
        most = self.limits.record_chars

        def bounded(lines: Iterable[str]) -> Iterator[str]:
            for line in lines:
                length[0] += len(line)
                if length[0] > most:
                    raise record_too_long(record, self.limits)
                yield line

        with self.path.open(encoding=self.encoding, newline="") as handle:
            reader = csv.reader(bounded(handle), delimiter=self.delimiter)
            try:
                for cells in reader:
                    yield record, cells
                    record += 1
                    length[0] = 0
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise refused(
                        f"Row {record:,}: a cell runs on for more than "
                        f"{self.limits.cell_chars:,} characters, the most a cell may hold "
                        "(is a quote left open?).") from exc
                raise refused(f"Row {record:,} could not be read as CSV ({exc}).") from exc
            except UnicodeDecodeError as exc:
                raise self._undecodable() from exc

    def _undecodable(self) -> ValidationError:
        # No row is named: text is decoded ahead of the rows, a few thousand bytes at a time.
        return refused(f"The file is not {charsets.label(self.encoding)} text. Choose its "
                       "encoding under Text encoding, or save it as UTF-8.")
