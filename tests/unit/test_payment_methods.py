"""Payment methods: references to where payment data lives, exactly one default, a status
from the expiry, the provider customer ID as an External ID, and an Auto Pay that needs a
usable default on every path that can turn it on."""

import threading
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from models.payment_method import PaymentMethod
from models.types import utcnow
from services.bulk import bulk_update, undo_bulk
from services.customers import (
    archive_customer,
    create_customer,
    get_customer,
    update_business_information,
    update_customer,
)
from services.db import get_engine
from services.errors import ConflictError, NotFoundError, ValidationError
from services.imports import VALID_ONLY, default_mapping, run_import
from services.payment_methods import (
    add_payment_method,
    autopay_at_risk,
    clean_payment_method,
    default_method,
    list_payment_methods,
    make_default,
    method_label,
    remove_payment_method,
    revoke_payment_method,
    status,
    update_payment_method,
)
from tests.unit.factories import (
    ACTOR,
    VIEWER_ACTOR,
    add_card,
    card_input,
    customer_history,
    customer_input,
    make_customer,
)

pytestmark = pytest.mark.usefixtures("database")

SEPA = {"provider": "gocardless", "reference": "MD000123ABC", "method_type": "sepa_debit",
        "holder_name": "Acme Analytics GmbH", "bank_name": "Deutsche Bank"}


def method_by_reference(customer, reference: str) -> PaymentMethod:
    (method,) = [m for m in customer.payment_methods if m.reference == reference]
    return method


def errors_of(call) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.errors


def defaults(customer_id: int) -> list[str]:
    return [m.reference for m in list_payment_methods(customer_id) if m.is_default]


# Add, edit, remove, default, revoke ------------------------------------------------------

def test_the_first_method_becomes_the_default_and_is_audited():
    customer = make_customer()
    saved = add_payment_method(customer.id, card_input(), actor=ACTOR, version=customer.version)
    card = method_by_reference(saved, "pm_1Visa4242")
    assert card.is_default and card.expires_on == date(2090, 8, 31)
    assert method_label(card) == "Visa •••• 4242 · 08/90"
    assert saved.version == customer.version + 1
    event = customer_history(customer.id)[0]
    assert (event.action, event.entity, event.entity_id) == (
        "payment_method.added", "payment_method", card.id)
    assert event.changes["reference"] == [None, "pm_1Visa4242"]
    assert event.changes["is_default"] == [None, True]
    assert "provider_customer_id" not in event.changes  # empty values are not listed


def test_a_second_method_is_not_the_default():
    customer = add_card(make_customer().id)
    saved = add_payment_method(customer.id, SEPA, actor=ACTOR, version=customer.version)
    assert not method_by_reference(saved, "MD000123ABC").is_default
    assert defaults(customer.id) == [f"pm_card{customer.id}"]
    assert [m.reference for m in list_payment_methods(customer.id)] == [
        f"pm_card{customer.id}", "MD000123ABC"]


def test_provider_and_type_are_taken_by_code_or_label():
    customer = make_customer()
    saved = add_payment_method(customer.id, {**SEPA, "provider": "GoCardless",
                                             "method_type": "SEPA Direct Debit"}, actor=ACTOR)
    method = method_by_reference(saved, "MD000123ABC")
    assert (method.provider, method.method_type) == ("gocardless", "sepa_debit")
    assert method_label(method) == "SEPA Direct Debit · MD000123ABC"


def test_edit_a_method_records_the_changed_fields():
    customer = add_card(make_customer().id)
    card = default_method(customer)
    saved = update_payment_method(card.id, {"exp_month": "12", "exp_year": 2091,
                                            "holder_name": "Ada Lovelace"},
                                  actor=ACTOR, version=customer.version)
    card = default_method(saved)
    assert (card.exp_month, card.exp_year, card.expires_on) == (12, 2091, date(2091, 12, 31))
    event = customer_history(customer.id)[0]
    assert event.action == "payment_method.updated"
    assert event.changes == {"exp_month": [8, 12], "exp_year": [2090, 2091],
                             "holder_name": [None, "Ada Lovelace"]}


