"""A search found in many customers walks the page's order instead of sorting them all
(services.customer_queries.plan_page); both ways find the same customers in the same order."""

import pytest

from bench.generate import generate
from services.customer_columns import choose
from services.customer_queries import (
    BROAD_SEARCH,
    CustomerQuery,
    PagePlan,
    _with_required,
    list_customers,
    page_query,
    plan_page,
)
from services.db import get_engine, read_session

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def book():
    generate(BROAD_SEARCH + 500, progress=lambda _: None)


@pytest.mark.parametrize("term", ["Acme", "cus_0000", "billing12", "DE1", "Hooli Acme"])
@pytest.mark.parametrize("descending", [False, True])
def test_walking_and_sorting_find_the_same_page(book, term, descending):
    columns = _with_required(choose(None))
    q = CustomerQuery(search=term, sort="name", descending=descending, offset=40, limit=60)
    with read_session() as session:
        sorted_ids = [r.id for r in session.execute(page_query(q, columns, PagePlan()))]
        walked_ids = [r.id for r in session.execute(page_query(q, columns,
                                                               PagePlan(broad_search=True)))]
    assert walked_ids == sorted_ids
    assert [r.id for r in list_customers(q).rows] == sorted_ids


def test_a_fragment_in_most_customers_is_broad_on_sqlite(book):
    with read_session() as session:
        broad = plan_page(session, CustomerQuery(search="cus_0", limit=10)).broad_search
        narrow = plan_page(session, CustomerQuery(search="cus_00000123", limit=10)).broad_search
    assert broad == (get_engine().dialect.name == "sqlite")
    assert not narrow
