"""The customer book's "Parent" column and "Family" filter, as SQL on both databases.

A child names its parent in customer.parent_id (indexed), so every question here is
answered from that index: the parent's name and External ID for the rows of one page (a
correlated subquery on the parent's primary key); "has a parent" as a range over the index
(parent_id > 0: SQLite's planner reads "IS NOT NULL" as a scan of the table); "has children"
and "standalone" as membership in the set of parents, which both databases build once from
the index (a per-row EXISTS probed it once for each of 100,000 customers). Nothing walks
the book in Python.
"""

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import aliased

from models.alias import Alias
from models.customer import Customer
from services.errors import ValidationError

KEY = "parent_id"
CHILD, PARENT, STANDALONE = "child", "parent", "standalone"
STATES = (CHILD, PARENT, STANDALONE)  # the filter's choices, as the URL and the API take them
STATE_LABELS = {CHILD: "Has a parent", PARENT: "Has children", STANDALONE: "Standalone"}

# The parent and the children as their own aliases of the table, so a subquery never
# correlates with the book's own customer row by mistake.
_PARENT = aliased(Customer, name="family_parent")
_CHILD = aliased(Customer, name="family_child")


def parent_name() -> ColumnElement:
    """The parent's name (NULL without one), read by primary key for each row shown."""
    return (select(_PARENT.name).where(_PARENT.id == Customer.parent_id)
            .scalar_subquery())


def parent_external_id() -> ColumnElement:
    """The parent's first External ID, so an exported file names the parent as the import
    finds it."""
    return (select(Alias.value).where(Alias.customer_id == Customer.parent_id)
            .order_by(Alias.id).limit(1).scalar_subquery())


def has_children() -> ColumnElement[bool]:
    """For one customer at a time (a row an import updates)."""
    return exists(select(_CHILD.id).where(_CHILD.parent_id == Customer.id))


def _has_parent() -> ColumnElement[bool]:
    return Customer.parent_id > 0


def _parents():
    """The ids of every parent, read from the parent_id index alone."""
    return select(_CHILD.parent_id).where(_CHILD.parent_id > 0)


def _no_parent(dialect: str) -> ColumnElement[bool]:
    """Nine customers in ten have no parent, and the page walks the grid's name order until
    it is full. SQLite's planner would rather read them all by the parent_id index and sort
    them, so there it is written so that no index answers it; PostgreSQL estimates IS NULL
    from its statistics (and a COALESCE as rare, which made it sort)."""
    if dialect == "sqlite":
        return func.coalesce(Customer.parent_id, 0) == 0
    return Customer.parent_id.is_(None)


def condition(states: tuple[str, ...], dialect: str) -> ColumnElement[bool] | None:
    """Customers in any of `states`; None when none is asked for."""
    unknown = [s for s in states if s not in STATES]
    if unknown:
        raise ValidationError.single(KEY, f"Family has no filter {', '.join(unknown)}; "
                                          f"choose from {', '.join(STATES)}.")
    made = {
        CHILD: _has_parent,
        PARENT: lambda: Customer.id.in_(_parents()),
        STANDALONE: lambda: _no_parent(dialect) & Customer.id.not_in(_parents()),
    }
    parts = [made[s]() for s in dict.fromkeys(states)]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else or_(*parts)
