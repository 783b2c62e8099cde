from tests.api.conftest import new_customer
from tests.api.test_customers_api import V1, assert_problem, create


def test_contacts_add_edit_primary_remove(api):
    customer = create(api)
    url = f"{V1}/customers/{customer['id']}/contacts"
    added = api.client.post(url, json={"email": "ops@acme.example", "first_name": "Grace",
                                       "email_preferences": {"legal": True}}, headers=api.write)
    assert added.status_code == 201, added.text
    contact = added.json()
    assert contact["email_preferences"] == {"billing": True, "updates": True, "legal": True}
    edited = api.client.patch(f"{url}/{contact['id']}", json={"last_name": "Hopper"},
                              headers=api.write).json()
    assert edited["last_name"] == "Hopper"
    primary = api.client.post(f"{url}/{contact['id']}/primary", headers=api.write).json()
    assert primary["is_primary"]
    listed = api.client.get(url, headers=api.read).json()
    assert [c["is_primary"] for c in listed] == [False, True]
    assert_problem(api.client.delete(f"{url}/{contact['id']}", headers=api.write), 422,
                   "is_primary", "cannot be removed")
    old = listed[0]["id"]
    assert api.client.delete(f"{url}/{old}", headers=api.write).status_code == 204
    assert len(api.client.get(url, headers=api.read).json()) == 1


def test_contact_of_another_customer_is_404(api):
    first = create(api)
    second = create(api, name="Other", aliases=["other"])
    other_contact = second["contacts"][0]["id"]
    answer = api.client.patch(f"{V1}/customers/{first['id']}/contacts/{other_contact}",
                              json={"first_name": "X"}, headers=api.write)
    assert_problem(answer, 404)


def test_duplicate_contact_email_names_the_field(api):
    customer = create(api)
    answer = api.client.post(f"{V1}/customers/{customer['id']}/contacts",
                             json={"email": "BILLING@acme.example"}, headers=api.write)
    assert_problem(answer, 422, "email", "already a contact")


def test_aliases_add_remove_and_resolve(api):
    customer = create(api)
    url = f"{V1}/customers/{customer['id']}/aliases"
    added = api.client.post(url, json={"value": "stripe:cus_9"}, headers=api.write)
    assert added.status_code == 201 and added.json()["value"] == "stripe:cus_9"
    resolved = api.client.get(f"{V1}/aliases/stripe:cus_9", headers=api.read).json()
    assert resolved == {"alias": "stripe:cus_9", "customer_id": customer["id"],
                        "customer_name": "Acme Analytics GmbH", "status": "active"}
    assert api.client.delete(f"{url}/{added.json()['id']}", headers=api.write).status_code == 204
    assert_problem(api.client.get(f"{V1}/aliases/stripe:cus_9", headers=api.read), 404)


def test_alias_taken_elsewhere_is_refused_naming_the_holder(api):
    holder = create(api)
    other = create(api, name="Other", aliases=[])
    answer = api.client.post(f"{V1}/customers/{other['id']}/aliases", json={"value": "acme-001"},
                             headers=api.write)
    assert_problem(answer, 422, "aliases", f"(#{holder['id']})")


def test_legal_entities(api):
    refused = api.client.post(f"{V1}/legal-entities", json={"name": "Meterly GmbH"},
                              headers=api.write)
    assert refused.status_code == 403
    created = api.client.post(f"{V1}/legal-entities", json={"name": "Meterly GmbH"},
                              headers=api.admin)
    assert created.status_code == 201
    entity = created.json()
    names = [e["name"] for e in api.client.get(f"{V1}/legal-entities", headers=api.read).json()]
    assert "Meterly GmbH" in names
    renamed = api.client.patch(f"{V1}/legal-entities/{entity['id']}",
                               json={"name": "Meterly Europe GmbH"}, headers=api.admin).json()
    assert renamed["name"] == "Meterly Europe GmbH"
    duplicate = api.client.post(f"{V1}/legal-entities", json={"name": "meterly europe gmbh"},
                                headers=api.admin)
    assert_problem(duplicate, 422, "name", "already exists")
    customer = create(api, legal_entity_id=entity["id"])
    assert customer["legal_entity"] == "Meterly Europe GmbH"


def test_openapi_describes_every_route_and_its_problems(api):
    spec = api.client.get(f"{V1}/openapi.json", headers=api.read).json()
    assert spec["info"]["title"] == "Customer Desk API"
    paths = spec["paths"]
    assert {"/api/v1/customers", "/api/v1/customers/{customer_id}",
            "/api/v1/customers/{customer_id}/contacts/{contact_id}/primary",
            "/api/v1/aliases/{alias}", "/api/v1/legal-entities"} <= set(paths)
    create_op = paths["/api/v1/customers"]["post"]
    assert "application/problem+json" in create_op["responses"]["422"]["content"]
    fields = spec["components"]["schemas"]["CustomerCreate"]["properties"]
    assert fields["name"]["title"] == "Customer Name"
    assert fields["currency"]["title"] == "Billing Currency"
    assert new_customer().keys() <= fields.keys()
