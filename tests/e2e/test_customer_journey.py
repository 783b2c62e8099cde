"""A user's whole journey in real Chromium: create in the modal, find in the grid, edit the
profile section by section, and read every change back in History."""

import re

from playwright.sync_api import Page, expect

from services import db
from services.customers import get_customer
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import choose, edit, expander, fill, grid, wait_ready
from tests.unit.factories import make_customer

HOSTILE_NAME = "<img src=x onerror=alert(1)>"


def open_customers(page: Page, base: str) -> None:
    page.goto(base)
    wait_ready(page)
    expect(page.get_by_role("heading", name="Customers")).to_be_visible()


def create_in_modal(page: Page, name: str, email: str, alias: str) -> None:
    page.get_by_role("button", name="New Customer").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Customer Information")).to_be_visible()
    fill(dialog, "Customer Name *", name)
    fill(dialog, "Primary Contact Email *", email)
    fill(dialog, "First Name", "Hank")
    fill(dialog, "Last Name", "Scorpio")
    choose(page, dialog, "Country", "Germany")
    expect(dialog.get_by_role("combobox", name="Billing Currency")).to_have_value("EUR · Euro")
    fill(dialog, "Address Line 1", "Unter den Linden 5")
    fill(dialog, "City", "Berlin")
    choose(page, dialog, "State", "Berlin")
    fill(dialog, "Postal Code", "10117")
    expect(dialog.get_by_label("Tax Rate", exact=True)).to_have_value("0.00")
    fill(dialog, "Tax Rate", "8.875")
    fill(dialog, "External ID 1", alias)
    screenshot(page, "new-customer-modal")
    dialog.get_by_role("button", name="Create Customer").click()


def test_a_bad_email_is_shown_under_its_field_and_nothing_typed_is_lost(page, app_server):
    open_customers(page, app_server.url)
    page.get_by_role("button", name="New Customer").click()
    dialog = page.get_by_role("dialog")
    fill(dialog, "Customer Name *", "Initech")
    fill(dialog, "Primary Contact Email *", "not-an-email")
    dialog.get_by_role("button", name="Create Customer").click()
    expect(dialog.get_by_text("Primary Contact Email is not a valid email address")).to_be_visible()
    expect(dialog.get_by_label("Customer Name *", exact=True)).to_have_value("Initech")
    expect(dialog.get_by_label("Primary Contact Email *", exact=True)).to_have_value("not-an-email")
    screenshot(page, "new-customer-validation")


def test_create_find_edit_and_see_history(page, app_server):
    open_customers(page, app_server.url)
    create_in_modal(page, "Globex Analytics", "ap@globex.example", "globex-crm-1")

    expect(page.get_by_role("heading", name="Globex Analytics")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/customer\?customer=\d+"))
    expect(page.get_by_text("Customer Globex Analytics created.")).to_be_visible()

    page.get_by_test_id("stSidebarNavLink").filter(has_text="Customers").click()
    fill(page, "Search", "Globex")
    rows = grid(page).locator(".ag-center-cols-container .ag-row")
    expect(rows).to_have_count(1)
    cell = grid(page).locator('.ag-cell[col-id="name"]').first
    expect(cell).to_have_text("Globex Analytics")
    expect(rows.first.locator('.ag-cell[col-id="country"]')).to_have_text("Germany")
    expect(rows.first.locator('.ag-cell[col-id="tax_rate"]')).to_have_text("8.875")
    screenshot(page, "customers-search")
    cell.get_by_role("link", name="Globex Analytics").click()
    expect(page.get_by_role("heading", name="Globex Analytics")).to_be_visible()

    business = edit(page, "Business Information")
    choose(page, business, "Payment Terms", "Net 45", typed="45")
    business.get_by_role("button", name="Save Business Information").click()
    expect(page.get_by_text("Business Information saved.")).to_be_visible()

    contacts = expander(page, "Contacts")
    contacts.get_by_role("button", name="+ New Contact").click()
    form = contacts.get_by_test_id("stForm")
    fill(form, "First Name", "Lisa")
    fill(form, "Last Name", "Simpson")
    fill(form, "Email", "legal@globex.example")
    form.get_by_text("Updates", exact=True).click()
    form.get_by_text("Legal", exact=True).click()
    form.get_by_role("button", name="Add contact").click()
    expect(page.get_by_text("Contact added.")).to_be_visible()
    expect(contacts.get_by_text("Email preferences: Billing, Legal")).to_be_visible()

    aliases = edit(page, "External Identifiers (Aliases)")
    fill(aliases, "Add External ID", "stripe:cus_Globex")
    aliases.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("External ID added.")).to_be_visible()
    expect(aliases.get_by_text("stripe:cus_Globex")).to_be_visible()

    wait_ready(page)
    history = expander(page, "History")
    # One row per event; the grid draws its cells on a canvas and keeps them as text in
    # its table for assistive technology.
    events = history.get_by_test_id("stDataFrame").first
    expect(events.locator("td", has_text="Payment Terms: Net 30 → Net 45")).to_have_count(1)
    expect(events.locator("td", has_text="Added contact")).to_have_count(1)
    expect(events.locator("td", has_text=re.compile(r"stripe:cus_Globex"))).to_have_count(1)
    page.set_viewport_size({"width": 1440, "height": 2600})
    screenshot(page, "customer-profile")


def test_hostile_name_is_text_in_grid_and_profile(page, app_server):
    open_customers(page, app_server.url)
    create_in_modal(page, HOSTILE_NAME, "x@hostile.example", "hostile-1")
    expect(page.get_by_role("heading", name=HOSTILE_NAME)).to_be_visible()

    page.get_by_test_id("stSidebarNavLink").filter(has_text="Customers").click()
    fill(page, "Search", "onerror")
    rows = grid(page).locator(".ag-center-cols-container .ag-row")
    expect(rows).to_have_count(1)
    cell = grid(page).locator('.ag-cell[col-id="name"]')
    expect(cell).to_have_text(HOSTILE_NAME)
    expect(grid(page).locator("img[src='x']")).to_have_count(0)
    expect(page.locator("img[src='x']")).to_have_count(0)
    page.wait_for_timeout(500)
    assert page.js_dialogs == []


def test_a_look_alike_external_id_is_refused_naming_its_holder(page, app_server):
    db.configure(app_server.db_url)
    holder = make_customer(name="Look Alike Holder", external_ids=["cus_ACME1"])
    customer = make_customer(name="Look Alike Seeker", external_ids=["seeker-1"])
    page.goto(f"{app_server.url}/customer?customer={customer.id}")
    expect(page.get_by_role("heading", name="Look Alike Seeker")).to_be_visible()
    aliases = edit(page, "External Identifiers (Aliases)")
    fill(aliases, "Add External ID", "cus_АСМЕ1")  # Cyrillic А, С, М, Е
    aliases.get_by_role("button", name="Add", exact=True).click()
    refusal = page.get_by_text(f'looks like "cus_ACME1", which belongs to customer Look Alike '
                               f"Holder (#{holder.id})")
    expect(refusal).to_be_visible()
    expect(aliases.get_by_label("Add External ID", exact=True)).to_have_value("cus_АСМЕ1")
    refusal.scroll_into_view_if_needed()
    screenshot(page, "external-id-look-alike")
    fill(aliases, "Add External ID", "cus_\u200b9")
    aliases.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("ZERO WIDTH SPACE (U+200B)")).to_be_visible()
    assert [a.value for a in get_customer(customer.id).aliases] == ["seeker-1"]
