"""custom fields: their definitions, and customer.custom_fields for their values

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 09:46:53.555286
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

import models.types

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('custom_field',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('help', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('section', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('grid_default', sa.Boolean(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_field')),
    sa.UniqueConstraint('key', name=op.f('uq_custom_field_key'))
    )
    # A plain ADD COLUMN (not a batch copy, which would drop SQLite's search triggers).
    op.add_column('customer', sa.Column(
        'custom_fields', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'),
        server_default=sa.text("'{}'"), nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        # Filters on a custom field ask "custom_fields @> {key: value}": a GIN index answers.
        op.create_index('ix_customer_custom_fields', 'customer', ['custom_fields'],
                        postgresql_using='gin')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index('ix_customer_custom_fields', table_name='customer')
    op.drop_column('customer', 'custom_fields')

    op.drop_table('custom_field')
