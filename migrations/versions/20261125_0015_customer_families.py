"""customer families: a customer's parent (one level) and whether it is invoiced through it

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-25 14:05:53.757531

Plain ADD COLUMNs, not a batch copy of the table, which would drop SQLite's search
triggers. SQLite takes the foreign key inline with the column (it cannot add a constraint
later); PostgreSQL gets it as a named constraint, as the models' naming convention names it.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE customer ADD COLUMN parent_id INTEGER "
                   "CONSTRAINT fk_customer_parent_id_customer REFERENCES customer (id)")
    else:
        op.add_column('customer', sa.Column('parent_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_customer_parent_id_customer'), 'customer', 'customer',
                              ['parent_id'], ['id'])
    op.add_column('customer', sa.Column('invoice_to_parent', sa.Boolean(), nullable=False,
                                        server_default=sa.false()))
    op.create_index(op.f('ix_customer_parent_id'), 'customer', ['parent_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_customer_parent_id'), table_name='customer')
    op.drop_column('customer', 'invoice_to_parent')
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f('fk_customer_parent_id_customer'), 'customer',
                           type_='foreignkey')
    op.drop_column('customer', 'parent_id')
