"""The billing profile's fields through the API (issue #15): read, set, defaulted and
refused naming the field, with the version carried."""

from tests.api.test_customers_api import V1, assert_problem, create


def test_new_fields_are_read_and_defaulted(api):
    body = create(api, country="FR", currency="EUR", phone="+33 1 23 45 67 89")
    assert (body["customer_type"], body["tax_exemption"], body["invoice_language"],
            body["timezone"], body["phone"], body["shipping_same_as_billing"],
            body["invoice_grace_days"]) == (
        "company", "none", "fr_FR", "Europe/Paris", "+33123456789", True, 0)


def test_a_shipping_address_and_an_exemption_are_set_with_the_version(api):
    body = create(api)
    url = f"{V1}/customers/{body['id']}"
    answer = api.client.patch(url, json={
        "shipping_same_as_billing": False, "shipping_country": "US", "shipping_city": "Reno",
        "shipping_address_line1": "1 Main St", "shipping_state": "NV",
        "tax_exemption": "exempt", "tax_exemption_reason": "Charity", "tax_rate": "0",
        "invoice_grace_days": 5}, headers={**api.write, "If-Match": '"1"'})
    assert answer.status_code == 200, answer.text
    out = answer.json()
    assert (out["shipping_state"], out["tax_exemption"], out["tax_rate"],
            out["invoice_grace_days"]) == ("US-NV", "exempt", "0.00", 5)
    stale = api.client.patch(url, json={"customer_type": "individual"},
                             headers={**api.write, "If-Match": '"1"'})
    assert_problem(stale, 409)


def test_refusals_name_the_field(api):
    body = create(api)
    url = f"{V1}/customers/{body['id']}"
    cases = [({"phone": "030 901820"}, "phone", "country code"),
             ({"shipping_same_as_billing": True, "shipping_city": "Reno"}, "shipping_city",
              "applies only when"),
             ({"shipping_city": "Reno"}, "shipping_country", "is required"),
             ({"tax_exemption": "exempt"}, "tax_exemption_reason", "is required"),
             ({"invoice_language": "Klingon"}, "invoice_language", "such as de_DE"),
             ({"timezone": "Mars/Olympus"}, "timezone", "IANA"),
             ({"customer_type": "household"}, "customer_type", "")]
    for values, field, fragment in cases:
        answer = api.client.patch(url, json=values, headers={**api.write, "If-Match": '"1"'})
        assert_problem(answer, 422, field, fragment)


def test_filters_by_customer_type_and_exemption(api):
    create(api, name="Person", customer_type="individual", aliases=["p-1"],
           primary_contact={"email": "p@example.com"})
    create(api, name="Firm", aliases=["f-1"], primary_contact={"email": "f@example.com"})
    listed = api.client.get(f"{V1}/customers?customer_type=individual", headers=api.read).json()
    assert [c["name"] for c in listed["data"]] == ["Person"]
    none = api.client.get(f"{V1}/customers?tax_exemption=exempt", headers=api.read).json()
    assert none["total"] == 0


def test_a_contact_has_a_phone_and_a_job_title(api):
    body = create(api)
    url = f"{V1}/customers/{body['id']}/contacts"
    answer = api.client.post(url, json={"email": "cfo@acme.example", "phone": "+49 30 901820",
                                        "job_title": "CFO"},
                             headers={**api.write, "If-Match": '"1"'})
    assert answer.status_code == 201, answer.text
    assert (answer.json()["phone"], answer.json()["job_title"]) == ("+4930901820", "CFO")
    bad = api.client.post(url, json={"email": "x@acme.example", "phone": "12"},
                          headers={**api.write, "If-Match": '"2"'})
    assert_problem(bad, 422, "phone", "country code")
