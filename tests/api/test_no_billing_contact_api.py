"""The API creates a customer without a billing contact when none is given, says so in its
answers, and lists such customers with has_billing_contact=false."""

from tests.api.conftest import new_customer
from tests.api.test_customers_api import V1, assert_problem


def post(api, **overrides):
    body = {k: v for k, v in new_customer(**overrides).items() if k != "primary_contact"}
    return api.client.post(f"{V1}/customers", json=body, headers=api.write)


def test_a_customer_without_a_contact_reads_primary_contact_null(api):
    answer = post(api)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["primary_contact"], body["contacts"]) == (None, [])
    again = api.client.get(f"{V1}/customers/{body['id']}", headers=api.read).json()
    assert again["primary_contact"] is None


def test_the_first_contact_added_becomes_the_primary_one(api):
    created = post(api).json()
    answer = api.client.post(f"{V1}/customers/{created['id']}/contacts",
                             json={"email": "ap@acme.example"}, headers=api.write)
    assert answer.status_code == 201, answer.text
    body = api.client.get(f"{V1}/customers/{created['id']}", headers=api.read).json()
    assert body["primary_contact"]["email"] == "ap@acme.example"
    assert body["primary_contact"]["is_primary"] is True


def test_a_contact_given_without_its_email_is_refused_naming_the_email(api):
    answer = api.client.post(f"{V1}/customers", json=new_customer(
        primary_contact={"first_name": "Ada"}), headers=api.write)
    assert_problem(answer, 422, "primary_contact.email", "Primary Contact Email is required")


def test_the_list_filters_customers_without_a_billing_contact(api):
    api.client.post(f"{V1}/customers", json=new_customer(name="Has One"), headers=api.write)
    post(api, name="Bare", aliases=["bare"])
    without = api.client.get(f"{V1}/customers", params={"has_billing_contact": "false"},
                             headers=api.read).json()
    assert [(c["name"], c["primary_contact_email"]) for c in without["data"]] == [
        ("Bare", None)]
    with_one = api.client.get(f"{V1}/customers", params={"has_billing_contact": "true"},
                              headers=api.read).json()
    assert [c["name"] for c in with_one["data"]] == ["Has One"]
