"""The customer book as SQL: quick search, filters, sort, pagination and counts.

Nothing here loads the table into Python: the grid asks for one page, the count
is a COUNT, and exports stream the same query in chunks (services.export).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, select, union
from sqlalchemy.engine import Row

from models.alias import Alias
from models.choices import PAYMENT_TERMS_MAX, PAYMENT_TERMS_MIN, CustomerStatus
from models.contact import Contact
from models.customer import Customer
from models.legal_entity import LegalEntity
from models.search_index import sqlite_search
from services import custom_filters
from services.cleaners import strip_control
from services.custom_fields import custom_specs, is_custom
from services.custom_filters import CustomFilter
from services.customer_columns import BookColumn, book_columns, choose
from services.db import get_engine, read_session
from services.errors import ValidationError
from services.query_values import INT32_MAX, INT64_MAX, day, start_of, start_of_next, whole

STATUS_ALL = "all"
STATUSES = (CustomerStatus.ACTIVE.value, CustomerStatus.ARCHIVED.value, STATUS_ALL)
MAX_PAGE_SIZE = 5_000
TRIGRAM = 3  # fragments this long or longer are answered by the trigram index
SORTABLE = ("name", "business_name", "primary_contact_email", "country", "currency",
            "legal_entity_id", "invoicing_flow", "payment_terms_days", "auto_pay", "tax_rate",
            "created_at", "updated_at", "id")


VERSION = "version"


@dataclass(frozen=True)
class CustomerQuery:
    """What the grid, an export or the API asks for. Empty means "any"."""

    search: str | None = None
    countries: Sequence[str] = ()
    currencies: Sequence[str] = ()
    legal_entity_ids: Sequence[int] = ()
    invoicing_flows: Sequence[str] = ()
    payment_terms: Sequence[int] = ()
    auto_pay: bool | None = None
    has_tax_id: bool | None = None
    created_from: date | None = None
    created_to: date | None = None
    status: str = CustomerStatus.ACTIVE.value
    sort: str = "name"
    descending: bool = False
    offset: int = 0
    limit: int = 50
    columns: Sequence[str] = ()
    custom: tuple[CustomFilter, ...] = ()

    def __post_init__(self):
        """Terms arrive from URLs and the API as typed: characters no stored value holds
        are dropped, so a NUL finds nothing instead of failing the query."""
        if self.search is not None:
            object.__setattr__(self, "search", strip_control(self.search))
        for name in ("countries", "currencies", "invoicing_flows"):
            object.__setattr__(self, name, tuple(strip_control(str(v))
                                                 for v in getattr(self, name)))


@dataclass(frozen=True)
class CustomerPage:
    """One page: each row holds `columns` in order, then the customer's version (VERSION),
    which a write from this page (a bulk action) sends back."""

    rows: list[Row] = field(default_factory=list)
    total: int = 0
    columns: list[BookColumn] = field(default_factory=list)


def _like(term: str) -> tuple[str, bool]:
    """A LIKE pattern for a fragment, and whether it needed escaping (% and _ are literal)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%", escaped != term


def _search_ids(term: str) -> Select:
    """Ids of customers a fragment finds, answered from the search index of the database."""
    pattern, escaped = _like(term)
    escape = "\\" if escaped else None
    if get_engine().dialect.name == "sqlite":
        body = sqlite_search.c.body
        if len(term) >= TRIGRAM:
            # A quoted FTS5 phrase is a substring match on the trigram index, with % and _
            # taken literally (LIKE ... ESCAPE would bypass the index).
            condition = body.op("MATCH")('"' + term.replace('"', '""') + '"')
        else:
            condition = body.like(pattern, escape=escape)
        return select(sqlite_search.c.customer_id).where(condition)
    # One branch per column, so each reads its own trigram index (an OR of three columns
    # made PostgreSQL's planner fall back to scanning the table).
    return union(
        select(Customer.id).where(Customer.name.ilike(pattern, escape=escape)),
        select(Customer.id).where(Customer.business_name.ilike(pattern, escape=escape)),
        select(Customer.id).where(Customer.tax_id.ilike(pattern, escape=escape)),
        select(Contact.customer_id).where(Contact.email.ilike(pattern, escape=escape)),
        select(Alias.customer_id).where(Alias.value.ilike(pattern, escape=escape)),
    )


def _created_range(q: CustomerQuery) -> list[ColumnElement[bool]]:
    conds = []
    if q.created_from:
        conds.append(Customer.created_at >= start_of(day("created_from", q.created_from)))
    if q.created_to:
        end = start_of_next(day("created_to", q.created_to))
        if end is not None:
            conds.append(Customer.created_at < end)
    return conds


