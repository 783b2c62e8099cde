"""From the grid to a customer in one step, and back: a name is a link (its text as typed),
Enter on a focused row opens it, Back returns to the grid as it was; the default columns fit
a 1440 px window with Name pinned, and a 390 px phone shows Name and one more column; bulk
actions are chosen on purpose, Archive asks first and Undo puts the customers back."""

from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from services.customers import create_customer
from tests.e2e.conftest import PATIENCE_MS, app_of_its_own, screenshot
from tests.e2e.helpers import choose, grid, wait_ready
from tests.e2e.test_accessibility import blocking_violations
from tests.unit.factories import ACTOR, customer_input

BOOK = 120  # more than a page of 100
HOSTILE = "<img src=x onerror=alert(1)> Opener"
ROWS = ".ag-center-cols-container .ag-row"
NAMES = '.ag-cell[col-id="name"]'


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """The app on a book of its own: Opener 000 to 119 and one named in markup."""
    with app_of_its_own(tmp_path_factory, "grid_open") as app:
        for n in range(BOOK):
            create_customer(customer_input(name=f"Opener {n:03d}", external_ids=[f"op-{n}"]),
                            actor=ACTOR)
        hostile = create_customer(customer_input(name=HOSTILE, external_ids=["op-evil"]),
                                  actor=ACTOR)
        yield app.url, hostile.id


@contextmanager
def visit(browser, url: str, width: int = 1440, height: int = 1000):
    """A fresh tab of the given size on `url`, recording any JavaScript dialog."""
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.set_default_timeout(PATIENCE_MS)
    tab.js_dialogs = []
    tab.on("dialog", lambda d: (tab.js_dialogs.append(d.message), d.dismiss()))
    tab.goto(url)
    wait_ready(tab)
    expect(grid(tab).locator(ROWS).first).to_be_visible()
    try:
        yield tab
    finally:
        context.close()


def test_a_name_is_a_link_that_opens_the_profile_and_back_returns_to_the_same_grid(browser,
                                                                                   desk):
    url, hostile_id = desk
    with visit(browser, f"{url}/?q=Opener&rows=100&page=2&desc=true") as page:
        total = BOOK + 1
        expect(page.get_by_text(f"Rows 101–{total} of {total}")).to_be_visible()
        # Sorted by name, descending: the name that starts with "<" comes last, on page 2.
        link = grid(page).get_by_role("link", name=HOSTILE, exact=True)
        expect(link).to_have_attribute("href", f"{url}/customer?customer={hostile_id}")
        expect(grid(page).locator("img")).to_have_count(0)
        first_name = grid(page).locator(NAMES).first
        expect(first_name).to_have_text(f"Opener {BOOK - 101:03d}")
        screenshot(page, "customers-name-links")
        grid_url = page.url
        page.evaluate("window.sameSession = true")  # gone if the click loaded a new page

        link.click()
        expect(page.get_by_role("heading", name=HOSTILE, exact=True)).to_be_visible()
        expect(page).to_have_url(f"{url}/customer?customer={hostile_id}")
        assert page.evaluate("window.sameSession === true")

        page.go_back()
        expect(page).to_have_url(grid_url)
        expect(page.get_by_text(f"Rows 101–{total} of {total}")).to_be_visible()
        expect(page.get_by_label("Search", exact=True)).to_have_value("Opener")
        expect(first_name).to_have_text(f"Opener {BOOK - 101:03d}")
        assert page.js_dialogs == []


def test_keyboard_users_reach_the_rows_and_open_one_with_enter(browser, desk):
    url, hostile_id = desk
    with visit(browser, f"{url}/?q=Opener&rows=100") as page:
        page.get_by_label("Charts", exact=True).focus()
        inside = grid(page).locator(":focus")
        for _ in range(5):  # from the toolbar's last control into the grid
            page.keyboard.press("Tab")
            if inside.count():
                break
        expect(inside).to_have_count(1)
        page.keyboard.press("ArrowDown")
        focused = grid(page).locator(".ag-row .ag-cell-focus")
        expect(focused).to_have_count(1)
        expect(focused.locator("xpath=ancestor::div[@role='row']")).to_have_attribute(
            "row-index", "0")
        page.keyboard.press("ArrowRight")  # to the name: the first row's, "<" sorts first
        expect(grid(page).locator(f".ag-row {NAMES}.ag-cell-focus")).to_have_text(HOSTILE)
        page.keyboard.press("Space")  # selects the row, for bulk actions
        expect(page.get_by_text("1 selected")).to_be_visible()
        screenshot(page, "customers-row-focused")

        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name=HOSTILE, exact=True)).to_be_visible()
        expect(page).to_have_url(f"{url}/customer?customer={hostile_id}")
        page.go_back()
        expect(page.get_by_label("Search", exact=True)).to_have_value("Opener")


