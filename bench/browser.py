"""What a user waits for in headless Chromium, and what the Streamlit process holds."""

import statistics
import tempfile
import time
from pathlib import Path

from bench.cases import Figure
from tooling.app_server import CHROMIUM, CHROMIUM_ARGS, peak_rss_mb, running_app

ROW = '.ag-center-cols-container .ag-row'


def _first_row_ms(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    start = time.perf_counter()
    page.goto(url)
    page.frame_locator('iframe[title*="st_aggrid"]').locator(ROW).first.wait_for(timeout=60_000)
    elapsed = (time.perf_counter() - start) * 1000
    page.close()
    return elapsed


def _search_ms(browser, url: str, alias: str) -> float:
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(url)
    grid = page.frame_locator('iframe[title*="st_aggrid"]')
    grid.locator(ROW).first.wait_for(timeout=60_000)
    box = page.get_by_label("Search", exact=True)
    box.fill(alias)
    start = time.perf_counter()
    box.press("Enter")
    page.get_by_text("1 customer matches").wait_for(timeout=30_000)
    grid.locator(ROW).nth(1).wait_for(state="detached", timeout=30_000)
    elapsed = (time.perf_counter() - start) * 1000
    page.close()
    return elapsed


def _open_profile_ms(browser, url: str) -> float:
    """From the grid drawn to the profile's heading, by a click on the first name."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(url)
    link = page.frame_locator('iframe[title*="st_aggrid"]').locator("a.customer-link").first
    link.wait_for(timeout=60_000)
    name = link.text_content()
    start = time.perf_counter()
    link.click()
    page.get_by_role("heading", name=name, exact=True).wait_for(timeout=30_000)
    elapsed = (time.perf_counter() - start) * 1000
    page.close()
    return elapsed


def _save_section_ms(browser, url: str, customer_id: int, run: int) -> float:
    """From a click on Save Billing Address, with a new City typed, to its toast."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(f"{url}/customer?customer={customer_id}")
    box = page.get_by_test_id("stExpander").filter(
        has=page.locator("summary", has_text="Billing Address")).first
    details = box.locator("details").first
    details.wait_for(timeout=60_000)
    if details.get_attribute("open") is None:
        box.locator("summary").first.click()
    edit = box.get_by_role("button", name="Edit", exact=True)
    edit.wait_for(timeout=30_000)
    details.element_handle().wait_for_element_state("stable")
    edit.click()
    city = box.get_by_label("City", exact=True)
    city.fill(f"Benchville {run}")
    city.press("Tab")
    save = box.get_by_role("button", name="Save Billing Address")
    start = time.perf_counter()
    save.click()
    page.get_by_text("Billing Address saved.").wait_for(timeout=30_000)
    elapsed = (time.perf_counter() - start) * 1000
    page.close()
    return elapsed


def _open_activity_ms(browser, url: str) -> float:
    """From a click on Activity in the sidebar, the grid drawn, to its first event drawn
    (the saves above are in the log)."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(url)
    page.frame_locator('iframe[title*="st_aggrid"]').locator(ROW).first.wait_for(timeout=60_000)
    start = time.perf_counter()
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Activity").click()
    page.get_by_test_id("stDataFrame").locator("canvas").first.wait_for(timeout=60_000)
    elapsed = (time.perf_counter() - start) * 1000
    page.close()
    return elapsed


def browser_figures(db_url: str, count: int, runs: int) -> list[Figure]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        return []
    log = Path(tempfile.mkdtemp()) / "streamlit.log"
    with running_app(db_url, log) as (url, pid), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _first_row_ms(browser, url)  # the server's first run imports the app; users after it
        first_row = [_first_row_ms(browser, url) for _ in range(runs)]
        alias = f"cus_{max(count // 3, 1):08d}"
        search = [_search_ms(browser, url, alias) for _ in range(runs)]
        profile = [_open_profile_ms(browser, url) for _ in range(runs)]
        save = [_save_section_ms(browser, url, max(count // 2, 1), run) for run in range(runs)]
        activity = [_open_activity_ms(browser, url) for _ in range(runs)]
        browser.close()
        rss = peak_rss_mb(pid)
    return [
        Figure("browser: open Customers to first row", statistics.median(first_row), None,
               "< 3 s"),
        Figure("browser: type a search to results", statistics.median(search), None, "< 1 s"),
        Figure("browser: open a profile from the grid", statistics.median(profile), None,
               "< 1 s"),
        Figure("browser: save a profile section to its toast", statistics.median(save), None,
               "< 1 s"),
        Figure("browser: open Activity to first event", statistics.median(activity), None,
               "< 1 s"),
        Figure("Streamlit peak resident memory", rss, None, "< 400 MB", unit="MB"),
    ]
