"""Insert many rows at once: COPY on PostgreSQL, the driver's executemany on SQLite.

An import writes four rows per customer (customer, contact, alias, audit event).
SQLAlchemy's executemany spends more time building each row's parameters than
the database spends inserting it, and on PostgreSQL an INSERT per row costs far
more than COPY FROM STDIN. Both paths run on the session's own connection, so the
rows are part of its transaction and roll back with it.
"""

from typing import Any

from sqlalchemy import Table
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys, Python values as for an INSERT) into `table`."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    names = list(rows[0])
    # The column types' own conversions (decimals, UTC datetimes, JSON) that an INSERT
    # through SQLAlchemy would apply to each bound value.
    converters = [table.c[name].type._cached_bind_processor(dialect) for name in names]
    values = ([convert(row[name]) if convert else row[name]
               for name, convert in zip(names, converters, strict=True)] for row in rows)
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
