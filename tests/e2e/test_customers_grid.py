"""The grid with a book of customers in it, a name to its profile, and deep links."""

import re

from playwright.sync_api import expect

from services import db
from services.customers import create_customer
from services.demo_data import seed_demo_customers
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import grid, wait_ready
from tests.unit.factories import ACTOR, customer_input

BOOK = 40


def test_grid_shows_the_book_and_a_name_opens_its_profile(page, app_server):
    db.configure(app_server.db_url)
    seed_demo_customers(BOOK)
    page.goto(app_server.url)
    wait_ready(page)
    expect(page.get_by_text(re.compile(r"^\d+ customers match$"))).to_be_visible()
    rows = grid(page).locator(".ag-center-cols-container .ag-row")
    expect(rows.first).to_be_visible()
    screenshot(page, "customers")
    first = grid(page).locator('.ag-cell[col-id="name"]').first
    name = first.inner_text()
    first.get_by_role("link").click()
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


SORTERS = 130  # more than a page of 100


def test_a_header_click_sorts_the_whole_book_and_new_filters_start_at_page_one(page,
                                                                              app_server):
    db.configure(app_server.db_url)
    for n in range(SORTERS):
        create_customer(customer_input(name=f"Sorter {n:03d}", external_ids=[f"sorter-{n}"]),
                        actor=ACTOR)
    page.goto(f"{app_server.url}/?q=Sorter&rows=100")
    wait_ready(page)
    expect(page.get_by_text(f"{SORTERS} customers match")).to_be_visible()
    expect(grid(page).locator(".ag-floating-filter")).to_have_count(0)
    first_name = grid(page).locator('.ag-cell[col-id="name"]').first
    expect(first_name).to_have_text("Sorter 000")

    grid(page).locator('.ag-header-cell[col-id="name"] .ag-header-cell-label').click()
    expect(page).to_have_url(re.compile(r"desc=true"))
    expect(first_name).to_have_text(f"Sorter {SORTERS - 1:03d}")  # the book's last, not page 1's
    expect(page.get_by_text(f"Rows 1–100 of {SORTERS}")).to_be_visible()
    screenshot(page, "customers-sorted-by-header")

    page.goto(f"{app_server.url}/?q=Sorter&rows=100&page=2&desc=true")
    expect(page.get_by_text(f"Rows 101–{SORTERS} of {SORTERS}")).to_be_visible()
    expect(first_name).to_have_text(f"Sorter {SORTERS - 101:03d}")
    search = page.get_by_label("Search", exact=True)
    search.fill("Sorter 1")
    search.press("Enter")
    expect(page.get_by_text(re.compile(r"^Rows 1–\d+ of \d+$"))).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"page=2"))
