"""Rows the schema needs from its first migration on."""

from sqlalchemy import column, insert, select, table
from sqlalchemy.engine import Connection

from models.choices import DEFAULT_LEGAL_ENTITY_NAME
from models.types import UTCDateTime, utcnow


def seed_default_legal_entity(conn: Connection) -> None:
    """Insert the default legal entity unless one with its name exists. The first
    migration calls it, so it names only the columns that migration creates."""
    table_ = table("legal_entity", column("id"), column("name"),
                   column("created_at", UTCDateTime()), column("updated_at", UTCDateTime()))
    exists = conn.execute(select(table_.c.id).where(table_.c.name == DEFAULT_LEGAL_ENTITY_NAME))
    if exists.first() is None:
        now = utcnow()
        conn.execute(
            insert(table_).values(name=DEFAULT_LEGAL_ENTITY_NAME, created_at=now, updated_at=now)
        )
