"""Each sample export in samples/imports/ through the Import page in Chromium: the page
detects its preset and names it, every row imports, and importing the same file again
creates nothing new."""

import pytest
from playwright.sync_api import expect

from services.import_mapping import PRESETS
from services.upload_reading import read_table
from tests.e2e.conftest import app_of_its_own, screenshot
from tests.e2e.helpers import wait_ready
from tests.unit.test_import_samples import PRESET_OF, SAMPLES


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """The app on a database of its own: the samples' customers stay out of other tests."""
    with app_of_its_own(tmp_path_factory, "import-samples") as server:
        yield server


def imported(page, url: str, name: str, outcome: str) -> None:
    """Upload the sample, see the preset the page detected, check it and import it."""
    page.goto(f"{url}/import")
    wait_ready(page)
    page.locator('input[type="file"]').set_input_files(str(SAMPLES / name))
    expect(page.get_by_text(f"Detected — {PRESETS[PRESET_OF[name]]}: the file has its "
                            "columns")).to_be_visible()
    page.get_by_role("button", name="Check file (dry run)").click()
    expect(page.get_by_role("heading", name="Dry run")).to_be_visible()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text(outcome)).to_be_visible()


@pytest.mark.parametrize("name", PRESET_OF)
def test_a_sample_export_imports_and_imports_again_without_duplicates(page, desk, name):
    rows = sum(1 for _ in read_table(SAMPLES / name)[1])
    imported(page, desk.url, name, f"Imported: {rows:,} new, 0 updated, 0 unchanged, "
                                   "0 invalid.")
    screenshot(page, f"import-sample-{name.removesuffix('.csv')}")
    imported(page, desk.url, name, f"Imported: 0 new, 0 updated, {rows:,} unchanged, "
                                   "0 invalid.")
