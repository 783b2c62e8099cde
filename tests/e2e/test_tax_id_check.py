"""Check Tax ID in the browser: the app started with VIES on, pointed at the local stand-in
(never the EU), and a German VAT number checked from the profile's Tax Settings to
"Verified", which the section and the header then read with the date."""

import pytest
from playwright.sync_api import expect

from services.customers import get_customer
from tests.e2e.conftest import app_of_its_own, screenshot
from tests.e2e.helpers import expander, wait_ready
from tests.unit.factories import make_customer
from tooling import vies_stand_in as stand

VAT = "DE123456704"


@pytest.fixture(scope="module")
def desk(tmp_path_factory, vies_stand_in):
    vies_stand_in.answer(VAT, stand.VALID)
    with app_of_its_own(tmp_path_factory, "tax_id_check", CUSTOMER_DESK_VIES_ENABLED="true",
                        CUSTOMER_DESK_VIES_URL=vies_stand_in.url,
                        CUSTOMER_DESK_VIES_TIMEOUT_SECONDS="5") as app:
        yield app.url, make_customer(tax_id=VAT)


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    yield context.new_page()
    context.close()


def test_a_tax_id_is_checked_to_verified_from_the_profile(tab, desk, vies_stand_in):
    app_url, customer = desk
    tab.goto(f"{app_url}/customer?customer={customer.id}")
    wait_ready(tab)
    section = expander(tab, "Tax Settings")
    expect(section.get_by_text("Valid format", exact=False)).to_be_visible()
    section.get_by_role("button", name="Check Tax ID").click()
    expect(section.get_by_text("VIES confirms this VAT number is registered.")).to_be_visible()
    checked = get_customer(customer.id).tax_id_checked_at
    verified = f"Verified {checked:%-d %b %Y}"
    expect(section.get_by_text(verified, exact=True)).to_be_visible()
    expect(tab.get_by_text(f"{VAT} · {verified}", exact=True)).to_be_visible()
    assert VAT in vies_stand_in.asked
    tab.mouse.move(0, 0)  # no tooltip over the section in the picture
    expect(tab.get_by_text("Asks the EU's VIES whether this VAT number is registered.")
           ).to_be_hidden()
    wait_ready(tab)
    screenshot(tab, "tax-id-verified")
