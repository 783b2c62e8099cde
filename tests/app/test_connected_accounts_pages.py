"""Connected accounts on the pages: the profile lists each External ID as "Stripe ·
cus_123" and adds one with the system picked (Other unless picked); the New Customer form
gives each row a system; the Customers page filters by "has a <system> ID"."""

from services.customer_queries import CustomerQuery, list_customers
from services.customers import get_customer
from tests.app.conftest import open_page, shown, texts
from tests.app.test_customers_page import summary
from tests.unit.factories import make_customer

PROFILE = "app_pages/customer_profile.py"


def test_the_profile_shows_each_id_with_its_system_and_adds_one_with_the_system_picked(app):
    customer = make_customer(external_ids=[{"value": "cus_NffrFeUfNV2Hib", "system": "stripe"}])
    open_page(app, PROFILE, customer=str(customer.id))
    assert [c.value for c in app.code] == ["Stripe · cus_NffrFeUfNV2Hib"]
    prefix = f"profile.{customer.id}.aliases"
    app.button(key=f"{prefix}.edit").click().run()
    system = app.selectbox(key=f"{prefix}.system")
    assert system.value == "other" and "Salesforce" in system.options
    system.select("salesforce")
    app.text_input(key=f"{prefix}.new").input("001Dn00000AbCdE")
    app.button(key=f"{prefix}.add").click().run()
    assert "External ID added." in texts(app.toast)
    assert [c.value for c in app.code] == ["Stripe · cus_NffrFeUfNV2Hib",
                                           "Salesforce · 001Dn00000AbCdE"]
    assert {a.value: a.system for a in get_customer(customer.id).aliases} == {
        "cus_NffrFeUfNV2Hib": "stripe", "001Dn00000AbCdE": "salesforce"}
    assert app.selectbox(key=f"{prefix}.system").value == "other"  # ready for the next
    app.text_input(key=f"{prefix}.new").input("plain-1")
    app.button(key=f"{prefix}.add").click().run()
    assert "Other · plain-1" in [c.value for c in app.code]


def test_the_header_names_each_ids_system(app):
    customer = make_customer(external_ids=[{"value": "hs-77", "system": "hubspot"}])
    open_page(app, PROFILE, customer=str(customer.id))
    assert shown(app.markdown, "HubSpot · hs-77")


def test_the_new_customer_form_saves_each_row_with_its_system(app):
    open_page(app, "app_pages/new_customer.py")
    app.text_input(key="new_customer_page.name").input("Initech")
    app.text_input(key="new_customer_page.primary_contact_email").input("bill@initech.example")
    app.selectbox(key="new_customer_page.currency").select("EUR")
    app.text_input(key="new_customer_page.external_ids.0").input("initech-1")
    app.button(key="new_customer_page.add_alias").click().run()
    app.selectbox(key="new_customer_page.external_ids.1.system").select("chargebee")
    app.text_input(key="new_customer_page.external_ids.1").input("cb-9")
    app.button(key="new_customer_page.submit").click().run()
    assert not app.exception
    (row,) = list_customers(CustomerQuery()).rows
    assert {a.value: a.system for a in get_customer(row.id).aliases} == {
        "initech-1": "other", "cb-9": "chargebee"}


def test_the_customers_page_filters_by_connected_account(app_db, app):
    make_customer(name="Acme", external_ids=[{"value": "001A", "system": "salesforce"}])
    make_customer(name="Bolt", external_ids=[{"value": "cus_B", "system": "stripe"}])
    make_customer(name="Cafe", external_ids=["cafe-1"])
    app.run()
    assert summary(app) == "3 customers match"
    choice = app.multiselect(key="account")
    assert "Has a Salesforce ID" in choice.options
    choice.select("salesforce").run()
    assert summary(app) == "1 customer matches"
    assert "salesforce" in app.query_params["account"]
    app.multiselect(key="account").select("stripe").run()
    assert summary(app) == "2 customers match"
