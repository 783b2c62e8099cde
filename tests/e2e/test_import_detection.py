"""A Stripe export in the browser: the page detects the preset and says why, an admin makes
a custom field from a column nothing maps, and the import fills it on each profile."""

import csv

import pytest
from playwright.sync_api import expect

from services.aliases import resolve_alias
from tests.e2e.conftest import app_of_its_own, screenshot
from tests.e2e.helpers import choose, expander, wait_ready
from tests.e2e.test_customer_profile import fact

HEADERS = ["id", "Description", "Email", "Name", "Created (UTC)", "Currency", "Delinquent",
           "Address Country"]
ROWS = [["cus_PzQ1a", "Globex Corporation", "ap@globex.example", "Globex",
         "2024-01-02 10:00", "usd", "true", "US"],
        ["cus_PzQ2b", "Initech LLC", "ap@initech.example", "Initech", "2024-02-03 11:30",
         "usd", "false", "US"]]


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """The app on a database of its own: the field this test makes stays out of the others."""
    with app_of_its_own(tmp_path_factory, "import-detection") as server:
        yield server


def test_a_stripe_export_detected_and_a_column_made_a_field(page, desk, tmp_path):
    path = tmp_path / "unified_customers.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([HEADERS, *ROWS])
    page.goto(f"{desk.url}/import")
    wait_ready(page)
    page.locator('input[type="file"]').set_input_files(str(path))
    expect(page.get_by_role("heading", name="Mapping")).to_be_visible()
    expect(page.get_by_text('Detected — Stripe customer export: the file has its columns "id", '
                            '"Created (UTC)"')).to_be_visible()
    expect(page.get_by_role("combobox", name="Preset")).to_have_value("Stripe customer export")

    box = expander(page, "New custom field from a column")
    choose(page, box, "Column", "Delinquent")
    wait_ready(page)
    expect(box.get_by_text("Type guessed from the column's first 2 rows (2 with a value): "
                           "Yes/no.")).to_be_visible()
    expect(box.get_by_role("combobox", name="Type")).to_have_value("Yes/no")
    label = box.get_by_role("textbox", name="Label")
    expect(label).to_have_value("Delinquent")
    label.fill("Past due")
    label.press("Enter")
    wait_ready(page)
    page.set_viewport_size({"width": 1440, "height": 1800})
    page.get_by_role("heading", name="Import customers").scroll_into_view_if_needed()
    screenshot(page, "import-detected-new-field")
    box.get_by_role("button", name="Create the field and map the column").click()
    expect(page.get_by_text("Custom field Past due created; the column Delinquent is mapped "
                            "to it.")).to_be_visible()
    wait_ready(page)

    page.get_by_role("button", name="Check file (dry run)").click()
    expect(page.get_by_role("heading", name="Dry run")).to_be_visible()
    expect(page.get_by_test_id("stMetric").filter(has_text="New")).to_contain_text("2")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported: 2 new, 0 updated, 0 unchanged, 0 invalid.")
           ).to_be_visible()
    wait_ready(page)
    expect(page.get_by_role("heading", name="Import result")).to_be_visible()
    screenshot(page, "import-detected-result")

    customer = resolve_alias("cus_PzQ1a")
    page.goto(f"{desk.url}/customer?customer={customer.id}")
    wait_ready(page)
    business = expander(page, "Business Information")
    expect(fact(business, "Past due")).to_have_text("Yes")
    screenshot(page, "import-new-field-profile")
