from datetime import datetime

from sqlmodel import Field, SQLModel

from models import sections as S
from models.fields import desk_field
from models.types import UTCDateTime, utcnow


class LegalEntity(SQLModel, table=True):
    """The entity of the platform under which a customer is billed."""

    __tablename__ = "legal_entity"

    id: int | None = Field(default=None, primary_key=True)
    name: str = desk_field(
        label="Legal Entity Name",
        kind="text",
        section=S.LEGAL_ENTITIES,
        help="How the entity appears on invoices and in the customer grid.",
        required=True,
        max_length=200,
        unique=True,
    )
    name_key: str = Field(max_length=64, unique=True, index=True)  # services.identifiers.name_key
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
