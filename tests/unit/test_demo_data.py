"""The demo book: realistic payment methods through the services, on both databases."""

import pytest

from services.customer_queries import count_customers
from services.demo_data import seed_demo_customers
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
