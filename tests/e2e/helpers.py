"""Driving Streamlit widgets by their labels, as a user would."""

from playwright.sync_api import Locator, Page, expect


def wait_ready(page: Page) -> None:
    """Streamlit finished its current run (no running indicator)."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=20_000)


def choose(page: Page, scope: Page | Locator, label: str, option: str,
           typed: str | None = None) -> None:
    """Pick an option of a selectbox: open it, type to filter, click the option."""
    box = scope.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(typed or option)
    page.get_by_role("option", name=option, exact=True).first.click()


def pick(page: Page, label: str, option: str) -> None:
    """Add one option to a multiselect, close its list and wait for the rerun."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    wait_ready(page)


def fill(scope: Page | Locator, label: str, value: str) -> None:
    field = scope.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Tab")


def grid(page: Page):
    return page.frame_locator('iframe[title*="st_aggrid"]')


def import_file(page: Page, app_url: str, path, outcome: str, *, timeout: int = 20_000) -> None:
    """Upload a file on the Import page, check it, import it and see `outcome`."""
    page.goto(f"{app_url}/import")
    wait_ready(page)
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_role("button", name="Check file (dry run)").click()
    expect(page.get_by_role("heading", name="Dry run")).to_be_visible(timeout=timeout)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text(outcome)).to_be_visible(timeout=timeout * 3)
