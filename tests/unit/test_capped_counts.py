"""A list past 10,000 matches says "more than 10,000" and counts exactly only when asked."""

import pytest
from sqlalchemy import select

from bench.generate import generate
from models import Customer
from services.capped_counts import CAP, Count, count_matches
from services.customer_queries import CustomerQuery, list_customers
from services.db import read_session
from tests.unit.factories import make_customer

pytestmark = pytest.mark.usefixtures("database")

OVER_CAP = CAP + 50


def test_a_count_stops_at_its_cap_and_is_exact_when_asked():
    for n in range(5):
        make_customer(name=f"Customer {n}", external_ids=[f"c{n}"])
    with read_session() as session:
        everyone = select(Customer.id).order_by(Customer.name)
        assert count_matches(session, everyone, cap=3) == Count(3, exact=False)
        assert count_matches(session, everyone, cap=3, exact=True) == Count(5)
        assert count_matches(session, everyone, cap=5) == Count(5)
        assert count_matches(session, everyone.where(Customer.id < 0)) == Count(0)


@pytest.fixture
def big_book():
    generate(OVER_CAP, progress=lambda _: None)


def test_a_page_of_a_big_book_says_more_than_the_cap(big_book):
    page = list_customers(CustomerQuery(status="all", limit=100))
    assert page.count == Count(CAP, exact=False)
    assert len(page.rows) == 100
    with pytest.raises(ValueError):
        page.total  # noqa: B018 - an unexact count is never passed off as the total


def test_the_exact_count_on_request(big_book):
    page = list_customers(CustomerQuery(status="all", limit=100), exact_count=True)
    assert page.total == OVER_CAP


def test_the_last_page_counts_itself(big_book):
    page = list_customers(CustomerQuery(status="all", offset=OVER_CAP - 30, limit=100))
    assert page.count == Count(OVER_CAP)
    assert len(page.rows) == 30


def test_a_narrow_filter_is_counted_exactly(big_book):
    query = CustomerQuery(status="all", search="cus_0000012", limit=5)
    page = list_customers(query)
    assert page.count.exact and page.count.value == 10  # cus_00000120 … cus_00000129
