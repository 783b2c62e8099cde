"""The customer book as SQL: quick search, filters, sort, pagination and counts.

Nothing here loads the table into Python: the grid asks for one page, the count
is a COUNT, and exports stream the same query in chunks (services.export).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    false,
    func,
    literal,
    literal_column,
    select,
    union,
    union_all,
)
from sqlalchemy.engine import Row
from sqlalchemy.sql.util import find_tables

from models.alias import Alias
from models.choices import CustomerStatus
from models.contact import Contact, is_primary
from models.customer import Customer
from models.legal_entity import LegalEntity
from models.payment_method import PaymentMethod
from models.search_index import sqlite_holds, sqlite_search
from services import default_payment_method, list_filters
from services.capped_counts import Count, count_matches
from services.cleaners import strip_control
from services.customer_columns import BookColumn, book_columns, choose
from services.db import get_engine, read_session
from services.errors import ValidationError
from services.list_filters import FieldFilter
from services.query_values import INT64_MAX, like_pattern, whole

STATUS_ALL = "all"
STATUSES = (CustomerStatus.ACTIVE.value, CustomerStatus.ARCHIVED.value, STATUS_ALL)
MAX_PAGE_SIZE = 5_000
TRIGRAM = 3  # fragments this long or longer are answered by the trigram index


VERSION = "version"


@dataclass(frozen=True)
class CustomerQuery:
    """What the grid, an export or the API asks for: a search, the filters of any columns
    (services.list_filters; none means "any"), status, sort, a page and its columns."""

    search: str | None = None
    filters: tuple[FieldFilter, ...] = ()
    status: str = CustomerStatus.ACTIVE.value
    sort: str = "name"
    descending: bool = False
    offset: int = 0
    limit: int = 50
    columns: Sequence[str] = ()

    def __post_init__(self):
        """A search arrives from URLs and the API as typed: characters no stored value
        holds are dropped, so a NUL finds nothing instead of failing the query."""
        if self.search is not None:
            object.__setattr__(self, "search", strip_control(self.search))


@dataclass(frozen=True)
class CustomerPage:
    """One page: each row holds `columns` in order, then the customer's version (VERSION),
    which a write from this page (a bulk action) sends back; `count` is how many match,
    exact or "more than" the cap (services.capped_counts)."""

    rows: list[Row] = field(default_factory=list)
    count: Count = Count(0)
    columns: list[BookColumn] = field(default_factory=list)

    @property
    def total(self) -> int:
        """The exact number that match: for pages asked with exact_count, or whose
        matches stayed under the cap."""
        if not self.count.exact:
            raise ValueError("More customers match than were counted: ask for exact_count.")
        return self.count.value


def _search_ids(term: str) -> Select:
    """Ids of customers a fragment finds, answered from the search index of the database."""
    pattern, escape = like_pattern(term)
    if get_engine().dialect.name == "sqlite":
        body = sqlite_search.c.body
        if len(term) >= TRIGRAM:
            condition = sqlite_holds(term)
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


def _search_condition(term: str, in_page_order: bool) -> ColumnElement[bool]:
    if in_page_order:
        # Unary plus: SQLite may not look customers up by the found ids, so it walks the
        # page's order and keeps each customer the search found, stopping at the page's end.
        return literal_column("+customer.id").in_(_search_ids(term))
    return Customer.id.in_(_search_ids(term))


def conditions(q: CustomerQuery, *, search_in_page_order: bool = False
               ) -> list[ColumnElement[bool]]:
    if q.status not in STATUSES:
        raise ValidationError.single("status", "Status must be active, archived or all.")
    conds: list[ColumnElement[bool]] = []
    if q.status == CustomerStatus.ACTIVE:
        conds.append(Customer.archived_at.is_(None))
    elif q.status == CustomerStatus.ARCHIVED:
        conds.append(Customer.archived_at.is_not(None))
    term = (q.search or "").strip()
    if term:
        conds.append(_search_condition(term, search_in_page_order))
    columns, dialect = book_columns(), get_engine().dialect.name
    for f in q.filters:
        column = columns.get(f.key)
        if column is None or column.filter is None:  # a retired field: it matches nothing
            conds.append(false())
            continue
        made = list_filters.condition(column, f, dialect)
        if made is not None:
            conds.append(made)
    return conds


def sortable() -> list[str]:
    """The columns the list sorts by, as declared on their fields (custom fields all), in
    the book's order with the bare ID last."""
    keys = [key for key, column in book_columns().items() if column.sortable]
    return sorted(keys, key=lambda key: key == "id")


