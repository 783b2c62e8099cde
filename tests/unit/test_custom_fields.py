"""Custom fields: defined in Settings, validated by type like built-in fields, kept when
retired, and recorded in the audit log."""

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from models import sections as S
from services import custom_fields as cf
from services.access import EDITOR, AccessDenied, Actor
from services.customer_queries import CustomerQuery
from services.customers import get_customer, update_customer, update_section
from services.errors import ValidationError
from services.export import write_csv, write_xlsx
from tests.unit.factories import ACTOR, customer_history, make_customer

pytestmark = pytest.mark.usefixtures("database")

EVERY_TYPE = {
    "text": ("crm_owner", "CRM owner", "Ada Lovelace", "Ada\nLovelace"),
    "long_text": ("notes", "Notes", "Line one\nLine two", "bad\x00"),
    "integer": ("seats", "Seats", "12", "12.5"),
    "decimal": ("discount", "Discount", "12.125", "NaN"),
    "date": ("contract_end", "Contract end", "2027-03-31", "31/03/2027"),
    "bool": ("strategic", "Strategic", "yes", "maybe"),
    "choice": ("segment", "Segment", "smb", "Galactic"),
    "multi_choice": ("products", "Products", "Metering, Billing", "Metering, Teleport"),
    "email": ("finance_email", "Finance email", "ap@acme.example", "not-an-email"),
    "url": ("crm_link", "CRM link", "https://crm.example/acme", "javascript:alert(1)"),
}
OPTIONS = {"choice": ["SMB", "Mid-market", "Enterprise"],
           "multi_choice": ["Metering", "Billing", "Payments"]}
EXPECTED = {"crm_owner": "Ada Lovelace", "notes": "Line one\nLine two", "seats": 12,
            "discount": Decimal("12.125"), "contract_end": date(2027, 3, 31),
            "strategic": True, "segment": "SMB", "products": ["Metering", "Billing"],
            "finance_email": "ap@acme.example", "crm_link": "https://crm.example/acme"}


def add_all() -> None:
    for kind, (key, label, _good, _bad) in EVERY_TYPE.items():
        cf.add_custom_field({"key": key, "label": label, "kind": kind,
                             "options": OPTIONS.get(kind)}, actor=ACTOR)


def test_values_of_every_type_are_cleaned_stored_and_read_back():
    add_all()
    good = {f"cf_{key}": value for key, _label, value, _bad in EVERY_TYPE.values()}
    customer = make_customer(**good)
    assert cf.stored_values(get_customer(customer.id).custom_fields, cf.custom_specs()) == {
        f"cf_{key}": value for key, value in EXPECTED.items()}
    (event,) = customer_history(customer.id)
    assert event.changes["cf_contract_end"] == [None, "2027-03-31"]
    assert event.changes["cf_products"] == [None, ["Metering", "Billing"]]


def test_a_bad_value_is_refused_naming_the_field_and_nothing_is_written():
    add_all()
    bad = {f"cf_{key}": value for key, _label, _good, value in EVERY_TYPE.values()}
    with pytest.raises(ValidationError) as refused:
        make_customer(**bad)
    assert set(refused.value.errors) == set(bad)
    errors = refused.value.errors
    assert errors["cf_segment"] == "Segment must be one of: SMB, Mid-market, Enterprise."
    assert "Contract end must be a date" in errors["cf_contract_end"]
    assert "CRM link must be a web address" in errors["cf_crm_link"]


def test_required_fields_and_section_edits():
    cf.add_custom_field({"key": "segment", "label": "Segment", "kind": "choice",
                         "options": "SMB\nEnterprise", "required": True,
                         "section": "Business Information"}, actor=ACTOR)
    with pytest.raises(ValidationError, match="Segment is required"):
        make_customer()
    customer = make_customer(cf_segment="enterprise")
    updated = update_section(customer.id, S.BUSINESS_INFORMATION, {"cf_segment": "smb"},
                             version=customer.version, actor=ACTOR)
    assert updated.custom_fields == {"segment": "SMB"}
    with pytest.raises(ValidationError, match="segment is not a custom field of Billing Address"):
        update_section(customer.id, S.BILLING_ADDRESS, {"cf_segment": "smb"},
                       version=updated.version, actor=ACTOR)
    assert customer_history(customer.id)[0].changes == {"cf_segment": ["Enterprise", "SMB"]}


