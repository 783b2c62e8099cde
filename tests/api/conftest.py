from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from services.api_keys import create_api_key
from tests.unit.factories import admin


@pytest.fixture
def api(database):
    """The API over the test's database, with a write key, a read key and an admin key."""
    writer = create_api_key("metering", "write", actor=admin("admin@example.com"))
    reader = create_api_key("finance bi", "read", actor=admin("admin@example.com"))
    boss = create_api_key("ops", "admin", actor=admin("admin@example.com"))
    client = TestClient(create_app())
    return SimpleNamespace(
        client=client,
        write={"Authorization": f"Bearer {writer.secret}"},
        read={"X-API-Key": reader.secret},
        admin={"X-API-Key": boss.secret},
        writer=writer,
        reader=reader,
    )


def new_customer(**overrides):
    body = {
        "name": "Acme Analytics GmbH",
        "currency": "EUR",
        "country": "DE",
        "primary_contact": {"email": "billing@acme.example", "first_name": "Ada"},
        "aliases": ["acme-001"],
    }
    body.update(overrides)
    return body
