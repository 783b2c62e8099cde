"""Conflicts per profile section: a save is refused only where someone else changed a field
of the section being saved.

A section form keeps the values it was loaded with. At save time a field conflicts when
its stored value is no longer the loaded one (someone changed it since) and is not the
value being saved either (the two disagree). Changes to other sections, contacts or
External IDs never conflict, and are kept. The conflict names, for each field, its label,
their value, the value sent, who changed it last and when, read from the audit log.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from models.audit import AuditEvent
from models.customer import Customer
from models.fields import FieldSpec
from services import rules
from services.audit import to_json
from services.custom_fields import stored_values
from services.errors import ConflictError

_MISSING = object()
_LOG_BATCH = 50


@dataclass(frozen=True)
class FieldConflict:
    key: str
    label: str
    theirs: Any  # the stored value, as the services hold it
    mine: Any  # the value sent, cleaned
    actor: str | None  # who changed it last; None when the log has no change of it
    at: datetime | None


@dataclass(frozen=True)
class SectionConflictDetails:
    """A refused section save: what conflicts, and what a retry needs (`version` and
    `current`, the section's stored values, are the ones the conflict was found at)."""

    section: str
    version: int
    current: dict[str, Any]
    fields: tuple[FieldConflict, ...]


class SectionConflict(ConflictError):
    """Someone else changed fields of this section since the form was loaded; nothing was
    written. Still a ConflictError, so every caller that refuses conflicts refuses it."""

    def __init__(self, details: SectionConflictDetails):
        self.details = details
        changed = "; ".join(
            f"{f.label} (by {f.actor or 'someone else'}"
            + (f" at {f.at:%Y-%m-%d %H:%M} UTC)" if f.at else ")")
            for f in details.fields)
        super().__init__(f"{details.section} was changed since you opened it: {changed}. "
                         "Nothing was saved.")


def loaded_values(customer: Customer, specs: Iterable[FieldSpec]) -> dict[str, Any]:
    """A section's values as a form loads them from `customer`, to send back as `loaded`."""
    specs = tuple(specs)
    stored = {**rules.customer_values(customer), **stored_values(customer.custom_fields, specs)}
    return {spec.key: stored.get(spec.key) for spec in specs}


def _same(a: Any, b: Any) -> bool:
    """Equal as values (8.875 and 8.8750 are) or as the log writes them."""
    return a == b or to_json(a) == to_json(b)


def refuse_conflicts(session: Session, *, customer_id: int, version: int, section: str,
                     specs: Iterable[FieldSpec], stored: Mapping[str, Any],
                     saving: Mapping[str, Any], loaded: Mapping[str, Any]) -> None:
    """Raise a SectionConflict if a field of `specs` was changed by someone else since the
    form loaded `loaded` and the value `saving` differs from theirs. A field the form did
    not load counts as changed."""
    clashing = [spec for spec in specs
                if not _same(stored.get(spec.key), loaded.get(spec.key, _MISSING))
                and not _same(stored.get(spec.key), saving.get(spec.key))]
    if not clashing:
        return
    last = _last_changes(session, customer_id, {spec.key for spec in clashing})
    fields = tuple(
        FieldConflict(spec.key, spec.label_in_section, stored.get(spec.key),
                      saving.get(spec.key), *last.get(spec.key, (None, None)))
        for spec in clashing)
    current = {spec.key: stored.get(spec.key) for spec in specs}
    raise SectionConflict(SectionConflictDetails(section, version, current, fields))


def _last_changes(session: Session, customer_id: int, keys: set[str]
                  ) -> dict[str, tuple[str, datetime]]:
    """Who last changed each of `keys` of the customer and when, newest events first, read
    a batch at a time: the fields someone just changed are in the latest few."""
    query = (select(AuditEvent)
             .where(AuditEvent.customer_id == customer_id, AuditEvent.entity == "customer")
             .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    found: dict[str, tuple[str, datetime]] = {}
    offset = 0
    while len(found) < len(keys):
        events = session.exec(query.offset(offset).limit(_LOG_BATCH)).all()
        for event in events:
            for key in keys & (event.changes or {}).keys():
                found.setdefault(key, (event.actor, event.at))
        if len(events) < _LOG_BATCH:
            break
        offset += _LOG_BATCH
    return found
