"""Exporting from the Customers page: a prepared file belongs to the search and filters that
made it, and the files carry IDs, External IDs, labels with their codes, and Excel types."""

import csv
import io
import re
from datetime import datetime
from pathlib import Path

import openpyxl
from playwright.sync_api import expect

from services import db
from services.customers import create_customer
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import fill, wait_ready
from tests.unit.factories import admin, customer_input

SEED = admin("seed@example.com")


def _seed() -> dict[str, int]:
    made = [
        customer_input(name="Exportia Paris", country="FR", state=None, tax_rate="8.875",
                       payment_terms_days=45, external_ids=["exp-fr-1", "exp-fr-2"],
                       primary_contact_email="ap@exportia-fr.example"),
        customer_input(name="Exportia Berlin", external_ids=["exp-de-1"],
                       primary_contact_email="ap@exportia-de.example"),
        customer_input(name="Exportia Zed", country="US", currency="USD", state="US-CA",
                       external_ids=["exp-us-1"], primary_contact_email="ap@zed.example"),
    ]
    return {c["name"]: create_customer(c, actor=SEED).id for c in made}


def _download(page, label: str, file_name: str) -> bytes:
    button = page.get_by_role("button", name=label)
    expect(button).to_be_visible()
    with page.expect_download() as info:
        button.click()
    assert info.value.suggested_filename == file_name
    return Path(info.value.path()).read_bytes()


def test_a_search_change_clears_the_prepared_file(page, app_server):
    db.configure(app_server.db_url)
    ids = _seed()
    page.goto(app_server.url)
    wait_ready(page)
    fill(page, "Search", "Exportia")
    wait_ready(page)
    expect(page.get_by_text("3 customers match")).to_be_visible()

    page.get_by_role("button", name="Export CSV").click()
    content = _download(page, "Download 3 customers (.csv)", "customers.csv")
    screenshot(page, "customers-export-ready")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header = rows[0]
    assert (header[0], header[-1]) == ("ID", "External IDs")
    by_name = {r[header.index("Customer Name")]: dict(zip(header, r, strict=True))
               for r in rows[1:]}
    assert set(by_name) == set(ids)
    paris = by_name["Exportia Paris"]
    assert paris["ID"] == str(ids["Exportia Paris"])
    assert sorted(paris["External IDs"].split(", ")) == ["exp-fr-1", "exp-fr-2"]
    assert (paris["Country"], paris["Country code"]) == ("France", "FR")
    assert (paris["Payment Terms"], paris["Payment Terms (days)"]) == ("Net 45", "45")
    assert (paris["Auto Pay"], paris["Tax Rate"]) == ("No", "8.875")

    fill(page, "Search", "Exportia Zed")
    wait_ready(page)
    expect(page.get_by_text("1 customer matches")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Download"))).to_have_count(0)
    screenshot(page, "customers-export-cleared")

    page.get_by_role("button", name="Export Excel").click()
    book = _download(page, "Download 1 customer (.xlsx)", "customers.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(book)).active
    cells = {h.value: c for h, c in zip(sheet[1], sheet[2], strict=True)}
    assert (cells["ID"].value, cells["ID"].data_type) == (ids["Exportia Zed"], "n")
    assert (cells["Country"].value, cells["Country code"].value) == ("United States", "US")
    assert cells["Tax Rate"].data_type == "n"
    assert cells["Created"].is_date and isinstance(cells["Created"].value, datetime)
    assert cells["External IDs"].value == "exp-us-1"
    assert sheet.freeze_panes == "A2"
