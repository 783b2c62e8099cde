"""Custom fields through the API: under custom_fields, validated with the UI's messages, and
described in the OpenAPI document as soon as they are made."""

from services import custom_fields as cf
from tests.api.conftest import new_customer
from tests.api.test_customers_api import assert_problem
from tests.unit.factories import ACTOR

V1 = "/api/v1"


def define(api) -> None:
    cf.add_custom_field({"key": "segment", "label": "Segment", "kind": "choice",
                         "options": ["SMB", "Enterprise"], "help": "Sales segment."},
                        actor=ACTOR)
    cf.add_custom_field({"key": "contract_end", "label": "Contract end", "kind": "date"},
                        actor=ACTOR)


def test_create_read_patch_and_refuse_custom_values(api):
    define(api)
    created = api.client.post(f"{V1}/customers", headers=api.write, json=new_customer(
        custom_fields={"segment": "smb", "contract_end": "2027-03-31"}))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["custom_fields"] == {"segment": "SMB", "contract_end": "2027-03-31"}
    url = f"{V1}/customers/{body['id']}"
    patched = api.client.patch(url, headers={**api.write, "If-Match": f'"{body["version"]}"'},
                               json={"custom_fields": {"segment": "Enterprise"}})
    assert patched.json()["custom_fields"]["segment"] == "Enterprise"
    version = {**api.write, "If-Match": f'"{body["version"] + 1}"'}
    bad = api.client.patch(url, headers=version, json={"custom_fields": {"segment": "Galactic"}})
    assert_problem(bad, 422, "custom_fields.segment", "Segment must be one of: SMB, Enterprise.")
    unknown = api.client.patch(url, headers=version, json={"custom_fields": {"colour": "red"}})
    assert_problem(unknown, 422, "custom_fields.colour", "colour is not a custom field")
    assert api.client.get(url, headers=api.read).json()["custom_fields"]["segment"] == \
        "Enterprise"


def test_the_openapi_document_describes_the_fields_of_the_moment(api):
    assert api.client.get(f"{V1}/openapi.json", headers=api.read).json()["components"]["schemas"][
        "CustomFieldValues"]["properties"] == {}
    define(api)
    spec = api.client.get(f"{V1}/openapi.json", headers=api.read).json()
    fields = spec["components"]["schemas"]["CustomFieldValues"]["properties"]
    assert fields["segment"]["title"] == "Segment"
    assert fields["segment"]["anyOf"][0]["enum"] == ["SMB", "Enterprise"]
    assert fields["contract_end"]["anyOf"][0]["format"] == "date"
    create = spec["components"]["schemas"]["CustomerCreate"]["properties"]["custom_fields"]
    assert create["anyOf"][0] == {"$ref": "#/components/schemas/CustomFieldValues"}


def test_the_list_filters_by_custom_fields(api):
    define(api)
    for n, segment in enumerate(["SMB", "Enterprise", None]):
        custom = {"segment": segment, "contract_end": f"2027-0{n + 1}-15"}
        api.client.post(f"{V1}/customers", headers=api.write, json=new_customer(
            name=f"C{n}", aliases=[f"c-{n}"], custom_fields=custom,
            primary_contact={"email": f"c{n}@x.example"}))

    def names(*terms):
        answer = api.client.get(f"{V1}/customers", headers=api.read,
                                params=[("custom", t) for t in terms])
        assert answer.status_code == 200, answer.text
        return sorted(c["name"] for c in answer.json()["data"])

    assert names("segment:SMB") == ["C0"]
    assert names("segment:SMB", "segment:Enterprise") == ["C0", "C1"]
    assert names("contract_end:2027-02-01..") == ["C1", "C2"]
    assert names("contract_end:..2027-02-01", "segment:Enterprise") == []
    bad = api.client.get(f"{V1}/customers", headers=api.read, params={"custom": "colour:red"})
    assert_problem(bad, 422, "custom", "key of a custom field")


def test_a_custom_value_of_the_wrong_json_type_is_a_problem_naming_it(api):
    cf.add_custom_field({"key": "seats", "label": "Seats", "kind": "integer"}, actor=ACTOR)
    for value in ({}, {"n": 1}, [5], "٣٣x", 1.5, True):
        answer = api.client.post(f"{V1}/customers", headers=api.write,
                                 json=new_customer(custom_fields={"seats": value}))
        assert_problem(answer, 422, "custom_fields.seats", "Seats must be a whole number")
    assert api.client.get(f"{V1}/customers", headers=api.read).json()["total"] == 0
