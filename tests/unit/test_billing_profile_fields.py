"""The billing profile's fields (issue #15): customer type, tax exemption, invoice language,
timezone and grace period, shipping address and phones, through the services on both
databases."""

from decimal import Decimal

import pytest

from models import sections as S
from services.bulk import bulk_update
from services.contacts import add_contact
from services.customers import get_customer, update_section
from services.errors import ValidationError
from services.legal_entities import create_legal_entity
from tests.unit.factories import ACTOR, customer_history, make_customer

pytestmark = pytest.mark.usefixtures("database")


def refused(call, *args, **kwargs) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value.errors


def save(customer, section, values):
    return update_section(customer.id, section, values, version=customer.version, actor=ACTOR)


def test_a_new_customer_is_a_company_without_exemption_shipping_to_its_billing_address():
    customer = make_customer()
    assert (customer.customer_type, customer.tax_exemption, customer.shipping_same_as_billing,
            customer.invoice_grace_days, customer.tax_id_status) == (
        "company", "none", True, 0, "not_checked")


def test_language_and_timezone_default_from_the_country():
    german = make_customer()
    assert (german.invoice_language, german.timezone) == ("de_DE", "Europe/Berlin")
    american = make_customer(name="Power Inc", country="US", currency="USD", state="CA",
                             city="Sacramento", tax_rate="0", external_ids=[])
    assert american.invoice_language == "en_US"
    assert american.timezone is None  # several clocks: nobody guesses which
    chosen = make_customer(name="Chosen", invoice_language="fr-CA", timezone="europe/paris",
                           external_ids=[])
    assert (chosen.invoice_language, chosen.timezone) == ("fr_CA", "Europe/Paris")


def test_an_individual_has_no_business_name():
    errors = refused(make_customer, customer_type="Individual", business_name="Ada Ltd")
    assert errors == {"business_name": "Business Name applies only when Customer Type is "
                                       "Company: leave it empty, or set Customer Type first."}
    person = make_customer(customer_type="individual", external_ids=[])
    assert person.customer_type == "individual" and person.business_name is None


def test_a_company_with_a_business_name_becomes_an_individual_only_once_it_is_cleared():
    customer = make_customer(business_name="Acme Analytics")
    errors = refused(save, customer, S.BUSINESS_INFORMATION, {"customer_type": "individual"})
    assert "Business Name applies only when Customer Type is Company" in errors["business_name"]
    assert get_customer(customer.id).customer_type == "company"
    person = save(customer, S.BUSINESS_INFORMATION,
                  {"customer_type": "individual", "business_name": ""})
    assert (person.customer_type, person.business_name) == ("individual", None)


def test_an_exempt_customer_states_why_and_its_tax_rate_reads_zero():
    customer = make_customer()  # Tax Rate 19
    errors = refused(save, customer, S.TAX_SETTINGS, {"tax_exemption": "exempt"})
    assert errors == {"tax_exemption_reason": "Exemption Reason is required when the customer "
                                              "is tax exempt."}
    exempt = save(customer, S.TAX_SETTINGS, {"tax_exemption": "Exempt",
                                             "tax_exemption_reason": "Charity (§ 4 UStG)",
                                             "tax_exemption_certificate": "EX-2026-17"})
    assert (exempt.tax_exemption, exempt.tax_rate) == ("exempt", Decimal("0.00"))
    assert customer_history(customer.id)[0].changes["tax_rate"] == ["19.00", "0.00"]
    errors = refused(save, exempt, S.TAX_SETTINGS, {"tax_rate": "7"})
    assert errors == {"tax_rate": "Tax Rate must be 0 for a tax-exempt customer."}


def test_a_new_exempt_customer_with_a_rate_is_refused_naming_the_rate():
    errors = refused(make_customer, tax_exemption="exempt", tax_exemption_reason="Charity")
    assert errors == {"tax_rate": "Tax Rate must be 0 for a tax-exempt customer."}


def test_ending_an_exemption_empties_its_reason_and_certificate():
    customer = make_customer(tax_rate="0", tax_exemption="exempt",
                             tax_exemption_reason="Charity", tax_exemption_certificate="EX-1")
    ended = save(customer, S.TAX_SETTINGS, {"tax_exemption": "none"})
    assert (ended.tax_exemption_reason, ended.tax_exemption_certificate) == (None, None)
    errors = refused(save, ended, S.TAX_SETTINGS, {"tax_exemption_reason": "Charity"})
    assert "Exemption Reason applies only when Tax Exemption is Exempt or Reverse charge" in (
        errors["tax_exemption_reason"])


def test_a_shipping_address_of_its_own_is_complete_and_its_state_is_checked():
    customer = make_customer()
    errors = refused(save, customer, S.SHIPPING_ADDRESS,
                     {"shipping_same_as_billing": False, "shipping_city": "Paris"})
    assert set(errors) == {"shipping_country", "shipping_address_line1"}
    errors = refused(save, customer, S.SHIPPING_ADDRESS, {
        "shipping_same_as_billing": False, "shipping_country": "US", "shipping_city": "Reno",
        "shipping_address_line1": "1 Main St", "shipping_state": "Bavaria"})
    assert "subdivisions of United States" in errors["shipping_state"]
    shipped = save(customer, S.SHIPPING_ADDRESS, {
        "shipping_same_as_billing": "no", "shipping_country": "US", "shipping_city": "Reno",
        "shipping_address_line1": "1 Main St", "shipping_state": "nv"})
    assert (shipped.shipping_country, shipped.shipping_state) == ("US", "US-NV")


