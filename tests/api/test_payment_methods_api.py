"""The payment-method routes: versioned like contacts, idempotent adds, field-named 422s."""

from services.customers import get_customer
from tests.api.test_children_api import etag
from tests.api.test_customers_api import V1, assert_problem, create

CARD = {"provider": "stripe", "provider_customer_id": "cus_Acme1", "reference": "pm_1Visa",
        "method_type": "card", "brand": "Visa", "last4": "4242", "exp_month": 8,
        "exp_year": 2090, "holder_name": "Ada Lovelace"}
SEPA = {"provider": "gocardless", "reference": "MD000123ABC", "method_type": "sepa_debit",
        "bank_name": "Deutsche Bank"}


def url_of(customer) -> str:
    return f"{V1}/customers/{customer['id']}/payment-methods"


def add(api, customer, body) -> dict:
    answer = api.client.post(url_of(customer), json=body, headers=api.write)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_add_list_edit_default_revoke_remove(api):
    customer = create(api)
    url = url_of(customer)
    card = add(api, customer, CARD)
    assert (card["is_default"], card["status"], card["label"]) == (
        True, "active", "Visa •••• 4242 · 08/90")
    assert (card["provider_label"], card["expires_on"]) == ("Stripe", "2090-08-31")
    assert "cus_Acme1" in [a["value"] for a in api.client.get(
        f"{V1}/customers/{customer['id']}", headers=api.read).json()["aliases"]]
    sepa = add(api, customer, SEPA)
    assert not sepa["is_default"] and sepa["method_type_label"] == "SEPA Direct Debit"

    listed = api.client.get(url, headers=api.read)
    assert [m["reference"] for m in listed.json()] == ["pm_1Visa", "MD000123ABC"]
    assert listed.headers["ETag"] == f'"{sepa["version"]}"'
    assert api.client.get(f"{url}/{sepa['id']}", headers=api.read).json()["reference"] == (
        "MD000123ABC")

    edited = api.client.patch(f"{url}/{card['id']}", json={"exp_month": 12},
                              headers={**api.write, "If-Match": listed.headers["ETag"]})
    assert edited.status_code == 200, edited.text
    assert edited.json()["expires_on"] == "2090-12-31"
    defaulted = api.client.post(f"{url}/{sepa['id']}/default",
                                headers={**api.write, "If-Match": edited.headers["ETag"]})
    assert defaulted.json()["is_default"]
    revoked = api.client.post(f"{url}/{card['id']}/revoke",
                              headers={**api.write, "If-Match": defaulted.headers["ETag"]})
    assert revoked.json()["status"] == "revoked" and revoked.json()["revoked_at"]

    assert_problem(api.client.delete(f"{url}/{sepa['id']}", headers=etag(api, customer["id"])),
                   422, "new_default_id", "choose which of its other methods")
    version = int(revoked.headers["ETag"].strip('"'))
    removed = api.client.delete(f"{url}/{sepa['id']}?new_default_id={card['id']}",
                                headers={**api.write, "If-Match": f'"{version}"'})
    assert removed.status_code == 204 and removed.headers["ETag"] == f'"{version + 1}"'
    assert [(m["id"], m["is_default"]) for m in api.client.get(url, headers=api.read).json()] == [
        (card["id"], True)]


def test_every_change_needs_the_version_it_read(api):
    """428 without a version, 409 with a stale one (nothing written), 412 for a malformed
    If-Match; an add overwrites nothing, so it may omit the version, but a stale one is
    refused."""
    customer = create(api)
    url = url_of(customer)
    card = add(api, customer, CARD)
    writes = [("patch", f"{url}/{card['id']}", {"json": {"brand": "Amex"}}),
              ("post", f"{url}/{card['id']}/default", {}),
              ("post", f"{url}/{card['id']}/revoke", {}),
              ("delete", f"{url}/{card['id']}", {})]
    stale = {"If-Match": f'"{customer["version"]}"'}
    for method, target, extra in writes:
        before = api.client.get(url, headers=api.read)
        assert_problem(getattr(api.client, method)(target, headers=api.write, **extra), 428)
        assert_problem(getattr(api.client, method)(target, headers={**api.write, **stale},
                                                   **extra), 409)
        malformed = {**api.write, "If-Match": '"²"'.encode()}
        assert_problem(getattr(api.client, method)(target, headers=malformed, **extra), 412)
        after = api.client.get(url, headers=api.read)
        assert (after.json(), after.headers["ETag"]) == (before.json(), before.headers["ETag"])
    stale_add = api.client.post(f"{url}?version={customer['version']}", json=SEPA,
                                headers=api.write)
    assert_problem(stale_add, 409)


