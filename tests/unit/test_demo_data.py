"""The demo book: realistic payment methods through the services, on both databases."""

import pytest

from services.customer_queries import count_customers, list_customers
from services.customers import get_customer
from services.demo_data import seed_demo_customers
from services.legal_entities import list_legal_entities
from tests.unit.factories import customer_query

pytestmark = pytest.mark.usefixtures("database")


def test_demo_customers_have_methods_in_every_state_and_auto_pay_only_where_usable():
    seed_demo_customers(120)
    count = {state: count_customers(customer_query(payment_method=[state]))
             for state in ("none", "expiring", "expired", "autopay_at_risk")}
    assert all(count.values()), count
    assert count["none"] < 60
    at_risk = count["autopay_at_risk"]
    assert 0 < at_risk < count_customers(customer_query(auto_pay=True))


def test_demo_entities_have_their_details_and_bill_their_countrys_customers():
    seed_demo_customers(40)
    entities = {e.name: e for e in list_legal_entities()}
    gmbh = entities["Meterly GmbH"]
    assert (gmbh.country, gmbh.tax_id, gmbh.default_currency, gmbh.city) == (
        "DE", "DE136695976", "EUR", "Berlin")
    assert entities["Meterly Ltd"].default_currency == "GBP"
    owners = {"DE": gmbh.id, "US": entities["Meterly Inc."].id,
              "GB": entities["Meterly Ltd"].id}
    rows = [get_customer(r.id) for r in list_customers(customer_query(limit=40)).rows]
    home = [c for c in rows if c.country in owners]
    assert home and all(c.legal_entity_id == owners[c.country] for c in home)


def test_demo_customers_come_in_families_too():
    seed_demo_customers(120)
    children = count_customers(customer_query(family=["child"]))
    parents = count_customers(customer_query(family=["parent"]))
    assert 0 < parents < children < 60


def test_demo_customers_show_the_billing_profile():
    """Individuals, reverse charge and exempt customers, phones and shipping addresses of
    their own: each filter and section has something to show."""
    seed_demo_customers(120)
    for filters in ({"customer_type": ["individual"]}, {"tax_exemption": ["reverse_charge"]},
                    {"tax_exemption": ["exempt"]}):
        assert count_customers(customer_query(**filters)), filters
