"""The Tax ID status in the API: returned with every customer, never set by a client, and
changed by POST /customers/{id}/tax-id/check against the local VIES stand-in."""

from tests.api.test_customers_api import V1, assert_problem, create
from tooling import vies_stand_in as stand

VAT = "DE123456704"


def check(api, body, key=None, **headers):
    return api.client.post(f"{V1}/customers/{body['id']}/tax-id/check",
                           headers={**(key or api.write), "If-Match": f'"{body["version"]}"',
                                    **headers})


def test_a_customer_carries_its_tax_id_status(api):
    body = create(api, tax_id=VAT)
    assert body["tax_id_status"] == "valid_format"
    assert body["tax_id_checked_at"]
    listed = api.client.get(f"{V1}/customers", params={"tax_id_status": "valid_format"},
                            headers=api.read).json()
    assert [c["id"] for c in listed["data"]] == [body["id"]]


def test_a_client_cannot_set_the_status(api):
    answer = api.client.post(f"{V1}/customers", headers=api.write, json={
        "name": "Acme", "currency": "EUR", "country": "DE", "tax_id": VAT,
        "tax_id_status": "verified", "primary_contact": {"email": "a@acme.example"}})
    assert answer.status_code == 422
    body = create(api, tax_id=VAT)
    answer = api.client.patch(f"{V1}/customers/{body['id']}", headers=api.write,
                              json={"tax_id_status": "verified", "version": body["version"]})
    assert answer.status_code == 422
    got = api.client.get(f"{V1}/customers/{body['id']}", headers=api.read).json()
    assert got["tax_id_status"] == "valid_format"


def test_a_check_verifies_with_the_new_version(api, vies):
    vies.answer(VAT, stand.VALID)
    body = create(api, tax_id=VAT)
    answer = check(api, body)
    assert answer.status_code == 200, answer.text
    done = answer.json()
    assert done["result"] == "verified"
    assert done["customer"]["tax_id_status"] == "verified"
    assert answer.headers["ETag"] == f'"{body["version"] + 1}"'


def test_a_check_that_vies_cannot_answer_is_no_5xx(api, vies):
    vies.answer(VAT, stand.MALFORMED)
    done = check(api, create(api, tax_id=VAT)).json()
    assert done["result"] == "unverifiable"
    assert done["message"].startswith("The Tax ID could not be checked")


def test_a_stale_version_is_409(api, vies):
    body = create(api, tax_id=VAT)
    assert_problem(check(api, body, **{"If-Match": '"99"'}), 409)
    assert vies.asked == []


def test_with_vies_off_the_check_is_422_naming_the_tax_id(api, configured):
    configured(vies_enabled=None)
    assert_problem(check(api, create(api, tax_id=VAT)), 422, "tax_id", "turned off")


def test_a_read_key_cannot_check(api, vies):
    assert_problem(check(api, create(api, tax_id=VAT), api.read), 403)
    assert vies.asked == []
