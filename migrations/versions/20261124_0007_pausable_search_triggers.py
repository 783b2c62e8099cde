"""search-index triggers a bulk import can pause (SQLite), so it can index its rows in bulk

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 07:58:00

The triggers stood aside while search_index_pause had a row. Migration 0022 replaced them
with plain triggers an import drops inside its transaction.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models import search_index

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PAUSE_TABLE = "search_index_pause"
PAUSED_UNLESS = f"WHEN NOT EXISTS (SELECT 1 FROM {PAUSE_TABLE})"


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        conn.execute(sa.text(f"CREATE TABLE IF NOT EXISTS {PAUSE_TABLE} (id INTEGER PRIMARY KEY)"))
        search_index.install_triggers(conn, PAUSED_UNLESS)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        search_index.install_triggers(conn)
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {PAUSE_TABLE}"))
