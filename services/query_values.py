"""Numbers and dates that filter the book (the API's query parameters, the pages' URLs and
filters), held to what SQLite and PostgreSQL both store before they reach SQL.

Past those ranges a value used to fail in the driver or the database (an integer SQLite
cannot bind, a day after 9999-12-31, a decimal PostgreSQL's NUMERIC refuses, a signalling
NaN) and come back as a 500; here it is a ValidationError under the parameter's key, with a
message naming it. Only ASCII digits count: Python reads "٣" as 3 and "1_000" as 1000,
which no client means.
"""

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from services.errors import ValidationError

INT32_MAX = 2**31 - 1  # ids: INTEGER on PostgreSQL
INT64_MAX = 2**63 - 1  # SQLite's integers, PostgreSQL's BIGINT (OFFSET)
_WHOLE = re.compile(r"[+-]?[0-9]{1,20}")
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,40}(?:\.[0-9]{0,40})?|\.[0-9]{1,40})"
                     r"(?:[eE][+-]?[0-9]{1,6})?")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def whole(key: str, value: object, low: int, high: int, name: str | None = None) -> int:
    """An integer from `low` to `high`, given as an int or as ASCII digits."""
    if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError.single(
            key, f"{name or key} must be a whole number from {low:,} to {high:,}.")
    return value


def number(key: str, value: object, limit: Decimal, places: int,
           name: str | None = None) -> Decimal:
    """A finite decimal within ±`limit` with at most `places` decimals (the column's scale),
    given as a number or as ASCII text such as 12.5 or 1e3."""
    problem = (f"{name or key} must be a number from -{limit:,} to {limit:,} with at most "
               f"{places} decimal places.")
    if isinstance(value, str):
        if not _NUMBER.fullmatch(value.strip()):
            raise ValidationError.single(key, problem)
        value = Decimal(value.strip())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        value = Decimal(str(value))
    if not isinstance(value, Decimal) or not value.is_finite() or abs(value) > limit:
        raise ValidationError.single(key, problem)
    if value.normalize().as_tuple().exponent < -places:
        raise ValidationError.single(key, problem)
    return value


def day(key: str, value: object, name: str | None = None) -> date:
    """A calendar day (0001-01-01 to 9999-12-31, which both databases hold), given as a date
    or as ASCII text YYYY-MM-DD."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DAY.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError.single(key, f"{name or key} must be a date from 0001-01-01 to "
                                      "9999-12-31, such as 2027-03-31.")


def start_of(day_: date, zone: tzinfo = UTC) -> datetime:
    """The first instant of a day where it is `zone` (UTC unless given), in UTC. East of
    Greenwich the calendar's first day starts before the first UTC instant Python holds:
    that instant stands for it, as nothing is earlier."""
    try:
        return datetime.combine(day_, time.min, tzinfo=zone).astimezone(UTC)
    except OverflowError:
        return datetime.combine(date.min, time.min, tzinfo=UTC)


def start_of_next(day_: date, zone: tzinfo = UTC) -> datetime | None:
    """The first instant after a day where it is `zone`, in UTC; None after the calendar's
    last day, which no timestamp follows (a range "up to 9999-12-31" has no upper end)."""
    return None if day_ == date.max else start_of(day_ + timedelta(days=1), zone)


def like_pattern(term: str) -> tuple[str, str | None]:
    """A LIKE pattern finding a fragment anywhere, with % and _ taken literally, and the
    escape character it needs (None when the fragment had nothing to escape)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%", "\\" if escaped != term else None
