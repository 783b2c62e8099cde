"""Tax ID status columns, until the owner's revision 0014 (which declares them) lands

Revision ID: 0014t
Revises: 0013
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = '0014t'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tax_id_status', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('tax_id_checked_at', models.types.UTCDateTime(),
                                      nullable=True))
        batch_op.create_index(batch_op.f('ix_customer_tax_id_status'), ['tax_id_status'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_tax_id_status'))
        batch_op.drop_column('tax_id_checked_at')
        batch_op.drop_column('tax_id_status')
