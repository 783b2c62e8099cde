"""The customer book's built-in columns: the catalogue's fields (models/) plus the few the
system keeps (ID, status, created, updated), each with the SQL that reads it. Custom
fields join them in services.customer_columns; their labels may not take these names.
"""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import ColumnElement, case, func, select

from models.alias import Alias
from models.catalogue import alias_field, customer_fields, primary_contact_fields
from models.contact import Contact
from models.customer import Customer
from models.legal_entity import LegalEntity


@dataclass(frozen=True)
class BookColumn:
    key: str
    label: str
    kind: str
    expression: ColumnElement
    in_grid: bool = False
    grid_order: int = 100


def _catalogue_column(spec) -> BookColumn:
    if spec.kind == "legal_entity":
        expression = LegalEntity.name
    elif spec.model == "Contact":
        expression = getattr(Contact, spec.attr)
    else:
        expression = getattr(Customer, spec.attr)
    return BookColumn(spec.key, spec.label, spec.kind, expression, spec.grid, spec.grid_order)


@cache
def builtin_columns() -> dict[str, BookColumn]:
    aliases = (
        select(func.aggregate_strings(Alias.value, ", "))
        .where(Alias.customer_id == Customer.id)
        .scalar_subquery()
    )
    columns = [
        BookColumn("id", "ID", "id", Customer.id),
        *(_catalogue_column(s) for s in customer_fields()),
        *(_catalogue_column(s) for s in primary_contact_fields()),
        BookColumn("external_ids", alias_field().label + "s", "text", aliases),
        BookColumn("status", "Status", "status",
                   case((Customer.archived_at.is_(None), "active"), else_="archived")),
        BookColumn("created_at", "Created", "datetime", Customer.created_at, True, 50),
        BookColumn("updated_at", "Updated", "datetime", Customer.updated_at),
    ]
    return {c.key: c for c in columns}
