"""Each kind's JSON schema in the OpenAPI document, and the Python type a response holds it
as: one table for built-in and custom fields alike."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from models.fields import FieldSpec
from models.kinds import CODED, Kind

Schema = Callable[[FieldSpec], dict[str, Any]]


def _string(spec: FieldSpec, **extra: Any) -> dict[str, Any]:
    bound = {"maxLength": spec.max_length} if spec.max_length else {}
    return {"type": "string", **extra, **bound}


def _plain(schema: dict[str, Any]) -> Schema:
    """A fixed schema; a text one takes the field's length limit."""
    def of(spec: FieldSpec) -> dict[str, Any]:
        if schema.get("type") == "string" and spec.max_length:
            return {**schema, "maxLength": spec.max_length}
        return dict(schema)
    return of


def _text(spec: FieldSpec) -> dict[str, Any]:
    return _string(spec)


JSON_SCHEMA: dict[Kind, Schema] = {
    **dict.fromkeys((Kind.TEXT, Kind.LONG_TEXT, Kind.TAX_ID, Kind.ALIAS, Kind.STATE,
                     Kind.EMAIL_OR_DOMAIN, Kind.FIELD_KEY, Kind.STATUS, Kind.PAYMENT_METHOD),
                    _text),
    Kind.EMAIL: lambda spec: _string(spec, format="email"),
    Kind.URL: lambda spec: _string(spec, format="uri"),
    Kind.COUNTRY: _plain({"type": "string", "examples": ["DE"],
                          "description": "ISO 3166-1 alpha-2"}),
    Kind.CURRENCY: _plain({"type": "string", "examples": ["EUR"], "description": "ISO 4217"}),
    Kind.INTEGER: _plain({"type": "integer"}),
    Kind.DECIMAL: _plain({"type": "string", "format": "decimal", "examples": ["12.5"]}),
    Kind.PERCENT: _plain({"anyOf": [{"type": "string", "pattern": r"^\d{1,3}(\.\d{1,4})?$"},
                                    {"type": "number"}], "examples": ["8.875"]}),
    Kind.PAYMENT_TERMS: _plain({"type": "integer", "minimum": 0, "maximum": 365,
                                "examples": [30]}),
    Kind.DATE: _plain({"type": "string", "format": "date"}),
    Kind.DATETIME: _plain({"type": "string", "format": "date-time"}),
    Kind.BOOL: _plain({"type": "boolean"}),
    Kind.CHOICE: lambda spec: {"type": "string", "enum": list(spec.options)},
    Kind.MULTI_CHOICE: lambda spec: {"type": "array",
                                     "items": {"type": "string", "enum": list(spec.options)}},
    **{kind: _plain({"type": "string", "enum": [c.value for c in choices]})
       for kind, choices in CODED.items()},
    Kind.PHONE: _plain({"type": "string", "examples": ["+4930901820"],
                        "description": "E.164; +49 30 901820 and 0049 30 901820 are read too"}),
    Kind.LANGUAGE: _plain({"type": "string", "examples": ["de_DE"],
                           "description": "A Babel locale: a language and its territory"}),
    Kind.TIMEZONE: _plain({"type": "string", "examples": ["Europe/Berlin"],
                           "description": "An IANA time zone"}),
    Kind.DAYS: _plain({"type": "integer", "minimum": 0, "maximum": 365, "examples": [7]}),
    Kind.LEGAL_ENTITY: _plain({"type": "integer", "minimum": 1}),
    Kind.CUSTOMER: _plain({"type": ["integer", "null"], "minimum": 1,
                           "description": "A customer's ID; null for none."}),
    Kind.ID: _plain({"type": "integer", "minimum": 1}),
}

# The Python type of a value in a response (percent and decimals travel as exact text).
OUT_TYPE: dict[Kind, type] = {
    **dict.fromkeys((Kind.TEXT, Kind.LONG_TEXT, Kind.TAX_ID, Kind.ALIAS, Kind.STATE,
                     Kind.EMAIL_OR_DOMAIN, Kind.FIELD_KEY, Kind.STATUS, Kind.EMAIL, Kind.URL,
                     Kind.COUNTRY, Kind.CURRENCY, Kind.DECIMAL, Kind.PERCENT, Kind.DATE,
                     Kind.CHOICE, Kind.PAYMENT_METHOD, Kind.PHONE, Kind.LANGUAGE,
                     Kind.TIMEZONE, *CODED), str),
    **dict.fromkeys((Kind.INTEGER, Kind.PAYMENT_TERMS, Kind.LEGAL_ENTITY, Kind.CUSTOMER, Kind.ID,
                     Kind.DAYS), int),
    Kind.BOOL: bool,
    Kind.MULTI_CHOICE: list,
    Kind.DATETIME: datetime,
}
