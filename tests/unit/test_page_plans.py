"""A search, a date range, "no billing contact" or a payment method's state found in many
customers walks the page's order instead of sorting them all (services.page_plans); both
ways find the same customers in the same order."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from bench.generate import generate, generate_methods
from services.capped_counts import Count
from services.customer_columns import choose
from services.customer_queries import (
    CustomerQuery,
    _with_required,
    count_customers,
    list_customers,
    page_query,
)
from services.db import get_engine, read_session
from services.list_filters import from_parameters
from services.page_plans import SEARCH, PagePlan, plan_page

pytestmark = pytest.mark.usefixtures("database")
TODAY = date.today()


@pytest.fixture
def book():
    generate(600, progress=lambda _: None)


def _both_ways(q: CustomerQuery, walked: str) -> tuple[list[int], list[int]]:
    columns = _with_required(choose(None))
    with read_session() as session:
        sorted_ids = [r.id for r in session.execute(page_query(q, columns, PagePlan()))]
        walked_ids = [r.id for r in session.execute(
            page_query(q, columns, PagePlan(walked=frozenset({walked}))))]
    return sorted_ids, walked_ids


@pytest.mark.parametrize("term", ["Acme", "cus_0000", "billing12", "DE1", "Hooli Acme"])
@pytest.mark.parametrize("descending", [False, True])
def test_walking_and_sorting_find_the_same_page(book, term, descending):
    q = CustomerQuery(search=term, sort="name", descending=descending, offset=40, limit=60)
    sorted_ids, walked_ids = _both_ways(q, SEARCH)
    assert walked_ids == sorted_ids
    assert [r.id for r in list_customers(q).rows] == sorted_ids


def created(days_ago_from: int, days_ago_to: int) -> tuple:
    return from_parameters(created_from=TODAY - timedelta(days=days_ago_from),
                           created_to=TODAY - timedelta(days=days_ago_to))


@pytest.mark.parametrize("sort", ["name", "country", "tax_rate"])
@pytest.mark.parametrize("descending", [False, True])
def test_a_date_range_walked_or_sorted_finds_the_same_page(book, sort, descending):
    q = CustomerQuery(filters=created(700, 200), sort=sort, descending=descending, offset=30,
                      limit=70)
    sorted_ids, walked_ids = _both_ways(q, "created_at")
    assert len(sorted_ids) == 70
    assert walked_ids == sorted_ids
    assert [r.id for r in list_customers(q).rows] == sorted_ids


def _walked(q: CustomerQuery) -> frozenset[str]:
    with read_session() as session:
        return plan_page(session, q).walked


def test_a_fragment_or_a_range_in_many_customers_walks_the_order(book):
    """Counted on SQLite, estimated by PostgreSQL; PostgreSQL's planner sizes ranges itself."""
    sqlite = get_engine().dialect.name == "sqlite"
    assert _walked(CustomerQuery(search="cus_0", limit=10)) == {SEARCH}
    assert _walked(CustomerQuery(search="cus_00000123", limit=10)) == set()
    assert _walked(CustomerQuery(filters=created(3000, 0), limit=10)) == (
        {"created_at"} if sqlite else set())
    assert _walked(CustomerQuery(filters=created(3000, 0), sort="created_at")) == set()
    assert _walked(CustomerQuery(filters=created(3000, 2999), limit=10)) == set()


def without_contacts(where: str) -> None:
    with get_engine().begin() as conn:
        conn.execute(text(f"DELETE FROM contact WHERE {where}"))


@pytest.mark.parametrize("descending", [False, True])
def test_no_billing_contact_walked_or_read_finds_the_same_page(book, descending):
    without_contacts("customer_id % 3 = 0")
    q = CustomerQuery(filters=from_parameters(has_billing_contact=False), sort="name",
                      descending=descending, offset=20, limit=50)
    sorted_ids, walked_ids = _both_ways(q, q.filters[0].key)
    assert len(sorted_ids) == 50 and walked_ids == sorted_ids
    assert [r.id for r in list_customers(q).rows] == sorted_ids


def test_many_customers_without_a_contact_walk_the_order_few_do_not(book):
    q = CustomerQuery(filters=from_parameters(has_billing_contact=False), limit=10)
    without_contacts("customer_id < 5")
    assert _walked(q) == set()
    without_contacts("customer_id % 2 = 0")
    assert _walked(q) == {q.filters[0].key}


def test_a_search_found_in_few_is_read_once_for_the_page_and_its_count(book):
    q = CustomerQuery(search="cus_0000001", limit=5)  # cus_00000010 to cus_00000019
    with read_session() as session:
        plan = plan_page(session, q)
    assert 10 <= len(plan.found[SEARCH]) < 55 and plan.walked == set()
    page = list_customers(q)
    assert page.count == Count(count_customers(q)) and 5 < page.count.value < 55
    assert [r.id for r in page.rows] == _both_ways(q, SEARCH)[0]


def test_a_page_that_counts_its_own_matches_counts_only_what_it_shows(book):
    """The page of a search read once counts its matches itself: archived customers the
    search finds are not counted, and every page of it says the same count."""
    q = CustomerQuery(search="cus_0000001", limit=4)
    with get_engine().begin() as conn:
        conn.execute(text("UPDATE customer SET archived_at = CURRENT_TIMESTAMP "
                          "WHERE id IN (11, 13)"))
    counts = {list_customers(replace(q, offset=offset)).count for offset in (0, 4, 8)}
    assert counts == {Count(count_customers(q))}
    assert count_customers(q) == count_customers(replace(q, status="all")) - 2


@pytest.mark.parametrize("states", [["expiring"], ["expired"], ["expiring", "expired"]])
def test_a_payment_method_state_walked_or_read_finds_the_same_page(book, states):
    generate_methods(progress=lambda _: None)
    q = CustomerQuery(filters=from_parameters(payment_method=states), sort="name", offset=3,
                      limit=7)
    sorted_ids, walked_ids = _both_ways(q, "payment_method")
    assert sorted_ids and walked_ids == sorted_ids
    assert [r.id for r in list_customers(q).rows] == sorted_ids
    with read_session() as session:  # a few dozen of 600: read, not walked
        assert plan_page(session, replace(q, limit=1)).walked == set()
