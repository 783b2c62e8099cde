from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class ImportRun(SQLModel, table=True):
    """One import of a file: what was asked and what it did. Audit events of the customers it
    changed carry its id."""

    __tablename__ = "import_run"

    id: int | None = Field(default=None, primary_key=True)
    filename: str = Field(max_length=255)
    preset: str = Field(max_length=32)
    mode: str = Field(max_length=32)
    actor: str = Field(max_length=320)
    counts: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
