"""Insert many rows at once: COPY on PostgreSQL, the driver's executemany on SQLite.

An import writes four rows per customer (customer, contact, alias, audit event).
SQLAlchemy's executemany spends more time building each row's parameters than
the database spends inserting it, and on PostgreSQL an INSERT per row costs far
more than COPY FROM STDIN. Both paths run on the session's own connection, so the
rows are part of its transaction and roll back with it.
"""

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Table
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session


def values_of(keys: Sequence[str]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A mapping's values of `keys`, in their order, as a tuple for insert_tuples (one key
    too: itemgetter alone would give the bare value)."""
    pick = itemgetter(*keys)
    return pick if len(keys) > 1 else lambda row: (pick(row),)


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys, Python values as for an INSERT) into `table`."""
    if not rows:
        return
    names = list(rows[0])
    insert_tuples(session, table, names, list(map(values_of(names), rows)))


def insert_tuples(session: Session, table: Table, names: list[str],
                  rows: list[tuple[Any, ...]]) -> None:
    """Insert `rows` into `table`, each the Python values of the columns `names` in that
    order: an import builds its customers' rows this way, without a dict per row."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    # The column types' own conversions (decimals, UTC datetimes, JSON) that an INSERT
    # through SQLAlchemy would apply to each bound value; the other columns pass as they are.
    converters = [(i, _converter(convert)) for i, convert in enumerate(
        table.c[n].type._cached_bind_processor(dialect) for n in names) if convert]

    def converted(row: tuple[Any, ...]) -> list[Any]:
        values = list(row)
        for i, convert in converters:
            values[i] = convert(values[i])
        return values

    values = map(converted, rows) if converters else rows
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(quote(n) for n in names)
    cursor = connection.connection.driver_connection.cursor()
    try:
        if dialect.name == "postgresql":
            with cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(names))
            cursor.executemany(
                f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})", values)
    except dialect.loaded_dbapi.IntegrityError as exc:
        # As SQLAlchemy would raise it: callers turn a unique index's refusal (another
        # writer took a key first) into the message that names what was taken.
        raise IntegrityError(f"insert into {table.name}", None, exc) from exc


class Encoded(str):
    """A value already in its column's database form: an import's audit changes, encoded
    as JSON in the validating process (encoding them here cost a tenth of the writing)."""


def _converter(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`convert`, which passes an Encoded value as it is, and gives the object it was last
    given its last result without another call: a chunk's rows share one timestamp, True,
    False and None, and converting those again for each row and column cost a tenth of an
    import's writing."""
    last: list[Any] = [object(), None]

    def run(value: Any) -> Any:
        if value is not last[0]:
            last[0] = value
            last[1] = value if type(value) is Encoded else convert(value)
        return last[1]
    return run
