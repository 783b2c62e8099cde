"""The list route's filter parameters and its summary rows, generated from the columns'
declarations (models.filters.ListFilter, desk_field(summary=True)): a filter declared on a
field is a query parameter here without a line of this file changing."""

import inspect
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BaseModel, Field, create_model
from sqlalchemy import Column

from api.json_types import OUT_TYPE
from models.choices import PAYMENT_TERMS_MAX, PAYMENT_TERMS_MIN, SourceSystem
from models.customer import Customer
from models.kinds import CODED, Filter, Kind
from services import default_payment_method, family_sql
from services.builtin_columns import BookColumn, builtin_columns
from services.list_filters import FieldFilter, from_parameters
from services.query_values import INT32_MAX

# The type of one value of a filter parameter, by kind.
QUERY_VALUE: dict[Kind, Any] = {
    Kind.COUNTRY: str,
    Kind.CURRENCY: str,
    **dict.fromkeys(CODED, str),
    Kind.LEGAL_ENTITY: Annotated[int, Query(ge=1, le=INT32_MAX)],
    Kind.PAYMENT_TERMS: Annotated[int, Query(ge=PAYMENT_TERMS_MIN, le=PAYMENT_TERMS_MAX)],
    Kind.BOOL: bool,
    Kind.DATETIME: date,
    Kind.PAYMENT_METHOD: Literal[default_payment_method.STATES],
    Kind.CUSTOMER: Literal[family_sql.STATES],
    Kind.ALIAS: Literal[tuple(s.value for s in SourceSystem)],
}


def _filtered() -> list[BookColumn]:
    return [c for c in builtin_columns().values() if c.filter is not None]


def _parameters(column: BookColumn) -> list[inspect.Parameter]:
    f = column.filter
    value = bool if f.style == Filter.PRESENT else QUERY_VALUE[column.kind]
    keyword = inspect.Parameter.KEYWORD_ONLY
    if f.style == Filter.ANY_OF:
        return [inspect.Parameter(f.api, keyword, annotation=list[value], default=Query([]))]
    if f.style == Filter.RANGE:
        return [inspect.Parameter(name, keyword, annotation=value | None, default=None)
                for name in f.api_ends]
    return [inspect.Parameter(f.api, keyword, annotation=value | None, default=None)]


def list_filters(**given: Any) -> tuple[FieldFilter, ...]:
    """A dependency: the built-in filters a list request asks for."""
    return from_parameters(**given)


list_filters.__signature__ = inspect.Signature(
    [p for column in _filtered() for p in _parameters(column)])


def summary_columns() -> list[BookColumn]:
    return [c for c in builtin_columns().values() if c.summary]


def summary_name(column: BookColumn) -> str:
    """A legal entity is summarised by its name, under a key that says so."""
    return "legal_entity" if column.kind == Kind.LEGAL_ENTITY else column.key


def _summary_type(column: BookColumn) -> Any:
    """Optional unless the customer's own column is NOT NULL (a contact's or a legal
    entity's value comes through a join), or it is the status the system always knows."""
    if column.kind == Kind.LEGAL_ENTITY:
        return str | None
    stored = getattr(column.compared, "expression", column.compared)
    always = column.kind == Kind.STATUS or (
        isinstance(stored, Column) and stored.table is Customer.__table__
        and not stored.nullable)
    return OUT_TYPE[column.kind] if always else OUT_TYPE[column.kind] | None


CustomerSummary: type[BaseModel] = create_model(
    "CustomerSummary",
    id=(int, ...),
    version=(int, Field(..., description="Send it back as If-Match to change the customer.")),
    **{summary_name(c): (_summary_type(c), ...) for c in summary_columns()},
)
