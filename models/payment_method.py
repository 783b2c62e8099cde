"""A customer's payment method: a reference to where the payment data lives, never the data.

The provider keeps the card or the mandate; we keep its reference (pm_..., a mandate ID),
and brand, last 4 digits and expiry for display only. There is no card number and no CVC
column, on purpose (PCI DSS).
"""

from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, Relationship, SQLModel

from models import sections as S
from models.fields import desk_field
from models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from models.customer import Customer

# Codes as stored -> labels as users see them.
PROVIDERS: dict[str, str] = {
    "stripe": "Stripe",
    "adyen": "Adyen",
    "gocardless": "GoCardless",
    "braintree": "Braintree",
    "manual": "Bank transfer / manual",
}
METHOD_TYPES: dict[str, str] = {
    "card": "Card",
    "sepa_debit": "SEPA Direct Debit",
    "ach_debit": "ACH debit",
    "bacs_debit": "Bacs Direct Debit",
    "bank_transfer": "Bank transfer",
}
# The statuses services.payment_methods.status computes, with their labels.
STATUSES: dict[str, str] = {
    "active": "Active",
    "expiring": "Expiring soon",
    "expired": "Expired",
    "revoked": "Revoked",
}
USABLE_STATUSES = ("active", "expiring")  # what Auto Pay can charge
CARD = "card"  # the only type with brand, last 4 digits and expiry
DOTS = "••••"  # before a card's last 4 digits, as card statements print them


class PaymentMethod(SQLModel, table=True):
    """One way to charge the customer. Exactly one method per customer is the default
    whenever the customer has methods; the partial unique index holds "at most one" in the
    database, like the primary contact's."""

    __tablename__ = "payment_method"
    __table_args__ = (
        UniqueConstraint("provider", "reference", name="uq_payment_method_provider_reference"),
        Index(
            "uq_payment_method_one_default",
            "customer_id",
            unique=True,
            sqlite_where=text("is_default"),
            postgresql_where=text("is_default"),
        ),
        # The grid's "expiring within N days" and "expired" filters read the default
        # methods by expiry.
        Index(
            "ix_payment_method_default_expires_on",
            "expires_on",
            "customer_id",
            sqlite_where=text("is_default"),
            postgresql_where=text("is_default"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE", index=True)

    provider: str = desk_field(
        label="Provider",
        kind="choice",
        section=S.PAYMENT_METHODS,
        help="Where the payment data lives.",
        required=True,
        max_length=32,
    )
    provider_customer_id: str | None = desk_field(
        None,
        label="Provider customer ID",
        kind="alias",
        section=S.PAYMENT_METHODS,
        help="The customer's ID at the provider, such as cus_... at Stripe. It becomes an "
             "External ID of the customer.",
        max_length=255,
    )
    reference: str = desk_field(
        label="Method reference",
        kind="text",
        section=S.PAYMENT_METHODS,
        help="The method's ID at the provider: pm_..., card_..., src_..., or a mandate ID.",
        required=True,
        max_length=255,
    )
    method_type: str = desk_field(
        label="Type",
        kind="choice",
        section=S.PAYMENT_METHODS,
        help="Card, direct debit or bank transfer.",
        required=True,
        max_length=32,
    )
    brand: str | None = desk_field(
        None,
        label="Brand",
        kind="text",
        section=S.PAYMENT_METHODS,
        help="The card's brand, such as Visa (cards only; for display).",
        max_length=40,
    )
    last4: str | None = desk_field(
        None,
        label="Last 4 digits",
        kind="text",
        section=S.PAYMENT_METHODS,
        help="The last four digits of the card (cards only; for display).",
        max_length=4,
    )
    exp_month: int | None = desk_field(
        None,
        label="Expiry month",
        kind="integer",
        section=S.PAYMENT_METHODS,
        help="1 to 12 (cards only).",
    )
    exp_year: int | None = desk_field(
        None,
        label="Expiry year",
        kind="integer",
        section=S.PAYMENT_METHODS,
        help="Four digits, such as 2027 (cards only).",
    )
    holder_name: str | None = desk_field(
        None,
        label="Holder name",
        kind="text",
        section=S.PAYMENT_METHODS,
        help="The name on the card or the account (for display).",
        max_length=200,
    )
    bank_name: str | None = desk_field(
        None,
        label="Bank name",
        kind="text",
        section=S.PAYMENT_METHODS,
        help="The bank of a debit or transfer (for display).",
        max_length=200,
    )
    # The last day of the expiry month, kept by the service from exp_month and exp_year.
    expires_on: date | None = Field(default=None)
    is_default: bool = Field(default=False)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    customer: Optional["Customer"] = Relationship(back_populates="payment_methods")

    @property
    def provider_label(self) -> str:
        return PROVIDERS.get(self.provider, self.provider)

    @property
    def method_type_label(self) -> str:
        return METHOD_TYPES.get(self.method_type, self.method_type)
