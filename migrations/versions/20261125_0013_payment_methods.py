"""payment methods: references to where a customer's payment data lives, one default each

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25 12:05:42.901300

A partial unique index keeps at most one default per customer (like the primary contact's);
a partial index on the defaults' expiry serves the grid's "expiring" and "expired" filters.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('payment_method',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('provider', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('provider_customer_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('method_type', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('brand', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('last4', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
    sa.Column('exp_month', sa.Integer(), nullable=True),
    sa.Column('exp_year', sa.Integer(), nullable=True),
    sa.Column('holder_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('bank_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('revoked_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], name=op.f('fk_payment_method_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_method')),
    sa.UniqueConstraint('provider', 'reference', name='uq_payment_method_provider_reference')
    )
    with op.batch_alter_table('payment_method', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_method_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_payment_method_default_expires_on', ['expires_on', 'customer_id'], unique=False, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
        batch_op.create_index('uq_payment_method_one_default', ['customer_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))


def downgrade() -> None:
    with op.batch_alter_table('payment_method', schema=None) as batch_op:
        batch_op.drop_index('uq_payment_method_one_default', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
        batch_op.drop_index('ix_payment_method_default_expires_on', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
        batch_op.drop_index(batch_op.f('ix_payment_method_customer_id'))

    op.drop_table('payment_method')
