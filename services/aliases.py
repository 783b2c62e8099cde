"""External identifiers (aliases): add, remove, and resolve one to its customer.

Each alias belongs to exactly one customer, so a usage event carrying it
resolves to one customer; the unique index on alias.value holds that even when
two writers race.
"""

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from models.alias import Alias
from models.catalogue import EXTERNAL_IDS
from models.customer import Customer
from services import audit, rules
from services.customers import fetch_customer, load_for_write, touch
from services.db import read_session, write_session
from services.errors import NotFoundError, ValidationError


def add_alias(customer_id: int, value: str, *, actor: str, version: int | None = None
              ) -> Customer:
    actor = audit.check_actor(actor)
    values = rules.clean_aliases([value])
    if not values:
        raise ValidationError.single(EXTERNAL_IDS, "External ID is required.")
    (cleaned,) = values
    try:
        with write_session() as session:
            customer = load_for_write(session, customer_id, version)
            taken = rules.alias_taken_error(session, values)
            if taken:
                raise taken
            alias = Alias(customer_id=customer_id, value=cleaned)
            session.add(alias)
            touch(customer)
            session.flush()
            audit.record(session, actor=actor, action="alias.added", entity="alias",
                         entity_id=alias.id, customer_id=customer_id,
                         changes={EXTERNAL_IDS: [None, cleaned]})
            return fetch_customer(session, customer_id)
    except IntegrityError as exc:
        with read_session() as session:
            raise (rules.alias_taken_error(session, values) or exc) from exc


def remove_alias(alias_id: int, *, actor: str, version: int | None = None) -> Customer:
    actor = audit.check_actor(actor)
    with write_session() as session:
        alias = session.get(Alias, alias_id)
        if alias is None:
            raise NotFoundError(f"External ID #{alias_id} does not exist.")
        customer = load_for_write(session, alias.customer_id, version)
        session.delete(alias)
        touch(customer)
        session.flush()
        audit.record(session, actor=actor, action="alias.removed", entity="alias",
                     entity_id=alias_id, customer_id=customer.id,
                     changes={EXTERNAL_IDS: [alias.value, None]})
        return fetch_customer(session, customer.id)


def resolve_alias(value: str) -> Customer:
    """The customer an external identifier belongs to (the metering use case)."""
    with read_session() as session:
        query = (
            select(Customer)
            .join(Alias, Alias.customer_id == Customer.id)
            .where(Alias.value == value.strip())
        )
        customer = session.exec(query).first()
    if customer is None:
        raise NotFoundError(f'No customer has the External ID "{value}".')
    return customer
