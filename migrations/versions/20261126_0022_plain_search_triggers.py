"""SQLite's search-index triggers without the pause clause: an import drops them instead

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-26 00:00:00

Paused behind their WHEN clause, the triggers still cost each row an import inserts as
much as the insert itself (the clause is evaluated, the FTS5 table's savepoint opened and
closed, per row). The import now drops them inside its transaction and writes them back
before it commits (models.search_index.pause and resume), so the clause and the pause
table go. Triggers only, no table copy.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models import search_index

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PAUSE_TABLE = "search_index_pause"  # as migration 0007 made it
PAUSED_UNLESS = f"WHEN NOT EXISTS (SELECT 1 FROM {PAUSE_TABLE})"


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        search_index.install_triggers(conn)
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {PAUSE_TABLE}"))


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        conn.execute(sa.text(f"CREATE TABLE IF NOT EXISTS {PAUSE_TABLE} (id INTEGER PRIMARY KEY)"))
        search_index.install_triggers(conn, PAUSED_UNLESS)
