"""The type a new custom field should have, guessed from a file column's values.

The Import page offers to turn a column no field reads into a custom field; the type it
suggests is the most specific custom-field kind whose own cleaner (services.cleaners)
takes every non-blank value in the file's sample rows, so the dry run that follows
accepts those rows. Only kinds without a list of options are guessed or offered there:
a select field needs its options typed in Settings.
"""

from collections.abc import Iterable
from itertools import islice
from pathlib import Path

from models import sections as S
from models.fields import FieldSpec
from models.kinds import CUSTOM, KINDS, WITH_OPTIONS, Kind
from services.cleaners import FieldError, clean_value
from services.upload_reading import read_table

GUESS_ROWS = 1_000  # enough to meet a column's odd values, few enough to read at once

# Most specific first: a column of "true"/"false" is Yes/no before it is text, "12" a
# number before a decimal, and text is the kind that takes any one line.
_ORDER = (Kind.BOOL, Kind.INTEGER, Kind.DECIMAL, Kind.DATE, Kind.EMAIL, Kind.URL, Kind.TEXT,
          Kind.LONG_TEXT)
# Kinds a column can become from the Import page, kind -> name, in the Settings order.
KIND_CHOICES = {kind: name for kind, name in CUSTOM.items() if kind not in WITH_OPTIONS}
_WORDS = frozenset({"true", "false", "yes", "no", "y", "n", "on", "off"})


def _spec(kind: Kind) -> FieldSpec:
    return FieldSpec(key="guess", label="Value", kind=kind, section=S.BUSINESS_INFORMATION,
                     help="", model="CustomField", attr="guess",
                     max_length=KINDS[kind].max_length)


def _takes(kind: Kind, values: list[str]) -> bool:
    if kind == Kind.BOOL and not any(v.strip().casefold() in _WORDS for v in values):
        return False  # a column of 0 and 1 alone reads as numbers
    spec = _spec(kind)
    try:
        for value in values:
            clean_value(spec, value)
    except FieldError:
        return False
    return True


def guess_kind(values: Iterable[str | None]) -> Kind:
    """The most specific custom-field kind that takes every value given; text for a column
    with no values."""
    present = [v for v in values if isinstance(v, str) and v.strip()]
    if not present:
        return Kind.TEXT
    return next((kind for kind in _ORDER if _takes(kind, present)), Kind.LONG_TEXT)


def column_values(headers: list[str], rows: Iterable[list[str | None]], column: str
                  ) -> list[str | None]:
    """One column's cells from rows as a file's reader gives them (short rows padded)."""
    index = headers.index(column)
    return [row[index] if index < len(row) else None for row in rows]


def sampled_column(path: Path, encoding: str | None, column: str) -> list[str | None]:
    """The column's cells in the file's first GUESS_ROWS rows: what its type is guessed
    from. Only that column is kept, so memory stays within the cell limit times GUESS_ROWS."""
    headers, rows = read_table(path, encoding)
    return column_values(headers, (cells for _, cells in islice(rows, GUESS_ROWS)), column)
