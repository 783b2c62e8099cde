"""Connected accounts through the import: a column of one system's record IDs maps to
"external_ids:<system>" ("External ID (HubSpot)"), each new ID keeps its system, an ID
already stored keeps the system it has, and a Stripe export's ids are Stripe's."""

import csv
from pathlib import Path

import pytest

from models.choices import SourceSystem
from services.aliases import resolve_alias
from services.customers import get_customer
from services.import_mapping import STRIPE, suggest, targets
from services.imports import VALID_ONLY, default_mapping, dry_run, run_import
from tests.unit.factories import admin, customer_history, make_customer

pytestmark = pytest.mark.usefixtures("database")
IMPORTER = admin("importer@example.com")


def _csv(path: Path, header: list[str], *rows: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _systems(customer_id: int) -> dict[str, str]:
    return {a.value: a.system for a in get_customer(customer_id).aliases}


def test_every_system_is_a_mapping_target_beside_plain_external_ids():
    offered = targets()
    assert offered["external_ids"] == "External ID"
    for system in SourceSystem:
        assert offered[f"external_ids:{system.value}"] == f"External ID ({system.label})"
    assert suggest(["id", "Name"], STRIPE)["id"] == "external_ids:stripe"


def test_a_stripe_export_makes_stripe_accounts_and_a_reimport_makes_nothing_new(tmp_path):
    path = _csv(tmp_path / "stripe.csv",
                ["id", "Name", "Email", "Created (UTC)", "Currency", "Address Country"],
                ["cus_Nff1", "Globex", "ap@globex.example", "2024-01-02 10:00", "usd", "US"],
                ["cus_Nff2", "Initech", "ap@initech.example", "2024-01-03 10:00", "usd", "US"])
    mapping = default_mapping(path, STRIPE)
    first = run_import(path, mapping, mode=VALID_ONLY, actor=IMPORTER, preset=STRIPE)
    assert first.counts["new"] == 2
    globex = resolve_alias("cus_Nff1").id
    assert _systems(globex) == {"cus_Nff1": "stripe"}
    assert _systems(resolve_alias("cus_Nff2").id) == {"cus_Nff2": "stripe"}
    assert customer_history(globex)[0].changes["external_ids"] == [None, ["Stripe · cus_Nff1"]]
    again = run_import(path, mapping, mode=VALID_ONLY, actor=IMPORTER, preset=STRIPE)
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 2, "invalid": 0}
    assert _systems(globex) == {"cus_Nff1": "stripe"}


def test_each_column_gives_its_ids_their_system_and_a_stored_id_keeps_its_own(tmp_path):
    held = make_customer(name="Held", external_ids=[{"value": "001H", "system": "salesforce"}])
    path = _csv(tmp_path / "crm.csv", ["Customer Name", "Billing Currency", "Email",
                                       "Record ID", "Other IDs"],
                ["Held", "EUR", "billing@acme.example", "hs-held", "001H"],
                ["Fresh", "EUR", "ap@fresh.example", "hs-fresh", "legacy-1"])
    mapping = {"Customer Name": "name", "Billing Currency": "currency",
               "Email": "primary_contact_email", "Record ID": "external_ids:hubspot",
               "Other IDs": "external_ids"}
    report = run_import(path, mapping, mode=VALID_ONLY, actor=IMPORTER)
    assert report.counts == {"new": 1, "updated": 1, "unchanged": 0, "invalid": 0}
    assert _systems(held.id) == {"001H": "salesforce", "hs-held": "hubspot"}
    assert customer_history(held.id)[0].changes["external_ids"] == [None, ["HubSpot · hs-held"]]
    assert _systems(resolve_alias("hs-fresh").id) == {"hs-fresh": "hubspot",
                                                      "legacy-1": "other"}


def test_a_bad_id_in_a_systems_column_is_reported_under_that_column(tmp_path):
    path = _csv(tmp_path / "bad.csv", ["Customer Name", "Billing Currency", "Salesforce ID"],
                ["Bad", "EUR", "001\u200bX"])
    mapping = {"Customer Name": "name", "Billing Currency": "currency",
               "Salesforce ID": "external_ids:salesforce"}
    report = dry_run(path, mapping)
    (result,) = report.preview
    assert result.action == "invalid"
    assert "ZERO WIDTH SPACE" in result.errors["Salesforce ID"]


def test_a_stripe_payment_methods_customer_id_is_a_stripe_account(tmp_path):
    path = _csv(tmp_path / "pm.csv",
                ["Customer Name", "Billing Currency", "Primary Contact Email",
                 "Payment method: Provider", "Payment method: Provider customer ID",
                 "Payment method: Method reference", "Payment method: Type"],
                ["Paying", "EUR", "ap@paying.example", "stripe", "cus_PAY1", "pm_1Pay",
                 "sepa_debit"])
    report = run_import(path, default_mapping(path), mode=VALID_ONLY, actor=IMPORTER)
    assert report.counts["new"] == 1, report.preview[0].errors
    assert _systems(resolve_alias("cus_PAY1").id) == {"cus_PAY1": "stripe"}
