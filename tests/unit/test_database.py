import sqlite3

import pytest
from sqlalchemy import inspect

from models.choices import DEFAULT_LEGAL_ENTITY_NAME
from services import db
from services.legal_entities import list_legal_entities
from services.reference import countries, default_currency, find_subdivision


def test_default_database_is_a_sqlite_file_under_data(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert db.database_url().endswith("/data/customer_desk.sqlite3")


def test_database_url_selects_the_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u:secret@db.internal:5433/desk")
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
