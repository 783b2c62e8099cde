"""The profile's Payment Methods section in the browser: a card added, made the default and
seen in the header, another method revoked after confirming, the Auto Pay refusal and
warning, an axe scan of the section, and the section at 390 px."""

import re
from itertools import count

import pytest
from playwright.sync_api import Locator, Page, expect

from services import db
from services.customers import get_customer
from services.payment_methods import add_payment_method
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import choose, edit, expander, fill, wait_ready
from tests.e2e.test_customer_profile import assert_accessible, fact, open_profile
from tests.unit.factories import ACTOR, make_customer

_SERIAL = count(1)


@pytest.fixture
def customer(app_server):
    """A customer of its own per test (the app is shared), named as a real one would be:
    the profile's picture in the README is taken here."""
    db.configure(app_server.db_url)
    n = next(_SERIAL)
    return make_customer(name=f"Northwind Traders {n}", external_ids=[f"stripe:cus_NWT{n:04d}"],
                         primary_contact_email=f"ap{n}@northwind.example")


def sepa(customer) -> dict:
    return {"provider": "gocardless", "reference": f"MD{customer.id:06d}SEPA",
            "method_type": "sepa_debit", "bank_name": "Deutsche Bank"}


def row(section: Locator, text: str) -> Locator:
    """The line of the method showing `text`, with its buttons."""
    return section.get_by_test_id("stHorizontalBlock").filter(has_text=text).filter(
        has=section.page.get_by_role("button", name="Edit", exact=True)).first


def toast(page: Page, text: str) -> Locator:
    return page.get_by_test_id("stToast").filter(has_text=text)


def tick(scope: Locator, label: str) -> None:
    """Tick a checkbox by clicking its label, as a person does (the box is drawn over)."""
    scope.get_by_test_id("stCheckbox").filter(has_text=label).locator("label").first.click()
    expect(scope.get_by_role("checkbox", name=label)).to_be_checked()


def scan(page: Page) -> None:
    """The axe scan, once the toasts have gone (Streamlit's toast is a dialog without a
    name, which is not ours to fix)."""
    expect(page.get_by_test_id("stToast")).to_have_count(0)
    assert_accessible(page)


def add_card(page: Page, section: Locator, reference: str) -> None:
    section.get_by_role("button", name="+ Add payment method").click()
    expect(section.get_by_role("combobox", name="Type *")).to_have_value("Card")
    choose(page, section, "Provider *", "Stripe")
    wait_ready(page)
    fill(section, "Method reference *", reference)
    fill(section, "Brand", "Visa")
    fill(section, "Last 4 digits", "4242")
    fill(section, "Expiry month", "8")
    fill(section, "Expiry year", "2099")
    fill(section, "Holder name", "Ada Lovelace")


def test_add_a_card_make_it_default_and_revoke_the_old_one(page, app_server, customer):
    old = sepa(customer)
    add_payment_method(customer.id, old, actor=ACTOR)
    reference = f"pm_card{customer.id}"
    open_profile(page, app_server.url, customer)
    main = page.get_by_test_id("stMain")
    expect(fact(main, "Default payment method")).to_have_text(
        f"SEPA Direct Debit · {old['reference']}")
    section = expander(page, "Payment Methods")
    add_card(page, section, reference)
    screenshot(page, "payment-methods-add-card")
    assert_accessible(page)
    section.get_by_role("button", name="Add payment method", exact=True).click()
    expect(toast(page, "Payment method added.")).to_be_visible()
    line = f"Visa •••• 4242 · expires 08/99 · Stripe · {reference}"
    expect(section.get_by_text(line)).to_be_visible()
    expect(section.get_by_text("Holder: Ada Lovelace")).to_be_visible()

    row(section, reference).get_by_role("button", name="Make default").click()
    expect(toast(page, "Default payment method changed.")).to_be_visible()
    expect(fact(main, "Default payment method")).to_have_text("Visa •••• 4242 · 08/99")
    expect(row(section, reference).get_by_text("Default", exact=True)).to_be_visible()
    # The list is drawn again in its new order: until that run ends a line may still hold
    # the buttons of the method that stood there before.
    wait_ready(page)

    old_row = row(section, old["reference"])
    old_row.get_by_role("button", name="Revoke").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Revoke SEPA Direct Debit · Deutsche Bank · GoCardless · "
                                   f"{old['reference']}? It stays in the list marked Revoked")
    screenshot(page, "payment-methods-revoke-confirm")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    old_row.get_by_role("button", name="Revoke").click()
    page.get_by_role("dialog").get_by_role("button", name="Revoke").click()
    expect(toast(page, "Payment method revoked.")).to_be_visible()
    expect(old_row.get_by_text("Revoked", exact=True)).to_be_visible()
    expect(old_row.get_by_role("button", name="Revoke")).to_have_count(0)
    methods = {m.reference: m for m in get_customer(customer.id).payment_methods}
    assert methods[reference].is_default and methods[old["reference"]].revoked_at is not None

    scan(page)
    page.set_viewport_size({"width": 1440, "height": 2600})  # the whole profile in one picture
    wait_ready(page)
    screenshot(page, "payment-methods-profile")


