"""A viewer in the browser: sees the book and every profile, reaches no edit control, and an
edit crafted outside the UI is refused by the service."""

import re

import pytest
from playwright.sync_api import expect

from services import db
from services.access import VIEWER, AccessDenied, Actor
from services.customers import get_customer, update_customer
from services.demo_data import seed_demo_customers
from services.roles import LOCAL_USER_ENV
from tests.e2e.conftest import app_of_its_own, screenshot
from tests.e2e.helpers import expander, grid, wait_ready

VIEWER_EMAIL = "vera@example.com"
EDIT_BUTTONS = re.compile(r"^(New Customer|Save .*|Archive|Restore|Remove|Add|Edit|"
                          r"\+ New Contact|Make primary|\+ Add payment method|Make default|"
                          r"Revoke|Apply|Save view|Delete view|Import)$")


@pytest.fixture(scope="module")
def viewer_app(tmp_path_factory):
    with app_of_its_own(tmp_path_factory, "viewer", **{LOCAL_USER_ENV: VIEWER_EMAIL}) as app:
        seed_demo_customers(5)
        yield app.url, app.db_url


def assert_no_edit_control(page) -> None:
    main = page.get_by_test_id("stMain")
    buttons = [b.inner_text().strip() for b in main.get_by_role("button").all()
               if b.is_visible() and b.is_enabled()]
    assert not [b for b in buttons if EDIT_BUTTONS.match(b)], buttons
    editable = main.locator("input:not([disabled]):not([type=hidden]), textarea:not([disabled])")
    enabled = [e.get_attribute("aria-label") for e in editable.all() if e.is_visible()]
    allowed = {"Search", "Status", "Charts", "Saved view", "Rows per page"}  # reading
    assert [e for e in enabled if e not in allowed] == [], enabled


def test_a_viewer_reaches_no_edit_control(page, viewer_app):
    url, db_url = viewer_app
    page.goto(url)
    wait_ready(page)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_text("Customers")).to_be_visible()
    for hidden in ("New Customer", "Import", "Settings"):
        expect(nav.get_by_text(hidden, exact=True)).to_have_count(0)
    # An email is shown with an invisible word joiner after "@", so it is never made a link.
    shown_email = VIEWER_EMAIL.replace("@", "@\u2060")
    expect(page.get_by_text(f"Signed in as {shown_email} · viewer")).to_be_visible()
    assert_no_edit_control(page)

    grid(page).locator('.ag-cell[col-id="name"] a').first.click()
    expect(page).to_have_url(re.compile(r"customer=\d+"))
    customer_id = int(re.search(r"customer=(\d+)", page.url).group(1))
    wait_ready(page)
    expect(page.locator("summary", has_text="Business Information")).to_be_visible()
    wait_ready(page)
    titles = page.get_by_test_id("stExpander").locator("summary").all_inner_texts()
    for title in titles:  # each opened and seen open, so a control inside would count
        expander(page, title.splitlines()[-1])
    business = expander(page, "Business Information")
    expect(business.get_by_text(re.compile(r"^Net \d+$"))).to_be_visible()  # read as text
    screenshot(page, "viewer-profile")
    assert_no_edit_control(page)

    page.goto(f"{url}/settings")
    wait_ready(page)
    expect(page.get_by_role("heading", name="Settings")).to_have_count(0)

    db.configure(db_url)
    before = get_customer(customer_id)
    with pytest.raises(AccessDenied, match="viewer role"):
        update_customer(customer_id, {"name": "Crafted"}, version=before.version,
                        actor=Actor(VIEWER_EMAIL, VIEWER))
    assert get_customer(customer_id).name == before.name
