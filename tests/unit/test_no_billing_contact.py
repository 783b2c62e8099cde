"""Customers without a billing contact: the API and imports may create them (the New Customer
form asks for one), the first contact added becomes primary, and the "No billing contact"
filter finds them until then."""

import csv
from pathlib import Path

import pytest
from sqlalchemy import text

from services.aliases import resolve_alias
from services.contacts import add_contact, remove_contact, set_primary_contact
from services.customer_queries import CustomerQuery, count_customers, list_customers
from services.customers import create_customer, get_customer
from services.db import get_engine
from services.errors import ValidationError
from services.imports import VALID_ONLY, default_mapping, dry_run, run_import
from services.list_filters import from_parameters
from tests.unit.factories import ACTOR, customer_history, customer_input, make_customer

pytestmark = pytest.mark.usefixtures("database")

NO_CONTACT = {"primary_contact_email": None, "primary_contact_first_name": None,
              "primary_contact_last_name": None}


def without_contact(**overrides):
    values = {k: v for k, v in customer_input(**overrides).items()
              if not k.startswith("primary_contact_")}
    return create_customer(values, actor=ACTOR)


def errors_of(action) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        action()
    return caught.value.errors


def test_a_customer_without_a_contact_is_created_without_one():
    customer = without_contact()
    stored = get_customer(customer.id)
    assert stored.contacts == [] and stored.primary_contact is None
    assert (stored.name, stored.currency) == ("Acme Analytics GmbH", "EUR")
    assert customer_history(customer.id)[0].action == "customer.created"


def test_blank_contact_fields_are_no_contact():
    customer = create_customer(customer_input(**{**NO_CONTACT, "primary_contact_first_name": "  "}),
                               actor=ACTOR)
    assert get_customer(customer.id).contacts == []


def test_a_contact_given_in_part_still_needs_its_email_and_nothing_is_written():
    errors = errors_of(lambda: create_customer(
        customer_input(**{**NO_CONTACT, "primary_contact_first_name": "Ada"}), actor=ACTOR))
    assert errors == {"primary_contact_email": "Primary Contact Email is required."}
    assert count_customers(CustomerQuery(status="all")) == 0


def test_the_form_still_requires_the_primary_contact_email():
    errors = errors_of(lambda: create_customer(customer_input(**NO_CONTACT), actor=ACTOR,
                                               contact_required=True))
    assert errors == {"primary_contact_email": "Primary Contact Email is required."}


def test_a_name_and_a_currency_are_still_required_without_a_contact():
    errors = errors_of(lambda: without_contact(name="", currency=None))
    assert set(errors) == {"name", "currency"}


def test_the_first_contact_added_becomes_primary_the_next_does_not():
    customer = without_contact()
    add_contact(customer.id, {"email": "ap@acme.example"}, actor=ACTOR)
    after = add_contact(customer.id, {"email": "ops@acme.example"}, actor=ACTOR)
    assert after.primary_contact.email == "ap@acme.example"
    assert [c.is_primary for c in after.contacts] == [True, False]


def test_without_a_primary_contact_the_first_further_contact_is_primary():
    values = {k: v for k, v in customer_input().items() if not k.startswith("primary_contact_")}
    customer = create_customer({**values, "contacts": [{"email": "ap@acme.example"},
                                                       {"email": "ops@acme.example"}]},
                               actor=ACTOR)
    assert customer.primary_contact.email == "ap@acme.example"
    assert sum(c.is_primary for c in customer.contacts) == 1


def names(**filters) -> list[str]:
    query = CustomerQuery(filters=from_parameters(**filters),
                          columns=("name", "primary_contact_email"))
    return [row.name for row in list_customers(query).rows]


def test_no_billing_contact_filter_finds_customers_until_a_contact_is_added():
    make_customer(name="Has one", external_ids=["has"])
    bare = without_contact(name="Bare", external_ids=["bare"])
    assert names(has_billing_contact=False) == ["Bare"]
    assert names(has_billing_contact=True) == ["Has one"]
    assert sorted(names()) == ["Bare", "Has one"]
    assert count_customers(CustomerQuery(filters=from_parameters(has_billing_contact=False))) == 1
    add_contact(bare.id, {"email": "ap@bare.example"}, actor=ACTOR)
    assert names(has_billing_contact=False) == []
    assert sorted(names(has_billing_contact=True)) == ["Bare", "Has one"]


def test_the_grid_shows_no_email_for_a_customer_without_a_contact():
    without_contact(name="Bare", external_ids=["bare"])
    (row,) = list_customers(CustomerQuery(columns=("name", "primary_contact_email"))).rows
    assert (row.name, row.primary_contact_email) == ("Bare", None)


# Imports: a CRM's companies come without a contact, and often without a currency.
HEADERS = ["Customer Name", "Country", "Billing Currency", "Primary Contact Email",
           "First Name", "External IDs"]


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path


def checked(path: Path):
    return dry_run(path, default_mapping(path))


def test_import_rows_without_a_contact_create_customers_without_one(tmp_path):
    path = write_rows(tmp_path / "crm.csv", [["Globex", "DE", "EUR", "", "", "crm-1"],
                                             ["Initech", "US", "USD", "ap@initech.example",
                                              "Bill", "crm-2"]])
    report = run_import(path, default_mapping(path), mode=VALID_ONLY, actor=ACTOR)
    assert report.counts["new"] == 2
    assert get_customer(resolve_alias("crm-1").id).contacts == []
    assert get_customer(resolve_alias("crm-2").id).primary_contact.email == "ap@initech.example"
    assert names(has_billing_contact=False) == ["Globex"]


