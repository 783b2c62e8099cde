from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Optional

from sqlalchemy import JSON, Column, Index, Integer, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, Relationship, SQLModel

from models import sections as S
from models.choices import (
    PAYMENT_TERMS_DEFAULT,
    CustomerStatus,
    CustomerType,
    InvoicingFlow,
    TaxExemption,
    TaxIdStatus,
)
from models.fields import OnlyIf, desk_field
from models.filters import ListFilter
from models.kinds import Filter
from models.types import ExactDecimal, UTCDateTime, utcnow

if TYPE_CHECKING:
    from models.alias import Alias
    from models.contact import Contact
    from models.legal_entity import LegalEntity
    from models.payment_method import PaymentMethod

_VERSION_COLUMN = Column("version", Integer, nullable=False)
_SHIPPING_ELSEWHERE = OnlyIf("shipping_same_as_billing", (False,), clears=True)


def _shipping(label: str, kind: str, max_length: int, help: str = "") -> Any:
    """A field of the shipping address, labelled as its billing twin inside its section."""
    return desk_field(None, label=f"Shipping {label}", section_label=label, kind=kind,
                      section=S.SHIPPING_ADDRESS, help=help, max_length=max_length,
                      only_if=_SHIPPING_ELSEWHERE)

_EXEMPTED = OnlyIf("tax_exemption", (TaxExemption.EXEMPT.value, TaxExemption.REVERSE_CHARGE.value),
                   clears=True)


