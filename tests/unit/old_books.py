"""Databases at an older revision, for the tests of the migrations that upgrade them: a
SQLite file or a PostgreSQL schema of their own, migrated up to the revision asked for."""

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine

from services.db import ROOT
from tests.databases import create_postgres_schema, drop_postgres_schema

NOW = "2026-01-01 00:00:00"


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url
    return config


@contextmanager
def book_at(kind: str, revision: str, tmp_path) -> Iterator[tuple[str, Engine]]:
    """(url, engine) of a `kind` ("sqlite" or "postgres") database at `revision`; the
    engine, for writing the old rows, is disposed of and the schema dropped afterwards."""
    schema = None
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    else:
        url, schema = create_postgres_schema()
    command.upgrade(alembic_config(url), revision)
    engine = create_engine(url)
    try:
        yield url, engine
    finally:
        engine.dispose()
        if schema:
            drop_postgres_schema(schema)
