"""The columns of the customer book, as the grid, the column chooser and exports see them.

They come from the field catalogue (models/), plus a few the system keeps (ID,
status, created, updated), plus the custom fields made in Settings. Each carries the
SQL that reads it, so the grid's page and an export of the whole filtered set are the
same query.
"""

from collections.abc import Callable
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, cast

from models.customer import Customer
from models.fields import FieldSpec
from models.filters import ListFilter
from models.kinds import KINDS, Kind
from services.builtin_columns import BookColumn, builtin_columns
from services.custom_fields import custom_specs

# How SQL reads each custom kind out of customer.custom_fields. Whole numbers go up to
# 10**15 (services.cleaners.MAX_WHOLE): BIGINT, as PostgreSQL's INTEGER would overflow.
# Dates and decimals are stored as exact text (ISO dates, decimal strings).
CUSTOM_SQL: dict[Kind, Callable[[Any], ColumnElement]] = {
    **dict.fromkeys((Kind.TEXT, Kind.LONG_TEXT, Kind.EMAIL, Kind.URL, Kind.CHOICE, Kind.DATE,
                     Kind.DECIMAL), lambda value: value.as_string()),
    Kind.INTEGER: lambda value: cast(value.as_string(), BigInteger),
    Kind.BOOL: lambda value: value.as_boolean(),
    Kind.MULTI_CHOICE: lambda value: value.as_json(),
}


def custom_expression(spec) -> ColumnElement:
    """A custom field's value in SQL, typed by its kind."""
    return CUSTOM_SQL[spec.kind](Customer.custom_fields[spec.attr])


def custom_filter(spec: FieldSpec) -> ListFilter:
    """A custom field's filter: the kind says how; the URL names it by the field's key and
    the API takes it in its `custom` parameter (key:value)."""
    return ListFilter(KINDS[spec.kind].filter, spec.key, "custom")


def book_columns() -> dict[str, BookColumn]:
    """Every column, in the order exports list them: built-in, then custom fields."""
    custom = [BookColumn(s.key, s.label, s.kind, custom_expression(s), s.grid, s.grid_order,
                         filter=custom_filter(s), sortable=True, custom_attr=s.attr,
                         options=s.options)
              for s in custom_specs()]
    return {**builtin_columns(), **{c.key: c for c in custom}}


def default_grid_columns() -> list[str]:
    grid = [c for c in book_columns().values() if c.in_grid]
    return [c.key for c in sorted(grid, key=lambda c: c.grid_order)]


def choose(keys: list[str] | tuple[str, ...] | None) -> list[BookColumn]:
    """The columns asked for, in the order asked, unknown keys dropped; the grid's by default."""
    known = book_columns()
    wanted = [k for k in (keys or default_grid_columns()) if k in known]
    return [known[k] for k in wanted or default_grid_columns()]
