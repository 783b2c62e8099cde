"""Settings in the browser: legal entities, the tax-integration lock seen on the form (after
its confirm step), and API keys: the new secret's dialog and revoking after a confirm."""

from playwright.sync_api import expect

from services import db
from services.api_keys import authenticate
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import choose, fill, wait_ready


def test_add_legal_entity_and_lock_tax_rate(page, app_server):
    page.goto(f"{app_server.url}/settings")
    wait_ready(page)
    expect(page.get_by_role("heading", name="Legal entities")).to_be_visible()
    fill(page.locator(".st-key-entity-add"), "Legal Entity Name *", "Meterly Australia Pty Ltd")
    page.get_by_role("button", name="Add legal entity").click()
    expect(page.get_by_text("Legal entity Meterly Australia Pty Ltd added.")).to_be_visible()

    toggle = page.get_by_text("Tax managed by integration")
    toggle.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Tax Rate becomes read-only on every customer")
    screenshot(page, "settings-tax-confirm")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    wait_ready(page)
    expect(page.get_by_text("Tax Rate is entered by hand on each customer.")).to_be_visible()
    toggle.click()
    page.get_by_role("dialog").get_by_role("button", name="Turn on").click()
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
        page.get_by_role("dialog").get_by_role("button", name="Turn off").click()
        expect(page.get_by_text("Tax Rate is entered by hand on each customer.")).to_be_visible()


def test_a_new_keys_secret_stays_in_its_dialog_and_revoking_asks(page, app_server):
    page.goto(f"{app_server.url}/settings")
    wait_ready(page)
    fill(page, "Key name", "Billing sync")
    page.get_by_role("button", name="Create key").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Copy it now: it is not shown again.")
    secret = dialog.get_by_test_id("stCode").inner_text().strip()
    db.configure(app_server.db_url)
    assert authenticate(secret).name == "Billing sync"
    dialog.get_by_test_id("stCode").hover()
    expect(dialog.get_by_test_id("stCode").get_by_role("button", name="Copy")).to_be_visible()
    screenshot(page, "settings-api-key-secret")
    page.keyboard.press("Escape")  # the secret is not dismissed by accident
    page.mouse.click(10, 10)
    wait_ready(page)
    expect(dialog.get_by_test_id("stCode")).to_have_text(secret)
    dialog.get_by_role("button", name="I have copied the key").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_text(secret)).to_have_count(0)

    key = authenticate(secret)
    option = f"Billing sync ({key.prefix}…)"
    choose(page, page, "Key to revoke", option, typed="Billing sync")
    page.get_by_role("button", name="Revoke", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Revoke {option}? Every program using it is refused (401)")
    screenshot(page, "settings-revoke-confirm")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    wait_ready(page)
    assert authenticate(secret) is not None
    page.get_by_role("button", name="Revoke", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Revoke key").click()
    expect(page.get_by_text("API key revoked.")).to_be_visible()
    assert authenticate(secret) is None
