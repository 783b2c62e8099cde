"""A set of customers found from an index of its own (a search, the customers without a
billing contact) as a condition on a page or a count, written for how the page reads it.

Read from the set (the default), the database looks the found customers up and sorts them;
walked, it goes down the page's order and keeps the customers in the set, stopping at the
page's end (services.page_plans decides which costs less).
"""

import json
from collections.abc import Sequence

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    Select,
    any_,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
)

from models.customer import Customer
from services.db import get_engine


def among(found: Select, *, walked: bool = False) -> ColumnElement[bool]:
    """Customers whose id `found` (a SELECT of customer ids) returns."""
    if get_engine().dialect.name == "sqlite":
        # Unary plus: SQLite may not look customers up by the found ids, so it walks.
        return literal_column("+customer.id").in_(found) if walked else Customer.id.in_(found)
    if walked:
        return Customer.id.in_(found)
    # The found ids as one array, looked up by primary key: as IN, PostgreSQL's planner
    # joined ten thousand found ids to a scan of the whole table.
    return Customer.id == any_(func.array(found.scalar_subquery()))


def among_ids(ids: Sequence[int]) -> ColumnElement[bool]:
    """Customers whose id is one of `ids` (read once by the plan, then given to the page
    and its count alike), as one parameter however many."""
    if get_engine().dialect.name == "sqlite":
        given = func.json_each(literal(json.dumps(list(ids))))
        return Customer.id.in_(select(column("value")).select_from(given))
    # Through a subquery, as among() reads them: given as a plain array, PostgreSQL's
    # planner saw ten thousand ids and tested each customer of the page's order against
    # them all, one by one (a minute at a million customers).
    given = cast(literal("{" + ",".join(map(str, ids)) + "}"), ARRAY(Integer))
    return Customer.id == any_(func.array(select(func.unnest(given)).scalar_subquery()))
