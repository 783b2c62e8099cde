"""Driving Streamlit widgets by their labels, as a user would."""

import re

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError


def wait_ready(page: Page, timeout: int = 30_000) -> None:
    """Streamlit is connected and finished its current run: the state behind the running
    indicator, which the app sets at once (the indicator itself shows only after a delay,
    so waiting for it to be gone could pass before a run had even started)."""
    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=timeout)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)


def _click_option(page: Page, box: Locator, typed: str, option: str) -> None:
    """Open a select's list, type to filter it and click the option. A list that closed
    before the click landed (the page moved under it) is opened again, as a person would;
    three tries."""
    choice = page.get_by_role("option", name=option, exact=True).first
    for attempt in range(3):
        box.click()
        box.fill(typed)
        try:
            choice.click(timeout=5_000)
            return
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise


def choose(page: Page, scope: Page | Locator, label: str, option: str,
           typed: str | None = None) -> None:
    """Pick the option of a selectbox."""
    _click_option(page, scope.get_by_role("combobox", name=label, exact=True),
                  typed or option, option)


def pick(page: Page, label: str, option: str) -> None:
    """Add one option to a multiselect, close its list and wait for the rerun."""
    _click_option(page, page.get_by_role("combobox", name=label, exact=True), option, option)
    page.keyboard.press("Escape")
    wait_ready(page)


def expander(page: Page, title: str) -> Locator:
    """The expander titled `title`, opened: its title is clicked only while it is closed,
    since a click toggles it."""
    box = page.get_by_test_id("stExpander").filter(
        has=page.locator("summary", has_text=title)).first
    details = box.locator("details").first
    if details.get_attribute("open") is None:
        box.locator("summary").first.click()
    expect(details).to_have_attribute("open", "")
    # Its content slides open; a list opened while the page still moves closes again.
    details.element_handle().wait_for_element_state("stable")
    box.evaluate("e => Promise.allSettled(e.getAnimations({subtree: true}).map(a => a.finished))")
    return box


def edit(page: Page, title: str) -> Locator:
    """The profile section titled `title`, opened and turned from its read view into its
    form (External Identifiers: into its list with Add and Remove)."""
    box = expander(page, title)
    box.get_by_role("button", name="Edit", exact=True).first.click()
    expect(box.get_by_role("button", name=re.compile(r"^(Save .*|Done)$"))).to_be_visible()
    wait_ready(page)
    return box


def fill(scope: Page | Locator, label: str, value: str) -> None:
    field = scope.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Tab")


def grid(page: Page):
    return page.frame_locator('iframe[title*="st_aggrid"]')


def import_file(page: Page, app_url: str, path, outcome: str, *, timeout: int = 30_000) -> None:
    """Upload a file on the Import page, check it, import it and see `outcome`."""
    page.goto(f"{app_url}/import")
    wait_ready(page)
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_role("button", name="Check file (dry run)").click()
    expect(page.get_by_role("heading", name="Dry run")).to_be_visible(timeout=timeout)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text(outcome)).to_be_visible(timeout=timeout * 3)


# st.dataframe draws its cells on a canvas, so a click goes to where a cell is drawn: rows
# are this high, under a header as high, after the column of each row's selection box.
DATAFRAME_ROW = 35


def click_dataframe(page: Page, scope: Page | Locator, row: int,
                    x: int = DATAFRAME_ROW // 2, *, link: bool = False) -> None:
    """Click `row` of the first dataframe in `scope`, `x` pixels from its left edge: by
    default the row's selection box. A link opens only once the pointer has come to rest
    on it, as a person's does, and the grid shows it is one."""
    frame = scope.get_by_test_id("stDataFrame").first
    frame.scroll_into_view_if_needed()
    box = frame.bounding_box()
    at = (box["x"] + x, box["y"] + DATAFRAME_ROW * (row + 1) + DATAFRAME_ROW // 2)
    if link:
        page.mouse.move(*at)
        expect(frame.get_by_test_id("data-grid-canvas")).to_have_css("cursor", "pointer")
    page.mouse.click(*at)


def dataframe_row(scope: Page | Locator, text: str | re.Pattern) -> int:
    """The row of the first dataframe in `scope` that shows `text`, read from the table
    the grid keeps for assistive technology (where its header is row 1)."""
    cell = scope.get_by_test_id("stDataFrame").first.locator("td", has_text=text).first
    expect(cell).to_be_attached()
    return int(cell.locator("xpath=..").get_attribute("aria-rowindex")) - 2
