"""The OpenAPI document, with the custom fields of the moment.

FastAPI builds the document from the route models once; custom fields are made at
runtime in Settings, so each request for the document copies that base and describes
the current custom fields as the CustomFieldValues schema, which custom_fields refers to.
The labels and options of those fields are the operator's business: api/routes_docs.py
serves the document behind a key unless the operator makes it public.
"""

import copy
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from sqlalchemy.exc import OperationalError, ProgrammingError

from api.json_types import JSON_SCHEMA
from models.fields import FieldSpec
from services.custom_fields import custom_specs

SCHEMA = "CustomFieldValues"
USED_BY = ("CustomerCreate", "CustomerFields", "CustomerOut")


def _schema_of(spec: FieldSpec) -> dict[str, Any]:
    typed = JSON_SCHEMA[spec.kind](spec)
    return {"anyOf": [typed, {"type": "null"}], "title": spec.label,
            "description": spec.help or f"Custom field ({spec.kind})."}


def _current_fields() -> tuple[FieldSpec, ...]:
    """The custom fields; none while the database is not migrated yet (the document can be
    read before the server's start-up has run the migrations, as a test client does)."""
    try:
        return custom_specs()
    except (OperationalError, ProgrammingError):
        return ()


def build(app: FastAPI, fields: Sequence[FieldSpec]) -> dict[str, Any]:
    """The document of `app` with `fields` as the custom fields (the routes' part is built
    once per app and kept)."""
    base = getattr(app.state, "openapi_base", None)
    if base is None:
        base = app.state.openapi_base = get_openapi(
            title=app.title, version=app.version, description=app.description,
            routes=app.routes)
    result = copy.deepcopy(base)
    schemas = result["components"]["schemas"]
    schemas[SCHEMA] = {
        "type": "object", "title": "Custom field values",
        "description": "Fields made in Settings -> Custom fields, by key.",
        "properties": {s.attr: _schema_of(s) for s in fields},
        "additionalProperties": False,
    }
    for name in USED_BY:
        schemas[name]["properties"]["custom_fields"] = {
            "anyOf": [{"$ref": f"#/components/schemas/{SCHEMA}"}, {"type": "null"}],
            "description": schemas[name]["properties"]["custom_fields"].get("description"),
        }
    return result


def install(app: FastAPI) -> None:
    app.openapi = lambda: build(app, _current_fields())
