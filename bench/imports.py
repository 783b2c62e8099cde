"""Import throughput: python -m bench.imports --rows 100000 --db sqlite|postgres

Writes a CSV in the Customer Desk template, imports it into an empty database
(dry run and import), re-imports it (every row unchanged), and prints rows per
second beside a floor: the same customers, contacts and aliases inserted with a
bare DB-API executemany, no validation.
"""

import argparse
import csv
import os
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from services import db
from services.access import COMMAND_LINE
from services.identifiers import match_key
from services.import_mapping import template_headers
from services.imports import VALID_ONLY, default_mapping, dry_run, run_import

PG_BASE = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
COUNTRIES = [("US", "USD", "CA"), ("DE", "EUR", "BE"), ("GB", "GBP", None), ("FR", "EUR", None)]


def write_file(path: Path, rows: int) -> None:
    rng = random.Random(5)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=template_headers())
        writer.writeheader()
        for n in range(rows):
            country, currency, state = rng.choice(COUNTRIES)
            writer.writerow({
                "Customer Name": f"Imported Customer {n}", "Billing Currency": currency,
                "Country": country, "Address Line 1": f"{n} Main Street", "City": "Springfield",
                "State": state or "", "Postal Code": "12345", "Tax Rate": "8.875",
                "Payment Terms": "30", "Primary Contact Email": f"billing{n}@imported.example",
                "First Name": "Pat", "Last Name": f"Payer{n}", "External IDs": f"imp_{n:08d}",
            })


def fresh_database(kind: str, name: str) -> str:
    if kind == "sqlite":
        path = Path(tempfile.mkdtemp()) / f"{name}.sqlite3"
        return f"sqlite:///{path}"
    engine = create_engine(PG_BASE)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    engine.dispose()
    return f"{PG_BASE}?options=-csearch_path%3D{name}"


def raw_floor(path: Path) -> float:
    """Seconds to insert the file's rows with executemany, three statements, no checks."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    connection = db.get_engine().raw_connection()
    mark = "?" if db.get_engine().dialect.name == "sqlite" else "%s"
    start = time.perf_counter()
    cursor = connection.cursor()
    if mark == "?":
        cursor.execute("BEGIN")  # one transaction, as the import uses
    cursor.executemany(
        "INSERT INTO customer (id, name, currency, invoicing_flow, payment_terms_days, auto_pay,"
        " legal_entity_id, country, address_line1, city, state, postal_code, tax_rate, version,"
        f" created_at, updated_at) VALUES ({', '.join([mark] * 16)})",
        [(n + 1, r["Customer Name"], r["Billing Currency"], "customer_desk", 30, False, 1,
          r["Country"], r["Address Line 1"], r["City"], r["State"] or None, r["Postal Code"],
          88750, 1, "2026-01-01", "2026-01-01") for n, r in enumerate(rows)])
    cursor.executemany(
        "INSERT INTO contact (customer_id, first_name, last_name, email, email_billing,"
        f" email_updates, email_legal, is_primary, created_at) VALUES ({', '.join([mark] * 9)})",
        [(n + 1, r["First Name"], r["Last Name"], r["Primary Contact Email"], True, True, False,
          True, "2026-01-01") for n, r in enumerate(rows)])
    keys = [match_key(r["External IDs"]) for r in rows]
    cursor.executemany(f"INSERT INTO alias_key (key, customer_id) VALUES ({mark}, {mark})",
                       [(key, n + 1) for n, key in enumerate(keys)])
    cursor.executemany(
        "INSERT INTO alias (customer_id, value, match_key, created_at)"
        f" VALUES ({mark}, {mark}, {mark}, {mark})",
        [(n + 1, r["External IDs"], key, "2026-01-01")
         for n, (r, key) in enumerate(zip(rows, keys, strict=True))])
    connection.commit()
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "import.csv"
    write_file(path, args.rows)
    mapping = default_mapping(path)

    url = fresh_database(args.db, "bench_import")
    db.configure(url)
    db.migrate(url)
    start = time.perf_counter()
    checked = dry_run(path, mapping)
    dry = time.perf_counter() - start
    start = time.perf_counter()
    done = run_import(path, mapping, mode=VALID_ONLY, actor=COMMAND_LINE)
    first = time.perf_counter() - start
    start = time.perf_counter()
    again = run_import(path, mapping, mode=VALID_ONLY, actor=COMMAND_LINE)
    second = time.perf_counter() - start

    floor_url = fresh_database(args.db, "bench_import_floor")
    db.configure(floor_url)
    db.migrate(floor_url)
    floor = raw_floor(path)

    rate = args.rows / first
    print(f"{args.rows:,} rows on {args.db}, {os.cpu_count()} cores")
    print()
    print("| step | seconds | rows per second | note |")
    print("| --- | ---: | ---: | --- |")
    print(f"| dry run (validate every row) | {dry:.1f} | {args.rows / dry:,.0f} | "
          f"{checked.counts['new']:,} new |")
    print(f"| import into an empty database | {first:.1f} | {rate:,.0f} | "
          f"{done.counts['new']:,} new, target ≥ 5,000 rows/s |")
    print(f"| re-import of the same file | {second:.1f} | {args.rows / second:,.0f} | "
          f"{again.counts['unchanged']:,} unchanged, 0 new |")
    print(f"| floor: raw executemany, no checks | {floor:.1f} | {args.rows / floor:,.0f} | "
          f"import is {first / floor:.1f}× the floor |")


if __name__ == "__main__":
    main()
