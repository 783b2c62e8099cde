"""Every file the product writes is formula-safe: the export, the Activity CSV (every column,
field labels included), the import template and the invalid-rows file neutralise any cell a
spreadsheet would run, full-width forms too; and our own export re-imports to exactly the
values it was written from."""

import csv
import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from services import custom_fields
from services.activity import ActivityFilter, write_activity_csv
from services.aliases import resolve_alias
from services.customer_columns import book_columns
from services.customer_queries import CustomerQuery
from services.customers import get_customer, update_customer
from services.export import export_customers
from services.formula_guard import PREFIXES, neutralise, unguard
from services.import_mapping import template_csv
from services.imports import VALID_ONLY, default_mapping, run_import
from tests.unit.factories import ACTOR, make_customer

DANGEROUS = ["=1+1", "+49 30", "-5", "@SUM(A1)", "\tx", "\rx", "＝1+1", "＋49", "－5", "＠cmd",
             "'=x", "''＠x"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Acme", "a=b", "'quoted'", "", "1+1", " =x"])
def test_other_cells_are_written_as_they_are(value):
    assert neutralise(value) == value


@given(st.text())
def test_the_guard_comes_off_exactly_and_never_leaves_a_formula(value):
    assert not neutralise(value).startswith(PREFIXES)
    assert unguard(neutralise(value)) == value


def unsafe(rows: list[list]) -> list:
    return [c for row in rows for c in row if isinstance(c, str) and c.startswith(PREFIXES)]


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture
def risk_field():
    """A custom field whose label a spreadsheet would run."""
    custom_fields.add_custom_field({"key": "risk", "label": "=Risk()", "kind": "text",
                                    "section": "Business Information"}, actor=ACTOR)
    return "cf_risk"


@pytest.mark.usefixtures("database")
def test_every_column_of_the_activity_csv_is_guarded(risk_field):
    customer = make_customer(name="＝HYPERLINK(\"http://x\")")
    update_customer(customer.id, {"city": "@Munich", risk_field: "-1"}, version=None,
                    actor=ACTOR)
    out = io.BytesIO()
    write_activity_csv(ActivityFilter(), out)
    rows = read_csv(out.getvalue())
    assert unsafe(rows) == []
    risk = next(r for r in rows if r[5] == "'=Risk()")
    assert (risk[4], risk[7]) == ("'＝HYPERLINK(\"http://x\")", "'-1")


@pytest.mark.usefixtures("database")
def test_the_template_header_is_guarded_and_reads_back_as_the_label(risk_field, tmp_path):
    template = template_csv()
    assert "'=Risk()" in read_csv(template)[0] and unsafe(read_csv(template)) == []
    path = tmp_path / "template.csv"
    path.write_bytes(template)
    assert default_mapping(path)["=Risk()"] == risk_field


@pytest.mark.usefixtures("database")
def test_the_invalid_rows_file_is_guarded_again(tmp_path):
    path = tmp_path / "book.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([
            ["Customer Name", "Billing Currency", "@Notes", "External IDs"],
            ["'=SUM(A1)", "EURO", "+1 (a guarded cell from our export)", "bad-1"],
            ["＝cmd", "", "－5", "bad-2"]])
    invalid = tmp_path / "invalid.csv"
    report = run_import(path, default_mapping(path), mode=VALID_ONLY, actor=ACTOR,
                        invalid_out=invalid)
    assert report.counts["invalid"] == 2
    rows = read_csv(invalid.read_bytes())
    assert unsafe(rows) == []
    assert rows[0] == ["Row", "Customer Name", "Billing Currency", "'@Notes", "External IDs",
                       "Error"]
    assert [r[1] for r in rows[1:]] == ["'=SUM(A1)", "'＝cmd"]


HOSTILE_VALUES = {"name": "=1+1", "business_name": "＋49 30", "address_line1": "-5 Main St",
                  "address_line2": "'=x", "city": "@home", "postal_code": "＠10117"}


@pytest.mark.usefixtures("database")
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_our_export_reimports_to_the_same_values(fmt, risk_field, tmp_path):
    make_customer(**HOSTILE_VALUES, **{risk_field: "－risky"},
                  external_ids=["@alias-1"], primary_contact_first_name="=Ada")
    make_customer(name="Plain GmbH", external_ids=["plain-1"], tax_rate="8.875")
    path = tmp_path / f"export.{fmt}"
    with path.open("wb") as out:
        export_customers(CustomerQuery(), list(book_columns()), fmt, out)  # every column
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(path).active
        assert unsafe([[c.value for c in row] for row in sheet.iter_rows()]) == []
    else:
        assert unsafe(read_csv(path.read_bytes())) == []
    report = run_import(path, default_mapping(path), mode=VALID_ONLY, actor=ACTOR)
    assert report.counts == {"new": 0, "updated": 0, "unchanged": 2, "invalid": 0}
    customer = get_customer(resolve_alias("@alias-1").id)
    assert {k: getattr(customer, k) for k in HOSTILE_VALUES} == HOSTILE_VALUES
    assert customer.custom_fields[risk_field.removeprefix("cf_")] == "－risky"
    assert customer.primary_contact.first_name == "=Ada"
