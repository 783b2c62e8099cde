from decimal import Decimal

import pytest

from models import sections as S
from services.customers import (
    archive_customer,
    get_customer,
    restore_customer,
    update_billing_address,
    update_business_information,
    update_section,
    update_tax_settings,
)
from services.errors import ConflictError, NotFoundError, ValidationError
from services.legal_entities import create_legal_entity
from tests.unit.factories import ACTOR, add_card, admin, customer_history, make_customer

pytestmark = pytest.mark.usefixtures("database")


def test_business_information_is_saved_and_audited():
    customer = add_card(make_customer().id)  # Auto Pay needs a usable default method
    updated = update_business_information(
        customer.id,
        {"business_name": "Acme Analytics", "payment_terms_days": "Net 45",
         "invoicing_flow": "Xero", "auto_pay": True},
        version=customer.version, actor=admin("grace@example.com"),
    )
    assert updated.business_name == "Acme Analytics"
    assert updated.payment_terms_days == 45
    assert updated.invoicing_flow == "xero"
    assert updated.auto_pay is True
    assert updated.version == customer.version + 1
    latest = customer_history(customer.id)[0]
    assert latest.actor == "grace@example.com"
    assert latest.changes == {
        "business_name": [None, "Acme Analytics"],
        "payment_terms_days": [30, 45],
        "invoicing_flow": ["customer_desk", "xero"],
        "auto_pay": [False, True],
    }


@pytest.mark.parametrize("terms, fragment", [("366", "between Net 0 and Net 365"),
                                              ("-1", "whole number"), ("thirty", "whole number")])
def test_payment_terms_rules(terms, fragment):
    customer = make_customer()
    with pytest.raises(ValidationError) as caught:
        update_business_information(customer.id, {"payment_terms_days": terms},
                                    version=customer.version, actor=ACTOR)
    assert fragment in caught.value.errors["payment_terms_days"]
    assert get_customer(customer.id).payment_terms_days == 30


def test_net_zero_is_due_on_receipt():
    customer = make_customer()
    updated = update_business_information(customer.id, {"payment_terms_days": 0},
                                          version=customer.version, actor=ACTOR)
    assert updated.payment_terms_days == 0


def test_invoicing_flow_must_be_a_known_system():
    customer = make_customer()
    with pytest.raises(ValidationError) as caught:
        update_business_information(customer.id, {"invoicing_flow": "Sage"},
                                    version=customer.version, actor=ACTOR)
    assert "Stripe Invoicing" in caught.value.errors["invoicing_flow"]


def test_legal_entity_is_changed_in_business_information():
    customer = make_customer()
    entity = create_legal_entity("Acme EU BV", actor=ACTOR)
    updated = update_business_information(customer.id, {"legal_entity_id": entity.id},
                                          version=customer.version, actor=ACTOR)
    assert updated.legal_entity.name == "Acme EU BV"
    with pytest.raises(ValidationError) as caught:
        update_business_information(customer.id, {"legal_entity_id": 4242},
                                    version=updated.version, actor=ACTOR)
    assert "Legal Entity does not exist" in caught.value.errors["legal_entity_id"]


def test_billing_address_is_saved_with_state_normalised():
    customer = make_customer()
    updated = update_billing_address(
        customer.id,
        {"country": "US", "address_line1": "1 Market St", "address_line2": "Floor 3",
         "city": "San Francisco", "state": "ca", "postal_code": "94105"},
        version=customer.version, actor=ACTOR,
    )
    assert (updated.country, updated.state, updated.address_line2) == ("US", "US-CA", "Floor 3")


def test_billing_address_checks_state_against_the_new_country():
    customer = make_customer()
    with pytest.raises(ValidationError) as caught:
        update_billing_address(customer.id, {"country": "US"}, version=customer.version,
                               actor=ACTOR)
    assert "subdivisions of United States" in caught.value.errors["state"]
    assert get_customer(customer.id).country == "DE"


def test_billing_address_needs_line1_and_city():
    customer = make_customer()
    with pytest.raises(ValidationError) as caught:
        update_billing_address(customer.id, {"address_line1": "", "city": ""},
                               version=customer.version, actor=ACTOR)
    assert set(caught.value.errors) == {"address_line1", "city"}


def test_billing_address_can_be_cleared_entirely():
    customer = make_customer()
    updated = update_billing_address(
        customer.id,
        {"address_line1": "", "address_line2": "", "city": "", "state": "", "postal_code": ""},
        version=customer.version, actor=ACTOR,
    )
    assert updated.address_line1 is None and updated.city is None


