"""A book of N customers, each with a primary contact and an alias, and most with payment
methods (one default each), written in bulk.

Bulk inserts go straight to the tables (the services would take minutes for
100,000 creates); the database's own triggers and indexes still apply, so search
indexes are filled as they would be by the app.
"""

import random
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select, update
from stdnum.iso7064 import mod_11_10

from models import (
    Alias,
    AliasKey,
    Contact,
    Customer,
    LegalEntity,
    PaymentMethod,
    no_billing_contact,
)
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


BRANDS = ("Visa", "Visa", "Visa", "Mastercard", "Mastercard", "American Express")
BANKS = ("Deutsche Bank", "ING", "BNP Paribas", "Rabobank", "Commerzbank", "Sparkasse")


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


LANGUAGES = {"US": "en_US", "DE": "de_DE", "GB": "en_GB", "FR": "fr_FR", "JP": "ja_JP"}
ZONES = {"DE": "Europe/Berlin", "GB": "Europe/London", "FR": "Europe/Paris", "JP": "Asia/Tokyo"}


def _billing_profile(rng: random.Random, country: str, n: int) -> dict:
    """One customer in eight an individual, one in twenty exempt or reverse charge, a phone
    on most, the country's language and zone."""
    draw = rng.random()
    return {
        "customer_type": "individual" if rng.random() < 0.125 else "company",
        "tax_exemption": ("exempt" if draw < 0.03 else "reverse_charge" if draw < 0.05
                          else "none"),
        "tax_exemption_reason": "Non-profit" if draw < 0.03 else None,
        "phone": f"+1202555{n % 10_000:04d}" if rng.random() < 0.8 else None,
        "invoice_language": LANGUAGES.get(country), "timezone": ZONES.get(country),
        "invoice_grace_days": rng.choice([0, 0, 3, 7]), "shipping_same_as_billing": True,
        "tax_id_status": "not_checked",
    }


def _customer_indexes(conn) -> list[tuple[str, str]]:
    """The customer table's secondary indexes as (name, CREATE statement), as the database
    holds them (PostgreSQL's descending twins are the migration's, not the models')."""
    if conn.dialect.name == "sqlite":
        return list(conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'customer' AND sql IS NOT NULL"))
    return list(conn.exec_driver_sql(
        "SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
        "JOIN pg_class c ON c.oid = x.indexrelid "
        "WHERE x.indrelid = 'customer'::regclass AND NOT x.indisprimary "
        "AND NOT x.indisunique"))


@contextmanager
def _indexes_built_after():
    """Into an empty customer table, load first and index after, as a restore does: the
    million-customer book then loads in minutes instead of updating two dozen indexes and
    the list of customers without a billing contact a row at a time. A table with
    customers keeps its indexes."""
    engine = get_engine()
    with engine.begin() as conn:
        empty = conn.scalar(select(func.count()).select_from(Customer)) == 0
        indexes = _customer_indexes(conn) if empty else []
        for name, _ in indexes:
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
        if empty:  # its list is filled once from the loaded book, as its migration does
            no_billing_contact.uninstall(conn)
    try:
        yield
    finally:
        with engine.begin() as conn:
            for _, statement in indexes:
                conn.exec_driver_sql(statement)
            if empty:
                no_billing_contact.install(conn)


def generate(count: int, *, seed: int = 11, progress=print) -> None:
    with _indexes_built_after():
        _generate(count, seed=seed, progress=progress)
    _refresh_statistics()


def _generate(count: int, *, seed: int, progress) -> None:
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
                **_billing_profile(rng, country, n),
            })
            contacts.append({
                "customer_id": n, "first_name": "Pat", "last_name": f"Payer{n}",
                "email": f"billing{n}@customer{n}.example", "email_billing": True,
                "email_updates": True, "email_legal": False, "is_primary": True,
                "created_at": created,
            })
            value = f"cus_{n:08d}"
            aliases.append({"customer_id": n, "value": value, "match_key": match_key(value),
                            "system": "stripe", "created_at": created})
        with engine.begin() as conn:
            conn.execute(insert(Customer), customers)
            conn.execute(insert(Contact), contacts)
            conn.execute(insert(Alias), aliases)
            conn.execute(insert(AliasKey), [{"key": a["match_key"], "customer_id": a["customer_id"]}
                                            for a in aliases])
        progress(f"  generated {min(offset + BATCH, count):,} of {count:,} customers")


