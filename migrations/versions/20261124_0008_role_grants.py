"""role grants (roles given in Settings to an email or domain); audit events by user

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 09:16:17.535128
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('role_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_grant')),
    sa.UniqueConstraint('subject', name=op.f('uq_role_grant_subject'))
    )
    # The Activity page filters by user, newest first.
    op.create_index('ix_audit_event_actor_at', 'audit_event', ['actor', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_event_actor_at', table_name='audit_event')
    op.drop_table('role_grant')
