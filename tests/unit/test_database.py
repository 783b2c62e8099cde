import sqlite3

import pytest
from sqlalchemy import inspect

from models.choices import DEFAULT_LEGAL_ENTITY_NAME
from services import db
from services.legal_entities import list_legal_entities
from services.reference import countries, default_currency, find_subdivision


def test_default_database_is_a_sqlite_file_under_data(configured):
    configured(database_url=None)
    assert db.database_url().endswith("/data/customer_desk.sqlite3")


def test_database_url_selects_the_database(configured):
    configured(database_url="postgresql+psycopg://u:secret@db.internal:5433/desk")
    assert db.database_url() == "postgresql+psycopg://u:secret@db.internal:5433/desk"


def test_fresh_sqlite_file_is_created_migrated_and_in_wal_mode(tmp_path):
    path = tmp_path / "nested" / "desk.sqlite3"
    url = f"sqlite:///{path}"
    try:
        engine = db.configure(url)
        db.migrate(url)
        db.migrate(url)  # a second start finds the schema at head and changes nothing
        assert {"customer", "contact", "alias", "audit_event", "legal_entity"} <= set(
            inspect(engine).get_table_names())
        assert [e.name for e in list_legal_entities()] == [DEFAULT_LEGAL_ENTITY_NAME]
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    finally:
        db.get_engine().dispose()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_description_names_the_host_never_the_password():
    db.configure("postgresql+psycopg://desk:s3cret@db.internal:5433/customers")
    try:
        described = db.describe_database()
    finally:
        db.get_engine().dispose()
    assert described == "PostgreSQL · db.internal:5433/customers"
    assert "s3cret" not in described


@pytest.mark.parametrize("country, currency", [("DE", "EUR"), ("US", "USD"), ("GB", "GBP"),
                                               ("JP", "JPY"), ("CH", "CHF"), ("AQ", None)])
def test_default_currency_for_a_country(country, currency):
    assert default_currency(country) == currency


def test_countries_are_iso_3166_sorted_by_name():
    names = list(countries().values())
    assert len(names) == 249
    assert names.index("Åland Islands") < names.index("Albania")


def test_subdivision_lookup():
    assert find_subdivision("DE", "Bayern") == "DE-BY"
    assert find_subdivision("DE", "Narnia") is None


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_processes_starting_together_on_a_new_database_migrate_it_once(backend, tmp_path):
    """The app and the API started at the same moment on an empty database both migrate
    it; one waits for the other instead of creating the same tables twice."""
    import subprocess
    import sys

    from tests.databases import create_postgres_schema, drop_postgres_schema

    schema = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'together.sqlite3'}"
    else:
        url, schema = create_postgres_schema()
    try:
        code = f"from services import db; db.migrate({url!r})"
        starts = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE)
                  for _ in range(3)]
        errors = [p.communicate(timeout=120)[1].decode() for p in starts]
        assert [p.returncode for p in starts] == [0, 0, 0], errors
        engine = db.configure(url)
        assert "role_grant" in inspect(engine).get_table_names()
        engine.dispose()
    finally:
        if schema:
            drop_postgres_schema(schema)
