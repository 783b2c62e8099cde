"""The grid's filters beyond issue 2's: payment terms, tax ID, created range, several values."""

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from models import Customer
from services.builtin_columns import builtin_columns
from services.customer_queries import CustomerQuery, facet_counts, list_customers
from services.customers import update_business_information
from services.db import write_session
from tests.unit.factories import ACTOR, add_card, customer_query, make_customer

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def book():
    a = make_customer(name="Alpha", external_ids=["a"], tax_id="DE136695976")
    b = make_customer(name="Beta", external_ids=["b"], country="US", currency="USD",
                      state="NY")
    c = make_customer(name="Gamma", external_ids=["c"], country="FR", currency="EUR",
                      state=None)
    update_business_information(b.id, {"payment_terms_days": 45}, version=1, actor=ACTOR)
    with write_session() as session:
        session.exec(update(Customer).where(Customer.id == c.id)
                     .values(created_at=a.created_at - timedelta(days=10)))
    return {"a": a, "b": b, "c": c}


def names(**query) -> list[str]:
    return [r.name for r in list_customers(customer_query(**query)).rows]


def test_several_countries(book):
    assert names(country=["US", "FR"]) == ["Beta", "Gamma"]


def test_payment_terms(book):
    assert names(payment_terms=[45]) == ["Beta"]
    assert names(payment_terms=[30, 45]) == ["Alpha", "Beta", "Gamma"]


def test_has_tax_id(book):
    assert names(has_tax_id=True) == ["Alpha"]
    assert names(has_tax_id=False) == ["Beta", "Gamma"]


def test_created_range_is_inclusive_by_day(book):
    today = book["a"].created_at.date()
    assert names(created_from=today) == ["Alpha", "Beta"]
    assert names(created_to=today - timedelta(days=1)) == ["Gamma"]
    assert names(created_from=today - timedelta(days=10), created_to=today - timedelta(days=10)
                 ) == ["Gamma"]
    assert names(created_from=date(2000, 1, 1), created_to=date(2000, 1, 2)) == []


def test_chosen_columns_come_back_with_id_and_name(book):
    page = list_customers(CustomerQuery(columns=["tax_id", "external_ids"], search="Alpha"))
    (row,) = page.rows
    assert (row.id, row.name, row.tax_id, row.external_ids) == (book["a"].id, "Alpha",
                                                               "DE136695976", "a")
    assert [c.key for c in page.columns][-2:] == ["tax_id", "external_ids"]


def test_search_combines_with_filters(book):
    assert names(search="a", country=["FR"]) == ["Gamma"]


def test_facet_counts_for_charts(book):
    assert facet_counts(CustomerQuery(), "currency") == [("EUR", 2), ("USD", 1)]
    assert facet_counts(CustomerQuery(), "legal_entity_id") == [("Default Legal Entity", 3)]


@pytest.mark.parametrize("key", [k for k, c in builtin_columns().items() if c.sortable])
@pytest.mark.parametrize("descending", [False, True])
def test_every_sortable_column_orders_the_page(book, key, descending):
    gamma = add_card(book["c"].id)
    update_business_information(gamma.id, {"business_name": "Gamma Trading",
                                           "invoicing_flow": "xero", "auto_pay": True},
                                version=gamma.version, actor=ACTOR)
    page = list_customers(CustomerQuery(sort=key, descending=descending, columns=[key]))
    values = [getattr(row, key) for row in page.rows]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=descending)
    assert values[len(present):] == [None] * (len(values) - len(present))  # empty last
