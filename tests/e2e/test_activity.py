"""The Activity page in the browser: one row per event, times in the viewer's timezone, the
pager above the table, the customer-name filter, an event's changes on selecting it, and
the customer's profile a click away, from the table and from the event's details."""

from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from services.access import EDITOR, Actor
from services.activity import PAGE_SIZE, ActivityFilter, activity_page
from services.customers import update_customer
from tests.e2e.conftest import app_of_its_own, screenshot
from tests.e2e.helpers import click_dataframe, fill, wait_ready
from tests.unit.factories import make_customer

GRACE = Actor("grace@example.com", EDITOR)
ZONE = "America/New_York"
# Where the Customer column starts, as the page sizes the columns before it: each row's
# selection box, When, Who and What.
BEFORE_CUSTOMER = 35 + 200 + 200 + 170


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """The app on a log one event longer than a page, the newest renaming Bolt."""
    with app_of_its_own(tmp_path_factory, "activity") as app:
        acme = make_customer()
        for terms in range(31, 31 + PAGE_SIZE - 2):
            update_customer(acme.id, {"payment_terms_days": terms}, version=None, actor=GRACE)
        bolt = make_customer(name="Bolt Inc", primary_contact_email="ap@bolt.example",
                             external_ids=["bolt-1"])
        update_customer(bolt.id, {"name": "Bolt GmbH", "city": "Hamburg"}, version=None,
                        actor=GRACE)
        yield app.url, bolt


@pytest.fixture
def in_new_york(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, timezone_id=ZONE)
    yield context.new_page()
    context.close()


def test_events_in_the_viewers_time_filtered_selected_and_linked(in_new_york, desk):
    app_url, bolt = desk
    page = in_new_york
    page.goto(f"{app_url}/activity")
    wait_ready(page)
    table = page.get_by_test_id("stDataFrame")
    # The grid's cells are drawn on a canvas; its table for assistive technology holds them
    # as text.
    expect(table.locator("th", has_text=f"When ({ZONE})")).to_be_attached()
    pager = page.get_by_text(f"{PAGE_SIZE + 1} events match · page 1 of 2")
    expect(pager).to_be_visible()
    assert pager.bounding_box()["y"] < table.bounding_box()["y"]  # the pager is on top
    newest = activity_page(ActivityFilter()).events[0]
    local = newest.at.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%d %H:%M:%S")
    expect(table.locator("td", has_text=local).first).to_be_attached()
    # One row per event: a page of them is a screen high, not one row per changed field.
    assert page.evaluate("document.documentElement.scrollHeight") < 2_000

    fill(page, "Customer name", "bolt")
    expect(page.get_by_text("2 events match · page 1 of 1")).to_be_visible()
    wait_ready(page)
    expect(page.get_by_text("Select an event")).to_be_visible()
    click_dataframe(page, page, 0)  # the newest event's selection box
    expect(page.get_by_role("cell", name="Bolt GmbH", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Hamburg", exact=True)).to_be_visible()
    expect(page.get_by_text("Edited customer · grace@")).to_be_visible()
    wait_ready(page)
    screenshot(page, "activity")

    with page.context.expect_page() as opened:
        click_dataframe(page, page, 0, BEFORE_CUSTOMER + 20, link=True)  # the customer's name
    profile = opened.value
    expect(profile.get_by_role("heading", name="Bolt GmbH")).to_be_visible()
    assert f"/customer?customer={bolt.id}" in profile.url
    profile.close()

    page.get_by_role("link", name=f"Bolt GmbH (#{bolt.id})").click()
    expect(page.get_by_role("heading", name="Bolt GmbH")).to_be_visible()
    assert f"customer={bolt.id}" in page.url


def test_activity_is_usable_on_a_phone(browser, desk):
    """At 390 px the filters stack, the pager stays above the events, and nothing makes the
    page itself scroll sideways: the table scrolls inside its own frame."""
    app_url, _ = desk
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/activity")
        wait_ready(page)
        table = page.get_by_test_id("stDataFrame")
        expect(table).to_be_visible()
        pager = page.get_by_text(f"{PAGE_SIZE + 1} events match · page 1 of 2")
        expect(pager).to_be_visible()
        assert pager.bounding_box()["y"] < table.bounding_box()["y"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        fill(page, "Customer name", "bolt")
        filtered = page.get_by_text("2 events match · page 1 of 1")
        expect(filtered).to_be_visible()
        wait_ready(page)
        box = table.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        filtered.scroll_into_view_if_needed()
        screenshot(page, "activity-390")
    finally:
        context.close()
