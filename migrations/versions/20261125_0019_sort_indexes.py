"""sort indexes: every column the grid sorts by is indexed with the id after it

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-25 21:05:00

The grid orders by (column, id). An index on the column alone holds that order on SQLite
(its rowid follows every key) but not on PostgreSQL, which then sorted every customer of a
low-cardinality value (a currency, a payment term) to show a page of them; and the columns
added since 0014 had no index at all. (column, id) serves both databases' filters and
sorts, so it replaces the single-column index where there was one. Plain CREATE and DROP
INDEX: a batch operation on SQLite could copy the customer table and drop its search
triggers.

Each index carries archived_at last, and the default grid's (archived_at, name) index
gains the id: a page of active customers, however deep, is then chosen from the index
alone. On PostgreSQL a column that can be empty also gets the descending order with empty
values last, which the ascending index cannot be read backwards for.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REPLACED = ("name", "customer_type", "currency", "invoicing_flow", "payment_terms_days",
            "legal_entity_id", "country", "tax_id_status", "tax_exemption", "created_at")
SORTED = ("name", "customer_type", "business_name", "currency", "invoicing_flow",
          "payment_terms_days", "invoice_grace_days", "invoice_language", "timezone",
          "auto_pay", "legal_entity_id", "country", "tax_id_status", "tax_id_checked_at",
          "tax_exemption", "tax_rate", "created_at", "updated_at")


NULLABLE = ("business_name", "invoice_language", "timezone", "country", "tax_id_checked_at")


def upgrade() -> None:
    for column in SORTED:
        op.create_index(f"ix_customer_{column}_id", "customer", [column, "id", "archived_at"])
    for column in REPLACED:
        op.drop_index(f"ix_customer_{column}", table_name="customer")
    op.create_index("ix_customer_archived_at_name_id", "customer", ["archived_at", "name", "id"])
    op.drop_index("ix_customer_archived_at_name", table_name="customer")
    if op.get_bind().dialect.name == "postgresql":
        for column in NULLABLE:
            op.execute(f"CREATE INDEX ix_customer_{column}_id_desc ON customer "
                       f"({column} DESC NULLS LAST, id DESC, archived_at)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for column in NULLABLE:
            op.drop_index(f"ix_customer_{column}_id_desc", table_name="customer")
    op.create_index("ix_customer_archived_at_name", "customer", ["archived_at", "name"])
    op.drop_index("ix_customer_archived_at_name_id", table_name="customer")
    for column in REPLACED:
        op.create_index(f"ix_customer_{column}", "customer", [column])
    for column in SORTED:
        op.drop_index(f"ix_customer_{column}_id", table_name="customer")
