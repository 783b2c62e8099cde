"""Writing one chunk's valid rows in bulk: new customers with their primary contact,
changed customers (each UPDATE carrying the version routing read), their External IDs
with the look-alike keys claimed (services.alias_keys), each row's payment method as the
customer's default, and one audit event a customer, tagged with the import.
"""

from typing import Any

from sqlalchemy import bindparam, func, select, text, update
from sqlmodel import Session

from models import search_index
from models.alias import Alias
from models.audit import AuditEvent
from models.catalogue import PRIMARY_CONTACT_PREFIX, customer_fields
from models.contact import Contact
from models.customer import Customer
from models.payment_method import PaymentMethod
from models.types import utcnow
from services import alias_keys
from services.connected_accounts import OTHER
from services.errors import ConflictError
from services.fast_insert import insert_rows, insert_tuples, values_of
from services.identifiers import match_key
from services.imports import parents
from services.imports.routing import CONTACT_KEYS
from services.imports.validation import Plan
from services.payment_methods import expiry_date


def _next_ids(session: Session, count: int) -> list[int]:
    """Ids for a chunk of new customers, taken up front: a plain executemany is many times
    faster than INSERT ... RETURNING row by row. On SQLite the import holds the write lock,
    so the next ids are free; on PostgreSQL they come from the id sequence."""
    if session.get_bind().dialect.name == "sqlite":
        start = session.execute(select(func.coalesce(func.max(Customer.id), 0))).scalar() + 1
        return list(range(start, start + count))
    query = text("SELECT nextval(pg_get_serial_sequence('customer', 'id')) "
                 "FROM generate_series(1, :count)")
    return list(session.execute(query, {"count": count}).scalars())


def write_chunk(session: Session, plans: list[Plan], *, actor: str, import_id: int) -> None:
    """Bulk-write one chunk's new and changed customers, with one audit event each. Inserts
    go to the tables (Core executemany), not through the ORM's per-object bookkeeping."""
    now = utcnow()
    attrs = [(s.key, s.attr) for s in customer_fields()] + [("custom_fields", "custom_fields")]
    new = [p for p in plans if p.action == "new"]
    changed = [p for p in plans if p.action == "updated"]
    if new:
        ids = _next_ids(session, len(new))
        for plan, customer_id in zip(new, ids, strict=True):
            plan.customer_id = customer_id
    parents.resolve(session, plans, {a: p.customer_id for p in (*new, *changed)
                                     for a in p.aliases})
    if new:
        values = values_of([key for key, _ in attrs])
        insert_tuples(session, Customer.__table__,
                      [attr for _, attr in attrs] + ["id", "version", "created_at", "updated_at"],
                      [(*values(p.values), customer_id, 1, now, now)
                       for p, customer_id in zip(new, ids, strict=True)])
        insert_rows(session, Contact.__table__,  # a row without a contact has no billing one
                    [_primary_contact(p.customer_id, p.contact, now) for p in new if p.contact])
    if changed:
        _update_changed(session, changed, attrs, now)
    aliases = [{"customer_id": p.customer_id, "value": a, "match_key": match_key(a),
                "system": p.systems.get(a, OTHER), "created_at": now}
               for p in (*new, *changed) for a in p.aliases]
    alias_keys.claim(session, [(a["customer_id"], a["match_key"]) for a in aliases],
                     new_holders={p.customer_id for p in new})
    insert_rows(session, Alias.__table__, aliases)
    _write_methods(session, [p for p in (*new, *changed) if p.method is not None], now)
    search_index.reindex(session, [p.customer_id for p in (*new, *changed)],
                         created={p.customer_id for p in new})
    base = {"at": now, "actor": actor, "entity": "customer", "import_id": import_id}
    notes = parents.named_notes(session, [*new, *changed], base)
    events = [{**base, "entity_id": p.customer_id, "customer_id": p.customer_id,
               "action": "customer.imported" if p.action == "new" else "customer.updated",
               "changes": p.changes} for p in (*new, *changed)] + notes
    insert_rows(session, AuditEvent.__table__, events)


def _update_changed(session: Session, changed: list[Plan], attrs: list[tuple[str, str]],
                    now) -> None:
    """Each UPDATE names the version the import read, and each contact its id: a row that
    moved anyway (it cannot while locked) fails the import instead of being written over."""
    table = Customer.__table__
    result = session.execute(
        update(table).where(table.c.id == bindparam("_id"),
                            table.c.version == bindparam("_read"))
        .values({attr: bindparam(f"_v_{attr}") for _, attr in attrs}
                | {"version": bindparam("_version"), "updated_at": bindparam("_at")}),
        [{"_id": p.customer_id, "_read": p.version, "_version": p.version + 1, "_at": now,
          **{f"_v_{attr}": p.values[key] for key, attr in attrs}} for p in changed])
    if result.rowcount != len(changed):
        raise ConflictError("Customers changed while the file was imported; nothing was "
                            "imported. Import the file again.")
    contact_values = [{**{f"_v_{k}": p.contact[PRIMARY_CONTACT_PREFIX + k]
                          for k in CONTACT_KEYS}, "_contact": p.contact_id}
                      for p in changed if p.contact and p.contact_id is not None]
    if contact_values:
        contacts = Contact.__table__
        session.execute(update(contacts).where(contacts.c.id == bindparam("_contact"))
                        .values({k: bindparam(f"_v_{k}") for k in CONTACT_KEYS}),
                        contact_values)
    insert_rows(session, Contact.__table__, [
        _primary_contact(p.customer_id, p.contact, now)
        for p in changed if p.contact and p.contact_id is None])


def _primary_contact(customer_id: int, contact: dict[str, Any], now) -> dict[str, Any]:
    return {"customer_id": customer_id, "is_primary": True, "email_billing": True,
            "email_updates": True, "email_legal": False, "created_at": now,
            **{k: contact.get(PRIMARY_CONTACT_PREFIX + k) for k in CONTACT_KEYS}}


def _write_methods(session: Session, plans: list[Plan], now) -> None:
    """Each row's method becomes its customer's default: the customer's other default lets
    go first (the partial unique index holds one), then the stored method is updated or
    the new one inserted."""
    if not plans:
        return
    table = PaymentMethod.__table__
    keeping = [p.method_id for p in plans if p.method_id is not None]
    session.execute(update(table).where(
        table.c.customer_id.in_([p.customer_id for p in plans]), table.c.is_default,
        table.c.id.not_in(keeping)).values(is_default=False, updated_at=now))
    rows = [{**p.method, "customer_id": p.customer_id, "is_default": True, "updated_at": now,
             "expires_on": expiry_date(p.method["exp_month"], p.method["exp_year"])}
            for p in plans]
    stored = [(p, row) for p, row in zip(plans, rows, strict=True) if p.method_id is not None]
    if stored:
        session.execute(update(table).where(table.c.id == bindparam("_id"))
                        .values({key: bindparam(f"_v_{key}") for key in rows[0]}),
                        [{"_id": p.method_id, **{f"_v_{k}": v for k, v in row.items()}}
                         for p, row in stored])
    insert_rows(session, table, [{**row, "created_at": now, "revoked_at": None}
                                 for p, row in zip(plans, rows, strict=True)
                                 if p.method_id is None])
