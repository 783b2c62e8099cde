"""Connected accounts: every External ID carries its source system, through the service
that adds one, a new customer's list (strings as before, objects and pairs with a system)
and a payment method's provider customer ID; a value stays one ID whatever its system."""

import pytest

from services import connected_accounts
from services.aliases import add_alias, remove_alias, resolve_alias
from services.customer_queries import CustomerQuery, list_customers
from services.customers import create_customer, get_customer
from services.errors import ValidationError
from services.list_filters import from_parameters
from services.payment_methods import add_payment_method
from tests.unit.factories import ACTOR, customer_history, customer_input, make_customer

pytestmark = pytest.mark.usefixtures("database")


def _accounts(customer_id: int) -> dict[str, str]:
    return {a.value: a.system for a in get_customer(customer_id).aliases}


def test_an_added_id_keeps_its_system_and_history_shows_it():
    customer = make_customer(external_ids=[])
    add_alias(customer.id, "001A000001", "salesforce", actor=ACTOR)
    assert _accounts(customer.id) == {"001A000001": "salesforce"}
    assert customer_history(customer.id)[0].changes == {
        "external_ids": [None, "Salesforce · 001A000001"]}


def test_a_system_is_taken_by_its_label_in_any_case_and_defaults_to_other():
    customer = make_customer(external_ids=[])
    add_alias(customer.id, "hs-1", "HubSpot", actor=ACTOR)
    add_alias(customer.id, "own-1", "your own system", actor=ACTOR)
    add_alias(customer.id, "plain-1", actor=ACTOR)
    assert _accounts(customer.id) == {"hs-1": "hubspot", "own-1": "own", "plain-1": "other"}


@pytest.mark.parametrize("system", ["netsuite", 7, ["stripe"], "stripe\x00"])
def test_an_unknown_system_is_refused_naming_the_field_and_nothing_is_written(system):
    customer = make_customer(external_ids=[])
    with pytest.raises(ValidationError) as caught:
        add_alias(customer.id, "x-1", system, actor=ACTOR)
    assert "System must be one of: stripe, hubspot" in caught.value.errors["system"]
    assert get_customer(customer.id).aliases == []


def test_the_same_value_under_another_system_is_still_one_id():
    holder = make_customer(name="Holder Inc", external_ids=[{"value": "cus_1",
                                                             "system": "stripe"}])
    other = make_customer(name="Other Inc", external_ids=[])
    with pytest.raises(ValidationError) as caught:
        add_alias(other.id, "cus_1", "chargebee", actor=ACTOR)
    assert f"Holder Inc (#{holder.id})" in caught.value.errors["external_ids"]
    with pytest.raises(ValidationError) as caught:
        add_alias(holder.id, "cus_1", "lago", actor=ACTOR)
    assert caught.value.errors["external_ids"] == 'External ID "cus_1" is already listed (Stripe).'
    assert resolve_alias("cus_1").id == holder.id


def test_a_new_customer_takes_strings_objects_and_pairs():
    customer = make_customer(external_ids=["crm-9", {"value": "cus_9", "system": "stripe"},
                                           ("001B", "Salesforce"), {"value": "lg-1"}])
    assert _accounts(customer.id) == {"crm-9": "other", "cus_9": "stripe",
                                      "001B": "salesforce", "lg-1": "other"}
    event = customer_history(customer.id)[0]
    assert event.changes["external_ids"] == [None, ["Other · crm-9", "Stripe · cus_9",
                                                    "Salesforce · 001B", "Other · lg-1"]]


def test_a_new_customer_refuses_a_bad_system_or_shape_under_its_row():
    with pytest.raises(ValidationError) as caught:
        create_customer(customer_input(external_ids=[
            "ok-1", {"value": "x", "system": "sap"}, {"value": "y", "owner": "me"},
            ["a", "b", "c"], {"value": "ok-1", "system": "lago"}]), actor=ACTOR)
    errors = caught.value.errors
    assert "System must be one of" in errors["external_ids[1].system"]
    assert "owner is not a field of an External ID" in errors["external_ids[2]"]
    assert "a value and its system" in errors["external_ids[3]"]
    assert errors["external_ids[4]"] == 'External ID "ok-1" is listed twice.'


def test_removing_names_the_system_in_history():
    customer = make_customer(external_ids=[{"value": "cus_7", "system": "stripe"}])
    remove_alias(customer.aliases[0].id, actor=ACTOR)
    assert customer_history(customer.id)[0].changes == {"external_ids": ["Stripe · cus_7", None]}


def test_a_stripe_payment_methods_customer_id_becomes_a_stripe_account():
    customer = make_customer(external_ids=[])
    add_payment_method(customer.id, {"provider": "stripe", "provider_customer_id": "cus_PM1",
                                     "reference": "pm_1", "method_type": "card",
                                     "brand": "Visa", "last4": "4242", "exp_month": 8,
                                     "exp_year": 2030}, actor=ACTOR)
    assert _accounts(customer.id) == {"cus_PM1": "stripe"}


@pytest.mark.parametrize("few", [connected_accounts.FEW_ON_SQLITE, 1])
def test_the_book_filters_by_connected_account(few, monkeypatch):
    """Either way SQLite is asked (few holders, or many), the same customers match."""
    monkeypatch.setattr(connected_accounts, "FEW_ON_SQLITE", few)
    make_customer(name="Acme", external_ids=[{"value": "001A", "system": "salesforce"},
                                                    {"value": "cus_A", "system": "stripe"}])
    make_customer(name="Bolt", external_ids=[{"value": "cus_B", "system": "stripe"}])
    make_customer(name="Cafe", external_ids=["cafe-1"])
    make_customer(name="Dune", external_ids=[])

    def names(*systems: str) -> list[str]:
        page = list_customers(CustomerQuery(filters=from_parameters(connected_account=list(
            systems))))
        return [row.name for row in page.rows] + [str(page.total)]

    assert names("salesforce") == ["Acme", "1"]
    assert names("stripe") == ["Acme", "Bolt", "2"]
    assert names("salesforce", "stripe") == ["Acme", "Bolt", "2"]
    assert names("other") == ["Cafe", "1"]
    assert names("hubspot") == ["0"]


def test_an_unknown_system_in_the_filter_is_refused_naming_the_parameter():
    with pytest.raises(ValidationError) as caught:
        list_customers(CustomerQuery(filters=from_parameters(connected_account=["sap"])))
    assert "Connected account has no system sap" in caught.value.errors["connected_account"]
