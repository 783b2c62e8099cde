"""The sample exports in samples/imports/, one per preset and shape, on both databases:
each is detected as its preset, imports with it (every row valid), and re-imports without
a change. Each sample carries a quirk of real files (a byte-order mark, semicolons,
Windows-1252, blank lines, streets over several lines, parents, mixed country forms)."""

from pathlib import Path

import pytest

from services.aliases import resolve_alias
from services.customers import get_customer
from services.import_mapping import PRESETS, detect
from services.imports import ALL_OR_NOTHING, default_mapping, run_import
from services.imports.__main__ import main
from services.payment_methods import list_payment_methods, method_label
from services.upload_reading import read_table
from tests.unit.factories import admin

pytestmark = pytest.mark.usefixtures("database")

SAMPLES = Path(__file__).parents[2] / "samples" / "imports"
PRESET_OF = {
    "hubspot-companies.csv": "hubspot_companies",
    "salesforce-accounts-data-loader.csv": "salesforce_accounts",
    "salesforce-accounts-report.csv": "salesforce_accounts_report",
    "chargebee-customers.csv": "chargebee_customers",
    "chargebee-customers-bulk.csv": "chargebee_customers_bulk",
    "lago-customers.csv": "lago_customers",
    "stripe-customers.csv": "stripe",
}


def import_sample(name: str):
    path = SAMPLES / name
    preset = PRESET_OF[name]
    return run_import(path, default_mapping(path, preset), mode=ALL_OR_NOTHING,
                      actor=admin("importer@example.com"), preset=preset)


def imported_twice(name: str, rows: int) -> None:
    """Every row new on the first import, and unchanged on the second."""
    assert import_sample(name).counts == {"new": rows, "updated": 0, "unchanged": 0,
                                          "invalid": 0}
    assert import_sample(name).counts == {"new": 0, "updated": 0, "unchanged": rows,
                                          "invalid": 0}


def customer(external_id: str):
    return get_customer(resolve_alias(external_id).id)


def test_every_preset_has_a_sample_and_every_sample_a_preset():
    assert {p.name for p in SAMPLES.glob("*.csv")} == set(PRESET_OF)
    assert set(PRESET_OF.values()) == set(PRESETS) - {"customer_desk"}


@pytest.mark.parametrize(("name", "preset"), PRESET_OF.items())
def test_detection_picks_the_samples_preset_and_says_why(name, preset):
    found = detect(read_table(SAMPLES / name)[0])
    assert found.preset == preset
    assert found.reason.startswith(f"{PRESETS[preset]}: the file has its columns")


def test_hubspot_companies_with_their_parent_and_countries_as_typed():
    """Companies carry no billing contact and no currency: each takes its country's."""
    imported_twice("hubspot-companies.csv", 10)
    parent, canada = customer("5318008101"), customer("5318008102")
    assert (parent.country, parent.state, parent.address_line2) == ("US", "US-CA", "Suite 300")
    assert (canada.name, canada.country, canada.state, canada.currency) == (
        "Northwind Traders Canada", "CA", "CA-ON", "CAD")
    assert canada.parent_id == parent.id and canada.primary_contact is None
    assert [(a.system, a.value) for a in canada.aliases] == [("hubspot", "5318008102")]
    assert customer("5318008110").parent_id == customer("5318008104").id
    assert customer("5318008110").country == "DE"  # "DEU"
    assert customer("5318008105").country == "GB"  # "UK"
    assert customer("5318008106").country == "US"  # "United States of America"
    assert customer("5318008101").phone == "+14155550142"


def test_salesforce_data_loader_accounts_with_streets_over_several_lines():
    imported_twice("salesforce-accounts-data-loader.csv", 9)
    tower = customer("001Dn00000Ab3xQIAR")
    assert [a.system for a in tower.aliases] == ["salesforce"]
    assert (tower.address_line1, tower.address_line2, tower.state, tower.country) == (
        "1 Market Street", "Spear Tower, Floor 36", "US-CA", "US")
    cargo = customer("001Dn00000Ab4k2IAB")
    assert cargo.parent_id == tower.id
    assert (cargo.shipping_state, cargo.shipping_country) == ("US-NY", "US")
    toronto = customer("001Dn00000Ab7t4IAH")
    assert (toronto.address_line2, toronto.state, toronto.currency) == (
        "Suite 5700, P.O. Box 15", "CA-ON", "CAD")
    assert customer("001Dn00000AbBe5IAX").country == "US"  # "U.S."


