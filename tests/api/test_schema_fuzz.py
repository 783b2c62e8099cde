"""Schemathesis drives every route and parameter of the OpenAPI document with generated input,
on both databases: whatever arrives, the API never answers with a 5xx, and every refusal is
application/problem+json.

Generated values seldom reach the edges where a database or a conversion fails, so every
parameter also gets the edge values below as examples (dates at the ends of the calendar,
numbers no column holds, NaN and infinities, non-ASCII digits), and `custom` gets filters over
real custom fields of every type with those values as range ends.
"""

import copy
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api import openapi_document
from api.main import create_app
from models.custom_field import CustomField
from services import custom_fields as cf
from tests.unit.factories import ACTOR, make_customer

EDGES = ["0001-01-01", "9999-12-31", "10000-01-01", "2024-02-30", "NaN", "Infinity",
         "-Infinity", "sNaN", "1e999999", "-1e999999", "1e-999999", "9" * 40, "-" + "9" * 40,
         "2147483648", "9223372036854775808", "-1", "0", "1_000", "0x10", " 1", "", "²",
         "٣", "１２", "٢٠٢٤-٠١-٠١"]
# Header values travel as Latin-1 without surrounding blanks: the client sends no others.
HEADER_EDGES = [e for e in EDGES if (e.isascii() or e == "²") and e and e == e.strip()]
FIELDS = [CustomField(key=key, label=key.title(), kind=kind, position=n,
                      options=["SMB", "Enterprise"] if kind.endswith("choice") else [])
          for n, (key, kind) in enumerate({
              "score": "decimal", "seats": "integer", "ends": "date", "segment": "choice",
              "tags": "multi_choice", "strategic": "bool", "owner": "text"}.items())]
RANGES = ["{}", "..{}"]  # a range's low end, its high end


def _custom_terms() -> list[str]:
    terms = [f"{f.key}:{form.format(edge)}" for f in FIELDS for form in RANGES
             for edge in EDGES]
    return terms + ["nokey:1", "score", ":", "score:..", "score:1..2..3", "segment:Galactic"]


def _plain(schema: dict[str, Any]) -> Any:
    """A value of `schema` that is accepted, so an edge value beside it is what is tried."""
    if "default" in schema:
        return schema["default"]
    schema = next((s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"), {})
    if schema.get("type") == "array":
        return [_plain(schema["items"])]
    if schema.get("type") == "integer":
        return max(1, schema.get("minimum", 1))
    if schema.get("type") == "boolean":
        return True
    return {"date": "2027-01-31"}.get(schema.get("format"), "1")


def _edges(parameter: dict[str, Any]) -> list[Any]:
    if parameter["name"] == "custom":
        return [[term] for term in _custom_terms()]
    edges = HEADER_EDGES if parameter["in"] == "header" else EDGES
    if parameter["schema"].get("type") == "array":
        return [[edge] for edge in edges]
    return edges


def with_edge_examples(document: dict[str, Any]) -> dict[str, Any]:
    """The document with examples that try each edge value in each parameter of each route,
    one parameter at a time: examples of one name go into one request, so the example
    "created_to-1" holds an edge value in created_to and a plain value in every other."""
    document = copy.deepcopy(document)
    for operations in document["paths"].values():
        for operation in operations.values():
            parameters = operation.get("parameters", [])
            for parameter in parameters:
                parameter["examples"] = {}
            for tried in parameters:
                for n, edge in enumerate(_edges(tried)):
                    name = f"{tried['name']}-{n}"
                    for parameter in parameters:
                        value = edge if parameter is tried else _plain(parameter["schema"])
                        parameter["examples"][name] = {"value": value}
    return document


@schemathesis.check
def refusals_are_problems(ctx, response, case):
    if 400 <= response.status_code < 500:
        media_type = response.headers.get("content-type", [""])[0]
        assert media_type == "application/problem+json", (response.status_code, media_type)


app = create_app()
schema = schemathesis.openapi.from_dict(with_edge_examples(
    openapi_document.build(app, [cf.spec_of(f) for f in FIELDS])))
schema.app = app


@pytest.fixture
def admin_key(api):
    """A customer to find and the custom fields the document describes, on the test's
    database; an admin key, so archive and legal entities are reached too."""
    make_customer()
    for field in FIELDS:
        cf.add_custom_field({"key": field.key, "label": field.label, "kind": field.kind,
                             "options": field.options}, actor=ACTOR)
    return api.admin


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, admin_key):
    case.call_and_validate(headers=admin_key, checks=[not_a_server_error, refusals_are_problems])
