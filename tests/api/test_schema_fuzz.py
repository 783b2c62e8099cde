"""Schemathesis drives every route of the OpenAPI document with generated input (bounded in
examples): whatever arrives, the API never answers with a 5xx."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api.main import create_app
from services import db
from services.api_keys import create_api_key
from tests.databases import reset
from tests.unit.factories import admin, make_customer

schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app())


@pytest.fixture(scope="module")
def write_key(database_urls):
    """One SQLite database for the whole fuzz run, with a customer to find."""
    engine = db.configure(database_urls("sqlite"))
    reset(engine)
    make_customer()
    return create_api_key("fuzz", "write", actor=admin("fuzz@example.com")).secret


@schema.parametrize()
@settings(max_examples=25, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, write_key):
    case.call_and_validate(headers={"Authorization": f"Bearer {write_key}"},
                           checks=[not_a_server_error])