def test_a_salesforce_report_in_windows_1252():
    imported_twice("salesforce-accounts-report.csv", 8)
    quebec = customer("0017R00002mPa2SQAS")
    assert (quebec.name, quebec.city, quebec.state, quebec.address_line2) == (
        "Société Générale Québec", "Montréal", "CA-QC", "Bureau 2500")
    assert customer("0017R00002mPb3TQAU").parent_id == quebec.id
    assert (customer("0017R00002mPc4UQAW").state, customer("0017R00002mPd5VQAY").country) == (
        "DE-BY", "GB")


def test_chargebee_customers_with_blank_lines_and_people_without_a_company():
    imported_twice("chargebee-customers.csv", 8)
    person = customer("AzZTbGTaQ1sXk2Bl")
    assert (person.name, person.country, person.state, person.payment_terms_days) == (
        "Noah Berger", "DE", "DE-BE", 0)
    assert person.primary_contact.email == "noah.berger@mail.example"
    litware = customer("AzZTbGTaQ1sXk2Bm")
    assert (litware.name, litware.tax_id, litware.payment_terms_days, litware.currency) == (
        "Litware SAS", "FR40303265045", 45, "EUR")
    assert customer("AzZTbGTaQ1sXk2Bo").state == "US-NY"


def test_chargebee_bulk_format_with_semicolons():
    imported_twice("chargebee-customers-bulk.csv", 8)
    ada = customer("cbdemo_ada")
    assert (ada.name, ada.address_line2, ada.invoice_language, ada.tax_id, ada.state) == (
        "Fabrikam AG", "Aufgang B", "de_DE", "DE136695976", "DE-BE")
    assert customer("cbdemo_clara").name == "Clara Moreno"
    assert customer("cbdemo_grace").payment_terms_days == 60


def test_lago_customers_with_legal_names_and_individuals():
    imported_twice("lago-customers.csv", 8)
    hooli = customer("5eb02857-a71e-4ea2-bcf9-57d3a41bc6ba")
    assert (hooli.name, hooli.business_name, hooli.payment_terms_days, hooli.state,
            hooli.timezone, hooli.invoice_language) == (
        "Hooli", "Hooli XYZ, Inc.", 30, "US-CA", "America/Los_Angeles", "en")
    monica = customer("lago_cust_0003")
    assert (monica.name, monica.customer_type, monica.address_line2) == (
        "Monica Hall", "individual", "Apt 4B")
    assert customer("lago_cust_0004").primary_contact.first_name == "Laurie"
    assert [a.system for a in monica.aliases] == ["lago"]


def test_stripe_customers_with_their_default_cards():
    imported_twice("stripe-customers.csv", 8)
    northwind = customer("cus_NffrFeUfNV2Hib")
    assert (northwind.currency, northwind.state, northwind.business_name) == (
        "USD", "US-CA", "Northwind Traders, Inc.")
    (card,) = list_payment_methods(northwind.id)
    assert method_label(card) == "Visa •••• 4242 · 08/27"
    assert list_payment_methods(customer("cus_NffrKq2bW0pQ1a").id) == []


def test_the_command_line_detects_the_preset_and_says_why(capsys):
    assert main([str(SAMPLES / "lago-customers.csv"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith('Preset: Lago customers: the file has its columns "external_id", '
                          '"legal_name"')
    assert "8 new" in out
    assert main([str(SAMPLES / "lago-customers.csv"), "--preset", "customer_desk",
                 "--dry-run"]) == 0
    assert "Preset:" not in capsys.readouterr().out


def test_the_command_line_imports_a_crm_export_whose_rows_take_their_countrys_currency(
        capsys):
    assert main([str(SAMPLES / "hubspot-companies.csv"), "--mode", "valid_only"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Preset: HubSpot companies export: ")
    assert "10 new, 0 updated, 0 unchanged, 0 invalid" in out
    assert "10 rows took their Billing Currency from their Country" in out
