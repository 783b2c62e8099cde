"""History and Activity read payment-method events in words: what happened, each field's
label, providers, types and statuses by their names."""

import pytest

from services.activity import ActivityFilter, Change, activity_page
from services.payment_methods import (
    add_payment_method,
    make_default,
    remove_payment_method,
    revoke_payment_method,
)
from tests.unit.factories import ACTOR, make_customer

pytestmark = pytest.mark.usefixtures("database")
VISA = {"provider": "stripe", "reference": "pm_visa4242", "method_type": "card",
        "brand": "Visa", "last4": "4242", "exp_month": 8, "exp_year": 2099}
SEPA = {"provider": "gocardless", "reference": "MD000123ABC", "method_type": "sepa_debit"}


def test_payment_method_events_read_as_words():
    customer = make_customer()
    add_payment_method(customer.id, VISA, actor=ACTOR)
    methods = add_payment_method(customer.id, SEPA, actor=ACTOR).payment_methods
    visa, sepa = sorted(methods, key=lambda m: m.reference != "pm_visa4242")
    make_default(sepa.id, actor=ACTOR)
    revoke_payment_method(visa.id, actor=ACTOR)
    remove_payment_method(visa.id, actor=ACTOR)
    events = activity_page(ActivityFilter(customer_id=customer.id)).events
    assert [e.what for e in events[:5]] == [
        "Removed payment method", "Revoked payment method", "Changed default payment method",
        "Added payment method", "Added payment method"]
    removed, revoked, defaulted, added_sepa, added_visa = events[:5]
    assert {Change("Provider", "Stripe", "—"), Change("Type", "Card", "—"),
            Change("Last 4 digits", "4242", "—")} <= set(removed.changes)
    assert revoked.changes == (Change("Status", "Active", "Revoked"),)
    assert defaulted.changes == (Change("Default payment method", "Visa •••• 4242 · 08/99",
                                        "SEPA Direct Debit · MD000123ABC"),)
    assert {Change("Provider", "—", "GoCardless"), Change("Type", "—", "SEPA Direct Debit"),
            Change("Method reference", "—", "MD000123ABC")} <= set(added_sepa.changes)
    assert Change("Default", "—", "Yes") in added_visa.changes
