"""Sorting by the billing contact's email reads the customers with one in the email's order,
then those without one (services.customer_queries), so the order and the pages are those of
sorting the joined email with empty values last, whatever the filters."""

import pytest

from services.customer_queries import CustomerQuery, list_customers
from services.customers import archive_customer, create_customer
from services.list_filters import from_parameters
from tests.unit.factories import ACTOR, customer_input, make_customer

pytestmark = pytest.mark.usefixtures("database")

EMAILS = ["mia@zeta.example", None, "ann@beta.example", "ann@alpha.example", None,
          "zed@alpha.example", "bob@gamma.example"]


@pytest.fixture
def customers():
    made = []
    for n, email in enumerate(EMAILS):
        if email is None:
            values = {k: v for k, v in customer_input(name=f"Customer {n}").items()
                      if not k.startswith("primary_contact_")}
            made.append(create_customer({**values, "external_ids": [f"e{n}"]}, actor=ACTOR))
        else:
            made.append(make_customer(name=f"Customer {n}", primary_contact_email=email,
                                      currency="USD" if n % 2 else "EUR", external_ids=[f"e{n}"]))
    archive_customer(made[5].id, actor=ACTOR)
    return made


def _pages(size: int, descending: bool, **given) -> list[tuple[str | None, int]]:
    shown, offset = [], 0
    while True:
        page = list_customers(CustomerQuery(sort="primary_contact_email", descending=descending,
                                            offset=offset, limit=size,
                                            columns=("primary_contact_email",), **given))
        shown += [(row.primary_contact_email, row.id) for row in page.rows]
        if len(page.rows) < size:
            return shown
        offset += size


def _expected(rows: list[tuple[str | None, int]], descending: bool):
    with_email = sorted((r for r in rows if r[0] is not None), reverse=descending)
    without = sorted((r for r in rows if r[0] is None), reverse=descending)
    return with_email + without  # empty values last both ways


@pytest.mark.parametrize("descending", [False, True])
def test_pages_sorted_by_email_put_customers_without_a_contact_last(customers, descending):
    everyone = _pages(100, descending)
    assert len(everyone) == len(EMAILS) - 1  # the archived customer is not listed
    assert everyone == _expected(everyone, descending)
    assert [email for email, _ in everyone[-2:]] == [None, None]
    assert _pages(2, descending) == everyone  # page by page, across the two parts


@pytest.mark.parametrize("descending", [False, True])
def test_a_filter_and_a_search_keep_the_email_order(customers, descending):
    in_euros = _pages(2, descending, filters=from_parameters(currency=["EUR"]))
    assert in_euros == _expected(in_euros, descending)
    assert {email for email, _ in in_euros} == {"mia@zeta.example", "ann@beta.example",
                                              "bob@gamma.example", None}
    found = _pages(1, descending, search="alpha")
    assert [email for email, _ in found] == ["ann@alpha.example"]  # zed@ is archived
    everyone = _pages(3, descending, status="all")
    assert everyone == _expected(everyone, descending) and len(everyone) == len(EMAILS)
