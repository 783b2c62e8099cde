"""Values as other systems write them, read by the kinds' cleaners (form, API and import
alike) and by the import's shaping of a mapped row, without a database."""

import pytest

from models.fields import FieldSpec
from models.kinds import Kind
from services.cleaners import FieldError, clean_value
from services.field_rules import normalise_state
from services.imports.shaping import shape


def spec(kind: Kind) -> FieldSpec:
    return FieldSpec(key="f", label="The Field", kind=kind, section="s", help="", model="M",
                     attr="f")


@pytest.mark.parametrize(("written", "code"), [
    ("United States", "US"), ("USA", "US"), ("US", "US"), ("us", "US"), ("U.S.", "US"),
    ("United States of America", "US"), ("UK", "GB"), ("United Kingdom", "GB"),
    ("GBR", "GB"), ("Great Britain", "GB"), ("DEU", "DE"), ("germany", "DE"),
    ("Viet Nam", "VN"), ("Vietnam", "VN"), ("South Korea", "KR"), ("Czech Republic", "CZ"),
    ("Türkiye", "TR"), ("Turkey", "TR"), ("Russia", "RU"), ("Canada", "CA"),
])
def test_a_country_is_read_by_its_name_its_codes_and_its_common_forms(written, code):
    assert clean_value(spec(Kind.COUNTRY), written) == code


def test_an_unknown_country_is_still_refused():
    with pytest.raises(FieldError, match="ISO 3166-1"):
        clean_value(spec(Kind.COUNTRY), "Narnia")


@pytest.mark.parametrize(("country", "written", "code"), [
    ("US", "California", "US-CA"), ("US", "CA", "US-CA"), ("US", "new york", "US-NY"),
    ("US", "US-TX", "US-TX"), ("CA", "Québec", "CA-QC"), ("CA", "Quebec", "CA-QC"),
    ("CA", "ON", "CA-ON"), ("DE", "Bayern", "DE-BY"), ("DE", "BE", "DE-BE"),
])
def test_a_state_name_or_code_becomes_its_iso_3166_2_code(country, written, code):
    assert normalise_state(country, written, "State") == code


@pytest.mark.parametrize(("written", "days"), [
    ("Net 30", 30), ("NET30", 30), ("net_30", 30), ("Net-45", 45), ("30", 30), (30, 30),
    ("30 days", 30), ("Due on receipt", 0), ("due upon receipt", 0), ("DUE_ON_RECEIPT", 0),
    ("Net 0", 0), ("60.0", 60),
])
def test_payment_terms_as_billing_systems_write_them(written, days):
    assert clean_value(spec(Kind.PAYMENT_TERMS), written) == days


@pytest.mark.parametrize("written", ["soon", "Net thirty", "net_", "30 weeks"])
def test_payment_terms_that_say_no_number_of_days_are_refused(written):
    with pytest.raises(FieldError, match="Net 30"):
        clean_value(spec(Kind.PAYMENT_TERMS), written)


@pytest.mark.parametrize(("written", "value"), [
    ("true", True), ("false", False),  # HubSpot, Salesforce Data Loader, Stripe, Lago
    ("1", True), ("0", False),  # a Salesforce report's checkbox
    ("on", True), ("off", False),  # Chargebee
    ("Yes", True), ("No", False),  # our own export
])
def test_booleans_as_each_system_writes_them(written, value):
    assert clean_value(spec(Kind.BOOL), written) is value


def test_chargebee_taxability_taxable_is_no_exemption():
    assert clean_value(spec(Kind.TAX_EXEMPTION), "taxable") == "none"
    assert clean_value(spec(Kind.TAX_EXEMPTION), "exempt") == "exempt"


def shaped(values: dict, mapped=("name",)) -> dict:
    shape(values, set(mapped) | set(values))
    return values


def test_a_street_over_two_lines_fills_address_lines_1_and_2():
    assert shaped({"address_line1": "1 Market Street\nSpear Tower, Floor 36"}) == {
        "address_line1": "1 Market Street", "address_line2": "Spear Tower, Floor 36"}


def test_further_lines_and_the_files_own_line_2_follow_in_address_line_2():
    values = shaped({"address_line1": "100 King St W\r\n Suite 5700 \r\n\r\nPO Box 15",
                     "address_line2": "Attn: Accounts"})
    assert values == {"address_line1": "100 King St W",
                      "address_line2": "Suite 5700, PO Box 15, Attn: Accounts"}


def test_the_shipping_street_is_split_too_and_one_line_is_left_alone():
    values = shaped({"shipping_address_line1": "JFK Building 75\rDock 4",
                     "address_line1": "350 Fifth Avenue"})
    assert values == {"shipping_address_line1": "JFK Building 75",
                      "shipping_address_line2": "Dock 4", "address_line1": "350 Fifth Avenue"}


def test_a_row_without_a_company_is_named_after_its_person():
    values = shaped({"name": "", "primary_contact_first_name": "Noah",
                     "primary_contact_last_name": "Berger"})
    assert values["name"] == "Noah Berger"
    assert shaped({"primary_contact_last_name": "Hall"})["name"] == "Hall"


def test_a_company_keeps_its_name_and_a_file_without_a_name_column_renames_no_one():
    named = shaped({"name": "Litware SAS", "primary_contact_first_name": "Chloé"})
    assert named["name"] == "Litware SAS"
    values = {"primary_contact_first_name": "Chloé"}
    shape(values, {"primary_contact_first_name"})
    assert "name" not in values


@pytest.mark.parametrize(("country", "written", "e164"), [
    ("United States", "(415) 555-0142", "+14155550142"),
    ("DE", "030 901820", "+4930901820"),
    ("GB", "+44 20 7946 0958", "+44 20 7946 0958"),
])
def test_a_phone_without_its_country_code_is_read_in_the_rows_country(country, written,
                                                                       e164):
    assert shaped({"country": country, "phone": written})["phone"] == e164


def test_a_phone_is_left_as_written_without_a_country_or_when_it_is_no_number_there():
    assert shaped({"phone": "(415) 555-0142"})["phone"] == "(415) 555-0142"
    assert shaped({"country": "Atlantis", "phone": "555"})["phone"] == "555"
    assert shaped({"country": "US", "phone": "12"})["phone"] == "12"
