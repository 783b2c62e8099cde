"""The app started for real on a free port with a fresh SQLite file, and headless Chromium."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest

from services import db
from tests.databases import skip_or_fail
from tooling.app_server import CHROMIUM, CHROMIUM_ARGS, ROOT, running_app

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


@contextmanager
def app_of_its_own(tmp_path_factory, name: str, **env: str) -> Iterator[SimpleNamespace]:
    """The app on a SQLite database of a test module's own (what the module writes stays out
    of the other browser tests), with the services here pointed at it."""
    workdir = tmp_path_factory.mktemp(name)
    db_url = f"sqlite:///{workdir / f'{name}.sqlite3'}"
    with running_app(db_url, workdir / "app.log", **env) as (url, _pid):
        db.configure(db_url)
        yield SimpleNamespace(url=url, db_url=db_url)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """Streamlit serving app.py on a fresh SQLite file; stopped by its own PID at the end."""
    workdir = tmp_path_factory.mktemp("e2e")
    db_url = f"sqlite:///{workdir / 'e2e.sqlite3'}"
    log = workdir / "streamlit.log"
    with running_app(db_url, log) as (url, _pid):
        yield SimpleNamespace(url=url, db_url=db_url, log=log)


# How long an action or an expectation waits for what the user would see. Generous: on a
# 2-core machine with both cores busy a rerun that draws the grid can take many seconds;
# a test that passes waits only as long as the page takes.
PATIENCE_MS = 30_000


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=PATIENCE_MS)

    for stale in SCREENSHOTS.glob("FAILED-*.png"):
        stale.unlink()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_report = report
    return report


@pytest.fixture(scope="session")
def tabs(browser):
    """The browser context the tests' tabs open in. One for the whole run: its cache keeps
    Streamlit's scripts, whose download and compilation cost a fresh context about a second
    of CPU on every first page. Each tab is a Streamlit session of its own, as a person's
    new tab is; what a tab leaves behind (cookies, stored values) is cleared after it."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    yield context
    context.close()


@pytest.fixture
def page(tabs, app_server, request):
    """A fresh browser tab; records every JavaScript dialog so a test can assert none opened,
    and leaves a screenshot behind when its test fails."""
    tab = tabs.new_page()
    tab.set_default_timeout(PATIENCE_MS)
    tab.js_dialogs = []

    def _dialog(dialog):
        tab.js_dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", _dialog)
    yield tab
    report = getattr(request.node, "call_report", None)
    if report is not None and report.failed:
        screenshot(tab, f"FAILED-{request.node.name}")
    for opened in tabs.pages:
        if opened.url.startswith("http"):
            opened.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        opened.close()
    tabs.clear_cookies()
    tabs.clear_permissions()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
