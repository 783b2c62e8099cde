"""A company that came without a billing contact, in the browser: the Customers page's
"No billing contact" filter finds it, its profile flags it, and adding a contact there makes
it the primary one and clears the flag."""

import re

import pytest
from playwright.sync_api import expect

from services.customers import create_customer
from tests.e2e.conftest import app_of_its_own, screenshot
from tests.e2e.helpers import choose, expander, fill, grid, wait_ready
from tests.unit.factories import ACTOR, customer_input, make_customer


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    with app_of_its_own(tmp_path_factory, "no_billing_contact") as app:
        make_customer(name="Has One", external_ids=["has"])
        values = {k: v for k, v in customer_input(name="Globex", external_ids=["crm-1"]).items()
                  if not k.startswith("primary_contact_")}
        create_customer(values, actor=ACTOR)
        yield app.url


def test_filter_the_customer_without_a_billing_contact_and_add_one(page, desk):
    page.goto(desk)
    wait_ready(page)
    expect(page.get_by_text("2 customers match")).to_be_visible()
    expander(page, "Filters")
    choose(page, page, "Billing contact", "No billing contact")
    expect(page.get_by_text("1 customer matches")).to_be_visible()
    expect(page).to_have_url(re.compile(r"contact=no"))
    names = grid(page).locator('.ag-cell[col-id="name"]')
    expect(names).to_have_text(["Globex"])
    names.first.get_by_role("link").click()

    expect(page.get_by_role("heading", name="Globex")).to_be_visible()
    flag = page.get_by_text("No billing contact", exact=True)
    expect(flag.first).to_be_visible()
    expect(page.get_by_text("No billing contact: invoices have nobody to go to.",
                            exact=False)).to_be_visible()
    screenshot(page, "no-billing-contact")
    contacts = expander(page, "Contacts")
    contacts.get_by_role("button", name="+ New Contact").click()
    fill(contacts, "Email", "ap@globex.example")
    contacts.get_by_role("button", name="Add contact").click()
    expect(page.get_by_text("Contact added.")).to_be_visible()
    expect(contacts.get_by_text("Primary", exact=True)).to_be_visible()
    expect(page.get_by_text("No billing contact: invoices have nobody to go to.",
                            exact=False)).to_have_count(0)
    expect(flag).to_have_count(0)  # the badge, and the header's Primary contact fact
