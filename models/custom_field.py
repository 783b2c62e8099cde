from datetime import datetime

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from models import sections as S
from models.fields import desk_field
from models.types import UTCDateTime, utcnow

CUSTOM_PREFIX = "cf_"  # a custom field's key among the built-in ones: cf_segment


def stored_section(section: S.Section) -> str:
    """custom_field.section as it is stored, and as the custom field services take and give
    it (to the Settings page, the audit log): the section's label. This and section_of are
    the one place where a custom field's section turns from label into id and back."""
    return section.label


def section_of(stored: object) -> S.Section | None:
    """The profile section a stored custom_field.section names; None when it names none."""
    return next((s for s in S.EDITABLE_SECTIONS if stored_section(s) == stored), None)


SECTION_CHOICES = tuple(stored_section(s) for s in S.EDITABLE_SECTIONS)


class CustomField(SQLModel, table=True):
    """A customer field made in Settings without a release. Its values live in
    customer.custom_fields under `key`; a retired field keeps them, hidden, until restored."""

    __tablename__ = "custom_field"

    id: int | None = Field(default=None, primary_key=True)
    key: str = desk_field(
        label="Key",
        kind="field_key",
        section=S.CUSTOM_FIELDS,
        help="How the API and files name the field: lower case letters, digits and _, "
             "e.g. contract_end. It cannot change later.",
        required=True,
        max_length=40,
        unique=True,
    )
    label: str = desk_field(
        label="Label",
        kind="text",
        section=S.CUSTOM_FIELDS,
        help="What people read on forms, the grid and exports, e.g. Contract end.",
        required=True,
        max_length=100,
    )
    label_key: str = Field(max_length=64, unique=True, index=True)  # services.identifiers.name_key
    kind: str = Field(max_length=16)
    required: bool = False
    help: str | None = desk_field(
        None,
        label="Help text",
        kind="text",
        section=S.CUSTOM_FIELDS,
        help="A hint shown beside the field.",
        max_length=300,
    )
    section: str = Field(default=stored_section(S.BUSINESS_INFORMATION), max_length=64)
    grid_default: bool = False
    options: list[str] = Field(default_factory=list, sa_type=JSON)
    position: int = 0
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
