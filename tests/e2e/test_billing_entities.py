"""Legal entities as billing entities in real Chromium: an admin adds an entity with its
country and details in Settings, and a new customer of that country gets it picked on the
New Customer form, then named with its country in the profile's header."""

import pytest
from playwright.sync_api import expect

from services.legal_entities import list_legal_entities
from tests.e2e.conftest import app_of_its_own, screenshot
from tests.e2e.helpers import choose, dataframe_row, fill, wait_ready

ENTITY = "Kiwi Billing Ltd"


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """An app of its own: an entity for a country changes what every other browser test's
    new customers of that country would get."""
    with app_of_its_own(tmp_path_factory, "entities") as app:
        yield app.url


def test_an_entity_added_in_settings_is_picked_for_a_customer_of_its_country(page, desk):
    page.goto(f"{desk}/settings")
    wait_ready(page)
    add = page.locator(".st-key-entity-add")
    fill(add, "Legal Entity Name *", ENTITY)
    choose(page, add, "Country", "New Zealand")
    wait_ready(page)
    expect(add.get_by_role("combobox", name="Default Currency")).to_have_value(
        "NZD · New Zealand Dollar")
    fill(add, "Address Line 1", "12 Queen Street")
    fill(add, "City", "Auckland")
    choose(page, add, "State", "Auckland")
    fill(add, "Postal Code", "1010")
    fill(add, "Tax ID / VAT number", "49-091-850")
    choose(page, add, "Timezone", "Pacific/Auckland", typed="Auckland")
    add.get_by_role("button", name="Add legal entity").click()
    expect(page.get_by_text(f"Legal entity {ENTITY} added.")).to_be_visible()
    wait_ready(page)
    expect(add.get_by_label("Legal Entity Name *", exact=True)).to_have_value("")
    expect(add.get_by_role("combobox", name="Country")).to_have_value("")
    dataframe_row(page, ENTITY)  # in the table
    (entity,) = [e for e in list_legal_entities() if e.name == ENTITY]
    assert (entity.country, entity.state, entity.tax_id, entity.default_currency,
            entity.timezone) == ("NZ", "NZ-AUK", "49091850", "NZD", "Pacific/Auckland")
    screenshot(page, "settings-legal-entities")

    page.get_by_test_id("stSidebarNavLink").filter(has_text="New Customer").click()
    expect(page.get_by_role("heading", name="New Customer")).to_be_visible()
    wait_ready(page)
    legal_entity = page.get_by_role("combobox", name="Legal Entity", exact=True)
    expect(legal_entity).to_have_value("Default Legal Entity")
    fill(page, "Customer Name *", "Tui Analytics")
    fill(page, "Primary Contact Email *", "billing@tui.example")
    choose(page, page, "Country", "New Zealand")
    wait_ready(page)
    expect(legal_entity).to_have_value(ENTITY)
    legal_entity.scroll_into_view_if_needed()
    screenshot(page, "new-customer-entity-by-country")
    page.get_by_role("button", name="Create Customer").click()
    expect(page.get_by_role("heading", name="Tui Analytics")).to_be_visible()
    expect(page.get_by_text(f"{ENTITY} · New Zealand")).to_be_visible()
    screenshot(page, "profile-legal-entity-country")
