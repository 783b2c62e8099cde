"""Timing helpers: medians of repeated runs, and a raw DB-API floor for a SQLAlchemy query."""

import statistics
import time
from collections.abc import Callable

from sqlalchemy import Select

from services.db import get_engine


def median_ms(action: Callable[[], object], runs: int) -> float:
    action()  # warm caches, as a user's second visit would
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def raw_sql(query: Select) -> str:
    """The query as the database receives it, with its values inlined."""
    return str(query.compile(get_engine(), compile_kwargs={"literal_binds": True}))


def raw_fetch(*sql: str) -> Callable[[], None]:
    """Run statements through the bare DB-API cursor and fetch every row: the floor."""
    def run() -> None:
        connection = get_engine().raw_connection()
        try:
            cursor = connection.cursor()
            for statement in sql:
                cursor.execute(statement)
                cursor.fetchall()
            cursor.close()
        finally:
            connection.close()
    return run
