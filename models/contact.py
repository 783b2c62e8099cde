from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ColumnElement, Index, UniqueConstraint, literal_column, text
from sqlmodel import Field, Relationship, SQLModel

from models import sections as S
from models.fields import desk_field
from models.filters import ListFilter
from models.kinds import Filter
from models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from models.customer import Customer


class Contact(SQLModel, table=True):
    """A person at the customer. Exactly one contact per customer is primary;
    the partial unique index holds "at most one" in the database."""

    __tablename__ = "contact"
    __table_args__ = (
        UniqueConstraint("customer_id", "email", name="uq_contact_customer_id_email"),
        Index(
            "uq_contact_one_primary",
            "customer_id",
            unique=True,
            sqlite_where=text("is_primary"),
            postgresql_where=text("is_primary"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE", index=True)

    first_name: str | None = desk_field(
        None,
        label="First Name",
        kind="text",
        section=S.CONTACTS,
        form_section=S.CUSTOMER_INFORMATION,
        form_order=3,
        help="First name of the primary contact.",
        max_length=100,
    )
    last_name: str | None = desk_field(
        None,
        label="Last Name",
        kind="text",
        section=S.CONTACTS,
        form_section=S.CUSTOMER_INFORMATION,
        form_order=4,
        help="Last name of the primary contact.",
        max_length=100,
    )
    email: str = desk_field(
        label="Email",
        form_label="Primary Contact Email",
        kind="email",
        section=S.CONTACTS,
        form_section=S.CUSTOMER_INFORMATION,
        form_order=2,
        help="Used for invoices, updates and notifications.",
        required=True,
        grid=True,
        grid_order=2,
        # On the primary contact's column: a customer without one has no billing contact
        # (services.builtin_columns reads it as an EXISTS over the one-primary index).
        filter=ListFilter(Filter.PRESENT, "contact", "has_billing_contact",
                          label="Billing contact", panel=(1, 4),
                          answers=("Has a billing contact", "No billing contact")),
        max_length=320,
        index=True,
        sortable=True,
        summary=True,
    )
    phone: str | None = desk_field(
        None,
        label="Phone",
        kind="phone",
        section=S.CONTACTS,
        help="With its country code, such as +44 20 7946 0958; shown in its national format.",
        max_length=16,
    )
    job_title: str | None = desk_field(
        None,
        label="Job Title",
        kind="text",
        section=S.CONTACTS,
        help="Such as Head of Finance: who to ask about invoices.",
        max_length=100,
    )
    email_billing: bool = desk_field(
        True,
        label="Billing",
        kind="bool",
        section=S.CONTACTS,
        help="Receives invoices and payment reminders.",
    )
    email_updates: bool = desk_field(
        True,
        label="Updates",
        kind="bool",
        section=S.CONTACTS,
        help="Receives product and account updates.",
    )
    email_legal: bool = desk_field(
        False,
        label="Legal",
        kind="bool",
        section=S.CONTACTS,
        help="Receives legal notices.",
    )
    is_primary: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    customer: Optional["Customer"] = Relationship(back_populates="contacts")

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


def is_primary() -> ColumnElement[bool]:
    """"The contact is primary" written as uq_contact_one_primary's WHERE clause is, bare:
    SQLite reads that index (customer_id alone, so a lookup needs no row) only for a query
    that states its condition the same way, and takes "is_primary = 1" for another."""
    return literal_column("contact.is_primary")
