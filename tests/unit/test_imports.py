"""Imports with files the tests write: clean, bad rows, re-imports, both modes, Stripe."""

import csv
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import func, select

import services.imports as imports_package
from models import Alias, AuditEvent, Contact, Customer, ImportRun
from services.aliases import resolve_alias
from services.customer_queries import CustomerQuery, list_customers
from services.customers import get_customer
from services.db import read_session
from services.errors import ConflictError, ValidationError
from services.import_mapping import STRIPE, template_csv, template_headers
from services.imports import (
    ALL_OR_NOTHING,
    VALID_ONLY,
    WrittenCustomer,
    default_mapping,
    dry_run,
    pipeline,
    run_import,
)
from services.imports import report as report_module
from services.legal_entities import create_legal_entity, list_legal_entities
from tests.unit.factories import admin, make_customer

pytestmark = pytest.mark.usefixtures("database")



def row(**values) -> dict:
    base = {"Customer Name": "Acme GmbH", "Billing Currency": "EUR", "Country": "DE",
            "Primary Contact Email": "billing@acme.example", "Tax Rate": "19",
            "External IDs": "crm-1", "Payment Terms": "30"}
    base.update(values)
    return base


def write_csv(path: Path, rows: list[dict], *, delimiter=",", bom=True, blank_lines=0) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=template_headers(), delimiter=delimiter)
        writer.writeheader()
        for item in rows:
            writer.writerow(item)
            for _ in range(blank_lines):
                out.write(delimiter * (len(template_headers()) - 1) + "\r\n")
    return path


def snapshot() -> tuple:
    with read_session() as session:
        return tuple(session.exec(select(func.count()).select_from(m)).one()
                     for m in (Customer, Contact, Alias, AuditEvent, ImportRun))


def do_import(path: Path, mode=VALID_ONLY, **kwargs):
    return run_import(path, default_mapping(path), mode=mode, actor=admin("importer@example.com"),
                      **kwargs)


def test_clean_file_imports_every_row_with_an_audit_event_tagged_by_import(tmp_path):
    path = write_csv(tmp_path / "clean.csv", [
        row(), row(**{"Customer Name": "Bolt Inc", "Country": "US", "Billing Currency": "USD",
                      "State": "CA", "Address Line 1": "1 Market St", "City": "San Francisco",
                      "External IDs": "crm-2, sf-2", "Tax Rate": "8.875",
                      "Primary Contact Email": "ap@bolt.example", "Auto Pay": "no"})])
    report = do_import(path)
    assert report.counts == {"new": 2, "updated": 0, "unchanged": 0, "invalid": 0}
    bolt = get_customer(resolve_alias("sf-2").id)
    assert (bolt.state, str(bolt.tax_rate), bolt.auto_pay) == ("US-CA", "8.875", False)
    assert [a.value for a in bolt.aliases] == ["crm-2", "sf-2"]
    assert bolt.primary_contact.email == "ap@bolt.example"
    with read_session() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.customer_id == bolt.id)).all()
        (run,) = session.exec(select(ImportRun)).all()
    assert [(e.action, e.import_id) for e in events] == [("customer.imported", run.id)]
    assert run.counts["new"] == 2 and run.finished_at is not None


def test_reimport_updates_and_never_duplicates(tmp_path):
    path = write_csv(tmp_path / "book.csv", [row(), row(**{"Customer Name": "Bolt",
                                                           "External IDs": "crm-2"})])
    do_import(path)
    again = do_import(path)
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 2, "invalid": 0}
    changed = write_csv(tmp_path / "changed.csv", [row(**{"Payment Terms": "Net 45"})])
    report = do_import(changed)
    assert report.counts["updated"] == 1
    customer = get_customer(resolve_alias("crm-1").id)
    assert customer.payment_terms_days == 45 and customer.version == 2
    assert list_customers(CustomerQuery()).total == 2


