import pytest

from services.config import settings
from services.customers import get_customer
from tests.api.conftest import new_customer
from tests.unit.factories import admin, customer_history

V1 = "/api/v1"


def create(api, **overrides):
    answer = api.client.post(f"{V1}/customers", json=new_customer(**overrides), headers=api.write)
    assert answer.status_code == 201, answer.text
    return answer.json()


def assert_problem(answer, status: int, field: str | None = None, fragment: str = ""):
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["status"] == status and body["title"] and body["detail"]
    if field:
        messages = {e["field"]: e["message"] for e in body["errors"]}
        assert field in messages, messages
        assert fragment in messages[field]
    else:
        assert fragment in body["detail"]
    return body


def test_no_key_or_a_wrong_key_is_401(api):
    assert_problem(api.client.get(f"{V1}/customers"), 401)
    assert_problem(api.client.get(f"{V1}/customers", headers={"X-API-Key": "cdk_nope"}), 401)


def test_read_key_cannot_write(api):
    answer = api.client.post(f"{V1}/customers", json=new_customer(), headers=api.read)
    assert_problem(answer, 403)
    assert api.client.get(f"{V1}/customers", headers=api.read).json()["total"] == 0


def test_revoked_key_is_refused(api):
    from services.api_keys import revoke_api_key

    revoke_api_key(api.writer.key.id, actor=admin("admin@example.com"))
    assert_problem(api.client.get(f"{V1}/customers", headers=api.write), 401)


def test_create_returns_the_customer_with_an_etag(api):
    body = create(api, tax_rate="8.875", contacts=[
        {"email": "legal@acme.example", "email_preferences": {"billing": False, "legal": True}}])
    assert body["name"] == "Acme Analytics GmbH" and body["version"] == 1
    assert body["tax_rate"] == "8.875"
    assert [a["value"] for a in body["aliases"]] == ["acme-001"]
    primary, legal = body["contacts"]
    assert primary["is_primary"] and primary["email"] == "billing@acme.example"
    assert legal["email_preferences"] == {"billing": False, "updates": True, "legal": True}
    event = customer_history(body["id"])[0]
    assert event.actor == "api-key:metering"


@pytest.mark.parametrize("overrides, field, fragment", [
    ({"name": ""}, "name", "Customer Name is required"),
    ({"currency": "EURO"}, "currency", "ISO 4217"),
    ({"primary_contact": {"email": "nope"}}, "primary_contact.email", "not a valid email"),
    ({"tax_rate": 150}, "tax_rate", "between 0 and 100"),
    ({"aliases": ["x" * 300]}, "aliases[0]", "at most 255"),
    ({"name": ["a list"]}, "name", "must be text"),
    ({"legal_entity_id": 10**12}, "legal_entity_id", "Legal Entity does not exist"),
    ({"contacts": [{"email": "billing@acme.example"}]}, "contacts[0].email", "already a contact"),
])
def test_bad_input_is_a_problem_naming_the_field_and_writes_nothing(api, overrides, field,
                                                                    fragment):
    answer = api.client.post(f"{V1}/customers", json=new_customer(**overrides), headers=api.write)
    assert_problem(answer, 422, field, fragment)
    assert api.client.get(f"{V1}/customers", headers=api.read).json()["total"] == 0


def test_unknown_field_is_refused(api):
    answer = api.client.post(f"{V1}/customers", json=new_customer(colour="blue"),
                             headers=api.write)
    assert_problem(answer, 422, "colour")


def test_alias_held_by_another_customer_names_it(api):
    first = create(api)
    answer = api.client.post(f"{V1}/customers", json=new_customer(name="Other"),
                             headers=api.write)
    assert_problem(answer, 422, "aliases[0]", f"Acme Analytics GmbH (#{first['id']})")


def test_get_and_404(api):
    body = create(api)
    answer = api.client.get(f"{V1}/customers/{body['id']}", headers=api.read)
    assert answer.json()["id"] == body["id"] and answer.headers["ETag"] == '"1"'
    assert_problem(api.client.get(f"{V1}/customers/999", headers=api.read), 404)


