"""A fast typist loses nothing: every form is filled and submitted at machine speed, with
no wait between keystrokes, choices and clicks, several rounds each. After a refused save
every typed value is still in its field; after the corrected save it is in the database.

`make test` runs two rounds of each form; `make test-e2e-soak`, which hunts for what fails
only now and then, runs twenty in each of its runs (E2E_TYPING_ROUNDS).

The app runs on a database of this module's own: the rounds add customers, contacts,
legal entities and custom fields that the other browser tests should not see."""

import os
from decimal import Decimal

import pytest
from playwright.sync_api import Locator, Page, expect
from stdnum.de import vat

from services.aliases import resolve_alias
from services.custom_fields import definitions
from services.customers import get_customer
from services.legal_entities import list_legal_entities
from tests.e2e.conftest import app_of_its_own
from tests.e2e.helpers import choose, edit, expander, fill, wait_ready
from tests.unit.factories import make_customer

ROUNDS = int(os.environ.get("E2E_TYPING_ROUNDS", "2"))
TERMS = (45, 7, 60, 14, 90, 10)
BIDI = "\u202e"  # a text-direction override: refused by name in every text field


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    with app_of_its_own(tmp_path_factory, "typing") as app:
        yield app.url


def type_all(scope: Page | Locator, values: dict[str, str]) -> None:
    for label, value in values.items():
        fill(scope, label, value)


def expect_kept(page: Page, scope: Page | Locator, values: dict[str, str]) -> None:
    """Once the refused save's run is over, each field holds what was typed in it."""
    wait_ready(page)
    for label, value in values.items():
        expect(scope.get_by_label(label, exact=True)).to_have_value(value)


def valid_vat(seed: int) -> str:
    """A German VAT number that passes its check digit (the service validates it)."""
    body = f"81{seed:06d}"
    return next(f"DE{body}{d}" for d in range(10) if vat.is_valid(f"DE{body}{d}"))


def new_customer_round(page: Page, scope: Page | Locator, form: str, i: int) -> None:
    """Fill the whole New Customer form, be refused for the email, correct it, create."""
    values = {
        "Customer Name *": f"Typist {form} {i}",
        "Primary Contact Email *": f"not-an-email-{i}",
        "First Name": f"Fay{i}",
        "Last Name": f"Stenographer{i}",
    }
    address = {
        "Address Line 1": f"Hauptstraße {i}",
        "Address Line 2": f"Hinterhaus {i}",
        "City": f"Köln {i}",
        "Postal Code": f"50{i:03d}",
        "Tax Rate": f"8.8{i:02d}",
        "External ID 1": f"{form}-typist-{i}",
    }
    type_all(scope, values)
    choose(page, scope, "Country", "Germany")  # reruns the form: currency and states follow
    type_all(scope, address)
    scope.get_by_role("button", name="Create Customer").click()

    expect(scope.get_by_text("Primary Contact Email is not a valid email address")).to_be_visible()
    expect_kept(page, scope, values | address)
    expect(scope.get_by_role("combobox", name="Country", exact=True)).to_have_value("Germany")
    expect(scope.get_by_role("combobox", name="Billing Currency")).to_have_value("EUR · Euro")

    fill(scope, "Primary Contact Email *", f"fay{i}@{form}.example")
    scope.get_by_role("button", name="Create Customer").click()
    expect(page.get_by_role("heading", name=values["Customer Name *"])).to_be_visible()

    customer = get_customer(resolve_alias(address["External ID 1"]).id)
    assert (customer.name, customer.country, customer.currency) == (
        values["Customer Name *"], "DE", "EUR")
    assert (customer.address_line1, customer.address_line2, customer.city,
            customer.postal_code) == (address["Address Line 1"], address["Address Line 2"],
                                      address["City"], address["Postal Code"])
    assert customer.tax_rate == Decimal(address["Tax Rate"])
    primary = next(c for c in customer.contacts if c.is_primary)
    assert (primary.email, primary.first_name, primary.last_name) == (
        f"fay{i}@{form}.example", values["First Name"], values["Last Name"])


def navigate(page: Page, link: str, heading: str) -> None:
    """Through the sidebar, as a user goes (no page load), once the last run is over."""
    wait_ready(page)
    page.get_by_test_id("stSidebarNavLink").filter(has_text=link).click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    wait_ready(page)


def test_new_customer_modal(page, desk):
    page.goto(desk)
    for i in range(ROUNDS):
        navigate(page, "Customers", "Customers")
        page.get_by_role("button", name="New Customer").click()
        new_customer_round(page, page.get_by_role("dialog"), "modal", i)


def test_new_customer_page(page, desk):
    page.goto(desk)
    for i in range(ROUNDS):
        navigate(page, "New Customer", "New Customer")
        new_customer_round(page, page, "page", i)


def open_profile(page: Page, desk: str, customer_id: int) -> None:
    page.goto(f"{desk}/customer?customer={customer_id}")
    expect(page.get_by_role("heading", name=get_customer(customer_id).name)).to_be_visible()
    wait_ready(page)


