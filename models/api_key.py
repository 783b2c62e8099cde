from datetime import datetime

from sqlmodel import Field, SQLModel

from models import sections as S
from models.fields import desk_field
from models.types import UTCDateTime, utcnow

API_KEY_ROLES = ("read", "write", "admin")


class ApiKey(SQLModel, table=True):
    """A key for the REST API. Only a SHA-256 hash of the secret is stored; the secret is
    shown once, when the key is created."""

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = desk_field(label="Key name", kind="text", section=S.API_KEYS, required=True,
                           help="Who or what uses the key, e.g. the metering pipeline.",
                           max_length=100)
    role: str = Field(max_length=16)
    prefix: str = Field(max_length=16, index=True)
    secret_hash: str = Field(max_length=64, unique=True)
    created_by: str = Field(max_length=320)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