def _check_numbers(q: CustomerQuery) -> None:
    """Ids and terms within what the columns hold (see services.query_values)."""
    for value in q.legal_entity_ids:
        whole("legal_entity_id", value, 1, INT32_MAX)
    for value in q.payment_terms:
        whole("payment_terms", value, PAYMENT_TERMS_MIN, PAYMENT_TERMS_MAX)


def conditions(q: CustomerQuery) -> list[ColumnElement[bool]]:
    if q.status not in STATUSES:
        raise ValidationError.single("status", "Status must be active, archived or all.")
    _check_numbers(q)
    conds: list[ColumnElement[bool]] = []
    if q.status == CustomerStatus.ACTIVE:
        conds.append(Customer.archived_at.is_(None))
    elif q.status == CustomerStatus.ARCHIVED:
        conds.append(Customer.archived_at.is_not(None))
    among = {
        Customer.country: [c.upper() for c in q.countries],
        Customer.currency: [c.upper() for c in q.currencies],
        Customer.legal_entity_id: list(q.legal_entity_ids),
        Customer.invoicing_flow: list(q.invoicing_flows),
        Customer.payment_terms_days: list(q.payment_terms),
    }
    conds.extend(column.in_(values) for column, values in among.items() if values)
    if q.auto_pay is not None:
        conds.append(Customer.auto_pay.is_(q.auto_pay))
    if q.has_tax_id is not None:
        conds.append(Customer.tax_id.is_not(None) if q.has_tax_id else Customer.tax_id.is_(None))
    conds.extend(_created_range(q))
    term = (q.search or "").strip()
    if term:
        conds.append(Customer.id.in_(_search_ids(term)))
    if q.custom:
        specs = {s.key: s for s in custom_specs()}
        conds.extend(custom_filters.conditions(q.custom, specs, get_engine().dialect.name))
    return conds


def book_query(q: CustomerQuery, columns: list[BookColumn]) -> Select:
    """The rows and columns `q` asks for, sorted, without paging (exports stream this)."""
    if q.sort not in SORTABLE and not (is_custom(q.sort) and q.sort in book_columns()):
        raise ValidationError.single("sort", f"Cannot sort by {q.sort}.")
    order = book_columns()[q.sort].expression if q.sort != "id" else Customer.id
    direction = order.desc() if q.descending else order.asc()
    if getattr(order, "nullable", True):
        # Empty values last on both databases. Only for columns that can be empty: the
        # clause keeps SQLite from walking an index in order.
        direction = direction.nulls_last()
    return (
        select(*(c.expression.label(c.key) for c in columns))
        .select_from(Customer)
        .outerjoin(Contact, and_(Contact.customer_id == Customer.id, Contact.is_primary))
        .outerjoin(LegalEntity, LegalEntity.id == Customer.legal_entity_id)
        .where(*conditions(q))
        .order_by(direction,
                  Customer.id.desc() if q.descending else Customer.id.asc())
    )


def count_query(q: CustomerQuery) -> Select:
    return select(func.count()).select_from(Customer).where(*conditions(q))


def count_customers(q: CustomerQuery) -> int:
    with read_session() as session:
        return session.scalar(count_query(q))


def list_customers(q: CustomerQuery) -> CustomerPage:
    """One page of customers matching `q`, with the total number that match."""
    whole("limit", q.limit, 1, MAX_PAGE_SIZE)
    whole("offset", q.offset, 0, INT64_MAX)
    columns = _with_required(choose(list(dict.fromkeys(q.columns)) or None))
    query = (book_query(q, columns).add_columns(Customer.version.label(VERSION))
             .offset(q.offset).limit(q.limit))
    with read_session() as session:
        rows = list(session.execute(query))
        total = session.scalar(count_query(q))
    return CustomerPage(rows=rows, total=total, columns=columns)


def _with_required(columns: list[BookColumn]) -> list[BookColumn]:
    """Every page carries the id and name, whatever columns are shown."""
    keys = [c.key for c in columns]
    extra = [book_columns()[k] for k in ("id", "name", "status") if k not in keys]
    return extra + columns


def facet_counts(q: CustomerQuery, key: str, *, limit: int = 15) -> list[tuple[str, int]]:
    """Customers per value of one column (country, currency, legal entity) for the charts."""
    column = book_columns()[key].expression
    query = (
        select(column.label("value"), func.count().label("customers"))
        .select_from(Customer)
        .outerjoin(LegalEntity, LegalEntity.id == Customer.legal_entity_id)
        .where(*conditions(q))
        .group_by(column)
        .order_by(func.count().desc(), column)
        .limit(limit)
    )
    with read_session() as session:
        return [(value or "—", count) for value, count in session.execute(query)]