def test_an_idempotent_add_is_replayed_not_repeated(api):
    customer = create(api)
    headers = {**api.write, "Idempotency-Key": "add-card-1"}
    first = api.client.post(url_of(customer), json=CARD, headers=headers)
    again = api.client.post(url_of(customer), json=CARD, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again.headers["ETag"] == first.headers["ETag"]
    assert len(api.client.get(url_of(customer), headers=api.read).json()) == 1
    other = api.client.post(url_of(customer), json=SEPA, headers=headers)
    assert_problem(other, 422, "Idempotency-Key", "different request body")


def test_refusals_name_the_field(api):
    customer = create(api)
    url = url_of(customer)
    for body, field, fragment in [
        ({**CARD, "last4": "42"}, "last4", "exactly four digits"),
        ({**CARD, "exp_month": 13}, "exp_month", "1 to 12"),
        ({**CARD, "reference": "tok_1"}, "reference", "pm_..."),
        ({**CARD, "provider": "paypal"}, "provider", "must be one of"),
        ({**CARD, "cvc": "123"}, "cvc", "never stored"),
        ({**SEPA, "brand": "Visa"}, "brand", "cards only"),
        ({**CARD, "provider_customer_id": "acme-001"}, "provider_customer_id", "cus_..."),
    ]:
        assert_problem(api.client.post(url, json=body, headers=api.write), 422, field, fragment)
    assert api.client.get(url, headers=api.read).json() == []
    assert_problem(api.client.delete(f"{url}/1?new_default_id=0",
                                     headers={**api.write, "If-Match": '"1"'}),
                   422, "new_default_id")


def test_a_provider_customer_id_of_another_customer_is_refused_naming_it(api):
    bolt = create(api, name="Bolt Energy", aliases=["cus_Bolt1"])
    customer = create(api, aliases=["acme-002"])
    answer = api.client.post(url_of(customer), json={**CARD, "provider_customer_id": "cus_Bolt1"},
                             headers=api.write)
    assert_problem(answer, 422, "provider_customer_id", f"Bolt Energy (#{bolt['id']})")
    kept = api.client.post(url_of(customer), json={**CARD, "provider_customer_id": "cus_Bolt1",
                                                   "add_external_id": False}, headers=api.write)
    assert kept.status_code == 201, kept.text
    assert [a.value for a in get_customer(customer["id"]).aliases] == ["acme-002"]


def test_a_method_of_another_customer_is_404(api):
    first, second = create(api), create(api, name="Other", aliases=["other"])
    card = add(api, second, CARD)
    answer = api.client.post(f"{url_of(first)}/{card['id']}/default",
                             headers={**api.write, "If-Match": '"1"'})
    assert_problem(answer, 404)
    assert_problem(api.client.get(f"{V1}/customers/9999/payment-methods", headers=api.read), 404)


def test_auto_pay_needs_a_usable_default_through_the_api(api):
    customer = create(api)
    base = f"{V1}/customers/{customer['id']}"
    refused = api.client.patch(base, json={"auto_pay": True}, headers=etag(api, customer["id"]))
    assert_problem(refused, 422, "auto_pay", "Auto Pay needs a usable default payment method")
    assert_problem(api.client.post(f"{V1}/customers", json={
        "name": "New Co", "currency": "EUR", "primary_contact": {"email": "a@new.example"},
        "auto_pay": True}, headers=api.write), 422, "auto_pay", "a new customer has none yet")
    add(api, customer, CARD)
    accepted = api.client.patch(base, json={"auto_pay": True}, headers=etag(api, customer["id"]))
    assert accepted.status_code == 200 and accepted.json()["auto_pay"] is True


def test_a_reader_cannot_add(api):
    customer = create(api)
    answer = api.client.post(url_of(customer), json=CARD, headers=api.read)
    assert answer.status_code == 403


def test_openapi_describes_the_payment_method_routes(api):
    spec = api.client.get(f"{V1}/openapi.json", headers=api.read).json()
    paths = spec["paths"]
    assert {"/api/v1/customers/{customer_id}/payment-methods",
            "/api/v1/customers/{customer_id}/payment-methods/{method_id}/default",
            "/api/v1/customers/{customer_id}/payment-methods/{method_id}/revoke"} <= set(paths)
    fields = spec["components"]["schemas"]["PaymentMethodIn"]["properties"]
    assert fields["reference"]["title"] == "Method reference"
    assert fields["provider"]["enum"] == ["stripe", "adyen", "gocardless", "braintree", "manual"]
    assert not {"cvc", "card_number", "number"} & fields.keys()