def test_an_edit_that_changes_nothing_keeps_the_version():
    customer = add_card(make_customer().id)
    saved = update_payment_method(default_method(customer).id, {"brand": "Visa"},
                                  actor=ACTOR, version=customer.version)
    assert saved.version == customer.version


def test_make_default_moves_the_flag_so_exactly_one_is_default():
    customer = add_card(make_customer().id)
    customer = add_payment_method(customer.id, SEPA, actor=ACTOR, version=customer.version)
    sepa = method_by_reference(customer, "MD000123ABC")
    saved = make_default(sepa.id, actor=ACTOR, version=customer.version)
    assert [m.reference for m in saved.payment_methods if m.is_default] == ["MD000123ABC"]
    event = customer_history(customer.id)[0]
    assert event.action == "payment_method.defaulted"
    assert event.changes == {"default_payment_method": ["Visa •••• 4242 · 08/90",
                                                        "SEPA Direct Debit · MD000123ABC"]}


def test_removing_a_method_that_is_not_the_default():
    customer = add_card(make_customer().id)
    customer = add_payment_method(customer.id, SEPA, actor=ACTOR, version=customer.version)
    sepa = method_by_reference(customer, "MD000123ABC")
    saved = remove_payment_method(sepa.id, actor=ACTOR, version=customer.version)
    assert [m.reference for m in saved.payment_methods] == [f"pm_card{customer.id}"]
    event = customer_history(customer.id)[0]
    assert (event.action, event.changes["reference"]) == ("payment_method.removed",
                                                          ["MD000123ABC", None])


def test_removing_the_default_needs_the_new_default():
    customer = add_card(make_customer().id)
    customer = add_payment_method(customer.id, SEPA, actor=ACTOR, version=customer.version)
    card, sepa = default_method(customer), method_by_reference(customer, "MD000123ABC")

    errors = errors_of(lambda: remove_payment_method(card.id, actor=ACTOR,
                                                     version=customer.version))
    assert "choose which of its other methods becomes the default" in errors["new_default_id"]
    errors = errors_of(lambda: remove_payment_method(card.id, actor=ACTOR, new_default_id=card.id,
                                                     version=customer.version))
    assert "cannot become the default" in errors["new_default_id"]
    assert len(list_payment_methods(customer.id)) == 2  # nothing removed

    saved = remove_payment_method(card.id, actor=ACTOR, version=customer.version,
                                  new_default_id=sepa.id)
    assert [(m.reference, m.is_default) for m in saved.payment_methods] == [
        ("MD000123ABC", True)]
    assert [e.action for e in customer_history(customer.id)[:2]] == [
        "payment_method.defaulted", "payment_method.removed"]


def test_removing_the_only_method_leaves_none():
    customer = add_card(make_customer().id)
    saved = remove_payment_method(default_method(customer).id, actor=ACTOR,
                                  version=customer.version)
    assert saved.payment_methods == []


def test_a_revoked_method_cannot_become_the_default():
    customer = add_card(make_customer().id)
    customer = add_payment_method(customer.id, SEPA, actor=ACTOR, version=customer.version)
    sepa = method_by_reference(customer, "MD000123ABC")
    customer = revoke_payment_method(sepa.id, actor=ACTOR, version=customer.version)
    errors = errors_of(lambda: make_default(sepa.id, actor=ACTOR, version=customer.version))
    assert "revoked" in errors["is_default"]
    customer = add_payment_method(customer.id, card_input(reference="pm_spare"), actor=ACTOR)
    errors = errors_of(lambda: remove_payment_method(
        default_method(customer).id, actor=ACTOR, version=customer.version,
        new_default_id=sepa.id))
    assert "not revoked" in errors["new_default_id"]


def test_revoke_keeps_the_method_for_the_record():
    customer = add_card(make_customer().id)
    card = default_method(customer)
    saved = revoke_payment_method(card.id, actor=ACTOR, version=customer.version)
    card = default_method(saved)
    assert card.revoked_at is not None and card.is_default
    assert status(card) == "revoked"
    event = customer_history(customer.id)[0]
    assert (event.action, event.changes) == ("payment_method.revoked",
                                             {"status": ["active", "revoked"]})
    again = revoke_payment_method(card.id, actor=ACTOR, version=saved.version)
    assert again.version == saved.version  # already revoked: nothing to do