def test_a_retired_field_keeps_its_values_and_restores_them():
    segment = cf.add_custom_field({"key": "segment", "label": "Segment", "kind": "choice",
                                   "options": ["SMB", "Enterprise"]}, actor=ACTOR)
    customer = make_customer(cf_segment="SMB")
    cf.set_retired(segment.id, True, actor=ACTOR)
    assert cf.custom_specs() == ()
    with pytest.raises(ValidationError, match="segment is not a custom field"):
        make_customer(cf_segment="SMB", external_ids=["x-2"],
                      primary_contact_email="x2@acme.example")
    edited = update_customer(customer.id, {"name": "Acme AG"}, version=customer.version,
                             actor=ACTOR)
    assert edited.custom_fields == {"segment": "SMB"}  # kept while retired
    cf.set_retired(segment.id, False, actor=ACTOR)
    assert cf.stored_values(get_customer(customer.id).custom_fields,
                            cf.custom_specs()) == {"cf_segment": "SMB"}


def test_definitions_are_validated_renamed_reordered_and_admin_only():
    with pytest.raises(ValidationError) as refused:
        cf.add_custom_field({"key": "Contract End", "label": "", "kind": "colour"},
                            actor=ACTOR)
    assert set(refused.value.errors) == {"key", "label", "kind"}
    with pytest.raises(ValidationError, match="needs at least one option"):
        cf.add_custom_field({"key": "segment", "label": "Segment", "kind": "choice"},
                            actor=ACTOR)
    with pytest.raises(AccessDenied):
        cf.add_custom_field({"key": "segment", "label": "Segment", "kind": "text"},
                            actor=Actor("eddie@example.com", EDITOR))
    first = cf.add_custom_field({"key": "a_first", "label": "First", "kind": "text"},
                                actor=ACTOR)
    second = cf.add_custom_field({"key": "segment", "label": "Segment", "kind": "choice",
                                  "options": ["SMB"]}, actor=ACTOR)
    with pytest.raises(ValidationError, match="exists already"):
        cf.add_custom_field({"key": "segment", "label": "Again", "kind": "text"},
                            actor=ACTOR)
    cf.move_custom_field(second.id, -1, actor=ACTOR)
    assert [d.key for d in cf.definitions()] == ["segment", "a_first"]
    cf.update_custom_field(second.id, {"label": "Customer segment",
                                       "options": ["SMB", "Enterprise"]}, actor=ACTOR)
    assert cf.custom_specs()[0].options == ("SMB", "Enterprise")
    assert cf.custom_specs()[0].label == "Customer segment"
    with pytest.raises(ValidationError, match="can be added, not removed: SMB"):
        cf.update_custom_field(second.id, {"options": ["Enterprise"]}, actor=ACTOR)
    assert first.key == "a_first"


def test_filters_of_every_kind_on_both_databases():
    add_all()
    from services.customer_queries import CustomerQuery, list_customers
    from services.list_filters import FieldFilter

    def make(n, **values):
        return make_customer(name=f"C{n}", external_ids=[f"c-{n}"],
                             primary_contact_email=f"c{n}@acme.example", **values)

    make(1, cf_segment="SMB", cf_products="Metering", cf_strategic="yes",
         cf_contract_end="2027-01-31", cf_seats="5", cf_discount="2.5", cf_crm_owner="Ada")
    make(2, cf_segment="Enterprise", cf_products="Billing, Payments", cf_strategic="no",
         cf_contract_end="2027-06-30", cf_seats="50", cf_discount="10.25",
         cf_crm_owner="Grace")
    make(3)

    def names(*filters):
        rows = list_customers(CustomerQuery(filters=filters)).rows
        return sorted(r.name for r in rows)

    assert names(FieldFilter("cf_segment", values=("SMB",))) == ["C1"]
    assert names(FieldFilter("cf_segment", values=("SMB", "Enterprise"))) == ["C1", "C2"]
    assert names(FieldFilter("cf_products", values=("Payments",))) == ["C2"]
    assert names(FieldFilter("cf_strategic", is_true=True)) == ["C1"]
    assert names(FieldFilter("cf_strategic", is_true=False)) == ["C2", "C3"]
    assert names(FieldFilter("cf_contract_end", low=date(2027, 2, 1))) == ["C2"]
    assert names(FieldFilter("cf_seats", low=1, high=10)) == ["C1"]
    assert names(FieldFilter("cf_discount", low="10.25")) == ["C2"]
    assert names(FieldFilter("cf_crm_owner", contains="gra")) == ["C2"]
    assert names(FieldFilter("cf_nothing", values=("x",))) == []
    with pytest.raises(ValidationError, match="Segment has no option Galactic"):
        names(FieldFilter("cf_segment", values=("Galactic",)))


