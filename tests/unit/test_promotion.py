"""A custom field promoted to a built-in column keeps every value (migrations/promotion.py)."""

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlmodel import select

from migrations.promotion import promote_custom_field
from models import Customer
from services import custom_fields as cf
from services import db
from tests.unit.factories import ACTOR, make_customer

pytestmark = pytest.mark.usefixtures("database")


def test_values_move_into_the_new_column_and_the_definition_goes(tmp_path):
    cf.add_custom_field({"key": "contract_end", "label": "Contract end", "kind": "date"},
                        actor=ACTOR)
    cf.add_custom_field({"key": "segment", "label": "Segment", "kind": "text"}, actor=ACTOR)
    one = make_customer(cf_contract_end="2027-03-31", cf_segment="SMB")
    two = make_customer(name="No date", external_ids=["nd-1"],
                        primary_contact_email="nd@acme.example", cf_segment="Enterprise")
    engine = db.get_engine()
    try:
        with engine.begin() as connection:
            op = Operations(MigrationContext.configure(connection))
            op.add_column("customer", sa.Column("contract_end", sa.Date(), nullable=True))
            promote_custom_field(op, "contract_end", "contract_end", sql_type="DATE")
        with engine.connect() as connection:
            rows = dict(connection.execute(sa.text(
                "SELECT id, contract_end FROM customer ORDER BY id")).all())
        assert str(rows[one.id]) == "2027-03-31" and rows[two.id] is None
        assert [d.key for d in cf.definitions()] == ["segment"]
        with db.read_session() as session:
            stored = dict(session.exec(select(Customer.id, Customer.custom_fields)).all())
        assert stored == {one.id: {"segment": "SMB"}, two.id: {"segment": "Enterprise"}}
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text("ALTER TABLE customer DROP COLUMN contract_end"))
