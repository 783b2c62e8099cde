"""Legal entities over the API: their details read and written, every change with the
version it read, and no delete of an entity that bills a customer."""

from tests.api.test_customers_api import V1, assert_problem, create

GMBH = {"name": "Acme GmbH", "country": "DE", "address_line1": "Friedrichstraße 1",
        "city": "Berlin", "state": "BE", "postal_code": "10117", "tax_id": "DE 136 695 976",
        "timezone": "Europe/Berlin"}


def add(api, body=None):
    answer = api.client.post(f"{V1}/legal-entities", json=body or GMBH, headers=api.admin)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_an_entity_is_created_with_its_details_cleaned_and_read_back(api):
    entity = add(api)
    assert {k: entity[k] for k in ("country", "state", "tax_id", "default_currency",
                                   "version")} == {
        "country": "DE", "state": "DE-BE", "tax_id": "DE136695976", "default_currency": "EUR",
        "version": 1}
    read = api.client.get(f"{V1}/legal-entities/{entity['id']}", headers=api.read)
    assert read.headers["ETag"] == '"1"'
    assert read.json()["city"] == "Berlin"
    listed = api.client.get(f"{V1}/legal-entities", headers=api.read).json()
    assert "Acme GmbH" in [e["name"] for e in listed]


def test_a_refused_detail_is_named(api):
    answer = api.client.post(f"{V1}/legal-entities", json={**GMBH, "tax_id": "DE123",
                                                           "default_currency": "EURO"},
                             headers=api.admin)
    assert_problem(answer, 422, "tax_id", "not a valid tax ID for Germany")
    assert "default_currency" in {e["field"] for e in answer.json()["errors"]}
    unknown = api.client.post(f"{V1}/legal-entities", json={"name": "X", "vat": "1"},
                              headers=api.admin)
    assert unknown.status_code == 422


def test_a_change_needs_the_version_it_read(api):
    entity = add(api)
    url = f"{V1}/legal-entities/{entity['id']}"
    missing = api.client.patch(url, json={"city": "München", "state": "BY"}, headers=api.admin)
    assert missing.status_code == 428
    changed = api.client.patch(url, json={"city": "München", "state": "BY"},
                               headers={**api.admin, "If-Match": '"1"'})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["state"], changed.headers["ETag"]) == ("DE-BY", '"2"')
    stale = api.client.patch(url, json={"city": "Köln", "version": 1}, headers=api.admin)
    assert_problem(stale, 409, None, "changed by someone else")
    writer = api.client.patch(url, json={"city": "Köln"}, headers={**api.write, "If-Match": '"2"'})
    assert writer.status_code == 403


def test_a_customer_created_without_an_entity_takes_its_countrys(api):
    entity = add(api)
    customer = create(api)  # a German customer, no legal_entity_id
    assert (customer["legal_entity_id"], customer["legal_entity"]) == (entity["id"], "Acme GmbH")
    other = create(api, name="Globex", country="FR", aliases=["globex-1"])
    assert other["legal_entity"] == "Default Legal Entity"


def test_delete_is_refused_while_a_customer_is_billed_under_it(api):
    used = add(api)
    spare = add(api, {"name": "Spare Ltd", "country": "GB"})
    create(api, legal_entity_id=used["id"])
    refused = api.client.delete(f"{V1}/legal-entities/{used['id']}",
                                headers={**api.admin, "If-Match": '"1"'})
    assert_problem(refused, 409, None, "Acme GmbH bills customers")
    gone = api.client.delete(f"{V1}/legal-entities/{spare['id']}?version=1", headers=api.admin)
    assert gone.status_code == 204
    assert api.client.get(f"{V1}/legal-entities/{spare['id']}",
                          headers=api.read).status_code == 404
