"""The billing profile's fields on the pages (issue #15): what shows, hides and fills in as
people pick a country, a customer type, an exemption or a shipping address of its own."""

import pytest

from services.customers import get_customer
from tests.app.conftest import as_read, open_page, shown
from tests.app.test_customer_profile_page import edit, facts, k, open_profile
from tests.app.test_new_customer_page import P, key, labels
from tests.unit.factories import make_customer


@pytest.fixture
def customer(app_db):
    return make_customer(phone="+49 30 901820")


def test_the_country_fills_in_the_invoice_language_and_timezone(app):
    open_page(app, "app_pages/new_customer.py")
    app.selectbox(key=key("country")).select("FR").run()
    assert app.selectbox(key=key("invoice_language")).value == "fr_FR"
    assert app.selectbox(key=key("timezone")).value == "Europe/Paris"
    app.selectbox(key=key("country")).select("US").run()
    assert app.selectbox(key=key("invoice_language")).value == "en_US"


def test_an_exemption_asks_for_its_reason_and_holds_the_tax_rate_at_zero(app):
    open_page(app, "app_pages/new_customer.py")
    assert "Exemption Reason" not in labels(app)
    app.text_input(key=key("tax_rate")).input("19")
    app.selectbox(key=key("tax_exemption")).select("exempt").run()
    assert "Exemption Reason" in labels(app)
    rate = app.text_input(key=key("tax_rate"))
    assert (rate.value, rate.disabled) == ("0.00", True)
    assert shown(app.caption, "Exempt: invoiced without tax")


def test_the_profile_reads_phones_nationally_and_marks_an_individual(app, customer):
    open_profile(app, customer.id)
    assert facts(app, "Business Information")["Phone"] == "030 901820"
    assert "Shipping Address" in [as_read(e.label) for e in app.expander]
    assert facts(app, "Shipping Address") == {"Same as billing address": "Yes"}
    edit(app, customer.id, "business_information")
    assert app.text_input(key=k(customer.id, "business_information", "phone")).value == \
        "+49 30 901820"
    app.selectbox(key=k(customer.id, "business_information", "customer_type")).select(
        "individual").run()
    assert not [w for w in app.text_input
                if w.key == k(customer.id, "business_information", "business_name")]
    app.button(key=k(customer.id, "business_information", "save")).click().run()
    assert get_customer(customer.id).customer_type == "individual"
    assert shown(app.markdown, "Individual · personal data")
    assert shown(app.caption, "personal data")


def test_a_shipping_address_of_its_own_is_asked_for_when_same_as_billing_is_off(app, customer):
    open_profile(app, customer.id)
    edit(app, customer.id, "shipping_address")
    section = "shipping_address"
    assert not [w for w in app.text_input if w.key == k(customer.id, section,
                                                        "shipping_city")]
    app.checkbox(key=k(customer.id, section, "shipping_same_as_billing")).uncheck().run()
    app.selectbox(key=k(customer.id, section, "shipping_country")).select("US").run()
    app.text_input(key=k(customer.id, section, "shipping_address_line1")).input("1 Main St")
    app.text_input(key=k(customer.id, section, "shipping_city")).input("Reno")
    app.selectbox(key=k(customer.id, section, "shipping_state:select")).select("US-NV")
    app.button(key=k(customer.id, section, "save")).click().run()
    saved = get_customer(customer.id)
    assert (saved.shipping_city, saved.shipping_state) == ("Reno", "US-NV")
    read = facts(app, "Shipping Address")
    assert (read["City"], read["State"], read["Country"]) == ("Reno", "Nevada", "United States")


def test_new_customer_form_labels_hold_the_new_fields(app):
    open_page(app, "app_pages/new_customer.py")
    assert {"Customer Type", "Phone", "Invoice Language", "Timezone", "Tax Exemption"} <= set(
        labels(app))
    assert P == "new_customer_page"
