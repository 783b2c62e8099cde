from decimal import Decimal

import pytest
from sqlmodel import func, select

from models import AuditEvent, Customer
from models import sections as S
from models.choices import DEFAULT_LEGAL_ENTITY_NAME
from services.access import AccessDenied
from services.customers import create_customer, get_customer, update_section
from services.db import read_session
from services.errors import NotFoundError, ValidationError
from services.legal_entities import create_legal_entity
from tests.unit.factories import ACTOR, customer_history, customer_input, make_customer

pytestmark = pytest.mark.usefixtures("database")


def count(model) -> int:
    with read_session() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def assert_refused(field: str, fragment: str, **overrides) -> ValidationError:
    """The create is refused naming `field`, and nothing at all is written."""
    before = (count(Customer), count(AuditEvent))
    with pytest.raises(ValidationError) as caught:
        make_customer(**overrides)
    assert field in caught.value.errors, caught.value.errors
    assert fragment in caught.value.errors[field]
    assert (count(Customer), count(AuditEvent)) == before
    return caught.value


def test_create_stores_customer_primary_contact_and_aliases():
    customer = make_customer(external_ids=["acme-001", "cus_9x"])
    loaded = get_customer(customer.id)
    assert loaded.name == "Acme Analytics GmbH"
    assert loaded.currency == "EUR"
    assert loaded.legal_entity.name == DEFAULT_LEGAL_ENTITY_NAME
    assert [a.value for a in loaded.aliases] == ["acme-001", "cus_9x"]
    (contact,) = loaded.contacts
    assert contact.is_primary and contact.email == "billing@acme.example"
    assert contact.full_name == "Ada Lovelace"
    assert loaded.version == 1
    assert loaded.status == "active"


def test_create_uses_defaults_of_design():
    customer = make_customer(tax_rate=None, address_line1=None, city=None, state=None,
                             postal_code=None)
    assert customer.payment_terms_days == 30
    assert customer.invoicing_flow == "customer_desk"
    assert customer.auto_pay is False
    assert customer.tax_rate == Decimal("0.00")
    assert str(customer.tax_rate) == "0.00"


def test_create_is_audited_with_actor_and_values():
    customer = make_customer()
    (event,) = customer_history(customer.id)
    assert event.actor == ACTOR.email
    assert event.action == "customer.created"
    assert event.changes["name"] == [None, "Acme Analytics GmbH"]
    assert event.changes["tax_rate"] == [None, "19.00"]
    assert event.changes["external_ids"] == [None, ["Other · acme-001"]]


@pytest.mark.parametrize("typed", ["8.875", Decimal("8.875"), 8.875, "8.8750"])
def test_tax_rate_round_trips_exactly(typed):
    customer = make_customer(tax_rate=typed)
    stored = get_customer(customer.id).tax_rate
    assert stored == Decimal("8.875")
    assert str(stored) == "8.875"


def test_tax_rate_with_four_places_is_kept_exactly():
    customer = make_customer(tax_rate="12.3456")
    assert str(get_customer(customer.id).tax_rate) == "12.3456"


def test_name_is_trimmed():
    assert make_customer(name="  Acme  ").name == "Acme"


@pytest.mark.parametrize("name", ["", "   ", None])
def test_name_is_required(name):
    assert_refused("name", "Customer Name is required", name=name)


def test_name_longer_than_200_is_refused():
    assert_refused("name", "at most 200", name="x" * 201)
    assert make_customer(name="x" * 200).name == "x" * 200


def test_email_is_validated():
    assert_refused("primary_contact_email", "Primary Contact Email is not a valid email",
                   primary_contact_email="not-an-email")


def test_email_is_required():
    assert_refused("primary_contact_email", "Primary Contact Email is required",
                   primary_contact_email="")


def test_email_is_normalised_without_dns():
    customer = make_customer(primary_contact_email="Billing@ACME.Example")
    assert customer.primary_contact.email == "Billing@acme.example"


@pytest.mark.parametrize("country", ["XX", "Germania", "DEUX"])
def test_country_must_be_a_country(country):
    assert_refused("country", "ISO 3166-1", country=country)


@pytest.mark.parametrize("country", ["DEU", "Federal Republic of Germany"])
def test_country_may_be_its_alpha3_code_or_official_name(country):
    assert make_customer(country=country).country == "DE"


