"""Valid input for the services, to be varied one field at a time."""

from typing import Any

from services.customers import create_customer

ACTOR = "ada@example.com"


def customer_input(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Acme Analytics GmbH",
        "primary_contact_email": "billing@acme.example",
        "primary_contact_first_name": "Ada",
        "primary_contact_last_name": "Lovelace",
        "country": "DE",
        "currency": "EUR",
        "address_line1": "Friedrichstraße 1",
        "city": "Berlin",
        "state": "DE-BE",
        "postal_code": "10117",
        "tax_rate": "19",
        "external_ids": ["acme-001"],
    }
    values.update(overrides)
    return values


def make_customer(**overrides: Any):
    return create_customer(customer_input(**overrides), actor=ACTOR)
