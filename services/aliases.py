"""External identifiers (aliases): add, remove, and resolve one to its customer.

Each alias belongs to exactly one customer, so a usage event carrying it
resolves to one customer; the unique index on alias.value holds that even when
two writers race.
"""

import unicodedata
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models.alias import Alias
from models.catalogue import EXTERNAL_IDS, alias_field
from models.choices import CustomerStatus
from models.customer import Customer
from services import access, alias_keys, audit, hot_reads, rules
from services.access import Actor
from services.cleaners import has_control
from services.connected_accounts import OTHER, account_text, clean_system, system_label
from services.customers import fetch_customer, load_for_write, touch
from services.db import read_session, write_session
from services.errors import NotFoundError, ValidationError
from services.identifiers import match_key


def attach_alias(session: Session, customer_id: int, value: str, *, actor: str,
                 system: str = OTHER) -> Alias:
    """Give the customer the External ID `value` of `system` (both cleaned, the value
    checked free by the caller) in the caller's transaction: its look-alike key claimed,
    the alias added and audited as the connected account it is ("Stripe · cus_123")."""
    key = match_key(value)
    alias_keys.claim(session, [(customer_id, key)])
    alias = Alias(customer_id=customer_id, value=value, match_key=key, system=system)
    session.add(alias)
    session.flush()
    audit.record(session, actor=actor, action="alias.added", entity="alias",
                 entity_id=alias.id, customer_id=customer_id,
                 changes={EXTERNAL_IDS: [None, account_text(system, value)]})
    return alias


def add_alias(customer_id: int, value: str, system: str | None = OTHER, *, actor: Actor,
              version: int | None = None) -> Customer:
    """Give the customer the External ID `value` from `system` (a models.choices.
    SourceSystem; other unless given). A value is one ID whatever its system: one another
    customer holds, or this one lists already, is refused."""
    actor = access.require(actor, access.EDITOR)
    system = clean_system(system)
    values = rules.clean_aliases([value])
    if not values:
        raise ValidationError.single(EXTERNAL_IDS, "External ID is required.")
    (cleaned,) = values
    try:
        with write_session() as session:
            customer = load_for_write(session, customer_id, version)
            taken = alias_keys.taken_error(session, values, own_id=customer_id)
            if taken:
                raise taken
            listed = next((a for a in customer.aliases if a.value == cleaned), None)
            if listed is not None:
                raise ValidationError.single(
                    EXTERNAL_IDS, f'{alias_field().label} "{cleaned}" is already listed '
                                  f"({system_label(listed.system)}).")
            attach_alias(session, customer_id, cleaned, actor=actor, system=system)
            touch(customer)
            session.flush()
            return fetch_customer(session, customer_id)
    except IntegrityError as exc:
        with read_session() as session:
            raise (alias_keys.taken_error(session, values, own_id=customer_id) or exc) from exc


def remove_alias(alias_id: int, *, actor: Actor, version: int | None = None) -> Customer:
    actor = access.require(actor, access.EDITOR)
    with write_session() as session:
        alias = session.get(Alias, alias_id)
        if alias is None:
            raise NotFoundError(f"External ID #{alias_id} does not exist.")
        customer = load_for_write(session, alias.customer_id, version)
        session.delete(alias)
        session.flush()
        alias_keys.release(session, customer.id, alias.match_key)
        touch(customer)
        session.flush()
        audit.record(session, actor=actor, action="alias.removed", entity="alias",
                     entity_id=alias_id, customer_id=customer.id,
                     changes={EXTERNAL_IDS: [account_text(alias.system, alias.value), None]})
        return fetch_customer(session, customer.id)


@dataclass(frozen=True)
class AliasMatch:
    """The customer an alias belongs to: what a metering pipeline needs, nothing more."""

    id: int
    name: str
    status: str


_RESOLVE = (
    select(Customer.id, Customer.name, Customer.archived_at)
    .join(Alias, Alias.customer_id == Customer.id)
    .where(Alias.value == bindparam("value"))
)


def resolve_alias(value: str) -> AliasMatch:
    """The customer an external identifier belongs to (the metering use case): an exact,
    case-sensitive match of the ID in NFC, as it is stored (services.identifiers says why)."""
    rows = [] if has_control(value) else hot_reads.fetch_all(
        _RESOLVE, {"value": unicodedata.normalize("NFC", value.strip())})
    if not rows:
        raise NotFoundError(f'No customer has the External ID "{value}".')
    ((customer_id, name, archived_at),) = rows
    status = CustomerStatus.ARCHIVED if archived_at else CustomerStatus.ACTIVE
    return AliasMatch(id=customer_id, name=name, status=status.value)
