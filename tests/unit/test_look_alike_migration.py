"""A book written before look-alike keys existed is upgraded without losing an ID: the
first holder of each look-alike key keeps it, a later look-alike held by another
customer keeps resolving, and names and labels duplicated but for case stay."""

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from services import db
from services.aliases import resolve_alias
from services.identifiers import match_key
from tests.unit.old_books import NOW, alembic_config, book_at


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def old_book(request, tmp_path):
    """A database at revision 0009 holding look-alikes that 0010 would now refuse."""
    with book_at(request.param, "0009", tmp_path) as (url, engine):
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO legal_entity (name, created_at, updated_at) VALUES "
                              "('Ärger GmbH', :now, :now), ('ärger gmbh', :now, :now)"),
                         {"now": NOW})
            for n in (1, 2):
                conn.execute(text(
                    "INSERT INTO customer (id, name, currency, invoicing_flow, "
                    "payment_terms_days, auto_pay, legal_entity_id, tax_rate, version, "
                    "created_at, updated_at) VALUES "
                    "(:n, :name, 'EUR', 'customer_desk', 30, false, 1, 0, 1, :now, :now)"),
                    {"n": n, "name": f"Old {n}", "now": NOW})
            conn.execute(text("INSERT INTO alias (customer_id, value, created_at) VALUES "
                              "(1, 'cus_ACME1', :now), (1, 'cus_acme1', :now), "
                              "(2, 'CUS_ACME1', :now), (2, 'old-2', :now)"), {"now": NOW})
        yield url


def test_the_upgrade_keys_every_id_and_keeps_each_one(old_book, capsys):
    command.upgrade(alembic_config(old_book), "head")
    assert "looks like one of customer #1" in capsys.readouterr().out
    engine = create_engine(old_book)
    with engine.connect() as conn:
        keys = dict(conn.execute(text("SELECT value, match_key FROM alias")).all())
        holders = dict(conn.execute(text("SELECT key, customer_id FROM alias_key")).all())
        entity_keys = conn.execute(text("SELECT count(DISTINCT name_key) FROM legal_entity"))
        assert entity_keys.scalar() == 3  # the default one and both of the old pair
    engine.dispose()
    assert keys["cus_ACME1"] == keys["cus_acme1"] == match_key("cus_ACME1")
    assert holders[match_key("cus_ACME1")] == 1
    assert keys["CUS_ACME1"] != match_key("CUS_ACME1") and holders[keys["CUS_ACME1"]] == 2
    assert holders[keys["old-2"]] == 2
    db.configure(old_book)
    assert resolve_alias("CUS_ACME1").id == 2
