from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class IdempotencyRecord(SQLModel, table=True):
    """The first answer to a POST sent with an Idempotency-Key, replayed for repeats."""

    __tablename__ = "idempotency_record"

    key: str = Field(primary_key=True, max_length=255)
    api_key_id: int = Field(primary_key=True)
    request_hash: str = Field(max_length=64)
    status_code: int
    body: Any = Field(default=None, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