def test_bad_rows_are_reported_per_cell_and_valid_rows_still_import(tmp_path):
    make_customer(name="Holder", external_ids=["held-a"])
    make_customer(name="Other holder", external_ids=["held-b"],
                  primary_contact_email="x@other.example")
    rows = [
        row(**{"Primary Contact Email": "not-an-email", "External IDs": "r1"}),
        row(**{"Country": "XX", "External IDs": "r2"}),
        row(**{"Tax Rate": "150", "External IDs": "r3"}),
        row(**{"External IDs": "dup"}),
        row(**{"External IDs": "dup"}),
        row(**{"External IDs": "held-a, held-b"}),
        row(**{"Customer Name": "=HYPERLINK(\"x\")", "External IDs": "formula"}),
        row(**{"Legal Entity": "Nowhere Ltd", "External IDs": "r8"}),
    ]
    path = write_csv(tmp_path / "bad.csv", rows, delimiter=";", blank_lines=1)
    checked = dry_run(path, default_mapping(path))
    assert checked.counts == {"new": 2, "updated": 0, "unchanged": 0, "invalid": 6}
    errors = {r.line: r.errors for r in checked.preview if r.action == "invalid"}
    assert "not a valid email" in errors[2]["Primary Contact Email"]
    assert "ISO 3166-1" in errors[4]["Country"]
    assert "between 0 and 100" in errors[6]["Tax Rate"]
    assert "appears in row 8 too" in errors[10]["External IDs"]
    assert "belong to different customers" in errors[12]["External IDs"]
    assert 'Legal Entity "Nowhere Ltd" does not exist' in errors[16]["Legal Entity"]
    before = snapshot()
    invalid_csv = tmp_path / "invalid.csv"
    report = do_import(path, invalid_out=invalid_csv)
    assert report.counts["new"] == 2
    assert snapshot()[0] == before[0] + 2
    assert resolve_alias("formula").name == "=HYPERLINK(\"x\")"  # stored as typed
    lines = list(csv.reader(invalid_csv.open(encoding="utf-8-sig")))
    assert lines[0][0] == "Row" and lines[0][-1] == "Error"
    assert len(lines) == 7 and "not a valid email" in lines[1][-1]


def test_a_dry_run_writes_the_invalid_rows_and_nothing_else(tmp_path):
    path = write_csv(tmp_path / "book.csv", [row(), row(**{"Country": "XX",
                                                           "External IDs": "crm-2"})])
    before = snapshot()
    checked = dry_run(path, default_mapping(path), invalid_out=tmp_path / "checked.csv")
    assert snapshot() == before
    assert checked.invalid_rows == tmp_path / "checked.csv"
    lines = list(csv.reader(checked.invalid_rows.open(encoding="utf-8-sig")))
    assert [line[0] for line in lines] == ["Row", "3"] and "ISO 3166-1" in lines[1][-1]
    clean = write_csv(tmp_path / "clean.csv", [row()])
    assert dry_run(clean, default_mapping(clean), invalid_out=tmp_path / "none.csv"
                   ).invalid_rows is None  # nothing to offer
    assert dry_run(path, default_mapping(path)).invalid_rows is None


def test_an_import_names_the_first_customers_it_created_and_updated(tmp_path, monkeypatch):
    monkeypatch.setattr(report_module, "WRITTEN_KEPT", 3)
    rows = [row(**{"Customer Name": f"Kept {n}", "External IDs": f"k-{n}"}) for n in range(5)]
    first = do_import(write_csv(tmp_path / "book.csv", rows))
    assert first.counts["new"] == 5 and first.written["updated"] == []
    assert [(c.customer_id, c.name) for c in first.written["new"]] == [
        (resolve_alias(f"k-{n}").id, f"Kept {n}") for n in range(3)]  # the first three only
    changed = [row(**{"Customer Name": "Kept 4", "External IDs": "k-4",
                      "Payment Terms": "Net 45"}),
               row(**{"Customer Name": "Kept 0", "External IDs": "k-0"}),  # unchanged
               row(**{"Customer Name": "Added", "External IDs": "k-9"})]
    second = do_import(write_csv(tmp_path / "changed.csv", changed))
    assert second.written["updated"] == [WrittenCustomer(resolve_alias("k-4").id, "Kept 4")]
    assert second.written["new"] == [WrittenCustomer(resolve_alias("k-9").id, "Added")]
    assert dry_run(tmp_path / "changed.csv", default_mapping(tmp_path / "changed.csv")
                   ).written == {"new": [], "updated": []}


def test_all_or_nothing_leaves_the_database_exactly_as_it_was(tmp_path):
    make_customer()
    path = write_csv(tmp_path / "mixed.csv", [row(**{"External IDs": "ok-1"}),
                                              row(**{"Country": "XX", "External IDs": "x"})])
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        do_import(path, mode=ALL_OR_NOTHING)
    assert "1 rows are invalid" in caught.value.errors["file"]
    assert snapshot() == before


