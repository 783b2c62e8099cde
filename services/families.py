"""Customer families: a customer's parent (one level deep) and whether its invoices go to
the parent; reading a family and finding the customers that may become a parent.

Writes go through services.customers (one transaction carrying the version read, audited),
which applies the family rules of services.family_rules inside it; the same rules hold
for the API's PATCH, a new customer and the import.
"""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import select

from models.customer import Customer
from services import family_rules
from services.access import Actor
from services.customer_queries import CustomerQuery, list_customers
from services.customers import update_family
from services.db import read_session
from services.errors import NotFoundError
from services.family_rules import INVOICE_TO_PARENT, PARENT
from services.family_sql import PARENT as HAS_CHILDREN
from services.family_sql import STANDALONE
from services.list_filters import FieldFilter


@dataclass(frozen=True)
class Member:
    """A family member as the profile and the API list it."""

    id: int
    name: str
    status: str
    invoice_to_parent: bool = False


@dataclass(frozen=True)
class Family:
    parent: Member | None
    children: tuple[Member, ...]


def _member(customer: Customer) -> Member:
    return Member(customer.id, customer.name, customer.status.value,
                  customer.invoice_to_parent)


def set_parent(customer_id: int, parent_id: int, *, version: int | None, actor: Actor,
               invoice_to_parent: bool | None = None) -> Customer:
    values: dict = {PARENT: parent_id}
    if invoice_to_parent is not None:
        values[INVOICE_TO_PARENT] = invoice_to_parent
    return update_family(customer_id, values, version=version, actor=actor)


def clear_parent(customer_id: int, *, version: int | None, actor: Actor) -> Customer:
    """Take the customer out of its family; its invoices stop going to the parent."""
    return update_family(customer_id, {PARENT: None, INVOICE_TO_PARENT: False},
                         version=version, actor=actor)


def family(customer_id: int) -> Family:
    """The customer's parent and its children (by name), read by the parent_id index."""
    with read_session() as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFoundError(f"Customer #{customer_id} does not exist.")
        parent = session.get(Customer, customer.parent_id) if customer.parent_id else None
        children = session.exec(select(Customer).where(Customer.parent_id == customer_id)
                                .order_by(Customer.name, Customer.id)).all()
        return Family(_member(parent) if parent else None,
                      tuple(_member(c) for c in children))


def children_of(customer_id: int) -> tuple[Member, ...]:
    return family(customer_id).children


def eligible_parents(customer_id: int | None, term: str | None, *, limit: int = 20
                     ) -> list[Member]:
    """Customers that may become this customer's parent, found by the grid's quick search
    (indexed, so it stays fast at a million customers): active, without a parent
    themselves, and not the customer itself."""
    page = list_customers(CustomerQuery(
        search=(term or "").strip() or None, limit=limit + 1,
        filters=(FieldFilter(PARENT, values=(HAS_CHILDREN, STANDALONE)),)))
    found = [Member(r.id, r.name, r.status) for r in page.rows if r.id != customer_id]
    return found[:limit]


def active_children_count(customer_id: int) -> int:
    """How many active children archiving this customer would leave without a parent."""
    with read_session() as session:
        return family_rules.count_children(session, customer_id, active_only=True)


def children_left_out(selected: list[int]) -> int:
    """Active children of the selected customers that are not selected themselves: what a
    bulk archive must be told what to do with."""
    if not selected:
        return 0
    with read_session() as session:
        query = select(func.count()).select_from(Customer).where(
            Customer.parent_id.in_(selected), Customer.archived_at.is_(None),
            Customer.id.not_in(selected))
        return session.exec(query).one()
