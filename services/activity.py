"""The activity log as people read it: every change (who, when, which customer, field,
old -> new), filtered by user, customer, action and date, a page at a time or exported.

The Activity page and each profile's History read this one module, over the audit
events the services write. Events are paged in SQL (newest first, on the indexes on
at, actor and customer) and each is expanded to one line per changed field.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy import func
from sqlmodel import select

from models.audit import AuditEvent
from models.catalogue import by_key, contact_fields
from models.choices import InvoicingFlow, payment_terms_label
from models.customer import Customer
from models.fields import specs_of
from models.legal_entity import LegalEntity
from models.saved_view import SavedView
from services.custom_fields import labels as custom_labels
from services.db import read_session
from services.formula_guard import guarded
from services.query_values import day, start_of, start_of_next

ACTIONS = {
    "customer.created": "Created customer",
    "customer.imported": "Imported customer",
    "customer.updated": "Edited customer",
    "customer.archived": "Archived",
    "customer.restored": "Restored",
    "customer.bulk_archive": "Archived (bulk)",
    "customer.bulk_restore": "Restored (bulk)",
    "customer.bulk_set_legal_entity": "Set legal entity (bulk)",
    "customer.bulk_set_payment_terms": "Set payment terms (bulk)",
    "customer.bulk_set_auto_pay": "Set auto pay (bulk)",
    "contact.added": "Added contact",
    "contact.updated": "Edited contact",
    "contact.removed": "Removed contact",
    "contact.primary_set": "Changed primary contact",
    "alias.added": "Added External ID",
    "alias.removed": "Removed External ID",
    "legal_entity.created": "Added legal entity",
    "legal_entity.renamed": "Renamed legal entity",
    "setting.changed": "Changed a setting",
    "api_key.created": "Created API key",
    "api_key.revoked": "Revoked API key",
    "role.granted": "Gave a role",
    "role.revoked": "Took a role back",
    "custom_field.added": "Added a custom field",
    "custom_field.changed": "Changed a custom field",
    "custom_field.moved": "Moved a custom field",
    "custom_field.retired": "Retired a custom field",
    "custom_field.restored": "Restored a custom field",
    "view.saved": "Saved a view",
    "view.deleted": "Deleted a view",
}
_OTHER_LABELS = {"status": "Status", "primary_contact": "Primary Contact",
                 "external_ids": "External ID", "subject": "Email or domain", "role": "Role",
                 "revoked": "Revoked", "state": "View", "created_by": "Saved by"}
EXPORT_HEADER = ["When (UTC)", "Who", "What", "Customer ID", "Customer", "Field", "Old", "New"]
PAGE_SIZE = 100


@dataclass(frozen=True)
class ActivityFilter:
    actor: str | None = None
    customer_id: int | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive


@dataclass(frozen=True)
class ActivityLine:
    at: datetime
    actor: str
    what: str
    customer_id: int | None
    customer: str | None
    field: str
    old: str
    new: str


def _where(query, f: ActivityFilter):
    if f.actor:
        query = query.where(AuditEvent.actor == f.actor)
    if f.customer_id is not None:
        query = query.where(AuditEvent.customer_id == f.customer_id)
    if f.action:
        query = query.where(AuditEvent.action == f.action)
    if f.since:
        query = query.where(AuditEvent.at >= start_of(day("since", f.since)))
    if f.until:
        end = start_of_next(day("until", f.until))
        if end is not None:
            query = query.where(AuditEvent.at < end)
    return query


def count_events(f: ActivityFilter) -> int:
    with read_session() as session:
        return session.exec(_where(select(func.count()).select_from(AuditEvent), f)).one()


def _events(f: ActivityFilter, offset: int, limit: int | None):
    query = (_where(select(AuditEvent, Customer.name).outerjoin(
        Customer, Customer.id == AuditEvent.customer_id), f)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).offset(offset))
    return query.limit(limit) if limit else query


def _label(entity: str, key: str) -> str:
    if entity == "contact":
        labels = {s.key: s.label for s in contact_fields()}
    elif entity == "saved_view":  # its name and state are not the customer's
        labels = {s.attr: s.label for s in specs_of(SavedView)}
    else:
        labels = {k: s.label for k, s in by_key().items()}
    return labels.get(key) or _OTHER_LABELS.get(key, key)


def _text(key: str, value: Any, entities: dict[int, str]) -> str:
    """A logged value as people read it: labels instead of codes where the field has them."""
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    kind = by_key()[key].kind if key in by_key() else None
    if kind == "invoicing_flow" and value in {f.value for f in InvoicingFlow}:
        return InvoicingFlow(value).label
    if kind == "payment_terms":
        return payment_terms_label(value)
    if kind == "legal_entity":
        return entities.get(value, f"#{value}")
    return str(value)


def _lines(rows, entities: dict[int, str]) -> Iterator[ActivityLine]:
    custom = custom_labels()
    for event, customer_name in rows:
        what = ACTIONS.get(event.action, event.action)
        changes = event.changes or {"": [None, None]}
        for key, (old, new) in changes.items():
            field = custom.get(key) or (_label(event.entity, key) if key else "")
            yield ActivityLine(event.at, event.actor, what, event.customer_id, customer_name,
                               field, _text(key, old, entities), _text(key, new, entities))


def _entities(session) -> dict[int, str]:
    return dict(session.exec(select(LegalEntity.id, LegalEntity.name)).all())


def list_activity(f: ActivityFilter, *, page: int = 0, page_size: int = PAGE_SIZE
                  ) -> list[ActivityLine]:
    """One page of events (newest first), each as one line per changed field."""
    with read_session() as session:
        rows = session.exec(_events(f, page * page_size, page_size)).all()
        return list(_lines(rows, _entities(session)))


def actors() -> list[str]:
    """Everyone who has changed something, for the user filter."""
    with read_session() as session:
        return list(session.exec(select(AuditEvent.actor).distinct().order_by(AuditEvent.actor)))


def write_activity_csv(f: ActivityFilter, out: IO[bytes], *, chunk: int = 2_000) -> int:
    """Every matching line as CSV (UTF-8 with BOM, spreadsheet formulas neutralised),
    streamed; returns the number of lines."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(guarded(EXPORT_HEADER))
    written = 0
    with read_session() as session:
        entities = _entities(session)
        result = session.exec(_events(f, 0, None).execution_options(yield_per=chunk,
                                                                      stream_results=True))
        for line in _lines(result, entities):
            # Every column: field labels and action names come from custom fields and the
            # log, so they are as untrusted as the values.
            writer.writerow(guarded([line.at.isoformat(timespec="seconds"), line.actor,
                                     line.what, line.customer_id or "", line.customer or "",
                                     line.field, line.old, line.new]))
            written += 1
    text.detach()
    return written
