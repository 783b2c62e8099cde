"""The operator's limits on an uploaded file (services.config), and the messages that refuse it.

Each refusal is a ValidationError on "file" whose message names what is wrong and the
limit it passed, so the page, the command line and any other caller show it as it is.
"""

from dataclasses import dataclass

from services.config import MB, settings
from services.errors import ValidationError

FILE = "file"


@dataclass(frozen=True)
class Limits:
    bytes: int
    unpacked_bytes: int
    columns: int
    cell_chars: int
    rows: int

    @classmethod
    def current(cls) -> "Limits":
        s = settings()
        return cls(s.upload_max_bytes, s.upload_max_unpacked_bytes, s.upload_max_columns,
                   s.upload_max_cell_chars, s.upload_max_rows)

    @property
    def record_chars(self) -> int:
        """The longest a CSV record can be within the limits: every cell full and quoted."""
        return self.columns * (self.cell_chars + 3)


def refused(message: str) -> ValidationError:
    return ValidationError.single(FILE, message)


def size(n: int) -> str:
    if n < 1024:
        return f"{n:,} bytes"
    if n < MB:
        return f"{n / 1024:,.0f} KB"
    return f"{n / MB:,.0f} MB" if n >= 10 * MB else f"{n / MB:,.1f} MB"


def too_large(limits: Limits) -> ValidationError:
    return refused(f"The file is larger than {size(limits.bytes)}, the most a file may be.")


def unpacks_too_large(limits: Limits) -> ValidationError:
    return refused(
        f"The Excel file unpacks to more than {size(limits.unpacked_bytes)}, the limit for "
        "Excel files. Save it as CSV, or import it in parts.")


def too_many_columns(count: int, line: int, limits: Limits) -> ValidationError:
    return refused(f"Row {line:,} has {count:,} columns; files may have up to "
                   f"{limits.columns:,} columns.")


def cell_too_long(line: int, column: str | None, length: int | None, limits: Limits
                  ) -> ValidationError:
    if column is None or length is None:
        return refused(f"Row {line:,}: a cell holds more than {limits.cell_chars:,} "
                       "characters, the most a cell may hold.")
    return refused(f"Row {line:,}, column {column}: the cell holds {length:,} characters; "
                   f"a cell may hold up to {limits.cell_chars:,}.")


def record_too_long(line: int, limits: Limits) -> ValidationError:
    return refused(
        f"Row {line:,} is longer than {limits.columns:,} columns of {limits.cell_chars:,} "
        "characters can be (is a quote left open?).")


def too_many_rows(limits: Limits, *, blank: bool = False) -> ValidationError:
    if blank:
        return refused(f"The file has more than {limits.rows:,} blank rows; delete them and "
                       "import it again.")
    return refused(f"The file has more than {limits.rows:,} rows, the most one file may have.")
