"""Where an import sends each row, on both databases: to a new customer or to the customer
its External IDs belong to; and the rows it refuses before validation, naming the row or
the customer in the way. Routing keeps its state across chunks, in file order."""

import pytest

from services.aliases import resolve_alias
from services.errors import NotFoundError
from services.imports import default_mapping, dry_run, pipeline
from tests.unit.factories import customer_history, make_customer
from tests.unit.test_imports import do_import, row, write_csv

pytestmark = pytest.mark.usefixtures("database")


def errors_by_line(report) -> dict[int, str]:
    return {r.line: r.errors["External IDs"] for r in report.preview if r.action == "invalid"}


def test_an_id_named_again_is_refused_naming_the_first_row_in_an_earlier_chunk(tmp_path,
                                                                              monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK", 3)
    rows = [row(**{"External IDs": f"r-{n}", "Customer Name": f"R {n}"}) for n in range(7)]
    rows[4]["External IDs"] = "r-0"
    rows[6]["External IDs"] = "R-1"
    path = write_csv(tmp_path / "again.csv", rows)
    report = dry_run(path, default_mapping(path))
    assert report.counts == {"new": 5, "updated": 0, "unchanged": 0, "invalid": 2}
    assert errors_by_line(report) == {
        6: 'External ID "r-0" appears in row 2 too.',
        8: 'External ID "R-1" looks like "r-1", which appears in row 3 too.'}


def test_ids_of_two_customers_in_one_row_are_refused_naming_both(tmp_path):
    first = make_customer(name="First", external_ids=["held-a"])
    second = make_customer(name="Second", external_ids=["held-b"],
                           primary_contact_email="ap@second.example")
    path = write_csv(tmp_path / "two.csv", [row(**{"External IDs": "held-b, held-a"})])
    report = dry_run(path, default_mapping(path))
    assert errors_by_line(report) == {
        2: f"These External IDs belong to different customers: #{first.id}, #{second.id}."}


def test_a_new_id_beside_a_customers_own_is_added_to_that_customer(tmp_path):
    customer = make_customer(external_ids=["crm-1"])
    path = write_csv(tmp_path / "more.csv", [row(**{"External IDs": "crm-1, crm-9"})])
    assert do_import(path).counts["updated"] == 1
    assert resolve_alias("crm-9").id == customer.id
    assert customer_history(customer.id)[0].changes["external_ids"] == [None, ["Other · crm-9"]]
    assert do_import(path).counts == {"new": 0, "updated": 0, "unchanged": 1, "invalid": 0}


def test_a_file_changes_each_customer_once(tmp_path):
    make_customer(external_ids=["a-1", "a-2"])
    path = write_csv(tmp_path / "twice.csv", [
        row(**{"External IDs": "a-1", "Payment Terms": "45"}),
        row(**{"External IDs": "a-2", "Payment Terms": "60"})])
    report = dry_run(path, default_mapping(path))
    assert report.counts == {"new": 0, "updated": 1, "unchanged": 0, "invalid": 1}
    (bad,) = [r for r in report.preview if r.action == "invalid"]
    assert "Row 2 already updates this customer" in bad.errors["External IDs"]


def test_an_import_refuses_a_look_alike_of_another_customers_id(tmp_path):
    holder = make_customer(name="Holder Inc", external_ids=["cus_ACME1"])
    path = write_csv(tmp_path / "look-alike.csv", [
        row(**{"Customer Name": "Sneaky Ltd", "External IDs": "cus_АСМЕ1"}),
        row(**{"Customer Name": "Fine Ltd", "External IDs": "crm-2"}),
        row(**{"Customer Name": "Twin Ltd", "External IDs": "CRM-2"}),
    ])
    report = do_import(path)
    assert report.counts["new"] == 1 and report.counts["invalid"] == 2
    sneaky, twin = [r for r in report.preview if r.action == "invalid"]
    assert f"Holder Inc (#{holder.id})" in sneaky.message
    assert 'looks like "crm-2", which appears in row 3' in twin.message
    with pytest.raises(NotFoundError):
        resolve_alias("cus_АСМЕ1")


def test_an_import_adds_a_look_alike_to_the_customer_that_holds_the_original(tmp_path):
    customer = make_customer(external_ids=["crm-1"])
    path = write_csv(tmp_path / "own.csv", [row(**{"External IDs": "crm-1, CRM-1"})])
    assert do_import(path).counts["updated"] == 1
    assert resolve_alias("CRM-1").id == customer.id
