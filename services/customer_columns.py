"""The columns of the customer book, as the grid, the column chooser and exports see them.

They come from the field catalogue (models/), plus a few the system keeps (ID,
status, created, updated), plus the custom fields made in Settings. Each carries the
SQL that reads it, so the grid's page and an export of the whole filtered set are the
same query.
"""

from sqlalchemy import BigInteger, ColumnElement, cast

from models.customer import Customer
from services.builtin_columns import BookColumn, builtin_columns
from services.custom_fields import custom_specs


def custom_expression(spec) -> ColumnElement:
    """A custom field's value in SQL: JSON text for lists, typed for numbers and yes/no.
    Whole numbers go up to 10**15 (services.cleaners.MAX_WHOLE): BIGINT, as PostgreSQL's
    INTEGER would overflow."""
    value = Customer.custom_fields[spec.attr]
    if spec.kind == "integer":
        return cast(value.as_string(), BigInteger)
    if spec.kind == "bool":
        return value.as_boolean()
    if spec.kind == "multi_choice":
        return value.as_json()
    return value.as_string()


def book_columns() -> dict[str, BookColumn]:
    """Every column, in the order exports list them: built-in, then custom fields."""
    custom = [BookColumn(s.key, s.label, s.kind, custom_expression(s), s.grid, s.grid_order)
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
