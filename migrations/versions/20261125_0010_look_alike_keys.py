"""look-alike keys: External IDs by confusable skeleton, names and labels case-folded

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 08:40:00

Columns are added in place (not by a batch copy, which would drop SQLite's search
triggers) and filled in Python, where the keys are computed. External IDs that two
customers already hold as look-alikes keep working: the first holder takes the key, the
later ones get a key of their own and are listed on the console to be tidied by hand;
legal entity names and custom field labels that collide the same way are listed too.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.identifiers import match_key, name_key

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 20_000


def _fill_alias_keys(conn) -> None:
    holders: dict[str, int] = {}
    rows = conn.execute(sa.text("SELECT id, customer_id, value FROM alias ORDER BY id")).all()
    updates = []
    for alias_id, customer_id, value in rows:
        key = match_key(value)
        holder = holders.setdefault(key, customer_id)
        if holder != customer_id:
            print(f"External ID #{alias_id} {value!r} of customer #{customer_id} looks like "
                  f"one of customer #{holder}: kept, under a key of its own.")
            key = match_key(f"{value}\x00{alias_id}")
            holders[key] = customer_id
        updates.append({"id": alias_id, "key": key})
    for start in range(0, len(updates), _BATCH):
        conn.execute(sa.text("UPDATE alias SET match_key = :key WHERE id = :id"),
                     updates[start:start + _BATCH])
    keys = [{"key": k, "customer_id": c} for k, c in holders.items()]
    for start in range(0, len(keys), _BATCH):
        conn.execute(sa.text("INSERT INTO alias_key (key, customer_id) "
                             "VALUES (:key, :customer_id)"), keys[start:start + _BATCH])


def _fill_name_keys(conn, table: str, source: str, target: str) -> None:
    seen: set[str] = set()
    rows = conn.execute(sa.text(f"SELECT id, {source} FROM {table} ORDER BY id")).all()
    for row_id, name in rows:
        key = name_key(name)
        if key in seen:
            print(f"{table} #{row_id} {name!r} duplicates an earlier one but for case or "
                  "width: kept, under a key of its own.")
            key = name_key(f"{name}\x00{row_id}")
        seen.add(key)
        conn.execute(sa.text(f"UPDATE {table} SET {target} = :key WHERE id = :id"),
                     {"key": key, "id": row_id})


def upgrade() -> None:
    op.create_table('alias_key',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'],
                            name=op.f('fk_alias_key_customer_id_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_alias_key'))
    )
    op.create_index(op.f('ix_alias_key_customer_id'), 'alias_key', ['customer_id'])
    op.add_column('alias', sa.Column('match_key', sa.String(length=64), nullable=False,
                                     server_default=''))
    op.add_column('legal_entity', sa.Column('name_key', sa.String(length=64), nullable=False,
                                            server_default=''))
    op.add_column('custom_field', sa.Column('label_key', sa.String(length=64),
                                            nullable=False, server_default=''))
    conn = op.get_bind()
    _fill_alias_keys(conn)
    _fill_name_keys(conn, 'legal_entity', 'name', 'name_key')
    _fill_name_keys(conn, 'custom_field', 'label', 'label_key')
    op.create_index(op.f('ix_alias_match_key'), 'alias', ['match_key'])
    op.create_index(op.f('ix_legal_entity_name_key'), 'legal_entity', ['name_key'], unique=True)
    op.create_index(op.f('ix_custom_field_label_key'), 'custom_field', ['label_key'],
                    unique=True)


def downgrade() -> None:
    op.drop_index(op.f('ix_custom_field_label_key'), table_name='custom_field')
    op.drop_index(op.f('ix_legal_entity_name_key'), table_name='legal_entity')
    op.drop_index(op.f('ix_alias_match_key'), table_name='alias')
    op.drop_column('custom_field', 'label_key')
    op.drop_column('legal_entity', 'name_key')
    op.drop_column('alias', 'match_key')
    op.drop_index(op.f('ix_alias_key_customer_id'), table_name='alias_key')
    op.drop_table('alias_key')