def test_a_viewer_cannot_change_payment_methods():
    customer = make_customer()
    with pytest.raises(PermissionError):
        add_payment_method(customer.id, card_input(), actor=VIEWER_ACTOR)
    assert list_payment_methods(customer.id) == []


def test_missing_method_or_customer_is_not_found():
    with pytest.raises(NotFoundError):
        make_default(9999, actor=ACTOR)
    with pytest.raises(NotFoundError):
        list_payment_methods(9999)
    with pytest.raises(NotFoundError):
        add_payment_method(9999, card_input(), actor=ACTOR)


# Exactly one default ---------------------------------------------------------------------

def test_the_database_refuses_a_second_default():
    """The partial unique index holds "at most one default" whatever writes the row."""
    customer = add_card(make_customer().id)
    row = {"customer_id": customer.id, "provider": "stripe", "reference": "pm_second",
           "method_type": "card", "is_default": True, "created_at": utcnow(),
           "updated_at": utcnow()}
    with pytest.raises(IntegrityError), get_engine().begin() as connection:
        connection.execute(insert(PaymentMethod), [row])
    with get_engine().begin() as connection:  # not a default: fine
        connection.execute(insert(PaymentMethod), [{**row, "is_default": False}])


def test_racing_first_methods_leave_exactly_one_default():
    """Two writers add a first method to the same customer at once: one becomes the
    default, the other does not (the customer's row lock orders them)."""
    customer = make_customer()
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def add(reference: str) -> None:
        barrier.wait()
        try:
            add_payment_method(customer.id, card_input(reference=reference), actor=ACTOR)
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=add, args=(r,)) for r in ("pm_raceA", "pm_raceB")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(list_payment_methods(customer.id)) == 2
    assert len(defaults(customer.id)) == 1


# Status ----------------------------------------------------------------------------------

def method(expires_on=None, revoked_at=None):
    return SimpleNamespace(expires_on=expires_on, revoked_at=revoked_at)


@pytest.mark.parametrize("expires_on, days, expected", [
    (date(2026, 11, 24), 30, "expired"),
    (date(2026, 11, 25), 30, "expiring"),  # charges until the end of its last day
    (date(2026, 12, 25), 30, "expiring"),
    (date(2026, 12, 26), 30, "active"),
    (date(2026, 12, 26), 31, "expiring"),
    (date(2026, 11, 30), 0, "active"),
    (None, 30, "active"),  # debits and transfers do not expire
])
def test_status_from_the_expiry(expires_on, days, expected):
    assert status(method(expires_on), date(2026, 11, 25), days) == expected


def test_revoked_wins_over_any_expiry():
    assert status(method(date(2099, 1, 31), revoked_at="2026-11-01"), date(2026, 11, 25)) == (
        "revoked")


def test_expiring_days_come_from_the_setting(configured):
    soon = method(date(2026, 12, 31))
    configured(payment_method_expiring_days=10)
    assert status(soon, date(2026, 11, 25)) == "active"
    configured(payment_method_expiring_days=60)
    assert status(soon, date(2026, 11, 25)) == "expiring"


def test_an_expired_card_can_be_recorded_and_shows_expired():
    customer = make_customer()
    saved = add_payment_method(customer.id, card_input(exp_month=1, exp_year=2020), actor=ACTOR)
    assert status(default_method(saved)) == "expired"


# Validation ------------------------------------------------------------------------------

