"""one vocabulary of kinds: custom fields store the kind built-in fields use

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 09:00:00

A custom field's type was stored under names of its own (number, yes_no, select,
multi_select) for what built-in fields call integer, bool, choice and multi_choice.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RENAMED = {"number": "integer", "yes_no": "bool", "select": "choice",
           "multi_select": "multi_choice"}


def _rename(pairs) -> None:
    for old, new in pairs:
        op.execute(sa.text("UPDATE custom_field SET kind = :new WHERE kind = :old")
                   .bindparams(old=old, new=new))


def upgrade() -> None:
    _rename(RENAMED.items())


def downgrade() -> None:
    _rename((new, old) for old, new in RENAMED.items())