def test_tax_settings_are_saved():
    customer = make_customer()
    updated = update_tax_settings(
        customer.id, {"tax_country": "FR", "tax_id": "FR40303265045", "tax_rate": "8.875"},
        version=customer.version, actor=ACTOR,
    )
    assert (updated.tax_country, updated.tax_id) == ("FR", "FR40303265045")
    assert str(updated.tax_rate) == "8.875"
    assert customer_history(customer.id)[0].changes["tax_rate"] == ["19.00", "8.875"]


def test_tax_id_is_validated_against_billing_country_when_no_tax_country():
    customer = make_customer()
    with pytest.raises(ValidationError) as caught:
        update_tax_settings(customer.id, {"tax_id": "123"}, version=customer.version, actor=ACTOR)
    assert "Germany" in caught.value.errors["tax_id"]


def test_blank_tax_rate_means_the_default():
    customer = make_customer()
    updated = update_tax_settings(customer.id, {"tax_rate": ""}, version=customer.version,
                                  actor=ACTOR)
    assert updated.tax_rate == Decimal("0")


def test_field_of_another_section_is_refused():
    customer = make_customer()
    with pytest.raises(ValidationError) as caught:
        update_tax_settings(customer.id, {"name": "Other"}, version=customer.version, actor=ACTOR)
    assert "not a field of Tax Settings" in caught.value.errors["name"]


def test_contacts_are_not_a_section_of_columns():
    customer = make_customer()
    with pytest.raises(ValidationError):
        update_section(customer.id, S.CONTACTS, {}, version=customer.version, actor=ACTOR)


def test_saving_unchanged_values_writes_nothing():
    customer = make_customer()
    same = update_business_information(customer.id, {"name": customer.name},
                                       version=customer.version, actor=ACTOR)
    assert same.version == customer.version
    assert len(customer_history(customer.id)) == 1


def test_stale_version_is_refused_and_the_winner_stays():
    customer = make_customer()
    loaded_by_alice = loaded_by_bob = customer.version
    update_business_information(customer.id, {"payment_terms_days": 45},
                                version=loaded_by_alice, actor=admin("alice@example.com"))
    with pytest.raises(ConflictError) as caught:
        update_business_information(customer.id, {"payment_terms_days": 60},
                                    version=loaded_by_bob, actor=admin("bob@example.com"))
    assert "changed by someone else" in str(caught.value)
    assert get_customer(customer.id).payment_terms_days == 45
    history = customer_history(customer.id)
    assert history[0].actor == "alice@example.com"
    assert history[0].changes == {"payment_terms_days": [30, 45]}
    assert all(e.actor != "bob@example.com" for e in history)


def test_stale_version_is_refused_in_every_section():
    customer = make_customer()
    update_tax_settings(customer.id, {"tax_rate": "7"}, version=customer.version, actor=ACTOR)
    with pytest.raises(ConflictError):
        update_billing_address(customer.id, {"city": "Hamburg", "state": "DE-HH"},
                               version=customer.version, actor=ACTOR)
    assert get_customer(customer.id).city == "Berlin"


def test_update_of_missing_customer_is_not_found():
    with pytest.raises(NotFoundError):
        update_tax_settings(999, {"tax_rate": "1"}, version=1, actor=ACTOR)


def test_archive_and_restore_are_audited():
    customer = make_customer()
    archived = archive_customer(customer.id, actor=ACTOR)
    assert archived.status == "archived" and archived.archived_at is not None
    restored = restore_customer(customer.id, actor=ACTOR)
    assert restored.status == "active" and restored.archived_at is None
    actions = [e.action for e in customer_history(customer.id)]
    assert actions[:2] == ["customer.restored", "customer.archived"]


def test_archive_with_stale_version_is_refused():
    customer = make_customer()
    update_tax_settings(customer.id, {"tax_rate": "7"}, version=customer.version, actor=ACTOR)
    with pytest.raises(ConflictError):
        archive_customer(customer.id, actor=ACTOR, version=customer.version)
    assert get_customer(customer.id).status == "active"


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_database_refuses_a_write_that_raced_past_the_version_check():
    """Two PostgreSQL transactions read version 1; the one that commits second is refused
    by the UPDATE ... WHERE version = 1 guard, not only by the services' check.
    (SQLite never gets here: its write transactions queue behind each other.)"""
    from models import Customer
    from services.db import write_session

    customer = make_customer()
    with pytest.raises(ConflictError), write_session() as session:
        stale = session.get(Customer, customer.id)
        update_tax_settings(customer.id, {"tax_rate": "7"}, version=1,
                            actor=admin("fast@example.com"))
        stale.name = "Silent overwrite"
    assert get_customer(customer.id).name == "Acme Analytics GmbH"
    assert get_customer(customer.id).tax_rate == Decimal("7")
