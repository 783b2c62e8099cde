"""A card number typed on a page is refused under its field, what was typed is kept in the
form (never saved) and the message says where a card belongs."""

from services.customer_queries import CustomerQuery, list_customers
from services.customers import get_customer
from tests.app.conftest import as_read, open_page
from tests.unit.factories import make_customer

MESSAGE = ("card numbers must not be stored here; keep the card with your payment provider "
           "and store its reference (pm_...).")


def after_field(app, key: str) -> str:
    """The text of the error shown right under the text input of `key`."""
    nodes = [n for n in app.main if getattr(n, "type", None) in ("text_input", "error")]
    at = next(i for i, n in enumerate(nodes) if n.type == "text_input" and n.key == key)
    following = nodes[at + 1]
    assert following.type == "error", f"no error under {key}"
    return as_read(following.value)


def test_new_customer_form_refuses_a_card_number_under_address_line_1(app):
    open_page(app, "app_pages/new_customer.py")
    app.text_input(key="new_customer_page.name").input("Initech")
    app.text_input(key="new_customer_page.primary_contact_email").input("bill@initech.example")
    app.selectbox(key="new_customer_page.country").select("DE").run()
    app.text_input(key="new_customer_page.address_line1").input("4242 4242 4242 4242")
    app.button(key="new_customer_page.submit").click().run()
    assert after_field(app, "new_customer_page.address_line1") == f"Address Line 1: {MESSAGE}"
    assert app.text_input(key="new_customer_page.address_line1").value == "4242 4242 4242 4242"
    assert list_customers(CustomerQuery()).total == 0


def test_a_profile_section_refuses_a_card_number_under_its_field(app, app_db):
    customer = make_customer()
    open_page(app, "app_pages/customer_profile.py", customer=str(customer.id))
    app.button(key=f"profile.{customer.id}.billing_address.edit").click().run()
    key = f"profile.{customer.id}.billing_address.address_line2"
    app.text_input(key=key).input("Card 4111-1111-1111-1111, exp 12/27")
    app.button(key=f"profile.{customer.id}.billing_address.save").click().run()
    assert after_field(app, key) == f"Address Line 2: {MESSAGE}"
    assert not app.toast
    assert get_customer(customer.id).address_line2 is None
