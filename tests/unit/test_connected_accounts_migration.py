"""A book written before External IDs had a system upgrades in place: Stripe's cus_ IDs
become Stripe's, the rest Other, the per-system index is there, and SQLite's search
triggers survive (a batch copy of the table would drop them)."""

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from services.identifiers import match_key
from tests.unit.old_books import NOW, alembic_config, book_at


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def book_at_0017(request, tmp_path):
    with book_at(request.param, "0017", tmp_path) as (url, engine):
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO customer (id, name, currency, invoicing_flow, payment_terms_days,"
                " auto_pay, legal_entity_id, tax_rate, version, created_at, updated_at) VALUES"
                " (1, 'Old 1', 'EUR', 'customer_desk', 30, false, 1, 0, 1, :now, :now)"),
                {"now": NOW})
            for value in ("cus_NffrFeUfNV2Hib", "CUS_SHOUTED", "sf-0001", "acme_cus_1"):
                conn.execute(text("INSERT INTO alias (customer_id, value, match_key, "
                                  "created_at) VALUES (1, :value, :key, :now)"),
                             {"value": value, "key": match_key(value), "now": NOW})
        yield url


def test_the_upgrade_gives_each_id_its_system(book_at_0017):
    command.upgrade(alembic_config(book_at_0017), "head")
    engine = create_engine(book_at_0017)
    with engine.connect() as conn:
        systems = dict(conn.execute(text("SELECT value, system FROM alias")).all())
        conn.execute(text("INSERT INTO alias (customer_id, value, match_key, created_at) "
                          "VALUES (1, 'new-1', 'new-1', :now)"), {"now": NOW})
        added = conn.execute(text("SELECT system FROM alias WHERE value = 'new-1'")).scalar()
        indexes = {i["name"]: i["column_names"] for i in inspect(conn).get_indexes("alias")}
        triggers = (conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type = "
                                      "'trigger' AND tbl_name = 'alias'")).scalar()
                    if engine.dialect.name == "sqlite" else None)
    engine.dispose()
    assert systems == {"cus_NffrFeUfNV2Hib": "stripe", "CUS_SHOUTED": "other",
                       "sf-0001": "other", "acme_cus_1": "other"}
    assert added == "other"
    assert indexes["ix_alias_system_customer_id"] == ["system", "customer_id"]
    assert triggers is None or triggers > 0