def test_country_code_is_upper_cased():
    assert make_customer(country="de").country == "DE"


def test_country_may_be_named_as_the_app_shows_it():
    """Exports write "Germany" (with the code beside it): the name reads back as the code."""
    assert make_customer(country="germany").country == "DE"


@pytest.mark.parametrize("currency", ["EURO", "XYZ", "€"])
def test_currency_must_be_iso_4217(currency):
    assert_refused("currency", "ISO 4217", currency=currency)


def test_currency_is_required():
    assert_refused("currency", "Billing Currency is required", currency=None)


@pytest.mark.parametrize("typed", ["CA", "US-CA", "california"])
def test_state_becomes_the_subdivision_code(typed):
    customer = make_customer(country="US", currency="USD", state=typed, tax_rate="0")
    assert customer.state == "US-CA"


def test_state_not_a_subdivision_is_refused():
    assert_refused("state", "subdivisions of United States", country="US", currency="USD",
                   state="Narnia")


def test_state_is_free_text_where_country_has_no_subdivisions():
    assert make_customer(country="AQ", currency="USD", state="Ross Dependency").state == (
        "Ross Dependency"
    )


def test_address_needs_line1_and_city_when_any_part_is_given():
    error = assert_refused("address_line1", "Address Line 1 is required", address_line1="",
                           city="", postal_code="10117")
    assert "City is required" in error.errors["city"]


def test_address_may_be_left_out_entirely():
    customer = make_customer(address_line1=None, city=None, state=None, postal_code=None)
    assert customer.address_line1 is None


@pytest.mark.parametrize("rate, fragment", [
    ("150", "between 0 and 100"),
    ("-1", "between 0 and 100"),
    ("8.87501", "at most 4 decimal places"),
    ("abc", "must be a number"),
    ("NaN", "must be a number"),
    ("Infinity", "must be a number"),
])
def test_tax_rate_rules(rate, fragment):
    assert_refused("tax_rate", fragment, tax_rate=rate)


def test_tax_rate_bounds_are_allowed():
    assert make_customer(tax_rate="100").tax_rate == Decimal("100")
    assert make_customer(tax_rate="0", external_ids=[]).tax_rate == Decimal("0")


def test_vat_number_is_validated_and_normalised_for_the_country():
    customer = make_customer(tax_id="DE 136,695 976")
    assert customer.tax_id == "DE136695976"
    customer = make_customer(tax_id="136695976", external_ids=["b"])
    assert customer.tax_id == "DE136695976"


def test_invalid_vat_number_is_refused():
    assert_refused("tax_id", "not a valid tax ID for Germany", tax_id="DE136695977")


def test_vat_number_of_another_country_is_refused():
    assert_refused("tax_id", "not a VAT number of Germany", tax_id="FR40303265045")


def test_tax_country_takes_precedence_over_billing_country():
    customer = make_customer(tax_country="FR", tax_id="FR 40 303 265 045")
    assert customer.tax_id == "FR40303265045"


def test_a_customer_created_without_a_tax_country_gets_its_billing_country():
    customer = make_customer()
    assert (customer.country, customer.tax_country) == ("DE", "DE")
    assert customer_history(customer.id)[0].changes["tax_country"] == [None, "DE"]
    assert make_customer(name="Nowhere Ltd", country=None, currency="EUR", state=None,
                         external_ids=[], primary_contact_email="n@acme.example"
                         ).tax_country is None


def test_a_tax_country_emptied_later_stays_empty():
    customer = make_customer()
    updated = update_section(customer.id, S.TAX_SETTINGS, {"tax_country": None},
                             version=customer.version, actor=ACTOR)
    assert updated.tax_country is None
    moved = update_section(updated.id, S.BILLING_ADDRESS, {"country": "FR", "state": None},
                           version=updated.version, actor=ACTOR)
    assert moved.tax_country is None  # the billing country's rules apply: France's now


def test_tax_id_without_validator_is_stored_as_typed_trimmed():
    customer = make_customer(country="AQ", currency="USD", state=None, tax_id="  AQ-77/1 ")
    assert customer.tax_id == "AQ-77/1"


