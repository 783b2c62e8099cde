"""A finance lead's grid: filter by country and currency, share the link, export the set."""

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import expect

from services import db
from services.customer_queries import list_customers
from services.customers import create_customer
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import expander, fill, grid, pick, wait_ready
from tests.unit.factories import admin, customer_input, customer_query


def _seed() -> list[str]:
    rows = [("DE", "EUR", "BE"), ("DE", "EUR", "BY"), ("DE", "USD", "BE"), ("US", "USD", "CA"),
            ("FR", "EUR", None), ("DE", "EUR", "HH")]
    for i, (country, currency, state) in enumerate(rows):
        create_customer(customer_input(name=f"Finlead {i} =SUM(A1)" if i == 5 else
                                       f"Finlead {i}", country=country, currency=currency,
                                       state=state, external_ids=[f"finlead-{i}"],
                                       tax_rate="8.875"), actor=admin("seed@example.com"))
    expected = list_customers(customer_query(search="Finlead", country=["DE"],
                                            currency=["EUR"], limit=100)).rows
    return [r.name for r in expected]


def test_filter_share_the_link_and_export_csv(page, browser, app_server):
    db.configure(app_server.db_url)
    expected = _seed()
    assert len(expected) == 3

    page.goto(app_server.url)
    wait_ready(page)
    fill(page, "Search", "Finlead")
    wait_ready(page)
    expander(page, "Filters")
    pick(page, "Country", "Germany")
    pick(page, "Billing Currency", "EUR")
    expect(page.get_by_text("3 customers match")).to_be_visible()
    names = grid(page).locator('.ag-cell[col-id="name"]')
    expect(names).to_have_count(3)
    assert sorted(names.all_inner_texts()) == sorted(expected)
    # The link names the choices by code, as the API does, not by the labels shown.
    expect(page).to_have_url(re.compile(r"country=DE"))
    link = page.url
    assert re.search(r"currency=EUR", link) and "Germany" not in link
    screenshot(page, "customers-filtered")

    colleague = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    colleague.goto(link)
    expect(colleague.get_by_text("3 customers match")).to_be_visible()
    shared = grid(colleague).locator('.ag-cell[col-id="name"]')
    expect(shared).to_have_count(3)
    assert sorted(shared.all_inner_texts()) == sorted(expected)
    expect(colleague.get_by_text("Filters (2 active)")).to_be_visible()
    colleague.context.close()

    page.get_by_role("button", name="Export CSV").click()
    download_button = page.get_by_role("button", name="Download 3 customers (.csv)")
    expect(download_button).to_be_visible()
    with page.expect_download() as info:
        download_button.click()
    content = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    header, body = rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert header[:3] == ["ID", "Customer Name", "Primary Contact Email"]
    assert header[-1] == "External IDs"
    assert sorted(r["Customer Name"] for r in body) == sorted(
        "'" + n if n.startswith("=") else n for n in expected)
    assert "Finlead 5 =SUM(A1)" in [r["Customer Name"] for r in body]
    assert all((r["Country"], r["Country code"], r["Billing Currency"])
               == ("Germany", "DE", "EUR") for r in body)
    assert {r["Tax Rate"] for r in body} == {"8.875"}
