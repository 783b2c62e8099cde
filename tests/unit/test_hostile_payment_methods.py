"""Every hostile value in every payment-method field, through the service: stored (as typed
or in the field's canonical form) or refused naming the field; never a crash or a partial
write (no method, no External ID, no audit event left behind)."""

import unicodedata

import pytest
from sqlmodel import func, select

from models import Alias, AuditEvent, PaymentMethod
from models.catalogue import payment_method_fields
from models.payment_method import METHOD_TYPES, PROVIDERS
from services.db import read_session
from services.errors import ValidationError
from services.payment_methods import add_payment_method
from tests.hostile import HOSTILE
from tests.unit.factories import ACTOR, make_customer

pytestmark = pytest.mark.usefixtures("database")
SPECS = {s.key: s for s in payment_method_fields()}
# A refusal may name the field a value is checked against.
RELATED = {"provider": {"reference", "method_type", "provider_customer_id"},
           "method_type": {"brand", "last4", "exp_month", "exp_year"},
           "exp_month": {"exp_year"}, "exp_year": {"exp_month"}}
CONTROL = ("NUL", "bell", "newline", "tab", "C1 control", "RTL override")


def counts() -> tuple:
    with read_session() as session:
        return tuple(session.exec(select(func.count()).select_from(m)).one()
                     for m in (PaymentMethod, Alias, AuditEvent))


def expected(key: str, raw: str):
    text = raw.strip()
    labels = {"provider": PROVIDERS, "method_type": METHOD_TYPES}.get(key)
    if labels:
        return next(c for c, label in labels.items() if text.casefold() in (c, label.casefold()))
    if SPECS[key].kind == "integer":
        return int(text)
    return unicodedata.normalize("NFC", text)


@pytest.mark.parametrize("key", list(SPECS))
def test_hostile_values_are_stored_or_refused_by_name(key):
    customer = make_customer()
    outcomes = {}
    for n, (name, raw) in enumerate(HOSTILE.items()):
        values = {"provider": "adyen", "reference": f"ref-{n}", "method_type": "card",
                  "brand": "Visa", "last4": "4242", "exp_month": 8, "exp_year": 2090,
                  key: raw}
        before = counts()
        try:
            saved = add_payment_method(customer.id, values, actor=ACTOR)
        except ValidationError as exc:
            assert set(exc.errors) & ({key} | RELATED.get(key, set())), (name, exc.errors)
            assert all(message.strip() for message in exc.errors.values())
            assert counts() == before, f"{name}: a refused method left rows behind"
            outcomes[name] = "refused"
            continue
        outcomes[name] = "stored"
        (method,) = [m for m in saved.payment_methods if m.reference == values["reference"]]
        if raw.strip():
            assert getattr(method, key) == expected(key, raw), (name, raw)
    if SPECS[key].kind in ("text", "alias"):
        assert all(outcomes[c] == "refused" for c in CONTROL), outcomes
    assert outcomes["10,000 characters"] == "refused"
