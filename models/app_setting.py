from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow

TAX_MANAGED_BY_INTEGRATION = "tax_managed_by_integration"


class AppSetting(SQLModel, table=True):
    """A workspace-wide switch or value, set on the Settings page."""

    __tablename__ = "app_setting"

    key: str = Field(primary_key=True, max_length=64)
    value: Any = Field(default=None, sa_type=JSON)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