@pytest.mark.parametrize("values, field, fragment", [
    ({"provider": "paypal"}, "provider", "Provider must be one of: Stripe, Adyen"),
    ({"method_type": "cash"}, "method_type", "Type must be one of"),
    ({"reference": "tok_visa"}, "reference", "pm_..., card_..., src_... or ba_..."),
    ({"reference": "pm_ 123"}, "reference", "pm_..."),
    ({"reference": None}, "reference", "Method reference is required"),
    ({"provider_customer_id": "acct_1"}, "provider_customer_id", "cus_..."),
    ({"last4": "424"}, "last4", "exactly four digits"),
    ({"last4": "42a2"}, "last4", "exactly four digits"),
    ({"last4": "٤٢٤٢"}, "last4", "exactly four digits"),  # Arabic-Indic digits are not 4242
    ({"exp_month": 13}, "exp_month", "a month from 1 to 12"),
    ({"exp_month": 0}, "exp_month", "a month from 1 to 12"),
    ({"exp_month": "August"}, "exp_month", "whole number"),
    ({"exp_year": 27}, "exp_year", "four-digit year from 2000 to 2100"),
    ({"exp_year": None}, "exp_year", "Expiry year is needed with the expiry month"),
    ({"holder_name": "Ada\u202eLovelace"}, "holder_name", "text-direction overrides"),
    ({"cvc": "123"}, "cvc", "Card numbers and security codes (CVC) are never stored"),
    ({"card_number": "4242 4242 4242 4242"}, "card_number", "never stored"),
    ({"colour": "blue"}, "colour", "colour is not a field of a payment method"),
])
def test_bad_values_are_refused_naming_the_field(values, field, fragment):
    customer = make_customer()
    errors = errors_of(lambda: add_payment_method(customer.id, card_input(**values),
                                                  actor=ACTOR))
    assert fragment in errors[field]
    assert list_payment_methods(customer.id) == []
    assert get_customer(customer.id).version == customer.version


@pytest.mark.parametrize("values, field, fragment", [
    ({**SEPA, "last4": "1234"}, "last4", "applies to cards only"),
    ({**SEPA, "exp_month": 1, "exp_year": 2030}, "exp_month", "applies to cards only"),
    ({**SEPA, "reference": "mandate-1"}, "reference", "a mandate ID such as MD"),
    ({**SEPA, "method_type": "card"}, "method_type", "GoCardless collects direct debits only"),
    ({"provider": "manual", "reference": "wire", "method_type": "card"}, "method_type",
     "is a Bank transfer"),
    ({"provider": "adyen", "reference": "8415 6987", "method_type": "card"}, "reference",
     "must not contain spaces"),
])
def test_rules_across_a_methods_fields(values, field, fragment):
    errors = errors_of(lambda: clean_payment_method(values))
    assert fragment in errors[field]


def test_every_refused_field_is_named_at_once():
    errors = errors_of(lambda: clean_payment_method({"provider": "stripe"}))
    assert set(errors) == {"reference", "method_type"}


def test_an_edit_is_checked_against_the_stored_values():
    customer = add_card(make_customer().id)
    card = default_method(customer)
    errors = errors_of(lambda: update_payment_method(card.id, {"method_type": "sepa_debit"},
                                                     actor=ACTOR, version=customer.version))
    assert "applies to cards only" in errors["last4"]
    assert default_method(get_customer(customer.id)).method_type == "card"


def test_a_reference_belongs_to_one_method_per_provider():
    first = add_card(make_customer().id)
    other = make_customer(name="Bolt", primary_contact_email="ap@bolt.example",
                          external_ids=["bolt"])
    reference = default_method(first).reference
    errors = errors_of(lambda: add_payment_method(other.id, card_input(reference=reference),
                                                  actor=ACTOR))
    assert f"already a payment method of customer Acme Analytics GmbH (#{first.id})" in (
        errors["reference"])
    errors = errors_of(lambda: add_payment_method(first.id, card_input(reference=reference),
                                                  actor=ACTOR))
    assert "already a payment method of this customer" in errors["reference"]
    # The same reference at another provider is another method.
    add_payment_method(other.id, {"provider": "adyen", "reference": reference,
                                  "method_type": "card"}, actor=ACTOR)


# Provider customer ID -> External ID -----------------------------------------------------