def test_alias_taken_by_another_customer_names_that_customer_under_its_row():
    holder = make_customer(name="First Corp", external_ids=["shared-id"])
    error = assert_refused("external_ids[1]", "First Corp", name="Second Corp",
                           external_ids=["own-id", "shared-id"])
    assert f"#{holder.id}" in error.errors["external_ids[1]"]
    assert set(error.errors) == {"external_ids[1]"}


@pytest.mark.parametrize("aliases, row, fragment", [
    (["x" * 256], 0, "at most 255"),
    (["a", "", "a"], 2, "listed twice"),
    (["ok", "bad\x00id"], 1, "control characters"),
])
def test_alias_rules_name_the_row(aliases, row, fragment):
    assert_refused(f"external_ids[{row}]", fragment, external_ids=aliases)


def test_external_ids_that_are_not_a_list_are_refused_as_a_whole():
    assert_refused("external_ids", "must be a list", external_ids={"a": 1})


def test_every_refusal_comes_in_one_pass_uniqueness_included():
    """A form typed wrong everywhere hears of every field at once, those the database
    refuses (an ID taken or looking like one taken, a legal entity that does not exist)
    with those refused by their kind or by a rule across fields; nothing is written."""
    holder = make_customer(name="Holder Inc", external_ids=["cus_ACME1", "crm-7"])
    error = assert_refused(
        "name", "Customer Name is required",
        name="", primary_contact_email="nope", currency="EURO", tax_rate="150",
        state="Narnia", tax_id="DE136695977", legal_entity_id=999,
        external_ids=["fresh-1", "crm-7", "CUS_ACME1", "fresh-1", "x" * 256])
    assert error.errors == {
        "name": "Customer Name is required.",
        "primary_contact_email": error.errors["primary_contact_email"],
        "currency": error.errors["currency"],
        "tax_rate": error.errors["tax_rate"],
        "state": error.errors["state"],
        "tax_id": error.errors["tax_id"],
        "legal_entity_id": "Legal Entity does not exist.",
        "external_ids[1]": f'External ID "crm-7" already belongs to customer Holder Inc '
                           f"(#{holder.id}).",
        "external_ids[2]": error.errors["external_ids[2]"],
        "external_ids[3]": 'External ID "fresh-1" is listed twice.',
        "external_ids[4]": error.errors["external_ids[4]"],
    }
    assert "not a valid email" in error.errors["primary_contact_email"]
    assert "ISO 4217" in error.errors["currency"]
    assert "between 0 and 100" in error.errors["tax_rate"]
    assert "subdivisions of Germany" in error.errors["state"]
    assert "not a valid tax ID for Germany" in error.errors["tax_id"]
    assert 'looks like "cus_ACME1"' in error.errors["external_ids[2]"]
    assert "at most 255" in error.errors["external_ids[4]"]


def test_a_field_refused_by_its_kind_is_not_also_blamed_by_a_rule_across_fields():
    error = assert_refused("address_line1", "at most 200", address_line1="x" * 201,
                           country="Narnia", state="Nowhere")
    assert set(error.errors) == {"address_line1", "country"}


def test_blank_aliases_are_ignored():
    assert make_customer(external_ids=["", "  ", "real"]).aliases[0].value == "real"


def test_legal_entity_must_exist():
    assert_refused("legal_entity_id", "Legal Entity does not exist", legal_entity_id=999)


def test_legal_entity_can_be_chosen():
    entity = create_legal_entity("Acme Billing Ltd", actor=ACTOR)
    customer = make_customer(legal_entity_id=entity.id)
    assert get_customer(customer.id).legal_entity.name == "Acme Billing Ltd"


def test_unknown_field_is_refused():
    with pytest.raises(ValidationError) as caught:
        create_customer(customer_input(colour="blue"), actor=ACTOR)
    assert "colour" in caught.value.errors


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(ValidationError) as caught:
        make_customer(name="", primary_contact_email="nope", currency="XXX1", tax_rate="500")
    assert {"name", "primary_contact_email", "currency", "tax_rate"} <= set(caught.value.errors)


def test_a_bare_name_is_not_an_actor():
    """Services act for a signed-in Actor with a role; a string from anywhere is refused."""
    with pytest.raises(AccessDenied, match="Sign in"):
        create_customer(customer_input(), actor="ada@example.com")
    assert count(Customer) == 0


def test_missing_customer_is_not_found():
    with pytest.raises(NotFoundError):
        get_customer(12345)
