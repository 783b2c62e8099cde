"""POST /aliases/resolve: up to 1,000 External IDs answered in one call, each as
GET /aliases/{alias} answers it; refusals are problems naming the field, never a 5xx."""

from urllib.parse import quote

from tests.api.test_customers_api import V1, assert_problem, create
from tests.hostile import HOSTILE
from tests.unit.factories import make_customer

URL = f"{V1}/aliases/resolve"


def resolve(api, ids, headers=None):
    return api.client.post(URL, json={"aliases": ids}, headers=headers or api.read)


def test_a_thousand_ids_resolve_in_one_call_with_a_read_key(api):
    ids = [f"cus_{n:05d}" for n in range(1_000)]
    customer = make_customer(external_ids=[{"value": v, "system": "stripe"} for v in ids])
    answer = resolve(api, ids)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == {"resolved": {v: {"customer_id": customer.id, "system": "stripe"}
                                          for v in ids}, "missing": []}


def test_unknown_ids_are_listed_and_repeats_answered_once(api):
    acme = create(api, aliases=["acme-001"])
    answer = resolve(api, ["ghost-2", "acme-001", "ghost-1", "acme-001", "ghost-2"]).json()
    assert answer == {"resolved": {"acme-001": {"customer_id": acme["id"], "system": "other"}},
                      "missing": ["ghost-2", "ghost-1"]}


def test_look_alikes_and_case_variants_resolve_as_the_single_route_does(api):
    create(api, aliases=["cus_ACME1", "stripe/cus_1"])
    variants = ["cus_ACME1", " cus_ACME1 ", "cus_acme1", "CUS_ACME1", "ｃｕｓ＿ＡＣＭＥ１",
                "cus_АСМЕ1", "cus_ACME\u200b1", "stripe/cus_1", "Stripe/cus_1"]
    answer = resolve(api, variants).json()
    for value in variants:
        alone = api.client.get(f"{V1}/aliases/{quote(value, safe='')}", headers=api.read)
        assert alone.status_code in (200, 404), (value, alone.text)
        if alone.status_code == 200:
            assert answer["resolved"][value]["customer_id"] == alone.json()["customer_id"]
        else:
            assert value in answer["missing"], value


def test_too_many_or_no_ids_are_refused_naming_the_field(api):
    assert_problem(resolve(api, ["x"] * 1_001), 422, "aliases", "1,000")
    assert_problem(resolve(api, []), 422, "aliases", "1 to 1,000")
    assert_problem(resolve(api, "cus_1"), 422, "aliases")
    assert_problem(resolve(api, ["ok", 7, ""]), 422, "aliases[2]", "must not be empty")
    assert_problem(api.client.post(URL, json={}, headers=api.read), 422, "aliases")
    assert_problem(api.client.post(URL, json={"aliases": ["x"], "more": 1}, headers=api.read),
                   422, "more")
    assert_problem(api.client.post(URL, content=b"[not json", headers={
        **api.read, "Content-Type": "application/json"}), 422, "body")
    lone = api.client.post(URL, content=b'{"aliases": ["a\\ud800"]}', headers={
        **api.read, "Content-Type": "application/json"})
    assert_problem(lone, 422, "aliases[0]", "lone surrogate")


def test_hostile_values_are_missing_or_refused_never_a_server_error(api):
    create(api, aliases=["acme-001"])
    for name, raw in HOSTILE.items():
        answer = resolve(api, ["acme-001", raw])
        if answer.status_code == 422:
            assert_problem(answer, 422, "aliases[1]")
            continue
        assert answer.status_code == 200, (name, answer.text[:300])
        body = answer.json()
        assert "acme-001" in body["resolved"], name
        alone = api.client.get(f"{V1}/aliases/{quote(raw, safe='')}", headers=api.read)
        assert (raw in body["missing"]) == (alone.status_code != 200), name


def test_a_key_is_required(api):
    assert_problem(api.client.post(URL, json={"aliases": ["x"]}), 401)
    assert_problem(resolve(api, ["x"], headers={"X-API-Key": "cdk_wrong"}), 401)
    assert resolve(api, ["x"], headers=api.write).status_code == 200


def test_the_openapi_document_describes_the_route(api):
    spec = api.client.get(f"{V1}/openapi.json", headers=api.read).json()
    operation = spec["paths"]["/api/v1/aliases/resolve"]["post"]
    assert "application/problem+json" in operation["responses"]["422"]["content"]
    body = spec["components"]["schemas"]["AliasBatchIn"]["properties"]["aliases"]
    assert (body["type"], body["minItems"], body["maxItems"]) == ("array", 1, 1_000)
    answer = spec["components"]["schemas"]["AliasBatchResolution"]["properties"]
    assert set(answer) == {"resolved", "missing"}
