"""Connected accounts in a real browser: on a profile someone adds a Salesforce ID, sees it
as "Salesforce · 001...", and the Customers grid filtered to "Has a Salesforce ID" shows
that customer alone."""

import re

from playwright.sync_api import expect

from services import db
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import choose, edit, expander, fill, grid, pick, wait_ready
from tests.unit.factories import make_customer

SALESFORCE_ID = "001Dn00000KQ7ZsIAL"


def test_a_salesforce_id_is_added_on_the_profile_and_found_by_the_grid_filter(page,
                                                                               app_server):
    db.configure(app_server.db_url)
    customer = make_customer(name="Connected Umbrella",
                             external_ids=[{"value": "cus_Umbrella1", "system": "stripe"}])
    make_customer(name="Connected Bystander", external_ids=["bystander-1"],
                  primary_contact_email="ap@bystander.example")
    page.goto(f"{app_server.url}/customer?customer={customer.id}")
    expect(page.get_by_role("heading", name="Connected Umbrella")).to_be_visible()

    aliases = edit(page, "External Identifiers (Aliases)")
    expect(aliases.get_by_text("Stripe · cus_Umbrella1")).to_be_visible()
    choose(page, aliases, "System", "Salesforce")
    fill(aliases, "Add External ID", SALESFORCE_ID)
    aliases.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("External ID added.")).to_be_visible()
    expect(aliases.get_by_text(f"Salesforce · {SALESFORCE_ID}")).to_be_visible()
    system = aliases.get_by_role("combobox", name="System", exact=True)
    expect(system).to_have_value("Other")  # ready for the next
    aliases.scroll_into_view_if_needed()
    screenshot(page, "connected-accounts-profile")
    aliases.get_by_role("button", name="Done", exact=True).click()
    wait_ready(page)

    page.goto(f"{app_server.url}/?q=Connected")
    wait_ready(page)
    expect(page.get_by_text("2 customers match")).to_be_visible()
    expander(page, "Filters")
    pick(page, "Connected account", "Has a Salesforce ID")
    expect(page.get_by_text("1 customer matches")).to_be_visible()
    expect(page).to_have_url(re.compile(r"account=salesforce"))
    names = grid(page).locator('.ag-cell[col-id="name"]')
    expect(names).to_have_count(1)
    expect(names).to_have_text("Connected Umbrella")
    page.set_viewport_size({"width": 1440, "height": 1500})
    screenshot(page, "connected-accounts-filter")
