from urllib.parse import quote

import pytest

from tests.api.conftest import new_customer
from tests.api.test_customers_api import V1, assert_problem, create


def etag(api, customer_id: int) -> dict[str, str]:
    """The write key plus If-Match with the customer's version as a GET returns it now."""
    read = api.client.get(f"{V1}/customers/{customer_id}", headers=api.read)
    return {**api.write, "If-Match": read.headers["ETag"]}


def test_contacts_add_edit_primary_remove(api):
    customer = create(api)
    url = f"{V1}/customers/{customer['id']}/contacts"
    added = api.client.post(url, json={"email": "ops@acme.example", "first_name": "Grace",
                                       "email_preferences": {"legal": True}}, headers=api.write)
    assert added.status_code == 201, added.text
    contact = added.json()
    assert contact["email_preferences"] == {"billing": True, "updates": True, "legal": True}
    edited = api.client.patch(f"{url}/{contact['id']}", json={"last_name": "Hopper"},
                              headers=etag(api, customer["id"]))
    assert edited.json()["last_name"] == "Hopper"
    primary = api.client.post(f"{url}/{contact['id']}/primary",
                              headers={**api.write, "If-Match": edited.headers["ETag"]})
    assert primary.json()["is_primary"]
    listed = api.client.get(url, headers=api.read)
    assert [c["is_primary"] for c in listed.json()] == [False, True]
    assert listed.headers["ETag"] == primary.headers["ETag"]
    assert_problem(api.client.delete(f"{url}/{contact['id']}", headers=etag(api, customer["id"])),
                   422, "is_primary", "cannot be removed")
    old = listed.json()[0]["id"]
    version = int(listed.headers["ETag"].strip('"'))
    removed = api.client.delete(f"{url}/{old}?version={version}", headers=api.write)
    assert removed.status_code == 204 and removed.headers["ETag"] == f'"{version + 1}"'
    assert len(api.client.get(url, headers=api.read).json()) == 1


def test_every_write_to_a_customer_or_its_children_needs_the_version_it_read(api):
    """428 without a version, 409 with a stale one (nothing written), 412 for a malformed
    If-Match; adding a contact or an External ID overwrites nothing, so it may omit it."""
    customer = create(api)
    base = f"{V1}/customers/{customer['id']}"
    contact = api.client.post(f"{base}/contacts", json={"email": "ops@acme.example"},
                              headers=api.write).json()
    alias = api.client.post(f"{base}/aliases", json={"value": "crm-7"}, headers=api.write).json()
    writes = [("patch", f"{base}/contacts/{contact['id']}", {"json": {"first_name": "X"}}),
              ("post", f"{base}/contacts/{contact['id']}/primary", {}),
              ("delete", f"{base}/contacts/{contact['id']}", {}),
              ("delete", f"{base}/aliases/{alias['id']}", {}),
              ("post", f"{base}/archive", {}),
              ("post", f"{base}/restore", {}),
              ("patch", base, {"json": {"city": "Bonn"}})]
    stale = {"If-Match": f'"{customer["version"]}"'}
    for method, url, extra in writes:
        keys = api.admin
        before = api.client.get(base, headers=api.read).json()
        assert_problem(getattr(api.client, method)(url, headers=keys, **extra), 428)
        assert_problem(getattr(api.client, method)(url, headers={**keys, **stale}, **extra), 409)
        malformed = {**keys, "If-Match": '"²"'.encode()}
        assert_problem(getattr(api.client, method)(url, headers=malformed, **extra), 412)
        assert api.client.get(base, headers=api.read).json() == before, (method, url)
    stale_add = api.client.post(f"{base}/aliases?version={customer['version']}",
                                json={"value": "crm-8"}, headers=api.write)
    assert_problem(stale_add, 409)


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
    removed = api.client.delete(f"{url}/{added.json()['id']}", headers=etag(api, customer["id"]))
    assert removed.status_code == 204
    assert_problem(api.client.get(f"{V1}/aliases/stripe:cus_9", headers=api.read), 404)


@pytest.mark.parametrize("value", ["stripe/cus_1", "crm?id=7", "a/b?c#d", "100%/x"])
def test_ids_holding_slashes_and_question_marks_resolve(api, value):
    customer = create(api, aliases=[value])
    answer = api.client.get(f"{V1}/aliases/{quote(value, safe='')}", headers=api.read)
    assert answer.status_code == 200, answer.text
    assert answer.json()["customer_id"] == customer["id"]


def test_look_alike_ids_are_refused_naming_the_holder_and_resolution_is_exact(api):
    holder = create(api, aliases=["cus_ACME1"])
    other = create(api, name="Other", aliases=[])
    for variant in ("cus_acme1", "ｃｕｓ＿ＡＣＭＥ１", "cus_АСМЕ1", "cus_ACME\u200b1"):
        answer = api.client.post(f"{V1}/customers/{other['id']}/aliases",
                                 content=f'{{"value": "{variant}"}}'.encode(),
                                 headers={**api.write, "Content-Type": "application/json"})
        assert_problem(answer, 422, "aliases")
        assert f"(#{holder['id']})" in answer.text or "ZERO WIDTH SPACE" in answer.text
    missed = api.client.get(f"{V1}/aliases/cus_acme1", headers=api.read)
    assert_problem(missed, 404)


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
                               json={"name": "Meterly Europe GmbH"},
                               headers={**api.admin, "If-Match": '"1"'}).json()
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
