"""A book from before the list of customers without a billing contact upgrades with the list
filled from its contacts, and the list follows the writes after."""

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from tests.unit.old_books import NOW, alembic_config, book_at


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def book_at_0020(request, tmp_path):
    with book_at(request.param, "0020", tmp_path) as (url, engine):
        with engine.begin() as conn:
            for n in (1, 2):
                conn.execute(text(
                    "INSERT INTO customer (id, name, currency, invoicing_flow, payment_terms_days,"
                    " auto_pay, legal_entity_id, tax_rate, version, created_at, updated_at) "
                    "VALUES (:n, :name, 'EUR', 'customer_desk', 30, false, 1, 0, 1, :now, :now)"),
                    {"n": n, "name": f"Old {n}", "now": NOW})
            conn.execute(text(
                "INSERT INTO contact (customer_id, email, is_primary, email_billing, "
                "email_updates, email_legal, created_at) "
                "VALUES (1, 'ap@old.example', true, true, true, false, :now)"), {"now": NOW})
        yield url


def without_contact(conn) -> list[int]:
    return list(conn.scalars(text("SELECT customer_id FROM no_billing_contact ORDER BY 1")))


def test_the_upgrade_lists_the_customers_without_a_billing_contact(book_at_0020):
    command.upgrade(alembic_config(book_at_0020), "head")
    engine = create_engine(book_at_0020)
    with engine.begin() as conn:
        upgraded = without_contact(conn)
        conn.execute(text("DELETE FROM contact WHERE customer_id = 1"))
        after_delete = without_contact(conn)
    engine.dispose()
    assert upgraded == [2]
    assert after_delete == [1, 2]