def test_all_or_nothing_imports_a_clean_file(tmp_path):
    path = write_csv(tmp_path / "ok.csv", [row(), row(**{"External IDs": "crm-9"})], bom=False)
    assert do_import(path, mode=ALL_OR_NOTHING).counts["new"] == 2


def test_excel_and_the_downloadable_template(tmp_path):
    template = tmp_path / "template.csv"
    template.write_bytes(template_csv())
    assert do_import(template).counts["new"] == 1
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(template_headers())
    values = row(**{"External IDs": "xl-1", "Tax Rate": 12.5})
    sheet.append([values.get(h) for h in template_headers()])
    book.save(tmp_path / "book.xlsx")
    assert do_import(tmp_path / "book.xlsx").counts["new"] == 1
    assert str(get_customer(resolve_alias("xl-1").id).tax_rate) == "12.50"


def test_our_export_guard_is_undone_on_import(tmp_path):
    path = write_csv(tmp_path / "guarded.csv", [row(**{"Customer Name": "'=SUM(A1)"})])
    do_import(path)
    assert resolve_alias("crm-1").name == "=SUM(A1)"


def test_stripe_export_preset(tmp_path):
    path = tmp_path / "stripe.csv"
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "Name", "Email", "Description", "Created (UTC)", "Address Line1",
                         "Address City", "Address State", "Address Country", "Address Zip",
                         "Currency", "plan (metadata)"])
        writer.writerow(["cus_Nff1", "Globex", "ap@globex.example", "Globex Corporation",
                         "2024-01-02 10:00", "1 Main St", "Springfield", "IL", "US", "62701",
                         "usd", "pro"])
    mapping = default_mapping(path, STRIPE)
    first = run_import(path, mapping, mode=VALID_ONLY, actor=admin("importer"), preset=STRIPE)
    assert first.counts["new"] == 1
    customer = get_customer(resolve_alias("cus_Nff1").id)
    assert (customer.currency, customer.state, customer.business_name) == ("USD", "US-IL",
                                                                           "Globex Corporation")
    again = run_import(path, mapping, mode=VALID_ONLY, actor=admin("importer"), preset=STRIPE)
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 1, "invalid": 0}


def test_imported_customers_are_found_by_quick_search(tmp_path):
    make_customer(name="Existing", external_ids=["ex-1"], primary_contact_email="e@x.example")
    path = write_csv(tmp_path / "search.csv", [
        row(**{"Customer Name": "Zephyr Freight", "External IDs": "zf-77",
               "Primary Contact Email": "ap@zephyr.example"}),
        row(**{"Customer Name": "Existing Renamed", "External IDs": "ex-1, ex-2"})])
    assert do_import(path).counts == {"new": 1, "updated": 1, "unchanged": 0, "invalid": 0}

    def found(term):
        return [r.name for r in list_customers(CustomerQuery(search=term)).rows]

    assert found("zephyr fr") == ["Zephyr Freight"]
    assert found("ap@zephyr") == ["Zephyr Freight"]
    assert found("zf-77") == ["Zephyr Freight"]
    assert found("ex-2") == ["Existing Renamed"]
    assert found("Existing Renamed") == ["Existing Renamed"]
    make_customer(name="Made after the import", external_ids=["after-1"],
                  primary_contact_email="after@x.example")
    assert found("after the import") == ["Made after the import"]  # triggers are back


def test_an_import_refused_after_writing_leaves_nothing_and_search_works(tmp_path,
                                                                          monkeypatch):
    """The search index's triggers are dropped while an import writes (SQLite): a refused
    import rolls them back with its rows, and a customer saved afterwards is found."""
    path = write_csv(tmp_path / "refused.csv", [row(**{"Customer Name": "Never Written"})])
    real_write = imports_package.write_chunk

    def write_then_refuse(session, plans, **kwargs):
        real_write(session, plans, **kwargs)
        raise ConflictError("Someone else changed these customers.")

    monkeypatch.setattr(imports_package, "write_chunk", write_then_refuse)
    before = snapshot()
    with pytest.raises(ConflictError):
        do_import(path)
    assert snapshot() == before
    make_customer(name="Saved after the refusal", external_ids=["after-2"],
                  primary_contact_email="later@x.example")
    assert [r.name for r in list_customers(CustomerQuery(search="after the refusal")).rows] \
        == ["Saved after the refusal"]
    assert [r.name for r in list_customers(CustomerQuery(search="Never Written")).rows] == []


