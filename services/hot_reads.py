"""Reads on the metering hot path (alias resolution, thousands a second): one statement,
compiled once per dialect, run on a pooled DB-API connection of services.db.lookup_engine
without the ORM's per-call work. A connection the server dropped (a restart) is discarded
and the statement runs once more; a database that stays out of reach is
DatabaseUnavailable."""

from collections.abc import Mapping
from functools import cache

from sqlalchemy import Select
from sqlalchemy.exc import DBAPIError

from services.db import lookup_engine, unavailable
from services.errors import DatabaseUnavailable


@cache
def _compiled(statement: Select, dialect) -> tuple[str, tuple[str, ...] | None]:
    """The statement's SQL and, for a positional driver, the order of its parameters."""
    compiled = statement.compile(dialect=dialect)
    return str(compiled), tuple(compiled.positiontup) if dialect.positional else None


def dialect():
    """The dialect of the hot path's database, for a statement written per database."""
    return lookup_engine().dialect


def fetch_all(statement: Select, values: Mapping[str, object]) -> list[tuple]:
    """Every row of `statement` with its bound parameters taken from `values` by name."""
    engine = lookup_engine()
    sql, order = _compiled(statement, engine.dialect)
    parameters = values if order is None else tuple(values[name] for name in order)
    for attempt in (1, 2):
        try:
            connection = engine.raw_connection()
        except DBAPIError as exc:
            if unavailable(exc):
                raise DatabaseUnavailable() from exc
            raise
        try:
            cursor = connection.cursor()
            cursor.execute(sql, parameters)
            rows = cursor.fetchall()
            cursor.close()
            return rows
        except engine.dialect.loaded_dbapi.Error as exc:
            lost = engine.dialect.is_disconnect(exc, connection.dbapi_connection, None)
            if not lost:
                raise
            connection.invalidate()
            if attempt == 2:
                raise DatabaseUnavailable() from exc
        finally:
            connection.close()
    return []
