"""Filters at the edges of what the databases hold, through the services on both databases: a
day at either end of the calendar finds what it should; a number no column holds, NaN, an
infinity, a date past 9999 or digits that are not ASCII are refused naming the parameter.
Never a database error."""

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from services import custom_fields as cf
from services.activity import ActivityFilter, activity_page
from services.customer_queries import CustomerQuery, list_customers
from services.errors import ValidationError
from services.list_filters import FieldFilter
from tests.unit.factories import ACTOR, customer_query, make_customer

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture
def customer():
    cf.add_custom_field({"key": "discount", "label": "Discount", "kind": "decimal"},
                        actor=ACTOR)
    cf.add_custom_field({"key": "seats", "label": "Seats", "kind": "integer"}, actor=ACTOR)
    cf.add_custom_field({"key": "renewal", "label": "Renewal", "kind": "date"}, actor=ACTOR)
    return make_customer(cf_discount="-999999999999999.5", cf_seats="1000000000000000",
                         cf_renewal="9999-12-31")


def total(**query) -> int:
    return list_customers(customer_query(**query)).total


def test_the_first_and_last_day_of_the_calendar_are_ordinary_days(customer):
    assert total(created_from=date.min, created_to=date.max) == 1
    assert total(created_from=date.max) == 0
    assert total(created_to=date.min) == 0
    assert total(created_from="0001-01-01", created_to="9999-12-31") == 1
    assert activity_page(ActivityFilter(since=date.min, until=date.max)).count.value >= 1
    assert activity_page(ActivityFilter(until=date.min)).count.value == 0
    east, west = ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago")
    for zone in (east, west):
        assert activity_page(ActivityFilter(since=date.min, until=date.max, zone=zone)
                             ).count.value >= 1
    assert total(filters=(FieldFilter("cf_renewal", low=date.max, high=date.max),)) == 1
    assert total(filters=(FieldFilter("cf_renewal", high="0001-01-01"),)) == 0


def test_numbers_at_the_ends_of_what_a_field_holds_are_ordinary_numbers(customer):
    ends = {"low": "-1e15", "high": Decimal("1000000000000000")}
    assert total(filters=(FieldFilter("cf_discount", **ends),)) == 1
    assert total(filters=(FieldFilter("cf_discount", high="-999999999999999.5"),)) == 1
    assert total(filters=(FieldFilter("cf_seats", low=10**15),)) == 1
    assert total(sort="cf_seats", descending=True) == 1
    assert total(filters=(FieldFilter("cf_seats", low="0.000001", high=1e15),)) == 1


@pytest.mark.parametrize("query, key, words", [
    ({"legal_entity_id": (2**31,)}, "legal_entity_id", "from 1 to 2,147,483,647"),
    ({"legal_entity_id": (0,)}, "legal_entity_id", "legal_entity_id"),
    ({"legal_entity_id": ("٣",)}, "legal_entity_id", "whole number"),
    ({"payment_terms": (2**64,)}, "payment_terms", "from 0 to 365"),
    ({"offset": 2**63}, "offset", "offset"),
    ({"created_to": "10000-01-01"}, "created_to", "from 0001-01-01 to 9999-12-31"),
    ({"created_from": "٢٠٢٤-٠١-٠١"}, "created_from", "created_from must be a date"),
    ({"created_from": "2024-02-30"}, "created_from", "created_from"),
])
def test_values_no_column_holds_are_refused_naming_the_parameter(customer, query, key, words):
    with pytest.raises(ValidationError) as refused:
        list_customers(customer_query(**query))
    assert words in refused.value.errors[key]


@pytest.mark.parametrize("end", [
    "NaN", "sNaN", "Infinity", "-Infinity", "1e999999", "-1e16", "1e-999999", "0.0000001",
    "٣", "1_000", "0x10", "", Decimal("sNaN"), Decimal("NaN"), float("inf"), True, [1]])
def test_range_ends_no_number_field_holds_are_refused_naming_the_field(customer, end):
    for key in ("cf_discount", "cf_seats"):
        with pytest.raises(ValidationError) as refused:
            list_customers(CustomerQuery(filters=(FieldFilter(key, high=end),)))
        assert "range end must be a number from -1,000,000,000,000,000 to " \
               "1,000,000,000,000,000" in refused.value.errors[key]


@pytest.mark.parametrize("end", ["10000-01-01", "2024-02-30", "٢٠٢٤-٠١-٠١", "20240101", "0"])
def test_range_ends_no_date_field_holds_are_refused_naming_the_field(customer, end):
    with pytest.raises(ValidationError) as refused:
        list_customers(CustomerQuery(filters=(FieldFilter("cf_renewal", low=end),)))
    assert "Renewal range end must be a date" in refused.value.errors["cf_renewal"]
