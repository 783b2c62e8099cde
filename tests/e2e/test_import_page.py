"""Importing a file in the browser: upload, check, import, and the invalid rows."""

import csv
from pathlib import Path

from playwright.sync_api import expect

from services import db
from services.aliases import resolve_alias
from services.import_mapping import template_headers
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import choose, import_file, wait_ready
from tests.hostile_files import dimension_bomb, zip_bomb


def test_upload_check_and_import_a_file(page, app_server, tmp_path):
    db.configure(app_server.db_url)  # the template's columns include the app's custom fields
    headers = template_headers()
    path = tmp_path / "customers.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.DictWriter(out, fieldnames=headers, delimiter=";")
        writer.writeheader()
        writer.writerow({"Customer Name": "Imported One", "Billing Currency": "EUR",
                         "Primary Contact Email": "one@imported.example",
                         "External IDs": "imp-1"})
        writer.writerow({"Customer Name": "Imported Two", "Billing Currency": "EURO",
                         "Primary Contact Email": "two@imported.example",
                         "External IDs": "imp-2"})
    page.goto(f"{app_server.url}/import")
    wait_ready(page)
    page.locator('input[type="file"]').set_input_files(str(path))
    expect(page.get_by_role("heading", name="Mapping")).to_be_visible()
    page.get_by_role("button", name="Check file (dry run)").click()
    expect(page.get_by_role("heading", name="Dry run")).to_be_visible()
    expect(page.get_by_test_id("stMetric").filter(has_text="Invalid")).to_contain_text("1")
    with page.expect_download() as checked:  # before anything is imported
        page.get_by_role("button", name="Download the 1 invalid rows with their errors").click()
    assert checked.value.suggested_filename == "invalid-rows.csv"
    assert "imp-2" in Path(checked.value.path()).read_text(encoding="utf-8-sig")
    page.set_viewport_size({"width": 1440, "height": 2200})
    screenshot(page, "import")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported: 1 new, 0 updated, 0 unchanged, 1 invalid.")
           ).to_be_visible()
    result = page.get_by_test_id("stVerticalBlock").filter(
        has=page.get_by_role("heading", name="Import result")).last
    expect(page.get_by_role("heading", name="Import result")).to_be_visible()
    expect(page.get_by_role("button", name="Download the 1 invalid rows with their errors")
           ).to_be_visible()
    imported = resolve_alias("imp-1")
    assert imported.name == "Imported One"
    link = result.get_by_role("link", name="Imported One")
    expect(link).to_be_visible()
    assert link.evaluate("a => a.pathname + a.search") == f"/customer?customer={imported.id}"
    screenshot(page, "import-result")
    choose(page, page, "Preset", "Stripe customer export")  # any other rerun keeps it
    expect(page.get_by_role("heading", name="Import result")).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", name="Imported One")).to_be_visible()


def test_a_large_file_imports_through_the_page(page, app_server, tmp_path):
    """6,000 rows: enough for the import to validate in a worker process, which must work
    under `streamlit run` as it does on the command line."""
    path = tmp_path / "large.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=template_headers())
        writer.writeheader()
        for n in range(6_000):
            writer.writerow({"Customer Name": f"Bulk {n}", "Billing Currency": "USD",
                             "Primary Contact Email": f"bulk{n}@imported.example",
                             "External IDs": f"bulk-{n}"})
    import_file(page, app_server.url, path,
                "Imported: 6,000 new, 0 updated, 0 unchanged, 0 invalid.", timeout=30_000)
    db.configure(app_server.db_url)
    assert resolve_alias("bulk-5999").name == "Bulk 5999"


def test_hostile_files_are_refused_or_read_at_once_in_the_browser(page, app_server, tmp_path):
    """A zip bomb is refused by name; the 1.8 KB workbook claiming A1:XFD1048576, which once
    cost 16-20 minutes of CPU, shows its mapping like any small file."""
    page.goto(f"{app_server.url}/import")
    wait_ready(page)
    page.locator('input[type="file"]').set_input_files(str(zip_bomb(tmp_path)))
    expect(page.get_by_text("The Excel file unpacks to more than 200 MB")).to_be_visible()
    expect(page.get_by_role("heading", name="Mapping")).to_have_count(0)
    page.locator('input[type="file"]').set_input_files(str(dimension_bomb(tmp_path)))
    expect(page.get_by_role("heading", name="Mapping")).to_be_visible()
    expect(page.get_by_text("2 rows and 4 columns in the first worksheet.")).to_be_visible()