class Customer(SQLModel, table=True):
    __tablename__ = "customer"
    # The default grid: active customers by name, read in index order.
    __table_args__ = (Index("ix_customer_archived_at_name_id", "archived_at", "name", "id"),)
    # Optimistic locking: every UPDATE carries "WHERE version = <loaded>", so a
    # write racing past the services' version check still cannot overwrite.
    __mapper_args__ = {"version_id_col": _VERSION_COLUMN}

    id: int | None = Field(default=None, primary_key=True)

    name: str = desk_field(
        label="Customer Name",
        kind="text",
        section=S.BUSINESS_INFORMATION,
        form_section=S.CUSTOMER_INFORMATION,
        form_order=1,
        help="Full name of the customer or organization.",
        required=True,
        grid=True,
        grid_order=1,
        max_length=200,
        sortable=True,
        summary=True,
    )
    customer_type: str = desk_field(
        CustomerType.COMPANY.value,
        label="Customer Type",
        kind="customer_type",
        section=S.BUSINESS_INFORMATION,
        form_section=S.CUSTOMER_INFORMATION,
        form_order=0,
        help="A company, or an individual: an individual's name, email, phone and addresses "
             "are personal data.",
        max_length=16,
        sa_type=String(16),
        sa_column_kwargs={"server_default": CustomerType.COMPANY.value},
        filter=ListFilter(Filter.ANY_OF, "type", "customer_type", placeholder="Any type",
                          panel=(2, 2)),
        sortable=True,
        summary=True,
    )
    business_name: str | None = desk_field(
        None,
        label="Business Name",
        kind="text",
        section=S.BUSINESS_INFORMATION,
        help="Registered business name, if it differs from the customer name (companies only).",
        max_length=200,
        only_if=OnlyIf("customer_type", (CustomerType.COMPANY.value,)),
        sortable=True,
    )
    phone: str | None = desk_field(
        None,
        label="Phone",
        kind="phone",
        section=S.BUSINESS_INFORMATION,
        form_section=S.CUSTOMER_INFORMATION,
        form_order=5,
        help="With its country code, such as +49 30 901820; shown in its national format.",
        max_length=16,
    )
    currency: str = desk_field(
        label="Billing Currency",
        section_label="Currency",
        kind="currency",
        section=S.BUSINESS_INFORMATION,
        form_section=S.LOCATION_DETAILS,
        form_order=2,
        help="ISO 4217 currency the customer is invoiced in.",
        required=True,
        grid=True,
        grid_order=4,
        max_length=3,
        filter=ListFilter(Filter.ANY_OF, "currency", "currency", placeholder="Any currency",
                          panel=(0, 1)),
        sortable=True,
        summary=True,
    )
    invoicing_flow: str = desk_field(
        InvoicingFlow.CUSTOMER_DESK.value,
        label="Invoicing Flow",
        kind="invoicing_flow",
        section=S.BUSINESS_INFORMATION,
        help="Which system issues this customer's invoices.",
        max_length=32,
        sa_type=String(32),
        filter=ListFilter(Filter.ANY_OF, "flow", "invoicing_flow",
                          placeholder="Any invoicing flow", panel=(1, 0)),
        sortable=True,
        summary=True,
    )
    payment_terms_days: int = desk_field(
        PAYMENT_TERMS_DEFAULT,
        label="Payment Terms",
        kind="payment_terms",
        section=S.BUSINESS_INFORMATION,
        help="Days until an invoice is due (Net 30). Net 0 means due on receipt.",
        grid=True,
        grid_order=6,
        filter=ListFilter(Filter.ANY_OF, "terms", "payment_terms",
                          placeholder="Any payment terms", panel=(1, 1)),
        sortable=True,
        summary=True,
    )
    invoice_grace_days: int = desk_field(
        0,
        label="Invoice Grace Period",
        kind="days",
        section=S.BUSINESS_INFORMATION,
        help="Days a finalized invoice stays a draft before it is issued, to add usage.",
        sa_column_kwargs={"server_default": "0"},
        sortable=True,
    )
    invoice_language: str | None = desk_field(
        None,
        label="Invoice Language",
        kind="language",
        section=S.BUSINESS_INFORMATION,
        form_section=S.LOCATION_DETAILS,
        form_order=8,
        help="The language and conventions invoices are written in; the country's by default.",
        max_length=16,
        sortable=True,
    )
    timezone: str | None = desk_field(
        None,
        label="Timezone",
        kind="timezone",
        section=S.BUSINESS_INFORMATION,
        form_section=S.LOCATION_DETAILS,
        form_order=9,
        help="IANA time zone the customer's billing periods and invoice dates follow; the "
             "country's when it keeps one clock.",
        max_length=64,
        sortable=True,
    )
    auto_pay: bool = desk_field(
        False,
        label="Auto Pay",
        kind="bool",
        section=S.BUSINESS_INFORMATION,
        help="Charge the customer's payment method automatically when an invoice is issued.",
        grid=True,
        grid_order=7,
        filter=ListFilter(Filter.YES_NO, "autopay", "auto_pay", panel=(1, 2)),
        sortable=True,
        summary=True,
    )
    legal_entity_id: int = desk_field(
        label="Legal Entity",
        kind="legal_entity",
        section=S.BUSINESS_INFORMATION,
        form_section=S.BUSINESS_INFORMATION,
        help="The entity under which the customer is billed.",
        grid=True,
        grid_order=5,
        foreign_key="legal_entity.id",
        filter=ListFilter(Filter.ANY_OF, "entity", "legal_entity_id",
                          placeholder="Any legal entity", panel=(0, 2)),
        sortable=True,
        summary=True,
    )

    country: str | None = desk_field(
        None,
        label="Country",
        kind="country",
        section=S.BILLING_ADDRESS,
        form_section=S.LOCATION_DETAILS,
        form_order=1,
        help="ISO 3166-1 country of the billing address.",
        grid=True,
        grid_order=3,
        max_length=2,
        filter=ListFilter(Filter.ANY_OF, "country", "country", placeholder="Any country",
                          panel=(0, 0)),
        sortable=True,
        summary=True,
    )
    address_line1: str | None = desk_field(
        None,
        label="Address Line 1",
        kind="text",
        section=S.BILLING_ADDRESS,
        form_section=S.LOCATION_DETAILS,
        form_order=3,
        max_length=200,
    )
    address_line2: str | None = desk_field(
        None,
        label="Address Line 2",
        kind="text",
        section=S.BILLING_ADDRESS,
        form_section=S.LOCATION_DETAILS,
        form_order=4,
        help="Optional.",
        max_length=200,
    )
    city: str | None = desk_field(
        None,
        label="City",
        kind="text",
        section=S.BILLING_ADDRESS,
        form_section=S.LOCATION_DETAILS,
        form_order=5,
        max_length=100,
    )
    state: str | None = desk_field(
        None,
        label="State",
        kind="state",
        section=S.BILLING_ADDRESS,
        form_section=S.LOCATION_DETAILS,
        form_order=6,
        help="The country's ISO 3166-2 subdivision where it has them.",
        max_length=100,
    )
    postal_code: str | None = desk_field(
        None,
        label="Postal Code",
        kind="text",
        section=S.BILLING_ADDRESS,
        form_section=S.LOCATION_DETAILS,
        form_order=7,
        max_length=20,
    )

    shipping_same_as_billing: bool = desk_field(
        True,
        label="Same as billing address",
        kind="bool",
        section=S.SHIPPING_ADDRESS,
        help="Ship to the billing address; off to give another one.",
        sa_column_kwargs={"server_default": text("true")},
    )
    shipping_country: str | None = _shipping("Country", "country", 2)
    shipping_address_line1: str | None = _shipping("Address Line 1", "text", 200)
    shipping_address_line2: str | None = _shipping("Address Line 2", "text", 200,
                                                   help="Optional.")
    shipping_city: str | None = _shipping("City", "text", 100)
    shipping_state: str | None = _shipping(
        "State", "state", 100, help="The shipping country's ISO 3166-2 subdivision where it has "
                                    "them.")
    shipping_postal_code: str | None = _shipping("Postal Code", "text", 20)

    tax_country: str | None = desk_field(
        None,
        label="Tax Country",
        section_label="Country",
        kind="country",
        section=S.TAX_SETTINGS,
        form_section=S.TAX_INFORMATION,
        form_order=1,
        help="Country whose rules apply to the Tax ID; the billing country when empty.",
        max_length=2,
    )
    tax_id: str | None = desk_field(
        None,
        label="Tax ID / VAT number",
        kind="tax_id",
        section=S.TAX_SETTINGS,
        form_section=S.TAX_INFORMATION,
        form_order=2,
        help="Validated and normalised for the country where a validator exists.",
        max_length=64,
        index=True,
        filter=ListFilter(Filter.PRESENT, "taxid", "has_tax_id", label="Tax ID", panel=(2, 0)),
        summary=True,
    )
    # What is known of the Tax ID and when it was decided (services.tax_id_status keeps them
    # on every save and services.tax_id_check on a VIES check; nobody types them: their kinds
    # are not typed, so forms, the API's inputs and the import leave them out).
    tax_id_status: str = desk_field(
        TaxIdStatus.NOT_CHECKED.value,
        label="Tax ID Status",
        kind="tax_id_status",
        section=S.TAX_SETTINGS,
        help="Valid format (python-stdnum's check), verified or invalid (the EU's VIES), could "
             "not be checked, or not checked; kept by Customer Desk.",
        max_length=16,
        sa_type=String(16),
        sa_column_kwargs={"server_default": TaxIdStatus.NOT_CHECKED.value},
        filter=ListFilter(Filter.ANY_OF, "taxidstatus", "tax_id_status",
                          placeholder="Any Tax ID status", panel=(0, 3)),
        sortable=True,
        summary=True,
    )
    tax_id_checked_at: datetime | None = desk_field(
        None,
        label="Tax ID Checked",
        kind="datetime",
        section=S.TAX_SETTINGS,
        help="When the Tax ID status was decided.",
        sa_type=UTCDateTime,
        sortable=True,
    )
    tax_exemption: str = desk_field(
        TaxExemption.NONE.value,
        label="Tax Exemption",
        kind="tax_exemption",
        section=S.TAX_SETTINGS,
        form_section=S.TAX_INFORMATION,
        form_order=4,
        help="Exempt: invoiced without tax (Tax Rate 0), with its reason. Reverse charge: the "
             "customer accounts for the tax; needs a Tax ID of another country than the legal "
             "entity's.",
        max_length=16,
        sa_type=String(16),
        sa_column_kwargs={"server_default": TaxExemption.NONE.value},
        filter=ListFilter(Filter.ANY_OF, "exemption", "tax_exemption",
                          placeholder="Any tax exemption", panel=(2, 3)),
        sortable=True,
        summary=True,
    )
    tax_exemption_reason: str | None = desk_field(
        None,
        label="Exemption Reason",
        kind="text",
        section=S.TAX_SETTINGS,
        only_if=_EXEMPTED,
        form_section=S.TAX_INFORMATION,
        form_order=5,
        help="Why no tax is charged, as the invoice states it (required when exempt).",
        max_length=200,
    )
    tax_exemption_certificate: str | None = desk_field(
        None,
        label="Exemption Certificate Number",
        kind="text",
        section=S.TAX_SETTINGS,
        only_if=_EXEMPTED,
        form_section=S.TAX_INFORMATION,
        form_order=6,
        help="The number of the exemption certificate, if there is one.",
        max_length=100,
    )
    tax_rate: Decimal = desk_field(
        Decimal("0.00"),
        label="Tax Rate",
        kind="percent",
        section=S.TAX_SETTINGS,
        form_section=S.TAX_INFORMATION,
        form_order=3,
        help="Percent, 0 to 100, up to 4 decimals (8.875 stays 8.875).",
        grid=True,
        grid_order=8,
        sa_type=ExactDecimal(9, 4),
        sortable=True,
        summary=True,
    )

    # A customer family, one level deep (services.families keeps the rules): a child names
    # its parent, and may have its invoices sent to it.
    parent_id: int | None = desk_field(
        None,
        label="Parent",
        kind="customer",
        section=S.FAMILY,
        help="The parent customer of this customer's family. One level: a parent has no "
             "parent itself.",
        foreign_key="customer.id",
        index=True,
        filter=ListFilter(Filter.ANY_OF, "family", "family", label="Family",
                          placeholder="Any family", panel=(1, 3)),
    )
    invoice_to_parent: bool = desk_field(
        False,
        label="Invoice to parent",
        kind="bool",
        section=S.FAMILY,
        help="Send this customer's invoices to its parent customer.",
    )

    # Values of the fields made in Settings -> Custom fields, by their key (JSONB on
    # PostgreSQL, with a GIN index for filters; JSON text on SQLite).
    custom_fields: dict[str, Any] = Field(
        default_factory=dict,
        sa_column=Column("custom_fields", JSON().with_variant(JSONB(), "postgresql"),
                         nullable=False, server_default=text("'{}'")))
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    version: int = Field(default=1, sa_column=_VERSION_COLUMN)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    contacts: list["Contact"] = Relationship(
        back_populates="customer",
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "order_by": "Contact.id"},
    )
    aliases: list["Alias"] = Relationship(
        back_populates="customer",
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "order_by": "Alias.id"},
    )
    payment_methods: list["PaymentMethod"] = Relationship(
        back_populates="customer",
        sa_relationship_kwargs={"cascade": "all, delete-orphan",
                                "order_by": "PaymentMethod.id"},
    )
    legal_entity: Optional["LegalEntity"] = Relationship()

    @property
    def status(self) -> CustomerStatus:
        return CustomerStatus.ARCHIVED if self.archived_at else CustomerStatus.ACTIVE

    @property
    def primary_contact(self) -> Optional["Contact"]:
        return next((c for c in self.contacts if c.is_primary), None)


# The grid sorts by any of these columns with the id breaking ties (and filters by most):
# an index on (column, id) holds that order, so a sorted page of a million customers is
# read off the index instead of sorting the book; archived_at last lets a page of active
# customers, however deep, be chosen from the index alone. (On PostgreSQL the columns that
# can be empty have a descending twin, empty values last: migration 0019.) Kept in step
# with the sortable fields by tests/unit/test_sort_indexes.py.
SORT_INDEXED = ("name", "customer_type", "business_name", "currency", "invoicing_flow",
                "payment_terms_days", "invoice_grace_days", "invoice_language", "timezone",
                "auto_pay", "legal_entity_id", "country", "tax_id_status", "tax_id_checked_at",
                "tax_exemption", "tax_rate", "created_at", "updated_at")
for _column in SORT_INDEXED:
    Index(f"ix_customer_{_column}_id", Customer.__table__.c[_column], Customer.__table__.c.id,
          Customer.__table__.c.archived_at)
