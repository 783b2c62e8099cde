"""Rules across a customer's fields, without a database: addresses, states, tax IDs, the
managed tax rate and column defaults."""

from decimal import Decimal

import pytest

from services.field_rules import apply_defaults, cross_field_errors, tax_rate_lock_errors


def test_an_address_needs_its_first_line_and_city():
    errors = cross_field_errors({"postal_code": "10117", "country": "DE"}, {"postal_code"})
    assert errors == {"address_line1": "Address Line 1 is required when an address is given.",
                      "city": "City is required when an address is given."}


def test_a_state_of_a_country_with_subdivisions_is_stored_as_its_code():
    values = {"address_line1": "1 Market St", "city": "San Francisco", "country": "US",
              "state": "California"}
    assert cross_field_errors(values, {"state"}) == {}
    assert values["state"] == "US-CA"
    values["state"] = "Atlantis"
    assert "subdivisions of United States" in cross_field_errors(values, {"state"})["state"]


def test_a_state_in_a_country_without_subdivisions_is_free_text():
    values = {"address_line1": "1 Way", "city": "Town", "country": "AQ", "state": "East"}
    assert cross_field_errors(values, {"state"}) == {} and values["state"] == "East"


@pytest.mark.parametrize(("country", "typed", "stored"), [
    ("DE", "de 136 695 976", "DE136695976"), ("DE", "136695976", "DE136695976"),
    ("GR", "094259216", "EL094259216"), ("GR", "el 094 259 216", "EL094259216"),
    ("AQ", "any id 7", "any id 7")])
def test_a_tax_id_is_checked_and_normalised_by_its_country(country, typed, stored):
    values = {"country": country, "tax_id": typed}
    assert cross_field_errors(values, {"tax_id"}) == {}
    assert values["tax_id"] == stored


@pytest.mark.parametrize(("country", "typed", "fragment"), [
    ("DE", "DE136695977", "not a valid tax ID for Germany"),
    ("DE", "FR40303265045", "not a VAT number of Germany"),
    ("GR", "094259217", "not a valid tax ID for Greece")])
def test_a_wrong_tax_id_is_refused_naming_the_country(country, typed, fragment):
    assert fragment in cross_field_errors({"country": country, "tax_id": typed},
                                          {"tax_id"})["tax_id"]


def test_the_tax_country_decides_over_the_billing_country():
    values = {"country": "US", "tax_country": "DE", "tax_id": "136695976"}
    assert cross_field_errors(values, {"tax_id"}) == {} and values["tax_id"] == "DE136695976"


def test_rules_run_only_for_what_changed():
    assert cross_field_errors({"country": "DE", "tax_id": "nonsense"}, {"name"}) == {}


def test_a_managed_tax_rate_cannot_be_changed_but_may_be_sent_unchanged():
    before = {"tax_rate": Decimal("19.00")}
    assert "managed by the tax integration" in tax_rate_lock_errors(
        before, {"tax_rate": Decimal("7")}, locked=True)["tax_rate"]
    assert tax_rate_lock_errors(before, {"tax_rate": Decimal("19.00")}, locked=True) == {}
    assert tax_rate_lock_errors(before, {"tax_rate": Decimal("7")}, locked=False) == {}


def test_blank_values_of_columns_that_cannot_be_empty_take_their_default():
    values = apply_defaults({"payment_terms_days": None, "invoicing_flow": None,
                             "auto_pay": None, "tax_rate": None, "legal_entity_id": None,
                             "business_name": None})
    assert values == {"payment_terms_days": 30, "invoicing_flow": "customer_desk",
                      "auto_pay": False, "tax_rate": Decimal("0.00"), "legal_entity_id": None,
                      "business_name": None}
