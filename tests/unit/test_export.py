import csv
import io
from datetime import date, datetime

import openpyxl
import pytest

from services import custom_fields as cf
from services.customer_columns import book_columns, choose
from services.customer_queries import CustomerQuery, book_query, list_customers
from services.customers import archive_customer
from services.export import MAX_WIDTH, export_customers
from services.formula_guard import neutralise
from services.imports import VALID_ONLY, default_mapping, run_import
from tests.unit.factories import ACTOR, customer_query, make_customer

pytestmark = pytest.mark.usefixtures("database")


def csv_rows(q: CustomerQuery, columns=None) -> list[list[str]]:
    out = io.BytesIO()
    count = export_customers(q, columns, "csv", out)
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert count == len(rows) - 1
    return rows


def xlsx_sheet(q: CustomerQuery, columns=None):
    out = io.BytesIO()
    export_customers(q, columns, "xlsx", out)
    return openpyxl.load_workbook(io.BytesIO(out.getvalue())).active


def by_header(sheet) -> dict[str, openpyxl.cell.Cell]:
    """The first data row's cells by the header above them."""
    return {h.value: c for h, c in zip(sheet[1], sheet[2], strict=True)}


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+49 30", "'+49 30"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Acme", "Acme"), ("a=b", "a=b"),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_has_the_id_the_chosen_columns_and_every_external_id():
    customer = make_customer(tax_rate="8.875", external_ids=["x1", "x2"])
    header, row = csv_rows(CustomerQuery(), ["name", "tax_rate", "auto_pay"])
    assert header == ["ID", "Customer Name", "Tax Rate", "Auto Pay", "External IDs"]
    assert row[:4] == [str(customer.id), "Acme Analytics GmbH", "8.875", "No"]
    assert sorted(row[4].split(", ")) == ["x1", "x2"]


def test_id_and_external_ids_stay_where_the_columns_put_them():
    make_customer(external_ids=["x1"])
    header, _ = csv_rows(CustomerQuery(), ["external_ids", "name", "id"])
    assert header == ["External IDs", "Customer Name", "ID"]


def test_values_read_as_on_screen_with_codes_beside_them():
    make_customer(country="FR", tax_country="FR", currency="EUR", state=None,
                  payment_terms_days=45, auto_pay=False, invoicing_flow="stripe")
    keys = ["country", "tax_country", "currency", "payment_terms_days", "auto_pay",
            "invoicing_flow", "status"]
    header, row = csv_rows(CustomerQuery(), keys)
    values = dict(zip(header, row, strict=True))
    assert {k: values[k] for k in header[1:-1]} == {
        "Country": "France", "Country code": "FR",
        "Tax Country": "France", "Tax Country code": "FR",
        "Billing Currency": "EUR",
        "Payment Terms": "Net 45", "Payment Terms (days)": "45",
        "Auto Pay": "No",
        "Invoicing Flow": "Stripe Invoicing", "Invoicing Flow code": "stripe",
        "Status": "Active"}
    cells = by_header(xlsx_sheet(CustomerQuery(), keys))
    assert cells["Country"].value == "France" and cells["Country code"].value == "FR"
    assert cells["Payment Terms"].value == "Net 45"
    assert cells["Payment Terms (days)"].value == 45
    assert cells["Payment Terms (days)"].data_type == "n"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_labels_and_codes_reimport_to_the_same_customer(fmt, tmp_path):
    """An export of every column, labels beside codes, imports back as unchanged."""
    make_customer(country="FR", tax_country="FR", state=None, payment_terms_days=45,
                  auto_pay=False, invoicing_flow="stripe", external_ids=["fr-1", "fr-2"])
    path = tmp_path / f"book.{fmt}"
    with path.open("wb") as out:
        export_customers(CustomerQuery(), list(book_columns()), fmt, out)
    report = run_import(path, default_mapping(path), mode=VALID_ONLY, actor=ACTOR)
    assert report.counts == {"new": 0, "updated": 0, "unchanged": 1, "invalid": 0}


def test_an_archived_customer_reads_archived():
    customer = make_customer()
    archive_customer(customer.id, version=customer.version, actor=ACTOR)
    header, row = csv_rows(CustomerQuery(status="all"), ["name", "status"])
    assert row[header.index("Status")] == "Archived"


def test_formula_cells_are_neutralised_in_csv_and_xlsx():
    make_customer(name="=HYPERLINK(\"http://evil\")", external_ids=["@cmd"])
    header, row = csv_rows(CustomerQuery(), ["name"])
    assert row[1:] == ["'=HYPERLINK(\"http://evil\")", "'@cmd"]
    cells = by_header(xlsx_sheet(CustomerQuery(), ["name"]))
    assert cells["Customer Name"].value == "'=HYPERLINK(\"http://evil\")"
    assert cells["Customer Name"].data_type == "s"
    assert cells["External IDs"].value == "'@cmd"