def refused_then_stored(page: Page, scope: Page | Locator, submit: str,
                        typed: dict[str, str], error: str, fix: dict[str, str],
                        gone: Locator | None = None) -> None:
    """Type at machine speed and press `submit`: refused with `error`, every value kept;
    correct the field and press it again: returns once `gone` (the error by default) has
    gone and the run that saved is over."""
    type_all(scope, typed)
    scope.get_by_role("button", name=submit, exact=True).click()
    message = scope.get_by_text(error)
    expect(message).to_be_visible()
    expect_kept(page, scope, typed)
    type_all(scope, fix)
    scope.get_by_role("button", name=submit, exact=True).click()
    expect(gone or message).to_have_count(0)
    wait_ready(page)


def save_section(page: Page, scope: Locator, title: str, typed: dict[str, str], error: str,
                 fix: dict[str, str]) -> None:
    refused_then_stored(page, scope, f"Save {title}", typed, error, fix)
    expect(scope.get_by_text("Nothing was saved")).to_have_count(0)


def test_profile_sections(page, desk):
    customer = make_customer(name="Sections Typist", external_ids=["sections-typist"])
    open_profile(page, desk, customer.id)
    for i in range(ROUNDS):
        business = edit(page, "Business Information")
        typed = {"Customer Name": f"Typist{BIDI} {i}", "Business Name": f"Typist Holding {i}"}
        terms = TERMS[i % len(TERMS)]
        choose(page, business, "Payment Terms", f"Net {terms}", typed=str(terms))
        save_section(
            page, business, "Business Information", typed,
            "Customer Name must not contain control characters",
            {"Customer Name": f"Typist {i}"})
        stored = get_customer(customer.id)
        assert (stored.name, stored.business_name, stored.payment_terms_days) == (
            f"Typist {i}", f"Typist Holding {i}", terms)

    for i in range(ROUNDS):
        address = edit(page, "Billing Address")
        country = ("Germany", "DE") if i % 2 else ("France", "FR")  # German VAT IDs follow
        choose(page, address, "Country", country[0])  # reruns: the State list follows
        typed = {"Address Line 1": f"Rue {i}", "Address Line 2": f"Bâtiment {i}",
                 "City": f"Lyon{BIDI} {i}", "Postal Code": f"69{i:03d}"}
        save_section(
            page, address, "Billing Address", typed,
            "City must not contain control characters", {"City": f"Lyon {i}"})
        stored = get_customer(customer.id)
        assert (stored.country, stored.address_line1, stored.address_line2, stored.city,
                stored.postal_code) == (country[1], f"Rue {i}", f"Bâtiment {i}", f"Lyon {i}",
                                        f"69{i:03d}")

    for i in range(ROUNDS):
        tax = edit(page, "Tax Settings")
        typed = {"Tax ID / VAT number": valid_vat(i), "Tax Rate": f"1{i:02d}.5"}
        save_section(page, tax, "Tax Settings", typed, "Tax Rate must be between 0 and 100",
                     {"Tax Rate": f"{i}.125"})
        stored = get_customer(customer.id)
        assert (stored.tax_id, stored.tax_rate) == (valid_vat(i), Decimal(f"{i}.125"))


def test_contacts_and_external_ids(page, desk):
    customer = make_customer(name="Contacts Typist", external_ids=["contacts-typist"])
    make_customer(name="Holder Of Taken", external_ids=["taken-id"],
                  primary_contact_email="ap@holder.example")
    open_profile(page, desk, customer.id)
    contacts = expander(page, "Contacts")
    for i in range(ROUNDS):
        contacts.get_by_role("button", name="+ New Contact").click()
        form = contacts.get_by_test_id("stForm")
        typed = {"First Name": f"Quick{i}", "Last Name": f"Fingers{i}",
                 "Email": f"quick{i}-at-example"}
        refused_then_stored(page, form, "Add contact", typed,
                            "Email is not a valid email address",
                            {"Email": f"quick{i}@example.com"}, gone=form)
        stored = {c.email: c for c in get_customer(customer.id).contacts}
        assert (stored[f"quick{i}@example.com"].first_name,
                stored[f"quick{i}@example.com"].last_name) == (f"Quick{i}", f"Fingers{i}")

    aliases = edit(page, "External Identifiers (Aliases)")
    for i in range(ROUNDS):
        refused_then_stored(page, aliases, "Add", {"Add External ID": "taken-id"},
                            "already belongs to customer", {"Add External ID": f"quick-id-{i}"})
        expect(aliases.get_by_text(f"quick-id-{i}")).to_be_visible()
        assert resolve_alias(f"quick-id-{i}").id == customer.id


def test_settings_forms(page, desk):
    page.goto(f"{desk}/settings")
    wait_ready(page)
    taken = list_legal_entities()[0].name
    for i in range(ROUNDS):
        refused_then_stored(page, page.locator(".st-key-entity-add"), "Add legal entity",
                            {"Legal Entity Name *": taken}, "already exists",
                            {"Legal Entity Name *": f"Typist Entity {i} Ltd"})
        assert f"Typist Entity {i} Ltd" in {e.name for e in list_legal_entities()}

    for i in range(ROUNDS):
        add = page.get_by_test_id("stVerticalBlock").filter(
            has=page.get_by_text("Add a custom field", exact=True)).last
        typed = {"Key": f"Typist Key {i}", "Label": f"Typist field {i}",
                 "Help text": f"What typist {i} means"}
        refused_then_stored(page, add, "Add field", typed, "Key must", {"Key": f"typist_{i}"})
        stored = {f.key: f for f in definitions()}
        assert (stored[f"typist_{i}"].label, stored[f"typist_{i}"].help) == (
            f"Typist field {i}", f"What typist {i} means")
