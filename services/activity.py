"""The activity log as people read it: every event (who, when, what, which customer) with
each changed field's old and new value, filtered by user, customer, action and date, a page
at a time or exported.

The Activity page and each profile's History read this one module, over the audit
events the services write. Events are paged in SQL newest first, each page found from
where the last one ended (keyset paging on the (at, id) order and the indexes on actor,
customer and action), so a page costs the same however deep in a log of millions it is.
How many match is counted up to a cap (services.capped_counts): past it the page says
"more than 10,000" and counts them all only when asked. The export streams one line per
changed field.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import IO, Any

from sqlalchemy import func, tuple_
from sqlmodel import select

from models.audit import AuditEvent
from models.catalogue import by_key, contact_fields
from models.customer import Customer
from models.fields import FieldSpec, specs_of
from models.legal_entity import LegalEntity
from models.payment_method import METHOD_TYPES, PROVIDERS, STATUSES, PaymentMethod
from models.saved_view import SavedView
from models.search_index import sqlite_customers_holding
from services.capped_counts import CAP, Count, count_matches
from services.custom_fields import labels as custom_labels
from services.db import get_engine, read_session
from services.formula_guard import guarded
from services.payment_methods import DEFAULT_CHANGE
from services.query_values import day, like_pattern, start_of, start_of_next
from services.quick_search import TRIGRAM
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
class Position:
    """Where an event sits in the log's newest-first order: the place a page ends, from
    which the next page is read."""

    at: datetime
    id: int


@dataclass(frozen=True)
class ActivityPage:
    events: list[ActivityEvent]
    count: Count  # events matching the filter: exact up to the cap, else "more than"
    older: Position | None  # where the next, older page starts; None on the oldest page
    newer: Position | None  # where the previous, newer page ends; None on the newest page


def _named(fragment: str):
    """Ids of the customers whose name holds `fragment`, in any case. PostgreSQL reads its
    trigram index on the name for ILIKE. SQLite's LIKE already ignores ASCII case, as its
    lower() does, so the name is compared as stored; a fragment the quick search's trigram
    index can answer is looked up there first (at a million customers a fragment of one
    name took ~10 ms there against ~120 ms reading every name), then held to the name."""
    pattern, escape = like_pattern(fragment)
    if get_engine().dialect.name != "sqlite":
        return select(Customer.id).where(Customer.name.ilike(pattern, escape=escape))
    named = select(Customer.id).where(Customer.name.like(pattern, escape=escape))
    if len(fragment) >= TRIGRAM:
        named = named.where(Customer.id.in_(sqlite_customers_holding(fragment)))
    return named


def _where(query, f: ActivityFilter):
    if f.actor:
        query = query.where(AuditEvent.actor == f.actor)
    if f.customer_id is not None:
        query = query.where(AuditEvent.customer_id == f.customer_id)
    if f.customer_name and f.customer_name.strip():
        query = query.where(AuditEvent.customer_id.in_(_named(f.customer_name.strip())))
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


def _oldest_first(query):
    return query.order_by(AuditEvent.at, AuditEvent.id)


def _with_customer(query):
    return query.outerjoin(Customer, Customer.id == AuditEvent.customer_id)


def _events(f: ActivityFilter):
    return _newest_first(_where(_with_customer(select(AuditEvent, Customer.name)), f))


def _place():
    return tuple_(AuditEvent.at, AuditEvent.id)


def _ids(f: ActivityFilter, *, older_than: Position | None, newer_than: Position | None,
         limit: int):
    """Up to `limit` matching ids next to a position, in the order they are read from it:
    older ones newest first, newer ones oldest first. Both databases read them as a range
    of an index in (at, id) order and stop at `limit`, however deep the position lies."""
    ids = _where(select(AuditEvent.id, AuditEvent.at), f)
    if newer_than is not None:
        return _oldest_first(ids.where(_place() > (newer_than.at, newer_than.id))).limit(limit)
    if older_than is not None:
        ids = ids.where(_place() < (older_than.at, older_than.id))
    return _newest_first(ids).limit(limit)


def _rows(session, ids: list[int]):
    """The events of `ids` with their customers' names, newest first."""
    return session.exec(_newest_first(_with_customer(select(AuditEvent, Customer.name))
                                      .where(AuditEvent.id.in_(ids)))).all()


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


def activity_page(f: ActivityFilter, *, older_than: Position | None = None,
                  newer_than: Position | None = None, page_size: int = PAGE_SIZE,
                  cap: int = CAP) -> ActivityPage:
    """One page of matching events, newest first: the newest page, the page of events just
    older than `older_than`, or the page just newer than `newer_than` (the newest page when
    fewer than a page are newer); and how many match, counted up to `cap`."""
    with read_session() as session:
        count = count_matches(session, _where(select(AuditEvent.id), f), cap=cap)
        found = session.exec(_ids(f, older_than=older_than, newer_than=newer_than,
                                  limit=page_size + 1)).all()
        if newer_than is not None:
            if len(found) <= page_size:  # back at the newest events
                found = session.exec(_ids(f, older_than=None, newer_than=None,
                                          limit=page_size + 1)).all()
                newer_than = None
            else:
                found = found[page_size - 1::-1] + found[page_size:]
        shown, beyond = found[:page_size], found[page_size:]
        events = list(_Reader(session).events(_rows(session, [id_ for id_, _at in shown])))
        if newer_than is not None:  # read towards the newest: the older side is the one known
            older = Position(events[-1].at, events[-1].id)
            newer = Position(events[0].at, events[0].id)
        else:
            older = Position(events[-1].at, events[-1].id) if beyond else None
            newer = Position(events[0].at, events[0].id) if older_than and events else None
        return ActivityPage(events, count, older, newer)


def count_activity(f: ActivityFilter) -> Count:
    """How many events match, exactly: every match is read (up to about 0.6 s over
    10,000,000 events), so only on request."""
    with read_session() as session:
        return count_matches(session, _where(select(AuditEvent.id), f), exact=True)


def actors() -> list[str]:
    """Everyone who has changed something, for the user filter: one step through the
    (actor, at) index per person (a recursive query for the next actor after the last),
    not a pass over every event to find the distinct ones."""
    walk = select(func.min(AuditEvent.actor).label("actor")).cte("actors", recursive=True)
    following = (select(func.min(AuditEvent.actor)).where(AuditEvent.actor > walk.c.actor)
                 .scalar_subquery())
    walk = walk.union_all(select(following).where(walk.c.actor.is_not(None)))
    with read_session() as session:
        return list(session.scalars(select(walk.c.actor).where(walk.c.actor.is_not(None))))


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