def test_the_provider_customer_id_becomes_an_external_id_in_the_same_write():
    customer = make_customer()
    saved = add_payment_method(customer.id, card_input(provider_customer_id="cus_Acme1"),
                               actor=ACTOR, version=customer.version)
    assert [a.value for a in saved.aliases] == ["acme-001", "cus_Acme1"]
    assert saved.version == customer.version + 1
    actions = [e.action for e in customer_history(customer.id)[:2]]
    assert actions == ["alias.added", "payment_method.added"]
    # A second method with the same provider customer ID adds no second External ID.
    again = add_payment_method(customer.id, card_input(reference="pm_2",
                                                       provider_customer_id="cus_Acme1"),
                               actor=ACTOR)
    assert [a.value for a in again.aliases] == ["acme-001", "cus_Acme1"]


def test_the_external_id_can_be_left_out():
    customer = make_customer()
    saved = add_payment_method(customer.id, card_input(provider_customer_id="cus_Acme1"),
                               actor=ACTOR, add_external_id=False)
    assert [a.value for a in saved.aliases] == ["acme-001"]


@pytest.mark.parametrize("held, given", [("cus_Bolt1", "cus_Bolt1"), ("cus_Bolt1", "CUS_BOLT1"),
                                         ("cus_Bolt1", "cus_Вolt1")])  # Cyrillic В
def test_a_provider_customer_id_another_customer_holds_is_refused_naming_it(held, given):
    bolt = make_customer(name="Bolt Energy", primary_contact_email="ap@bolt.example",
                         external_ids=[held])
    customer = make_customer()
    errors = errors_of(lambda: add_payment_method(
        customer.id, card_input(provider="braintree", reference="bt_1",
                                provider_customer_id=given), actor=ACTOR))
    assert "cannot become an External ID of this customer" in errors["provider_customer_id"]
    assert f"Bolt Energy (#{bolt.id})" in errors["provider_customer_id"]
    assert list_payment_methods(customer.id) == []  # nothing written, method included


def test_an_edited_provider_customer_id_becomes_an_external_id():
    customer = add_card(make_customer().id)
    saved = update_payment_method(default_method(customer).id,
                                  {"provider_customer_id": "cus_New1"}, actor=ACTOR,
                                  version=customer.version)
    assert "cus_New1" in [a.value for a in saved.aliases]


# Versions --------------------------------------------------------------------------------

def test_every_write_is_refused_when_the_version_is_stale():
    customer = add_card(make_customer().id)
    card = default_method(customer)
    stale = customer.version - 1
    for write in (
        lambda: add_payment_method(customer.id, SEPA, actor=ACTOR, version=stale),
        lambda: update_payment_method(card.id, {"brand": "Amex"}, actor=ACTOR, version=stale),
        lambda: make_default(card.id, actor=ACTOR, version=stale),
        lambda: revoke_payment_method(card.id, actor=ACTOR, version=stale),
        lambda: remove_payment_method(card.id, actor=ACTOR, version=stale),
    ):
        with pytest.raises(ConflictError):
            write()
    assert get_customer(customer.id).version == customer.version
    assert default_method(get_customer(customer.id)).revoked_at is None


# Auto Pay --------------------------------------------------------------------------------

def test_auto_pay_needs_a_usable_default_in_the_profile_section():
    customer = make_customer()
    errors = errors_of(lambda: update_business_information(
        customer.id, {"auto_pay": True}, version=customer.version, actor=ACTOR))
    assert "Auto Pay needs a usable default payment method" in errors["auto_pay"]
    customer = add_card(customer.id)
    saved = update_business_information(customer.id, {"auto_pay": True},
                                        version=customer.version, actor=ACTOR)
    assert saved.auto_pay is True


@pytest.mark.parametrize("spoil", ["revoke", "expire"])
def test_auto_pay_is_refused_with_an_unusable_default(spoil):
    customer = make_customer()
    if spoil == "revoke":
        customer = add_card(customer.id)
        customer = revoke_payment_method(default_method(customer).id, actor=ACTOR)
    else:
        customer = add_payment_method(customer.id, card_input(exp_month=1, exp_year=2020),
                                      actor=ACTOR)
    errors = errors_of(lambda: update_customer(customer.id, {"auto_pay": True},
                                               version=customer.version, actor=ACTOR))
    assert "auto_pay" in errors


