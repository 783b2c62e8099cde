"""The activity log as people read it: every event (who, when, what, which customer) with
each changed field's old and new value, filtered by user, customer, action and date, a page
at a time or exported.

The Activity page and each profile's History read this one module, over the audit
events the services write. Events are paged in SQL (newest first, on the indexes on
at, actor and customer), so a page costs the same however long the log is; the export
streams one line per changed field.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import IO, Any

from sqlalchemy import func
from sqlmodel import select

from models.audit import AuditEvent
from models.catalogue import by_key, contact_fields
from models.customer import Customer
from models.fields import FieldSpec, specs_of
from models.legal_entity import LegalEntity
from models.payment_method import METHOD_TYPES, PROVIDERS, STATUSES, PaymentMethod
from models.saved_view import SavedView
from services.custom_fields import labels as custom_labels
from services.db import read_session
from services.formula_guard import guarded
from services.payment_methods import DEFAULT_CHANGE
from services.query_values import day, like_pattern, start_of, start_of_next
from services.shown_values import SHOWN

ACTIONS = {
    "customer.created": "Created customer",
    "customer.imported": "Imported customer",
    "customer.updated": "Edited customer",
    "customer.overwritten": "Edited customer, over a conflicting change",
    "customer.archived": "Archived",
    "customer.restored": "Restored",
    "customer.tax_id_checked": "Checked Tax ID with VIES",
    "customer.bulk_archive": "Archived (bulk)",
    "customer.bulk_restore": "Restored (bulk)",
    "customer.bulk_set_legal_entity": "Set legal entity (bulk)",
    "customer.bulk_set_payment_terms": "Set payment terms (bulk)",
    "customer.bulk_set_auto_pay": "Set auto pay (bulk)",
    "customer.bulk_undo": "Undid a bulk change",
    "customer.child_added": "Child customer added",
    "customer.child_removed": "Child customer removed",
    "contact.added": "Added contact",
    "contact.updated": "Edited contact",
    "contact.removed": "Removed contact",
    "contact.primary_set": "Changed primary contact",
    "payment_method.added": "Added payment method",
    "payment_method.updated": "Edited payment method",
    "payment_method.removed": "Removed payment method",
    "payment_method.defaulted": "Changed default payment method",
    "payment_method.revoked": "Revoked payment method",
    "alias.added": "Added External ID",
    "alias.removed": "Removed External ID",
    "legal_entity.created": "Added legal entity",
    "legal_entity.renamed": "Renamed legal entity",
    "legal_entity.updated": "Edited legal entity",
    "legal_entity.deleted": "Deleted legal entity",
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
                 "revoked": "Revoked", "state": "View", "created_by": "Saved by",
                 "children": "Child customer", "archived_with": "Archived with its parent",
                 "vies": "VIES answer"}
# A payment method's fields the service logs besides its declared ones, and the codes of its
# choices, as people read them.
_PAYMENT_METHOD_LABELS = {"is_default": "Default", DEFAULT_CHANGE: "Default payment method"}
_CODES = {"payment_method": {"provider": PROVIDERS, "method_type": METHOD_TYPES,
                             "status": STATUSES}}
EXPORT_HEADER = ["When (UTC)", "Who", "What", "Customer ID", "Customer", "Field", "Old", "New"]
PAGE_SIZE = 100


@dataclass(frozen=True)
class ActivityFilter:
    actor: str | None = None
    customer_id: int | None = None
    customer_name: str | None = None  # a fragment of the customer's name, in any case
    action: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive
    zone: tzinfo = UTC  # where since and until are calendar days: the viewer's timezone


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class ActivityEvent:
    id: int
    at: datetime
    actor: str
    what: str
    customer_id: int | None
    customer: str | None
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class ActivityPage:
    events: list[ActivityEvent]
    total: int  # events matching the filter, on every page
    page: int  # the page shown: the one asked for, or the last when it asked past the end
    pages: int


def _where(query, f: ActivityFilter):
    if f.actor:
        query = query.where(AuditEvent.actor == f.actor)
    if f.customer_id is not None:
        query = query.where(AuditEvent.customer_id == f.customer_id)
    if f.customer_name and f.customer_name.strip():
        pattern, escape = like_pattern(f.customer_name.strip())
        named = select(Customer.id).where(Customer.name.ilike(pattern, escape=escape))
        query = query.where(AuditEvent.customer_id.in_(named))
    if f.action:
        query = query.where(AuditEvent.action == f.action)
    if f.since:
        query = query.where(AuditEvent.at >= start_of(day("since", f.since), f.zone))
    if f.until:
        end = start_of_next(day("until", f.until), f.zone)
        if end is not None:
            query = query.where(AuditEvent.at < end)
    return query


def _newest_first(query):
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def _with_customer(query):
    return query.outerjoin(Customer, Customer.id == AuditEvent.customer_id)


def _events(f: ActivityFilter):
    return _newest_first(_where(_with_customer(select(AuditEvent, Customer.name)), f))


def _page(f: ActivityFilter, offset: int, limit: int):
    """One page of events. Its ids are found first, on the (at, id) index alone, so the
    events an offset skips are never read from the table nor joined: a page deep in the
    log costs little more than the first."""
    ids = _newest_first(_where(select(AuditEvent.id), f)).offset(offset).limit(limit)
    return _newest_first(_with_customer(select(AuditEvent, Customer.name))
                         .where(AuditEvent.id.in_(ids)))


class _Reader:
    """Turns logged events into what people read: field labels instead of keys, labels
    instead of codes. The labels are looked up once per listing, not once per value."""

    def __init__(self, session):
        self.custom = custom_labels()
        self.specs: dict[str, FieldSpec] = by_key()
        self.labels = {
            "contact": {s.key: s.label for s in contact_fields()},
            # Not the customer's: their names are not the customer's name.
            "saved_view": {s.attr: s.label for s in specs_of(SavedView)},
            "legal_entity": {s.attr: s.label for s in specs_of(LegalEntity)},
            "payment_method": {**{s.attr: s.label for s in specs_of(PaymentMethod)},
                               **_PAYMENT_METHOD_LABELS},
        }
        self.customer_labels = {k: s.label for k, s in self.specs.items()}
        self.entities = dict(session.exec(select(LegalEntity.id, LegalEntity.name)).all())

    def label(self, entity: str, key: str) -> str:
        labels = self.labels.get(entity, self.customer_labels)
        return self.custom.get(key) or labels.get(key) or _OTHER_LABELS.get(key, key)

    def text(self, entity: str, key: str, value: Any) -> str:
        """A logged value as people read it."""
        if value is None:
            return "—"
        codes = _CODES.get(entity, {}).get(key)
        if codes is not None:
            return codes.get(value, str(value))
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, dict):
            return ", ".join(f"{k}: {v}" for k, v in value.items())
        kind = self.specs[key].kind if key in self.specs else None
        if kind in SHOWN:
            return SHOWN[kind](value)
        if kind == "legal_entity":
            return self.entities.get(value, f"#{value}")
        return str(value)

    def events(self, rows) -> Iterator[ActivityEvent]:
        for event, customer_name in rows:
            changes = tuple(Change(self.label(event.entity, key),
                                   self.text(event.entity, key, old),
                                   self.text(event.entity, key, new))
                            for key, (old, new) in (event.changes or {}).items())
            yield ActivityEvent(event.id, event.at, event.actor,
                                ACTIONS.get(event.action, event.action), event.customer_id,
                                customer_name, changes)


def activity_page(f: ActivityFilter, *, page: int = 0, page_size: int = PAGE_SIZE
                  ) -> ActivityPage:
    """One page of matching events, newest first, and how many match in all."""
    with read_session() as session:
        total = session.exec(_where(select(func.count()).select_from(AuditEvent), f)).one()
        pages = max((total + page_size - 1) // page_size, 1)
        page = min(max(page, 0), pages - 1)
        rows = session.exec(_page(f, page * page_size, page_size)).all()
        return ActivityPage(list(_Reader(session).events(rows)), total, page, pages)


def actors() -> list[str]:
    """Everyone who has changed something, for the user filter."""
    with read_session() as session:
        return list(session.exec(select(AuditEvent.actor).distinct().order_by(AuditEvent.actor)))


def write_activity_csv(f: ActivityFilter, out: IO[bytes], *, chunk: int = 2_000) -> int:
    """Every matching change as a CSV line (UTF-8 with BOM, spreadsheet formulas
    neutralised), an event without changes as one line of its own, streamed; returns the
    number of lines."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(guarded(EXPORT_HEADER))
    written = 0
    with read_session() as session:
        result = session.exec(_events(f).execution_options(yield_per=chunk,
                                                           stream_results=True))
        for event in _Reader(session).events(result):
            for change in event.changes or (Change("", "—", "—"),):
                # Every column: field labels and action names come from custom fields and
                # the log, so they are as untrusted as the values.
                writer.writerow(guarded([event.at.isoformat(timespec="seconds"), event.actor,
                                         event.what, event.customer_id or "",
                                         event.customer or "", change.field, change.old,
                                         change.new]))
                written += 1
    text.detach()
    return written