def test_auto_pay_needs_a_usable_default_and_warns_without_one(page, app_server, customer):
    open_profile(page, app_server.url, customer)
    business = edit(page, "Business Information")
    tick(business, "Auto Pay")
    business.get_by_role("button", name="Save Business Information").click()
    expect(business.get_by_text(re.compile("^Auto Pay needs a usable default payment method"))
           ).to_be_visible()
    assert not get_customer(customer.id).auto_pay
    business.get_by_role("button", name="Cancel").click()
    expect(business.get_by_role("button", name="Edit", exact=True)).to_be_visible()
    wait_ready(page)

    section = expander(page, "Payment Methods")
    add_card(page, section, f"pm_auto{customer.id}")
    section.get_by_role("button", name="Add payment method", exact=True).click()
    expect(toast(page, "Payment method added.")).to_be_visible()
    wait_ready(page)
    business = edit(page, "Business Information")
    tick(business, "Auto Pay")
    business.get_by_role("button", name="Save Business Information").click()
    expect(fact(business, "Auto Pay")).to_have_text("Yes")
    warning = page.get_by_text(re.compile("^Auto Pay is on, but"))
    expect(warning).to_have_count(0)

    section = expander(page, "Payment Methods")
    section.get_by_role("button", name="Revoke").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("It is the default: Auto Pay has nothing to charge")
    dialog.get_by_role("button", name="Revoke").click()
    expect(warning).to_have_text(
        "Auto Pay is on, but the default payment method (Visa •••• 4242 · 08/99) is revoked: "
        "nothing can be charged automatically. Add a payment method or make a usable one the "
        "default under Payment Methods, or turn Auto Pay off under Business Information.")
    scan(page)
    warning.scroll_into_view_if_needed()
    screenshot(page, "payment-methods-autopay-warning")


def test_removing_the_default_asks_for_the_new_one_at_390_px(page, app_server, customer):
    add_payment_method(customer.id, {"provider": "stripe", "reference": f"pm_one{customer.id}",
                                     "method_type": "card", "brand": "Mastercard",
                                     "last4": "4444", "exp_month": 2, "exp_year": 2099},
                       actor=ACTOR)
    add_payment_method(customer.id, sepa(customer), actor=ACTOR)
    page.set_viewport_size({"width": 390, "height": 844})
    open_profile(page, app_server.url, customer)
    section = expander(page, "Payment Methods")
    row(section, "Mastercard").get_by_role("button", name="Remove").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("It is the default: choose the method that becomes the "
                                   "default.")
    expect(dialog.get_by_role("combobox", name="New default payment method")).to_have_value(
        f"SEPA Direct Debit · Deutsche Bank · GoCardless · {sepa(customer)['reference']}")
    screenshot(page, "payment-methods-remove-default-390")
    assert_accessible(page)
    dialog.get_by_role("button", name="Remove", exact=True).click()
    expect(toast(page, "Payment method removed.")).to_be_visible()
    expect(section.get_by_text("Mastercard")).to_have_count(0)
    expect(row(section, "SEPA").get_by_text("Default", exact=True)).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    section.get_by_role("button", name="+ Add payment method").click()
    expect(section.get_by_role("textbox", name="Last 4 digits")).to_be_visible()
    wait_ready(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    expect(page.get_by_test_id("stToast")).to_have_count(0)
    page.set_viewport_size({"width": 390, "height": 3600})  # the whole page in one picture
    wait_ready(page)
    screenshot(page, "payment-methods-390")
