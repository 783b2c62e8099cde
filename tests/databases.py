"""The databases the service tests run on: a SQLite file and a PostgreSQL schema of their own.

PostgreSQL comes from TEST_DATABASE_URL (default: the local server's `test`
database). Each run works in a fresh schema so runs never see each other's rows.
With CI=true an unreachable PostgreSQL fails the run instead of skipping.
"""

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from models.choices import DEFAULT_LEGAL_ENTITY_NAME
from models.legal_entity import LegalEntity
from models.types import utcnow
from services.identifiers import name_key

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TABLES = ("audit_event", "alias", "alias_key", "contact", "payment_method", "customer",
          "legal_entity", "app_setting",
          "saved_view", "api_key", "idempotency_record",
          "import_run", "role_grant", "custom_field")


def postgres_base_url() -> str:
    return os.environ.get("TEST_DATABASE_URL", DEFAULT_PG_URL)


def skip_or_fail(reason: str) -> None:
    """Skip locally; in CI a test that cannot run is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: this test must run, not skip)")
    pytest.skip(reason)


def create_postgres_schema() -> tuple[str, str]:
    """A new empty schema; returns (url with search_path set to it, schema name)."""
    base = postgres_base_url()
    schema = f"cd_test_{uuid.uuid4().hex[:10]}"
    try:
        engine = create_engine(base)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
    except Exception as exc:  # any connection failure means "no PostgreSQL here"
        skip_or_fail(f"PostgreSQL at {make_url(base).render_as_string()} is not reachable: {exc}")
    # Commits need not wait for the disk: a test database is never recovered after a crash.
    options = f"-csearch_path={schema} -csynchronous_commit=off"
    url = make_url(base).update_query_dict({"options": options})
    return url.render_as_string(hide_password=False), schema


def drop_postgres_schema(schema: str) -> None:
    engine = create_engine(postgres_base_url())
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def reset(engine) -> None:
    """Empty every table and put back the default legal entity, as after the first migration.

    On PostgreSQL DELETE and restarting the used sequences, not TRUNCATE: a test leaves a
    handful of rows, which DELETE removes in milliseconds, while TRUNCATE of these tables
    swaps the files of every table and index (about 0.4 s, before each of a thousand tests)."""
    with engine.begin() as conn:
        for table in TABLES:
            conn.execute(text(f"DELETE FROM {table}"))
        if engine.dialect.name == "postgresql":
            conn.execute(text(
                "SELECT setval(format('%I', sequencename)::regclass, 1, false) "
                "FROM pg_sequences WHERE schemaname = current_schema() "
                "AND last_value IS NOT NULL"))
        conn.execute(LegalEntity.__table__.insert().values(
            name=DEFAULT_LEGAL_ENTITY_NAME, name_key=name_key(DEFAULT_LEGAL_ENTITY_NAME),
            created_at=utcnow(), updated_at=utcnow()))
