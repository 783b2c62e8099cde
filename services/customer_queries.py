"""The customer book as SQL: quick search, filters, sort, pagination and counts.

Nothing here loads the table into Python: the grid asks for one page, the count
is a COUNT, and exports stream the same query in chunks (services.export).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import (
    Column,
    ColumnElement,
    Select,
    and_,
    false,
    func,
    literal,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.engine import Row
from sqlalchemy.sql.selectable import ScalarSelect, SelectBase, Subquery

from models.choices import CustomerStatus
from models.contact import Contact, is_primary
from models.customer import Customer
from models.legal_entity import LegalEntity
from models.payment_method import PaymentMethod
from services import default_payment_method, list_filters
from services.builtin_columns import without_primary_contact
from services.capped_counts import Count, count_matches
from services.cleaners import strip_control
from services.customer_columns import BookColumn, book_columns, choose
from services.db import get_engine, read_session
from services.errors import ValidationError
from services.found_customers import among, among_ids
from services.list_filters import FieldFilter
from services.page_plans import SEARCH, PagePlan, plan_page
from services.query_values import INT64_MAX, whole
from services.quick_search import found_ids

UNPLANNED = PagePlan()
STATUS_ALL = "all"
STATUSES = (CustomerStatus.ACTIVE.value, CustomerStatus.ARCHIVED.value, STATUS_ALL)
MAX_PAGE_SIZE = 5_000


VERSION = "version"
MATCHED = "matched"  # on a page that counted its matches: how many (page_query)


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


def _walked(column: BookColumn, f: FieldFilter, dialect: str) -> BookColumn:
    """The column as a page walking its order filters it: a set of its own ("has none",
    a payment method's state) tests each customer walked, and on SQLite a range compares
    the column through a unary plus, which SQLite reads from the row, never from an index."""
    compared = column.compared
    if dialect != "sqlite" or (f.low is None and f.high is None):
        return replace(column, walked=True)
    return replace(column, walked=True, stored=literal_column(
        f"+{compared.table.name}.{compared.name}", compared.type))


def conditions(q: CustomerQuery, plan: PagePlan = UNPLANNED) -> list[ColumnElement[bool]]:
    """`q`'s conditions, as the plan reads them: those it walks (SEARCH, filters' keys)
    test the customers the page's order goes down instead of finding them by their index,
    and a search it has read names its customers."""
    if q.status not in STATUSES:
        raise ValidationError.single("status", "Status must be active, archived or all.")
    conds: list[ColumnElement[bool]] = []
    if q.status == CustomerStatus.ACTIVE:
        conds.append(Customer.archived_at.is_(None))
    elif q.status == CustomerStatus.ARCHIVED:
        conds.append(Customer.archived_at.is_not(None))
    term = (q.search or "").strip()
    if SEARCH in plan.found:
        conds.append(among_ids(plan.found[SEARCH]))
    elif term:
        conds.append(among(found_ids(term), walked=SEARCH in plan.walked))
    columns, dialect = book_columns(), get_engine().dialect.name
    for f in q.filters:
        column = columns.get(f.key)
        if column is None or column.filter is None:  # a retired field: it matches nothing
            conds.append(false())
            continue
        if f.key in plan.found:
            conds.append(among_ids(plan.found[f.key]))
            continue
        if f.key in plan.walked:
            column = _walked(column, f, dialect)
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
    if getattr(order, "nullable", True) or _tables([order]) - {Customer.__table__}:
        # Empty values last on both databases. Only for columns that can be empty (those of
        # an outer-joined table can): the clause keeps SQLite from walking an index in order.
        direction = direction.nulls_last()
    return [direction, _by_id(q)]


def _tables(expressions: Sequence[ColumnElement]) -> set:
    """The tables whose columns `expressions` read themselves. A subquery among them (a
    search's found ids, an EXISTS over contacts) reads its own tables, which the page
    need not join."""
    # A mapped attribute (Contact.email) is searched as the column it stands for.
    stack = [getattr(e, "__clause_element__", lambda e=e: e)() for e in expressions]
    tables = set()
    while stack:
        element = stack.pop()
        if isinstance(element, SelectBase | ScalarSelect | Subquery):
            continue
        if isinstance(element, Column):
            tables.add(element.table)
        stack.extend(element.get_children())
    return tables


def _reads_contact(expression: ColumnElement) -> bool:
    return Contact.__table__ in _tables([expression])


def _joined(query: Select, expressions: Sequence[ColumnElement], *,
            contact_joined: bool = False) -> Select:
    """`query` over customer with the outer joins `expressions` read from: the primary
    contact (unless the query has joined it already), the legal entity, the default payment
    method (each at most one row)."""
    tables = _tables(expressions)
    if Contact.__table__ in tables and not contact_joined:
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


def _merged(q: CustomerQuery, arms: list[Select]) -> Select:
    """A page's ids from arms that each read their part of the order off an index, no
    further than the page's end: each arm selects (id, rank, key) in its own order, and
    the page sorts them by rank, then key and id in the page's direction."""
    page = union_all(*(select(*arm.limit(q.offset + q.limit).subquery().c) for arm in arms)
                     ).subquery()
    key, by_id = page.c.key, page.c.id
    in_order = [key.desc(), by_id.desc()] if q.descending else [key.asc(), by_id.asc()]
    return select(page.c.id).order_by(page.c.rank, *in_order).offset(q.offset).limit(q.limit)


def _by_id(q: CustomerQuery) -> ColumnElement:
    return Customer.id.desc() if q.descending else Customer.id.asc()


def _ids_by_entity(q: CustomerQuery, where: list[ColumnElement],
                   ranks: Sequence[int | None]) -> Select:
    """A page's ids sorted by legal entity name without joining a million customers to
    their entity: one arm per entity, in the names' order, each read off the (entity, id)
    index."""
    arms = []
    for rank, entity in enumerate(ranks):
        same = (Customer.legal_entity_id.is_(None) if entity is None
                else Customer.legal_entity_id == entity)
        arms.append(_joined(select(Customer.id, literal(rank).label("rank"),
                                   null().label("key")), where)
                    .where(*where, same).order_by(_by_id(q)))
    return _merged(q, arms)


def _ids_by_contact(q: CustomerQuery, where: list[ColumnElement], order: ColumnElement
                    ) -> Select:
    """A page's ids sorted by a column of the primary contact (its email) without an outer
    join of a million customers, whose order no index holds: the customers with a primary
    contact in that column's order, read off the contact's index, then those without one
    (models.no_billing_contact), empty values last as in every sort."""
    direction = order.desc() if q.descending else order.asc()
    primary = (select(Customer.id, literal(0).label("rank"), order.label("key"))
               .select_from(Contact)
               .join(Customer, and_(Customer.id == Contact.customer_id, is_primary())))
    with_contact = (_joined(primary, where, contact_joined=True).where(*where)
                    .order_by(direction, _by_id(q)))
    without = (_joined(select(Customer.id, literal(1).label("rank"),
                              null().label("key")), where)
               .where(*where, among(without_primary_contact())).order_by(_by_id(q)))
    return _merged(q, [with_contact, without])


def page_query(q: CustomerQuery, columns: list[BookColumn], plan: PagePlan = UNPLANNED
               ) -> Select:
    """One page of `q`: the page's ids are chosen first, over the customer table and only
    the joins its filters and sort read, and the shown columns joined for those ids alone.
    A page deep in the book, or sorted out of a wide filter, then skips and sorts ids, not
    whole rows with their contact and legal entity. The plan (plan_page) lets a sort by
    legal entity read each entity's customers in turn, and a broad search or range walk the
    order."""
    order, where = _order(q), conditions(q, plan)
    if plan.ranks is not None:
        ids = _ids_by_entity(q, where, plan.ranks)
    elif _reads_contact(order[0]):
        ids = _ids_by_contact(q, where, book_columns()[q.sort].expression)
    else:
        ids = (_joined(select(Customer.id), [*order, *where]).where(*where).order_by(*order)
               .offset(q.offset).limit(q.limit))
        if plan.found:
            return _counted_page(columns, order, ids)
    return _rows(columns, order).where(Customer.id.in_(ids)).order_by(*order)


def _counted_page(columns: list[BookColumn], order: list[ColumnElement], ids: Select
                  ) -> Select:
    """The page of a search or a filter's set whose customers the plan read (no more than
    page_plans lets it): the page sorts every one of them anyway, so it counts them too
    (MATCHED, a window over all before the page is cut), and no count looks the same ids up
    a second time."""
    page = ids.add_columns(func.count().over().label(MATCHED)).subquery()
    return (_rows(columns, order).join(page, page.c.id == Customer.id)
            .add_columns(page.c[MATCHED]).order_by(*order))


def matching_query(q: CustomerQuery, plan: PagePlan = UNPLANNED) -> Select:
    """The ids of every customer `q` matches, in no order: what counts count."""
    return select(Customer.id).where(*conditions(q, plan))


def count_customers(q: CustomerQuery) -> int:
    """Every customer `q` matches, counted exactly."""
    with read_session() as session:
        return count_matches(session, matching_query(q), exact=True).value


def _count(session, q: CustomerQuery, plan: PagePlan, rows: list[Row], exact: bool) -> Count:
    """How many match: a page that ends before its limit, or one that counted its matches
    (MATCHED), has counted them already."""
    if len(rows) < q.limit and (rows or q.offset == 0):
        return Count(q.offset + len(rows))
    if rows and MATCHED in rows[0]._fields:
        return Count(rows[0]._mapping[MATCHED])
    return count_matches(session, matching_query(q, plan), exact=exact)


def list_customers(q: CustomerQuery, *, exact_count: bool = False) -> CustomerPage:
    """One page of customers matching `q`, and how many match: exactly up to 10,000,
    past that "more than 10,000" unless `exact_count` (a count of a million matches
    reads a million rows)."""
    whole("limit", q.limit, 1, MAX_PAGE_SIZE)
    whole("offset", q.offset, 0, INT64_MAX)
    columns = _with_required(choose(list(dict.fromkeys(q.columns)) or None))
    with read_session() as session:
        plan = plan_page(session, q)
        rows = list(session.execute(page_query(q, columns, plan)
                                    .add_columns(Customer.version.label(VERSION))))
        count = _count(session, q, plan, rows, exact_count)
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
