from datetime import timedelta

import pytest
from sqlalchemy import update

from models import Customer
from services.aliases import add_alias, remove_alias
from services.contacts import add_contact, update_contact
from services.customer_queries import CustomerQuery, count_customers, list_customers
from services.customers import archive_customer, get_customer, update_business_information
from services.db import write_session
from services.errors import ValidationError
from services.legal_entities import create_legal_entity
from tests.unit.factories import ACTOR, add_card, customer_query, make_customer

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def book():
    """Five customers across countries, currencies, entities, flows and statuses."""
    emea = create_legal_entity("Acme EMEA Ltd", actor=ACTOR)
    people = {
        "acme": make_customer(name="Acme Analytics GmbH", external_ids=["acme-001"],
                              tax_id="DE136695976"),
        "bolt": make_customer(name="Bolt Energy", country="US", currency="USD", state="CA",
                              primary_contact_email="ap@bolt.example", external_ids=["sf-bolt"],
                              tax_rate="8.875", legal_entity_id=emea.id),
        "cafe": make_customer(name="Café Olé SARL", country="FR", currency="EUR", state=None,
                              address_line1="1 Rue de Rivoli", city="Paris",
                              primary_contact_email="compta@cafe.example",
                              external_ids=["cafe_1"], tax_rate="20"),
        "dune": make_customer(name="Dune 100% Labs", country="GB", currency="GBP", state=None,
                              primary_contact_email="hi@dune.example", external_ids=["dune"],
                              tax_rate="0"),
        "echo": make_customer(name="Echo Old Co", primary_contact_email="old@echo.example",
                              external_ids=["echo"]),
    }
    bolt = add_card(people["bolt"].id)
    update_business_information(bolt.id, {"business_name": "Bolt Power Inc",
                                           "auto_pay": True, "invoicing_flow": "stripe"},
                                version=bolt.version, actor=ACTOR)
    archive_customer(people["echo"].id, actor=ACTOR)
    return {"entity": emea, **people}


def names(**query) -> list[str]:
    return [r.name for r in list_customers(customer_query(**query)).rows]


def test_default_lists_active_customers_by_name(book):
    assert names() == ["Acme Analytics GmbH", "Bolt Energy", "Café Olé SARL", "Dune 100% Labs"]


def test_rows_carry_what_the_grid_shows(book):
    (row,) = list_customers(CustomerQuery(search="Bolt")).rows
    assert row.primary_contact_email == "ap@bolt.example"
    assert row.legal_entity_id == "Acme EMEA Ltd"  # the grid shows the entity by name
    assert (row.country, row.currency, row.payment_terms_days) == ("US", "USD", 30)
    assert str(row.tax_rate) == "8.875"
    assert row.auto_pay is True and row.status == "active"


@pytest.mark.parametrize("term, expected", [
    ("analytics", ["Acme Analytics GmbH"]),           # name, any case
    ("power inc", ["Bolt Energy"]),                   # business name
    ("compta@cafe", ["Café Olé SARL"]),               # primary contact email
    ("sf-bo", ["Bolt Energy"]),                       # alias
    ("136695", ["Acme Analytics GmbH"]),              # tax ID
    ("100%", ["Dune 100% Labs"]),                     # % is literal
    ("_", ["Café Olé SARL"]),                         # _ is literal (alias cafe_1)
    ("fe_1", ["Café Olé SARL"]),                      # _ is literal in an indexed search too
    ("ANALYTICS gmbh", ["Acme Analytics GmbH"]),      # indexed search ignores case
    ('a"b', []),                                      # quotes are text, not query syntax
    ("nothing-like-this", []),
])
def test_search(book, term, expected):
    assert names(search=term) == expected


def test_search_finds_any_contact_email(book):
    add_contact(book["dune"].id, {"email": "second@elsewhere.example"}, actor=ACTOR)
    assert names(search="elsewhere") == ["Dune 100% Labs"]


