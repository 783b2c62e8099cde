"""the Activity page's action filter reads an index, newest first

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-25 20:45:00

Filtering the log by one action had no index: the page walked (at, id) newest first and
read every event until a page and the capped count matched, which for a rare action
("Restored") was the whole log, seconds at 10,000,000 events. On (action, at) both
databases read a page of one action in order and stop. Plain CREATE INDEX, no table copy.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_audit_event_action_at', 'audit_event', ['action', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_event_action_at', table_name='audit_event')