def _order(q: CustomerQuery) -> list[ColumnElement]:
    if q.sort not in sortable():
        raise ValidationError.single("sort", f"Cannot sort by {q.sort}.")
    order = book_columns()[q.sort].expression if q.sort != "id" else Customer.id
    direction = order.desc() if q.descending else order.asc()
    if getattr(order, "nullable", True):
        # Empty values last on both databases. Only for columns that can be empty: the
        # clause keeps SQLite from walking an index in order.
        direction = direction.nulls_last()
    return [direction, Customer.id.desc() if q.descending else Customer.id.asc()]


def _joined(query: Select, expressions: Sequence[ColumnElement]) -> Select:
    """`query` over customer with the outer joins `expressions` read from: the primary
    contact, the legal entity, the default payment method (each at most one row)."""
    tables = set()
    for expression in expressions:
        # A mapped attribute (Contact.email) is searched as the column it stands for.
        clause = getattr(expression, "__clause_element__", lambda e=expression: e)()
        tables.update(find_tables(clause, check_columns=True))
    if Contact.__table__ in tables:
        query = query.outerjoin(Contact, and_(Contact.customer_id == Customer.id,
                                              is_primary()))
    if LegalEntity.__table__ in tables:
        query = query.outerjoin(LegalEntity, LegalEntity.id == Customer.legal_entity_id)
    if PaymentMethod.__table__ in tables:
        query = query.outerjoin(PaymentMethod, default_payment_method.joined_on())
    return query


def _rows(columns: list[BookColumn], reading: Sequence[ColumnElement]) -> Select:
    """The columns' values, joined to what they and `reading` (a sort, filters) read."""
    return _joined(select(*(c.expression.label(c.key) for c in columns)).select_from(Customer),
                   [*(c.expression for c in columns), *reading])


def book_query(q: CustomerQuery, columns: list[BookColumn]) -> Select:
    """The rows and columns `q` asks for, sorted, without paging (exports stream this)."""
    order, where = _order(q), conditions(q)
    return _rows(columns, [*order, *where]).where(*where).order_by(*order)


ENTITY_SORT = "legal_entity_id"
MAX_RANKED_ENTITIES = 50
BROAD_SEARCH = 5_000


@dataclass(frozen=True)
class PagePlan:
    """How a page's query is shaped beyond `q`, from what the database holds: the legal
    entities' order for a sort by entity (entity_ranks), and whether a SQLite search finds
    so many customers that walking the page's order beats sorting them all."""

    ranks: list[int | None] | None = None
    broad_search: bool = False


def plan_page(session, q: CustomerQuery) -> PagePlan:
    return PagePlan(entity_ranks(session, q), _broad_search(session, q))


def _broad_search(session, q: CustomerQuery) -> bool:
    """Whether the SQLite trigram index finds the search in more than BROAD_SEARCH
    customers (counting no further). Found in a few, the page reads them and sorts them;
    found in many, sorting them all costs more than walking the order to the page's end."""
    term = (q.search or "").strip()
    if get_engine().dialect.name != "sqlite" or len(term) < TRIGRAM:
        return False
    found = select(sqlite_search.c.customer_id).where(sqlite_holds(term)).limit(BROAD_SEARCH + 1)
    return session.scalar(select(func.count()).select_from(found.subquery())) > BROAD_SEARCH


def entity_ranks(session, q: CustomerQuery) -> list[int | None] | None:
    """For a page sorted by legal entity, the entities' ids in the order of their names
    (no entity last); None when the page sorts by something else or there are too many
    entities to read one by one."""
    if q.sort != ENTITY_SORT:
        return None
    name = LegalEntity.name.desc() if q.descending else LegalEntity.name.asc()
    ids = list(session.scalars(select(LegalEntity.id).order_by(name, LegalEntity.id)
                               .limit(MAX_RANKED_ENTITIES + 1)))
    return [*ids, None] if len(ids) <= MAX_RANKED_ENTITIES else None