def test_next_links_never_come_from_the_host_header(api, monkeypatch):
    for i in range(3):
        create(api, name=f"Customer {i}", aliases=[f"c{i}"])
    spoofed = {**api.read, "Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    answer = api.client.get(f"{V1}/customers", params={"limit": 1}, headers=spoofed)
    assert answer.json()["next"] == "/api/v1/customers?limit=1&offset=1"
    monkeypatch.setenv("CUSTOMER_DESK_PUBLIC_BASE_URL", "https://desk.example.com/")
    settings.cache_clear()
    try:
        answer = api.client.get(f"{V1}/customers", params={"limit": 1}, headers=spoofed)
    finally:
        monkeypatch.undo()
        settings.cache_clear()
    assert answer.json()["next"] == "https://desk.example.com/api/v1/customers?limit=1&offset=1"


def test_list_filters_sort_and_next_links(api):
    for i in range(5):
        create(api, name=f"Customer {i}", aliases=[f"c{i}"],
               country="US" if i % 2 else "DE", currency="USD" if i % 2 else "EUR")
    answer = api.client.get(f"{V1}/customers", params={"limit": 2, "order": "desc"},
                            headers=api.read).json()
    assert answer["total"] == 5 and [c["name"] for c in answer["data"]] == ["Customer 4",
                                                                           "Customer 3"]
    second = api.client.get(answer["next"], headers=api.read).json()
    assert [c["name"] for c in second["data"]] == ["Customer 2", "Customer 1"]
    last = api.client.get(second["next"], headers=api.read).json()
    assert last["next"] is None and len(last["data"]) == 1
    assert answer["next"] == "/api/v1/customers?limit=2&order=desc&offset=2"
    us = api.client.get(f"{V1}/customers", params={"country": "US", "q": "customer"},
                        headers=api.read).json()
    assert us["total"] == 2 and {c["currency"] for c in us["data"]} == {"USD"}
    assert_problem(api.client.get(f"{V1}/customers", params={"sort": "secret"},
                                  headers=api.read), 422, "sort")


def test_patch_with_if_match_and_the_conflict(api):
    body = create(api)
    url = f"{V1}/customers/{body['id']}"
    answer = api.client.patch(url, json={"payment_terms_days": 45, "city": "Berlin",
                                         "address_line1": "Unter den Linden 5"},
                              headers={**api.write, "If-Match": '"1"'})
    assert answer.status_code == 200, answer.text
    assert answer.json()["payment_terms_days"] == 45 and answer.headers["ETag"] == '"2"'
    stale = api.client.patch(url, json={"payment_terms_days": 60},
                             headers={**api.write, "If-Match": '"1"'})
    assert_problem(stale, 409)
    assert get_customer(body["id"]).payment_terms_days == 45
    by_body = api.client.patch(url, json={"invoicing_flow": "xero", "version": 2},
                               headers=api.write)
    assert by_body.json()["invoicing_flow"] == "xero"
    assert_problem(api.client.patch(url, json={"auto_pay": False}, headers=api.write), 428)


def test_patch_refuses_bad_fields_with_the_ui_words(api):
    body = create(api)
    answer = api.client.patch(f"{V1}/customers/{body['id']}", json={"payment_terms_days": 400},
                              headers={**api.write, "If-Match": '"1"'})
    assert_problem(answer, 422, "payment_terms_days", "between Net 0 and Net 365")


def test_archive_and_restore_need_an_admin_key(api):
    body = create(api)
    url = f"{V1}/customers/{body['id']}"
    assert_problem(api.client.post(f"{url}/archive?version=1", headers=api.write), 403, None,
                   "editor role, which may not do this (admins only)")
    archived = api.client.post(f"{url}/archive", headers={**api.admin, "If-Match": '"1"'})
    assert archived.json()["status"] == "archived" and archived.headers["ETag"] == '"2"'
    assert api.client.get(f"{V1}/customers", headers=api.read).json()["total"] == 0
    restored = api.client.post(f"{url}/restore?version=2", headers=api.admin)
    assert restored.json()["status"] == "active"


def test_idempotency_key_replays_and_refuses_another_body(api):
    headers = {**api.write, "Idempotency-Key": "order-42"}
    first = api.client.post(f"{V1}/customers", json=new_customer(), headers=headers)
    again = api.client.post(f"{V1}/customers", json=new_customer(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert api.client.get(f"{V1}/customers", headers=api.read).json()["total"] == 1
    other = api.client.post(f"{V1}/customers", json=new_customer(name="Other"), headers=headers)
    assert_problem(other, 422, "Idempotency-Key", "different request body")


def test_a_refused_request_may_be_retried_with_its_key(api):
    headers = {**api.write, "Idempotency-Key": "retry-me"}
    assert api.client.post(f"{V1}/customers", json=new_customer(name=""),
                           headers=headers).status_code == 422
    assert api.client.post(f"{V1}/customers", json=new_customer(),
                           headers=headers).status_code == 201
