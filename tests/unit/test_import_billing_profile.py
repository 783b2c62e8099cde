"""The billing profile's fields in files (issue #15): our export re-imports them unchanged,
and Stripe's export brings its phone, shipping address and tax exemption."""

import csv

import pytest

from services.aliases import resolve_alias
from services.customer_columns import book_columns
from services.customer_queries import CustomerQuery
from services.customers import get_customer
from services.export import export_customers
from services.import_mapping import STRIPE
from services.imports import VALID_ONLY, default_mapping, run_import
from tests.unit.factories import ACTOR, make_customer

pytestmark = pytest.mark.usefixtures("database")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_of_the_billing_profile_reimports_unchanged(fmt, tmp_path):
    make_customer(name="Ada Lovelace", customer_type="individual", phone="+44 20 7946 0958",
                  invoice_grace_days=7, invoice_language="en_GB", timezone="Europe/London",
                  shipping_country="US", shipping_city="Reno", shipping_state="NV",
                  shipping_address_line1="1 Main St", tax_rate="0", tax_exemption="exempt",
                  tax_exemption_reason="Charity", tax_exemption_certificate="EX-1")
    path = tmp_path / f"book.{fmt}"
    with path.open("wb") as out:
        export_customers(CustomerQuery(), list(book_columns()), fmt, out)
    report = run_import(path, default_mapping(path), mode=VALID_ONLY, actor=ACTOR)
    assert report.counts == {"new": 0, "updated": 0, "unchanged": 1, "invalid": 0}


def test_stripe_export_brings_phone_shipping_and_tax_exemption(tmp_path):
    path = tmp_path / "stripe.csv"
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "Name", "Email", "Phone", "Address Country", "Currency",
                         "Shipping Address Line1", "Shipping Address City",
                         "Shipping Address Country", "Tax Exempt", "Tax ID"])
        writer.writerow(["cus_Fr1", "Société Exemple", "ap@exemple.fr", "+33 1 23 45 67 89",
                         "FR", "eur", "5 rue de Rivoli", "Paris", "FR", "reverse",
                         "FR40303265045"])
    mapping = default_mapping(path, STRIPE)
    first = run_import(path, mapping, mode=VALID_ONLY, actor=ACTOR, preset=STRIPE)
    assert first.counts["new"] == 1, first
    customer = get_customer(resolve_alias("cus_Fr1").id)
    assert (customer.phone, customer.shipping_same_as_billing, customer.shipping_city,
            customer.tax_exemption, customer.invoice_language) == (
        "+33123456789", False, "Paris", "reverse_charge", "fr_FR")
    again = run_import(path, mapping, mode=VALID_ONLY, actor=ACTOR, preset=STRIPE)
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 1, "invalid": 0}