def _ids_by_entity(q: CustomerQuery, where: list[ColumnElement],
                   ranks: Sequence[int | None]) -> Select:
    """A page's ids sorted by legal entity name without joining a million customers to
    their entity: one arm per entity, in the names' order, each read off the (entity, id)
    index no further than the page's end."""
    by_id = Customer.id.desc() if q.descending else Customer.id.asc()
    arms = []
    for rank, entity in enumerate(ranks):
        same = (Customer.legal_entity_id.is_(None) if entity is None
                else Customer.legal_entity_id == entity)
        arm = (_joined(select(Customer.id, literal(rank).label("rank")), where)
               .where(*where, same).order_by(by_id).limit(q.offset + q.limit).subquery())
        arms.append(select(arm.c.id, arm.c.rank))
    page = union_all(*arms).subquery()
    in_order = page.c.id.desc() if q.descending else page.c.id.asc()
    return (select(page.c.id).order_by(page.c.rank, in_order)
            .offset(q.offset).limit(q.limit))


def page_query(q: CustomerQuery, columns: list[BookColumn], plan: PagePlan = PagePlan()
               ) -> Select:
    """One page of `q`: the page's ids are chosen first, over the customer table and only
    the joins its filters and sort read, and the shown columns joined for those ids alone.
    A page deep in the book, or sorted out of a wide filter, then skips and sorts ids, not
    whole rows with their contact and legal entity. The plan (plan_page) lets a sort by
    legal entity read each entity's customers in turn, and a broad search walk the order."""
    order, where = _order(q), conditions(q, search_in_page_order=plan.broad_search)
    if plan.ranks is not None:
        ids = _ids_by_entity(q, where, plan.ranks)
    else:
        ids = (_joined(select(Customer.id), [*order, *where]).where(*where).order_by(*order)
               .offset(q.offset).limit(q.limit))
    return _rows(columns, order).where(Customer.id.in_(ids)).order_by(*order)


def matching_query(q: CustomerQuery) -> Select:
    """The ids of every customer `q` matches, in no order: what counts count."""
    return select(Customer.id).where(*conditions(q))


def count_customers(q: CustomerQuery) -> int:
    """Every customer `q` matches, counted exactly."""
    with read_session() as session:
        return count_matches(session, matching_query(q), exact=True).value


def _count(session, q: CustomerQuery, rows: list[Row], exact: bool) -> Count:
    """How many match: a page that ends before its limit has counted them already."""
    if len(rows) < q.limit and (rows or q.offset == 0):
        return Count(q.offset + len(rows))
    return count_matches(session, matching_query(q), exact=exact)


def list_customers(q: CustomerQuery, *, exact_count: bool = False) -> CustomerPage:
    """One page of customers matching `q`, and how many match: exactly up to 10,000,
    past that "more than 10,000" unless `exact_count` (a count of a million matches
    reads a million rows)."""
    whole("limit", q.limit, 1, MAX_PAGE_SIZE)
    whole("offset", q.offset, 0, INT64_MAX)
    columns = _with_required(choose(list(dict.fromkeys(q.columns)) or None))
    with read_session() as session:
        query = (page_query(q, columns, plan_page(session, q))
                 .add_columns(Customer.version.label(VERSION)))
        rows = list(session.execute(query))
        count = _count(session, q, rows, exact_count)
    return CustomerPage(rows=rows, count=count, columns=columns)


def _with_required(columns: list[BookColumn]) -> list[BookColumn]:
    """Every page carries the id and name, whatever columns are shown."""
    keys = [c.key for c in columns]
    extra = [book_columns()[k] for k in ("id", "name", "status") if k not in keys]
    return extra + columns


def facet_counts(q: CustomerQuery, key: str, *, limit: int = 15) -> list[tuple[str, int]]:
    """Customers per value of one column (country, currency, legal entity) for the charts."""
    column, where = book_columns()[key].expression, conditions(q)
    query = (
        _joined(select(column.label("value"), func.count().label("customers"))
                .select_from(Customer), [column, *where])
        .where(*where)
        .group_by(column)
        .order_by(func.count().desc(), column)
        .limit(limit)
    )
    with read_session() as session:
        return [(value or "—", count) for value, count in session.execute(query)]
