"""Every hostile value in every customer field, through the service: stored (as typed or in
the field's canonical form) or refused naming the field; never a crash or a partial write."""

import pytest
from sqlmodel import func, select

from models import Alias, AuditEvent, Contact, Customer
from models.catalogue import EXTERNAL_IDS, PRIMARY_CONTACT_PREFIX, by_key
from services.customers import create_customer, get_customer
from services.db import read_session
from services.errors import ValidationError
from tests.hostile import (
    CARD_MESSAGE,
    CARD_NUMBERS,
    CARD_REFUSING,
    HOSTILE,
    NEAR_MISSES,
    RELATED,
    expected_stored,
)
from tests.unit.factories import ACTOR, customer_input

pytestmark = pytest.mark.usefixtures("database")
FIELDS = [*by_key()]


def counts() -> tuple:
    with read_session() as session:
        return tuple(session.exec(select(func.count()).select_from(m)).one()
                     for m in (Customer, Contact, Alias, AuditEvent))


def stored_value(customer, key: str):
    if key == EXTERNAL_IDS:
        return [a.value for a in customer.aliases][0]
    if key.startswith(PRIMARY_CONTACT_PREFIX):
        return getattr(customer.primary_contact, key.removeprefix(PRIMARY_CONTACT_PREFIX))
    return getattr(customer, key)


def attempt(n: int, key: str, raw: str):
    """Create a valid customer except for `key`; return (customer or None, errors or None)."""
    values = customer_input(external_ids=[f"hostile-{n}"],
                            primary_contact_email=f"h{n}@acme.example")
    values[key] = [raw] if key == EXTERNAL_IDS else raw
    try:
        return create_customer(values, actor=ACTOR), None
    except ValidationError as exc:
        return None, exc.errors


@pytest.mark.parametrize("key", FIELDS)
def test_hostile_values_are_stored_or_refused_by_name(key):
    outcomes, messages = {}, {}
    for n, (name, raw) in enumerate(HOSTILE.items()):
        before = counts()
        customer, errors = attempt(n, key, raw)
        if customer is None:
            assert set(errors) & ({key} | RELATED.get(key, set())), (name, errors)
            assert all(message.strip() for message in errors.values())
            assert counts() == before, f"{name}: a refused customer left rows behind"
            outcomes[name] = "refused"
            messages[name] = " ".join(errors.values())
            continue
        outcomes[name] = "stored"
        if not raw.strip():
            continue  # an optional field left blank
        stored = stored_value(get_customer(customer.id), key)
        assert stored == expected_stored(key, raw, stored), (name, raw, stored)
    control = ("NUL", "bell", "newline", "tab", "C1 control", "RTL override")
    spec = by_key().get(key)
    if spec is None or spec.kind in ("text", "state", "tax_id", "email", "alias"):
        assert all(outcomes[c] == "refused" for c in control), outcomes
    assert outcomes["10,000 characters"] == "refused"
    if spec is None or spec.kind in CARD_REFUSING:
        label = spec.label if spec else "External ID"
        for name in CARD_NUMBERS:
            assert f"{label}: {CARD_MESSAGE}" in messages.get(name, ""), (name, outcomes[name])
    assert not any(CARD_MESSAGE in messages.get(name, "") for name in NEAR_MISSES), messages
