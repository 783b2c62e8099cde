"""The book's Default Payment Method column, its filter and its export columns, on both
databases: what finance sees in the grid and in files."""

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from models import Customer
from models.payment_method import PaymentMethod
from models.types import utcnow
from services.customer_queries import CustomerQuery, count_customers, list_customers
from services.db import read_session, write_session
from services.errors import ValidationError
from services.export import export_customers
from services.payment_methods import (
    add_payment_method,
    list_payment_methods,
    method_label,
    revoke_payment_method,
)
from tests.unit.factories import ACTOR, customer_query, make_customer

pytestmark = pytest.mark.usefixtures("database")

TODAY = utcnow().date()


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def card(customer_id: int, expires: date, *, reference: str, brand="Visa", last4="4242",
         revoked=False) -> None:
    """A Stripe card through the service (a customer's first method is its default)."""
    add_payment_method(customer_id, {
        "provider": "stripe", "reference": reference, "method_type": "card", "brand": brand,
        "last4": last4, "exp_month": expires.month, "exp_year": expires.year}, actor=ACTOR)
    if revoked:
        revoke_payment_method(_method_id(reference), actor=ACTOR)


def debit(customer_id: int) -> None:
    add_payment_method(customer_id, {
        "provider": "gocardless", "reference": f"MD{customer_id:010d}",
        "method_type": "sepa_debit", "bank_name": "Deutsche Bank"}, actor=ACTOR)


def _method_id(reference: str) -> int:
    with read_session() as session:
        return session.scalar(select(PaymentMethod.id)
                              .where(PaymentMethod.reference == reference))


def auto_pay(customer_id: int) -> None:
    """Auto Pay on, as it was before its method expired or was revoked."""
    with write_session() as session:
        session.execute(update(Customer).where(Customer.id == customer_id)
                        .values(auto_pay=True, version=Customer.version + 1))


@pytest.fixture
def book():
    """Six customers: a card far from expiry, one expiring, one expired, a SEPA mandate,
    a revoked card, and none at all."""
    people = {key: make_customer(name=name, external_ids=[key]).id for key, name in (
        ("visa", "Visa Valid"), ("soon", "Soon Expiring"), ("past", "Past Expiry"),
        ("sepa", "Sepa Mandate"), ("gone", "Revoked Card"), ("none", "No Method"))}
    card(people["visa"], date(TODAY.year + 2, 8, 1), reference="pm_1Visa")
    card(people["soon"], TODAY, reference="pm_1Soon", brand="Mastercard",
         last4="5454")
    card(people["past"], TODAY.replace(day=1) - timedelta(days=40), reference="pm_1Past")
    debit(people["sepa"])
    card(people["gone"], date(TODAY.year + 3, 1, 1), reference="pm_1Gone", revoked=True)
    return people


def shown(q: CustomerQuery) -> dict[str, str | None]:
    page = list_customers(CustomerQuery(**{**q.__dict__, "columns": ("name", "payment_method")}))
    return {row.name: row.payment_method for row in page.rows}


def names(**filters) -> set[str]:
    return set(shown(customer_query(**filters)))


def test_the_column_reads_each_default_method_as_the_profile_shows_it(book):
    year = f"{(TODAY.year + 2) % 100:02d}"
    assert shown(CustomerQuery()) == {
        "Visa Valid": f"Visa •••• 4242 · 08/{year}",
        "Soon Expiring": f"Mastercard •••• 5454 · {TODAY:%m/%y}",
        "Past Expiry": f"Visa •••• 4242 · {(TODAY.replace(day=1) - timedelta(days=40)):%m/%y}",
        "Sepa Mandate": f"SEPA Direct Debit · MD{book['sepa']:010d}",
        "Revoked Card": f"Visa •••• 4242 · 01/{(TODAY.year + 3) % 100:02d} · revoked",
        "No Method": None,
    }


def test_the_column_reads_as_the_profile_names_the_default(book):
    rows = shown(CustomerQuery())
    for key, name in (("visa", "Visa Valid"), ("soon", "Soon Expiring"), ("sepa", "Sepa Mandate")):
        (default,) = [m for m in list_payment_methods(book[key]) if m.is_default]
        assert rows[name] == method_label(default)


def test_a_second_method_neither_shows_nor_repeats_the_customer(book):
    card(book["visa"], date(TODAY.year + 4, 2, 1), reference="pm_1Spare", brand="Amex")
    assert shown(CustomerQuery())["Visa Valid"].startswith("Visa •••• 4242 · 08/")
    assert count_customers(CustomerQuery()) == 6
    assert len(list_customers(CustomerQuery()).rows) == 6


def test_each_filter_narrows_the_book_to_its_customers(book):
    assert names(payment_method=["none"]) == {"No Method"}
    assert names(payment_method=["expiring"]) == {"Soon Expiring"}
    assert names(payment_method=["expired"]) == {"Past Expiry"}
    assert names(payment_method=["none", "expired"]) == {"No Method", "Past Expiry"}
    assert count_customers(customer_query(payment_method=["expiring"])) == 1


def test_expiring_follows_the_configured_days(book, configured):
    card(make_customer(name="In Two Months", external_ids=["two"]).id,
         TODAY + timedelta(days=62), reference="pm_1Later")
    assert names(payment_method=["expiring"]) == {"Soon Expiring"}
    configured(payment_method_expiring_days=120)
    assert names(payment_method=["expiring"]) == {"Soon Expiring", "In Two Months"}


def test_auto_pay_without_a_usable_method_finds_none_expired_and_revoked_defaults(book):
    for key in ("visa", "soon", "past", "sepa", "gone", "none"):
        auto_pay(book[key])
    assert names(payment_method=["autopay_at_risk"]) == {"Past Expiry", "Revoked Card",
                                                         "No Method"}
    assert names(payment_method=["autopay_at_risk"], auto_pay=False) == set()


def test_an_unknown_state_is_refused_naming_the_filter(book):
    with pytest.raises(ValidationError) as caught:
        list_customers(customer_query(payment_method=["lost"]))
    assert "Payment Method has no filter lost" in caught.value.errors["payment_method"]


def test_the_export_writes_the_column_then_provider_reference_and_expiry(book):
    out = io.BytesIO()
    export_customers(customer_query(payment_method=["expiring", "none"]),
                     ["name", "payment_method"], "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert list(rows[0]) == ["ID", "Customer Name", "Default Payment Method",
                             "Default Payment Method provider",
                             "Default Payment Method reference",
                             "Default Payment Method expiry", "External IDs"]
    none, soon = rows  # by name
    expiry = _month_end(TODAY)
    assert (soon["Default Payment Method provider"], soon["Default Payment Method reference"],
            soon["Default Payment Method expiry"]) == ("stripe", "pm_1Soon", expiry.isoformat())
    assert none["Default Payment Method"] == none["Default Payment Method reference"] == ""


def test_the_excel_export_holds_the_expiry_as_a_date(book):
    from openpyxl import load_workbook

    out = io.BytesIO()
    export_customers(customer_query(payment_method=["expired"]), ["payment_method"], "xlsx", out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    header = [c.value for c in sheet[1]]
    expiry = sheet.cell(2, header.index("Default Payment Method expiry") + 1).value
    assert expiry.date() == _month_end(TODAY.replace(day=1) - timedelta(days=40))
