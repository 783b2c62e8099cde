"""The one guard against spreadsheet formulas in the files the product writes.

A cell that starts with =, +, -, @, tab or carriage return, or with the full-width
＝ ＋ － ＠ (which spreadsheets treat alike), would run as a formula when the file
is opened (OWASP CSV injection). Every writer (exports, the Activity CSV, the
invalid-rows file, the import template) passes its cells through `neutralise`;
the import reader passes them back through `unguard`, so our own files re-import
to exactly the values they were written from.
"""

from collections.abc import Iterable
from typing import Any

PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def _dangerous(value: str) -> bool:
    # Apostrophes already in front count too: "'=x" is written as "''=x", so that
    # `unguard` can take exactly one apostrophe off and give back "'=x".
    return value.lstrip("'").startswith(PREFIXES)


def neutralise(value: str) -> str:
    """The text with a leading apostrophe when a spreadsheet would run it."""
    # _dangerous inlined: exports call this for millions of cells.
    return "'" + value if value.lstrip("'").startswith(PREFIXES) else value


def unguard(value: str) -> str:
    """The text `neutralise` was given, for a cell read back from one of our files."""
    return value[1:] if value[:1] == "'" and _dangerous(value[1:]) else value


def guarded(cells: Iterable[Any]) -> list[Any]:
    """A row for a CSV writer: every text cell neutralised, numbers and blanks as they are."""
    return [neutralise(c) if isinstance(c, str) else c for c in cells]
