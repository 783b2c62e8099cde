"""No card number is stored anywhere: the rule that finds one, and every kind of text the
product stores refusing it with a message naming the field (the customer fields in every
path: tests/unit/test_hostile_input.py, test_hostile_import.py and the API's)."""

import re

import pytest
from sqlmodel import SQLModel

from models import sections as S
from models.catalogue import by_key
from models.fields import FieldSpec
from models.kinds import TYPED, Kind
from services import custom_fields as cf
from services.aliases import add_alias
from services.api_keys import create_api_key
from services.card_numbers import card_spans, holds_card_number, mask
from services.cleaners import CARD_SEARCH, FieldError, clean_value
from services.contacts import add_contact
from services.customers import get_customer, update_section
from services.errors import ValidationError
from services.legal_entities import create_legal_entity
from services.roles import grant_role
from services.saved_views import save_view
from tests.unit.factories import ACTOR, make_customer

CARD = "card numbers must not be stored here"


@pytest.mark.parametrize("text", [
    "4242 4242 4242 4242",
    "4242-4242-4242-4242",
    "4111111111111111",
    "Please charge 4111 1111 1111 1111 monthly",
    "4222222222222",  # 13 digits
    "4242424242424242428",  # 19 digits
    "378282246310005",  # American Express, 15 digits
    "3782 822463 10005",  # as American Express groups it
    "4242 4242 4242 4242 12 27 123",  # with expiry and CVC
    "cvc 123 4242424242424242",
    "３７８２８２２４６３１０００５",  # full-width digits
    "+4242 4242 4242 4242",  # 16 digits: more than a phone number has
])
def test_card_numbers_are_found(text):
    assert holds_card_number(text)
    assert holds_card_number(text, brands_only=True)


@pytest.mark.parametrize("text", [
    "4242 4242 4242 4241",  # fails the Luhn check
    "4111111111111112",
    "424242424242",  # 12 digits
    "42424242424242424242",  # 20 digits
    "4242  4242  4242  4242",  # two spaces: not one run
    "9400 1000 0000 0000 0000 00",  # a parcel tracking number holding no brand's number
    "BE70 5755 1954 8925",  # a valid IBAN whose digits pass the Luhn check
    "+4915324731277",  # a phone number in international format, passing the check too
    "12345678-1234-1234-1234-123456789012",
    "Friedrichstraße 1, 10117 Berlin",
])
def test_look_alikes_are_not_card_numbers(text):
    assert not holds_card_number(text)


@pytest.mark.parametrize("identifier", [
    "1790000078698198463",  # a 19-digit snowflake ID passing the Luhn check
    "6819245435612",  # a 13-digit shop customer number passing it
])
def test_numeric_ids_count_only_as_a_brands_number(identifier):
    assert holds_card_number(identifier)
    assert not holds_card_number(identifier, brands_only=True)


# Typed kinds whose values cannot hold a card number: anything else must be searched.
CANNOT_HOLD_ONE = {Kind.COUNTRY, Kind.CURRENCY, Kind.PERCENT, Kind.PAYMENT_TERMS, Kind.BOOL,
                   Kind.INVOICING_FLOW, Kind.LEGAL_ENTITY, Kind.DATE, Kind.CHOICE,
                   Kind.MULTI_CHOICE, Kind.CUSTOMER_TYPE, Kind.TAX_EXEMPTION, Kind.LANGUAGE,
                   Kind.TIMEZONE, Kind.DAYS,  # a choice is one of its options
                   Kind.PHONE,  # E.164: at most 15 digits after "+", and not a card's
                   Kind.CUSTOMER}  # a customer's ID: at most 10 digits


def test_every_typed_kind_is_searched_for_card_numbers_or_cannot_hold_one():
    assert set(TYPED) - CANNOT_HOLD_ONE == set(CARD_SEARCH)


def test_a_payment_method_reference_is_searched_as_an_identifier():
    """Adyen's stored payment method IDs are 16-digit numbers; 1 in 10 passes the Luhn
    check, none is a card brand's number."""
    reference = FieldSpec(key="reference", label="Method reference", kind=Kind.TEXT,
                          section=None, help="", model="PaymentMethod", attr="reference")
    adyen_id = "8314442372419166"
    assert holds_card_number(adyen_id)
    assert clean_value(reference, adyen_id) == adyen_id
    with pytest.raises(FieldError, match=f"Method reference: {CARD}"):
        clean_value(reference, "4242424242424242")