def test_an_import_row_with_a_name_but_no_email_is_refused_naming_the_email(tmp_path):
    path = write_rows(tmp_path / "crm.csv", [["Globex", "DE", "EUR", "", "Hank", "crm-1"]])
    (result,) = checked(path).preview
    assert result.action == "invalid"
    assert result.errors == {"Primary Contact Email": "Primary Contact Email is required."}


def test_a_row_without_a_currency_takes_its_countrys_and_the_dry_run_says_so(tmp_path):
    path = write_rows(tmp_path / "crm.csv", [["Globex", "DE", "", "", "", "crm-1"],
                                             ["Initech", "US", "USD", "", "", "crm-2"],
                                             ["Hooli", "", "", "", "", "crm-3"]])
    report = checked(path)
    globex, initech, hooli = report.preview
    assert (globex.action, globex.notes) == ("new", ["Billing Currency EUR came from Country DE."])
    assert (initech.action, initech.notes) == ("new", [])
    assert hooli.action == "invalid"
    assert hooli.errors == {"Billing Currency": "Billing Currency is required."}
    assert report.noted == 1
    run_import(path, default_mapping(path), mode=VALID_ONLY, actor=ACTOR)
    assert get_customer(resolve_alias("crm-1").id).currency == "EUR"


def test_a_blank_currency_on_update_keeps_the_stored_one(tmp_path):
    make_customer(name="Globex", external_ids=["crm-1"], currency="CHF", country="CH",
                  state=None, tax_rate="0")
    path = write_rows(tmp_path / "crm.csv", [["Globex AG", "CH", "", "", "", "crm-1"]])
    report = run_import(path, default_mapping(path), mode=VALID_ONLY, actor=ACTOR)
    assert report.counts["updated"] == 1
    stored = get_customer(resolve_alias("crm-1").id)
    assert (stored.name, stored.currency) == ("Globex AG", "CHF")


def test_an_import_gives_a_customer_without_a_contact_its_first_one(tmp_path):
    without_contact(name="Globex", external_ids=["crm-1"])
    blank = write_rows(tmp_path / "blank.csv", [["Globex", "DE", "EUR", "", "", "crm-1"]])
    assert run_import(blank, default_mapping(blank), mode=VALID_ONLY,
                      actor=ACTOR).counts["unchanged"] == 1
    named = write_rows(tmp_path / "named.csv", [["Globex", "DE", "EUR", "", "Hank", "crm-1"]])
    (result,) = checked(named).preview
    assert result.errors == {"Primary Contact Email": "Primary Contact Email is required."}
    given = write_rows(tmp_path / "given.csv",
                       [["Globex", "DE", "EUR", "ap@globex.example", "Hank", "crm-1"]])
    assert run_import(given, default_mapping(given), mode=VALID_ONLY,
                      actor=ACTOR).counts["updated"] == 1
    assert get_customer(resolve_alias("crm-1").id).primary_contact.email == "ap@globex.example"
    assert names(has_billing_contact=False) == []


# The list of customers without a billing contact the database keeps (models.no_billing_contact):
# the filter reads it, so it must hold after every kind of write, by the services or by hand.
def listed() -> list[str]:
    with get_engine().connect() as conn:
        return list(conn.scalars(text(
            "SELECT c.name FROM no_billing_contact g JOIN customer c ON c.id = g.customer_id "
            "ORDER BY c.name")))


def run_sql(statement: str, **values) -> None:
    with get_engine().begin() as conn:
        conn.execute(text(statement), values)


def test_the_list_follows_the_primary_contact_through_the_services():
    make_customer(name="Has one", external_ids=["has"])
    bare = without_contact(name="Bare", external_ids=["bare"])
    assert listed() == ["Bare"]
    first = add_contact(bare.id, {"email": "ap@bare.example"}, actor=ACTOR)
    assert listed() == []
    second = add_contact(bare.id, {"email": "ops@bare.example"}, actor=ACTOR)
    ops = next(c for c in second.contacts if c.email == "ops@bare.example")
    set_primary_contact(ops.id, actor=ACTOR)  # the primary changes hands in one transaction
    assert listed() == []
    ap = next(c for c in first.contacts if c.email == "ap@bare.example")
    remove_contact(ap.id, actor=ACTOR)
    assert listed() == [] and names(has_billing_contact=False) == []


def test_the_list_follows_writes_made_by_hand():
    kept = make_customer(name="Kept", external_ids=["kept"])
    gone = make_customer(name="Gone", external_ids=["gone"])
    run_sql("DELETE FROM contact WHERE customer_id = :id", id=kept.id)
    assert listed() == ["Kept"] and names(has_billing_contact=False) == ["Kept"]
    run_sql("UPDATE contact SET customer_id = :to WHERE customer_id = :from_",
            to=kept.id, from_=gone.id)  # the primary contact moves to another customer
    assert listed() == ["Gone"]
    run_sql("DELETE FROM contact WHERE customer_id = :id", id=kept.id)
    run_sql("DELETE FROM customer WHERE id = :id", id=gone.id)
    assert listed() == ["Kept"]
    run_sql("INSERT INTO contact (customer_id, email, is_primary, email_billing, email_updates, "
            "email_legal, created_at) VALUES (:id, 'new@kept.example', :yes, :yes, :yes, :no, "
            "CURRENT_TIMESTAMP)", id=kept.id, yes=True, no=False)
    assert listed() == [] and names(has_billing_contact=True) == ["Kept"]


def test_the_count_of_customers_without_a_contact_reads_the_list():
    for n in range(3):
        without_contact(name=f"Bare {n}", external_ids=[f"bare-{n}"])
    make_customer(name="Has one", external_ids=["has"])
    query = CustomerQuery(filters=from_parameters(has_billing_contact=False))
    assert count_customers(query) == 3
    assert list_customers(query).count.value == 3
