"""Rows the schema needs from its first migration on."""

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from models.choices import DEFAULT_LEGAL_ENTITY_NAME
from models.legal_entity import LegalEntity
from models.types import utcnow


def seed_default_legal_entity(conn: Connection) -> None:
    """Insert the default legal entity unless one with its name exists."""
    table = LegalEntity.__table__
    exists = conn.execute(select(table.c.id).where(table.c.name == DEFAULT_LEGAL_ENTITY_NAME))
    if exists.first() is None:
        now = utcnow()
        conn.execute(
            insert(table).values(name=DEFAULT_LEGAL_ENTITY_NAME, created_at=now, updated_at=now)
        )
