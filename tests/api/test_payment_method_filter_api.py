"""The list's payment_method parameter, generated from the column's declaration like every
other filter: finance's "which cards expire, who has none" over the API, on both databases."""

from datetime import timedelta

from tests.api.test_customers_api import assert_problem
from tests.unit.factories import make_customer
from tests.unit.test_book_payment_methods import TODAY, card

V1 = "/api/v1"


def names(api, **params) -> list[str]:
    answer = api.client.get(f"{V1}/customers", headers=api.read, params=params)
    assert answer.status_code == 200, answer.text
    return [row["name"] for row in answer.json()["data"]]


def test_the_list_filters_by_payment_method_state(api):
    soon = make_customer(name="Soon Expiring", external_ids=["soon"])
    past = make_customer(name="Past Expiry", external_ids=["past"])
    make_customer(name="No Method", external_ids=["none"])
    card(soon.id, TODAY, reference="pm_1Soon")
    card(past.id, TODAY.replace(day=1) - timedelta(days=40), reference="pm_1Past")
    assert names(api, payment_method="expiring") == ["Soon Expiring"]
    assert names(api, payment_method=["none", "expired"]) == ["No Method", "Past Expiry"]
    assert len(names(api)) == 3


def test_an_unknown_state_is_a_422_naming_the_parameter(api):
    assert_problem(api.client.get(f"{V1}/customers", headers=api.read,
                                  params={"payment_method": "lost"}), 422, "payment_method")


def test_the_openapi_document_lists_the_states(api):
    document = api.client.get(f"{V1}/openapi.json", headers=api.read).json()
    (parameter,) = [p for p in document["paths"][f"{V1}/customers"]["get"]["parameters"]
                    if p["name"] == "payment_method"]
    assert parameter["schema"]["items"]["enum"] == ["none", "expiring", "expired",
                                                     "autopay_at_risk"]
