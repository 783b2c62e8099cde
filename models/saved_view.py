from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from models import sections as S
from models.fields import desk_field
from models.types import UTCDateTime, utcnow


class SavedView(SQLModel, table=True):
    """A named grid: its filters, sort and visible columns, as the Customers page encodes them."""

    __tablename__ = "saved_view"

    id: int | None = Field(default=None, primary_key=True)
    name: str = desk_field(
        label="View name",
        kind="text",
        section=S.SAVED_VIEWS,
        help="How the view appears in the list of saved views.",
        required=True,
        max_length=100,
        unique=True,
    )
    state: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_by: str = Field(max_length=320)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
