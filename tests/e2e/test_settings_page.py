"""Settings in the browser: legal entities, and the tax-integration lock seen on the form."""

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import fill, wait_ready


def test_add_legal_entity_and_lock_tax_rate(page, app_server):
    page.goto(f"{app_server.url}/settings")
    wait_ready(page)
    expect(page.get_by_role("heading", name="Legal entities")).to_be_visible()
    fill(page, "Legal Entity Name", "Meterly Australia Pty Ltd")
    page.get_by_role("button", name="Add legal entity").click()
    expect(page.get_by_text("Legal entity added.")).to_be_visible()

    toggle = page.get_by_text("Tax managed by integration")
    toggle.click()
    expect(page.get_by_text("Tax settings saved.")).to_be_visible()
    expect(page.get_by_text("Tax Rate is managed by the tax integration")).to_be_visible()
    screenshot(page, "settings")
    try:
        page.get_by_test_id("stSidebarNavLink").filter(has_text="New Customer").click()
        expect(page.get_by_role("heading", name="New Customer")).to_be_visible()
        expect(page.get_by_label("Tax Rate", exact=True)).to_be_disabled()
        expect(page.get_by_text("Tax Rate is managed by the tax integration")).to_be_visible()
        wait_ready(page)
        entity = page.get_by_role("combobox", name="Legal Entity", exact=True)
        entity.click()
        entity.fill("Meterly Aus")
        expect(page.get_by_role("option", name="Meterly Australia Pty Ltd")).to_be_visible()
        page.keyboard.press("Escape")
    finally:
        page.goto(f"{app_server.url}/settings")
        page.get_by_text("Tax managed by integration").click()
        expect(page.get_by_text("Tax Rate is entered by hand on each customer.")).to_be_visible()