def test_search_finds_a_later_alias(book):
    add_alias(book["dune"].id, "hubspot-777", actor=ACTOR)
    assert names(search="hubspot") == ["Dune 100% Labs"]


@pytest.mark.parametrize("query, expected", [
    ({"country": ["us"]}, ["Bolt Energy"]),
    ({"currency": ["EUR"]}, ["Acme Analytics GmbH", "Café Olé SARL"]),
    ({"invoicing_flow": ["stripe"]}, ["Bolt Energy"]),
    ({"auto_pay": True}, ["Bolt Energy"]),
    ({"auto_pay": False}, ["Acme Analytics GmbH", "Café Olé SARL", "Dune 100% Labs"]),
    ({"status": "archived"}, ["Echo Old Co"]),
    ({"status": "all", "currency": ["EUR"]},
     ["Acme Analytics GmbH", "Café Olé SARL", "Echo Old Co"]),
    ({"country": ["DE"], "currency": ["USD"]}, []),
])
def test_filters(book, query, expected):
    assert names(**query) == expected


def test_filter_by_legal_entity(book):
    assert names(legal_entity_id=[book["entity"].id]) == ["Bolt Energy"]


@pytest.mark.parametrize("sort, descending, expected", [
    ("name", True, ["Dune 100% Labs", "Café Olé SARL", "Bolt Energy", "Acme Analytics GmbH"]),
    ("tax_rate", False, ["Dune 100% Labs", "Bolt Energy", "Acme Analytics GmbH",
                         "Café Olé SARL"]),
    ("country", False, ["Acme Analytics GmbH", "Café Olé SARL", "Dune 100% Labs",
                        "Bolt Energy"]),
    ("legal_entity_id", False, ["Bolt Energy", "Acme Analytics GmbH", "Café Olé SARL",
                             "Dune 100% Labs"]),
    ("primary_contact_email", False, ["Bolt Energy", "Acme Analytics GmbH", "Café Olé SARL",
                                      "Dune 100% Labs"]),
])
def test_sort(book, sort, descending, expected):
    assert names(sort=sort, descending=descending) == expected


def test_sort_by_created_at(book):
    with write_session() as session:
        session.exec(update(Customer).where(Customer.id == book["cafe"].id)
                     .values(created_at=book["acme"].created_at - timedelta(days=3)))
    assert names(sort="created_at")[0] == "Café Olé SARL"
    assert names(sort="created_at", descending=True)[-1] == "Café Olé SARL"


def test_pagination_with_total(book):
    first = list_customers(CustomerQuery(limit=3))
    second = list_customers(CustomerQuery(limit=3, offset=3))
    assert first.total == second.total == 4
    assert [r.name for r in first.rows + second.rows] == names()
    assert len(second.rows) == 1


def test_count_matches_list(book):
    assert count_customers(customer_query(currency=["EUR"], status="all")) == 3


@pytest.mark.parametrize("query, field", [
    ({"sort": "password"}, "sort"),
    ({"limit": 0}, "limit"),
    ({"offset": -1}, "offset"),
    ({"status": "deleted"}, "status"),
])
def test_bad_query_is_a_validation_error(book, query, field):
    with pytest.raises(ValidationError) as caught:
        list_customers(customer_query(**query))
    assert field in caught.value.errors


def test_search_follows_edits_and_removals(book):
    dune = get_customer(book["dune"].id)
    update_contact(dune.contacts[0].id, {"email": "renamed@dune.example"}, actor=ACTOR)
    assert names(search="hi@dune") == []
    assert names(search="renamed@dune") == ["Dune 100% Labs"]
    remove_alias(dune.aliases[0].id, actor=ACTOR)
    assert names(search="dune", status="all") == ["Dune 100% Labs"]  # still by its name
    update_business_information(dune.id, {"name": "Sandworm Ltd"},
                                version=get_customer(dune.id).version, actor=ACTOR)
    assert names(search="sandworm") == ["Sandworm Ltd"]
    assert names(search="Dune 100") == []
