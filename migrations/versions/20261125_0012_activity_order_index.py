"""the Activity page's order (at, id) as one index, in place of the index on at alone

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25 10:00:00

The page lists events newest first, ties broken by id, a page at a time. On (at, id)
PostgreSQL reads a page, however deep, from the index without sorting; (at) alone made it
sort every row the offset skipped. The index on at alone is then redundant.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_audit_event_at_id', 'audit_event', ['at', 'id'], unique=False)
    op.drop_index('ix_audit_event_at', table_name='audit_event')


def downgrade() -> None:
    op.create_index('ix_audit_event_at', 'audit_event', ['at'], unique=False)
    op.drop_index('ix_audit_event_at_id', table_name='audit_event')
