"""A card number typed on the New Customer form, in real Chromium: refused under its field
with a message saying where a card belongs, and nothing saved."""

import uuid

import pytest
from playwright.sync_api import expect

from services import db
from services.customer_queries import CustomerQuery, list_customers
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import choose, fill
from tests.e2e.test_new_customer_form import open_modal, top


@pytest.fixture
def desk(app_server):
    db.configure(app_server.db_url)
    return app_server.url


def test_a_card_number_in_address_line_1_is_refused_and_nothing_saved(page, desk):
    name = f"Card Test {uuid.uuid4().hex[:8]}"
    dialog = open_modal(page, desk)
    fill(dialog, "Customer Name *", name)
    fill(dialog, "Primary Contact Email *", "billing@card-test.example")
    choose(page, dialog, "Country", "Germany")  # its currency is filled in
    fill(dialog, "Address Line 1", "4242 4242 4242 4242")
    dialog.get_by_role("button", name="Create Customer").click()

    error = dialog.get_by_test_id("stAlert").filter(
        has_text="Address Line 1: card numbers must not be stored here; keep the card with "
                 "your payment provider and store its reference (pm_...).")
    expect(error).to_be_visible()
    field = dialog.get_by_label("Address Line 1", exact=True)
    assert 0 < top(error) - top(field) < 120, (top(field), top(error))
    expect(field).to_have_value("4242 4242 4242 4242")
    assert list_customers(CustomerQuery(search=name)).total == 0
    screenshot(page, "new-customer-card-number")
