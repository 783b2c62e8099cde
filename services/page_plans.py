"""How a page of the customer book is read, decided from what the database holds.

Both databases answer a search or a date range from an index; what they cannot know is
whether reading every customer found and sorting them costs more than walking the page's
order and keeping the ones found. SQLite's planner assumes a range or a search finds few;
PostgreSQL's joined ten thousand found ids to a scan of the whole table. The plan reads
the found ids no further than where walking wins, or first asks PostgreSQL's statistics
how many a search finds, and picks. Ids it read are given to the page as they are, and the
page counts them as it sorts them.
"""

from dataclasses import dataclass, field
from math import isqrt
from typing import TYPE_CHECKING

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from models.customer import Customer
from models.kinds import Kind
from models.legal_entity import LegalEntity
from services import default_payment_method, list_filters
from services.customer_columns import BookColumn, book_columns
from services.quick_search import TRIGRAM, found_ids, found_rows

if TYPE_CHECKING:
    from services.customer_queries import CustomerQuery

SEARCH = "search"  # in PagePlan.walked: the search, beside the keys of filters
ENTITY_SORT = "legal_entity_id"
MAX_RANKED_ENTITIES = 50
WALK_PROBE_CAP = 50_000


@dataclass(frozen=True)
class PagePlan:
    """How a page's query is shaped beyond `q`: the legal entities' order for a sort by
    entity (entity_ranks), and which of its search (SEARCH), range and "has none" filters
    (their keys) find so many customers that the page walks its order and tests each."""

    ranks: list[int | None] | None = None
    walked: frozenset[str] = frozenset()
    # The customers a search or a filter's own index finds, when few, by SEARCH or the
    # filter's key: read once and given to the page, which counts them as it sorts them
    # (each would look them up in the index again).
    found: dict[str, tuple[int, ...]] = field(default_factory=dict)


def plan_page(session: Session, q: "CustomerQuery") -> PagePlan:
    found = _found(q, session.get_bind().dialect.name)
    if not found:
        return PagePlan(entity_ranks(session, q))
    enough, walked, read = _enough(session, q), set(), {}
    for key, each in found.items():
        if each.estimated is not None and _estimated(session, each.estimated) >= enough:
            walked.add(key)
        elif each.counted_only:
            if _counted(session, each.ids, enough) >= enough:
                walked.add(key)
        else:  # read no further than enough (PostgreSQL's statistics may be wrong)
            ids = list(session.scalars(each.ids.limit(enough + 1)))
            if len(ids) > enough:
                walked.add(key)
            else:
                read[key] = tuple(dict.fromkeys(i for i in ids if i is not None))
    return PagePlan(entity_ranks(session, q), frozenset(walked), read)


@dataclass(frozen=True)
class _Found:
    ids: Select  # the customers found (a search may find one more than once)
    estimated: Select | None = None  # rows PostgreSQL's statistics size first
    # Counted, never read: the filter's own condition finds them from its index faster
    # than the page looks up a list of ids (a range, at 1,000,000 customers 70 ms read
    # by its index, 90 ms as a list).
    counted_only: bool = False


def _found(q: "CustomerQuery", dialect: str) -> dict[str, _Found]:
    """What the page's search, "has none" and payment method filters and (SQLite) range
    filters find from their own indexes, by key. PostgreSQL's planner sizes ranges from
    its histograms, and its statistics size a search without reading its trigram matches
    twice."""
    found = {}
    term = (q.search or "").strip()
    if len(term) >= TRIGRAM:  # shorter, no index answers it: it is read as it comes
        found[SEARCH] = _Found(ids=found_ids(term),
                               estimated=None if dialect == "sqlite" else found_rows(term))
    columns = book_columns()
    for f in q.filters:
        column = columns.get(f.key)
        if column is None or column.filter is None:
            continue
        if column.absent is not None and f.is_true is False:
            found[f.key] = _Found(column.absent)
        elif column.kind == Kind.PAYMENT_METHOD and f.values:
            dated = default_payment_method.found(tuple(str(v) for v in f.values))
            if dated is not None:
                found[f.key] = _Found(dated)
        # Not the sorted column: walking its index past the range's start tests for nothing.
        elif (dialect == "sqlite" and _leads_an_index(column) and f.key != q.sort
              and (f.low is not None or f.high is not None)):
            made = list_filters.condition(column, f, dialect)
            if made is not None:
                found[f.key] = _Found(select(Customer.id).where(made), counted_only=True)
    return found


def _enough(session: Session, q: "CustomerQuery") -> int:
    """How many customers found make walking the page's order cheaper than sorting them.
    Of a book of B customers, with F found, a page ending at row E reads about E × B / F
    customers walking and F sorting: walking wins when F² > E × B. Counting stops there,
    or at WALK_PROBE_CAP."""
    book = session.scalar(select(func.max(Customer.id))) or 0
    return min(isqrt((q.offset + q.limit) * book) + 1, WALK_PROBE_CAP)


def _counted(session: Session, ids: Select, enough: int) -> int:
    return session.scalar(select(func.count()).select_from(ids.limit(enough).subquery()))


def _estimated(session: Session, rows: Select) -> int:
    """PostgreSQL's estimate of how many rows `rows` returns, from its statistics: the
    plan alone, nothing is read (a count would read every trigram match twice)."""
    compiled = rows.compile(dialect=session.get_bind().dialect)
    plan = session.connection().exec_driver_sql("EXPLAIN (FORMAT JSON) " + str(compiled),
                                                compiled.params).scalar()
    return int(plan[0]["Plan"]["Plan Rows"])


def _leads_an_index(column: BookColumn) -> bool:
    compared = column.compared
    return getattr(compared, "table", None) is Customer.__table__ and any(
        next(iter(index.columns)).name == compared.name for index in Customer.__table__.indexes)


def entity_ranks(session: Session, q: "CustomerQuery") -> list[int | None] | None:
    """For a page sorted by legal entity, the entities' ids in the order of their names
    (no entity last); None when the page sorts by something else or there are too many
    entities to read one by one."""
    if q.sort != ENTITY_SORT:
        return None
    name = LegalEntity.name.desc() if q.descending else LegalEntity.name.asc()
    ids = list(session.scalars(select(LegalEntity.id).order_by(name, LegalEntity.id)
                               .limit(MAX_RANKED_ENTITIES + 1)))
    return [*ids, None] if len(ids) <= MAX_RANKED_ENTITIES else None