def test_an_expiring_default_still_allows_auto_pay():
    today = date.today()
    customer = add_payment_method(make_customer().id,
                                  card_input(exp_month=today.month, exp_year=today.year),
                                  actor=ACTOR)
    assert status(default_method(customer)) == "expiring"
    saved = update_customer(customer.id, {"auto_pay": True}, version=customer.version,
                            actor=ACTOR)
    assert saved.auto_pay


def test_a_new_customer_cannot_start_with_auto_pay():
    errors = errors_of(lambda: create_customer(customer_input(auto_pay=True), actor=ACTOR))
    assert "a new customer has none yet" in errors["auto_pay"]


def test_bulk_auto_pay_names_the_customers_without_a_usable_default():
    ready = add_card(make_customer(name="Ready Co", external_ids=["r"]).id)
    bare = make_customer(name="Bare Co", external_ids=["b"])
    selection = {ready.id: ready.version, bare.id: bare.version}
    errors = errors_of(lambda: bulk_update(selection, "set_auto_pay", True, actor=ACTOR))
    assert f"1 of the selected customers have none: Bare Co (#{bare.id})" in errors["auto_pay"]
    assert not get_customer(ready.id).auto_pay  # nothing changed
    assert bulk_update({ready.id: ready.version}, "set_auto_pay", True, actor=ACTOR).changed == 1
    # Turning it off never needs a method.
    assert bulk_update({bare.id: bare.version}, "set_auto_pay", False,
                       actor=ACTOR).unchanged == 1


def test_undoing_auto_pay_off_needs_a_usable_default_again():
    customer = add_card(make_customer().id)
    customer = update_customer(customer.id, {"auto_pay": True}, version=customer.version,
                               actor=ACTOR)
    switched_off = bulk_update({customer.id: customer.version}, "set_auto_pay", False,
                               actor=ACTOR)
    with get_engine().begin() as connection:  # the card expires, which changes no version
        connection.execute(update(PaymentMethod).values(expires_on=date(2020, 1, 31)))
    errors = errors_of(lambda: undo_bulk(switched_off.undo, actor=ACTOR))
    assert "Auto Pay needs a usable default payment method" in errors["auto_pay"]
    assert not get_customer(customer.id).auto_pay


def test_the_import_refuses_auto_pay_without_a_usable_default(tmp_path):
    bare = make_customer()
    ready = add_card(make_customer(name="Ready Co", primary_contact_email="r@ready.example",
                                   external_ids=["ready-1"]).id)
    path = tmp_path / "autopay.csv"
    path.write_text("External IDs,Customer Name,Auto Pay\nacme-001,Acme Analytics GmbH,yes\n"
                    "ready-1,Ready Co,yes\n", encoding="utf-8")
    report = run_import(path, default_mapping(path), mode=VALID_ONLY, actor=ACTOR)
    assert (report.counts["invalid"], report.counts["updated"]) == (1, 1)
    (refused,) = [r for r in report.preview if r.action == "invalid"]
    assert "Auto Pay needs a usable default payment method" in refused.message
    assert (get_customer(bare.id).auto_pay, get_customer(ready.id).auto_pay) == (False, True)


def test_auto_pay_at_risk_once_the_default_is_revoked_or_removed():
    customer = add_card(make_customer().id)
    customer = update_customer(customer.id, {"auto_pay": True}, version=customer.version,
                               actor=ACTOR)
    assert not autopay_at_risk(customer)
    revoked = revoke_payment_method(default_method(customer).id, actor=ACTOR)
    assert revoked.auto_pay and autopay_at_risk(revoked)
    removed = remove_payment_method(default_method(revoked).id, actor=ACTOR)
    assert removed.auto_pay and autopay_at_risk(removed)
    # Saving another field of a flagged customer is not refused for its Auto Pay.
    saved = update_customer(removed.id, {"payment_terms_days": 45}, version=removed.version,
                            actor=ACTOR)
    assert saved.payment_terms_days == 45


def test_archived_customers_keep_their_methods():
    customer = add_card(make_customer().id)
    archive_customer(customer.id, actor=ACTOR)
    assert len(list_payment_methods(customer.id)) == 1
