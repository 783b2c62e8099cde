from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import Index, String
from sqlmodel import Field, Relationship, SQLModel

from models import sections as S
from models.choices import SourceSystem
from models.fields import desk_field
from models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from models.customer import Customer


class Alias(SQLModel, table=True):
    """An identifier from another system, used to attribute usage events.

    The unique index on value is what guarantees a usage event resolves to one
    customer, also when two writers race. `system` is where the ID comes from (a connected
    account: "Stripe · cus_123"); the same value under two systems is still one ID, so
    resolving by value stays unique. The (system, customer_id) index answers the book's
    "has a <system> ID" filter without reading the table.
    """

    __tablename__ = "alias"
    __table_args__ = (Index("ix_alias_system_customer_id", "system", "customer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE", index=True)
    value: str = desk_field(
        label="External ID",
        form_label="Add External ID",
        kind="alias",
        section=S.ALIASES,
        form_section=S.EXTERNAL_IDENTIFIERS,
        form_order=1,
        help="An identifier of this customer in another system; it belongs to one customer only.",
        max_length=255,
        unique=True,
    )
    match_key: str = Field(max_length=64, index=True)
    system: str = Field(SourceSystem.OTHER.value, max_length=16, sa_type=String(16),
                        sa_column_kwargs={"server_default": SourceSystem.OTHER.value})
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    customer: Optional["Customer"] = Relationship(back_populates="aliases")


class AliasKey(SQLModel, table=True):
    """Which customer holds the External IDs that look like one another.

    One row per look-alike key (services.identifiers.match_key), so the primary key makes
    two customers holding look-alike IDs impossible, also when two writers race; one
    customer may hold several IDs of one key ("ACME-1" and "acme-1").
    """

    __tablename__ = "alias_key"

    key: str = Field(primary_key=True, max_length=64)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE", index=True)
