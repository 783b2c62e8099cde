"""Two people on one profile in Chromium: a change to the field being edited is shown with
who, what and when, keeps what was typed, and "Keep mine" saves it. (A change to another
section being no conflict, and "Take theirs", are the page's logic: tests/app covers them.)"""

import re

from playwright.sync_api import Page, expect

from services import db
from services.customers import get_customer, update_business_information
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import choose, edit, fill, wait_ready
from tests.e2e.test_accessibility import blocking_violations
from tests.unit.factories import admin, make_customer

COLLEAGUE = admin("colleague@example.com")
# Text shown as text keeps an invisible word joiner after "@" (components.text).
COLLEAGUE_SHOWN = re.compile("colleague@\u2060?example\\.com")


def open_profile(page: Page, base: str, name: str):
    customer = make_customer(name=name, external_ids=[name.lower().replace(" ", "-")])
    page.goto(f"{base}/customer?customer={customer.id}")
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    wait_ready(page)
    return customer


def _conflict(page: Page, base: str, name: str):
    """A profile whose Customer Name a colleague renamed while the user typed another."""
    customer = open_profile(page, base, name)
    business = edit(page, "Business Information")
    fill(business, "Customer Name", "Mine Typed Co")
    choose(page, business, "Payment Terms", "Net 60", typed="60")
    update_business_information(customer.id, {"name": "Colleague Renamed Co"},
                                version=customer.version, actor=COLLEAGUE)
    business.get_by_role("button", name="Save Business Information").click()
    expect(business.get_by_text("changed Business Information since you opened it")
           ).to_contain_text(COLLEAGUE_SHOWN)
    return customer, business


def test_a_conflict_names_who_and_what_and_keep_mine_saves(page, app_server):
    db.configure(app_server.db_url)
    customer, business = _conflict(page, app_server.url, "Keep Mine Conflict Ltd")

    table = business.get_by_test_id("stTable")
    row = table.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td, th").first).to_have_text("Customer Name")
    expect(row).to_contain_text("Colleague Renamed Co")
    expect(row).to_contain_text("Mine Typed Co")
    expect(row).to_contain_text(COLLEAGUE_SHOWN)
    expect(row).to_contain_text("(just now)")
    expect(business.get_by_label("Customer Name", exact=True)).to_have_value("Mine Typed Co")
    expect(business.get_by_role("combobox", name="Payment Terms")).to_have_value("Net 60")
    business.get_by_role("button", name="Keep mine").scroll_into_view_if_needed()
    screenshot(page, "section-conflict")
    violations = blocking_violations(page)
    assert not violations, "\n".join(violations)

    business.get_by_role("button", name="Keep mine").click()

    expect(page.get_by_text("Business Information saved.")).to_be_visible()
    expect(table).to_have_count(0)
    expect(page.get_by_role("heading", name="Mine Typed Co")).to_be_visible()
    saved = get_customer(customer.id)
    assert (saved.name, saved.payment_terms_days) == ("Mine Typed Co", 60)
