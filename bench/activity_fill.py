"""An audit log of millions of events for bench.activity, written as fast as each database
takes rows: COPY on PostgreSQL, a bare sqlite3 cursor's executemany on SQLite
(services.fast_insert), in batches of 100,000, with the log's indexes built once after the
rows rather than kept up row by row.

Events come oldest first with ids in the same order, as a real log grows, over two years
up to now. Most are edits by twenty people, imports and the API; a few actions and one
person are rare, so the benchmark can time a filter that matches little in a long log.
"""

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from models.audit import AuditEvent
from models.types import utcnow
from services import db
from services.fast_insert import insert_rows

BATCH = 100_000
SPAN = timedelta(days=2 * 365)
ACTORS = [f"user{n}@example.com" for n in range(20)] + ["import", "api"]
RARE_ACTOR = "auditor@example.com"  # about 1 event in 100,000
RARE_ACTION = "customer.restored"  # about 1 event in 10,000
EDITS = {  # action -> (the fields an event of it changes, its weight among events)
    "customer.updated": (["name", "payment_terms_days", "city", "postal_code", "tax_id"], 40),
    "contact.updated": (["first_name", "last_name", "email"], 25),
    "customer.created": (["name", "currency", "invoicing_flow", "payment_terms_days",
                          "auto_pay", "country", "address_line1", "city", "postal_code",
                          "tax_rate", "legal_entity_id", "primary_contact_email"], 10),
    "alias.added": (["external_ids"], 15),
    "customer.archived": (["status"], 10),
}
_CHANGE_SETS = 500  # distinct change sets per action, picked at random


def event_count() -> int:
    with db.get_engine().connect() as conn:
        return conn.scalar(select(func.count()).select_from(AuditEvent))


def _change_sets(rng: random.Random) -> dict[str, list[dict]]:
    sets = {}
    for action, (fields, _weight) in EDITS.items():
        created = action == "customer.created"
        sets[action] = [
            {key: [None if created else f"old {key}", f"new {key} {rng.randint(1, 999)}"]
             for key in (fields if created else rng.sample(fields, rng.randint(1, len(fields))))}
            for _ in range(_CHANGE_SETS)]
    sets[RARE_ACTION] = [{"status": ["archived", "active"]}]
    return sets


def _events(count: int, customers: int, rng: random.Random) -> Iterator[dict]:
    sets = _change_sets(rng)
    actions = [a for a, (_fields, weight) in EDITS.items() for _ in range(weight)]
    start = utcnow() - SPAN
    step = SPAN / count
    for n in range(count):
        roll = rng.random()
        action = RARE_ACTION if roll < 1e-4 else rng.choice(actions)
        customer_id = rng.randint(1, customers)
        yield {"at": start + step * n,
               "actor": RARE_ACTOR if roll > 1 - 1e-5 else rng.choice(ACTORS),
               "action": action, "entity": action.split(".")[0], "entity_id": customer_id,
               "customer_id": customer_id, "changes": rng.choice(sets[action])}


@contextmanager
def _indexes_built_after(engine) -> Iterator[None]:
    """Drop the log's indexes for the load and build each once at the end: far cheaper than
    keeping five indexes up to date over millions of inserts."""
    indexes = list(AuditEvent.__table__.indexes)
    with engine.begin() as conn:
        for index in indexes:
            index.drop(conn, checkfirst=True)
    try:
        yield
    finally:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '512MB'")
            for index in indexes:
                started = time.perf_counter()
                index.create(conn, checkfirst=True)
                print(f"  built {index.name} in {time.perf_counter() - started:.0f} s")


def _analyze(engine) -> None:
    """Planner statistics, and on PostgreSQL the visibility map that lets a page's ids come
    from the index alone, as autovacuum would leave them."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE audit_event")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA analysis_limit=1000")
            conn.exec_driver_sql("ANALYZE")


def fill_log(count: int, customers: int, *, seed: int = 13) -> None:
    """Append `count` events over customers 1 to `customers`."""
    rng = random.Random(seed)
    engine = db.get_engine()
    table = AuditEvent.__table__
    events = _events(count, customers, rng)
    started = time.perf_counter()
    with _indexes_built_after(engine):
        for offset in range(0, count, BATCH):
            rows = [next(events) for _ in range(min(BATCH, count - offset))]
            with Session(engine) as session:
                insert_rows(session, table, rows)
                session.commit()
            print(f"  logged {offset + len(rows):,} of {count:,} events "
                  f"({time.perf_counter() - started:.0f} s)")
    _analyze(engine)
