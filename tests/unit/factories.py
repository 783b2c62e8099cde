"""Valid input for the services, to be varied one field at a time."""

import dataclasses
from datetime import timedelta
from typing import Any

from sqlmodel import select

from models.audit import AuditEvent
from models.types import utcnow
from services.access import ADMIN, EDITOR, VIEWER, Actor
from services.customer_queries import CustomerQuery
from services.customers import create_customer
from services.db import read_session, write_session
from services.fast_insert import insert_rows
from services.list_filters import from_parameters
from services.payment_methods import add_payment_method

ACTOR = Actor("ada@example.com", ADMIN)
EDITOR_ACTOR = Actor("eddie@example.com", EDITOR)
VIEWER_ACTOR = Actor("vera@example.com", VIEWER)


def admin(email: str) -> Actor:
    return Actor(email, ADMIN)


def customer_input(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Acme Analytics GmbH",
        "primary_contact_email": "billing@acme.example",
        "primary_contact_first_name": "Ada",
        "primary_contact_last_name": "Lovelace",
        "country": "DE",
        "currency": "EUR",
        "address_line1": "Friedrichstraße 1",
        "city": "Berlin",
        "state": "DE-BE",
        "postal_code": "10117",
        "tax_rate": "19",
        "external_ids": ["acme-001"],
    }
    values.update(overrides)
    return values


def make_customer(**overrides: Any):
    return create_customer(customer_input(**overrides), actor=ACTOR)


def card_input(**overrides: Any) -> dict[str, Any]:
    """A Stripe card far from its expiry: a usable default for Auto Pay."""
    return {"provider": "stripe", "provider_customer_id": None, "reference": "pm_1Visa4242",
            "method_type": "card", "brand": "Visa", "last4": "4242", "exp_month": 8,
            "exp_year": 2090, **overrides}


def add_card(customer_id: int, **overrides: Any):
    """The customer, as committed, with a usable card (each customer's its own reference)."""
    values = card_input(reference=f"pm_card{customer_id}", **overrides)
    return add_payment_method(customer_id, values, actor=ACTOR)


def customer_history(customer_id: int) -> list[AuditEvent]:
    """A customer's raw audit events, newest first (the pages read services.activity)."""
    with read_session() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.customer_id == customer_id)
                                 .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())))


def customer_query(**given: Any) -> CustomerQuery:
    """A CustomerQuery with built-in filters named as the API names them (country=["DE"],
    has_tax_id=True, created_from=...) beside its own fields."""
    own = {f.name for f in dataclasses.fields(CustomerQuery)}
    query = {k: v for k, v in given.items() if k in own}
    filters = from_parameters(**{k: v for k, v in given.items() if k not in own})
    return CustomerQuery(**{**query, "filters": tuple(query.get("filters", ())) + filters})


def log_events(count: int, **fields: Any) -> None:
    """`count` audit events as a long log holds them (an archive each, by ada, one second
    apart, newest last), written in one insert: thousands cost a fraction of a second,
    where as many edits through the services would take minutes."""
    start = utcnow()
    rows = [{"at": start + timedelta(seconds=n), "actor": ACTOR.email,
             "action": "customer.archived", "entity": "customer", "entity_id": None,
             "customer_id": None, "changes": {"status": ["active", "archived"]}, **fields}
            for n in range(count)]
    with write_session() as session:
        insert_rows(session, AuditEvent.__table__, rows)
