import pytest

from services.contacts import add_contact, remove_contact, set_primary_contact, update_contact
from services.customers import get_customer
from services.errors import ConflictError, NotFoundError, ValidationError
from tests.unit.factories import ACTOR, customer_history, make_customer

pytestmark = pytest.mark.usefixtures("database")

FINANCE = {"first_name": "Grace", "last_name": "Hopper", "email": "finance@acme.example",
           "email_billing": True, "email_updates": False, "email_legal": True}


def contact_by_email(customer, email: str):
    (contact,) = [c for c in customer.contacts if c.email == email]
    return contact


def primary_email(customer_id: int) -> str:
    (primary,) = [c for c in get_customer(customer_id).contacts if c.is_primary]
    return primary.email


def test_add_contact_with_email_preferences():
    customer = make_customer()
    contact = contact_by_email(add_contact(customer.id, FINANCE, actor=ACTOR),
                               "finance@acme.example")
    contacts = get_customer(customer.id).contacts
    assert [c.email for c in contacts] == ["billing@acme.example", "finance@acme.example"]
    assert (contact.email_billing, contact.email_updates, contact.email_legal) == (
        True, False, True)
    assert not contact.is_primary
    event = customer_history(customer.id)[0]
    assert event.action == "contact.added"
    assert event.changes["email"] == [None, "finance@acme.example"]


def test_contact_preferences_default_to_billing_and_updates():
    customer = make_customer()
    contact = contact_by_email(add_contact(customer.id, {"email": "ops@acme.example"},
                                           actor=ACTOR), "ops@acme.example")
    assert (contact.email_billing, contact.email_updates, contact.email_legal) == (
        True, True, False)


def test_contact_email_must_be_valid():
    customer = make_customer()
    with pytest.raises(ValidationError) as caught:
        add_contact(customer.id, {**FINANCE, "email": "finance@"}, actor=ACTOR)
    assert "Email is not a valid email address" in caught.value.errors["email"]
    assert len(get_customer(customer.id).contacts) == 1


def test_contact_email_is_unique_within_a_customer():
    customer = make_customer()
    with pytest.raises(ValidationError) as caught:
        add_contact(customer.id, {"email": "BILLING@acme.example"}, actor=ACTOR)
    assert "already a contact" in caught.value.errors["email"]


def test_same_email_may_be_a_contact_of_two_customers():
    first = make_customer(external_ids=["a"])
    second = make_customer(external_ids=["b"])
    add_contact(first.id, {"email": "shared@agency.example"}, actor=ACTOR)
    add_contact(second.id, {"email": "shared@agency.example"}, actor=ACTOR)


def test_edit_contact():
    customer = make_customer()
    contact = contact_by_email(add_contact(customer.id, FINANCE, actor=ACTOR),
                               "finance@acme.example")
    updated = contact_by_email(
        update_contact(contact.id, {"last_name": "Murray Hopper", "email_updates": True},
                       actor=ACTOR),
        "finance@acme.example")
    assert updated.last_name == "Murray Hopper" and updated.email_updates
    assert customer_history(customer.id)[0].changes == {
        "last_name": ["Hopper", "Murray Hopper"], "email_updates": [False, True]}


def test_edit_contact_to_an_email_already_used_is_refused():
    customer = make_customer()
    contact = contact_by_email(add_contact(customer.id, FINANCE, actor=ACTOR),
                               "finance@acme.example")
    with pytest.raises(ValidationError):
        update_contact(contact.id, {"email": "billing@acme.example"}, actor=ACTOR)
    assert get_customer(customer.id).contacts[1].email == "finance@acme.example"


def test_set_primary_moves_the_flag_so_exactly_one_is_primary():
    customer = make_customer()
    contact = contact_by_email(add_contact(customer.id, FINANCE, actor=ACTOR),
                               "finance@acme.example")
    returned = set_primary_contact(contact.id, actor=ACTOR)
    assert returned.primary_contact.email == "finance@acme.example"
    contacts = get_customer(customer.id).contacts
    assert [c.email for c in contacts if c.is_primary] == ["finance@acme.example"]
    assert customer_history(customer.id)[0].changes == {
        "primary_contact": ["billing@acme.example", "finance@acme.example"]}


def test_primary_contact_cannot_be_removed():
    customer = make_customer()
    (primary,) = customer.contacts
    with pytest.raises(ValidationError) as caught:
        remove_contact(primary.id, actor=ACTOR)
    assert "primary contact cannot be removed" in caught.value.errors["is_primary"]
    assert primary_email(customer.id) == "billing@acme.example"


def test_remove_a_non_primary_contact():
    customer = make_customer()
    contact = contact_by_email(add_contact(customer.id, FINANCE, actor=ACTOR),
                               "finance@acme.example")
    remove_contact(contact.id, actor=ACTOR)
    assert [c.email for c in get_customer(customer.id).contacts] == ["billing@acme.example"]
    assert customer_history(customer.id)[0].action == "contact.removed"


def test_after_primary_moves_the_old_primary_can_be_removed():
    customer = make_customer()
    (old,) = customer.contacts
    new = contact_by_email(add_contact(customer.id, FINANCE, actor=ACTOR),
                           "finance@acme.example")
    set_primary_contact(new.id, actor=ACTOR)
    remove_contact(old.id, actor=ACTOR)
    assert primary_email(customer.id) == "finance@acme.example"


def test_contact_change_with_stale_version_is_refused():
    customer = make_customer()
    add_contact(customer.id, FINANCE, actor=ACTOR)
    with pytest.raises(ConflictError):
        add_contact(customer.id, {"email": "late@acme.example"}, actor=ACTOR,
                    version=customer.version)


def test_contact_changes_advance_the_customer_version_and_return_it():
    customer = make_customer()
    returned = add_contact(customer.id, FINANCE, actor=ACTOR)
    assert returned.version == get_customer(customer.id).version == customer.version + 1


def test_missing_contact_is_not_found():
    with pytest.raises(NotFoundError):
        update_contact(999, {"first_name": "X"}, actor=ACTOR)
