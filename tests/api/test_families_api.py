"""Customer families through the API: parent_id and invoice_to_parent read and set with
PATCH (If-Match), the children listed, refusals as 422 naming the field, and archiving a
parent with active children only with a choice of what happens to them."""

from tests.api.test_customers_api import V1, assert_problem, create


def family(api):
    parent = create(api, name="Holding", aliases=["holding"])
    child = create(api, name="North", aliases=["north"],
                   primary_contact={"email": "north@acme.example"})
    return parent, child


def patch(api, customer, body, headers=None):
    return api.client.patch(f"{V1}/customers/{customer['id']}", json=body,
                            headers={**(headers or api.write),
                                     "If-Match": f'"{customer["version"]}"'})


def test_a_parent_is_set_with_patch_and_read_back(api):
    parent, child = family(api)
    assert (child["parent_id"], child["invoice_to_parent"]) == (None, False)
    answer = patch(api, child, {"parent_id": parent["id"], "invoice_to_parent": True})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["parent_id"], answer.json()["invoice_to_parent"]) == (parent["id"],
                                                                                True)
    listed = api.client.get(f"{V1}/customers/{parent['id']}/children", headers=api.read)
    assert listed.json() == [{"id": child["id"], "name": "North", "status": "active",
                              "invoice_to_parent": True}]


def test_a_stale_version_is_409(api):
    parent, child = family(api)
    assert patch(api, child, {"payment_terms_days": 45}).status_code == 200
    assert_problem(patch(api, child, {"parent_id": parent["id"]}), 409)


def test_family_refusals_are_422_naming_the_field(api):
    parent, child = family(api)
    assert_problem(patch(api, child, {"parent_id": child["id"]}), 422, "parent_id",
                   "cannot be its own parent")
    assert_problem(patch(api, child, {"invoice_to_parent": True}), 422, "invoice_to_parent",
                   "needs a parent")
    assert_problem(patch(api, child, {"parent_id": "Holding"}), 422, "parent_id",
                   "must be a customer's ID")
    assert_problem(patch(api, child, {"parent_id": 2_000_000}), 422, "parent_id",
                   "does not exist")
    child = patch(api, child, {"parent_id": parent["id"]}).json()
    assert_problem(patch(api, parent, {"parent_id": child["id"]}), 422, "parent_id",
                   "cannot be the child of its own child")


def test_archiving_a_parent_needs_a_choice_for_its_children(api):
    parent, child = family(api)
    patch(api, child, {"parent_id": parent["id"]})
    path = f"{V1}/customers/{parent['id']}/archive?version={parent['version']}"
    body = assert_problem(api.client.post(path, headers=api.admin), 422, "children",
                          "1 active child customer")
    assert "detach" in body["detail"]
    assert api.client.get(f"{V1}/customers/{parent['id']}",
                          headers=api.read).json()["status"] == "active"
    assert api.client.post(path + "&children=delete", headers=api.admin).status_code == 422
    answer = api.client.post(path + "&children=detach", headers=api.admin)
    assert answer.status_code == 200 and answer.json()["status"] == "archived"
    kept = api.client.get(f"{V1}/customers/{child['id']}", headers=api.read).json()
    assert (kept["status"], kept["parent_id"]) == ("active", None)


def test_the_list_filters_by_family(api):
    parent, child = family(api)
    create(api, name="Alone", aliases=["alone"], primary_contact={"email": "a@acme.example"})
    patch(api, child, {"parent_id": parent["id"]})

    def names(query):
        answer = api.client.get(f"{V1}/customers?{query}", headers=api.read)
        assert answer.status_code == 200, answer.text
        return sorted(c["name"] for c in answer.json()["data"])

    assert names("family=child") == ["North"]
    assert names("family=parent&family=standalone") == ["Alone", "Holding"]
    assert_problem(api.client.get(f"{V1}/customers?family=orphan", headers=api.read), 422,
                   "family")