def test_export_rows_equal_the_query_rows_for_a_filtered_set():
    for i in range(12):
        make_customer(name=f"Customer {i:02d}", external_ids=[f"id-{i:02d}"],
                      country="US" if i % 3 else "DE", currency="USD" if i % 3 else "EUR",
                      state="US-CA" if i % 3 else "DE-BE")
    q = customer_query(country=["US"], sort="name", descending=True)
    keys = ["id", "name", "country", "currency", "tax_rate", "created_at"]
    rows = csv_rows(q, keys)[1:]
    expected = list_customers(customer_query(country=["US"], sort="name", descending=True,
                                            limit=100, columns=keys)).rows
    assert [r[0] for r in rows] == [str(r.id) for r in expected]
    assert [r[1] for r in rows] == [r.name for r in expected]
    assert [r[-1] for r in rows] == [f"id-{r.name[-2:]}" for r in expected]
    assert len(rows) == 8


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("customers, calls", [
    (7, [(3, 7), (6, 7), (7, 7)]),  # a last, shorter chunk
    (6, [(3, 6), (6, 6)]),  # the last chunk full
    (1, [(1, 1)]),
    (0, []),  # nothing to write: a header only, no progress
])
def test_export_streams_in_chunks_with_progress(fmt, customers, calls):
    for i in range(customers):
        make_customer(name=f"C{i}", external_ids=[f"c{i}"])
    seen = []
    count = export_customers(CustomerQuery(), ["name"], fmt, io.BytesIO(), chunk=3,
                             progress=lambda done, total: seen.append((done, total)))
    assert seen == calls and count == customers


def test_chunk_boundaries_change_nothing_in_the_files():
    """Rows split across chunks, values repeating across them (countries, currencies,
    labels, worked out once per export): the same files at any chunk size."""
    for i in range(7):
        make_customer(name=f"Customer {i}", external_ids=[f"id-{i}"],
                      country="FR" if i % 2 else "DE", state=None,
                      currency="EUR", tax_rate="8.875" if i % 3 else "19")
    columns = ["name", "country", "currency", "payment_terms_days", "auto_pay", "tax_rate",
               "created_at", "legal_entity_id"]
    for fmt in ("csv", "xlsx"):
        files = []
        for chunk in (1, 2, 7, 5_000):
            out = io.BytesIO()
            export_customers(CustomerQuery(), columns, fmt, out, chunk=chunk)
            files.append(out.getvalue())
        assert files[1:] == files[:1] * 3, fmt


def test_xlsx_has_numbers_and_dates_a_frozen_filterable_header():
    customer = make_customer(tax_rate="12.3456")
    sheet = xlsx_sheet(CustomerQuery(), ["name", "tax_rate", "payment_terms_days",
                                         "created_at"])
    assert [c.value for c in sheet[1]] == ["ID", "Customer Name", "Tax Rate", "Payment Terms",
                                           "Payment Terms (days)", "Created", "External IDs"]
    cells = by_header(sheet)
    assert cells["ID"].value == customer.id and cells["ID"].data_type == "n"
    assert cells["Tax Rate"].value == pytest.approx(12.3456)
    assert cells["Tax Rate"].number_format == "0.00##"
    assert cells["Payment Terms (days)"].value == 30
    created = cells["Created"]
    assert created.is_date and created.number_format == "yyyy-mm-dd hh:mm:ss"
    assert created.value == customer.created_at.replace(tzinfo=None, microsecond=0)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G2"


def test_xlsx_widths_follow_the_header_and_the_longest_value_capped():
    make_customer(name="A" * 30, business_name="B" * 200)
    make_customer(name="Short", external_ids=["s-1"])
    sheet = xlsx_sheet(CustomerQuery(), ["name", "business_name", "auto_pay", "created_at"])
    widths = {h.value: sheet.column_dimensions[h.column_letter].width for h in sheet[1]}
    assert 31 <= widths["Customer Name"] <= 35  # the 30-character name
    assert MAX_WIDTH <= widths["Business Name"] <= MAX_WIDTH + 1  # capped
    # The header, with room for its filter button.
    assert len("Auto Pay") + 2 <= widths["Auto Pay"] <= len("Auto Pay") + 5
    assert 19 <= widths["Created"] <= 23  # a date and time
    assert widths["ID"] < widths["Auto Pay"]


def test_custom_dates_and_numbers_are_real_cells_in_xlsx():
    for key, label, kind in [("contract_end", "Contract end", "date"),
                             ("seats", "Seats", "integer"),
                             ("discount", "Discount", "decimal")]:
        cf.add_custom_field({"key": key, "label": label, "kind": kind}, actor=ACTOR)
    make_customer(cf_contract_end="2027-03-31", cf_seats="12", cf_discount="10.25")
    columns = ["name", "cf_contract_end", "cf_seats", "cf_discount"]
    cells = by_header(xlsx_sheet(CustomerQuery(), columns))
    assert cells["Contract end"].is_date
    assert cells["Contract end"].value == datetime(2027, 3, 31)
    assert cells["Contract end"].number_format == "yyyy-mm-dd"
    assert (cells["Seats"].value, cells["Seats"].data_type) == (12, "n")
    assert (cells["Discount"].value, cells["Discount"].data_type) == (10.25, "n")
    header, row = csv_rows(CustomerQuery(), columns)
    assert row[2:5] == [date(2027, 3, 31).isoformat(), "12", "10.25"]


def test_a_decimal_no_number_cell_holds_exactly_stays_text_in_xlsx():
    cf.add_custom_field({"key": "big", "label": "Big", "kind": "decimal"}, actor=ACTOR)
    make_customer(cf_big="123456789012345.123456")
    cells = by_header(xlsx_sheet(CustomerQuery(), ["name", "cf_big"]))
    assert (cells["Big"].value, cells["Big"].data_type) == ("123456789012345.123456", "s")


def test_book_query_has_no_paging():
    sql = str(book_query(CustomerQuery(limit=10), choose(None)))
    assert "LIMIT" not in sql.upper()
