from datetime import datetime

from sqlalchemy import Column, Integer
from sqlmodel import Field, SQLModel

from models import sections as S
from models.fields import desk_field
from models.types import UTCDateTime, utcnow

_VERSION_COLUMN = Column("version", Integer, nullable=False, server_default="1")


class LegalEntity(SQLModel, table=True):
    """The entity of the platform under which a customer is billed: what its invoices name
    as the seller (legal name, address, Tax ID) and what a new customer of its country
    takes by default. Every detail but the name is optional, so the entities made before
    they existed (the default one made at bootstrap too) keep working."""

    __tablename__ = "legal_entity"
    # Optimistic locking, as on the customer: two admins editing one entity cannot
    # overwrite each other (services.legal_entities checks the version first).
    __mapper_args__ = {"version_id_col": _VERSION_COLUMN}

    id: int | None = Field(default=None, primary_key=True)
    name: str = desk_field(
        label="Legal Entity Name",
        kind="text",
        section=S.LEGAL_ENTITIES,
        help="The entity's registered legal name, as invoices and the customer grid show "
             "it (e.g. Acme GmbH).",
        required=True,
        max_length=200,
        unique=True,
    )
    country: str | None = desk_field(
        None,
        label="Country",
        kind="country",
        section=S.LEGAL_ENTITIES,
        help="Where the entity is registered. A new customer of this country is billed "
             "under it when it is the country's only entity.",
        max_length=2,
        index=True,
    )
    address_line1: str | None = desk_field(
        None, label="Address Line 1", kind="text", section=S.LEGAL_ENTITIES, max_length=200)
    address_line2: str | None = desk_field(
        None, label="Address Line 2", kind="text", section=S.LEGAL_ENTITIES, help="Optional.",
        max_length=200)
    city: str | None = desk_field(
        None, label="City", kind="text", section=S.LEGAL_ENTITIES, max_length=100)
    state: str | None = desk_field(
        None, label="State", kind="state", section=S.LEGAL_ENTITIES,
        help="The country's ISO 3166-2 subdivision where it has them.", max_length=100)
    postal_code: str | None = desk_field(
        None, label="Postal Code", kind="text", section=S.LEGAL_ENTITIES, max_length=20)
    tax_id: str | None = desk_field(
        None,
        label="Tax ID / VAT number",
        kind="tax_id",
        section=S.LEGAL_ENTITIES,
        help="Validated and normalised for the entity's country, as a customer's is.",
        max_length=64,
    )
    default_currency: str | None = desk_field(
        None,
        label="Default Currency",
        kind="currency",
        section=S.LEGAL_ENTITIES,
        help="ISO 4217; the country's currency when left empty.",
        max_length=3,
    )
    timezone: str | None = desk_field(
        None,
        label="Timezone",
        kind="timezone",
        section=S.LEGAL_ENTITIES,
        help="IANA time zone, e.g. Europe/Berlin; the country's when left empty and the "
             "country keeps one clock.",
        max_length=64,
    )
    name_key: str = Field(max_length=64, unique=True, index=True)  # services.identifiers.name_key
    version: int = Field(default=1, sa_column=_VERSION_COLUMN)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
