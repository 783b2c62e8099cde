from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    """One write: who did what to which record, with field-level old/new values.

    `changes` maps a field key to [old, new]. customer_id is kept without a
    foreign key so the log outlives anything it describes.
    """

    __tablename__ = "audit_event"
    # (at, id) is the Activity page's order: a page of it is read from the index alone; each
    # filter's column before at reads one filter's page in that order.
    __table_args__ = (Index("ix_audit_event_at_id", "at", "id"),
                      Index("ix_audit_event_customer_at", "customer_id", "at"),
                      Index("ix_audit_event_actor_at", "actor", "at"),
                      Index("ix_audit_event_action_at", "action", "at"))

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor: str = Field(max_length=320)
    action: str = Field(max_length=64)
    entity: str = Field(max_length=32)
    entity_id: int | None = None
    customer_id: int | None = None
    import_id: int | None = Field(default=None, index=True)
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
