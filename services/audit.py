"""The audit log: every write appends one event with field-level [old, new] values."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from models.audit import AuditEvent

_AS_IS = frozenset({str, int, bool, float, type(None)})


def to_json(value: Any) -> Any:
    """Audit values as JSON: exact decimals and timestamps as strings."""
    if type(value) in _AS_IS:  # most values; checked first because imports call this a lot
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{key: [old, new]} for every key of `after` whose value differs from `before`."""
    if not before:  # a new customer (each imported row): every value that is not None
        return {key: [None, to_json(new)] for key, new in after.items() if new is not None}
    return {
        key: [to_json(before.get(key)), to_json(new)]
        for key, new in after.items()
        if before.get(key) != new
    }


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    customer_id: int | None,
    changes: Mapping[str, list[Any]],
) -> AuditEvent:
    event = AuditEvent(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        customer_id=customer_id,
        changes=dict(changes),
    )
    session.add(event)
    return event
