from models.catalogue import form_fields
from models.sections import FORM_SECTIONS
from services.customer_queries import CustomerQuery, list_customers
from services.customers import get_customer
from services.settings import set_tax_managed_by_integration
from tests.app.conftest import open_page, shown, texts
from tests.unit.factories import admin

P = "new_customer_page"


def key(name: str) -> str:
    return f"{P}.{name}"


def test_form_shows_every_section_and_label_of_the_design(app):
    open_page(app, "app_pages/new_customer.py")
    assert texts(app.header) == [s.label for s in FORM_SECTIONS]
    labels = ({w.label for w in app.text_input} | {w.label for w in app.selectbox})
    for section in FORM_SECTIONS:
        for spec in form_fields(section):
            assert spec.label_in_form in labels
    assert {"Customer Name", "Primary Contact Email", "First Name", "Last Name", "Country",
            "Billing Currency", "Address Line 1", "Address Line 2", "City", "State",
            "Postal Code", "Tax Rate", "Add External ID", "Legal Entity"} <= labels
    assert app.text_input(key=key("tax_rate")).value == "0.00"


def test_choosing_a_country_prefills_its_currency_and_offers_its_states(app):
    open_page(app, "app_pages/new_customer.py")
    app.selectbox(key=key("country")).select("US").run()
    assert app.selectbox(key=key("currency")).value == "USD"
    state = app.selectbox(key=key("state:select"))
    assert "US-CA" in state.options or "California" in state.options
    app.selectbox(key=key("currency")).select("EUR").run()
    assert app.selectbox(key=key("currency")).value == "EUR"


def test_a_click_that_brings_back_an_empty_currency_still_gets_the_countrys(app):
    """The Create click left the browser before the Country rerun's prefill reached it: the
    click carries the country and an empty currency, and the form fills it again."""
    open_page(app, "app_pages/new_customer.py")
    app.selectbox(key=key("country")).select("DE").run()
    app.selectbox(key=key("currency")).select(None)
    app.text_input(key=key("name")).input("Initech")
    app.text_input(key=key("primary_contact_email")).input("nope")
    app.button(key=key("submit")).click().run()
    assert "Billing Currency is required" not in " ".join(texts(app.error))
    assert app.selectbox(key=key("currency")).value == "EUR"
    app.text_input(key=key("primary_contact_email")).input("bill@initech.example")
    app.selectbox(key=key("currency")).select(None)
    app.button(key=key("submit")).click().run()
    (row,) = list_customers(CustomerQuery()).rows
    assert get_customer(row.id).currency == "EUR"


def test_validation_messages_stand_under_fields_and_keep_what_was_typed(app):
    open_page(app, "app_pages/new_customer.py")
    app.text_input(key=key("name")).input("Initech")
    app.text_input(key=key("primary_contact_email")).input("nope")
    app.text_input(key=key("tax_rate")).input("150")
    app.button(key=key("submit")).click().run()
    errors = " ".join(texts(app.error))
    assert "Primary Contact Email is not a valid email address" in errors
    assert "Billing Currency is required" in errors
    assert "Tax Rate must be between 0 and 100" in errors
    assert app.text_input(key=key("name")).value == "Initech"
    assert app.text_input(key=key("primary_contact_email")).value == "nope"
    assert list_customers(CustomerQuery()).total == 0


def test_successful_create_shows_a_toast_and_opens_the_profile(app):
    open_page(app, "app_pages/new_customer.py")
    app.text_input(key=key("name")).input("Initech")
    app.text_input(key=key("primary_contact_email")).input("bill@initech.example")
    app.selectbox(key=key("country")).select("DE").run()
    app.text_input(key=key("tax_rate")).input("8.875")
    app.text_input(key=key("external_ids.0")).input("initech-1")
    app.button(key=key("add_alias")).click().run()
    app.text_input(key=key("external_ids.1")).input("initech-2")
    app.button(key=key("submit")).click().run()
    assert not app.exception
    (row,) = list_customers(CustomerQuery()).rows
    customer = get_customer(row.id)
    assert (customer.name, customer.currency, str(customer.tax_rate)) == ("Initech", "EUR",
                                                                         "8.875")
    assert [a.value for a in customer.aliases] == ["initech-1", "initech-2"]
    assert "Customer Initech created." in texts(app.toast)
    assert app.query_params["customer"] == str(customer.id)
    assert "Initech" in texts(app.title)


def test_tax_rate_is_read_only_when_an_integration_manages_it(app):
    set_tax_managed_by_integration(True, actor=admin("test"))
    open_page(app, "app_pages/new_customer.py")
    assert app.text_input(key=key("tax_rate")).disabled
    assert shown(app.caption, "managed by the tax integration")
