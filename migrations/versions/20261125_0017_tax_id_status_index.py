"""tax id status index: the grid's Tax ID Status filter reads it

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-25 14:25:24.036875

The columns came with 0014; this only indexes the status, as every filtered column of the
book is. A plain CREATE INDEX: a batch operation on SQLite could copy the customer table and
drop its search triggers. (0015 is customer families', which may land after this; whoever
lands last chains them.)
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f('ix_customer_tax_id_status'), 'customer', ['tax_id_status'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_customer_tax_id_status'), table_name='customer')
