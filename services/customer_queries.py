"""Listing customers: search, filters, sort and pagination, all done in SQL."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, exists, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import select

from models.alias import Alias
from models.choices import CustomerStatus
from models.contact import Contact
from models.customer import Customer
from models.legal_entity import LegalEntity
from services.db import read_session
from services.errors import ValidationError

STATUS_ALL = "all"
# Search looks at every contact, while the row shows the primary one: two aliases
# of the contact table, so the EXISTS does not correlate with the row's join.
_ANY_CONTACT = aliased(Contact)
MAX_PAGE_SIZE = 5_000

SORTABLE = {
    "name": Customer.name,
    "business_name": Customer.business_name,
    "primary_contact_email": Contact.email,
    "country": Customer.country,
    "currency": Customer.currency,
    "legal_entity": LegalEntity.name,
    "invoicing_flow": Customer.invoicing_flow,
    "payment_terms_days": Customer.payment_terms_days,
    "auto_pay": Customer.auto_pay,
    "tax_rate": Customer.tax_rate,
    "created_at": Customer.created_at,
    "updated_at": Customer.updated_at,
}


@dataclass(frozen=True)
class CustomerQuery:
    """What the grid, an export or the API asks for. None means "any"."""

    search: str | None = None
    country: str | None = None
    currency: str | None = None
    legal_entity_id: int | None = None
    invoicing_flow: str | None = None
    auto_pay: bool | None = None
    status: str = CustomerStatus.ACTIVE.value
    sort: str = "name"
    descending: bool = False
    offset: int = 0
    limit: int = 50


@dataclass(frozen=True)
class CustomerRow:
    id: int
    name: str
    business_name: str | None
    primary_contact_email: str | None
    country: str | None
    currency: str
    legal_entity: str | None
    invoicing_flow: str
    payment_terms_days: int
    auto_pay: bool
    tax_rate: Decimal
    tax_id: str | None
    status: str
    created_at: datetime


@dataclass(frozen=True)
class CustomerPage:
    rows: list[CustomerRow] = field(default_factory=list)
    total: int = 0


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(q: CustomerQuery) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if q.status not in (*(s.value for s in CustomerStatus), STATUS_ALL):
        raise ValidationError.single("status", "Status must be active, archived or all.")
    if q.status == CustomerStatus.ACTIVE:
        conds.append(Customer.archived_at.is_(None))
    elif q.status == CustomerStatus.ARCHIVED:
        conds.append(Customer.archived_at.is_not(None))
    equal = {
        Customer.country: q.country and q.country.upper(),
        Customer.currency: q.currency and q.currency.upper(),
        Customer.legal_entity_id: q.legal_entity_id,
        Customer.invoicing_flow: q.invoicing_flow,
        Customer.auto_pay: q.auto_pay,
    }
    conds.extend(column == value for column, value in equal.items() if value is not None)
    term = (q.search or "").strip()
    if term:
        pattern = _like(term)
        conds.append(
            or_(
                Customer.name.ilike(pattern, escape="\\"),
                Customer.business_name.ilike(pattern, escape="\\"),
                Customer.tax_id.ilike(pattern, escape="\\"),
                exists().where(_ANY_CONTACT.customer_id == Customer.id,
                               _ANY_CONTACT.email.ilike(pattern, escape="\\")),
                exists().where(Alias.customer_id == Customer.id,
                               Alias.value.ilike(pattern, escape="\\")),
            )
        )
    return conds


def count_customers(q: CustomerQuery) -> int:
    with read_session() as session:
        query = select(func.count()).select_from(Customer).where(*_conditions(q))
        return session.exec(query).one()


def list_customers(q: CustomerQuery) -> CustomerPage:
    """One page of customers matching `q`, with the total number that match."""
    if q.sort not in SORTABLE:
        raise ValidationError.single("sort", f"Cannot sort by {q.sort}.")
    if not 1 <= q.limit <= MAX_PAGE_SIZE or q.offset < 0:
        raise ValidationError.single("limit", f"Page size must be 1 to {MAX_PAGE_SIZE}.")
    order = SORTABLE[q.sort]
    query = (
        select(
            Customer.id, Customer.name, Customer.business_name,
            Contact.email.label("primary_contact_email"), Customer.country, Customer.currency,
            LegalEntity.name.label("legal_entity"), Customer.invoicing_flow,
            Customer.payment_terms_days, Customer.auto_pay, Customer.tax_rate, Customer.tax_id,
            Customer.archived_at, Customer.created_at,
        )
        .outerjoin(Contact, and_(Contact.customer_id == Customer.id, Contact.is_primary))
        .outerjoin(LegalEntity, LegalEntity.id == Customer.legal_entity_id)
        .where(*_conditions(q))
        .order_by(
            (order.desc() if q.descending else order.asc()).nulls_last(),
            Customer.id.desc() if q.descending else Customer.id.asc(),
        )
        .offset(q.offset)
        .limit(q.limit)
    )
    with read_session() as session:
        rows = [
            CustomerRow(
                **{k: v for k, v in r._mapping.items() if k != "archived_at"},
                status=(CustomerStatus.ARCHIVED if r.archived_at else CustomerStatus.ACTIVE).value,
            )
            for r in session.exec(query)
        ]
    return CustomerPage(rows=rows, total=count_customers(q))
