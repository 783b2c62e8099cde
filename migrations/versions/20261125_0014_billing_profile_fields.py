"""billing profile fields: customer type, tax exemption, Tax ID status, invoice language,
timezone and grace period, shipping address, phones; a contact's phone and job title

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25 14:07:09.266611

Columns only, each with a default the existing rows take (a company, no exemption, Tax ID not
checked, ships to the billing address, no grace period). Plain ALTER TABLE ADD COLUMN with
constant defaults: SQLite adds them in place, where a batch operation would copy the table
and drop its search triggers.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('contact', sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    op.add_column('contact', sa.Column('job_title', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))

    op.add_column('customer', sa.Column('customer_type', sa.String(length=16), server_default='company', nullable=False))
    op.add_column('customer', sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    op.add_column('customer', sa.Column('invoice_grace_days', sa.Integer(), server_default='0', nullable=False))
    op.add_column('customer', sa.Column('invoice_language', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    op.add_column('customer', sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.add_column('customer', sa.Column('shipping_same_as_billing', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column('customer', sa.Column('shipping_country', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True))
    op.add_column('customer', sa.Column('shipping_address_line1', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    op.add_column('customer', sa.Column('shipping_address_line2', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    op.add_column('customer', sa.Column('shipping_city', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
    op.add_column('customer', sa.Column('shipping_state', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
    op.add_column('customer', sa.Column('shipping_postal_code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
    op.add_column('customer', sa.Column('tax_exemption', sa.String(length=16), server_default='none', nullable=False))
    op.add_column('customer', sa.Column('tax_exemption_reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    op.add_column('customer', sa.Column('tax_exemption_certificate', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
    op.add_column('customer', sa.Column('tax_id_status', sa.String(length=16), server_default='not_checked', nullable=False))
    op.add_column('customer', sa.Column('tax_id_checked_at', models.types.UTCDateTime(timezone=True), nullable=True))
    op.create_index(op.f('ix_customer_customer_type'), 'customer', ['customer_type'], unique=False)
    op.create_index(op.f('ix_customer_tax_exemption'), 'customer', ['tax_exemption'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_customer_tax_exemption'), table_name='customer')
    op.drop_index(op.f('ix_customer_customer_type'), table_name='customer')
    op.drop_column('customer', 'tax_id_checked_at')
    op.drop_column('customer', 'tax_id_status')
    op.drop_column('customer', 'tax_exemption_certificate')
    op.drop_column('customer', 'tax_exemption_reason')
    op.drop_column('customer', 'tax_exemption')
    op.drop_column('customer', 'shipping_postal_code')
    op.drop_column('customer', 'shipping_state')
    op.drop_column('customer', 'shipping_city')
    op.drop_column('customer', 'shipping_address_line2')
    op.drop_column('customer', 'shipping_address_line1')
    op.drop_column('customer', 'shipping_country')
    op.drop_column('customer', 'shipping_same_as_billing')
    op.drop_column('customer', 'timezone')
    op.drop_column('customer', 'invoice_language')
    op.drop_column('customer', 'invoice_grace_days')
    op.drop_column('customer', 'phone')
    op.drop_column('customer', 'customer_type')

    op.drop_column('contact', 'job_title')
    op.drop_column('contact', 'phone')