def test_exports_carry_custom_columns():
    add_all()
    customer = make_customer(cf_products="Metering, Billing", cf_contract_end="2027-03-31",
                             cf_crm_owner="=cmd()", cf_seats="12", cf_strategic="yes")
    columns = ["name", "cf_products", "cf_contract_end", "cf_crm_owner", "cf_seats",
               "cf_strategic"]
    out = io.BytesIO()
    write_csv(CustomerQuery(), columns, out)
    lines = out.getvalue().decode("utf-8-sig").splitlines()
    assert lines[0] == ("ID,Customer Name,Products,Contract end,CRM owner,Seats,Strategic,"
                        "External IDs")
    assert lines[1] == (f"{customer.id},Acme Analytics GmbH,\"Metering, Billing\",2027-03-31,"
                        "'=cmd(),12,Yes,acme-001")
    book = io.BytesIO()
    write_xlsx(CustomerQuery(), columns, book)
    cells = [c.value for c in next(openpyxl.load_workbook(book).active.iter_rows(min_row=2))]
    assert cells == [customer.id, "Acme Analytics GmbH", "Metering, Billing",
                     datetime(2027, 3, 31), "'=cmd()", 12, "Yes", "acme-001"]


@pytest.mark.parametrize("in_worker", [False, True])
def test_an_import_sets_custom_fields(tmp_path, monkeypatch, in_worker):
    from services.aliases import resolve_alias
    from services.imports import VALID_ONLY, default_mapping, pipeline, run_import

    if in_worker:
        monkeypatch.setattr(pipeline, "PARALLEL_FROM_ROWS", 1)
    cf.add_custom_field({"key": "contract_end", "label": "Contract end", "kind": "date"},
                        actor=ACTOR)
    cf.add_custom_field({"key": "segment", "label": "Segment", "kind": "choice",
                         "options": ["SMB", "Enterprise"]}, actor=ACTOR)
    path = tmp_path / "custom.csv"
    path.write_text("Customer Name,Billing Currency,Primary Contact Email,External IDs,"
                    "Segment,Contract end\n"
                    "Imp One,EUR,one@imp.example,imp-1,smb,2027-03-31\n"
                    "Imp Two,EUR,two@imp.example,imp-2,Galactic,2027-01-01\n",
                    encoding="utf-8")
    report = run_import(path, default_mapping(path), mode=VALID_ONLY, actor=ACTOR)
    assert report.counts == {"new": 1, "updated": 0, "unchanged": 0, "invalid": 1}
    (bad,) = [r for r in report.preview if r.action == "invalid"]
    assert bad.errors == {"Segment": "Segment must be one of: SMB, Enterprise."}
    one = get_customer(resolve_alias("imp-1").id)
    assert one.custom_fields == {"segment": "SMB", "contract_end": "2027-03-31"}
    assert customer_history(one.id)[0].changes["cf_segment"] == [None, "SMB"]
    path.write_text("Customer Name,Billing Currency,Primary Contact Email,External IDs,"
                    "Segment\nImp One,EUR,one@imp.example,imp-1,Enterprise\n",
                    encoding="utf-8")
    again = run_import(path, default_mapping(path), mode=VALID_ONLY, actor=ACTOR)
    assert again.counts["updated"] == 1
    assert get_customer(one.id).custom_fields == {"segment": "Enterprise",
                                                  "contract_end": "2027-03-31"}
    assert customer_history(one.id)[0].changes == {"cf_segment": ["SMB", "Enterprise"]}


def test_the_activity_log_names_custom_fields_by_label():
    from services.activity import ActivityFilter, activity_page

    segment = cf.add_custom_field({"key": "segment", "label": "Segment", "kind": "choice",
                                   "options": ["SMB"]}, actor=ACTOR)
    customer = make_customer(cf_segment="SMB")
    cf.set_retired(segment.id, True, actor=ACTOR)
    (created,) = activity_page(ActivityFilter(customer_id=customer.id)).events
    assert ("Segment", "—", "SMB") in {(c.field, c.old, c.new) for c in created.changes}
