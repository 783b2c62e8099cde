"""search-index triggers a bulk import can pause (SQLite), so it can index its rows in bulk

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 07:58:00
"""
from collections.abc import Sequence

from alembic import op

from models import search_index

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    search_index.pausable_triggers(op.get_bind())


def downgrade() -> None:
    # The pausable triggers behave as the old ones whenever no import runs: keep them.
    pass
