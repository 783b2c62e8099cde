"""Connected accounts through the API: External IDs read as {id, value, system}, are
written with a system (a plain string still works, as Other), an unknown system is a 422
naming the field and nothing is written; the list filters by "has a <system> ID"."""

from tests.api.test_customers_api import V1, assert_problem, create


def test_a_new_customer_takes_strings_and_objects_and_reads_them_back_with_systems(api):
    body = create(api, aliases=["crm-1", {"value": "cus_A1", "system": "stripe"}])
    assert [(a["value"], a["system"]) for a in body["aliases"]] == [
        ("crm-1", "other"), ("cus_A1", "stripe")]
    listed = api.client.get(f"{V1}/customers/{body['id']}/aliases", headers=api.read).json()
    assert [(a["value"], a["system"]) for a in listed] == [("crm-1", "other"),
                                                           ("cus_A1", "stripe")]


def test_an_added_external_id_carries_its_system(api):
    customer = create(api, aliases=[])
    url = f"{V1}/customers/{customer['id']}/aliases"
    added = api.client.post(url, json={"value": "001A0", "system": "salesforce"},
                            headers=api.write)
    assert added.status_code == 201, added.text
    assert added.json()["system"] == "salesforce" and added.json()["value"] == "001A0"
    plain = api.client.post(url, json={"value": "legacy-9"}, headers=api.write)
    assert plain.json()["system"] == "other"


def test_an_unknown_system_is_a_422_naming_the_field_and_nothing_is_written(api):
    customer = create(api, aliases=[])
    url = f"{V1}/customers/{customer['id']}/aliases"
    assert_problem(api.client.post(url, json={"value": "x-1", "system": "netsuite"},
                                   headers=api.write), 422, "system", "System must be one of")
    answer = api.client.post(f"{V1}/customers", headers=api.write, json={
        "name": "Beta", "currency": "EUR", "primary_contact": {"email": "b@beta.example"},
        "aliases": [{"value": "b-1", "system": 42}]})
    assert_problem(answer, 422, "aliases[0].system", "System must be one of")
    assert api.client.get(url, headers=api.read).json() == []
    found = api.client.get(f"{V1}/customers?q=Beta", headers=api.read).json()
    assert found["total"] == 0


def test_the_list_filters_by_connected_account(api):
    stripe = create(api, name="Striped", aliases=[{"value": "cus_S", "system": "stripe"}])
    both = create(api, name="Both", aliases=[{"value": "cus_B", "system": "stripe"},
                                             {"value": "001B", "system": "salesforce"}])
    create(api, name="Plain", aliases=["plain-1"])
    answer = api.client.get(f"{V1}/customers?connected_account=salesforce", headers=api.read)
    assert [c["id"] for c in answer.json()["data"]] == [both["id"]]
    answer = api.client.get(f"{V1}/customers?connected_account=stripe&sort=name",
                            headers=api.read)
    assert {c["id"] for c in answer.json()["data"]} == {stripe["id"], both["id"]}
    assert api.client.get(f"{V1}/customers?connected_account=sap",
                          headers=api.read).status_code == 422
