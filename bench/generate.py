"""A book of N customers, each with a primary contact and an alias, written in bulk.

Bulk inserts go straight to the tables (the services would take minutes for
100,000 creates); the database's own triggers and indexes still apply, so search
indexes are filled as they would be by the app.
"""

import random
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select
from stdnum.iso7064 import mod_11_10

from models import Alias, AliasKey, Contact, Customer, LegalEntity
from models.types import utcnow
from services import reference
from services.db import get_engine
from services.identifiers import match_key, name_key

BATCH = 5_000
MARKETS = [("US", "USD", 30), ("DE", "EUR", 15), ("GB", "GBP", 15), ("FR", "EUR", 8),
           ("NL", "EUR", 6), ("CA", "CAD", 8), ("AU", "AUD", 6), ("JP", "JPY", 4),
           ("IN", "INR", 4), ("BR", "BRL", 4)]
WORDS = (
    "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne",
    "Soylent", "Hooli", "Vandelay", "Massive", "Dynamic", "Aperture", "Black", "Mesa",
    "Oceanic", "Gringotts", "Monarch", "Virtucon", "Nakatomi", "Pied", "Piper", "Prestige",
    "Sirius", "Dunder", "Mifflin", "Bluth", "Kramerica", "Sterling", "Cooper",
)
SUFFIXES = ("Inc", "GmbH", "Ltd", "SARL", "BV", "Pty", "KK", "LLC", "AG", "SA")
FLOWS = ("customer_desk", "customer_desk", "stripe", "xero", "quickbooks")
TERMS = (0, 15, 30, 30, 30, 45, 60)


def customer_count() -> int:
    with get_engine().connect() as conn:
        return conn.scalar(select(func.count()).select_from(Customer))


def _entities(conn) -> list[int]:
    names = ["Meterly Inc.", "Meterly GmbH", "Meterly Ltd"]
    existing = dict(conn.execute(select(LegalEntity.name, LegalEntity.id)).all())
    now = utcnow()
    for name in names:
        if name not in existing:
            conn.execute(insert(LegalEntity).values(name=name, name_key=name_key(name),
                                                    created_at=now, updated_at=now))
    return list(dict(conn.execute(select(LegalEntity.name, LegalEntity.id)).all()).values())


def _vat(rng: random.Random) -> str:
    base = str(rng.randint(10_000_000, 99_999_999))
    return f"DE{base}{mod_11_10.calc_check_digit(base)}"


def generate(count: int, *, seed: int = 11, progress=print) -> None:
    rng = random.Random(seed)
    markets = [m for m in MARKETS for _ in range(m[2])]
    now = utcnow()
    engine = get_engine()
    with engine.begin() as conn:
        entities = _entities(conn)
        start = (conn.scalar(select(func.max(Customer.id))) or 0) + 1
    subdivisions = {c: list(reference.subdivisions(c)) for c, _, _ in MARKETS}
    for offset in range(0, count, BATCH):
        customers, contacts, aliases = [], [], []
        for n in range(start + offset, start + min(offset + BATCH, count)):
            country, currency, _ = rng.choice(markets)
            name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(SUFFIXES)} {n}"
            created = now - timedelta(days=rng.randint(0, 1500), seconds=rng.randint(0, 86400))
            customers.append({
                "id": n, "name": name, "business_name": None, "currency": currency,
                "invoicing_flow": rng.choice(FLOWS), "payment_terms_days": rng.choice(TERMS),
                "auto_pay": rng.random() < 0.3, "legal_entity_id": rng.choice(entities),
                "country": country, "address_line1": f"{rng.randint(1, 999)} Main Street",
                "address_line2": None, "city": "Springfield",
                "state": rng.choice(subdivisions[country]) if subdivisions[country] else None,
                "postal_code": f"{rng.randint(10000, 99999)}", "tax_country": None,
                "tax_id": _vat(rng) if country == "DE" and rng.random() < 0.7 else None,
                "tax_rate": Decimal(rng.choice(["0", "7.25", "8.875", "19", "20", "10"])),
                "archived_at": now if rng.random() < 0.05 else None, "version": 1,
                "created_at": created, "updated_at": created,
            })
            contacts.append({
                "customer_id": n, "first_name": "Pat", "last_name": f"Payer{n}",
                "email": f"billing{n}@customer{n}.example", "email_billing": True,
                "email_updates": True, "email_legal": False, "is_primary": True,
                "created_at": created,
            })
            value = f"cus_{n:08d}"
            aliases.append({"customer_id": n, "value": value, "match_key": match_key(value),
                            "created_at": created})
        with engine.begin() as conn:
            conn.execute(insert(Customer), customers)
            conn.execute(insert(Contact), contacts)
            conn.execute(insert(Alias), aliases)
            conn.execute(insert(AliasKey), [{"key": a["match_key"], "customer_id": a["customer_id"]}
                                            for a in aliases])
        progress(f"  generated {min(offset + BATCH, count):,} of {count:,} customers")
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('customer', 'id'), max(id)) FROM customer")
        else:
            conn.exec_driver_sql("ANALYZE")
    if engine.dialect.name == "postgresql":
        # What autovacuum would do after a bulk load: statistics, and the GIN indexes'
        # pending lists merged (a long pending list is read on every search).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table_name in ("customer", "contact", "alias"):
                conn.exec_driver_sql(f"VACUUM ANALYZE {table_name}")