def test_rows_sharing_a_value_each_get_their_own_outcome_and_error(tmp_path, monkeypatch):
    """Validation remembers a chunk's cleaned values: a value refused in one row is refused
    in every row that gives it, each row's error under its own column and row; the same
    text is judged by each field on its own, and a good row between bad ones imports."""
    monkeypatch.setattr(pipeline, "CHUNK", 4)
    rows = [row(**{"External IDs": f"shared-{n}", "Customer Name": f"Shared {n}"})
            for n in range(6)]
    rows[1]["Country"] = "EUR"  # a currency's code is no country
    rows[2]["Country"] = "EUR"
    rows[3]["Billing Currency"] = "DE"  # a country's code is no currency
    rows[4]["Tax Rate"] = "19%"
    rows[5]["Tax Rate"] = "190"
    report = do_import(write_csv(tmp_path / "shared.csv", rows))
    assert report.counts == {"new": 2, "updated": 0, "unchanged": 0, "invalid": 4}
    errors = {r.line: r.errors for r in report.preview if r.action == "invalid"}
    assert set(errors) == {3, 4, 5, 7}
    for line in (3, 4):
        assert list(errors[line]) == ["Country"]
        assert errors[line]["Country"].startswith("Country must be an ISO 3166-1")
    assert list(errors[5]) == ["Billing Currency"]
    assert errors[5]["Billing Currency"].startswith("Billing Currency must be an ISO 4217")
    assert list(errors[7]) == ["Tax Rate"]
    assert "between 0 and 100" in errors[7]["Tax Rate"]
    first, percent = (get_customer(resolve_alias(f"shared-{n}").id) for n in (0, 4))
    assert (first.country, first.currency) == ("DE", "EUR")
    assert first.tax_rate == percent.tax_rate  # "19" and "19%"


def test_a_large_file_validated_in_a_worker_process_imports_the_same(tmp_path, monkeypatch):
    """Large files are validated in another process while earlier chunks are written;
    chunks of three rows here so the pipeline crosses chunk boundaries."""
    monkeypatch.setattr(pipeline, "CHUNK", 3)
    monkeypatch.setattr(pipeline, "PARALLEL_FROM_ROWS", 1)
    held = make_customer(name="Holder", external_ids=["held-a"])
    rows = [row(**{"External IDs": f"big-{n}", "Customer Name": f"Big {n}"}) for n in range(7)]
    rows[2]["Country"] = "XX"
    rows[5] = row(**{"External IDs": "held-a", "Customer Name": "Holder renamed",
                     "Primary Contact Email": "billing@holder.example"})
    path = write_csv(tmp_path / "big.csv", rows)
    invalid_csv = tmp_path / "invalid.csv"
    report = do_import(path, invalid_out=invalid_csv)
    assert report.counts == {"new": 5, "updated": 1, "unchanged": 0, "invalid": 1}
    assert [r.line for r in report.preview] == list(range(2, 9))
    assert get_customer(held.id).name == "Holder renamed"
    assert resolve_alias("big-6").name == "Big 6"
    assert len(list(csv.reader(invalid_csv.open(encoding="utf-8-sig")))) == 2


def test_a_new_row_without_a_legal_entity_takes_its_countrys(tmp_path):
    gmbh = create_legal_entity({"name": "Meterly GmbH", "country": "DE"}, actor=admin("a@x.io"))
    inc = create_legal_entity({"name": "Meterly Inc.", "country": "US"}, actor=admin("a@x.io"))
    us = {"Country": "US", "Billing Currency": "USD", "Tax Rate": "0"}
    path = write_csv(tmp_path / "entities.csv", [
        row(),
        row(**us, **{"Customer Name": "Bolt Inc", "External IDs": "crm-2",
                     "Primary Contact Email": "ap@bolt.example"}),
        row(**us, **{"Customer Name": "Initech", "External IDs": "crm-3",
                     "Primary Contact Email": "ap@initech.example",
                     "Legal Entity": "Meterly GmbH"}),
        row(**{"Customer Name": "Globex", "Country": "FR", "External IDs": "crm-4",
               "Primary Contact Email": "ap@globex.example", "Tax Rate": "20"})])
    assert do_import(path).counts["new"] == 4
    entity = {c: get_customer(resolve_alias(c).id).legal_entity_id
              for c in ("crm-1", "crm-2", "crm-3", "crm-4")}
    default = next(e.id for e in list_legal_entities() if e.name == "Default Legal Entity")
    assert entity == {"crm-1": gmbh.id, "crm-2": inc.id,
                      "crm-3": gmbh.id,  # the file's own choice wins
                      "crm-4": default}
