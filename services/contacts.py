"""Contacts of a customer: add, edit, remove, and choose the primary one.

A customer with contacts has exactly one primary contact, its billing contact: the first
contact added to a customer without one (created by the API or an import with no contact)
becomes primary, the primary cannot be removed, and set_primary moves the flag in one
transaction (the partial unique index keeps "at most one" in the database as well).
"""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models.catalogue import contact_fields
from models.contact import Contact
from models.customer import Customer
from services import access, audit, rules
from services.access import Actor
from services.customers import fetch_customer, load_for_write, touch
from services.db import write_session
from services.errors import NotFoundError, ValidationError


def _specs():
    return contact_fields()


def _values(contact: Contact) -> dict[str, Any]:
    return {s.key: getattr(contact, s.attr) for s in _specs()}


def _check_email_free(session: Session, customer_id: int, email: str, own_id: int | None):
    query = select(Contact.id).where(
        Contact.customer_id == customer_id,
        func.lower(Contact.email) == email.lower(),
    )
    if own_id is not None:
        query = query.where(Contact.id != own_id)
    if session.exec(query).first() is not None:
        raise ValidationError.single(
            "email", f"Email {email} is already a contact of this customer."
        )


def _load(session: Session, contact_id: int) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError(f"Contact #{contact_id} does not exist.")
    return contact


def _has_primary(session: Session, customer_id: int) -> bool:
    query = select(Contact.id).where(Contact.customer_id == customer_id, Contact.is_primary)
    return session.exec(query).first() is not None


def _email_race() -> ValidationError:
    """The unique index caught a second writer adding the same email at the same time."""
    return ValidationError.single("email", "Email is already a contact of this customer.")


def add_contact(customer_id: int, values: Mapping[str, Any], *, actor: Actor,
                version: int | None = None) -> Customer:
    """Add a contact; returns the customer as committed (find the contact by its email). The
    first contact of a customer without a billing contact becomes its primary one."""
    actor = access.require(actor, access.EDITOR)
    cleaned = rules.clean_contact(values, complete=True)
    try:
        with write_session() as session:
            customer = load_for_write(session, customer_id, version)
            _check_email_free(session, customer_id, cleaned["email"], None)
            first = not _has_primary(session, customer_id)
            contact = Contact(customer_id=customer_id, is_primary=first,
                              **{s.attr: cleaned[s.key] for s in _specs()})
            session.add(contact)
            touch(customer)
            session.flush()
            audit.record(session, actor=actor, action="contact.added", entity="contact",
                         entity_id=contact.id, customer_id=customer_id,
                         changes=audit.diff({}, cleaned))
            return fetch_customer(session, customer_id)
    except IntegrityError as exc:
        raise _email_race() from exc


def update_contact(contact_id: int, values: Mapping[str, Any], *, actor: Actor,
                   version: int | None = None) -> Customer:
    actor = access.require(actor, access.EDITOR)
    cleaned = rules.clean_contact(values, complete=False)
    try:
        with write_session() as session:
            contact = _load(session, contact_id)
            customer = load_for_write(session, contact.customer_id, version)
            before = _values(contact)
            if "email" in cleaned:
                _check_email_free(session, contact.customer_id, cleaned["email"], contact.id)
            changes = audit.diff(before, {**before, **cleaned})
            if changes:
                for spec in _specs():
                    if spec.key in cleaned:
                        setattr(contact, spec.attr, cleaned[spec.key])
                touch(customer)
                session.flush()
                audit.record(session, actor=actor, action="contact.updated", entity="contact",
                             entity_id=contact.id, customer_id=contact.customer_id,
                             changes=changes)
            return fetch_customer(session, contact.customer_id)
    except IntegrityError as exc:
        raise _email_race() from exc


def remove_contact(contact_id: int, *, actor: Actor, version: int | None = None) -> Customer:
    """Remove a contact that is not the primary one."""
    actor = access.require(actor, access.EDITOR)
    with write_session() as session:
        contact = _load(session, contact_id)
        customer = load_for_write(session, contact.customer_id, version)
        if contact.is_primary:
            raise ValidationError.single(
                "is_primary",
                "The primary contact cannot be removed; make another contact primary first.",
            )
        before = _values(contact)
        session.delete(contact)
        touch(customer)
        session.flush()
        audit.record(session, actor=actor, action="contact.removed", entity="contact",
                     entity_id=contact_id, customer_id=customer.id,
                     changes={k: [audit.to_json(v), None] for k, v in before.items()})
        return fetch_customer(session, customer.id)


def set_primary_contact(contact_id: int, *, actor: Actor, version: int | None = None
                        ) -> Customer:
    actor = access.require(actor, access.EDITOR)
    with write_session() as session:
        contact = _load(session, contact_id)
        customer = load_for_write(session, contact.customer_id, version)
        if contact.is_primary:
            return fetch_customer(session, customer.id)
        previous = session.exec(
            select(Contact).where(Contact.customer_id == customer.id, Contact.is_primary)
        ).first()
        if previous is not None:
            previous.is_primary = False
            session.flush()  # the old primary lets go before the new one takes the index
        contact.is_primary = True
        touch(customer)
        session.flush()
        audit.record(session, actor=actor, action="contact.primary_set", entity="contact",
                     entity_id=contact.id, customer_id=customer.id,
                     changes={"primary_contact": [previous.email if previous else None,
                                                  contact.email]})
        return fetch_customer(session, customer.id)