def test_a_card_number_padded_past_the_fields_length_is_still_refused():
    """Padding is trimmed before the length is judged, so it cannot hide a card number."""
    with pytest.raises(FieldError, match=f"Address Line 1: {CARD}"):
        clean_value(by_key()["address_line1"], "4242 4242 4242 4242" + " " * 20_000)


def test_no_table_has_a_column_for_a_card_number_or_its_security_code():
    names = [f"{t.name}.{c.name}" for t in SQLModel.metadata.tables.values() for c in t.columns]
    held = [n for n in names if re.search(r"cvc|cvv|security_code|card_number|\.pan$", n)]
    assert names and not held, held


def test_a_masked_card_number_keeps_its_last_four_digits_only():
    assert mask("pay with 4242 4242 4242 4242 12 27") == "pay with •••• •••• •••• 4242 12 27"
    assert mask("no card 4242 4242 4242 4241") == "no card 4242 4242 4242 4241"
    assert card_spans(mask("4111111111111111")) == []


def refused(call, field: str, label: str) -> None:
    with pytest.raises(ValidationError) as caught:
        call()
    assert CARD in caught.value.errors[field], caught.value.errors
    assert caught.value.errors[field].startswith(label), caught.value.errors
    assert "4242" not in str(caught.value).replace("•••• 4242", "")


@pytest.mark.usefixtures("database")
def test_profile_sections_contacts_and_external_ids_refuse_card_numbers():
    customer = make_customer()
    version = customer.version
    refused(lambda: update_section(customer.id, S.BILLING_ADDRESS,
                                   {"address_line2": "Card 4242 4242 4242 4242"},
                                   version=version, actor=ACTOR),
            "address_line2", "Address Line 2")
    refused(lambda: add_contact(customer.id, {"email": "ap@acme.example",
                                              "last_name": "4111-1111-1111-1111"},
                                actor=ACTOR, version=version),
            "last_name", "Last Name")
    refused(lambda: add_alias(customer.id, "4242424242424242", actor=ACTOR, version=version),
            "external_ids", "External ID")
    after = get_customer(customer.id)
    assert after.version == version and after.address_line2 is None
    assert len(after.contacts) == 1 and [a.value for a in after.aliases] == ["acme-001"]
    add_alias(customer.id, "1790000078698198463", actor=ACTOR, version=version)


@pytest.mark.usefixtures("database")
def test_custom_fields_refuse_card_numbers_in_values_and_definitions():
    cf.add_custom_field({"key": "notes", "label": "Notes", "kind": "long_text"}, actor=ACTOR)
    cf.add_custom_field({"key": "ref", "label": "Reference", "kind": "integer"}, actor=ACTOR)
    customer = make_customer()
    refused(lambda: update_section(customer.id, S.BUSINESS_INFORMATION,
                                   {"cf_notes": "Line one\nCard: 4242 4242 4242 4242"},
                                   version=customer.version, actor=ACTOR),
            "cf_notes", "Notes")
    refused(lambda: update_section(customer.id, S.BUSINESS_INFORMATION,
                                   {"cf_ref": "378282246310005"},
                                   version=customer.version, actor=ACTOR),
            "cf_ref", "Reference")
    update_section(customer.id, S.BUSINESS_INFORMATION, {"cf_ref": "681924543561"},
                   version=customer.version, actor=ACTOR)
    for values, field, label in (
            ({"key": "a", "label": "4242 4242 4242 4242", "kind": "text"}, "label", "Label"),
            ({"key": "b", "label": "B", "kind": "text", "help": "e.g. 4111111111111111"},
             "help", "Help text"),
            ({"key": "c", "label": "C", "kind": "choice", "options": ["x", "4111111111111111"]},
             "options", "Options")):
        refused(lambda v=values: cf.add_custom_field(v, actor=ACTOR), field, label)
    assert [d.key for d in cf.definitions()] == ["notes", "ref"]


@pytest.mark.usefixtures("database")
def test_names_of_entities_views_keys_and_grants_refuse_card_numbers():
    number = "4242 4242 4242 4242"
    refused(lambda: create_legal_entity(f"Acme {number}", actor=ACTOR), "name", "Legal Entity Name")
    refused(lambda: save_view(number, {}, actor=ACTOR), "name", "View name")
    refused(lambda: save_view("Card search", {"q": number, "country": ["DE"]}, actor=ACTOR),
            "state", "Search and filters")
    refused(lambda: create_api_key(number, "viewer", actor=ACTOR), "name", "Key name")
    refused(lambda: grant_role(f"{number.replace(' ', '')}@acme.example", "viewer",
                               actor=ACTOR), "subject", "Email or domain")