def _fits(page) -> dict:
    """How the grid's scrolling part is filled, and where each header ends in the frame."""
    return grid(page).locator(".ag-root").evaluate(
        """root => {
            const centre = root.querySelector(".ag-center-cols-viewport");
            const ends = {};
            for (const header of root.querySelectorAll(".ag-header-cell[col-id]")) {
                const box = header.getBoundingClientRect();
                ends[header.getAttribute("col-id")] = [box.left, box.right];
            }
            return {scroll: centre.scrollWidth, visible: centre.clientWidth,
                    width: root.getBoundingClientRect().right, ends};
        }"""
    )


def test_the_default_columns_fit_1440_px_with_name_pinned_and_the_chooser_on_top(browser,
                                                                                 desk):
    url, _ = desk
    with visit(browser, f"{url}/?q=Opener&rows=100") as page:
        fits = _fits(page)
        assert fits["scroll"] <= fits["visible"], fits  # no horizontal scrolling
        for column in ("name", "primary_contact_email", "country", "currency",
                       "legal_entity_id", "payment_terms_days", "auto_pay", "tax_rate",
                       "created_at"):
            assert fits["ends"][column][1] <= fits["width"] + 1, (column, fits)
        expect(grid(page).locator(f".ag-pinned-left-cols-container {NAMES}").first
               ).to_have_text(HOSTILE)

        chooser = page.get_by_role("button", name="Columns")
        frame = page.locator('iframe[title*="st_aggrid"]')
        gap = frame.bounding_box()["y"] - (chooser.bounding_box()["y"]
                                           + chooser.bounding_box()["height"])
        assert 0 <= gap < 40, gap  # right above the grid's top edge
        chooser.click()
        expect(page.get_by_role("combobox", name="Columns")).to_be_visible()
        screenshot(page, "customers-columns-chooser")


def test_a_390_px_phone_shows_the_name_and_one_more_column(browser, desk):
    url, _ = desk
    with visit(browser, f"{url}/?q=Opener&rows=100", 390, 844) as page:
        frame = page.locator('iframe[title*="st_aggrid"]')
        frame.scroll_into_view_if_needed()
        fits = _fits(page)
        shown = [key for key, (left, right) in fits["ends"].items()
                 if key != "ag-Grid-SelectionColumn" and right <= fits["width"] + 1]
        assert shown[:2] == ["name", "primary_contact_email"], fits
        expect(grid(page).locator(NAMES).first).to_have_text(HOSTILE)
        screenshot(page, "customers-390px")


def _tick(page, *rows: int) -> None:
    for row in rows:
        grid(page).locator(f'.ag-pinned-left-cols-container .ag-row[row-index="{row}"] '
                           'input[type="checkbox"]').check()


def test_archive_asks_naming_the_count_and_undo_brings_the_customers_back(browser, desk):
    url, _ = desk
    with visit(browser, f"{url}/?q=Opener+0&rows=100") as page:
        expect(page.get_by_text("100 customers match")).to_be_visible()
        _tick(page, 0, 1)
        expect(page.get_by_text("2 selected")).to_be_visible()
        action = page.get_by_role("combobox", name="Action", exact=True)
        expect(action).to_have_value("")  # no action until one is chosen
        apply = page.get_by_role("button", name="Apply", exact=True)
        expect(apply).to_be_disabled()

        choose(page, page, "Action", "Archive")
        expect(apply).to_be_enabled()
        apply.click()
        dialog = page.get_by_role("dialog")
        expect(dialog.get_by_text("Archive 2 customers?")).to_be_visible()
        screenshot(page, "customers-archive-confirm")
        assert not blocking_violations(page)
        dialog.get_by_role("button", name="Archive 2 customers").click()

        expect(page.get_by_text("98 customers match")).to_be_visible()
        undo = page.get_by_role("button", name="Undo")
        expect(undo).to_be_visible()
        expect(page.get_by_text("Archive: 2 customers changed.")).to_be_visible()
        wait_ready(page)
        screenshot(page, "customers-undo-offer")
        assert not blocking_violations(page)
        undo.click()
        expect(page.get_by_text("100 customers match")).to_be_visible()
        expect(page.get_by_text("Undo: 2 customers put back.")).to_be_visible()
        expect(grid(page).locator(NAMES).first).to_have_text("Opener 000")
        expect(undo).to_have_count(0)
