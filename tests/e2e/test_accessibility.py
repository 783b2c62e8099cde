"""Accessibility in real Chromium: axe-core finds no serious or critical violation (nor a
skipped heading level) on any page, and the Customers toolbar and the New Customer form
work with Tab and Enter alone, with the focus always visible."""

import re
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from services import db
from tests.e2e.conftest import PATIENCE_MS, screenshot
from tests.e2e.helpers import grid, wait_ready
from tests.unit.factories import make_customer

BLOCKING = ("serious", "critical")
# Moderate rules held too, once fixed: a skipped heading level broke navigating by headings.
HELD = ("heading-order",)
# How far around the focused element its focus ring is looked for: Streamlit draws it on a
# wrapper a few pixels outside an input, or as a 3.2 px shadow around a button.
RING_PX = 8
# Tab presses allowed to reach a control, through the sidebar links before the page.
MAX_TABS = 40


@pytest.fixture(scope="module")
def customer(app_server):
    db.configure(app_server.db_url)
    return make_customer(name="Accessible Analytics", external_ids=["a11y-1"])


def wait_drawn(page: Page) -> None:
    """The run is over and every element is drawn: a widget whose code is still loading
    stands as a grey skeleton, which axe would pass over and Tab would skip."""
    wait_ready(page)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)


def _customers(page: Page) -> None:
    expect(grid(page).locator(".ag-center-cols-container .ag-row").first).to_be_visible()


def _heading(name: str):
    return lambda page: expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()


def _shown(text: str):
    return lambda page: expect(page.get_by_text(re.compile(text))).to_be_visible()


# page -> (URL path, what shows the page is drawn)
PAGES = {
    "customers": ("", _customers),
    "new-customer": ("new-customer", _heading("External Identifiers")),
    "customer-profile": ("customer?customer={id}", _heading("Accessible Analytics")),
    "activity": ("activity", _shown(r"^[\d,]+ events? match(es)? · page 1 of")),
    "import": ("import", _heading("Past imports")),
    "settings": ("settings", _heading("Roles")),
}


def blocking_violations(page: Page) -> list[str]:
    """Each serious, critical or held axe violation on the page, one line per element:
    rule (impact): target, the element's HTML and what the rule asks."""
    found = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {node['target']} {node['html'][:120]} — {v['help']}"
            for v in found if v["impact"] in BLOCKING or v["id"] in HELD
            for node in v["nodes"]]


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_violation(page, app_server, customer, name):
    path, drawn = PAGES[name]
    page.goto(f"{app_server.url}/{path.format(id=customer.id)}")
    drawn(page)
    wait_drawn(page)
    screenshot(page, f"a11y-{name}")
    violations = blocking_violations(page)
    assert not violations, f"{name}: " + "\n".join(["", *violations])


def _ring_region(page: Page) -> dict:
    box = page.evaluate("() => document.activeElement.getBoundingClientRect().toJSON()")
    return {"x": max(box["x"] - RING_PX, 0), "y": max(box["y"] - RING_PX, 0),
            "width": box["width"] + 2 * RING_PX, "height": box["height"] + 2 * RING_PX}


def _settled_look(page: Page, region: dict) -> bytes:
    """The region once two screenshots in a row agree: a focus style drawn from component
    state can land a frame after the focus moved, later still on a busy machine."""
    deadline = time.monotonic() + PATIENCE_MS / 1000
    last = page.screenshot(clip=region, animations="disabled")
    while time.monotonic() < deadline:
        look = page.screenshot(clip=region, animations="disabled")
        if look == last:
            return look
        last = look
    raise AssertionError(f"{region} kept changing")


def tab_to(page: Page, control: Locator) -> None:
    """Press Tab until `control` has the focus, and see that the focus shows on it: the
    control looks different focused than once the focus has moved on."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if control.evaluate("e => e === document.activeElement"):
            break
    else:
        raise AssertionError(f"{control} is not reached with Tab")
    assert control.evaluate("e => e.matches(':focus-visible')")
    region = _ring_region(page)
    focused = _settled_look(page, region)
    page.keyboard.press("Tab")
    assert _settled_look(page, region) != focused, f"no visible focus on {control}"
    page.keyboard.press("Shift+Tab")
    expect(control).to_be_focused()


def test_the_toolbar_and_the_new_customer_form_work_with_the_keyboard(page, app_server):
    page.goto(app_server.url)
    expect(page.get_by_role("heading", name="Customers")).to_be_visible()
    wait_drawn(page)

    new_customer = page.get_by_role("button", name="New Customer")
    filters = page.locator("summary", has_text="Filters")
    for control in (new_customer, page.get_by_label("Search", exact=True),
                    page.get_by_role("combobox", name="Status", exact=True), filters,
                    page.locator("summary", has_text="Sort and saved views"),
                    page.get_by_role("button", name="Columns"),
                    page.get_by_label("Charts", exact=True)):
        tab_to(page, control)
    screenshot(page, "a11y-keyboard-toolbar")

    for _ in range(3):  # back past the column chooser and the sort expander
        page.keyboard.press("Shift+Tab")
    expect(filters).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("stExpander").filter(has=filters).locator("details")
           ).to_have_attribute("open", "")

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(new_customer).to_be_focused()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Customer Information")).to_be_visible()
    wait_drawn(page)

    tab_to(page, dialog.get_by_label("Customer Name *", exact=True))
    page.keyboard.type("Keyboard Works Ltd")
    tab_to(page, dialog.get_by_label("Primary Contact Email *", exact=True))
    page.keyboard.type("ap@keyboard.example")
    currency = dialog.get_by_role("combobox", name="Billing Currency *", exact=True)
    tab_to(page, currency)
    page.keyboard.type("USD")
    expect(page.get_by_role("option", name=re.compile("^USD"))).to_be_visible()
    page.keyboard.press("Enter")
    expect(currency).to_have_value(re.compile("^USD"))
    create = dialog.get_by_role("button", name="Create Customer")
    tab_to(page, create)
    screenshot(page, "a11y-keyboard-form")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Keyboard Works Ltd")).to_be_visible()