def _refresh_statistics() -> None:
    engine = get_engine()
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
            for table_name in ("customer", "contact", "alias", "no_billing_contact"):
                conn.exec_driver_sql(f"VACUUM ANALYZE {table_name}")


def method_count() -> int:
    with get_engine().connect() as conn:
        return conn.scalar(select(func.count()).select_from(PaymentMethod))


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _method(rng: random.Random, customer_id: int, n: int, today: date, now) -> dict:
    """One method of a customer: mostly Stripe cards whose expiry spreads from half a year
    ago to five years ahead (so some are expired and a few expire this month), some SEPA
    mandates at GoCardless, a few bank transfers; one in fifty revoked."""
    row = {"customer_id": customer_id, "provider_customer_id": None, "brand": None,
           "last4": None, "exp_month": None, "exp_year": None, "expires_on": None,
           "holder_name": None, "bank_name": None, "is_default": n == 0,
           "revoked_at": now if rng.random() < 0.02 else None, "created_at": now,
           "updated_at": now}
    kind = rng.random()
    if kind < 0.8:
        months = today.year * 12 + today.month - 1 + rng.randint(-6, 60)
        year, month = divmod(months, 12)
        return {**row, "provider": "stripe", "provider_customer_id": f"cus_{customer_id:08d}",
                "reference": f"pm_{customer_id:08d}x{n}", "method_type": "card",
                "brand": rng.choice(BRANDS), "last4": f"{rng.randint(0, 9999):04d}",
                "exp_month": month + 1, "exp_year": year,
                "expires_on": _month_end(year, month + 1)}
    if kind < 0.95:
        return {**row, "provider": "gocardless", "reference": f"MD{customer_id:010d}{n}",
                "method_type": "sepa_debit", "bank_name": rng.choice(BANKS)}
    return {**row, "provider": "manual", "reference": f"transfer-{customer_id}-{n}",
            "method_type": "bank_transfer"}


def generate_methods(*, seed: int = 13, progress=print) -> None:
    """Payment methods for the book: three customers in four have one, one in ten of those
    a second (not the default)."""
    rng = random.Random(seed)
    now = utcnow()
    today = now.date()
    engine = get_engine()
    with engine.connect() as conn:
        ids = list(conn.scalars(select(Customer.id).order_by(Customer.id)))
    for offset in range(0, len(ids), BATCH):
        methods = []
        for customer_id in ids[offset:offset + BATCH]:
            if rng.random() < 0.75:
                count = 2 if rng.random() < 0.1 else 1
                methods += [_method(rng, customer_id, n, today, now) for n in range(count)]
        with engine.begin() as conn:
            conn.execute(insert(PaymentMethod), methods)
        progress(f"  payment methods for {min(offset + BATCH, len(ids)):,} of "
                 f"{len(ids):,} customers")
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("ANALYZE")
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE payment_method")


FAMILY_SIZE = 50  # one customer in this many is a parent, of the next FAMILY_CHILDREN
FAMILY_CHILDREN = 4


def family_count() -> int:
    with get_engine().connect() as conn:
        return conn.scalar(select(func.count()).select_from(Customer)
                           .where(Customer.parent_id.is_not(None)))


def generate_families() -> None:
    """Families in the book: every 50th customer the parent of the four after it (8% of
    the book are children, 2% parents), in one UPDATE."""
    engine = get_engine()
    with engine.begin() as conn:
        conn.execute(update(Customer)
                     .where(Customer.id > FAMILY_SIZE,
                            Customer.id % FAMILY_SIZE >= 1,
                            Customer.id % FAMILY_SIZE <= FAMILY_CHILDREN)
                     .values(parent_id=Customer.id - Customer.id % FAMILY_SIZE))
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("ANALYZE")
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE customer")
