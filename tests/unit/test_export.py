import csv
import io

import openpyxl
import pytest

from services.customer_columns import choose
from services.customer_queries import CustomerQuery, book_query, list_customers
from services.export import export_customers
from services.formula_guard import neutralise
from tests.unit.factories import customer_query, make_customer

pytestmark = pytest.mark.usefixtures("database")


def csv_rows(q: CustomerQuery, columns=None) -> list[list[str]]:
    out = io.BytesIO()
    count = export_customers(q, columns, "csv", out)
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert count == len(rows) - 1
    return rows


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+49 30", "'+49 30"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Acme", "Acme"), ("a=b", "a=b"),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_has_the_chosen_columns_and_exact_decimals():
    make_customer(tax_rate="8.875", external_ids=["x1", "x2"])
    header, row = csv_rows(CustomerQuery(), ["name", "tax_rate", "external_ids", "auto_pay"])
    assert header == ["Customer Name", "Tax Rate", "External IDs", "Auto Pay"]
    assert row == ["Acme Analytics GmbH", "8.875", "x1, x2", "No"]


def test_formula_cells_are_neutralised_in_csv_and_xlsx():
    make_customer(name="=HYPERLINK(\"http://evil\")", external_ids=["@cmd", "-1+2"])
    _, row = csv_rows(CustomerQuery(), ["name", "external_ids"])
    assert row[0] == "'=HYPERLINK(\"http://evil\")"
    assert row[1] == "'@cmd, -1+2"
    out = io.BytesIO()
    export_customers(CustomerQuery(), ["name"], "xlsx", out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet["A2"].value == "'=HYPERLINK(\"http://evil\")"
    assert sheet["A2"].data_type == "s"


def test_export_rows_equal_the_query_rows_for_a_filtered_set():
    for i in range(12):
        make_customer(name=f"Customer {i:02d}", external_ids=[f"id-{i}"],
                      country="US" if i % 3 else "DE", currency="USD" if i % 3 else "EUR",
                      state="CA" if i % 3 else "BE")
    q = customer_query(country=["US"], sort="name", descending=True)
    keys = ["id", "name", "country", "currency", "tax_rate", "created_at"]
    rows = csv_rows(q, keys)[1:]
    expected = list_customers(customer_query(country=["US"], sort="name", descending=True,
                                            limit=100, columns=keys)).rows
    assert [r[0] for r in rows] == [str(r.id) for r in expected]
    assert [r[1] for r in rows] == [r.name for r in expected]
    assert len(rows) == 8


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_streams_in_chunks_with_progress(fmt):
    for i in range(7):
        make_customer(name=f"C{i}", external_ids=[f"c{i}"])
    seen = []
    export_customers(CustomerQuery(), ["name"], fmt, io.BytesIO(), chunk=3,
                     progress=lambda done, total: seen.append((done, total)))
    assert seen == [(3, 7), (6, 7), (7, 7)]


def test_xlsx_keeps_numbers_and_dates():
    make_customer(tax_rate="12.3456")
    out = io.BytesIO()
    export_customers(CustomerQuery(), ["name", "tax_rate", "payment_terms_days", "created_at"],
                     "xlsx", out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert [c.value for c in sheet[1]] == ["Customer Name", "Tax Rate", "Payment Terms",
                                           "Created"]
    assert sheet["B2"].value == pytest.approx(12.3456)
    assert sheet["C2"].value == 30
    assert sheet["D2"].is_date


def test_book_query_has_no_paging():
    sql = str(book_query(CustomerQuery(limit=10), choose(None)))
    assert "LIMIT" not in sql.upper()
