"""The billing profile in the browser (issue #15): a tax exemption with its reason, an
individual's personal data marked, phones read nationally. (A shipping address of its own is
checked by tests/app/test_billing_profile_pages.py.)"""

import pytest
from playwright.sync_api import expect

from services import db
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import choose, edit, expander, fill, wait_ready
from tests.e2e.test_customer_profile import fact, open_profile
from tests.unit.factories import make_customer


@pytest.fixture
def customer(app_server, request):
    db.configure(app_server.db_url)
    name = f"Billing {request.node.name[5:40]}"
    return make_customer(name=name, external_ids=[f"bp-{request.node.name[:60]}"],
                         primary_contact_email=f"{request.node.name[5:40]}@bp.example")


def saved(page, section: str) -> None:
    expect(page.get_by_test_id("stToast").filter(has_text=f"{section} saved.")).to_be_visible()
    wait_ready(page)


def test_an_exemption_asks_its_reason_and_reads_a_zero_rate(page, app_server, customer):
    open_profile(page, app_server.url, customer)
    tax = edit(page, "Tax Settings")
    expect(tax.get_by_label("Exemption Reason", exact=True)).to_have_count(0)
    choose(page, tax, "Tax Exemption", "Exempt")
    expect(tax.get_by_label("Exemption Reason", exact=True)).to_be_visible()
    wait_ready(page)
    rate = tax.get_by_role("textbox", name="Tax Rate", exact=True)
    expect(rate).to_have_count(1)
    expect(rate).to_be_disabled()
    expect(rate).to_have_value("0.00")
    expect(tax.get_by_text("Exempt: invoiced without tax, so the Tax Rate is 0.")).to_be_visible()
    screenshot(page, "profile-tax-exempt-editing")
    fill(tax, "Exemption Reason", "Charity (§ 4 UStG)")
    tax.get_by_role("button", name="Save Tax Settings").click()
    saved(page, "Tax Settings")
    tax = expander(page, "Tax Settings")
    expect(fact(tax, "Tax Rate")).to_have_text("0.00 %")
    expect(tax.get_by_text("Exempt: Charity (§ 4 UStG)")).to_be_visible()
    expect(page.get_by_text("Exempt", exact=True).first).to_be_visible()
    screenshot(page, "profile-tax-exempt")


def test_an_individual_is_marked_and_phones_read_nationally(page, app_server, customer):
    open_profile(page, app_server.url, customer)
    business = edit(page, "Business Information")
    expect(business.get_by_label("Business Name", exact=True)).to_be_visible()
    choose(page, business, "Customer Type", "Individual")
    wait_ready(page)
    expect(business.get_by_label("Business Name", exact=True)).to_have_count(0)
    fill(business, "Phone", "+49 30 901820")
    business.get_by_role("button", name="Save Business Information").click()
    saved(page, "Business Information")
    business = expander(page, "Business Information")
    expect(fact(business, "Phone")).to_have_text("030 901820")
    badge = page.get_by_text("Individual · personal data")
    expect(badge).to_be_visible()
    badge.scroll_into_view_if_needed()
    screenshot(page, "profile-individual")
