"""A user prototypes two fields without a release: adds "Contract end" (date) and "Segment"
(select) in Settings, fills them for a customer, filters the grid by Segment, exports with
both columns, imports a file that sets them, and reads them from the API."""

import csv
import io
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from services import db
from services.api_keys import create_api_key
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import choose, edit, expander, grid, import_file, pick, wait_ready
from tests.unit.factories import admin, make_customer
from tooling.api_server import running_api
from tooling.app_server import running_app


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """The app and the API on a database of this test's own."""
    workdir = tmp_path_factory.mktemp("custom")
    db_url = f"sqlite:///{workdir / 'custom.sqlite3'}"
    with running_app(db_url, workdir / "app.log") as (app_url, _pid), \
            running_api(db_url, workdir / "api.log") as api_url:
        db.configure(db_url)
        yield app_url, api_url, db_url


def add_field(page, key: str, label: str, kind: str, options: str = "",
              in_grid: bool = False) -> None:
    """Settings -> Custom fields -> Add (the form comes after the edit form, hence last)."""
    page.get_by_label("Key", exact=True).fill(key)
    page.get_by_label("Label", exact=True).last.fill(label)
    choose(page, page, "Type", kind)
    wait_ready(page)
    if options:
        page.get_by_label("Options (select types, one per line)").fill(options)
    if in_grid:
        page.get_by_text("Grid column by default").last.click()
    page.get_by_role("button", name="Add field").click()
    expect(page.get_by_text(f"Custom field {label} added.")).to_be_visible()
    wait_ready(page)


def test_prototype_two_fields_end_to_end(page, desk, tmp_path):
    app_url, api_url, db_url = desk
    customer = make_customer(name="Acme Rockets")

    page.goto(f"{app_url}/settings")
    wait_ready(page)
    add_field(page, "contract_end", "Contract end", "Date")
    add_field(page, "segment", "Segment", "Single select", "SMB\nEnterprise", in_grid=True)
    screenshot(page, "settings-custom-fields")

    page.goto(f"{app_url}/customer?customer={customer.id}")
    wait_ready(page)
    section = edit(page, "Business Information")
    choose(page, section, "Segment", "Enterprise")
    wait_ready(page)
    section.get_by_role("spinbutton", name="year, Contract end").click()
    page.keyboard.type("20270331")  # year, month and day: each segment moves on when full
    page.keyboard.press("Tab")
    wait_ready(page)
    section.get_by_role("button", name="Save Business Information").click()
    expect(page.get_by_text("Business Information saved.")).to_be_visible()
    screenshot(page, "profile-custom-fields")

    make_customer(name="Other Co", external_ids=["other-1"],
                  primary_contact_email="ap@other.example", cf_segment="SMB")
    page.goto(app_url)
    wait_ready(page)
    expect(page.get_by_text("2 customers match")).to_be_visible()
    expander(page, "Filters")
    pick(page, "Segment", "Enterprise")
    expect(page.get_by_text("1 customer matches")).to_be_visible()
    # The chosen filter and columns, as a link carries them: as codes, not labels.
    assert "cf_segment=Enterprise" in page.url
    page.goto(page.url + "&cols=name&cols=cf_segment&cols=cf_contract_end")
    wait_ready(page)
    expect(page.get_by_text("1 customer matches")).to_be_visible()
    cell = grid(page).locator('.ag-center-cols-container .ag-cell[col-id="cf_segment"]')
    expect(cell.first).to_have_text("Enterprise")
    screenshot(page, "customers-custom-fields")
    page.get_by_role("button", name="Export CSV").click()
    download = page.get_by_role("button", name="Download 1 customer (.csv)")
    expect(download).to_be_visible()
    with page.expect_download() as info:
        download.click()
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text("utf-8-sig"))))
    assert rows == [["ID", "Customer Name", "Segment", "Contract end", "External IDs"],
                    [str(customer.id), "Acme Rockets", "Enterprise", "2027-03-31", "acme-001"]]

    upload = tmp_path / "segments.csv"
    upload.write_text("Customer Name,Billing Currency,Primary Contact Email,External IDs,"
                      "Segment,Contract end\n"
                      "Imported Co,EUR,ap@imported.example,imp-9,SMB,2028-01-31\n",
                      encoding="utf-8")
    import_file(page, app_url, upload, "Imported: 1 new, 0 updated, 0 unchanged, 0 invalid.")

    db.configure(db_url)
    key = create_api_key("reader", "read", actor=admin("ops@example.com")).secret
    with httpx.Client(base_url=api_url, headers={"X-API-Key": key}) as api:
        found = api.get("/customers", params={"custom": "segment:SMB", "q": "Imported"})
        (imported,) = found.json()["data"]
        body = api.get(f"/customers/{imported['id']}").json()
        assert body["custom_fields"] == {"segment": "SMB", "contract_end": "2028-01-31"}
        acme = api.get(f"/customers/{customer.id}").json()
        assert acme["custom_fields"] == {"segment": "Enterprise", "contract_end": "2027-03-31"}
