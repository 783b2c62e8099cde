"""The grid with a book of customers in it, selection to profile, and deep links."""

import re

from playwright.sync_api import expect

from services import db
from services.demo_data import seed_demo_customers
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import grid, wait_ready

BOOK = 40


def test_grid_shows_the_book_and_a_selected_row_opens_its_profile(page, app_server):
    db.configure(app_server.db_url)
    seed_demo_customers(BOOK)
    page.goto(app_server.url)
    wait_ready(page)
    expect(page.get_by_text(re.compile(r"^\d+ customers match$"))).to_be_visible()
    rows = grid(page).locator(".ag-center-cols-container .ag-row")
    expect(rows.first).to_be_visible()
    screenshot(page, "customers")
    first = rows.first.locator('.ag-cell[col-id="name"]')
    name = first.inner_text()
    first.click()
    page.get_by_role("button", name="Open profile").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/customer\?customer=\d+$"))


def test_deep_links_open_a_profile(page, app_server):
    page.goto(f"{app_server.url}/customer?customer=1")
    wait_ready(page)
    expect(page.get_by_test_id("stExpander").first).to_be_visible()
    title = page.get_by_role("heading", level=1).first.inner_text()
    page.goto(f"{app_server.url}/?customer=1")
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    page.goto(f"{app_server.url}/customer?customer=999999")
    expect(page.get_by_text("Customer #999999 does not exist.")).to_be_visible()
