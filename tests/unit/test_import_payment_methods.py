"""One payment method per imported row, on both databases: the template's columns and
Stripe's card columns, through the payment methods service's rules, written in the row's
own transaction as the customer's default."""

import csv
from pathlib import Path

import pytest

from services.aliases import resolve_alias
from services.customers import get_customer
from services.import_mapping import STRIPE
from services.imports import ALL_OR_NOTHING, VALID_ONLY, default_mapping, dry_run, run_import
from services.payment_methods import list_payment_methods, method_label
from tests.unit.factories import admin, customer_history
from tests.unit.test_book_payment_methods import card
from tests.unit.test_imports import row, write_csv

pytestmark = pytest.mark.usefixtures("database")

IMPORTER = admin("importer@example.com")
VISA = {"Payment method: Provider": "Stripe",
        "Payment method: Provider customer ID": "cus_Acme1",
        "Payment method: Method reference": "pm_1AcmeVisa",
        "Payment method: Type": "Card", "Payment method: Brand": "Visa",
        "Payment method: Last 4 digits": "4242", "Payment method: Expiry month": "8",
        "Payment method: Expiry year": "2031"}


def do_import(path: Path, mode=VALID_ONLY, preset="customer_desk"):
    return run_import(path, default_mapping(path, preset), mode=mode, actor=IMPORTER,
                      preset=preset)


def methods(external_id: str):
    return list_payment_methods(resolve_alias(external_id).id)


def test_a_template_row_s_method_becomes_the_new_customer_s_default(tmp_path):
    report = do_import(write_csv(tmp_path / "m.csv", [row(**VISA, **{"Auto Pay": "yes"})]))
    assert report.counts["new"] == 1
    (method,) = methods("crm-1")
    assert method.is_default and method_label(method) == "Visa •••• 4242 · 08/31"
    assert (method.provider, method.reference, str(method.expires_on)) == (
        "stripe", "pm_1AcmeVisa", "2031-08-31")
    customer = get_customer(method.customer_id)
    assert customer.auto_pay is True
    assert sorted(a.value for a in customer.aliases) == ["crm-1", "cus_Acme1"]
    (event,) = customer_history(customer.id)
    assert event.changes["default_payment_method"] == [None, "Visa •••• 4242 · 08/31"]


def test_a_bad_method_refuses_its_row_naming_the_column(tmp_path):
    path = write_csv(tmp_path / "bad.csv", [
        row(**{**VISA, "Payment method: Last 4 digits": "42"}),
        row(**{**VISA, "Customer Name": "Bolt", "External IDs": "crm-2",
               "Payment method: Method reference": "tok_visa",
               "Payment method: Provider customer ID": "cus_Bolt"})])
    report = dry_run(path, default_mapping(path))
    assert report.counts["invalid"] == 2
    first, second = (r.errors for r in report.preview)
    assert "four digits" in first["Payment method: Last 4 digits"]
    assert "pm_" in second["Payment method: Method reference"]


def test_auto_pay_without_a_chargeable_method_is_refused(tmp_path):
    expired = {**VISA, "Payment method: Expiry year": "2020"}
    report = dry_run(path := write_csv(tmp_path / "a.csv", [row(**expired, **{"Auto Pay": "yes"})]),
                     default_mapping(path))
    assert "Auto Pay" in report.preview[0].errors["Auto Pay"]


def test_a_re_import_updates_the_stored_method_and_a_new_card_becomes_default(tmp_path):
    do_import(write_csv(tmp_path / "one.csv", [row(**VISA)]))
    again = do_import(write_csv(tmp_path / "two.csv", [row(**VISA)]))
    assert again.counts["unchanged"] == 1
    renewed = {**VISA, "Payment method: Expiry year": "2033"}
    assert do_import(write_csv(tmp_path / "three.csv", [row(**renewed)])).counts["updated"] == 1
    (method,) = methods("crm-1")
    assert method.exp_year == 2033 and method.is_default
    new_card = {**VISA, "Payment method: Method reference": "pm_1AcmeMaster",
                "Payment method: Brand": "Mastercard", "Payment method: Last 4 digits": "5454"}
    do_import(write_csv(tmp_path / "four.csv", [row(**new_card)]))
    stored = {m.reference: m.is_default for m in methods("crm-1")}
    assert stored == {"pm_1AcmeVisa": False, "pm_1AcmeMaster": True}


def test_a_method_held_by_another_customer_or_named_twice_is_refused(tmp_path):
    do_import(write_csv(tmp_path / "one.csv", [row(**VISA)]))
    other = {**VISA, "Customer Name": "Bolt", "External IDs": "crm-2",
             "Payment method: Provider customer ID": "cus_Bolt"}
    path = write_csv(tmp_path / "two.csv", [other])
    with pytest.raises(Exception) as caught:
        do_import(path, mode=ALL_OR_NOTHING)
    assert "1 rows are invalid" in str(caught.value)
    (result,) = dry_run(path, default_mapping(path)).preview
    assert "already a payment method of customer Acme GmbH" in result.errors[
        "Payment method: Method reference"]
    twice = write_csv(tmp_path / "three.csv", [
        row(**{**VISA, "Payment method: Method reference": "pm_1Same"}),
        row(**{**other, "Payment method: Method reference": "pm_1Same"})])
    assert "appears in row 2 too" in dry_run(twice, default_mapping(twice)).preview[1].errors[
        "Payment method: Method reference"]


def test_a_row_without_method_columns_keeps_the_customer_s_methods(tmp_path):
    do_import(write_csv(tmp_path / "one.csv", [row()]))
    customer_id = resolve_alias("crm-1").id
    card(customer_id, get_customer(customer_id).created_at.date(), reference="pm_1Kept")
    report = do_import(write_csv(tmp_path / "two.csv", [row(**{"Payment Terms": "45"})]))
    assert report.counts["updated"] == 1
    assert [m.reference for m in methods("crm-1")] == ["pm_1Kept"]


def test_stripe_s_export_brings_the_default_card(tmp_path):
    path = tmp_path / "stripe.csv"
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "Name", "Email", "Currency", "Address Country", "Card ID",
                         "Card Name", "Card Brand", "Card Last4", "Card Exp Month",
                         "Card Exp Year", "Default Source"])
        writer.writerow(["cus_Nff1", "Globex", "ap@globex.example", "usd", "US",
                         "card_1Globex", "Hank Scorpio", "Visa", "4242", "8", "2027",
                         "card_1Globex"])
        writer.writerow(["cus_Nff2", "Initech", "ap@initech.example", "usd", "US", "", "", "",
                         "", "", "", ""])
    report = do_import(path, preset=STRIPE)
    assert report.counts["new"] == 2
    (method,) = methods("cus_Nff1")
    assert (method.provider, method.method_type, method.reference, method.holder_name) == (
        "stripe", "card", "card_1Globex", "Hank Scorpio")
    assert method_label(method) == "Visa •••• 4242 · 08/27"
    assert methods("cus_Nff2") == []
    assert do_import(path, preset=STRIPE).counts["unchanged"] == 2
