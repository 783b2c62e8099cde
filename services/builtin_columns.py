"""The customer book's built-in columns: the catalogue's fields (models/) plus the few the
system keeps (ID, status, created, updated), each with the SQL that reads it. Custom
fields join them in services.customer_columns; their labels may not take these names.
"""

from dataclasses import dataclass
from functools import cache

from sqlalchemy import ColumnElement, Select, and_, case, func, select

from models.alias import Alias
from models.catalogue import alias_field, customer_fields, primary_contact_fields
from models.contact import Contact, is_primary
from models.customer import Customer
from models.fields import FieldSpec
from models.filters import ListFilter
from models.kinds import Filter, Kind
from models.legal_entity import LegalEntity
from models.no_billing_contact import NoBillingContact
from models.payment_method import PaymentMethod
from services import default_payment_method, family_sql

PARENT_EXTERNAL_ID = "parent_external_id"
PARENT_EXTERNAL_ID_LABEL = "Parent External ID"


@dataclass(frozen=True)
class BookColumn:
    """A column of the book: what the grid shows and exports read (`expression`), what its
    filter compares (`stored`: a legal entity's id where the grid shows its name), and how
    the list filters, sorts and summarises it."""

    key: str
    label: str
    kind: Kind
    expression: ColumnElement
    in_grid: bool = False
    grid_order: int = 100
    stored: ColumnElement | None = None
    filter: ListFilter | None = None
    sortable: bool = False
    summary: bool = False
    custom_attr: str | None = None  # a custom field's key inside customer.custom_fields
    # Whether the customer has a value, where that is not `compared` being set (the primary
    # contact's columns come through a join the count query does not make)
    present: ColumnElement[bool] | None = None
    # Where "has none" reads a list of its own: the ids of the customers without a value.
    absent: Select | None = None
    walked: bool = False  # filtered as a page walking its order asks (services.page_plans)
    options: tuple[str, ...] = ()  # a custom select's options
    # Columns an export writes right after this one for other systems, each with its own SQL
    # (the default payment method's provider, reference and expiry).
    codes: tuple["BookColumn", ...] = ()

    @property
    def compared(self) -> ColumnElement:
        return self.expression if self.stored is None else self.stored


def has_primary_contact() -> ColumnElement[bool]:
    """Whether a customer has a primary (billing) contact: an EXISTS the partial unique
    index on the primary contact's customer_id answers, so "No billing contact" stays an
    index lookup per customer however large the book."""
    # Correlated with the customer only: the grid's query also joins the primary contact.
    return (select(Contact.id).where(and_(Contact.customer_id == Customer.id,
                                          is_primary()))
            .correlate(Customer).exists())


def without_primary_contact() -> Select:
    """The customers without a primary (billing) contact, from the list the database keeps
    of those (models.no_billing_contact): a handful of ids, not a probe per customer."""
    return select(NoBillingContact.customer_id)


def _catalogue_column(spec: FieldSpec) -> BookColumn:
    stored = getattr(Contact if spec.model == "Contact" else Customer, spec.attr)
    expression, codes = stored, ()
    if spec.kind == Kind.LEGAL_ENTITY:
        expression = LegalEntity.name
    elif spec.kind == Kind.CUSTOMER:
        # The parent reads by name; a file also carries its ID and External ID, which the
        # import maps back (services.import_mapping).
        expression = family_sql.parent_name()
        codes = (BookColumn(f"{spec.key}_id", f"{spec.label} ID", Kind.ID, stored),
                 BookColumn(PARENT_EXTERNAL_ID, PARENT_EXTERNAL_ID_LABEL, Kind.TEXT,
                            family_sql.parent_external_id()))
    return BookColumn(spec.key, spec.label, spec.kind, expression, spec.grid, spec.grid_order,
                      stored=stored, filter=spec.filter, sortable=spec.sortable,
                      summary=spec.summary, codes=codes,
                      present=has_primary_contact() if spec.model == "Contact" else None,
                      absent=without_primary_contact() if spec.model == "Contact" else None)


@cache
def builtin_columns() -> dict[str, BookColumn]:
    aliases = (
        select(func.aggregate_strings(Alias.value, ", "))
        .where(Alias.customer_id == Customer.id)
        .scalar_subquery()
    )
    columns = [
        BookColumn("id", "ID", Kind.ID, Customer.id, sortable=True),
        *(_catalogue_column(s) for s in customer_fields()),
        *(_catalogue_column(s) for s in primary_contact_fields()),
        # Its filter asks which systems the customer's IDs come from (connected accounts).
        BookColumn("external_ids", alias_field().label + "s", Kind.ALIAS, aliases,
                   filter=ListFilter(Filter.ANY_OF, "account", "connected_account",
                                     label="Connected account",
                                     placeholder="Any connected account", panel=(0, 4))),
        BookColumn("status", "Status", Kind.STATUS,
                   case((Customer.archived_at.is_(None), "active"), else_="archived"),
                   summary=True),
        BookColumn("created_at", "Created", Kind.DATETIME, Customer.created_at, True, 50,
                   filter=ListFilter(Filter.RANGE, "created", "created", panel=(2, 1),
                                     ends=("from", "to")),
                   sortable=True, summary=True),
        BookColumn("updated_at", "Updated", Kind.DATETIME, Customer.updated_at, sortable=True),
        # Offered by the column chooser: the standard columns fill a 1440 px window already.
        BookColumn(default_payment_method.KEY, "Default Payment Method", Kind.PAYMENT_METHOD,
                   default_payment_method.display(),
                   filter=ListFilter(Filter.ANY_OF, "pm", default_payment_method.KEY,
                                     label="Payment Method", placeholder="Any payment method",
                                     panel=(2, 2)),
                   codes=(
                       BookColumn("payment_method_provider", "Default Payment Method provider",
                                  Kind.TEXT, PaymentMethod.provider),
                       BookColumn("payment_method_reference",
                                  "Default Payment Method reference", Kind.TEXT,
                                  PaymentMethod.reference),
                       BookColumn("payment_method_expires_on", "Default Payment Method expiry",
                                  Kind.DATE, PaymentMethod.expires_on),
                   )),
    ]
    return {c.key: c for c in columns}
