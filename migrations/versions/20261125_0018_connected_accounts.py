"""connected accounts: each External ID names its source system

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-25 17:40:00

alias.system holds a models.choices.SourceSystem code, "other" unless said. Existing IDs
starting with "cus_" are Stripe's customer IDs, so they become Stripe's; the rest stay
"other". The (system, customer_id) index answers the book's "has a <system> ID" filter.
Added in place with plain ADD COLUMN and CREATE INDEX: a batch operation on SQLite would
copy the table.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('alias', sa.Column('system', sa.String(length=16), nullable=False,
                                     server_default='other'))
    # substr, not LIKE: SQLite's LIKE ignores case, and "CUS_1" is nobody's Stripe ID.
    op.execute("UPDATE alias SET system = 'stripe' WHERE substr(value, 1, 4) = 'cus_'")
    op.create_index('ix_alias_system_customer_id', 'alias', ['system', 'customer_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_alias_system_customer_id', table_name='alias')
    op.drop_column('alias', 'system')
