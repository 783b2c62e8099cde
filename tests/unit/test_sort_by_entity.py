"""Sorting by legal entity reads each entity's customers in turn (services.customer_queries
entity_ranks); the order and the pages are those of sorting by the entity's name."""

import pytest

from services.customer_queries import CustomerQuery, list_customers
from services.legal_entities import create_legal_entity
from tests.unit.factories import ACTOR, make_customer

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def customers():
    zulu = create_legal_entity("Zulu Billing SARL", actor=ACTOR)
    alpha = create_legal_entity("Alpha Billing Ltd", actor=ACTOR)
    made = []
    for n, entity in enumerate([zulu, alpha, None, zulu, alpha, None, zulu]):
        extra = {"legal_entity_id": entity.id} if entity else {}
        made.append(make_customer(name=f"Customer {n}", external_ids=[f"e{n}"], **extra))
    return made


def _pages(descending: bool, size: int) -> list[tuple[str, int]]:
    shown, offset = [], 0
    while True:
        page = list_customers(CustomerQuery(sort="legal_entity_id", descending=descending,
                                            offset=offset, limit=size))
        shown += [(row.legal_entity_id, row.id) for row in page.rows]
        if len(page.rows) < size:
            return shown
        offset += size


@pytest.mark.parametrize("descending", [False, True])
def test_pages_sorted_by_entity_follow_the_entity_names(customers, descending):
    everyone = _pages(descending, size=100)
    by_name = sorted(everyone, key=lambda row: (row[0], row[1]), reverse=descending)
    assert everyone == by_name
    assert len(everyone) == len({row[1] for row in everyone})
    assert _pages(descending, size=2) == everyone  # page by page, nothing lost or repeated
