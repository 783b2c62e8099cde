"""Finance in a real browser: the grid shows each customer's default payment method, and the
Payment method filter narrows the book to the cards that expire soon."""

import re
from datetime import date

from playwright.sync_api import expect

from services import db
from services.customers import create_customer
from services.payment_methods import add_payment_method
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import expander, fill, grid, pick, wait_ready
from tests.unit.factories import ACTOR, customer_input
from tests.unit.test_book_payment_methods import TODAY


def _seed() -> dict[str, int]:
    """Three customers, by name -> id: a Visa far from expiry, a card expiring this month,
    and one without a method."""
    ids = {}
    cards = {"Cardholder Visa": ("Visa", "4242", date(2027, 8, 1)),
             "Cardholder Soon": ("Mastercard", "5454", TODAY),
             "Cardholder None": None}
    for index, (name, held) in enumerate(cards.items()):
        customer = create_customer(customer_input(name=name, external_ids=[f"holder-{index}"]),
                                   actor=ACTOR)
        ids[name] = customer.id
        if held:
            brand, last4, expires = held
            add_payment_method(customer.id, {
                "provider": "stripe", "reference": f"pm_1Holder{index}", "method_type": "card",
                "brand": brand, "last4": last4, "exp_month": expires.month,
                "exp_year": expires.year}, version=customer.version, actor=ACTOR)
    return ids


def _method_cell(page, customer_id: int):
    """The row's payment-method cell (the pinned Name sits in a row element of its own)."""
    return grid(page).locator(f'.ag-center-cols-container .ag-row[row-id="{customer_id}"] '
                              '.ag-cell[col-id="payment_method"]')


def test_the_column_reads_the_card_and_the_filter_narrows_the_grid(page, app_server):
    db.configure(app_server.db_url)
    ids = _seed()
    # The column is the chooser's, not a standard one: a link with it, as a colleague sends.
    page.goto(f"{app_server.url}/?cols=name&cols=payment_method&cols=auto_pay")
    wait_ready(page)
    fill(page, "Search", "Cardholder")
    wait_ready(page)
    expect(page.get_by_text("3 customers match")).to_be_visible()
    expect(_method_cell(page, ids["Cardholder Visa"])).to_have_text("Visa •••• 4242 · 08/27")

    expander(page, "Filters")
    pick(page, "Payment Method", "Expiring within 30 days")
    expect(page.get_by_text("1 customer matches")).to_be_visible()
    expect(page).to_have_url(re.compile(r"pm=expiring"))  # the link names the choice's code
    names = grid(page).locator('.ag-cell[col-id="name"]')
    expect(names).to_have_count(1)
    expect(names).to_have_text("Cardholder Soon")
    expect(_method_cell(page, ids["Cardholder Soon"])).to_have_text(
        f"Mastercard •••• 5454 · {TODAY:%m/%y}")
    screenshot(page, "customers-payment-method-expiring")
