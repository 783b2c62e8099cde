from datetime import datetime

from sqlmodel import Field, SQLModel

from models import sections as S
from models.fields import desk_field
from models.types import UTCDateTime, utcnow

ROLES = ("viewer", "editor", "admin")


class RoleGrant(SQLModel, table=True):
    """A role given on the Settings page to one email address or to a whole email domain
    ("@example.com"). Grants here override the roles file for the same address or domain."""

    __tablename__ = "role_grant"

    id: int | None = Field(default=None, primary_key=True)
    subject: str = desk_field(
        label="Email or domain",
        kind="email_or_domain",
        section=S.ROLES,
        help="A person's email (alice@example.com) or a whole domain (@example.com).",
        required=True,
        max_length=320,
        unique=True,
    )
    role: str = Field(max_length=16)
    created_by: str = Field(max_length=320)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
