"""Customer families in the browser: a parent set on a customer's profile by searching for
it, the family walked parent -> child -> parent through the profile's links in the same
tab, and archiving the parent asking what happens to its children."""

import re

import pytest
from playwright.sync_api import Page, expect

from services import db
from services.customers import get_customer
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import choose, edit, expander, wait_ready
from tests.unit.factories import make_customer


@pytest.fixture
def members(app_server):
    db.configure(app_server.db_url)
    return {name: make_customer(name=f"{name} Families", external_ids=[f"fam-{name.lower()}"],
                                primary_contact_email=f"{name.lower()}@families.example")
            for name in ("Holding", "North")}


def heading(page: Page, name: str):
    return page.get_by_role("heading", name=name, exact=True)


def open_profile(page: Page, url: str, customer) -> None:
    page.goto(f"{url}/customer?customer={customer.id}")
    expect(heading(page, customer.name)).to_be_visible()
    wait_ready(page)


def follow(page: Page, link_text: str, lands_on: str) -> None:
    """Click a link of the Family section and land on that profile, in the same tab."""
    family = expander(page, "Family")
    family.get_by_role("link", name=re.compile(re.escape(link_text))).click()
    expect(heading(page, lands_on)).to_be_visible()
    wait_ready(page)


def test_a_family_is_made_walked_and_its_parent_archived(page, app_server, members):
    holding, north = members["Holding"], members["North"]
    open_profile(page, app_server.url, north)

    family = edit(page, "Family")
    search = family.get_by_label("Find the parent", exact=True)
    search.fill("Holding Fam")
    search.press("Enter")
    wait_ready(page)
    choose(page, family, "Parent", f"{holding.name} (#{holding.id})", typed="Holding")
    family.get_by_text("Invoice to parent", exact=True).click()
    family.get_by_role("button", name="Save Family", exact=True).click()
    wait_ready(page)
    family = expander(page, "Family")
    expect(family.get_by_role("link", name=f"{holding.name} (#{holding.id})")).to_be_visible()
    expect(family).to_contain_text("Invoice to parent: Yes")
    assert get_customer(north.id).parent_id == holding.id

    follow(page, f"{holding.name} (#{holding.id})", holding.name)
    expect(page).to_have_url(re.compile(f"customer={holding.id}$"))
    assert len(page.context.pages) == 1  # the same tab
    expect(expander(page, "Family")).to_contain_text("Children (1)")
    screenshot(page, "customer-family")
    follow(page, f"{north.name} (#{north.id})", north.name)
    expect(page).to_have_url(re.compile(f"customer={north.id}$"))
    follow(page, f"{holding.name} (#{holding.id})", holding.name)
    page.go_back()  # Back returns to the child's profile, as a link's would
    expect(heading(page, north.name)).to_be_visible()
    page.go_forward()
    expect(heading(page, holding.name)).to_be_visible()
    wait_ready(page)

    page.get_by_role("button", name="Archive", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("It is the parent of 1 active customer: what happens to "
                                   "them?")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    assert get_customer(holding.id).status == "active"

    page.get_by_role("button", name="Archive", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Archive the children too", exact=True).click()
    dialog.get_by_role("button", name="Archive", exact=True).click()
    expect(page.get_by_text("Customer archived.")).to_be_visible()
    assert [get_customer(c.id).status for c in (holding, north)] == ["archived", "archived"]
