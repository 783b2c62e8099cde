"""The OpenAPI document and the docs page name the custom fields: they need a key like every
route, unless the operator makes them public."""

import pytest

from services import custom_fields as cf
from services.config import settings
from tests.api.test_customers_api import assert_problem
from tests.unit.factories import ACTOR

V1 = "/api/v1"


@pytest.fixture
def secret_field(api):
    cf.add_custom_field({"key": "churn_risk", "label": "Churn risk", "kind": "choice",
                         "options": ["Low", "Acquisition target"]}, actor=ACTOR)


@pytest.mark.parametrize("path", ["/openapi.json", "/docs"])
def test_without_a_key_the_document_and_docs_are_401(api, secret_field, path):
    for headers in ({}, {"X-API-Key": "cdk_nope"}):
        answer = api.client.get(V1 + path, headers=headers)
        body = assert_problem(answer, 401)
        assert answer.headers["WWW-Authenticate"] == "Bearer"
        assert "Churn risk" not in answer.text and "Acquisition" not in str(body)


def test_any_key_reads_the_document_and_the_docs(api, secret_field):
    document = api.client.get(f"{V1}/openapi.json", headers=api.read)
    assert document.status_code == 200
    fields = document.json()["components"]["schemas"]["CustomFieldValues"]["properties"]
    assert fields["churn_risk"]["title"] == "Churn risk"
    page = api.client.get(f"{V1}/docs", headers=api.read)
    assert page.status_code == 200 and "swagger-ui" in page.text
    assert f"'{V1}/openapi.json'" in page.text


def test_the_operator_can_make_them_public(api, secret_field, monkeypatch):
    monkeypatch.setenv("CUSTOMER_DESK_OPENAPI_PUBLIC", "true")
    settings.cache_clear()
    try:
        assert api.client.get(f"{V1}/openapi.json").status_code == 200
        assert api.client.get(f"{V1}/docs").status_code == 200
        assert_problem(api.client.get(f"{V1}/customers"), 401)
    finally:
        monkeypatch.undo()
        settings.cache_clear()