def test_shipping_fields_are_refused_while_the_billing_address_is_used():
    customer = make_customer()
    errors = refused(save, customer, S.SHIPPING_ADDRESS, {"shipping_same_as_billing": True,
                                                          "shipping_city": "Reno"})
    assert errors == {"shipping_city": "Shipping City applies only when Same as billing address "
                                       "is No: leave it empty, or set Same as billing address "
                                       "first."}


def test_a_shipping_address_given_alone_is_one_of_its_own():
    customer = make_customer(shipping_country="US", shipping_city="Reno",
                             shipping_address_line1="1 Main St", external_ids=[])
    assert (customer.shipping_same_as_billing, customer.shipping_city) == (False, "Reno")


def test_turning_same_as_billing_on_empties_the_shipping_address_in_history():
    customer = make_customer()
    shipped = save(customer, S.SHIPPING_ADDRESS, {
        "shipping_same_as_billing": False, "shipping_country": "FR", "shipping_city": "Paris",
        "shipping_address_line1": "1 rue de Rivoli"})
    same = save(shipped, S.SHIPPING_ADDRESS, {"shipping_same_as_billing": True})
    assert (same.shipping_country, same.shipping_city) == (None, None)
    assert customer_history(customer.id)[0].changes["shipping_city"] == ["Paris", None]


def test_phones_are_stored_in_e164():
    customer = make_customer(phone="0049 30 901820")
    assert customer.phone == "+4930901820"
    errors = refused(save, customer, S.BUSINESS_INFORMATION, {"phone": "030 901820"})
    assert errors == {"phone": "Phone must start with its country code, such as "
                               "+49 30 901820."}
    updated = add_contact(customer.id, {"email": "cfo@acme.example", "phone": "+44 20 7946 0958",
                                        "job_title": "Head of Finance"},
                          version=customer.version, actor=ACTOR)
    contact = next(c for c in updated.contacts if c.email == "cfo@acme.example")
    assert (contact.phone, contact.job_title) == ("+442079460958", "Head of Finance")
    assert refused(add_contact, customer.id, {"email": "x@acme.example", "phone": "12"},
                   version=updated.version, actor=ACTOR) == {
        "phone": "Phone must start with its country code, such as +49 30 901820."}


def test_grace_period_is_whole_days_up_to_a_year():
    customer = make_customer()
    assert save(customer, S.BUSINESS_INFORMATION,
                {"invoice_grace_days": "3 days"}).invoice_grace_days == 3
    errors = refused(save, get_customer(customer.id), S.BUSINESS_INFORMATION,
                     {"invoice_grace_days": "400"})
    assert errors == {"invoice_grace_days": "Invoice Grace Period must be between 0 and 365 "
                                            "days."}


def test_reverse_charge_needs_a_tax_id():
    customer = make_customer()
    errors = refused(save, customer, S.TAX_SETTINGS, {"tax_exemption": "reverse_charge"})
    assert errors == {"tax_id": "Tax ID / VAT number is required for reverse charge: the "
                                "customer accounts for the tax under it."}


@pytest.fixture
def german_entity():
    return create_legal_entity({"name": "Meterly GmbH", "country": "DE"}, actor=ACTOR)


def test_reverse_charge_needs_a_tax_id_of_another_country_than_the_entity(german_entity):
    errors = refused(make_customer, legal_entity_id=german_entity.id,
                     tax_id="DE136695976", tax_exemption="reverse_charge", tax_rate="0")
    assert errors == {"tax_exemption": "Reverse charge needs a Tax ID of another country than "
                                       "the legal entity's (Germany); this customer's Tax ID "
                                       "is of Germany."}
    french = make_customer(name="Exemple SA", country="FR", tax_country="FR", state=None,
                           tax_id="FR40303265045", tax_exemption="reverse_charge", tax_rate="0",
                           legal_entity_id=german_entity.id, external_ids=["fr-1"])
    assert french.tax_exemption == "reverse_charge"
    errors = refused(save, french, S.TAX_SETTINGS, {"tax_country": "DE",
                                                    "tax_id": "DE136695976"})
    assert "another country than the legal entity's (Germany)" in errors["tax_exemption"]


def test_moving_reverse_charge_customers_home_in_bulk_is_refused(german_entity):
    french_entity = create_legal_entity({"name": "Meterly SAS", "country": "FR"}, actor=ACTOR)
    french = make_customer(name="Exemple SA", country="FR", tax_country="FR", state=None,
                           tax_id="FR40303265045", tax_exemption="reverse_charge", tax_rate="0",
                           legal_entity_id=german_entity.id, external_ids=["fr-1"])
    with pytest.raises(ValidationError) as caught:
        bulk_update({french.id: french.version}, "set_legal_entity", french_entity.id,
                    actor=ACTOR)
    assert "1 of the selected customers is reverse charge" in caught.value.errors[
        "legal_entity_id"]
    assert get_customer(french.id).legal_entity_id == german_entity.id


def test_a_phone_longer_than_e164_allows_is_refused_not_cut_by_the_database():
    """libphonenumber calls this 16-digit German number valid; the column holds E.164's
    15 digits, so PostgreSQL would refuse the write."""
    errors = refused(make_customer, phone="+49 70575519548925")
    assert errors == {"phone": "Phone has more than the 15 digits a phone number may have."}
