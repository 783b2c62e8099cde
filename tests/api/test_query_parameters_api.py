"""Every query parameter of the list at the edges: dates at the ends of the calendar are
ordinary days; numbers no column holds, NaN, infinities, sNaN, huge integers and non-ASCII
digits are a 422 problem naming the parameter. On both databases, never a 5xx."""

import pytest

from services import custom_fields as cf
from tests.api.conftest import new_customer
from tests.api.test_customers_api import assert_problem
from tests.unit.factories import ACTOR

V1 = "/api/v1"
NOT_NUMBERS = ["NaN", "Infinity", "-Infinity", "sNaN", "1e999999", "-1e999999", "9" * 40,
               "٣", "²", "１２", "0x10"]


@pytest.fixture
def book(api):
    cf.add_custom_field({"key": "score", "label": "Score", "kind": "decimal"}, actor=ACTOR)
    cf.add_custom_field({"key": "seats", "label": "Seats", "kind": "integer"}, actor=ACTOR)
    cf.add_custom_field({"key": "renewal", "label": "Renewal", "kind": "date"}, actor=ACTOR)
    answer = api.client.post(f"{V1}/customers", headers=api.write, json=new_customer(
        custom_fields={"score": "12.5", "seats": 10**15, "renewal": "9999-12-31"}))
    assert answer.status_code == 201, answer.text
    return api


def listed(api, **params) -> int:
    answer = api.client.get(f"{V1}/customers", headers=api.read, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()["total"]


def test_the_ends_of_the_calendar_are_ordinary_days(book):
    assert listed(book, created_from="0001-01-01", created_to="9999-12-31") == 1
    assert listed(book, created_to="0001-01-01") == 0
    assert listed(book, created_from="9999-12-31") == 0
    assert listed(book, custom="renewal:9999-12-31..9999-12-31") == 1
    assert listed(book, custom="renewal:..0001-01-01") == 0
    assert listed(book, custom="seats:1000000000000000..") == 1
    assert listed(book, custom="score:-1e15..1e15") == 1


@pytest.mark.parametrize("parameter, values", [
    ("created_from", ["10000-01-01", "2024-02-30", "٢٠٢٤-٠١-٠١", "9999-12-31T23:59:60"]),
    ("created_to", ["10000-01-01", "0000-12-31", "+0001-01-01", "NaN"]),
    ("legal_entity_id", ["0", "2147483648", "9223372036854775808", *NOT_NUMBERS]),
    ("payment_terms", ["-1", "366", "18446744073709551616", *NOT_NUMBERS]),
    ("limit", ["0", "501", "1" + "0" * 30, *NOT_NUMBERS]),
    ("offset", ["-1", "9223372036854775808", *NOT_NUMBERS]),
    ("auto_pay", ["maybe", "2", "٣"]),
])
def test_values_no_column_holds_are_a_problem_naming_the_parameter(book, parameter, values):
    for value in values:
        answer = book.client.get(f"{V1}/customers", headers=book.read, params={parameter: value})
        assert_problem(answer, 422, parameter)


@pytest.mark.parametrize("field, words", [("score", "must be a number"),
                                          ("seats", "must be a number"),
                                          ("renewal", "must be a date")])
def test_custom_range_ends_no_field_holds_are_a_problem_naming_custom(book, field, words):
    ends = [*NOT_NUMBERS, "-1e16", "0.0000001", "1_000", "10000-01-01", "2024-02-30"]
    for end in ends:
        for term in (f"{field}:{end}..", f"{field}:..{end}"):
            answer = book.client.get(f"{V1}/customers", headers=book.read,
                                     params={"custom": term})
            assert_problem(answer, 422, "custom", words)


@pytest.mark.parametrize("path", ["/customers/{}", "/customers/{}/contacts",
                                  "/customers/1/contacts/{}/primary"])
def test_ids_in_the_path_no_column_holds_are_a_problem(book, path):
    for value in ("0", "2147483648", "9" * 40, "٣", "²", "-1"):
        method = book.client.post if path.endswith("primary") else book.client.get
        answer = method(V1 + path.format(value), headers=book.write)
        assert answer.status_code == 422, (value, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"


def test_a_version_in_if_match_is_ascii_digits(book):
    for version in ("²", "1e3", "-1", "99999999999999999999999"):
        answer = book.client.patch(f"{V1}/customers/1", json={"name": "Renamed"},
                                   headers={**book.write,
                                            "If-Match": f'"{version}"'.encode("latin-1")})
        assert answer.status_code in (409, 412), (version, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
